"""grader.checks.exercises: exercises/ must be exactly the release of solutions/."""

import nbformat
import pytest

from grader.assignments import release_notebook
from grader.checks import exercises
from tests.factory import demo_solution


@pytest.fixture
def course(tmp_path):
    """A course folder of its own: its solution is compared with ITS exercises/, not the repository's."""
    solutions, released = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    released.mkdir()
    solution = solutions / "99_demo.ipynb"
    nbformat.write(demo_solution(), solution)
    return solution, released / "99_demo.ipynb"


def codes(solution):
    return [f.code for f in exercises.check_exercises(nbformat.read(solution, 4), solution)]


def test_missing_release_is_x602(course):
    """Is a solution without a released exercise reported?"""
    solution, _ = course
    assert codes(solution) == ["X602"]


def test_in_sync_release_passes_and_a_hand_edit_is_x601(course):
    """Does the generated release pass, and does any hand edit of it fail?"""
    solution, target = course
    release = release_notebook(solution)
    nbformat.write(release, target)
    assert codes(solution) == []
    release.cells[0].source += " (edited)"
    nbformat.write(release, target)
    assert codes(solution) == ["X601"]


def test_exercise_without_solution_is_x603(course):
    """Is an exercise with no source in solutions/ reported?"""
    solution, target = course
    orphan = target.with_name("98_orphan.ipynb")
    nbformat.write(release_notebook(solution), orphan)
    assert [f.code for f in exercises.check_exercises(nbformat.read(orphan, 4), orphan)] == ["X603"]


def test_gradebook_cache_is_keyed_by_the_solutions_bytes(course, tmp_path, monkeypatch):
    """Is the gradebook version reused for the same solution, and rebuilt when the solution changes?"""
    from grader import assignments

    solution, _ = course
    cache = tmp_path / "cache"
    first = assignments.gradebook_notebook(solution, cache=cache)
    assert "BEGIN HIDDEN TESTS" in nbformat.writes(first) and "BEGIN SOLUTION" not in nbformat.writes(first)

    def no_pipeline(*args, **kwargs):
        raise AssertionError("the cached copy should have been used")

    monkeypatch.setattr(assignments, "_pipeline", no_pipeline)
    assert assignments.gradebook_notebook(solution, cache=cache) == first
    nb = nbformat.read(solution, 4)
    nb.cells[0].source += " (changed)"
    nbformat.write(nb, solution)
    with pytest.raises(AssertionError, match="cached copy"):
        assignments.gradebook_notebook(solution, cache=cache)
