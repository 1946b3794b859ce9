"""Translation drift: each Korean cell records which version of its English twin it translates.

``course confirm`` writes ``metadata.course.translates`` (a short hash of the English source) into
each Korean cell whose pair has the same structure; ``course check`` then reports a pair whose
English changed since (B211) or that was never confirmed (B210). Editing only the Korean keeps the
confirmation: the translator owns that side.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from nbformat import NotebookNode

from grader.bilingual import differences
from grader.nbio import dumps, read_notebook, write_notebook

KEY = "translates"


def language(cell: NotebookNode) -> str | None:
    """``"ko"``, ``"en"`` or None: the language tag of a markdown cell."""
    if cell.cell_type != "markdown":
        return None
    tags = cell.metadata.get("tags", [])
    return "ko" if "ko" in tags else "en" if "en" in tags else None


def twins(cells: list[NotebookNode]) -> Iterator[tuple[NotebookNode, NotebookNode]]:
    """Yield each ``(ko, en)`` pair: a Korean cell directly followed by an English one."""
    for first, second in zip(cells, cells[1:], strict=False):
        if language(first) == "ko" and language(second) == "en":
            yield first, second


def fingerprint(english: str) -> str:
    """A short hash of an English source, blind to trailing whitespace on lines and at the end."""
    text = "\n".join(line.rstrip() for line in english.strip().splitlines())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def state(ko: NotebookNode, en: NotebookNode) -> str:
    """``"confirmed"``, ``"unconfirmed"`` or ``"drifted"`` (the English changed since)."""
    recorded = ko.metadata.get("course", {}).get(KEY)
    if recorded is None:
        return "unconfirmed"
    return "confirmed" if recorded == fingerprint(en.source) else "drifted"


def confirm(path: Path) -> tuple[int, list[str]]:
    """Record the English fingerprint in every structurally matching pair of `path`.

    Returns how many pairs are confirmed now and the ids of the Korean cells left unconfirmed
    because their pair differs in structure (fix those first; ``course check`` names them).
    """
    nb = read_notebook(path)
    before = dumps(nb)
    confirmed, refused = 0, []
    for ko, en in twins(nb.cells):
        if differences(ko.source, en.source):
            refused.append(ko.get("id"))
            continue
        ko.metadata.setdefault("course", {})[KEY] = fingerprint(en.source)
        confirmed += 1
    if dumps(nb) != before:
        write_notebook(nb, path)
    return confirmed, refused
