"""Every exercise: the untouched release scores 0, the solution full marks, each wrong answer loses its part."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import nbformat
import pytest

from grader.grade import grade_notebook
from grader.mutations import read_mistakes, read_wrong_answers, with_answers
from grader.paths import EXERCISES
from tests.course.conftest import SOLUTION_NOTEBOOKS, nb_id

pytestmark = pytest.mark.kernel


def wrong_answers(solution: Path) -> list[dict]:
    return read_wrong_answers(solution.stem)


CASES = [(s, w) for s in SOLUTION_NOTEBOOKS for w in wrong_answers(s)]


def _grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def grade_as(nb, tmp_path: Path, name: str):
    path = tmp_path / name
    nbformat.write(nb, path)
    return grade_notebook(path)


@pytest.mark.parametrize("solution", SOLUTION_NOTEBOOKS, ids=nb_id)
def test_untouched_release_scores_zero(solution, tmp_path):
    """Does every graded test fail on the untouched release?"""
    result = grade_as(nbformat.read(EXERCISES / solution.name, 4), tmp_path, solution.name)
    assert result.max_score > 0 and result.score == 0, result.errors
    assert {c.status for c in result.cells} == {"failed"}, "every test must run and fail, not be skipped"


@pytest.mark.parametrize("solution", SOLUTION_NOTEBOOKS, ids=nb_id)
def test_solution_scores_full_marks(solution, tmp_path):
    """Does the solution earn every point?"""
    result = grade_as(nbformat.read(solution, 4), tmp_path, solution.name)
    assert result.score == result.max_score > 0, result.errors


MIN_MUTATIONS = 2
MISTAKES = read_mistakes()


@pytest.mark.parametrize("solution", SOLUTION_NOTEBOOKS, ids=nb_id)
def test_every_graded_part_is_proven_by_cataloged_mistakes(solution):
    """Is each test cell proven by at least two wrong answers, each a mistake from grader/mistakes.toml?"""
    nb = nbformat.read(solution, 4)
    tests = {c.metadata.nbgrader.grade_id for c in nb.cells
             if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata.nbgrader.get("solution")}
    wrong = wrong_answers(solution)
    counts = Counter(grade_id for w in wrong for grade_id in w["loses"])
    assert not [t for t in tests if counts[t] < MIN_MUTATIONS], f"fewer than {MIN_MUTATIONS} mutations: {counts}"
    unknown = [(w["answer"], w.get("mistake")) for w in wrong if w.get("mistake") not in MISTAKES]
    assert not unknown, f"`mistake` missing or not in grader/mistakes.toml: {unknown}"


@pytest.mark.parametrize(("solution", "wrong"), CASES,
                         ids=[f"{nb_id(s)}:{w['answer']}:{i}" for i, (s, w) in enumerate(CASES)])
def test_wrong_answer_loses_its_points(solution, wrong, tmp_path):
    """Does this plausible mistake lose exactly the parts it should?"""
    nb = nbformat.read(solution, 4)
    assert [_grade_id(c) for c in nb.cells].count(wrong["answer"]) == 1, f"no single answer cell {wrong['answer']}"
    result = grade_as(with_answers(nb, {wrong["answer"]: wrong["source"]}), tmp_path, solution.name)
    scores = {c.grade_id: c for c in result.cells}
    for grade_id, cell in scores.items():
        if grade_id in wrong["loses"]:
            assert cell.points == 0, f"{grade_id} should fail: {wrong['why']}"
        else:
            assert cell.points == cell.max_points, f"{grade_id} should still pass: {result.errors}"
