"""Reading a submission, before any code runs."""

from __future__ import annotations

import json

from grader.prepare import load_submission
from tests.factory import answer, notebook


def test_repeated_and_missing_cell_ids_are_read_without_a_warning(tmp_path):
    """Does a notebook whose cells share an id (or have none) load, quietly, with unique ids?

    Editors and hand edits leave such files; nbformat repairs them with a warning, which
    pytest here turns into an error, as a strict caller would.
    """
    nb = json.loads(json.dumps(notebook(answer("a", "x = 1"), answer("b", "y = 2"), answer("c", "z = 3"))))
    nb["cells"][0]["id"] = nb["cells"][1]["id"] = "same"
    del nb["cells"][2]["id"]
    path = tmp_path / "s.ipynb"
    path.write_text(json.dumps(nb))
    loaded, problem = load_submission(path)
    assert problem is None
    ids = [c.id for c in loaded.cells]
    assert len(set(ids)) == len(ids) == len(nb["cells"])
