"""Find a class's submissions in a folder, before anything is graded (``course grade-all``, ``course collect``).

Where submissions are found (``folder`` is the argument of ``course grade-all``):

* **nbgrader's layout**: ``submitted/<student>/<assignment>/<assignment>.ipynb``. `folder` may be
  the ``submitted`` folder itself or its parent (the nbgrader course root). When an assignment
  folder holds no ``<assignment>.ipynb`` but exactly one other notebook, that one is graded.
  Every student gets a row for every assignment seen in the class (or for ``assignment`` only,
  when given): a student with no folder for it gets status ``missing``.
* **a flat folder of notebooks** (used when `folder` holds ``*.ipynb`` files directly):
  ``<student>__<assignment>.ipynb`` (two underscores; the last ``__`` splits, so assignment names
  never contain ``__``), or ``<student>.ipynb`` for the exercise named by ``assignment``. Without
  ``assignment``, a ``<student>.ipynb`` is matched to its exercise by the grade ids it contains.

Names starting with ``.`` (``.ipynb_checkpoints``, editor files) are ignored; so are files that do
not end in ``.ipynb`` in a flat folder and anything in nbgrader's layout outside the assignment
folders.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: In a flat folder, ``<student>__<assignment>.ipynb``.
FLAT_SEPARATOR = "__"


@dataclass(frozen=True)
class Found:
    """A submission found in the class folder, before grading."""

    student: str
    assignment: str | None
    path: Path | None
    problem: str | None = None
    """Set when it cannot be graded: ``missing``, ``not_file`` or ``duplicate``."""


def find_submissions(folder: Path, *, assignment: str | None = None) -> list[Found]:
    """Return the submissions in `folder` (either layout, see the module's docstring), sorted."""
    if (folder / "submitted").is_dir():
        return _nbgrader_layout(folder / "submitted", assignment)
    if any(p.suffix == ".ipynb" and not p.name.startswith(".") for p in folder.iterdir()):
        return _flat_layout(folder, assignment)
    return _nbgrader_layout(folder, assignment)


def _visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _nbgrader_layout(root: Path, assignment: str | None) -> list[Found]:
    students = [p for p in _visible(root) if p.is_dir()]
    names = {assignment} if assignment else {a.name for s in students for a in _visible(s) if a.is_dir()}
    found = []
    for student in students:
        for name in sorted(names):
            folder = student / name
            notebook = folder / f"{name}.ipynb"
            if not notebook.exists() and not notebook.is_symlink() and folder.is_dir():
                others = [p for p in _visible(folder) if p.suffix == ".ipynb"]
                notebook = others[0] if len(others) == 1 else notebook
            if not notebook.exists() and not notebook.is_symlink():
                found.append(Found(student.name, name, notebook, problem="missing"))
            else:
                found.append(Found(student.name, name, notebook, problem=None if notebook.is_file() else "not_file"))
    return found


def _flat_layout(folder: Path, assignment: str | None) -> list[Found]:
    found: list[Found] = []
    seen: set[tuple[str, str | None]] = set()
    for path in _visible(folder):
        if path.suffix != ".ipynb":
            continue
        student, sep, name = path.stem.rpartition(FLAT_SEPARATOR)
        if not sep or not student:
            student, name = path.stem, assignment
        if assignment and name != assignment:
            continue
        key = (student, name)
        problem = "duplicate" if key in seen and name else (None if path.is_file() else "not_file")
        seen.add(key)
        found.append(Found(student, name or None, path, problem=problem))
    return found
