"""grader.execute and grader.course: papermill runs with budgets, records and reports."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from nbformat.v4 import new_code_cell

from grader.cli import main
from grader.course import run_course, select_notebooks, shard
from grader.paths import ROOT, relative
from tests.factory import notebook

pytestmark = pytest.mark.kernel


def run(paths, tmp_path, **kw):
    return run_course([str(p) for p in paths], report_dir=tmp_path / "build", progress=lambda line: None, **kw)


def test_ok_failed_and_timeout_are_told_apart(write_nb, tmp_path):
    """Are a good notebook, a failing one and one past its budget reported as ok, failed, timeout?"""
    ok = write_nb(notebook(new_code_cell("x = [0] * 10**6\nprint('done')")), name="01_ok.ipynb")
    bad = write_nb(notebook(new_code_cell("1"), new_code_cell("raise ValueError('boom')")), name="02_bad.ipynb")
    slow = write_nb(notebook(new_code_cell("import time\ntime.sleep(60)"),
                             course={"schema_version": 1, "budget_s": 3}), name="03_slow.ipynb")
    results = {r.path.split("/")[-1]: r for r in run([ok, bad, slow], tmp_path, jobs=3)}
    assert results["01_ok.ipynb"].status == "ok" and results["01_ok.ipynb"].peak_rss_mb > 10
    assert (tmp_path / "build" / "notebooks" / "01_ok.ipynb").is_file(), "the executed copy goes to report_dir"
    assert results["02_bad.ipynb"].status == "failed"
    assert "cell 1" in results["02_bad.ipynb"].error and "ValueError: boom" in results["02_bad.ipynb"].error
    assert results["03_slow.ipynb"].status == "timeout" and results["03_slow.ipynb"].seconds < 3 + 15
    report = json.loads((tmp_path / "build" / "report.json").read_text())
    assert {"path", "kernel", "status", "seconds", "budget_s", "peak_rss_mb", "error"} <= set(report[0])
    table = (tmp_path / "build" / "report.md").read_text()
    for name, status in [("01_ok", "ok"), ("02_bad", "failed"), ("03_slow", "timeout")]:  # a row each, not a header
        assert any(name in row and f"| {status}" in row for row in table.splitlines()), (name, table)


def test_kernel_override_skips_other_kernels(write_nb, tmp_path):
    """With --kernel python3, do course-xla notebooks get `skipped` with a reason, not `failed`?"""
    nb = notebook(new_code_cell("print(1)"))
    nb.metadata.kernelspec.name = "course-xla"
    xla = write_nb(nb, name="11_xla.ipynb")
    main_nb = write_nb(notebook(new_code_cell("import sys; print(sys.executable)")), name="01_main.ipynb")
    results = {r.path.split("/")[-1]: r for r in run([xla, main_nb], tmp_path, kernel="python3")}
    assert results["11_xla.ipynb"].status == "skipped" and "course-xla" in results["11_xla.ipynb"].error
    assert results["01_main.ipynb"].status == "ok" and results["01_main.ipynb"].kernel == "python3"


def test_a_kernel_installed_before_an_update_does_not_run(write_nb, tmp_path, monkeypatch):
    """A course kernelspec that differs from what setup writes today (here: the sitecustomize folder of an old
    checkout, so the offline guard would not load) fails the notebook with `make setup` in the message."""
    from grader.kernels import kernelspec_of, read_kernels

    spec = kernelspec_of(read_kernels()["course-main"])
    spec["env"]["PYTHONPATH"] = str(ROOT / "grader" / "site")
    folder = tmp_path / "jupyter" / "kernels" / "course-main"
    folder.mkdir(parents=True)
    (folder / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))  # searched before the environment's own
    [result] = run([write_nb(notebook(new_code_cell("print(1)")))], tmp_path)
    assert result.status == "failed" and "make setup" in result.error and result.seconds == 0
    (folder / "kernel.json").write_text(json.dumps(kernelspec_of(read_kernels()["course-main"])))
    [result] = run([write_nb(notebook(new_code_cell("print(1)")))], tmp_path)
    assert result.status == "ok", result.error


def test_deprecation_warnings_are_collected(write_nb, tmp_path):
    """Does a FutureWarning from a library outside torch's family land in the record's warnings?"""
    code = "import warnings\nwarnings.warn_explicit('old api', FutureWarning, 'lib.py', 1, module='somelib')"
    (result,) = run([write_nb(notebook(new_code_cell(code)))], tmp_path)
    assert result.status == "ok" and any("FutureWarning" in w for w in result.warnings)


def test_deprecations_are_errors_except_in_marked_demo_cells(write_nb, tmp_path):
    """Does torch's deprecation fail the run in a plain cell but not in a cell tagged deprecated-demo?"""
    demo = new_code_cell("import torch\ntorch.range(0, 3)", metadata={"tags": ["deprecated-demo"]})
    # A targeted filter the notebook sets (with its reason in the prose) lasts beyond its cell.
    targeted = new_code_cell("import warnings\nwarnings.filterwarnings('ignore', 'known noise', FutureWarning)")
    noise = new_code_cell("warnings.warn('known noise', FutureWarning)")
    after = new_code_cell("warnings.warn('gone soon', DeprecationWarning)")
    budget = {"schema_version": 1, "budget_s": 120}  # import torch on a busy machine
    first, second = (write_nb(notebook(*cells, course=budget), name=name) for cells, name in [
        ((demo, targeted, noise), "01_demo.ipynb"), ((demo, targeted, noise, after), "02_plain.ipynb")])
    results = {r.path.split("/")[-1]: r for r in run([first, second], tmp_path, jobs=2)}
    assert results["01_demo.ipynb"].status == "ok"
    assert results["02_plain.ipynb"].status == "failed"
    assert "cell 3" in results["02_plain.ipynb"].error and "DeprecationWarning" in results["02_plain.ipynb"].error


def test_select_and_shard(tmp_path):
    """Does --shard deal notebooks round-robin, and reject nonsense?"""
    items = [tmp_path / f"{i:02d}_n.ipynb" for i in range(5)]
    assert shard(items, "1/2") == items[0::2] and shard(items, "2/2") == items[1::2]
    from grader.errors import UsageError

    for spec in ("0/2", "3/2", "x"):
        with pytest.raises(UsageError):
            shard(items, spec)
    assert [p.name for p in select_notebooks(pattern="nothing-matches-this")] == []
    # --match looks at the path inside the course, never the folders above it (a checkout named `main`).
    assert select_notebooks(pattern=ROOT.name) == [p for p in select_notebooks() if ROOT.name in relative(p)]
    assert [relative(p) for p in select_notebooks(pattern="solutions/05")] == ["solutions/05_training.ipynb"]
    outside = tmp_path / ROOT.name / "notebooks"
    outside.mkdir(parents=True)
    (outside / "01_x.ipynb").write_text("{}")
    assert select_notebooks([str(outside)], pattern=ROOT.name) == []


def test_cli_run_exit_code(write_nb, tmp_path, monkeypatch):
    """Does `course run` exit 1 when a notebook fails, and print one line per notebook?"""
    monkeypatch.setenv("COURSE_BUILD", str(tmp_path / "build"))
    bad = write_nb(notebook(new_code_cell("1/0")), name="01_bad.ipynb")
    result = CliRunner().invoke(main, ["run", str(bad)])
    assert result.exit_code == 1 and "failed" in result.output and "ZeroDivisionError" in result.output
    # The report and the executed copy land in this test's build folder, not the repository's build/.
    assert "01_bad.ipynb" in (tmp_path / "build" / "report.json").read_text()
    assert (tmp_path / "build" / "notebooks" / "01_bad.ipynb").is_file()


def test_a_notebook_that_downloads_fails_loudly(write_nb, tmp_path):
    """Does `course run` fail a notebook that reaches for the network, with the guard's message?"""
    path = write_nb(notebook(new_code_cell(
        "import urllib.request\nurllib.request.urlopen('https://pypi.org/simple/', timeout=5)")))
    (result,) = run([path], tmp_path)
    assert result.status == "failed" and "network access is blocked" in result.error
