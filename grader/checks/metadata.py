"""M3xx: notebook name, ``metadata.course``, kernelspec, and tags papermill mishandles."""

from __future__ import annotations

from pathlib import Path

from nbformat import NotebookNode

from grader.checks import finding
from grader.errors import MetadataError
from grader.kernels import read_kernels
from grader.meta import read_meta
from grader.models import Finding
from grader.paths import NOTEBOOK_NAME


def check_metadata(nb: NotebookNode, path: Path) -> list[Finding]:
    """Check the notebook-level facts a run depends on."""
    found = []
    if not NOTEBOOK_NAME.match(path.name):
        found.append(finding("M305", path))
    try:
        meta = read_meta(nb, path)
        if meta.kernel not in read_kernels():
            found.append(finding("M302", path, kernel=meta.kernel))
    except MetadataError as err:
        found.append(finding("M301", path, problem=err.params["problem"]))
    if "budget_s" not in nb.metadata.get("course", {}):
        # The default exists for tools; the course states every budget where a reader sees it.
        found.append(finding("M307", path))
    parameters = 0
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "raises-exception" in tags:
            found.append(finding("M303", path, cell.get("id")))
        parameters += "parameters" in tags
        if "deprecated-demo" in tags and not ("catch_warnings" in cell.source or "except" in cell.source):
            found.append(finding("M306", path, cell.get("id")))
    if parameters > 1:
        found.append(finding("M304", path))
    return found
