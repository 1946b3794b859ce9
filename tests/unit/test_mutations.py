"""grader.mutations: putting answers into an exercise, as every grading test and script does."""

import pytest

from grader.mutations import solution_answers, with_answers
from tests.factory import demo_solution


def test_with_answers_replaces_only_those_cells_and_leaves_the_original():
    solution = demo_solution()
    answered = with_answers(solution, {"add_answer": "\ndef add(a, b):\n    return 0\n"})
    sources = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in answered.cells}
    assert sources["add_answer"] == "def add(a, b):\n    return 0"
    assert sources["square_answer"] == solution_answers(solution, markers=True)["square_answer"]
    assert "return a + b" in solution_answers(solution)["add_answer"], "the original must not change"


def test_with_answers_refuses_a_grade_id_it_does_not_have():
    with pytest.raises(KeyError):
        with_answers(demo_solution(), {"ad_answer": "def add(a, b):\n    return a + b"})


def test_solution_answers_drop_the_marker_lines_unless_asked():
    answers = solution_answers(demo_solution())
    assert "BEGIN SOLUTION" not in answers["add_answer"] and "return a + b" in answers["add_answer"]
    assert "### BEGIN SOLUTION" in solution_answers(demo_solution(), markers=True)["add_answer"]
