"""Fixtures of the integration tests."""

from __future__ import annotations

import nbformat
import pytest

from grader.assignments import release_notebook
from tests.factory import demo_solution
from tests.integration.grading import BUDGET_S


@pytest.fixture
def course(tmp_path):
    """A scratch course with one four-part exercise (8 points) and its release."""
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    solution = solutions / "99_demo.ipynb"
    nbformat.write(demo_solution(budget_s=BUDGET_S), solution)
    return solutions, solution, release_notebook(solution)
