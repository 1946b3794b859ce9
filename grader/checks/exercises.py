"""X6xx: exercises/ is exactly what solutions/ releases (nbgrader's pipeline, no hand edits)."""

from __future__ import annotations

from pathlib import Path

from nbformat import NotebookNode

from grader.assignments import release_notebook
from grader.checks import finding
from grader.models import Finding
from grader.nbio import dumps
from grader.paths import kind_of, sibling


def check_exercises(nb: NotebookNode, path: Path) -> list[Finding]:  # noqa: ARG001 - every check takes (nb, path)
    """For a solution: its release exists and matches; for an exercise: its solution exists."""
    kind = kind_of(path)
    if kind == "exercise" and not sibling(path, "solutions").exists():
        return [finding("X603", path)]
    if kind != "solution":
        return []
    released = sibling(path, "exercises")  # beside this solutions/ folder, not necessarily the repository's
    if not released.exists():
        return [finding("X602", path)]
    try:
        expected = dumps(release_notebook(path))
    except Exception as err:  # noqa: BLE001 - nbgrader's own validation errors become findings
        return [finding("E506", path, problem=str(err).splitlines()[0][:200])]
    if released.read_text(encoding="utf-8") != expected:
        return [finding("X601", released)]
    return []
