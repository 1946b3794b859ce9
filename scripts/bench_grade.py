"""Time `course grade` against `nbgrader autograde` on the same submission, and compare scores.

    .venvs/main/bin/python scripts/bench_grade.py exercises/01_tensors.ipynb [solutions/01_tensors.ipynb ...]

nbgrader's side is staged as its docs describe (source/, submitted/<student>/<assignment>/) and its
generate_assignment step is not timed: only `nbgrader autograde`, as an instructor would run it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader.paths import ROOT, SOLUTIONS

BIN = Path(sys.executable).parent


def time_course_grade(submission: Path) -> tuple[float, float]:
    start = time.monotonic()
    out = subprocess.run([BIN / "course", "grade", str(submission), "--json"], capture_output=True, text=True)
    return time.monotonic() - start, json.loads(out.stdout)["score"]


def time_nbgrader_autograde(submission: Path) -> tuple[float, float]:
    name = submission.stem
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "source" / name).mkdir(parents=True)
        shutil.copy(SOLUTIONS / f"{name}.ipynb", root / "source" / name)
        (root / "submitted" / "learner" / name).mkdir(parents=True)
        shutil.copy(submission, root / "submitted" / "learner" / name / f"{name}.ipynb")
        common = [f"--CourseDirectory.root={root}", "--log-level=ERROR"]
        quiet = {"check": True, "env": env, "capture_output": True}
        subprocess.run([BIN / "nbgrader", "generate_assignment", name, "--force", *common], **quiet)
        start = time.monotonic()
        subprocess.run([BIN / "nbgrader", "autograde", name, "--force", *common], **quiet)
        seconds = time.monotonic() - start
        grades = subprocess.run([BIN / "python", "-c", (
            "import sys; from nbgrader.api import Gradebook\n"
            f"with Gradebook('sqlite:///{root}/gradebook.db') as gb:\n"
            f"    print(gb.find_submission('{name}', 'learner').score)")],
            capture_output=True, text=True, env=env, check=True)
        return seconds, float(grades.stdout.strip())


if __name__ == "__main__":
    os.chdir(ROOT)
    for arg in sys.argv[1:]:
        path = Path(arg).resolve()
        ours, our_score = time_course_grade(path)
        theirs, their_score = time_nbgrader_autograde(path)
        print(f"{arg}: course grade {ours:.1f} s (score {our_score:g}); "
              f"nbgrader autograde {theirs:.1f} s (score {their_score:g})")
