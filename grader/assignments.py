"""The nbgrader bridge: release student versions of solutions/ into exercises/.

nbgrader's ``generate_assignment`` runs a fixed pipeline of preprocessors, one of which
(``SaveCells``) writes the gradebook database. We run that same pipeline, taken from nbgrader's
own ``GenerateAssignment`` class, without the database step: the release is identical (the test
suite proves it against the full ``generate_assignment`` app) and takes milliseconds instead of
seconds, so ``course check`` can verify exercises/ on every run.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from grader.clean import clean_notebook
from grader.nbio import dumps, read_notebook, write_atomic, write_notebook
from grader.paths import BUILD, EXERCISES, SOLUTIONS, discover

#: What replaces a solution in the released notebook (nbgrader's ClearSolutions.code_stub).
CODE_STUB = "# 여기에 답을 작성하세요 / YOUR CODE HERE\nraise NotImplementedError()"
TEXT_STUB = "여기에 답을 작성하세요 / YOUR ANSWER HERE"


def nbgrader_config(root: Path | None = None):
    """Return the traitlets config shared by every nbgrader step (one place for it)."""
    from traitlets.config import Config

    config = Config()
    if root is not None:
        config.CourseDirectory.root = str(root)
    config.ClearSolutions.code_stub = {"python": CODE_STUB}
    config.ClearSolutions.text_stub = TEXT_STUB
    return config


def _pipeline(nb: NotebookNode, name: str, *, stop_at_gradebook: bool) -> NotebookNode:
    """Run GenerateAssignment's preprocessors on `nb`, skipping SaveCells (the database).

    With `stop_at_gradebook`, stop where SaveCells would store the cells: solutions are cleared
    but hidden tests are still there. That is the version nbgrader's autograde restores
    protected cells from.
    """
    from nbgrader.converters import GenerateAssignment
    from nbgrader.preprocessors import SaveCells

    config = nbgrader_config()
    resources = {"nbgrader": {"notebook": name, "assignment": name, "student": "."}}
    # NB: the order is nbgrader's: ClearHiddenTests must follow SaveCells, and checksums are
    # computed again after it.
    for cls in GenerateAssignment.class_traits()["preprocessors"].default():
        if cls is SaveCells:
            if stop_at_gradebook:
                break
            continue
        nb, resources = cls(config=config).preprocess(nb, resources)
    return nb


#: Where :func:`gradebook_notebook` and a grading :func:`release_notebook` keep their results.
CACHE = BUILD / ".cache" / "gradebook"


def release_notebook(solution: Path, *, cache: Path | None = None) -> NotebookNode:
    """Return the student version of `solution`, as ``nbgrader generate_assignment`` makes it.

    `cache`: keep the result there (grading passes :data:`CACHE`, see :func:`_cached`); `make exercises`
    and `course check` make it afresh.
    """
    return _cached(solution, "release", cache, lambda data: clean_notebook(
        _pipeline(nbformat.reads(data.decode("utf-8"), as_version=4), solution.stem, stop_at_gradebook=False)))


def gradebook_notebook(solution: Path, *, cache: Path | None = CACHE) -> NotebookNode:
    """Return `solution` as nbgrader's gradebook stores it: the source of every protected cell."""
    return _cached(solution, "gradebook", cache, lambda data: _pipeline(
        nbformat.reads(data.decode("utf-8"), as_version=4), solution.stem, stop_at_gradebook=True))


@functools.cache
def _pipeline_version() -> bytes:
    """nbgrader's version and this module's bytes: what, besides a solution, shapes the pipeline's result."""
    return importlib.metadata.version("nbgrader").encode() + Path(__file__).read_bytes()


def _cached(solution: Path, kind: str, cache: Path | None, make: Callable[[bytes], NotebookNode]) -> NotebookNode:
    """Return ``make(solution's bytes)``, from `cache` when it holds this version.

    ``import nbgrader`` alone takes about 3 s (its package imports its server extensions), so grading
    keeps what the pipeline made under `cache`, keyed by the solution's bytes, nbgrader's version and
    this module (its stubs shape the result): grading a class pays that once per exercise.
    """
    data = solution.read_bytes()
    key = hashlib.sha256(data + _pipeline_version()).hexdigest()[:16]
    cached = cache / f"{solution.stem}-{kind}-{key}.ipynb" if cache else None
    if cached and cached.exists():
        return read_notebook(cached)
    nb = make(data)
    if cached:
        write_atomic(cached, dumps(nb))
    return nb


def release_all(solutions: list[Path] | None = None, *, out: Path = EXERCISES) -> list[Path]:
    """Write the release of each solution into `out`, only where it changed.

    Returns:
        The files that were (re)written.
    """
    written = []
    for solution in solutions or discover((SOLUTIONS,)):
        target = out / solution.name
        release = release_notebook(solution)
        if not target.exists() or target.read_text(encoding="utf-8") != dumps(release):
            write_notebook(release, target)
            written.append(target)
    return written


def release_with_nbgrader_app(solution: Path) -> NotebookNode:
    """Run the full ``nbgrader generate_assignment`` app in a scratch course; return the release.

    Slow (database and migrations); the test suite uses it to prove :func:`release_notebook`
    gives the same notebook.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    _venv_on_path()
    with tempfile.TemporaryDirectory(prefix="course-release-") as tmp:
        root = Path(tmp)
        target = root / "source" / solution.stem / solution.name
        target.parent.mkdir(parents=True)
        shutil.copyfile(solution, target)
        config = nbgrader_config(root)
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        result = api.generate_assignment(solution.stem, force=True, create=True)
        if not result.get("success"):
            raise RuntimeError(result.get("error") or result.get("log"))
        return clean_notebook(read_notebook(root / "release" / solution.stem / solution.name))


def _venv_on_path() -> None:
    """Put this interpreter's bin/ first on PATH: nbgrader's gradebook shells out to ``alembic``."""
    bin_dir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bin_dir:
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
