"""Grade a generated class of 40 with `course grade-all` and with `nbgrader autograde`, in the same run.

    .venvs/main/bin/python scripts/bench_class.py [EXERCISE] [--students 40] [--jobs 2]

The class mixes what an instructor meets: correct solutions, untouched releases, the exercise's
proven wrong answers (tests/course/wrong_answers/EXERCISE.toml) and hostile or broken files. Both
graders see the same `submitted/<student>/<assignment>/` tree (nbgrader's own layout); nbgrader's
`generate_assignment` is not timed. Prints seconds, peak memory of each grader's process tree, and
where the two scores differ, with a table of every student.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import psutil

from grader.assignments import release_notebook
from grader.processes import rss_mb
from grader.mutations import read_wrong_answers, with_answers
from grader.paths import EXERCISES, SOLUTIONS

BIN = Path(sys.executable).parent
HOSTILE = {
    "infinite-loop": "while True:\n    pass",
    "sys-exit": "import sys\nsys.exit(1)",
    "kernel-exit": "import os\nos._exit(1)",
    "print-flood": "for _ in range(2000):\n    print('x' * 10_000)",
}
BROKEN = {"binary": b"\x89PNG\r\n\x1a\n\x00\x00", "truncated": b'{"cells": [', "empty": b""}


def build_class(exercise: str, students: int, root: Path) -> dict[str, str]:
    """Write the class under root/submitted; return student -> kind."""
    solution = nbformat.read(SOLUTIONS / f"{exercise}.ipynb", 4)
    release = release_notebook(SOLUTIONS / f"{exercise}.ipynb")
    wrong = read_wrong_answers(exercise)
    answer_ids = [c.metadata.nbgrader.grade_id for c in solution.cells
                  if c.metadata.get("nbgrader", {}).get("solution")]
    kinds = (["solution"] * 14 + ["release"] * 8 + [f"wrong:{i}" for i in range(min(11, len(wrong)))]
             + [f"hostile:{k}" for k in HOSTILE] + [f"broken:{k}" for k in BROKEN])
    kinds = (kinds * (students // len(kinds) + 1))[:students]
    roster = {}
    for number, kind in enumerate(kinds, 1):
        student = f"s{number:02d}"
        folder = root / "submitted" / student / exercise
        folder.mkdir(parents=True)
        path = folder / f"{exercise}.ipynb"
        roster[student] = kind
        family, _, detail = kind.partition(":")
        if family == "broken":
            path.write_bytes(BROKEN[detail])
            continue
        nb = release if family == "release" else solution
        if family == "wrong":
            nb = with_answers(nb, {wrong[int(detail)]["answer"]: wrong[int(detail)]["source"]})
        elif family == "hostile":
            nb = with_answers(nb, {answer_ids[0]: HOSTILE[detail]})
        nbformat.write(nb, path)
    return roster


def timed(command: list, env: dict) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run `command`; return seconds, peak MB of its whole process tree, and the finished process."""
    start = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    root, peak, seen = psutil.Process(process.pid), 0.0, {}
    while process.poll() is None:
        try:
            seen |= {p.pid: p for p in [root, *root.children(recursive=True)]}
            peak = max(peak, rss_mb(p for p in seen.values() if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.2)
    output = process.stdout.read() if process.stdout else ""
    return time.monotonic() - start, peak, subprocess.CompletedProcess(command, process.returncode, output)


def nbgrader_scores(root: Path, exercise: str, env: dict) -> dict[str, float | None]:
    code = ("import json; from nbgrader.api import Gradebook\n"
            f"with Gradebook('sqlite:///{root}/gradebook.db') as gb:\n"
            "    out = {}\n"
            "    for s in gb.students:\n"
            "        try:\n"
            f"            out[s.id] = gb.find_submission('{exercise}', s.id).score\n"
            "        except Exception:\n"
            "            out[s.id] = None\n"
            "    print(json.dumps(out))")
    done = subprocess.run([BIN / "python", "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("exercise", nargs="?", default="01_tensors")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    with tempfile.TemporaryDirectory(prefix="bench-class-") as tmp:
        root = Path(tmp)
        roster = build_class(args.exercise, args.students, root)
        ours_s, ours_mb, ours = timed([BIN / "course", "grade-all", str(root / "submitted"), "--out",
                                       str(root / "ours"), "--jobs", str(args.jobs)], env)
        book = json.loads((root / "ours" / "gradebook.json").read_text())
        our_scores = {s["student"]: s["score"] for s in book["submissions"]}
        (root / "source" / args.exercise).mkdir(parents=True)
        shutil.copy(SOLUTIONS / f"{args.exercise}.ipynb", root / "source" / args.exercise)
        common = [f"--CourseDirectory.root={root}", "--log-level=ERROR"]
        subprocess.run([BIN / "nbgrader", "generate_assignment", args.exercise, "--force", *common],
                       env=env, check=True, capture_output=True)
        theirs_s, theirs_mb, theirs = timed([BIN / "nbgrader", "autograde", args.exercise, "--force", *common], env)
        their_scores = nbgrader_scores(root, args.exercise, env)
    print(f"class: {args.students} submissions of {args.exercise} "
          f"(max {book['submissions'][0]['max_score']:g} points; release in {EXERCISES.name}/)")
    print(f"course grade-all --jobs {args.jobs}: {ours_s:.1f} s, peak {ours_mb:.0f} MB, exit {ours.returncode}")
    print(f"nbgrader autograde:        {theirs_s:.1f} s, peak {theirs_mb:.0f} MB, exit {theirs.returncode}")
    print("\n| student | kind | course grade-all | nbgrader autograde |\n| --- | --- | --- | --- |")
    for student, kind in roster.items():
        print(f"| {student} | {kind} | {our_scores.get(student)} | {their_scores.get(student)} |")


if __name__ == "__main__":
    main()
