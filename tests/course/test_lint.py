"""Every notebook of the course passes `course check`, and the course has what every chapter needs."""

from __future__ import annotations

import pytest

from grader.checks import run_checks
from grader.paths import EXERCISES, SOLUTIONS
from tests.course.conftest import ALL, LESSONS, nb_id


@pytest.mark.parametrize("path", ALL, ids=nb_id)
def test_course_check_passes(path):
    """Does this notebook pass every check?"""
    findings = run_checks([path])
    assert not findings, "\n".join(map(str, findings))


@pytest.mark.parametrize("lesson", LESSONS, ids=nb_id)
def test_every_chapter_has_an_exercise(lesson):
    """Does each lesson's chapter (NN) have a graded exercise, released, with wrong answers?

    A chapter may have several lessons (one per kernel, say) and one exercise for them all.
    """
    from grader.mutations import WRONG_ANSWERS as WRONG

    chapter = lesson.name[:2]
    solutions = sorted(SOLUTIONS.glob(f"{chapter}_*.ipynb"))
    assert solutions, f"chapter {chapter} has no exercise in solutions/"
    for solution in solutions:
        assert (EXERCISES / solution.name).exists() and (WRONG / f"{solution.stem}.toml").exists()


@pytest.mark.parametrize("lesson", LESSONS, ids=nb_id)
def test_lesson_opens_with_goals_and_ends_with_summary_and_exercise(lesson):
    """Does each lesson state goals and prerequisites, sum up and point to its exercise, in both languages?"""
    import re

    import nbformat

    nb = nbformat.read(lesson, 4)
    for lang, words in {"ko": ("학습 목표", "선수 지식", "정리"), "en": ("Goals", "Prerequisites", "Summary")}.items():
        text = "\n".join(c.source for c in nb.cells if lang in c.metadata.get("tags", []))
        headings = re.findall(r"^#+\s*(.*)$", text, re.MULTILINE)
        for word in words:
            assert any(word in h for h in headings), f"{lesson.name} ({lang}) has no '{word}' heading"
        exercises = [f"exercises/{s.name}" for s in sorted(SOLUTIONS.glob(f"{lesson.name[:2]}_*.ipynb"))]
        assert any(e in text for e in exercises), f"{lesson.name} ({lang}) never points to {exercises}"
