"""Single-language copies: drop the other language's cells with nbconvert's TagRemovePreprocessor."""

from __future__ import annotations

import copy
from pathlib import Path

from nbformat import NotebookNode

from grader.nbio import read_notebook, write_notebook
from grader.paths import DATA, LINTED, NOTEBOOKS, PROJECTS, build_dir, discover

LANGUAGES = ("ko", "en")


def render_notebook(nb: NotebookNode, lang: str) -> NotebookNode:
    """Return a copy of `nb` with every cell tagged with the other language removed.

    Args:
        nb: a bilingual notebook.
        lang: ``ko`` or ``en``: the language to keep.
    """
    from nbconvert.preprocessors import TagRemovePreprocessor

    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}: {lang!r}")
    other = {"ko": "en", "en": "ko"}[lang]
    nb, _ = TagRemovePreprocessor(remove_cell_tags={other}, enabled=True).preprocess(copy.deepcopy(nb), {})
    nb.metadata["language"] = lang
    return nb


def render_language(lang: str, paths: list[Path] | None = None, *, out: Path | None = None,
                    overwrite: bool = True) -> list[Path]:
    """Write single-language copies of `paths` (default: lessons, solutions, exercises).

    Args:
        lang: ``ko`` or ``en``.
        paths: notebooks to render.
        out: the build folder; copies go to ``out/<lang>/<folder>/<name>.ipynb``.
        overwrite: False keeps copies that exist (a learner may have edited them in the lab).

    Returns:
        The files written.
    """
    written, out = [], out or build_dir()
    for path in paths or discover(LINTED):
        target = out / lang / path.resolve().parent.name / path.name
        if overwrite or not target.exists():
            write_notebook(render_notebook(read_notebook(path), lang), target)
            written.append(target)
    # Notebooks read ../data, ../projects and (lessons) scripts/ relative to their folder: the copies
    # must find the same files.
    for source, link in ((DATA, out / lang / DATA.name), (PROJECTS, out / lang / PROJECTS.name),
                         (NOTEBOOKS / "scripts", out / lang / NOTEBOOKS.name / "scripts")):
        if source.is_dir() and link.parent.is_dir() and not link.is_symlink() and not link.exists():
            link.symlink_to(source, target_is_directory=True)
    return written
