"""Grade the cheating answers of tests/integration/test_judge.py on real exercises, ours and nbgrader's side by side.

    .venvs/main/bin/python scripts/attack_table.py [EXERCISE ...] [--no-nbgrader]

For each exercise (default 00_setup 01_tensors 05_training 13_scaling) it writes one submission per
attack class into nbgrader's `submitted/<student>/<assignment>/` layout, grades the class with
`course grade-all` and with `nbgrader autograde` in the same run, and prints a markdown table of the
scores (and our status per part). Every attack is written into the released notebook's answer cells
(the first, or every one), so an honest score is 0: whatever an attack scores, it scored without
solving anything.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_class import BIN, nbgrader_scores  # noqa: E402

from grader.assignments import release_notebook  # noqa: E402
from grader.paths import SOLUTIONS  # noqa: E402

NOOP = "lambda *args, **kwargs: None"
HELPERS = ("check", "check_equal", "check_close", "check_shape", "check_dtype", "check_type", "visible_checks_passed")


def attacks(exercise: str, names: list[str]) -> dict[str, tuple[str, str]]:
    """Attack class -> (the first answer cell's text, every answer cell's text after it)."""
    mocks = "from unittest.mock import MagicMock\n" + "\n".join(
        f"{name} = lambda *args, **kwargs: MagicMock()" for name in names)
    noop_helpers = " = ".join(HELPERS) + f" = {NOOP}"
    from_git = (f"import json, subprocess\n_nb = json.loads(subprocess.run(['git', '-C', {str(ROOT)!r}, 'show', "
                f"'HEAD:solutions/{exercise}.ipynb'], capture_output=True, text=True).stdout or '{{}}')\n"
                "for _c in _nb.get('cells', []):\n    if _c['metadata'].get('nbgrader', {}).get('solution'):\n"
                "        exec(''.join(_c['source']))")
    return {
        "swallow errors (IPython custom exception handler)":
            (f"get_ipython().set_custom_exc((BaseException,), {NOOP})", ""),
        "rewrite later cells (IPython input transformer)":
            ("get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])", ""),
        "rebind the check helpers + mock answers": (noop_helpers, mocks),
        "patch grader.asserts + mock answers":
            (f"import grader.asserts as _a\nfor _n in {HELPERS!r}:\n    setattr(_a, _n, {NOOP})", mocks),
        "patch the helpers through gc + mock answers":
            (f"import gc\nfor _o in gc.get_objects():\n    if type(_o) is dict and 'visible_checks_passed' in _o:\n"
             f"        for _n in {HELPERS!r}:\n            if _n in _o:\n                _o[_n] = {NOOP}", mocks),
        "copy the solution from git history": ("", from_git),
        "exit before the tests (os._exit)": ("import os\nos._exit(0)", ""),
    }


def defined_names(exercise: str) -> list[str]:
    """The functions and classes the exercise's answer cells define."""
    names = []
    for cell in nbformat.read(SOLUTIONS / f"{exercise}.ipynb", 4).cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            tree = ast.parse(cell.source)
            names += [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    return names


def build(root: Path, exercise: str) -> dict[str, str]:
    release = release_notebook(SOLUTIONS / f"{exercise}.ipynb")
    roster = {}
    for number, (kind, (first, every)) in enumerate(attacks(exercise, defined_names(exercise)).items(), 1):
        student = f"a{number:02d}"
        nb = nbformat.from_dict(json.loads(json.dumps(release)))
        answers = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
        for position, cell in enumerate(answers):
            text = "\n".join(part for part in (first if position == 0 else "", every) if part)
            cell.source = text or cell.source
        folder = root / "submitted" / student / exercise
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{exercise}.ipynb")
        roster[student] = kind
    return roster


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("exercises", nargs="*", default=["00_setup", "01_tensors", "05_training", "13_scaling"])
    parser.add_argument("--no-nbgrader", action="store_true")
    args = parser.parse_args()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT)}
    print("| exercise | attack | course grade | statuses | nbgrader autograde |\n| --- | --- | --- | --- | --- |")
    for exercise in args.exercises:
        with tempfile.TemporaryDirectory(prefix="attack-table-") as tmp:
            root = Path(tmp)
            roster = build(root, exercise)
            subprocess.run([sys.executable, "-m", "grader", "grade-all", str(root / "submitted"), "--out",
                            str(root / "ours"), "--jobs", "2"], env=env, cwd=ROOT, capture_output=True)
            book = json.loads((root / "ours" / "gradebook.json").read_text())
            ours = {s["student"]: s for s in book["submissions"]}
            theirs: dict = {}
            if not args.no_nbgrader:
                (root / "source" / exercise).mkdir(parents=True)
                shutil.copy(SOLUTIONS / f"{exercise}.ipynb", root / "source" / exercise)
                common = [f"--CourseDirectory.root={root}", "--log-level=ERROR"]
                subprocess.run([BIN / "nbgrader", "generate_assignment", exercise, "--force", *common],
                               env=env, check=True, capture_output=True)
                subprocess.run([BIN / "nbgrader", "autograde", exercise, "--force", *common], env=env,
                               capture_output=True)
                theirs = nbgrader_scores(root, exercise, env)
            for student, kind in roster.items():
                mine = ours.get(student, {})
                statuses = sorted({c["status"] for c in mine.get("cells", [])})
                print(f"| {exercise} | {kind} | {mine.get('score')} / {mine.get('max_score')} | "
                      f"{', '.join(statuses)} | {theirs.get(student, '-')} |")


if __name__ == "__main__":
    main()
