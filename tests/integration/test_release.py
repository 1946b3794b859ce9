"""grader.assignments: our release is exactly nbgrader's generate_assignment output."""

from __future__ import annotations

import pytest

from grader.assignments import release_notebook, release_with_nbgrader_app
from grader.nbio import dumps
from grader.paths import SOLUTIONS, discover
from tests.factory import demo_solution


@pytest.mark.parametrize("solution", discover((SOLUTIONS,)), ids=lambda p: p.stem)
def test_release_matches_nbgrader_generate_assignment(solution):
    """Is every course solution released exactly as the full nbgrader app would release it?"""
    assert dumps(release_notebook(solution)) == dumps(release_with_nbgrader_app(solution))


def test_release_of_the_demo_matches_and_hides_solutions_and_hidden_tests(write_nb):
    """Are solutions stubbed (bilingually) and hidden tests gone, as nbgrader does it?"""
    path = write_nb(demo_solution(), name="99_demo.ipynb", folder="solutions")
    text = dumps(release_notebook(path))
    assert text == dumps(release_with_nbgrader_app(path))
    assert "YOUR CODE HERE" in text and "여기에 답을" in text
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "add(-1, 1)" not in text
