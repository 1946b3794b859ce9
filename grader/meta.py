"""Lesson metadata: ``metadata.course`` ⇄ :class:`LessonMeta`, with defaults by notebook kind."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbformat import NotebookNode

from grader.errors import MetadataError
from grader.paths import kind_of, relative

SCHEMA_VERSION = 1
#: Whole-notebook wall-clock budgets on the 2-core CI machine (COURSE.md, "Budgets").
DEFAULT_BUDGET_S = {"lesson": 90.0, "solution": 45.0, "exercise": 45.0}
GPU_VALUES = ("none", "optional")
_KEYS = {"schema_version", "budget_s", "gpu"}


@dataclass(frozen=True)
class LessonMeta:
    """The facts a notebook stores about itself that cannot be derived from it."""

    kernel: str
    budget_s: float
    gpu: str = "optional"


def _upgrade(course: dict[str, Any]) -> dict[str, Any]:
    """Bring ``metadata.course`` to :data:`SCHEMA_VERSION` (one step per version, none yet)."""
    return course


def read_meta(nb: NotebookNode, path: Path) -> LessonMeta:
    """Return the notebook's :class:`LessonMeta`.

    Args:
        nb: the notebook.
        path: where it lives (decides the default budget).

    Raises:
        MetadataError: a missing kernelspec, unknown keys under ``course``, or bad values.
    """
    where = relative(path)
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    if not kernel:
        raise MetadataError(where, "kernelspec.name is missing")
    course = _upgrade(dict(nb.metadata.get("course", {})))
    unknown = set(course) - _KEYS
    if unknown:
        raise MetadataError(where, f"unknown keys under metadata.course: {sorted(unknown)}")
    if course.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
        raise MetadataError(where, f"schema_version must be {SCHEMA_VERSION}")
    budget = course.get("budget_s", DEFAULT_BUDGET_S[kind_of(path)])
    if not isinstance(budget, int | float) or isinstance(budget, bool) or not 0 < budget <= 3600:
        raise MetadataError(where, f"budget_s must be a number of seconds in (0, 3600], got {budget!r}")
    gpu = course.get("gpu", "optional")
    if gpu not in GPU_VALUES:
        raise MetadataError(where, f"gpu must be one of {GPU_VALUES}, got {gpu!r}")
    return LessonMeta(kernel=kernel, budget_s=float(budget), gpu=gpu)
