"""Before a submission runs: read it, find its exercise, restore protected cells, split off hidden tests.

Like nbgrader's autograde preprocessors (OverwriteCells, ClearOutput), done without a gradebook
database: protected cells (tests and locked cells) come from
:func:`grader.assignments.gradebook_notebook`, the version nbgrader's database would hold. Nothing
here runs code; every step is testable without a kernel.
"""

from __future__ import annotations

import copy
import uuid
import warnings
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.warnings import DuplicateCellId, MissingIDFieldWarning

from grader import messages
from grader.errors import GradingError
from grader.nbio import read_notebook
from grader.paths import relative

#: Largest file accepted as a submission.
MAX_BYTES = 50_000_000


def load_submission(path: Path) -> tuple[NotebookNode | None, str | None]:
    """Read and validate the submission; return (notebook, None) or (None, bilingual problem)."""
    try:
        if not path.is_file():  # a FIFO or a device would block or never end
            return None, messages.format("grade.not_notebook", error="not a regular file")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            return None, messages.format("grade.not_notebook", error=f"larger than {MAX_BYTES} bytes")
    except OSError as err:
        return None, messages.format("grade.unreadable", error=err.strerror or err)
    try:
        with warnings.catch_warnings():  # nbformat gives a missing or repeated cell id a new one: fine here
            warnings.simplefilter("ignore", (DuplicateCellId, MissingIDFieldWarning))
            nb = nbformat.reads(data.decode("utf-8"), as_version=4)
            nbformat.validate(nb)
        return nb, None
    except Exception as err:  # noqa: BLE001 - every way a file can fail to be a notebook
        detail = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"[:300]
        return None, messages.format("grade.not_notebook", error=detail)


def find_solution(path: Path, nb: NotebookNode | None, assignment: str | None, solutions: Path) -> Path:
    """Return the source notebook of the exercise `path` answers."""
    if assignment:  # named by the instructor: that exercise or an error, never a guess
        if (solutions / f"{assignment}.ipynb").exists():
            return solutions / f"{assignment}.ipynb"
        raise GradingError("grade.unknown_assignment", path=relative(path))
    for candidate in [solutions / f"{path.stem}.ipynb"]:
        if candidate.exists():
            return candidate
    ids = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells} - {None} if nb else set()
    for candidate in sorted(solutions.glob("*.ipynb")):
        theirs = {c.metadata.get("nbgrader", {}).get("grade_id") for c in read_notebook(candidate).cells}
        if ids and ids <= theirs:
            return candidate
    raise GradingError("grade.unknown_assignment", path=relative(path))


def test_parts(source: NotebookNode) -> dict[str, float]:
    """Return grade_id -> points for every autograded test cell of the source, in order."""
    return {
        c.metadata.nbgrader.grade_id: float(c.metadata.nbgrader.get("points", 0))
        for c in source.cells
        if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata.nbgrader.get("solution")
    }


def restore_protected(submission: NotebookNode, source: NotebookNode, *,
                      release: NotebookNode | None = None) -> tuple[NotebookNode, list[str]]:
    """Return a copy of `submission` whose protected cells are the source's, and what was repaired.

    Tests and locked cells take the source's text and metadata (as nbgrader's OverwriteCells
    does); answer cells keep the learner's text but the source's metadata; a protected cell the
    learner deleted is put back after the graded cell that precedes it in the source; nbgrader
    metadata that the source does not know, or a second copy of a grade id, is dropped; outputs
    are cleared, so nothing pre-filled counts.

    Every repair is reported: a missing cell, a second copy of a grade id, and a protected cell whose
    text, points, kind or checksum differ from both the released version (`release`, when given)
    and the instructor's source.
    """
    protected = {c.metadata.nbgrader.grade_id: c for c in source.cells if "nbgrader" in c.metadata}
    released = {} if release is None else {grade_id_of(c): c for c in release.cells if grade_id_of(c)}
    cells: list[NotebookNode] = []
    seen: set[str] = set()
    repairs = []
    for cell in copy.deepcopy(submission.cells):
        grade_id = grade_id_of(cell)
        if grade_id in seen and grade_id in protected:
            repairs.append(messages.format("grade.duplicate_cell", grade_id=grade_id))
        if grade_id not in protected or grade_id in seen:
            cell.metadata.pop("nbgrader", None)
        else:
            seen.add(grade_id)
            original = protected[grade_id]
            changed = _changes(cell, original, released.get(grade_id))
            if changed:
                repairs.append(messages.format("grade.changed_cell", grade_id=grade_id, what=", ".join(changed)))
            cell.metadata["nbgrader"] = copy.deepcopy(original.metadata.nbgrader)
            if original.metadata.nbgrader.get("locked") or not original.metadata.nbgrader.get("solution"):
                cell.source, cell.cell_type = original.source, original.cell_type
        cells.append(_cleared(cell))
    position = 0
    for grade_id, original in protected.items():
        index = next((i for i, c in enumerate(cells) if grade_id_of(c) == grade_id), None)
        if index is None:
            cells.insert(position, _cleared(copy.deepcopy(original)))
            repairs.append(messages.format("grade.missing_cell", grade_id=grade_id))
            index = position
        position = index + 1
    ids: set[str] = set()
    for cell in cells:  # a restored cell may share its id with the learner's renamed copy
        if cell.get("id") in ids:
            cell["id"] = uuid.uuid4().hex[:8]
        ids.add(cell.get("id"))
    prepared = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(source.metadata))
    return prepared, repairs


def _changes(cell: NotebookNode, original: NotebookNode, released: NotebookNode | None) -> list[str]:
    """What a learner changed in a protected cell: its text, points, kind or checksum.

    A cell counts as unchanged when it matches the released version or the instructor's source (a
    solution notebook graded as a submission carries the hidden tests).
    """
    meta, want = cell.metadata.get("nbgrader", {}), original.metadata.nbgrader
    references = [c for c in (released, original) if c is not None]
    changes = []
    if (want.get("locked") or not want.get("solution")) and all(
            normalized(cell.source) != normalized(ref.source) for ref in references):
        changes.append("source")
    for key in ("points", "grade", "solution", "locked", "checksum"):
        if key == "checksum" and "checksum" not in meta:
            continue  # sources carry none; a missing checksum proves nothing
        if all(meta.get(key) != ref.metadata.get("nbgrader", {}).get(key) for ref in references):
            changes.append(key)
    if cell.cell_type != original.cell_type:
        changes.append("cell_type")
    return changes


def normalized(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines() if line.strip())


HIDDEN_MARK = "### BEGIN HIDDEN TESTS"


def split_hidden(nb: NotebookNode) -> NotebookNode:
    """Run each test cell's hidden tests as a cell of their own, right after its visible part.

    Scores do not change (a part passes when both ran without error), but a failure in the
    hidden part is reported as a hint, without the hidden test's text or values.
    """
    cells: list[NotebookNode] = []
    for cell in nb.cells:
        grade_id = grade_id_of(cell)
        mark = cell.source.find(HIDDEN_MARK) if cell.cell_type == "code" else -1
        if grade_id and mark >= 0 and not cell.metadata.nbgrader.get("solution"):
            hidden = nbformat.v4.new_code_cell(cell.source[mark:], metadata={"hidden_of": grade_id})
            cell.source = cell.source[:mark]
            cells += [cell, hidden]
        else:
            cells.append(cell)
    out = copy.copy(nb)
    out.cells = cells
    return out


def grade_id_of(cell: NotebookNode) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _cleared(cell: NotebookNode) -> NotebookNode:
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
    else:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    return cell


def setup_cells(source: NotebookNode) -> list[str]:
    """The instructor's own code cells that are neither answers nor tests (imports, helpers, given data)."""
    return [c.source for c in source.cells if c.cell_type == "code" and "nbgrader" not in c.metadata]
