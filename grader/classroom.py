"""Grade a whole class: find every submission, grade several at once, write a gradebook.

Where submissions are found (``folder`` is the argument of ``course grade-all``):

* **nbgrader's layout**: ``submitted/<student>/<assignment>/<assignment>.ipynb``. `folder` may be
  the ``submitted`` folder itself or its parent (the nbgrader course root). When an assignment
  folder holds no ``<assignment>.ipynb`` but exactly one other notebook, that one is graded.
  Every student gets a row for every assignment seen in the class (or for ``assignment`` only,
  when given): a student with no folder for it gets status ``missing``.
* **a flat folder of notebooks** (used when `folder` holds ``*.ipynb`` files directly):
  ``<student>__<assignment>.ipynb`` (two underscores; the last ``__`` splits, so assignment names
  never contain ``__``), or ``<student>.ipynb`` for the exercise named by ``assignment``. Without
  ``assignment``, a ``<student>.ipynb`` is matched to its exercise by the grade ids it contains.

Names starting with ``.`` (``.ipynb_checkpoints``, editor files) are ignored; so are files that do
not end in ``.ipynb`` in a flat folder and anything in nbgrader's layout outside the assignment
folders.

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

import csv
import io
import json
import os
import re
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader import messages
from grader.errors import CourseError, UsageError
from grader.models import CellScore, GradeResult
from grader.nbio import write_atomic
from grader.paths import SOLUTIONS

#: The first columns of gradebook.csv; one column per graded part (its grade_id) follows.
BASE_COLUMNS = ("student", "assignment", "score", "max_score", "status", "seconds", "errors")
#: In a flat folder, ``<student>__<assignment>.ipynb``.
FLAT_SEPARATOR = "__"
#: What replaces an assignment that could not be determined (flat layout without ``assignment``).
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Submission:
    """One row of the gradebook: a student's grade for one assignment."""

    student: str
    assignment: str
    path: str
    """The submission as found (the folder given, then the rest of its path)."""
    status: str
    """``graded``, ``unreadable``, ``error`` or ``missing``."""
    score: float
    max_score: float
    seconds: float
    errors: list[str]
    """Bilingual texts, as in :class:`grader.models.GradeResult`."""
    cells: list[CellScore] = field(default_factory=list)
    feedback: str | None = None
    """The feedback page, relative to the output folder (None if it could not be written)."""
    notebook: tuple[dict[str, Any], ...] = field(default=(), repr=False, compare=False)
    """The notebook as graded, for the feedback page only (:attr:`GradeResult.notebook`); not in the gradebook."""

    @property
    def points(self) -> dict[str, float]:
        """Return grade_id -> points earned."""
        return {c.grade_id: c.points for c in self.cells}

    def to_dict(self) -> dict[str, Any]:
        """Return the record of gradebook.json's ``submissions``."""
        return {
            "student": self.student, "assignment": self.assignment, "score": self.score,
            "max_score": self.max_score, "status": self.status, "seconds": self.seconds,
            "errors": list(self.errors), **self.points, "path": self.path, "feedback": self.feedback,
            "cells": [c.to_dict() for c in self.cells],
        }

    def as_grade(self) -> GradeResult:
        """Return the record as a GradeResult (what the feedback page is made from)."""
        return GradeResult(path=self.path, assignment=self.assignment, score=self.score, max_score=self.max_score,
                           cells=list(self.cells), errors=list(self.errors), seconds=self.seconds,
                           status="unreadable" if self.status == "unreadable" else "graded", notebook=self.notebook)


@dataclass(frozen=True)
class _Found:
    """A submission found in the class folder, before grading."""

    student: str
    assignment: str | None
    path: Path | None
    problem: str | None = None
    """Set when it cannot be graded: ``missing``, ``not_file`` or ``duplicate``."""


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

    def one(item: _Found) -> Submission:
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


def find_submissions(folder: Path, *, assignment: str | None = None) -> list[_Found]:
    """Return the submissions in `folder` (either layout, see the module's docstring), sorted."""
    if (folder / "submitted").is_dir():
        return _nbgrader_layout(folder / "submitted", assignment)
    if any(p.suffix == ".ipynb" and not p.name.startswith(".") for p in folder.iterdir()):
        return _flat_layout(folder, assignment)
    return _nbgrader_layout(folder, assignment)


def _visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _nbgrader_layout(root: Path, assignment: str | None) -> list[_Found]:
    students = [p for p in _visible(root) if p.is_dir()]
    names = {assignment} if assignment else {a.name for s in students for a in _visible(s) if a.is_dir()}
    found = []
    for student in students:
        for name in sorted(names):
            folder = student / name
            notebook = folder / f"{name}.ipynb"
            if not notebook.exists() and not notebook.is_symlink() and folder.is_dir():
                others = [p for p in _visible(folder) if p.suffix == ".ipynb"]
                notebook = others[0] if len(others) == 1 else notebook
            if not notebook.exists() and not notebook.is_symlink():
                found.append(_Found(student.name, name, notebook, problem="missing"))
            else:
                found.append(_Found(student.name, name, notebook, problem=None if notebook.is_file() else "not_file"))
    return found


def _flat_layout(folder: Path, assignment: str | None) -> list[_Found]:
    found: list[_Found] = []
    seen: set[tuple[str, str | None]] = set()
    for path in _visible(folder):
        if path.suffix != ".ipynb":
            continue
        student, sep, name = path.stem.rpartition(FLAT_SEPARATOR)
        if not sep or not student:
            student, name = path.stem, assignment
        if assignment and name != assignment:
            continue
        key = (student, name)
        problem = "duplicate" if key in seen and name else (None if path.is_file() else "not_file")
        seen.add(key)
        found.append(_Found(student, name or None, path, problem=problem))
    return found


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


def _grade_one(item: _Found, *, solutions: Path, parts: dict[str, dict[str, float]], **kwargs: Any) -> Submission:
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
    ko, en = messages.MESSAGES["gradeall.failed"]
    why_ko, why_en = messages.MESSAGES[err.key]
    return f"{ko.format(error=why_ko.format(**err.params))}\n{en.format(error=why_en.format(**err.params))}"


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


def part_columns(records: list[Submission]) -> list[str]:
    """Return the graded parts' grade ids in the order they first appear."""
    return list(dict.fromkeys(c.grade_id for r in records for c in r.cells))


def _csv_text(value: str) -> str:
    """Keep spreadsheets from reading a text cell as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def gradebook_rows(records: list[Submission]) -> tuple[list[str], list[dict[str, str]]]:
    """Return the CSV header and rows: BASE_COLUMNS, then one column per part with its points."""
    columns = [*BASE_COLUMNS, *(c for c in part_columns(records) if c not in BASE_COLUMNS)]
    rows = []
    for r in records:
        row = {"student": _csv_text(r.student), "assignment": _csv_text(r.assignment), "score": f"{r.score:g}",
               "max_score": f"{r.max_score:g}", "status": r.status, "seconds": f"{r.seconds:g}",
               "errors": _csv_text("\n\n".join(r.errors))}
        for grade_id, points in r.points.items():
            if grade_id not in BASE_COLUMNS:
                row[grade_id] = f"{points:g}"
        rows.append(row)
    return columns, rows


def write_gradebook(records: list[Submission], out: Path, *, seconds: float = 0.0) -> tuple[Path, Path]:
    """Write ``out/gradebook.csv`` and ``out/gradebook.json``; return their paths.

    gradebook.json holds ``columns`` (the CSV's), ``max_points`` (assignment -> grade_id -> the
    part's points), ``submissions`` (each record: the CSV's keys with ``errors`` as a list and
    numbers as numbers, plus ``path``, ``feedback`` and ``cells``) and ``seconds``.
    """
    columns, rows = gradebook_rows(records)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    max_points: dict[str, dict[str, float]] = {}
    for r in records:
        for c in r.cells:
            max_points.setdefault(r.assignment, {})[c.grade_id] = c.max_points
    book = {"schema_version": 1, "columns": columns, "max_points": max_points,
            "submissions": [r.to_dict() for r in records], "seconds": round(seconds, 2)}
    csv_path, json_path = out / "gradebook.csv", out / "gradebook.json"
    write_atomic(csv_path, buffer.getvalue())
    write_atomic(json_path, json.dumps(book, indent=1, ensure_ascii=False) + "\n")
    return csv_path, json_path


def _printable(text: str) -> str:
    """Replace control characters (a file name may hold escape sequences) for the terminal."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def _width(text: str) -> int:
    """Return how many terminal columns `text` takes (Hangul and other wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _left(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_class_table(records: list[Submission], *, seconds: float | None = None) -> str:
    """Return the bilingual one-line-per-student table ``course grade-all`` prints.

    Args:
        records: the grades.
        seconds: the run's wall-clock time for the summary line (default: the grades' total).
    """
    head = [messages.one_line(f"gradeall.col.{k}") for k in ("student", "assignment", "score", "status")]
    rows = [[_printable(r.student), _printable(r.assignment), f"{r.score:g} / {r.max_score:g}",
             messages.one_line(f"gradeall.status.{r.status}")] for r in records]
    widths = [max(_width(row[i]) for row in [head, *rows]) for i in range(3)]
    lines = ["  ".join([_left(row[0], widths[0]), _left(row[1], widths[1]),
                        " " * (widths[2] - _width(row[2])) + row[2], row[3]]) for row in [head, *rows]]
    counts = {s: sum(r.status == s for r in records) for s in ("graded", "unreadable", "error", "missing")}
    total_s = sum(r.seconds for r in records) if seconds is None else seconds
    lines += ["", messages.one_line("gradeall.summary", total=len(records), seconds=total_s, **counts)]
    return "\n".join(lines)
