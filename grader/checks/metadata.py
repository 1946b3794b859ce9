"""M3xx: notebook name, ``metadata.course`` (its schema, and ``gpu`` against the code), kernelspec, and tags
papermill mishandles."""

from __future__ import annotations

import re
from pathlib import Path

from nbformat import NotebookNode

from grader.checks import finding
from grader.errors import MetadataError
from grader.kernels import read_kernels
from grader.messages import Both
from grader.meta import read_meta
from grader.models import Finding
from grader.paths import NOTEBOOK_NAME, kind_of

#: Code that takes a GPU path when one is present: names CUDA or the accelerator API.
_GPU_PATH = re.compile(r"\bcuda\b|torch\.accelerator", re.IGNORECASE)


def has_gpu_path(nb: NotebookNode) -> bool:
    """Whether any code cell of `nb` takes a CUDA (or other accelerator) path."""
    return any(_GPU_PATH.search(c.source) for c in nb.cells if c.cell_type == "code")


def check_metadata(nb: NotebookNode, path: Path) -> list[Finding]:
    """Check the notebook-level facts a run depends on."""
    found = []
    if not NOTEBOOK_NAME.match(path.name):
        found.append(finding("M305", path))
    try:
        meta = read_meta(nb, path)
        if meta.kernel not in read_kernels():
            found.append(finding("M302", path, kernel=meta.kernel))
        if kind_of(path) != "exercise" and (meta.gpu == "optional") != has_gpu_path(nb):
            has = meta.gpu == "none"
            found.append(finding("M308", path, gpu=meta.gpu, found=Both("있습니다" if has else "없습니다",
                                                                         "has a" if has else "has no")))
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
