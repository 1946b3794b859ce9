"""Clean notebook sources by allowlist: no outputs, no counts, only the metadata the course uses.

The same function backs ``course clean`` (which writes) and the cleanliness check (which compares),
so the rule exists once. Cell ids are kept; missing ones are added.
"""

from __future__ import annotations

import copy

import nbformat
from nbformat import NotebookNode

#: Notebook metadata kept, and within each key the sub-keys kept (None: all of them).
NOTEBOOK_METADATA: dict[str, set[str] | None] = {
    "kernelspec": {"name", "display_name", "language"},
    "language_info": {"name"},
    "course": None,
}
#: Cell metadata kept: language tags, nbgrader's grading data, the locks nbgrader sets, and the
#: course's own (``course.translates``: grader.translation).
CELL_METADATA = {"tags", "nbgrader", "editable", "deletable", "course"}


def clean_notebook(nb: NotebookNode) -> NotebookNode:
    """Return a cleaned copy of `nb` (the input is not changed)."""
    nb = copy.deepcopy(nb)
    metadata = {}
    for key, keep in NOTEBOOK_METADATA.items():
        value = nb.metadata.get(key)
        if value is not None:
            metadata[key] = value if keep is None else {k: v for k, v in value.items() if k in keep}
    nb.metadata = nbformat.from_dict(metadata)
    nb.nbformat, nb.nbformat_minor = 4, max(nb.get("nbformat_minor", 5), 5)
    for cell in nb.cells:
        cell.metadata = nbformat.from_dict({k: v for k, v in cell.metadata.items() if k in CELL_METADATA})
        if cell.metadata.get("tags") == []:
            del cell.metadata["tags"]
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    _ensure_ids(nb)
    return nb


def _ensure_ids(nb: NotebookNode) -> None:
    """Give every cell an id (nbformat 4.5), keeping the ones it has."""
    seen: set[str] = set()
    for cell in nb.cells:
        cell_id = cell.get("id")
        if not cell_id or cell_id in seen:
            cell_id = nbformat.corpus.words.generate_corpus_id()
            while cell_id in seen:
                cell_id = nbformat.corpus.words.generate_corpus_id()
            cell["id"] = cell_id
        seen.add(cell_id)
