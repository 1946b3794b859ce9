"""C1xx: sources are clean: no outputs, no execution counts, unique ids, allowlisted metadata."""

from __future__ import annotations

from pathlib import Path

from nbformat import NotebookNode

from grader.checks import finding
from grader.clean import CELL_METADATA, clean_notebook
from grader.models import Finding


def check_cleanliness(nb: NotebookNode, path: Path) -> list[Finding]:
    """Report what ``course clean`` would change, cell by cell."""
    found = []
    seen: set[str] = set()
    for index, cell in enumerate(nb.cells):
        cell_id = cell.get("id")
        where = cell_id or f"#{index}"
        if cell.cell_type == "code" and cell.get("outputs"):
            found.append(finding("C101", path, where))
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            found.append(finding("C102", path, where))
        if not cell_id:
            found.append(finding("C103", path, where))
        elif cell_id in seen:
            found.append(finding("C104", path, where, id=cell_id))
        seen.add(cell_id or "")
        extra = sorted(set(cell.metadata) - CELL_METADATA)
        if extra:
            found.append(finding("C105", path, where, keys=extra))
    if clean_notebook(nb).metadata != nb.metadata:
        found.append(finding("C105", path, None, keys="notebook metadata"))
    return found
