"""Read and write notebooks deterministically (nbformat 4.5, indent 1, sorted keys, final newline)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode


def read_notebook(path: Path) -> NotebookNode:
    """Read `path` as an nbformat-4 notebook (raises on invalid JSON or nbformat)."""
    return nbformat.read(path, as_version=4)


def write_notebook(nb: NotebookNode, path: Path) -> None:
    """Write `nb` to `path`, creating folders, in nbformat's canonical layout."""
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file beside it, so no reader (another process or
    thread grading at the same time) ever sees half a file."""
    import os
    import threading

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    partial.write_text(text, encoding="utf-8", newline="")
    partial.replace(path)


def dumps(nb: NotebookNode) -> str:
    """Return the canonical text of `nb` (what :func:`write_notebook` writes)."""
    return nbformat.writes(nb) + "\n"
