"""grader.feedback and the gradebook writers (grader.gradebook), without kernels."""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser

import pytest

from grader import gradebook
from grader.classroom import safe_name
from grader.feedback import feedback_html
from grader.gradebook import format_class_table, write_gradebook
from grader.models import CellScore, GradeResult, Submission

SCRIPT = "<script>alert(1)</script>"


class Tags(HTMLParser):
    """Collects the tags and attributes of a page."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def hostile_result() -> GradeResult:
    cells = [CellScore("add_tests", 2, 2, "passed"), CellScore("greet_tests", 0, 2, "failed"),
             CellScore("x<img src=x onerror=alert(2)>", 0, 2, "not_run")]
    return GradeResult(path=f"submitted/{SCRIPT}/99_demo.ipynb", assignment="99_demo", score=2, max_score=6,
                       cells=cells, errors=[f"greet_tests: AssertionError: {SCRIPT}", "둘째 줄\nsecond & <b>"],
                       seconds=1.5)


def test_feedback_escapes_everything_from_the_submission():
    """Does a <script> in the student's name, path, grade ids or errors arrive as text, never as a tag?"""
    page = feedback_html(hostile_result(), student=f'kim"{SCRIPT}')
    parser = Tags()
    parser.feed(page)
    tags = {tag for tag, _ in parser.tags}
    assert "script" not in tags and "img" not in tags
    assert SCRIPT not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "onerror=alert(2)&gt;" in page and "second &amp; &lt;b&gt;" in page
    assert all("onerror" not in attrs for _, attrs in parser.tags)


def test_feedback_is_bilingual_self_contained_korean_first():
    """Is the page lang="ko", bilingual, with the Hangul font stack and no external resources?"""
    page = feedback_html(hostile_result(), student="김민지")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="ko">' in page
    assert '"NanumGothic", "Noto Sans KR"' in page and "sans-serif" in page
    for ko, en in [("부분별 점수", "Points by part"), ("오류와 힌트", "Errors and hints"),
                   ("합계 2 / 6", "Total 2 / 6"), ("통과", "passed"), ("실패", "failed"), ("실행 안 됨", "not run"),
                   ("점수", "points"), ("배점", "max"), ("상태", "status"), ("김민지", "99_demo")]:
        assert ko in page and en in page
    assert page.count("<pre>") == 2
    parser = Tags()
    parser.feed(page)
    assert not [t for t, attrs in parser.tags if t in ("script", "link", "img", "iframe") or "src" in attrs]
    assert "http://" not in page and "https://" not in page and "@import" not in page


def graded_notebook_result() -> GradeResult:
    """A grade whose notebook view holds hostile markdown, code and outputs, and the grader's own paths."""
    from dataclasses import replace

    from grader.paths import ROOT

    notebook = (
        {"type": "markdown", "source": f"# Title\n\n{SCRIPT} <img src=x onerror=alert(3)> [x](javascript:alert(4))",
         "outputs": [], "grade_id": None, "answer": False},
        {"type": "code", "source": f"def add(a, b):\n    print('{SCRIPT}')\n    return a + b", "grade_id": "add_answer",
         "answer": True, "outputs": [{"kind": "stream", "text": f"{SCRIPT}\n"}]},
        {"type": "code", "source": "check_equal(add(1, 2), 3)", "grade_id": "add_tests", "answer": False,
         "outputs": [{"kind": "error", "text": f'File "{ROOT}/.venvs/main/lib/python3.11/x.py", line 1\nValueError'}]},
    )
    return replace(hostile_result(), path="/srv/class/submitted/kim/99_demo.ipynb", notebook=notebook,
                   errors=["missing: /srv/class/submitted/kim/99_demo.ipynb", f"{ROOT}/grader/grade.py"])


def test_feedback_shows_the_graded_notebook_escaped_with_each_parts_points():
    """The notebook view: every cell's text and output as text (markdown rendered, its HTML shown as text), the
    part's points above its test cell, and no path of the grading machine anywhere."""
    from grader.paths import ROOT

    page = feedback_html(graded_notebook_result(), student="kim")
    parser = Tags()
    parser.feed(page)
    assert not [t for t, attrs in parser.tags if t in ("script", "img", "iframe") or "onerror" in attrs]
    assert not [attrs for t, attrs in parser.tags if t == "a" and "javascript" in attrs.get("href", "")]
    assert "<h1>Title</h1>" in page and "채점한 노트북" in page and "Your notebook as graded" in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # markdown, answer source, its output
    assert '<code>add_tests</code> · 2 / 2 · 통과' in page and "답: add_answer" in page
    assert str(ROOT) not in page and "/srv/class" not in page, "a path of the grading machine reached the page"
    assert "99_demo.ipynb" in page


def test_graded_view_leaves_out_hidden_tests():
    """graded_view keeps the learner's cells and the visible tests, with outputs; never a hidden cell."""
    import nbformat

    from grader.verdicts import graded_view

    visible = nbformat.v4.new_code_cell("check_equal(add(1, 2), 3)", metadata={"nbgrader": {
        "grade": True, "solution": False, "grade_id": "add_tests", "points": 2}})
    visible.outputs = [nbformat.v4.new_output("stream", text="\x1b[31mred\x1b[0m ok\n")]
    hidden = nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\ncheck_equal(add(-7, 7), 0)",
                                       metadata={"hidden_of": "add_tests"})
    hidden.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="add(-7, 7): expected 0",
                                             traceback=["add(-7, 7)"])]
    view = graded_view(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# t"), visible, hidden]))
    assert [c["type"] for c in view] == ["markdown", "code"]
    assert view[1]["grade_id"] == "add_tests" and view[1]["outputs"] == [{"kind": "stream", "text": "red ok\n"}]
    assert "-7" not in repr(view)


def record(student, status="graded", points=(2, 0), errors=()):
    cells = [CellScore("add_tests", points[0], 2, "passed" if points[0] else "failed"),
             CellScore("greet_tests", points[1], 2, "passed" if points[1] else "failed")]
    return Submission(student=student, assignment="99_demo", path=f"x/{student}.ipynb", status=status,
                      score=sum(points), max_score=4, seconds=1.25, errors=list(errors), cells=cells)


def test_gradebook_csv_matches_json(tmp_path):
    """Do gradebook.csv and gradebook.json hold the same rows, columns and per-part points?"""
    records = [record("alice", points=(2, 2)),
               record("bob", errors=["=HYPERLINK()", "둘째 / second,\n\"quoted\""]),
               Submission("carol", "99_demo", "x", "unreadable", 0, 4, 0.1, ["not a notebook"])]
    csv_path, json_path = write_gradebook(records, tmp_path)
    with csv_path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    book = json.loads(json_path.read_text(encoding="utf-8"))
    assert list(rows[0]) == book["columns"] == [*gradebook.BASE_COLUMNS, "add_tests", "greet_tests"]
    assert book["max_points"] == {"99_demo": {"add_tests": 2, "greet_tests": 2}}
    for row, item in zip(rows, book["submissions"], strict=True):
        assert row["student"] == item["student"] and row["status"] == item["status"]
        assert float(row["score"]) == item["score"] and float(row["max_score"]) == item["max_score"]
        assert float(row["seconds"]) == item["seconds"]
        for part in ("add_tests", "greet_tests"):
            assert (float(row[part]) if row[part] else None) == item.get(part)
    assert rows[1]["errors"] == "'=HYPERLINK()\n\n둘째 / second,\n\"quoted\""  # no formula for spreadsheets
    assert book["submissions"][1]["errors"][0] == "=HYPERLINK()"
    assert rows[2]["add_tests"] == "" and rows[2]["status"] == "unreadable"


@pytest.mark.parametrize(("name", "expected"), [("kim", "kim"), ("김민지", "김민지"), ("..", "_"),
                                                ("../etc", "_etc"), ("a/b", "a_b"), (".hidden", "hidden")])
def test_safe_name_never_leaves_its_folder(name, expected):
    """Does a student's name become one harmless path component?"""
    assert safe_name(name) == expected


def test_class_table_is_bilingual_and_one_line_per_student():
    """Does the table have a bilingual header, one line per record, and a bilingual summary?"""
    text = format_class_table([record("alice\x1b[2J", points=(2, 2)), record("bob", status="error")])
    lines = text.splitlines()
    assert "학생 / student" in lines[0] and "alice?[2J" in lines[1] and "\x1b" not in text
    assert "채점 오류 / error" in lines[2] and "4 / 4" in lines[1]
    assert "제출물 2개" in lines[-1] and "2 submissions" in lines[-1]
