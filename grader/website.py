"""The course website: executed lessons and released exercises, in Korean and English, built by Sphinx + MyST-NB."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup
from nbformat import NotebookNode

from grader.errors import UsageError
from grader.nbio import read_notebook, write_notebook
from grader.paths import EXERCISES, NOTEBOOKS, ROOT, build_dir, discover, relative
from grader.render import LANGUAGES, render_notebook

#: Sphinx's configuration, templates and style sheet for the site (one conf.py for both languages).
WEB = Path(__file__).resolve().parent / "web"
#: Where `course site` writes the website, and the Sphinx sources it stages first.
SITE, STAGE, EXECUTED = "site", "site-src", "notebooks"
"""Folders inside the build folder (:func:`grader.paths.build_dir`, read when a function runs)."""
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: The labels the index pages use, per language.
LABELS = {
    "ko": {"title": "파이토치 강의", "chapter": "장", "lesson": "수업", "exercise": "연습 문제",
           "other": "English", "lead": "장마다 실행 결과가 담긴 수업과, 풀이 없이 배포되는 연습 문제가 있습니다. "
           "연습 문제는 JupyterLab에서 풀고 `make grade`로 채점합니다."},
    "en": {"title": "A PyTorch course", "chapter": "Chapter", "lesson": "Lesson", "exercise": "Exercise",
           "other": "한국어", "lead": "Each chapter has a lesson, shown with its executed outputs, and an exercise, "
           "released without its solutions. Solve exercises in JupyterLab and grade them with `make grade`."},
}


@dataclass(frozen=True)
class SiteReport:
    """What one `course site` build produced."""

    out: Path
    """The website's root folder (open ``index.html``)."""
    pages: int
    """HTML pages written, both languages and the landing page."""
    size_bytes: int
    """Total size of the website on disk."""
    seconds: float
    """Wall-clock time of the build."""


def executed_lesson(source: Path, executed_dir: Path | None = None) -> NotebookNode:
    """Return the lesson `source` with the outputs of its executed copy from `course run`.

    The prose comes from the source (a typo fix needs no rerun); each code cell takes the outputs of the executed
    cell with the same id, which must have the same code, or the executed copy is stale.

    Raises:
        UsageError: the executed copy is missing, failed, or ran different code.
    """
    executed_dir = executed_dir or build_dir() / EXECUTED
    copy = executed_dir / source.name
    if not copy.is_file():
        raise UsageError("site.not_executed", path=relative(source))
    nb, ran = read_notebook(source), read_notebook(copy)
    if ran.metadata.get("papermill", {}).get("exception"):
        raise UsageError("site.failed", path=relative(copy))
    by_id = {cell.get("id"): cell for cell in ran.cells}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        done = by_id.get(cell.get("id"))
        if done is None or done.source != cell.source:
            raise UsageError("site.stale", path=relative(source))
        cell.outputs, cell.execution_count = done.outputs, done.execution_count
    nb.metadata["widgets"] = ran.metadata.get("widgets", {})
    # Code cells are IPython's (`!` shell lines, `%%writefile`): highlight them as such, not as plain Python,
    # which fails on `!` (Sphinx's warning, an error here).
    nb.metadata.setdefault("language_info", {})["pygments_lexer"] = "ipython3"
    return static_widgets(nb)


def static_widgets(nb: NotebookNode) -> NotebookNode:
    """Replace widget outputs (tqdm's notebook bar) by static HTML drawn from the widget state the run stored.

    A static page has no kernel and no widget manager, and loading one would fetch JavaScript from a CDN. The
    saved state holds each widget's final values, so the page shows the finished bar, not the 0 % a text fallback
    keeps. The state is then dropped, so MyST-NB adds no widget scripts.
    """
    state = nb.metadata.pop("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            model = data.pop(WIDGET_VIEW).get("model_id")
            drawn = _draw_widget(model, state)
            if drawn:
                data["text/html"] = str(Markup('<div class="course-widget">{}</div>').format(drawn))
    return nb


def _draw_widget(model_id: str | None, state: dict, depth: int = 0) -> Markup:
    """HTML for one widget and its children, from saved state (every value escaped); empty for widgets it
    cannot draw."""
    model = state.get(model_id or "", {})
    name, values = model.get("model_name", ""), model.get("state", {})
    if depth > 8 or not model:
        return Markup()
    if name in ("HBoxModel", "VBoxModel", "BoxModel"):
        ids = [str(c).removeprefix("IPY_MODEL_") for c in values.get("children", [])]
        children = [_draw_widget(child, state, depth + 1) for child in ids]
        return Markup('<span class="course-box">{}</span>').format(Markup().join(children))
    if name in ("FloatProgressModel", "IntProgressModel"):
        number = {key: v if type(v := values.get(key)) in (int, float) else default
                  for key, default in (("min", 0), ("max", 100), ("value", 0))}
        low, high, value = number["min"], number["max"], number["value"]
        return Markup('<progress value="{}" max="{}"></progress>').format(value - low, max(high - low, 1))
    if name in ("HTMLModel", "LabelModel"):
        # tqdm writes plain text (with &nbsp;) into its HTML widgets; escape it all the same.
        return Markup("<span>{}</span>").format(html.unescape(str(values.get("value", ""))))
    return Markup()


def title_of(nb: NotebookNode) -> str:
    """The notebook's first heading, without the leading ``#``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "?"


def stage(lang: str, *, out: Path | None = None, executed_dir: Path | None = None) -> list[tuple[Path, Path]]:
    """Write the Sphinx sources of one language: lessons with outputs, released exercises and the index page.

    Returns:
        (lesson, exercise) pairs of staged paths in chapter order; exercise is None for lesson-only chapters.
    """
    root = (out or build_dir() / STAGE) / lang
    shutil.rmtree(root, ignore_errors=True)
    pairs = []
    for source in discover((NOTEBOOKS,)):
        lesson = root / "notebooks" / source.name
        write_notebook(render_notebook(executed_lesson(source, executed_dir), lang), lesson)
        released, target = EXERCISES / source.name, None
        if released.is_file():
            target = root / "exercises" / released.name
            write_notebook(render_notebook(read_notebook(released), lang), target)
        pairs.append((lesson, target))
    (root / "index.md").write_text(index_markdown(lang, pairs, root), encoding="utf-8")
    return pairs


def index_markdown(lang: str, pairs: list[tuple[Path, Path | None]], root: Path) -> str:
    """The chapter index of one language: a table of lessons and exercises, and the toctrees Sphinx navigates."""
    words = LABELS[lang]
    rows = [f"| {words['chapter']} | {words['lesson']} | {words['exercise']} |", "| --- | --- | --- |"]
    for lesson, exercise in pairs:
        link = f"[{title_of(read_notebook(lesson))}]({lesson.relative_to(root).as_posix()})"
        task = f"[{title_of(read_notebook(exercise))}]({exercise.relative_to(root).as_posix()})" if exercise else "—"
        rows.append(f"| {lesson.name[:2]} | {link} | {task} |")
    lessons = "\n".join(p.relative_to(root).with_suffix("").as_posix() for p, _ in pairs)
    tasks = "\n".join(e.relative_to(root).with_suffix("").as_posix() for _, e in pairs if e)
    return (f"# {words['title']}\n\n{words['lead']}\n\n" + "\n".join(rows) + "\n\n"
            f"```{{toctree}}\n:caption: {words['lesson']}\n:hidden:\n\n{lessons}\n```\n\n"
            f"```{{toctree}}\n:caption: {words['exercise']}\n:hidden:\n\n{tasks}\n```\n")


def landing_page() -> str:
    """The site's root page: one link per language (the language switch on every page does the rest)."""
    from grader.pages import FONT_STACK, template

    return template("landing.html").render(title="파이토치 강의 · A PyTorch course", font_stack=Markup(FONT_STACK),
                                           languages=[(lang, LABELS[lang]["title"]) for lang in LANGUAGES])


def build_site(out: Path | None = None, *, stage_dir: Path | None = None,
               executed_dir: Path | None = None) -> SiteReport:
    """Stage both languages and run Sphinx on each (two processes at once); write the landing page.

    Raises:
        UsageError: a lesson has no up-to-date executed copy (run `make course` first), or Sphinx failed.
    """
    start = time.perf_counter()
    build = build_dir()
    out, stage_dir = out or build / SITE, stage_dir or build / STAGE
    for lang in LANGUAGES:
        stage(lang, out=stage_dir, executed_dir=executed_dir)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    procs = {lang: _sphinx(lang, stage_dir / lang, out / lang) for lang in LANGUAGES}
    for lang, proc in procs.items():
        stdout, _ = proc.communicate()
        if proc.returncode:
            raise UsageError("site.sphinx_failed", lang=lang, output=stdout[-3000:])
    (out / "index.html").write_text(landing_page(), encoding="utf-8")
    (out / ".nojekyll").write_text("", encoding="utf-8")  # GitHub Pages would hide _static/ otherwise
    for leftover in out.glob("*/.buildinfo"):
        leftover.unlink()
    files = [p for p in out.rglob("*") if p.is_file()]
    return SiteReport(out=out, pages=sum(p.suffix == ".html" for p in files),
                      size_bytes=sum(p.stat().st_size for p in files), seconds=time.perf_counter() - start)


def _sphinx(lang: str, source: Path, out: Path) -> subprocess.Popen:
    """Start ``sphinx-build`` for one language; warnings are errors (a broken link or image fails the build)."""
    env = {**os.environ, "COURSE_SITE_LANG": lang, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going", "-c", str(WEB),
           "-d", str(source.parent / f".doctrees-{lang}"), str(source), str(out)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
