"""grader.schemas: the course's TOML data and notebook metadata against the JSON Schemas in grader/schema/."""

from __future__ import annotations

import json
from typing import get_args

import pytest

from grader import messages
from grader.errors import DataError
from grader.models import CellStatus, GradeStatus, RunStatus, SubmissionStatus
from grader.paths import ROOT
from grader.schemas import SCHEMAS, load_toml, problems, validator

DATA = {"kernels": ["grader/kernels.toml"], "mistakes": ["grader/mistakes.toml"],
        "glossary": ["grader/glossary.toml"], "deprecations": ["grader/deprecations.toml"],
        "wrong-answers": sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests/course/wrong_answers").glob("*.toml"))}


#: The JSON the tool writes for other tools.
OUTPUTS = ("run-report", "grade-result", "gradebook")


def test_output_schemas_allow_exactly_the_records_statuses():
    """A status added to a record (models.py) but not to its schema would fail the contract tests late; here."""
    report = validator("run-report").schema["items"]["properties"]["status"]["enum"]
    grade = validator("grade-result").schema
    book = validator("gradebook").schema["properties"]["submissions"]["items"]["properties"]["status"]["enum"]
    assert set(report) == set(get_args(RunStatus))
    assert set(grade["properties"]["status"]["enum"]) == set(get_args(GradeStatus))
    assert set(grade["$defs"]["cell"]["properties"]["status"]["enum"]) == set(get_args(CellStatus))
    assert set(book) == set(get_args(SubmissionStatus))


def test_every_schema_is_valid_and_used():
    """Each schema passes the 2020-12 meta-schema and names a data set this suite checks (none is dead)."""
    names = {p.stem for p in SCHEMAS.glob("*.json")}
    assert names == {*DATA, "course-metadata", *OUTPUTS}
    for name in names:
        assert validator(name).schema["$id"] == f"{name}.json"


@pytest.mark.parametrize(("schema", "path"), [(s, p) for s, paths in DATA.items() for p in paths])
def test_the_course_data_holds_its_schema(schema, path):
    load_toml(ROOT / path, schema)


@pytest.mark.parametrize(("schema", "text", "says"), [
    ("kernels", '[main]\nname = "course-main"\ndisplayname = "x"\n', "display_name"),
    ("kernels", '[main]\nname = "main"\ndisplay_name = "x"\n', "'main' does not match"),
    ("mistakes", '[off-by-one]\nko = "one off"\nen = "One off."\n', "ko"),
    ("glossary", '[dict]\nen = "dict"\nko = "딕셔너리"\navoid_re = ["사전(?!"]\n', "is not a 'regex'"),
    ("wrong-answers", '[[wrong]]\nanswer = "a"\nloses = []\nmistake = "x"\nwhy = "y"\nsource = "z"\n', "loses"),
    ("wrong-answers", '[[wrong]]\nanswer = "a"\nloses = ["t"]\nmistake = "x"\nsource = "z"\n', "'why' is a required"),
    ("deprecations", '[[api]]\nname = "x"\nkernel = "course-main"\nstatus = "broken"\nreplacement = "y"\n'
                     'taught_in = "notebooks/01_x.ipynb"\nprobe = "1"\n', "'broken' is not one of"),
    ("kernels", "[main\n", "Expected"),
])
def test_a_broken_data_file_stops_with_its_name_place_and_problem(tmp_path, schema, text, says):
    path = tmp_path / "data.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_toml(path, schema)
    ko, en = str(caught.value).splitlines()
    assert "data.toml" in en and says in en and "강의 데이터 파일" in ko, str(caught.value)
    assert caught.value.key == "error.data" and "error.data" in messages.MESSAGES


def test_metadata_problems_name_each_place():
    found = problems({"budget_s": "fast", "gpu": "always", "extra": 1}, "course-metadata")
    assert len(found) == 3 and found[1].startswith("budget_s:") and found[2].startswith("gpu:"), found
    assert problems({"schema_version": 1, "budget_s": 90, "gpu": "none"}, "course-metadata") == []


def test_schemas_are_shipped_with_the_package():
    """pyproject.toml's package data includes grader/schema/*.json (a wheel without them could check nothing)."""
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    assert "schema/*.json" in data["grader"]
    assert all(json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.json"))
