"""E5xx: graded exercises have enough parts, each with a marked solution and hidden tests.

nbgrader's own metadata validator decides whether a cell's ``metadata.nbgrader`` is well formed (E506);
the rules here add what this course asks beyond nbgrader."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
from nbformat import NotebookNode
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat.common import SchemaTooNewError, SchemaTooOldError

from grader.checks import finding
from grader.models import Finding
from grader.paths import kind_of

MIN_PARTS = 4
#: A learner sees "visible checks passed", never a claim about the tests they cannot see.
_ALL_PASSED = re.compile(r"all (the )?tests (have )?passed|모든 테스트(를)? 통과", re.IGNORECASE)


def _nbgrader_problem(cell: NotebookNode) -> str | None:
    """What nbgrader's own validator (schema v3: fields, types, grade ids, points) says is wrong, if anything."""
    try:
        MetadataValidator().validate_cell(cell)
    except (ValidationError, SchemaTooOldError, SchemaTooNewError, jsonschema.ValidationError) as err:
        return str(getattr(err, "message", err)).splitlines()[0][:200]
    return None


def check_graded(nb: NotebookNode, path: Path) -> list[Finding]:
    """Lessons carry no nbgrader metadata; solutions have at least four well-formed graded parts."""
    kind = kind_of(path)
    graded = [c for c in nb.cells if "nbgrader" in c.metadata]
    if kind == "lesson":
        return [finding("E505", path, c.get("id")) for c in graded]
    if kind != "solution":
        return []
    found, ids, tests = [], set(), 0
    for cell in graded:
        meta, where = cell.metadata.nbgrader, cell.get("id")
        if problem := _nbgrader_problem(cell):
            found.append(finding("E506", path, where, problem=problem))
            continue
        if meta.grade_id in ids:
            found.append(finding("E504", path, where, grade_id=meta.grade_id))
        ids.add(meta.grade_id)
        if meta.solution and "### BEGIN SOLUTION" not in cell.source:
            found.append(finding("E502", path, where))
        if meta.grade and not meta.solution:
            tests += 1
            if not meta.get("points", 0) > 0:
                found.append(finding("E506", path, where, problem="points must be > 0"))
            visible, marker, _ = cell.source.partition("### BEGIN HIDDEN TESTS")
            if not marker:
                found.append(finding("E503", path, where))
            if "visible_checks_passed()" not in visible:
                found.append(finding("E507", path, where))
    for cell in nb.cells:
        if _ALL_PASSED.search(cell.source):
            found.append(finding("E508", path, cell.get("id")))
    if tests < MIN_PARTS:
        found.append(finding("E501", path, count=tests, minimum=MIN_PARTS))
    return found
