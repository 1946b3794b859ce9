"""grader.clean: the allowlist cleaner."""

from nbformat.v4 import new_code_cell, new_output

from grader.clean import clean_notebook
from tests.factory import md, notebook


def test_clean_strips_outputs_counts_and_foreign_metadata_but_keeps_ids_and_tags():
    """Does cleaning drop outputs, counts and unknown metadata while keeping ids, tags and nbgrader?"""
    code = new_code_cell("1 + 1", metadata={"collapsed": True, "nbgrader": {"grade": False}, "tags": ["x"]})
    code.outputs = [new_output("stream", name="stdout", text="2")]
    code.execution_count = 3
    nb = notebook(md("# 제목", "ko"), code)
    nb.metadata["widgets"] = {"state": {}}
    nb.metadata["kernelspec"]["env"] = {"A": "1"}
    ids = [c.id for c in nb.cells]
    cleaned = clean_notebook(nb)
    assert cleaned.cells[1].outputs == [] and cleaned.cells[1].execution_count is None
    assert set(cleaned.cells[1].metadata) == {"nbgrader", "tags"}
    assert [c.id for c in cleaned.cells] == ids
    assert "widgets" not in cleaned.metadata and "env" not in cleaned.metadata.kernelspec
    assert nb.cells[1].outputs, "the input notebook must not change"


def test_clean_adds_missing_and_duplicate_ids():
    """Does a cell without an id, or with another cell's id, get a fresh one?"""
    nb = notebook(new_code_cell("a"), new_code_cell("b"), new_code_cell("c"))
    del nb.cells[0]["id"]
    nb.cells[2]["id"] = nb.cells[1]["id"]
    ids = [c.id for c in clean_notebook(nb).cells]
    assert len(set(ids)) == 3 and ids[1] == nb.cells[1]["id"]


def test_clean_is_idempotent():
    """Is cleaning a clean notebook a no-op?"""
    nb = clean_notebook(notebook(md("# 제목", "ko"), md("# Title", "en"), new_code_cell("x = 1")))
    assert clean_notebook(nb) == nb
