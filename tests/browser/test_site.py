"""The built website in a real browser: every page and figure loads offline, the language switch works both ways."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.paths import EXERCISES, build_dir
from grader.render import LANGUAGES
from grader.website import SITE as SITE_FOLDER
from tests.browser.conftest import screenshot

SITE = build_dir() / SITE_FOLDER

#: Fonts with Hangul glyphs: the course's NanumGothic and the platforms' own.
HANGUL_FONTS = ("NanumGothic", "Noto Sans KR", "Noto Sans CJK", "Apple SD Gothic Neo", "Malgun Gothic")

#: The heading a reader sees on the same lesson in each language.
HEADINGS = {"ko": "01. 텐서", "en": "01. Tensors"}


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """Serve build/site on a free local port (built by `make site`, which `make test` runs first)."""
    if not (SITE / "index.html").is_file():
        pytest.fail("build/site is missing: run `make site` (after `make course`) first")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def pages(lang: str) -> list[str]:
    """Every HTML page of one language, relative to the site root."""
    found = (p.relative_to(SITE) for p in (SITE / lang).rglob("*.html"))
    return sorted(p.as_posix() for p in found if not any(part.startswith("_") for part in p.parts))  # not _static/


def test_language_switch_on_a_lesson(site: str, page: object) -> None:
    page.goto(f"{site}/ko/notebooks/01_tensors.html")
    assert page.locator("h1").first.inner_text().startswith(HEADINGS["ko"])
    assert page.evaluate("document.documentElement.lang") == "ko"
    screenshot(page, "site_01_tensors_ko")
    page.locator("a.course-lang-switch").click()
    page.wait_for_url("**/en/notebooks/01_tensors.html")
    assert page.locator("h1").first.inner_text().startswith(HEADINGS["en"])
    screenshot(page, "site_01_tensors_en")
    page.locator("a.course-lang-switch").click()
    page.wait_for_url("**/ko/notebooks/01_tensors.html")
    assert page.locator("h1").first.inner_text().startswith(HEADINGS["ko"])
    assert page.course_problems == []


def test_landing_page_and_chapter_index(site: str, page: object) -> None:
    page.goto(f"{site}/index.html")
    for lang in LANGUAGES:
        assert page.locator(f'a[hreflang="{lang}"]').count() == 1
    page.locator('a[hreflang="en"]').click()
    page.wait_for_url("**/en/index.html")
    page.wait_for_selector("table a")
    lessons = page.locator("table a[href^='notebooks/']")
    exercises = page.locator("table a[href^='exercises/']")
    # One link per source notebook (and there are some: zero links against zero pages would prove nothing).
    assert lessons.count() == len([p for p in pages("en") if "/notebooks/" in p]) >= 15
    exercise_pages = [p for p in pages("en") if "/exercises/" in p]
    assert exercises.count() == len(exercise_pages) == len(list(EXERCISES.glob("*.ipynb"))) > 0
    screenshot(page, "site_index_en")
    assert page.course_problems == []


def test_korean_text_uses_a_hangul_font(site: str, page: object) -> None:
    page.goto(f"{site}/ko/notebooks/02_autograd.html")
    page.evaluate("document.fonts.ready")
    assert "Course Hangul" in page.evaluate("getComputedStyle(document.querySelector('article p')).fontFamily")
    # Ask Chromium which font actually drew the paragraph's glyphs (not tofu boxes from a Latin fallback).
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "article section p"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    used = {f["familyName"]: f["glyphCount"] for f in fonts}
    text = page.evaluate("document.querySelector('article section p').textContent")
    hangul = sum("\uac00" <= ch <= "\ud7a3" for ch in text)
    drawn = sum(count for name, count in used.items() if any(k in name for k in HANGUL_FONTS))
    # Every Hangul syllable drawn by a Hangul font (a Latin fallback would draw tofu for them).
    assert hangul > 0 and drawn >= hangul, (hangul, used)


def test_formulas_and_code_render(site: str, page: object) -> None:
    page.goto(f"{site}/en/notebooks/02_autograd.html")
    page.wait_for_selector("mjx-container", timeout=30_000)  # MathJax typeset from the site's own copy
    assert page.locator("div.highlight span.kn").count() > 0  # pygments marked `import` as a keyword
    screenshot(page, "site_02_autograd_math_en")
    assert page.course_problems == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_and_image_loads(site: str, page: object, lang: str) -> None:
    broken: dict[str, list[str]] = {}
    for path in pages(lang):
        page.goto(f"{site}/{path}", wait_until="load")
        images = page.evaluate("""() => Array.from(document.images)
            .filter(img => !img.complete || img.naturalWidth === 0).map(img => img.getAttribute('src'))""")
        # every local link, stylesheet, icon and script the page names must be a file the build wrote
        links = page.evaluate("""() => Array.from(document.querySelectorAll('a[href], link[href]'))
            .map(a => a.href).concat(Array.from(document.querySelectorAll('script[src]')).map(s => s.src))
            .filter(h => h.startsWith(location.origin))""")
        if images:
            broken[path] = images
        for link in links:
            target = SITE / link.removeprefix(site + "/").split("#")[0].split("?")[0]
            if not target.exists():
                broken.setdefault(path, []).append(link)
    assert broken == {}
    assert page.course_problems == []


def test_exercises_carry_no_solutions() -> None:
    pages = sorted((SITE / "en" / "exercises").glob("*.html"))
    assert [p.stem for p in pages] == sorted(p.stem for p in EXERCISES.glob("*.ipynb")), "an exercise page is missing"
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, path.name
        assert "NotImplementedError" in text, path.name
    assert Path(SITE / ".nojekyll").is_file()
