"""B2xx: markdown cells come in ko/en pairs, Korean first, with the same structure."""

from __future__ import annotations

from pathlib import Path

from nbformat import NotebookNode

from grader.bilingual import differences, has_hangul, prose
from grader.checks import finding
from grader.models import Finding
from grader.translation import language, state

_CODES = {"headings": "B203", "code": "B204", "links": "B205", "math": "B206", "numbers": "B209"}
_STATES = {"unconfirmed": "B210", "drifted": "B211"}


def check_pairing(nb: NotebookNode, path: Path) -> list[Finding]:
    """Check tags, order, twin structure and the script of each language."""
    found = []
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    for cell in markdown:
        langs = [t for t in cell.metadata.get("tags", []) if t in ("ko", "en")]
        if len(langs) != 1:
            found.append(finding("B201", path, cell.get("id")))
        elif langs == ["ko"] and not has_hangul(prose(cell.source)):
            found.append(finding("B207", path, cell.get("id")))
        elif langs == ["en"] and has_hangul(prose(cell.source)):
            sample = next(line for line in prose(cell.source).splitlines() if has_hangul(line))
            found.append(finding("B208", path, cell.get("id"), sample=sample.strip()[:60]))
    cells = nb.cells
    index = 0
    while index < len(cells):
        cell = cells[index]
        lang = language(cell)
        if lang == "ko":
            twin = cells[index + 1] if index + 1 < len(cells) else None
            if twin is None or language(twin) != "en":
                found.append(finding("B202", path, cell.get("id"), lang="ko"))
            else:
                found += [finding(_CODES[part], path, twin.get("id"), detail=detail)
                          for part, detail in differences(cell.source, twin.source)]
                if (status := state(cell, twin)) in _STATES:
                    found.append(finding(_STATES[status], path, cell.get("id")))
                index += 1
        elif lang == "en":
            found.append(finding("B202", path, cell.get("id"), lang="en"))
        index += 1
    return found

