"""Terminal tables, the run report and the mutation summary: aligned in both scripts, texts from the catalogue."""

from __future__ import annotations

from wcwidth import wcswidth

from grader import messages
from grader.grade import format_table
from grader.models import CellScore, GradeResult, RunResult
from grader.mutations import summary
from grader.report import render_markdown
from grader.tables import table


def _starts(line: str, cell: str) -> int:
    """The terminal column where `cell` starts in `line`."""
    return wcswidth(line[:line.index(cell)])


def test_columns_line_up_in_terminal_columns_whatever_the_script():
    """A Hangul name takes two columns a letter: the next column starts at the same place on every row."""
    text = table(["학생 / student", "점수"], [["김민지", "3 / 5"], ["bob", "10 / 10"], ["e\u0301va", "1 / 1"]],
                 ["left", "right"])
    head, *rows = text.splitlines()
    ends = {wcswidth(line) for line in [head, *rows]}
    assert len(ends) == 1, text  # right-aligned scores end together
    assert _starts(rows[0], "3 / 5") == _starts(rows[1], "10 / 10") + 2  # 3 / 5 is two columns narrower


def test_control_characters_never_reach_the_terminal():
    text = table(["name"], [["alice\x1b[2J"]], ["left"])
    assert "\x1b" not in text and "alice?[2J" in text


def test_grade_table_labels_come_from_the_catalogue():
    result = GradeResult(path="x.ipynb", assignment="01_tensors", score=1, max_score=3, errors=[], seconds=1.0,
                         cells=[CellScore("make_tensor", 1, 1, "passed"), CellScore("긴_이름", 0, 2, "failed")])
    lines = format_table(result).splitlines()
    assert lines[2].split() == ["grade_id", *messages.one_line("grade.col.points").split(),
                                *messages.one_line("grade.col.status").split()]
    assert _starts(lines[3], "1 / 1") == _starts(lines[4], "0 / 2"), lines
    assert messages.one_line("grade.status.failed") in lines[4]


def test_run_report_is_bilingual_and_notes_come_from_the_catalogue():
    near = RunResult("notebooks/01.ipynb", "course", "ok", 85.0, 100, 300.0, warnings=["w1", "w2"])
    text = render_markdown([near, RunResult("notebooks/02.ipynb", "course", "failed", 3, 90, 100, error="a|b")])
    assert text.startswith(f"# {messages.one_line('report.title')}")
    header = text.splitlines()[2]
    assert messages.one_line("report.col.peak") in header and header.count("|") == 8
    row = next(line for line in text.splitlines() if "01.ipynb" in line)
    assert messages.one_line("report.near_budget", percent=80) in row
    assert messages.one_line("report.warnings", count=2) in row
    assert r"a\|b" in text, "a | inside an error must not split the row"
    assert messages.one_line("report.total", count=2, seconds=88.0) in text


def test_mutation_summary_counts_every_exercise_and_names_no_unused_mistake():
    lines = summary().splitlines()
    rows = [line for line in lines[1:] if line and line[:2].isdigit()]
    assert len(rows) >= 15 and rows[0].startswith("00_")
    assert lines[-1] == messages.one_line("mutations.total", count=sum(int(r.split()[1]) for r in rows),
                                          unused=messages.sides("mutations.none"))
