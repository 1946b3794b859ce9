"""Grade a whole class: find every submission, grade several at once, write a gradebook.

Where submissions are found and in which layouts: :mod:`grader.submissions`.

Each submission is graded by :func:`grader.grade.grade_notebook` (its own kernel process and
temporary folder), ``jobs`` at a time. Nothing one submission does stops or changes another's
record: any exception while grading it becomes that student's record with status ``error`` and a
bilingual message. Statuses: ``graded``, ``unreadable`` (not a notebook, or not a regular file),
``error`` (grading itself failed), ``missing``.

Written, only under `out` (created): ``gradebook.csv``, ``gradebook.json`` and
``feedback/<student>/<assignment>.html``. The submissions are only read.
One caveat that is grader.grade's, not ours: the gradebook version of each solution is cached
under the course's ``build/.cache/gradebook`` (:func:`grader.assignments.gradebook_notebook`).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from grader import messages
from grader.errors import CourseError, UsageError
from grader.gradebook import write_gradebook
from grader.models import CellScore, Submission
from grader.nbio import write_atomic
from grader.paths import SOLUTIONS
from grader.submissions import Found, find_submissions

#: What replaces an assignment that could not be determined (flat layout without ``assignment``).
UNKNOWN = "unknown"


def grade_all(folder: Path, *, out: Path, jobs: int | None = None, solutions: Path = SOLUTIONS,
              assignment: str | None = None, cell_timeout_s: float | None = None,
              progress: Callable[[Submission], None] | None = None) -> list[Submission]:
    """Grade every submission in `folder`; write the gradebook and feedback pages under `out`.

    Args:
        folder: nbgrader's ``submitted`` folder (or its parent), or a flat folder of notebooks.
        out: where ``gradebook.csv``, ``gradebook.json`` and ``feedback/`` go (created). It may not
            lie inside `folder`.
        jobs: submissions graded at once (default: half the cores, at least 1).
        solutions: the folder of nbgrader source notebooks.
        assignment: grade only this exercise (and name it, for a flat folder of ``<student>.ipynb``).
        cell_timeout_s: the longest one cell may run (default: grader.grade's).
        progress: called with each record as soon as it is graded (from a worker thread).

    Returns:
        One record per student and assignment, sorted by student then assignment.

    Raises:
        UsageError: `folder` or `solutions` does not exist, `folder` holds no submissions, `out`
            is inside `folder`, or `jobs` < 1.
    """
    start = time.monotonic()
    folder, out, solutions = Path(folder), Path(out), Path(solutions)
    if not folder.is_dir():
        raise UsageError("gradeall.no_folder", path=folder)
    if not solutions.is_dir():
        raise UsageError("gradeall.no_solutions", path=solutions)
    if jobs is not None and jobs < 1:
        raise UsageError("gradeall.bad_jobs", jobs=jobs)
    if out.resolve().is_relative_to(folder.resolve()):
        raise UsageError("gradeall.out_inside", out=out, folder=folder)
    found = find_submissions(folder, assignment=assignment)
    if not found:
        raise UsageError("gradeall.empty", path=folder)
    parts = _warm(solutions, {f.assignment for f in found})
    kwargs: dict[str, Any] = {"hidden": (folder.resolve(),)}  # no peeking at classmates' notebooks
    if cell_timeout_s is not None:
        kwargs["cell_timeout_s"] = cell_timeout_s

    def one(item: Found) -> Submission:
        try:
            record = _grade_one(item, solutions=solutions, parts=parts, **kwargs)
        except Exception as err:  # noqa: BLE001 - a bug of ours still leaves the student a row
            record = Submission(student=item.student, assignment=item.assignment or UNKNOWN, path=str(item.path),
                                status="error", score=0.0, max_score=0.0, seconds=0.0,
                                errors=[messages.format("gradeall.failed", error=f"{type(err).__name__}: {err}")])
        if progress is not None:
            try:
                progress(record)
            except Exception:  # noqa: BLE001, S110 - a broken progress printer never costs a grade
                pass
        return record

    workers = jobs or max(1, (os.cpu_count() or 2) // 2)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grade-all") as pool:
        records = list(pool.map(one, found))
    records = _with_feedback(records, out)
    write_gradebook(records, out, seconds=time.monotonic() - start)
    return records


def _warm(solutions: Path, names: set[str | None]) -> dict[str, dict[str, float]]:
    """Build the gradebook and release versions of each exercise once, before grading starts; return its parts.

    Threads then only read the cache, and ``import nbgrader`` is paid once.
    """
    from grader.assignments import CACHE, gradebook_notebook, release_notebook
    from grader.prepare import test_parts

    paths = [solutions / f"{n}.ipynb" for n in names if n]
    if None in names:  # some exercise is only known from its grade ids: any solution may be needed
        paths += sorted(solutions.glob("*.ipynb"))
    parts = {}
    for path in dict.fromkeys(paths):
        if path.is_file():
            try:
                parts[path.stem] = test_parts(gradebook_notebook(path))
                release_notebook(path, cache=CACHE)  # what tampering is measured against
            except Exception:  # noqa: BLE001, S112 - that exercise's submissions will say why
                continue
    return parts


def _grade_one(item: Found, *, solutions: Path, parts: dict[str, dict[str, float]], **kwargs: Any) -> Submission:
    """Grade one submission; never raise: whatever goes wrong becomes its record."""
    from grader.grade import grade_notebook

    start = time.monotonic()
    name = item.assignment or UNKNOWN

    def unscored(status: str, error: str) -> Submission:
        cells = [CellScore(g, 0.0, p, "not_run") for g, p in parts.get(name, {}).items()]
        return Submission(student=item.student, assignment=name, path=str(item.path), status=status, score=0.0,
                          max_score=sum(c.max_points for c in cells), seconds=round(time.monotonic() - start, 2),
                          errors=[error], cells=cells)

    if item.problem == "missing":
        return unscored("missing", messages.format("gradeall.missing", path=item.path))
    if item.problem == "not_file":
        return unscored("unreadable", messages.format("gradeall.not_file", path=item.path))
    if item.problem == "duplicate":
        return unscored("error", messages.format("gradeall.duplicate", path=item.path))
    try:
        result = grade_notebook(item.path, assignment=item.assignment, solutions=solutions, **kwargs)
    except CourseError as err:
        return unscored("error", _failed(err))
    except Exception as err:  # noqa: BLE001 - one submission never stops the others
        return unscored("error", messages.format("gradeall.failed", error=f"{type(err).__name__}: {err}"[:500]))
    return Submission(student=item.student, assignment=result.assignment, path=str(item.path), status=result.status,
                      score=result.score, max_score=result.max_score, seconds=result.seconds,
                      errors=list(result.errors), cells=list(result.cells), notebook=result.notebook)


def _failed(err: CourseError) -> str:
    """Return "grading failed: <why>" with the Korean reason on the Korean line, the English on the English."""
    return messages.format("gradeall.failed", error=messages.sides(err.key, **err.params))


_UNSAFE = re.compile(r"[^\w.-]")


def safe_name(name: str) -> str:
    """Return `name` usable as one path component: no separators, no leading dot, never empty."""
    return _UNSAFE.sub("_", name).lstrip(".")[:100] or "_"


def _with_feedback(records: list[Submission], out: Path) -> list[Submission]:
    """Write each record's feedback page under ``out/feedback``; return the records with its path."""
    from dataclasses import replace

    from grader.feedback import feedback_html

    done = []
    taken: set[str] = set()
    for record in records:
        stem = f"feedback/{safe_name(record.student)}/{safe_name(record.assignment)}"
        relative, n = f"{stem}.html", 1
        while relative.lower() in taken:  # two names that map to one file (or a duplicate): keep both
            n += 1
            relative = f"{stem}-{n}.html"
        taken.add(relative.lower())
        try:
            page = feedback_html(record.as_grade(), record.student, status=record.status)
            write_atomic(out / relative, page)
        except Exception as err:  # noqa: BLE001 - the gradebook row matters more than its page
            error = messages.format("gradeall.feedback_failed", error=f"{type(err).__name__}: {err}"[:300])
            done.append(replace(record, errors=[*record.errors, error]))
            continue
        done.append(replace(record, feedback=relative))
    return done
