"""Grade ONE submission: the steps in order, each in a module of its own.

This is nbgrader's autograde, done without a gradebook database:

1. :mod:`grader.prepare`: read the submission, find its exercise, restore the protected cells (tests
   and locked cells) from :func:`grader.assignments.gradebook_notebook`, split off hidden tests;
2. :mod:`grader.judging`: run the cells in :mod:`grader.kernel.judge`, a fresh Python process in the sandbox,
   with a per-cell timeout inside the notebook's budget, and read its signed verdicts;
3. :mod:`grader.verdicts`: each test cell scores its points when the judge saw it run without an error
   and saw no tampering before it; what the learner reads about each failure; the notebook as graded.

See README, "What grading enforces". The submitted file is only read, never written: all work happens
on a private copy in a temporary directory.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from grader import messages
from grader.assignments import CACHE, gradebook_notebook, release_notebook
from grader.budget import CELL_TIMEOUT_S
from grader.judging import grading_folder, run_in_judge
from grader.meta import read_meta
from grader.models import CellScore, GradeResult
from grader.nbio import read_notebook
from grader.paths import SOLUTIONS, relative
from grader.prepare import find_solution, load_submission, restore_protected, setup_cells, split_hidden, test_parts
from grader.tables import table
from grader.verdicts import failure_text, graded_view, part_outcomes


def grade_notebook(path: Path, *, assignment: str | None = None, solutions: Path = SOLUTIONS,
                   cell_timeout_s: float = CELL_TIMEOUT_S, hidden: tuple[Path, ...] = ()) -> GradeResult:
    """Grade the notebook at `path` against its source in `solutions`.

    Args:
        path: the submission; it is read once and never written.
        assignment: the exercise name (``01_tensors``); default: from the file name, else from
            the grade ids it contains.
        solutions: the folder of nbgrader source notebooks.
        cell_timeout_s: the longest one cell may run before it is interrupted.
        hidden: more folders the learner's code must not see (grade-all: the class's submissions);
            `solutions` and the submission's own folder are always hidden where bubblewrap works.

    Returns:
        The grade. Problems that stop grading (not a notebook, kernel failure, time budget)
        are reported in ``errors`` with a score of 0 for what did not run.

    Raises:
        GradingError: the exercise it belongs to cannot be determined.
    """
    start = time.monotonic()
    submission, problem = load_submission(path)
    solution = find_solution(path, submission, assignment, solutions)
    source = gradebook_notebook(solution)
    tests = test_parts(source)
    if submission is None:
        return _result(path, solution, tests, {}, [problem or ""], start, status="unreadable")
    prepared, errors = restore_protected(submission, source, release=release_notebook(solution, cache=CACHE))
    prepared = split_hidden(prepared)
    meta = read_meta(read_notebook(solution), solution)
    with tempfile.TemporaryDirectory(prefix="course-grade-") as tmp:
        workdir = grading_folder(Path(tmp))
        ran, run_errors, tampering = run_in_judge(
            prepared, kernel=meta.kernel, budget_s=meta.budget_s, cwd=workdir, cell_timeout_s=cell_timeout_s,
            hidden=(solutions, path.parent, *hidden), setup=setup_cells(source))
    outcomes = part_outcomes(prepared, ran, tests, tampering)
    errors += run_errors + [failure_text(prepared, grade_id) for grade_id, ok in outcomes.items() if ok is False]
    if tampering:
        parts = [g for g, ok in outcomes.items() if ok == "tampered"]
        errors.insert(0, messages.format("grade.tampered", parts=", ".join(parts) or "-",
                                         what="; ".join(tampering.what[:5])[:500]))
    return _result(path, solution, tests, outcomes, errors, start, notebook=graded_view(prepared))


def _result(path: Path, solution: Path, tests: dict[str, float], outcomes: dict[str, bool | None | str],
            errors: list[str], start: float, status: str = "graded",
            notebook: tuple[dict[str, Any], ...] = ()) -> GradeResult:
    label = {True: "passed", False: "failed", None: "not_run", "tampered": "tampered"}
    cells = [
        CellScore(grade_id=g, points=points if outcomes.get(g) is True else 0.0, max_points=points,
                  status=label[outcomes.get(g)])  # type: ignore[arg-type, index]
        for g, points in tests.items()
    ]
    return GradeResult(
        path=relative(path), assignment=solution.stem, score=sum(c.points for c in cells),
        max_score=sum(tests.values()), cells=cells, errors=errors, seconds=round(time.monotonic() - start, 2),
        status=status, notebook=notebook,  # type: ignore[arg-type]
    )


def format_table(result: GradeResult) -> str:
    """Return the bilingual score table ``course grade`` prints."""
    head = ["grade_id", messages.one_line("grade.col.points"), messages.one_line("grade.col.status")]
    rows = [[c.grade_id, f"{c.points:g} / {c.max_points:g}", messages.one_line(f"grade.status.{c.status}")]
            for c in result.cells]
    lines = [messages.one_line("grade.header", path=result.path), "", table(head, rows, ("left", "right", "left")),
             "", messages.one_line("grade.total", score=result.score, max_score=result.max_score)]
    for error in result.errors:
        lines += ["", *("  " + line for line in error.splitlines())]
    return "\n".join(lines)
