"""The course's kernel registry (kernels.toml) and kernelspec installation."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from grader.paths import ROOT, VENVS
from grader.schemas import load_toml

#: The kernel-side package: what runs in a learner's process (a course kernel, the judge), not in the grader.
KERNEL_DIR = ROOT / "grader" / "kernel"


def _kernel_modules() -> tuple[str, ...]:
    """Every module under grader/kernel/ by its import name, found on disk (nothing imported), so a new file
    there is held to the import rule without being listed anywhere; ``site/sitecustomize.py`` included."""
    names = []
    for path in sorted(KERNEL_DIR.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if all(part.isidentifier() for part in parts):
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return tuple(names)


#: The course's code that runs inside a learner's process, in every kernel's environment (main, xla, text):
#: the check helpers learners import (grader.asserts, a public API that stays where notebooks find it), what
#: both sides share (grader.messages, grader.budget) and all of grader/kernel/ (the judge, the offline guard,
#: the limits, the strict-warnings extension, the sitecustomize). It may import the standard library and
#: itself only (tests/integration/test_kernels.py holds it to that, in each environment); torch or numpy are
#: imported inside a function, where a check needs them, never at the top.
KERNEL_SIDE = ("grader.asserts", "grader.budget", "grader.messages", *_kernel_modules())


@dataclass(frozen=True)
class Kernel:
    """One course kernel: an environment under .venvs/ and the kernelspec name notebooks use."""

    env: str
    name: str
    display_name: str
    variables: dict[str, str] = field(default_factory=dict)

    @property
    def python(self) -> Path:
        """The environment's interpreter."""
        return VENVS / self.env / "bin" / "python"


def read_kernels() -> dict[str, Kernel]:
    """Return the registry, keyed by kernelspec name (``course-main`` …)."""
    table = load_toml(Path(__file__).parent / "kernels.toml", "kernels")
    kernels = [Kernel(env=env, **spec) for env, spec in table.items()]
    return {k.name: k for k in kernels}


def kernelspec_of(kernel: Kernel) -> dict:
    """Return the kernel.json body for `kernel`."""
    env = {
        # Korean figure labels: the course's matplotlibrc picks a Hangul font.
        "MATPLOTLIBRC": str(ROOT / "grader" / "matplotlibrc"),
        "MPLCONFIGDIR": str(VENVS / kernel.env / ".matplotlib"),
        "PYTHONUNBUFFERED": "1",
        # sitecustomize.py there turns the offline guard on when COURSE_OFFLINE=1 (course run/grade).
        "PYTHONPATH": str(KERNEL_DIR / "site"),
        **kernel.variables,
    }
    return {
        "argv": [str(kernel.python), "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f",
                 "{connection_file}",
                 # grader.kernel.strict: deprecations become errors under `course run` (COURSE_STRICT_WARNINGS=1)
                 "--InteractiveShellApp.extensions=grader.kernel.strict"],
        "display_name": kernel.display_name,
        "language": "python",
        "env": env,
        "metadata": {"debugger": True},
    }


def is_current(kernel: Kernel, folder: Path) -> bool:
    """Whether the kernelspec installed in `folder` is the one :func:`install` writes for `kernel` today."""
    try:
        return json.loads((folder / "kernel.json").read_text(encoding="utf-8")) == kernelspec_of(kernel)
    except (OSError, ValueError):
        return False


def install(prefix: Path = VENVS / "main") -> list[Path]:
    """Write every course kernelspec under `prefix`/share/jupyter/kernels.

    Args:
        prefix: the environment whose Jupyter should see the kernels.

    Returns:
        The kernelspec folders written.
    """
    written = []
    for kernel in read_kernels().values():
        folder = prefix / "share" / "jupyter" / "kernels" / kernel.name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "kernel.json").write_text(json.dumps(kernelspec_of(kernel), indent=1) + "\n")
        logo = Path(sys.prefix, "share", "jupyter", "kernels", "python3", "logo-64x64.png")
        if logo.exists():
            shutil.copy(logo, folder / logo.name)
        written.append(folder)
    return written


if __name__ == "__main__":
    if sys.argv[1:] == ["install"]:
        for path in install():
            print(f"[setup] kernel {path.name} -> {path}")
    else:
        raise SystemExit("usage: python -m grader.kernels install")
