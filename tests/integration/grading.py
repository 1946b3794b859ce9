"""What the grading tests share: submitting a notebook, grading it (and proving the file is untouched),
putting an answer into a cell, and reading the points. The ``course`` fixture is in conftest.py."""

from __future__ import annotations

import hashlib
import time

import nbformat

from grader.grade import grade_notebook
from grader.mutations import with_answers

#: The demo exercise's budget: short, so a runaway answer is stopped quickly.
BUDGET_S = 12


def submit(tmp_path, nb_or_bytes, name="99_demo.ipynb"):
    path = tmp_path / "submitted" / name
    path.parent.mkdir(exist_ok=True)
    if isinstance(nb_or_bytes, bytes):
        path.write_bytes(nb_or_bytes)
    else:
        nbformat.write(nb_or_bytes, path)
    return path


def grade(path, solutions, **kw):
    """Grade and also prove the promise: the submitted file is byte-identical afterwards."""
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    start = time.monotonic()
    result = grade_notebook(path, solutions=solutions, cell_timeout_s=3, **kw)
    assert time.monotonic() - start < BUDGET_S + 15
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    return result


def answer_cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def grade_answer(tmp_path, course, grade_id, source):
    """Grade the demo solution with the answer cell `grade_id` replaced by `source`."""
    solutions, solution, _ = course
    return grade(submit(tmp_path, with_answers(nbformat.read(solution, 4), {grade_id: source})), solutions)


def points(result):
    return {c.grade_id: c.points for c in result.cells}
