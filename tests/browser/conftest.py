"""Real-browser fixtures: Debian's headless Chromium driven by Playwright, offline, screenshots under build/."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.paths import BUILD

SCREENSHOTS = BUILD / "screenshots"
#: Flags for a closed network and a container: no sandbox as root, no /dev/shm limits, nothing phoning home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-sync",
    "--metrics-recording-only",
    "--no-pings",
    "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
]


def chromium_path() -> str | None:
    """Debian's Chromium (installed by scripts/setup.sh), or $COURSE_CHROMIUM."""
    return os.environ.get("COURSE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the session. Missing Chromium skips the tests, except in CI, where it fails."""
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed: run `sudo apt-get install chromium` (scripts/setup.sh does it as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh page that records every failed or non-local request (a closed network must need none)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    page = context.new_page()
    page.course_problems = []
    page.on("response", lambda r: r.status >= 400 and page.course_problems.append(f"{r.status} {r.url}"))
    # net::ERR_ABORTED is a request the browser dropped because the test moved on to the next page (a late
    # favicon, say), not a fault of the site; a missing file still shows as a 404 response above
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "")
            and page.course_problems.append(f"failed {r.url} {r.failure}"))
    page.on("request", lambda r: _is_remote(r.url) and page.course_problems.append(f"remote {r.url}"))
    yield page
    context.close()


def _is_remote(url: str) -> bool:
    return url.startswith(("http://", "https://", "ws://", "wss://")) and "//127.0.0.1" not in url \
        and "//localhost" not in url


def screenshot(page: object, name: str) -> Path:
    """Save a screenshot of the page as build/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
