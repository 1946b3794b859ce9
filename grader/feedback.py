"""One learner's bilingual feedback page: a self-contained HTML file made from a grade.

Everything that comes from a submission (the student's name, the path, grade ids, error texts that
quote the learner's output) is passed through :func:`html.escape`; the page loads nothing from
outside (no scripts, no fonts, no stylesheets: a Content-Security-Policy forbids them too), so it
can be mailed or uploaded to any learning platform as it is.
"""

from __future__ import annotations

import html
import re
import sys
import tempfile
from pathlib import Path, PurePath
from typing import Any

from grader import messages
from grader.models import GradeResult
from grader.paths import ROOT

#: Hangul-capable fonts first (NanumGothic comes with ``make setup``), then the platform's own.
FONT_STACK = ('"NanumGothic", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", '
              '"DejaVu Sans", sans-serif')

_STYLE = f"""
body {{ font-family: {FONT_STACK}; margin: 2rem auto; max-width: 56rem; padding: 0 1rem;
       line-height: 1.5; color: #1b1b1b; background: #fff; }}
h1, h2 {{ line-height: 1.3; }}
.en {{ color: #555; font-weight: normal; }}
table {{ border-collapse: collapse; width: 100%; margin: 1rem 0; }}
th, td {{ border: 1px solid #ccc; padding: .35rem .6rem; text-align: left; vertical-align: top; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
tr.passed td.status {{ color: #11691f; }}
tr.failed td.status {{ color: #a3160b; }}
tr.not_run td.status {{ color: #7a5a00; }}
tr.tampered td.status {{ color: #a3160b; font-weight: bold; }}
tfoot td {{ font-weight: bold; }}
.cell {{ margin: .8rem 0; }}
.cell pre {{ margin: 0; }}
pre.src {{ background: #f3f6fa; border-color: #c9d6e3; }}
pre.out {{ background: #fff; border-style: dashed; }}
pre.err {{ background: #fff3f2; border-color: #e4b4ae; }}
.part {{ font-size: .9rem; padding: .15rem .5rem; border: 1px solid #ccc; border-bottom: none; display: inline-block; }}
.part.passed {{ color: #11691f; }}
.part.failed, .part.tampered {{ color: #a3160b; }}
.part.not_run {{ color: #7a5a00; }}
.part.answer {{ color: #1b4f8a; }}
.md {{ border-left: 3px solid #eee; padding-left: .8rem; }}
pre {{ white-space: pre-wrap; word-break: break-word; background: #f6f6f6; border: 1px solid #ddd;
      padding: .6rem; font-family: "D2Coding", "NanumGothicCoding", "DejaVu Sans Mono", monospace; }}
"""

_CELL_STATUSES = ("passed", "failed", "not_run", "tampered")


def _e(text: object) -> str:
    """Escape `text` for an HTML text node or a quoted attribute."""
    return html.escape(str(text), quote=True)


def _pair(key: str, tag: str = "span", **fields: object) -> str:
    """Return the message `key` as escaped Korean, then English in a ``lang="en"`` element."""
    ko, en = messages.MESSAGES[key]
    return f'{_e(ko.format(**fields))} <{tag} class="en" lang="en">/ {_e(en.format(**fields))}</{tag}>'


def _status_text(status: str) -> str:
    key = f"grade.status.{status}"
    return _pair(key) if key in messages.MESSAGES else _e(status)


def _markdown(text: str) -> str:
    """A learner's (or the exercise's) markdown as HTML, with any HTML inside it shown as text."""
    try:
        import mistune

        return str(mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])(text))
    except Exception:  # noqa: BLE001 - without a renderer (or on odd input) the text itself, escaped
        return f"<pre>{_e(text)}</pre>"


def _scrubber(path: str) -> Any:
    """Return a function that removes the grading machine's paths from a text a learner will read.

    The submission's own path becomes its file name; the course's folder, the home folder, Python's
    prefixes and the grader's scratch folders become ``…``.
    """
    name = PurePath(path).name
    folders = {str(ROOT), str(Path.home()), sys.prefix, sys.base_prefix, str(PurePath(path).parent)}
    folders = sorted((f for f in folders if len(f) > 1), key=len, reverse=True)
    scratch = re.compile(re.escape(tempfile.gettempdir()) + r"/course-grade-[^/\s]*")

    def scrub(text: object) -> str:
        text = str(text)
        for candidate in {path, str(Path(path).resolve()) if path else ""} - {""}:
            text = text.replace(candidate, name)
        text = scratch.sub("…", text)
        for folder in folders:
            text = text.replace(folder, "…")
        return text

    return scrub


def _notebook_section(result: GradeResult, scrub: Any) -> str:
    """The graded notebook: each cell in order, a test cell under its part's points and status."""
    by_part = {c.grade_id: c for c in result.cells}
    blocks = []
    for cell in result.notebook:
        if cell.get("type") == "markdown":
            blocks.append(f'<div class="cell md">{_markdown(scrub(cell.get("source", "")))}</div>')
            continue
        head = ""
        part = by_part.get(cell.get("grade_id") or "")
        if part is not None:
            css = part.status if part.status in _CELL_STATUSES else "other"
            head = (f'<div class="part {css}"><code>{_e(part.grade_id)}</code> · {part.points:g} / '
                    f'{part.max_points:g} · {_status_text(part.status)}</div>')
        elif cell.get("answer"):
            head = f'<div class="part answer">{_pair("feedback.answer", grade_id=cell.get("grade_id"))}</div>'
        body = [f'<pre class="src">{_e(scrub(cell.get("source", "")))}</pre>'] if cell.get("source") else []
        for output in cell.get("outputs", []):
            css = "err" if output.get("kind") == "error" else "out"
            body.append(f'<pre class="{css}">{_e(scrub(output.get("text", "")))}</pre>')
        blocks.append(f'<div class="cell code">{head}{"".join(body)}</div>')
    if not blocks:
        return ""
    return f'<h2>{_pair("feedback.notebook")}</h2>\n<p>{_pair("feedback.notebook_note")}</p>\n' + "\n".join(blocks)


def feedback_html(result: GradeResult, student: str, *, status: str | None = None) -> str:
    """Return the feedback page for `student`'s grade `result`.

    Args:
        result: the grade (``grader.grade.grade_notebook``'s record).
        student: the learner's name or id, as the class folder spells it (escaped here).
        status: the submission's status when it differs from ``result.status`` (for example
            ``error`` or ``missing`` from :mod:`grader.classroom`).

    Returns:
        A complete HTML document (``lang="ko"``, UTF-8) with no external resources.
    """
    overall = status or result.status
    overall_key = f"gradeall.status.{overall}"
    overall_text = _pair(overall_key) if overall_key in messages.MESSAGES else _e(overall)
    ko_title, en_title = messages.MESSAGES["feedback.title"]
    title = f"{ko_title.format(assignment=result.assignment, student=student)} / " \
            f"{en_title.format(assignment=result.assignment, student=student)}"
    rows = []
    for cell in result.cells:
        css = cell.status if cell.status in _CELL_STATUSES else "other"
        rows.append(
            f'<tr class="{css}"><td><code>{_e(cell.grade_id)}</code></td>'
            f'<td class="num">{cell.points:g}</td><td class="num">{cell.max_points:g}</td>'
            f'<td class="status">{_status_text(cell.status)}</td></tr>')
    if not rows:
        rows.append(f'<tr><td colspan="4">{_pair("feedback.no_parts")}</td></tr>')
    scrub = _scrubber(result.path)
    errors = "\n".join(f"<pre>{_e(scrub(text))}</pre>" for text in result.errors) \
        or f"<p>{_pair('feedback.no_errors')}</p>"
    return f"""<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>{_pair("feedback.title", assignment=result.assignment, student=student)}</h1>
<p>{_pair("feedback.file", path=PurePath(result.path).name)}</p>
<p>{_pair("feedback.status")}: <strong>{overall_text}</strong></p>
<h2>{_pair("feedback.parts")}</h2>
<table>
<thead><tr><th>{_pair("feedback.col.part")}</th><th>{_pair("feedback.col.points")}</th>
<th>{_pair("feedback.col.max")}</th><th>{_pair("feedback.col.status")}</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
<tfoot><tr><td colspan="4">{_pair("grade.total", score=result.score, max_score=result.max_score)}</td></tr></tfoot>
</table>
<h2>{_pair("feedback.errors")}</h2>
{errors}
{_notebook_section(result, scrub)}
<p><small>{_pair("feedback.seconds", seconds=result.seconds)}</small></p>
</body>
</html>
"""
