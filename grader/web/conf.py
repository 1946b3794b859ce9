"""Sphinx configuration of the course website, one language per build (`course site` sets COURSE_SITE_LANG)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sphinx.application import Sphinx

HERE = Path(__file__).resolve().parent
LANG = os.environ.get("COURSE_SITE_LANG", "en")
OTHER = {"ko": "en", "en": "ko"}[LANG]

project = {"ko": "파이토치 강의", "en": "A PyTorch course"}[LANG]
html_title = project
author = {"ko": "파이토치 강의 저자들", "en": "the PyTorch course authors"}[LANG]
# The theme's footer would say "By {author}", which its Korean translation renders as "{author}으로":
# the footer shows the copyright line only, written for each language.
copyright = {"ko": "2026 파이토치 강의 저자들", "en": "2026 the PyTorch course authors"}[LANG]  # noqa: A001
language = LANG
extensions = ["myst_nb"]
exclude_patterns = ["**.ipynb_checkpoints"]

# MyST-NB: the notebooks were executed by `course run`; the site only renders them.
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]  # lessons open with "# NN. Title" then "## 1." sections

html_theme = "sphinx_book_theme"
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": True,
    "article_header_end": ["langswitch.html", "article-header-buttons.html"],
    "footer_content_items": ["copyright"],
}
html_context = {"course_lang": LANG, "course_other_lang": OTHER,
                "course_other_label": {"ko": "English", "en": "한국어"}[LANG]}
templates_path = [str(HERE / "templates")]
html_static_path = [str(HERE / "static")]
html_css_files = ["course.css"]
html_favicon = str(HERE / "static" / "favicon.svg")
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None

# MathJax from the sphinx-mathjax-offline wheel, copied into the site: a closed network has no CDN.
mathjax_path = "mathjax/tex-chtml.js"
MATHJAX_PARTS = ("tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "a11y", "ui")
#: The Hangul web font the Korean pages use when the reader's machine has no Korean font (Debian fonts-nanum, OFL).
HANGUL_FONTS = ("/usr/share/fonts/truetype/nanum/NanumGothic.ttf",)


def _other_language(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:  # noqa: ARG001 - Sphinx's html-page-context signature
    """Give every page the address of the same page in the other language (both builds share page names)."""
    depth = pagename.count("/")
    context["course_other_url"] = "../" * (depth + 1) + f"{OTHER}/{pagename}.html"


def _copy_assets(app: Sphinx, exc: Exception | None) -> None:
    """Copy MathJax's files and the Hangul font into _static after a successful build."""
    if exc is not None:
        return
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    source = Path(spec.origin).parent / "static" / "mathjax"
    static = Path(app.outdir) / "_static"
    for part in MATHJAX_PARTS:
        src, dst = source / part, static / "mathjax" / part
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    if LANG == "ko":
        for font in map(Path, HANGUL_FONTS):
            if font.is_file():
                shutil.copy2(font, static / font.name)


def setup(app: Sphinx) -> dict:
    """Register the language switch and the offline assets."""
    app.connect("html-page-context", _other_language)
    app.connect("build-finished", _copy_assets)
    return {"parallel_read_safe": True}
