"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Callable

import nbformat
import pytest
from nbformat import NotebookNode


@pytest.fixture
def write_nb(tmp_path) -> Callable[..., object]:
    """Write a notebook under tmp_path and return its path."""

    def write(nb: NotebookNode, name: str = "00_demo.ipynb", folder: str = "notebooks"):
        path = tmp_path / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        return path

    return write
