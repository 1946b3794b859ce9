"""`make lab` in a real browser: a lesson runs without errors, and nbgrader's validate judges an exercise."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from grader.mutations import solution_answers, with_answers
from grader.nbio import read_notebook, write_notebook
from grader.paths import EXERCISES, ROOT, SOLUTIONS
from grader.render import render_notebook
from tests.browser.conftest import free_port, screenshot

LESSON = "notebooks/00_setup.ipynb"
EXERCISE = "01_tensors"


class Lab:
    """A running `make lab LANG=en` (or `lang`) on a free port, with its own workspace, exchange and Jupyter folders."""

    def __init__(self, tmp: Path, lang: str = "en") -> None:
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.workspace = tmp / "workspace"
        env = {**os.environ, "COURSE_WORKSPACE": str(self.workspace), "COURSE_EXCHANGE": str(tmp / "exchange"),
               "HOME": str(tmp / "home"), "JUPYTER_CONFIG_DIR": str(tmp / "jupyter-config"),
               "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"), "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "lab-workspaces"),
               "IPYTHONDIR": str(tmp / "ipython"), "JUPYTER_TOKEN": self.token, "BROWSER": "true"}
        args = "--no-browser --LabApp.expose_app_in_browser=True --ServerApp.ip=127.0.0.1"
        self.log = (tmp / "lab.log").open("w")
        self.proc = subprocess.Popen(["make", "-s", "lab", f"LANG={lang}", f"PORT={self.port}", f"LAB_ARGS={args}"],
                                     cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        try:
            self.started_s = self._wait_ready(tmp / "lab.log")
        except BaseException:
            self.stop()
            raise

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"

    def _wait_ready(self, log: Path, timeout_s: float = 90) -> float:
        start = time.monotonic()
        while time.monotonic() - start < timeout_s:
            if self.proc.poll() is not None:
                raise RuntimeError(f"make lab exited {self.proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url("api/status"), timeout=2):
                    return time.monotonic() - start
            except OSError:
                time.sleep(0.5)
        raise TimeoutError(f"JupyterLab did not answer in {timeout_s} s:\n{log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    from grader.exchange import Course, release

    tmp = tmp_path_factory.mktemp("lab")
    # An instructor released one exercise to this lab's exchange: the Assignments tab must list it.
    release(EXERCISE, course=Course.at(tmp / "instructor", tmp / "exchange"))
    running = Lab(tmp)
    yield running
    running.stop()


def answered_release(name: str) -> object:
    """The released exercise with every answer cell taken from the solution: what a learner who solved it has."""
    release, solution = read_notebook(EXERCISES / f"{name}.ipynb"), read_notebook(SOLUTIONS / f"{name}.ipynb")
    return render_notebook(with_answers(release, solution_answers(solution, markers=True)), "en")


def open_notebook(page: object, lab: Lab, path: str) -> None:
    """Open `path` in JupyterLab and wait until its kernel is idle."""
    page.goto(lab.url(f"lab/tree/{path}") + "&reset")  # reset: only this notebook open, no restored tabs
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                           " && window.jupyterapp.shell.currentWidget.sessionContext", timeout=60_000)
    page.evaluate("""async () => {
        const panel = window.jupyterapp.shell.currentWidget;
        await panel.context.ready;
        await panel.sessionContext.ready;
    }""")


#: The notebook panel in front (JupyterLab keeps earlier tabs open, hidden, each with its own toolbar).
CURRENT_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

RUN_ALL = """async () => {
    const app = window.jupyterapp, panel = app.shell.currentWidget;
    await app.commands.execute('notebook:run-all-cells');
    const cells = panel.content.model.cells, report = {code: 0, ran: 0, errors: []};
    for (let i = 0; i < cells.length; i++) {
        const cell = cells.get(i).toJSON();
        if (cell.cell_type !== 'code') continue;
        report.code += 1;
        if (cell.execution_count) report.ran += 1;
        for (const out of cell.outputs)
            if (out.output_type === 'error') report.errors.push(out.ename + ': ' + out.evalue);
    }
    return report;
}"""


def test_lesson_runs_in_the_lab_without_errors(lab: Lab, page: object) -> None:
    assert (lab.workspace / "en" / LESSON).is_file(), "make lab rendered the English copies"
    open_notebook(page, lab, LESSON)
    report = page.evaluate(RUN_ALL)
    screenshot(page, "lab_lesson_00_setup_en")
    assert report["code"] > 5
    assert report["ran"] == report["code"], report
    assert report["errors"] == []
    text = page.inner_text(f"{CURRENT_PANEL} .jp-Notebook")
    assert "Traceback" not in text
    assert page.course_problems == []


@pytest.mark.parametrize(("copy_name", "expected"), [
    (f"{EXERCISE}.ipynb", "NotImplementedError"),
    (f"{EXERCISE}_solved.ipynb", "Success! Your notebook passes all the tests."),
])
def test_nbgrader_validate_in_the_lab(lab: Lab, page: object, copy_name: str, expected: str) -> None:
    if copy_name != f"{EXERCISE}.ipynb":
        write_notebook(answered_release(EXERCISE), lab.workspace / "en" / "exercises" / copy_name)
    open_notebook(page, lab, f"exercises/{copy_name}")
    page.locator(CURRENT_PANEL).get_by_role("button", name="Validate").click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=90_000)
    expect(dialog).to_contain_text(expected, timeout=90_000)
    screenshot(page, f"lab_validate_{Path(copy_name).stem}")
    assert page.course_problems == []


def test_assignments_tab_lists_the_released_exercise(lab: Lab, page: object) -> None:
    page.goto(lab.url("lab") + "&reset")
    command = "nbgrader:open-assignment-list"
    page.wait_for_function(f"() => window.jupyterapp && window.jupyterapp.commands.hasCommand('{command}')",
                           timeout=60_000)
    page.evaluate(f"() => window.jupyterapp.commands.execute('{command}')")
    released = page.locator("#released_assignments_list")
    expect(released).to_contain_text(EXERCISE, timeout=60_000)
    expect(released).to_contain_text("pytorch-course")
    released.get_by_role("button", name="Fetch").click()  # what a learner does: fetch it into the workspace
    expect(page.locator("#fetched_assignments_list")).to_contain_text(EXERCISE, timeout=60_000)
    assert (lab.workspace / "en" / EXERCISE / f"{EXERCISE}.ipynb").is_file()
    screenshot(page, "lab_assignments_tab")
    assert page.course_problems == []


def test_make_lab_in_korean_has_korean_menus(tmp_path: Path, page: object) -> None:
    """Does `make lab LANG=ko` open JupyterLab with its own menus in Korean (the language pack)?"""
    running = Lab(tmp_path, lang="ko")
    try:
        page.goto(running.url("lab") + "&reset")
        menu = page.locator("#jp-MainMenu .lm-MenuBar-itemLabel")
        expect(menu.first).to_have_text("파일", timeout=60_000)
        expect(menu.filter(has_text="커널")).to_have_count(1)
        screenshot(page, "lab_menus_ko")
        assert page.course_problems == []
    finally:
        running.stop()
