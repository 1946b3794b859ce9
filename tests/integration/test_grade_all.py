"""grader.classroom over real kernels: a whole class graded at once, honestly, harming nothing."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from grader.assignments import release_notebook
from grader.classroom import grade_all
from grader.cli import main
from grader.mutations import with_answers
from grader.paths import ROOT
from grader.schemas import problems
from grader.submissions import find_submissions
from tests.factory import demo_solution

pytestmark = pytest.mark.kernel
BUDGET_S = 30  # generous: kernel start-up counts against it, and classes grade two at a time
SCRIPT = "<script>alert(1)</script>"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A scratch course with the four-part demo exercise (8 points); its solution and release."""
    solutions = tmp_path_factory.mktemp("course") / "solutions"
    solutions.mkdir()
    solution = solutions / "99_demo.ipynb"
    nbformat.write(demo_solution(budget_s=BUDGET_S), solution)
    return solutions, nbformat.read(solution, 4), release_notebook(solution)


def put(path: Path, content) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        nbformat.write(content, path)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder` with the sha256 of its bytes (folders: "dir")."""
    return {str(p.relative_to(folder)): "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))}


def test_a_class_in_nbgrader_layout_graded_two_at_a_time(tmp_path, course):
    """One run over seven students (each check below is one promise); one test, so xdist grades it once."""
    solutions, solution, release = course
    root = tmp_path / "class"
    submitted = root / "submitted"
    text = nbformat.writes(solution)
    for student, content in {
        "alice": solution,
        "bob": release,
        "carol": with_answers(solution, {"add_answer": "def add(a, b):\n    return a - b",
                                        "greet_answer": f"def greet(name):\n    raise AssertionError({SCRIPT!r})"}),
        "dave": with_answers(solution, {"add_answer": "def add(a, b):\n    while True:\n        pass"}),
        "erin": PNG,
        "frank": text[: len(text) // 2].encode(),
    }.items():
        put(submitted / student / "99_demo" / "99_demo.ipynb", content)
        (submitted / student / "99_demo" / "timestamp.txt").write_text("2026-11-22 10:00:00.000000 UTC\n")
    put(submitted / "gina" / "99_demo" / "answer.pdf", b"%PDF-1.4")  # no notebook at all
    put(submitted / "alice" / "99_demo" / ".ipynb_checkpoints" / "99_demo-checkpoint.ipynb", b"{")
    assert find_submissions(root) == find_submissions(submitted)  # the course root or its submitted/
    before = snapshot(root)
    out = tmp_path / "grades" / "out"
    start = time.monotonic()
    records = {r.student: r for r in grade_all(root, out=out, jobs=2, solutions=solutions, cell_timeout_s=3)}
    assert time.monotonic() - start < 4 * (BUDGET_S + 15)
    check_scores(records)
    check_bilingual_errors(records)
    assert snapshot(root) == before, "the submissions changed"
    check_gradebook(records, out)
    check_feedback(records, out)


def check_scores(records):
    """Do full, untouched, wrong, looping, non-notebook, truncated and missing submissions all score right?"""
    scores = {s: (r.score, r.max_score, r.status) for s, r in records.items()}
    assert scores == {
        "alice": (8, 8, "graded"), "bob": (0, 8, "graded"), "carol": (4, 8, "graded"), "dave": (6, 8, "graded"),
        "erin": (0, 8, "unreadable"), "frank": (0, 8, "unreadable"), "gina": (0, 8, "missing"),
    }
    assert records["alice"].errors == []
    assert records["carol"].points == {"add_tests": 0, "double_tests": 2, "square_tests": 2, "greet_tests": 0}
    assert records["dave"].points["add_tests"] == 0


def check_bilingual_errors(records):
    """Does each student who lost points get a reason in Korean and English?"""
    assert any("기댓값" in e and "expected" in e for e in records["carol"].errors)
    for student in ("erin", "frank"):
        assert any("노트북" in e and "Jupyter notebook" in e for e in records[student].errors), student
    assert any("제출물이 없습니다" in e and "no submission found" in e for e in records["gina"].errors)


def check_gradebook(records, out):
    """Does gradebook.csv parse with DictReader and agree with gradebook.json and the records?"""
    with (out / "gradebook.csv").open(encoding="utf-8", newline="") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    book = json.loads((out / "gradebook.json").read_text(encoding="utf-8"))
    assert problems(book, "gradebook") == [], "the contract (grader/schema/gradebook.json)"
    items = {item["student"]: item for item in book["submissions"]}
    parts = ["add_tests", "double_tests", "square_tests", "greet_tests"]
    assert book["columns"] == ["student", "assignment", "score", "max_score", "status", "seconds", "errors", *parts]
    assert book["max_points"] == {"99_demo": dict.fromkeys(parts, 2.0)}
    assert set(rows) == set(items) == set(records)
    for student, row in rows.items():
        item = items[student]
        assert row["assignment"] == item["assignment"] == "99_demo"
        assert float(row["score"]) == item["score"] == records[student].score
        assert float(row["max_score"]) == item["max_score"] == 8
        assert row["status"] == item["status"] and row["errors"] == "\n\n".join(item["errors"])
        assert [float(row[p]) for p in parts] == [item[p] for p in parts]
    assert sorted(p.name for p in out.iterdir()) == ["feedback", "gradebook.csv", "gradebook.json"]


def check_feedback(records, out):
    """Is there a page per student, and does a <script> from a student's error arrive escaped?"""
    for student, record in records.items():
        assert record.feedback == f"feedback/{student}/99_demo.html"
        assert (out / record.feedback).is_file()
    page = (out / records["carol"].feedback).read_text(encoding="utf-8")
    assert SCRIPT not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<html lang="ko">' in page and "합계 4 / 8" in page and "Total 4 / 8" in page
    # The notebook as graded: carol's own answer, her part's points above its test, no hidden test, no path here
    assert "return a - b" in page and "<code>add_tests</code> · 0 / 2 · 실패" in page
    assert "HIDDEN" not in page and "add(-1, 1)" not in page
    assert str(out.parent.parent) not in page and "99_demo.ipynb" in page


def test_flat_folder_two_runs_at_once(tmp_path, course):
    """Do two `course grade-all` processes over a flat folder, into two out folders, both get it right?"""
    solutions, solution, _ = course
    flat = tmp_path / "flat"
    put(flat / "alice__99_demo.ipynb", solution)
    put(flat / "bob__99_demo.ipynb", b"{")
    put(flat / "carol.ipynb", b"{")  # no assignment in its name, and no grade ids to tell it by
    put(flat / "notes.txt", b"not a submission")
    before = snapshot(flat)
    command = [sys.executable, "-m", "grader", "grade-all", str(flat), "--solutions", str(solutions), "--jobs", "2"]
    runs = [subprocess.Popen([*command, "--out", str(tmp_path / f"out{i}")], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True) for i in (1, 2)]
    outputs = [run.communicate(timeout=3 * (BUDGET_S + 30))[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    for i, output in zip((1, 2), outputs, strict=True):
        book = json.loads((tmp_path / f"out{i}" / "gradebook.json").read_text(encoding="utf-8"))
        got = {s["student"]: (s["assignment"], s["score"], s["status"]) for s in book["submissions"]}
        assert got == {"alice": ("99_demo", 8, "graded"), "bob": ("99_demo", 0, "unreadable"),
                       "carol": ("unknown", 0, "error")}
        assert "학생 / student" in output and "wrote" in output and str(tmp_path / f"out{i}") in output
        assert "Traceback" not in output
    assert snapshot(flat) == before


def test_cli_usage_errors_and_assignment_option(tmp_path, course):
    """Exit 2 for a missing or empty folder or --out inside it; `--assignment` names <student>.ipynb."""
    solutions, _, _ = course
    runner = CliRunner()
    args = ["--solutions", str(solutions), "--out", str(tmp_path / "out")]
    missing = runner.invoke(main, ["grade-all", str(tmp_path / "nope"), *args])
    assert missing.exit_code == 2 and "제출물 폴더가 없습니다" in missing.output and "no such" in missing.output
    (tmp_path / "empty").mkdir()
    empty = runner.invoke(main, ["grade-all", str(tmp_path / "empty"), *args])
    assert empty.exit_code == 2 and "no submissions" in empty.output
    put(tmp_path / "flat" / "dave.ipynb", PNG)
    put(tmp_path / "flat" / "erin__other.ipynb", b"{")  # another exercise: not this run's
    inside = runner.invoke(main, ["grade-all", str(tmp_path / "flat"), "--out", str(tmp_path / "flat" / "o")])
    assert inside.exit_code == 2 and "inside" in inside.output and not (tmp_path / "flat" / "o").exists()
    ok = runner.invoke(main, ["grade-all", str(tmp_path / "flat"), "--assignment", "99_demo", *args])
    assert ok.exit_code == 0, ok.output
    lines = ok.output.splitlines()
    assert any(line.startswith("dave ") and "0 / 8" in line and "읽을 수 없음 / unreadable" in line for line in lines)
    assert not any("erin" in line for line in lines)
    assert (tmp_path / "out" / "feedback" / "dave" / "99_demo.html").is_file()
