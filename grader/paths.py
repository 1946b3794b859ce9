"""Where things live in the course repository, and the ordered list of its notebooks."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
BUILD = ROOT / "build"
"""The repository's build folder; code that writes there asks :func:`build_dir` when it runs instead."""
VENVS = ROOT / ".venvs"
DATA = ROOT / "data"
#: Projects that leave the notebook (chapter 14): run from the command line, read by the lessons.
PROJECTS = ROOT / "projects"

#: Where `course run`, `course site` and `course render` write instead of build/ (tests set it per test).
BUILD_ENV = "COURSE_BUILD"


def build_dir() -> Path:
    """The build folder, read when called: ``$COURSE_BUILD`` if set, else the repository's build/."""
    configured = os.environ.get(BUILD_ENV)
    return Path(configured).resolve() if configured else BUILD


def sibling(path: Path, folder: str) -> Path:
    """The notebook named like `path` in `folder` beside its own folder (solutions/x -> exercises/x)."""
    return path.resolve().parent.parent / folder / path.name

#: A course notebook is named NN_name.ipynb: two digits of chapter, an underscore, a slug.
NOTEBOOK_NAME = re.compile(r"^(?P<chapter>\d{2})_(?P<slug>[a-z0-9_]+)\.ipynb$")

#: The folders `course run` executes, in order (exercises are only graded, never run).
RUNNABLE = (NOTEBOOKS, SOLUTIONS)
#: The folders `course check` lints.
LINTED = (NOTEBOOKS, SOLUTIONS, EXERCISES)


def discover(folders: tuple[Path, ...] = RUNNABLE) -> list[Path]:
    """Return the course notebooks in `folders`, chapter order first, then folder order.

    Args:
        folders: folders to search (not recursive).

    Returns:
        Paths of files named like ``NN_name.ipynb``.
    """
    found = [p for folder in folders if folder.is_dir() for p in folder.glob("*.ipynb")]
    found = [p for p in found if NOTEBOOK_NAME.match(p.name)]
    order = {folder: i for i, folder in enumerate(folders)}
    return sorted(found, key=lambda p: (p.name, order[p.parent]))


def kind_of(path: Path) -> str:
    """Return ``lesson``, ``solution`` or ``exercise`` from the folder a notebook is in."""
    return {"notebooks": "lesson", "solutions": "solution", "exercises": "exercise"}.get(
        path.resolve().parent.name, "lesson"
    )


def relative(path: Path) -> str:
    """Return `path` relative to the repository root when it is inside it, else as given."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def build_copy(path: Path, build: Path | None = None) -> Path:
    """Return where the executed copy of `path` goes: <build>/<its folder>/<its name>."""
    return (build or build_dir()) / path.resolve().parent.name / path.name
