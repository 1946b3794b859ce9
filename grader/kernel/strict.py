"""Deprecations are errors while the course runs, except in cells that demonstrate them on purpose.

Every course kernel loads this module as an IPython extension (see :mod:`grader.kernels`). When
``course run`` executes a notebook it sets ``COURSE_STRICT_WARNINGS=1`` and lists, in
``COURSE_DEPRECATION_DEMOS``, the fingerprints of the notebook's code cells tagged
``deprecated-demo``. Before every other cell, a DeprecationWarning or FutureWarning raised from
the learner's code or from torch and its libraries becomes an exception (so does a UserWarning
that says "deprecated", torch's usual way), so a lesson that keeps
calling an API after an upgrade deprecated it fails loudly. JupyterLab and grading leave the
variable unset: nothing changes for a learner.
"""

from __future__ import annotations

import hashlib
import os
import re
import warnings
from collections.abc import Iterable

FLAG = "COURSE_STRICT_WARNINGS"
DEMOS = "COURSE_DEPRECATION_DEMOS"
TAG = "deprecated-demo"
#: Where a warning may be attributed: the notebook's own code, or torch and its libraries.
MODULES = (r"(__main__|torch|torchvision|torchaudio|torchtext|torchcodec|torch_xla|torchmetrics|"
           r"pytorch_lightning|lightning|lightning_fabric|executorch|onnx|onnxscript|onnxruntime|optuna)(\.|$)")


def fingerprint(source: str) -> str:
    """Identify a cell by its source (kernels receive the code, not the cell's tags)."""
    return hashlib.sha256(source.strip().encode("utf-8")).hexdigest()[:16]


def demo_fingerprints(cells: Iterable) -> str:
    """The ``COURSE_DEPRECATION_DEMOS`` value for a notebook's cells."""
    return ",".join(fingerprint(c.source) for c in cells
                    if c.cell_type == "code" and TAG in c.metadata.get("tags", []))


def load_ipython_extension(ip) -> None:  # noqa: ANN001 - IPython's InteractiveShell
    """Register the pre/post cell hooks when ``COURSE_STRICT_WARNINGS=1``.

    The strict filters go in front of Python's default filters but behind any filter the notebook
    itself added (a targeted ``filterwarnings("ignore", ...)`` with its reason in the prose keeps
    working), and they are taken out after every cell, so nothing else about warnings changes.
    """
    if os.environ.get(FLAG) != "1":
        return
    demos = set(filter(None, os.environ.get(DEMOS, "").split(",")))
    baseline = [id(f) for f in warnings.filters]  # the interpreter's and the kernel's own filters
    strict = [("error", None, category, re.compile(MODULES), 0) for category in (DeprecationWarning, FutureWarning)]
    strict.append(("error", re.compile(r".*\bdeprecat", re.IGNORECASE), UserWarning, re.compile(MODULES), 0))

    def before(info) -> None:  # noqa: ANN001
        if fingerprint(info.raw_cell or "") in demos:
            return
        # torch often deprecates with a plain UserWarning ("torch.range is deprecated ...").
        at = next((i for i, f in enumerate(warnings.filters) if id(f) in baseline), len(warnings.filters))
        warnings.filters[at:at] = strict
        warnings._filters_mutated()  # noqa: SLF001 - invalidates the per-module caches, as filterwarnings does

    def after(result) -> None:  # noqa: ANN001, ARG001
        warnings.filters[:] = [f for f in warnings.filters if not any(f is mine for mine in strict)]
        warnings._filters_mutated()  # noqa: SLF001

    ip.events.register("pre_run_cell", before)
    ip.events.register("post_run_cell", after)
