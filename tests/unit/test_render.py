"""grader.render: single-language copies."""

import nbformat
from nbformat.v4 import new_code_cell

from grader.render import render_language, render_notebook
from tests.factory import md, notebook


def test_render_keeps_one_language_and_all_code():
    """Does the Korean copy drop English cells and keep code cells untouched?"""
    nb = notebook(md("# 제목", "ko"), md("# Title", "en"), new_code_cell("x = 1"))
    ko = render_notebook(nb, "ko")
    assert [c.source for c in ko.cells] == ["# 제목", "x = 1"] and len(nb.cells) == 3


def test_keep_existing_does_not_overwrite_a_learners_edits(write_nb, tmp_path):
    """With overwrite=False, does an edited copy survive a second render?"""
    path = write_nb(notebook(md("# 제목", "ko"), md("# Title", "en")))
    (copy,) = render_language("en", [path], out=tmp_path / "build")
    edited = nbformat.read(copy, 4)
    edited.cells[0].source = "# my notes"
    nbformat.write(edited, copy)
    assert render_language("en", [path], out=tmp_path / "build", overwrite=False) == []
    assert nbformat.read(copy, 4).cells[0].source == "# my notes"
