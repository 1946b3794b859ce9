"""The `course` command's check, clean and render verbs through click's CliRunner."""

import json

import nbformat
from click.testing import CliRunner
from nbformat.v4 import new_code_cell, new_output

from grader.cli import main
from tests.factory import confirmed, md, notebook


def test_check_exits_1_with_findings_and_0_when_clean(write_nb):
    """Does `course check` list findings with codes and set the exit code?"""
    good = write_nb(notebook(*confirmed(md("# 제목", "ko"), md("# Title", "en"))), name="01_good.ipynb")
    bad = write_nb(notebook(md("# Title", "en")), name="02_bad.ipynb")
    runner = CliRunner()
    assert runner.invoke(main, ["check", str(good)]).exit_code == 0
    result = runner.invoke(main, ["check", str(bad), "--json"])
    assert result.exit_code == 1 and json.loads(result.output)[0]["code"] == "B202"


def test_confirm_then_check_is_clean_and_refusals_exit_1(write_nb):
    """Does `course confirm` make a fresh pair pass `course check`, and exit 1 naming a pair it refuses?"""
    runner = CliRunner()
    fresh = write_nb(notebook(md("# 제목", "ko"), md("# Title", "en")), name="01_fresh.ipynb")
    assert runner.invoke(main, ["check", str(fresh)]).exit_code == 1  # B210: not confirmed yet
    result = runner.invoke(main, ["confirm", str(fresh)])
    assert result.exit_code == 0 and "1 translation pairs confirmed" in result.output
    assert runner.invoke(main, ["check", str(fresh)]).exit_code == 0
    uneven = write_nb(notebook(md("# 제목", "ko"), md("## Title", "en")), name="02_uneven.ipynb")
    result = runner.invoke(main, ["confirm", str(uneven)])
    assert result.exit_code == 1 and "not confirmed" in result.output


def test_clean_strips_outputs_in_place(write_nb):
    """Does `course clean` remove outputs and leave a notebook that passes the cleanliness check?"""
    cell = new_code_cell("print(1)")
    cell.outputs, cell.execution_count = [new_output("stream", name="stdout", text="1\n")], 1
    path = write_nb(notebook(cell))
    assert "cleaned" in CliRunner().invoke(main, ["clean", str(path)]).output
    cleaned = nbformat.read(path, 4)
    assert cleaned.cells[0].outputs == [] and cleaned.cells[0].execution_count is None
    assert CliRunner().invoke(main, ["clean", str(path)]).output == ""


def test_render_writes_one_language(write_nb, tmp_path):
    """Does `course render --lang en` write an English-only copy?"""
    path = write_nb(notebook(md("# 제목", "ko"), md("# Title", "en")))
    result = CliRunner().invoke(main, ["render", "--lang", "en", "--out", str(tmp_path / "out"), str(path)])
    assert result.exit_code == 0, result.output
    copy = nbformat.read(tmp_path / "out" / "en" / "notebooks" / path.name, 4)
    assert [c.source for c in copy.cells] == ["# Title"]


def test_a_course_error_is_said_once_in_each_language_with_exit_2(tmp_path):
    """Does every command (a subgroup's too) report a CourseError the one way: 오류 line, error line, exit 2?"""
    runner = CliRunner()
    # (a hub command fails here as not root, or, as root, for an account the class does not have)
    for args, ko, en in ((["run", "--match", "zzz_none"], "실행할 노트북이 없습니다", "no notebooks to run"),
                         (["hub", "remove-user", "nobody", "--hub-dir", str(tmp_path)], "", "")):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 2 and lines[0].startswith("오류: ") and lines[1].startswith("error: "), lines
        assert ko in lines[0] and en in lines[1] and "실행할" not in lines[1], lines
