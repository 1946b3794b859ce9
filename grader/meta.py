"""Lesson metadata: ``metadata.course`` ⇄ :class:`LessonMeta`, with defaults by notebook kind."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode

from grader.errors import MetadataError
from grader.paths import kind_of, relative
from grader.schemas import problems

#: Whole-notebook wall-clock budgets on the 2-core CI machine (COURSE.md, "Budgets").
DEFAULT_BUDGET_S = {"lesson": 90.0, "solution": 45.0, "exercise": 45.0}


@dataclass(frozen=True)
class LessonMeta:
    """The facts a notebook stores about itself that cannot be derived from it."""

    kernel: str
    budget_s: float
    gpu: str = "none"


def read_meta(nb: NotebookNode, path: Path) -> LessonMeta:
    """Return the notebook's :class:`LessonMeta`.

    ``metadata.course`` is checked against ``grader/schema/course-metadata.json`` (keys, types, ranges,
    ``schema_version``); what it leaves out takes the default of the notebook's kind.

    Args:
        nb: the notebook.
        path: where it lives (decides the default budget).

    Raises:
        MetadataError: a missing kernelspec, or ``metadata.course`` that breaks its schema (every problem named).
    """
    where = relative(path)
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    if not kernel:
        raise MetadataError(where, "kernelspec.name is missing")
    course = dict(nb.metadata.get("course", {}))
    found = problems(course, "course-metadata")
    if found:
        raise MetadataError(where, "metadata.course: " + "; ".join(found))
    return LessonMeta(kernel=kernel, budget_s=float(course.get("budget_s", DEFAULT_BUDGET_S[kind_of(path)])),
                      gpu=course.get("gpu", "none"))
