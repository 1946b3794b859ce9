"""The course run (build/report.json from `course run`): every notebook ran, ok, within budget."""

from __future__ import annotations

import json

import pytest

from grader.paths import build_dir, relative
from grader.schemas import problems
from tests.course.conftest import RUNNABLE_NOTEBOOKS, nb_id


@pytest.fixture(scope="module")
def report() -> dict[str, dict]:
    path = build_dir() / "report.json"
    if not path.exists():
        pytest.fail("build/report.json is missing: run `make course` first / 먼저 `make course`를 실행하세요")
    records = json.loads(path.read_text(encoding="utf-8"))
    assert problems(records, "run-report") == [], "report.json breaks its contract (grader/schema/run-report.json)"
    return {r["path"]: r for r in records}


@pytest.mark.parametrize("path", RUNNABLE_NOTEBOOKS, ids=nb_id)
def test_notebook_ran_ok_within_budget(path, report):
    """Did this notebook run to the end, inside its budget, without deprecation warnings?"""
    record = report.get(relative(path))
    assert record is not None, "not in build/report.json: run `make course` without NB="
    assert record["status"] == "ok", record["error"]
    assert record["seconds"] <= record["budget_s"]
    assert record["seconds"] > 1, "a notebook that ran in about 0 s did not really run"
    assert not record["warnings"], record["warnings"]
