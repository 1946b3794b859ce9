"""Parametrisation over the real course: one test id per notebook."""

from __future__ import annotations

from grader.paths import LINTED, NOTEBOOKS, RUNNABLE, SOLUTIONS, discover

ALL = discover(LINTED)
RUNNABLE_NOTEBOOKS = discover(RUNNABLE)
SOLUTION_NOTEBOOKS = discover((SOLUTIONS,))
LESSONS = discover((NOTEBOOKS,))


def nb_id(path) -> str:
    return f"{path.parent.name}/{path.stem}"
