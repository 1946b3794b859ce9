"""The three course kernels: registered, importing what they promise, drawing Hangul."""

from __future__ import annotations

import pytest
from nbformat.v4 import new_code_cell

from grader.course import run_course
from grader.kernels import read_kernels
from tests.factory import notebook

pytestmark = pytest.mark.kernel

PROBES = {
    "course-main": "import torch, torchvision, torchaudio, grader\nassert torch.__version__.startswith('2.14.1')",
    "course-xla": "import os, torch, torch_xla, grader\nassert os.environ['PJRT_DEVICE'] == 'CPU'\n"
                  "assert torch.__version__.startswith('2.9.0')",
    "course-text": "import torch, torchtext, numpy, grader\nassert torchtext.__version__.startswith('0.18.0')\n"
                   "assert numpy.__version__.startswith('1.')",
}
HANGUL_FIGURE = """
import logging, warnings
warnings.filterwarnings("error", message=".*[Gg]lyph.*")  # a missing glyph only warns: make it fail
missing = []
class Glyphs(logging.Handler):
    def emit(self, record):  # mathtext reports missing glyphs through logging, not warnings
        if "glyph" in record.getMessage():
            missing.append(record.getMessage())
logging.getLogger("matplotlib").addHandler(Glyphs())
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import font_manager
fig, ax = plt.subplots()
ax.set_title("텐서 모양 (shape) -1")
ax.set_yscale("log")
ax.plot([1e-3, 1, 10])
ax.set_xlabel("$x^{-1}$")
fig.canvas.draw()
assert "Nanum" in font_manager.findfont("NanumGothic", fallback_to_default=False)
assert not missing, missing
"""


def test_registry_names_the_three_kernels():
    """Does kernels.toml list main, xla and text?"""
    assert set(read_kernels()) == set(PROBES)


@pytest.mark.parametrize("kernel", sorted(PROBES))
def test_kernel_imports_its_stack_and_draws_hangul(kernel, write_nb, tmp_path):
    """Does each kernel start, import its libraries and the grader, and render Korean labels?"""
    nb = notebook(new_code_cell(PROBES[kernel]), new_code_cell(HANGUL_FIGURE),
                  course={"schema_version": 1, "budget_s": 120})
    nb.metadata.kernelspec.name = kernel
    path = write_nb(nb, name=f"00_{kernel.replace('-', '_')}.ipynb")
    (result,) = run_course([str(path)], report_dir=tmp_path / "build", progress=lambda line: None)
    assert result.status == "ok", result.error


#: Run in an environment's own Python: which top-level modules outside the standard library do the
#: kernel-side modules pull in?
_IMPORTS = """
import importlib, json, sys
before = set(sys.modules)
for name in sys.argv[1:]:
    importlib.import_module(name)
new = {m.split(".")[0] for m in set(sys.modules) - before}
print(json.dumps(sorted(m for m in new if m not in sys.stdlib_module_names and not m.startswith("_"))))
"""


@pytest.mark.parametrize("kernel", sorted(read_kernels()))
def test_kernel_side_code_imports_only_the_standard_library(kernel):
    """Does the code that runs in a learner's process (KERNEL_SIDE) load in every environment with nothing
    but the standard library and the course's own package (so the xla and text kernels, with their older
    torch, and the judge's sandbox need nothing more)?"""
    import json
    import subprocess

    from grader.kernels import KERNEL_SIDE

    python = read_kernels()[kernel].python
    if not python.exists():
        pytest.skip(f"{kernel} is not set up")
    done = subprocess.run([str(python), "-c", _IMPORTS, *KERNEL_SIDE], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "COURSE_OFFLINE": "0"})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["grader"], done.stdout


def test_kernel_side_lists_every_file_of_the_kernel_package():
    """Is every .py under grader/kernel/ (the sitecustomize too) in KERNEL_SIDE, found rather than listed, so a new
    file there is held to the import rule above without anyone adding it?"""
    from grader.kernels import KERNEL_DIR, KERNEL_SIDE
    from grader.paths import ROOT

    on_disk = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
               for p in KERNEL_DIR.rglob("*.py")}
    assert on_disk == {name for name in KERNEL_SIDE if name.startswith("grader.kernel")}
    assert {"grader.kernel.judge", "grader.kernel.site.sitecustomize", "grader.asserts"} <= set(KERNEL_SIDE)


@pytest.mark.parametrize("kernel", sorted(read_kernels()))
def test_installed_kernelspec_is_the_current_one(kernel):
    """Is the kernel.json that setup installed the one kernels.py writes today (PYTHONPATH on grader/kernel/site,
    the grader.kernel.strict extension)? A stale one starts a kernel without the offline guard; `make setup`
    (its stamp hashes kernels.py) rewrites it."""
    import json

    from grader.kernels import kernelspec_of
    from grader.paths import VENVS

    installed = VENVS / "main" / "share" / "jupyter" / "kernels" / kernel / "kernel.json"
    if not installed.exists():
        pytest.skip(f"{kernel} is not set up")
    assert json.loads(installed.read_text()) == kernelspec_of(read_kernels()[kernel]), "run `make setup`"
