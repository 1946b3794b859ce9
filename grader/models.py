"""The records passed between stages, and the JSON contracts they serialize to (COURSE.md).

``build/report.json`` is a list of :meth:`RunResult.to_dict`; ``course grade --json`` prints
:meth:`GradeResult.to_dict`; gradebook.json's ``submissions`` are :meth:`Submission.to_dict`. All are
defined here and nowhere else; each contract is written down as a JSON Schema in grader/schema/
(run-report, grade-result, gradebook), which the tests hold the real outputs to.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

RunStatus = Literal["ok", "failed", "timeout", "skipped"]
CellStatus = Literal["passed", "failed", "not_run", "tampered"]
#: ``unreadable``: the file was not a notebook, so nothing ran (the score is 0).
GradeStatus = Literal["graded", "unreadable"]
#: A gradebook row's status (grader.classroom): graded, or why it could not be.
SubmissionStatus = Literal["graded", "unreadable", "error", "missing"]


@dataclass(frozen=True)
class RunResult:
    """What happened when one notebook was executed."""

    path: str
    """The source notebook, relative to the repository root."""
    kernel: str
    """The kernel it ran in."""
    status: RunStatus
    seconds: float
    """Wall-clock seconds, kernel start included."""
    budget_s: float
    """The notebook's time budget."""
    peak_rss_mb: float
    """Peak resident memory of the kernel and its children, sampled every 0.2 s."""
    error: str | None = None
    """What went wrong (bilingual where the tool wrote it), or None."""
    output: str | None = None
    """The executed copy under build/, relative to the repository root."""
    warnings: list[str] = field(default_factory=list)
    """DeprecationWarning / FutureWarning lines found in the executed outputs."""
    slowest_cells: list[dict[str, Any]] = field(default_factory=list)
    """The three slowest cells: ``{"index", "id", "seconds"}`` from papermill's metadata."""

    def to_dict(self) -> dict[str, Any]:
        """Return the report.json record."""
        return asdict(self)


@dataclass(frozen=True)
class CellScore:
    """The score of one graded cell."""

    grade_id: str
    points: float
    max_points: float
    status: CellStatus

    def to_dict(self) -> dict[str, Any]:
        """Return the ``cells`` entry of ``course grade --json``."""
        return asdict(self)


@dataclass(frozen=True)
class GradeResult:
    """The grade of one submission."""

    path: str
    assignment: str
    score: float
    max_score: float
    cells: list[CellScore]
    errors: list[str]
    """Bilingual texts: what could not run or was repaired, and each failing test's error."""
    seconds: float
    status: GradeStatus = "graded"
    notebook: tuple[dict[str, Any], ...] = field(default=(), repr=False, compare=False)
    """The notebook as graded, for the feedback page: :func:`grader.verdicts.graded_view`'s cells (the
    learner's cells and the visible tests, with their outputs; never a hidden test). Not in the JSON."""

    def to_dict(self) -> dict[str, Any]:
        """Return the object ``course grade --json`` prints."""
        record = {k: v for k, v in asdict(self).items() if k != "notebook"}
        record["cells"] = [c.to_dict() for c in self.cells]
        return record


@dataclass(frozen=True)
class Finding:
    """One problem found by ``course check``: a stable code, where, and a bilingual message."""

    code: str
    path: str
    cell: str | None
    message: str

    def __str__(self) -> str:
        """Return ``path[:cell]: CODE message`` (one line per language)."""
        where = f"{self.path}:{self.cell}" if self.cell else self.path
        return f"{where}: {self.code} {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the finding."""
        return asdict(self)


@dataclass(frozen=True)
class Submission:
    """One row of the gradebook: a student's grade for one assignment."""

    student: str
    assignment: str
    path: str
    """The submission as found (the folder given, then the rest of its path)."""
    status: SubmissionStatus
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
