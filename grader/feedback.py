"""One learner's bilingual feedback page: a self-contained HTML file made from a grade.

The page is ``grader/templates/feedback.html``, rendered by Jinja2 with autoescaping: everything that
comes from a submission (the student's name, grade ids, error texts, the learner's cells and what
they printed) is text, never markup. Markdown cells are rendered with any HTML inside them escaped.
The page loads nothing from outside (no scripts, no fonts, no stylesheets: a Content-Security-Policy
forbids them too), so it can be mailed or uploaded to any learning platform as it is, and it names no
path of the grading machine.
"""

from __future__ import annotations

import functools
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Any, get_args

from markupsafe import Markup, escape

from grader import messages
from grader.models import CellStatus, GradeResult
from grader.paths import ROOT

_CELL_STATUSES = get_args(CellStatus)


def _pair(key: str, **fields: object) -> Markup:
    """The message `key` as escaped Korean, then English in a ``lang="en"`` span."""
    ko, en = messages.MESSAGES[key]
    return Markup('{} <span class="en" lang="en">/ {}</span>').format(ko.format(**fields), en.format(**fields))


def _status_text(status: str) -> Markup:
    key = f"grade.status.{status}"
    return _pair(key) if key in messages.MESSAGES else escape(status)


def _css(status: str) -> str:
    return status if status in _CELL_STATUSES else "other"


@functools.cache
def _template() -> Any:
    from grader.pages import FONT_STACK, template

    return template("feedback.html", pair=_pair, status_text=_status_text, css=_css, font_stack=Markup(FONT_STACK))


@functools.cache
def _markdown_renderer() -> Callable[[str], str]:
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


def _markdown(text: str) -> Markup:
    """A learner's (or the exercise's) markdown as HTML, with any HTML inside it shown as text."""
    try:
        return Markup(_markdown_renderer()(text))
    except Exception:  # noqa: BLE001 - without a renderer (or on odd input) the text itself, escaped
        return Markup("<pre>{}</pre>").format(text)


def _scrubber(path: str) -> Callable[[object], str]:
    """Return a function that removes the grading machine's paths from a text a learner will read.

    The submission's own path becomes its file name; the course's folder, the home folder, Python's
    prefixes and the grader's scratch folders become ``…``.
    """
    name = PurePath(path).name
    folders = {str(ROOT), str(Path.home()), sys.prefix, sys.base_prefix, str(PurePath(path).parent)}
    folders = sorted((f for f in folders if len(f) > 1), key=len, reverse=True)
    scratch = re.compile(re.escape(tempfile.gettempdir()) + r"/course-grade-[^/\s]*")
    whole = {path, str(Path(path).resolve())} - {""} if path else set()

    def scrub(text: object) -> str:
        text = str(text)
        for candidate in whole:
            text = text.replace(candidate, name)
        text = scratch.sub("…", text)
        for folder in folders:
            text = text.replace(folder, "…")
        return text

    return scrub


def _cells(result: GradeResult, scrub: Callable[[object], str]) -> list[dict[str, Any]]:
    """The graded notebook for the template: each cell in order, a test cell with its part's score."""
    by_part = {c.grade_id: c for c in result.cells}
    cells = []
    for cell in result.notebook:
        if cell.get("type") == "markdown":
            cells.append({"markdown": _markdown(scrub(cell.get("source", "")))})
            continue
        cells.append({"markdown": None, "part": by_part.get(cell.get("grade_id") or ""),
                      "answer": bool(cell.get("answer")), "grade_id": cell.get("grade_id"),
                      "source": scrub(cell.get("source", "")),
                      "outputs": [{"css": "err" if o.get("kind") == "error" else "out",
                                   "text": scrub(o.get("text", ""))} for o in cell.get("outputs", [])]})
    return cells


def feedback_html(result: GradeResult, student: str, *, status: str | None = None) -> str:
    """Return the feedback page for `student`'s grade `result`.

    Args:
        result: the grade (``grader.grade.grade_notebook``'s record); its ``notebook`` (the notebook as
            graded) is shown below the table when present.
        student: the learner's name or id, as the class folder spells it (escaped here).
        status: the submission's status when it differs from ``result.status`` (for example
            ``error`` or ``missing`` from :mod:`grader.classroom`).

    Returns:
        A complete HTML document (``lang="ko"``, UTF-8) with no external resources.
    """
    overall = status or result.status
    overall_key = f"gradeall.status.{overall}"
    scrub = _scrubber(result.path)
    return _template().render(
        result=result, student=student, title=messages.one_line("feedback.title", assignment=result.assignment,
                                                                student=student),
        file_name=PurePath(result.path).name,
        overall=_pair(overall_key) if overall_key in messages.MESSAGES else overall,
        errors=[scrub(text) for text in result.errors], cells=_cells(result, scrub))
