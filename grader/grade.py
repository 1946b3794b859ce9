"""Grade ONE submission: restore protected cells, run them in the judge, score test cells.

This is nbgrader's autograde, done without a gradebook database: protected cells (tests and
locked cells) come from :func:`grader.assignments.gradebook_notebook`, the version nbgrader's
database would hold; the cells run in :mod:`grader.judge`, a fresh Python process in the sandbox,
with a per-cell timeout inside the notebook's budget; each test cell scores its points when the
judge saw it run without an error and saw no tampering before it (see README, "What grading
enforces").
The submitted file is only read, never written: all work happens on a private copy in a
temporary directory.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import copy
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from grader import limits, messages, sandbox
from grader.assignments import CACHE, gradebook_notebook, release_notebook
from grader.errors import GradingError
from grader.meta import read_meta
from grader.models import CellScore, GradeResult
from grader.nbio import read_notebook
from grader.paths import DATA, SOLUTIONS, relative

#: Longest a single cell may run before it is interrupted (the notebook's budget bounds the sum).
CELL_TIMEOUT_S = 30.0
#: Bytes of stream/display output kept per submission; errors are always kept (they decide scores).
OUTPUT_LIMIT = 1_000_000
#: Largest file accepted as a submission.
MAX_BYTES = 50_000_000
#: Seconds the judge may take to start: the interpreter and the instructor's setup cells (imports).
JUDGE_START_S = 60.0
#: Seconds a cell may outlive its own timer before the grader ends the run (the answer turned the timer off).
JUDGE_GRACE_S = 10.0


def grade_notebook(path: Path, *, assignment: str | None = None, solutions: Path = SOLUTIONS,
                   cell_timeout_s: float = CELL_TIMEOUT_S, hidden: tuple[Path, ...] = ()) -> GradeResult:
    """Grade the notebook at `path` against its source in `solutions`.

    Args:
        path: the submission; it is read once and never written.
        assignment: the exercise name (``01_tensors``); default: from the file name, else from
            the grade ids it contains.
        solutions: the folder of nbgrader source notebooks.
        cell_timeout_s: the longest one cell may run before it is interrupted.
        hidden: more folders the learner's code must not see (grade-all: the class's submissions);
            `solutions` and the submission's own folder are always hidden where bubblewrap works.

    Returns:
        The grade. Problems that stop grading (not a notebook, kernel failure, time budget)
        are reported in ``errors`` with a score of 0 for what did not run.

    Raises:
        GradingError: the exercise it belongs to cannot be determined.
    """
    start = time.monotonic()
    submission, problem = _load(path)
    solution = _find_solution(path, submission, assignment, solutions)
    source = gradebook_notebook(solution)
    tests = test_parts(source)
    if submission is None:
        return _result(path, solution, tests, {}, [problem or ""], start, status="unreadable")
    prepared, errors = restore_protected(submission, source, release=release_notebook(solution, cache=CACHE))
    prepared = split_hidden(prepared)
    meta = read_meta(read_notebook(solution), solution)
    with tempfile.TemporaryDirectory(prefix="course-grade-") as tmp:
        workdir = _sandbox(Path(tmp), path.name)
        ran, run_errors, tampering = _execute(prepared, kernel=meta.kernel, budget_s=meta.budget_s, cwd=workdir,
                                              cell_timeout_s=cell_timeout_s, hidden=(solutions, path.parent, *hidden),
                                              setup=setup_cells(source))
    outcomes = _outcomes(prepared, ran, tests, tampering)
    errors += run_errors + [_failure_text(prepared, grade_id) for grade_id, ok in outcomes.items() if ok is False]
    if tampering:
        parts = [g for g, ok in outcomes.items() if ok == "tampered"]
        errors.insert(0, messages.format("grade.tampered", parts=", ".join(parts) or "-",
                                         what="; ".join(tampering.what[:5])[:500]))
    return _result(path, solution, tests, outcomes, errors, start, notebook=graded_view(prepared))


def _load(path: Path) -> tuple[NotebookNode | None, str | None]:
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
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
        nbformat.validate(nb)
        return nb, None
    except Exception as err:  # noqa: BLE001 - every way a file can fail to be a notebook
        detail = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"[:300]
        return None, messages.format("grade.not_notebook", error=detail)


def _find_solution(path: Path, nb: NotebookNode | None, assignment: str | None, solutions: Path) -> Path:
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
    released = {} if release is None else {_grade_id(c): c for c in release.cells if _grade_id(c)}
    cells: list[NotebookNode] = []
    seen: set[str] = set()
    repairs = []
    for cell in copy.deepcopy(submission.cells):
        grade_id = _grade_id(cell)
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
        index = next((i for i, c in enumerate(cells) if _grade_id(c) == grade_id), None)
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
            _normalized(cell.source) != _normalized(ref.source) for ref in references):
        changes.append("source")
    for key in ("points", "grade", "solution", "locked", "checksum"):
        if key == "checksum" and "checksum" not in meta:
            continue  # sources carry none; a missing checksum proves nothing
        if all(meta.get(key) != ref.metadata.get("nbgrader", {}).get(key) for ref in references):
            changes.append(key)
    if cell.cell_type != original.cell_type:
        changes.append("cell_type")
    return changes


def _normalized(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines() if line.strip())


HIDDEN_MARK = "### BEGIN HIDDEN TESTS"


def split_hidden(nb: NotebookNode) -> NotebookNode:
    """Run each test cell's hidden tests as a cell of their own, right after its visible part.

    Scores do not change (a part passes when both ran without error), but a failure in the
    hidden part is reported as a hint, without the hidden test's text or values.
    """
    cells: list[NotebookNode] = []
    for cell in nb.cells:
        grade_id = _grade_id(cell)
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


def _grade_id(cell: NotebookNode) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _cleared(cell: NotebookNode) -> NotebookNode:
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
    else:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    return cell


def _sandbox(root: Path, name: str) -> Path:
    """Make the grading folder: ``root/work`` to run in, with ``root/data`` → the course's data."""
    work = root / "work"
    work.mkdir()
    if DATA.is_dir():
        (root / "data").symlink_to(DATA, target_is_directory=True)
    return work


def _execute(nb: NotebookNode, *, kernel: str, budget_s: float, cwd: Path, cell_timeout_s: float,
             hidden: tuple[Path, ...] = (), setup: list[str] | None = None) -> tuple[set[int], list[str], Tampering]:
    """Run `nb`'s code cells in the judge (:mod:`grader.judge`) within `budget_s`; fill in their outputs.

    Args:
        setup: the instructor's setup cells (the source's code cells without nbgrader metadata); they run
            first, in the namespace the tests use.

    Returns:
        The indices of the cells that ran, problems (bilingual), and where tampering was seen.
    """
    with sandbox.pids_cgroup() as group:
        return _judge(nb, kernel=kernel, budget_s=budget_s, cwd=cwd, cell_timeout_s=cell_timeout_s,
                      hidden=hidden, group=group, setup=setup or [])


class Tampering:
    """The first cell at which the judge saw tampering, and what it saw (empty when it saw none)."""

    def __init__(self) -> None:
        self.cell: int | None = None
        self.what: list[str] = []

    def seen(self, cell: int, what: list[str]) -> None:
        if self.cell is None and what:
            self.cell, self.what = cell, list(what)

    def __bool__(self) -> bool:
        return self.cell is not None


def judge_job(nb: NotebookNode, setup: list[str], *, cell_timeout_s: float) -> dict:
    """The job :func:`grader.judge.main` reads: every code cell with its role, and the setup cells."""
    cells, used = [], -1
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        test = cell.metadata.get("hidden_of") or (meta.get("grade") and not meta.get("solution"))
        entry = {"index": index, "role": "test" if test else "learner", "source": cell.source, "setup": None,
                 "hidden": bool(cell.metadata.get("hidden_of"))}
        if not meta and not test:  # an unchanged copy of an instructor's setup cell need not run twice
            text = _normalized(cell.source)
            match = next((k for k in range(used + 1, len(setup)) if _normalized(setup[k]) == text), None)
            if match is not None:
                entry["setup"], used = match, match
        cells.append(entry)
    return {"setup": setup, "cells": cells, "cell_timeout_s": cell_timeout_s, "output_limit": OUTPUT_LIMIT}


def setup_cells(source: NotebookNode) -> list[str]:
    """The instructor's own code cells that are neither answers nor tests (imports, helpers, given data)."""
    return [c.source for c in source.cells if c.cell_type == "code" and "nbgrader" not in c.metadata]


def _judge_command(kernel: str, fd: int) -> tuple[list[str], dict[str, str]]:
    """The judge's command line and environment: the kernel's interpreter and variables, no Jupyter."""
    from grader.kernels import kernelspec_of, read_kernels

    spec = read_kernels().get(kernel)
    if spec is not None and spec.python.exists():
        python, env = str(spec.python), dict(kernelspec_of(spec)["env"])
    else:  # a kernel of another interpreter (a GPU box's python3): the grader's own
        python, env = sys.executable, {"PYTHONPATH": str(Path(__file__).parent / "site")}
    return [python, "-c", f"import grader.judge as j; j.main({fd})"], env


def _judge(nb: NotebookNode, *, kernel: str, budget_s: float, cwd: Path, cell_timeout_s: float,
           hidden: tuple[Path, ...], group: sandbox.PidsCgroup | None,
           setup: list[str]) -> tuple[set[int], list[str], Tampering]:
    import secrets

    from grader import judge

    ran: set[int] = set()
    errors: list[str] = []
    tampering = Tampering()
    key = secrets.token_bytes(32)
    read_fd, write_fd = os.pipe()
    argv, kernel_env = _judge_command(kernel, write_fd)
    env = {**os.environ, **kernel_env, "COURSE_OFFLINE": "1", limits.ENV: limits.spec(budget_s),
           "PYTHONDONTWRITEBYTECODE": "1"}
    if sandbox.bwrap():
        argv = sandbox.bwrap_argv(writable=cwd.parent, hidden=hidden, network=False) + argv
    if group is not None:
        argv = group.enter_argv() + argv  # it enters the cgroup before it runs anything
    log = (cwd.parent / "judge-output.log").open("wb")
    try:
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=log, stderr=log, cwd=cwd, env=env,
                                   pass_fds=(write_fd,), start_new_session=True)
    except OSError as err:
        os.close(read_fd)
        log.close()
        return ran, [messages.format("grade.kernel_failed", error=f"{type(err).__name__}: {err}"[:300])], tampering
    finally:
        os.close(write_fd)
    job = json.dumps(judge_job(nb, setup, cell_timeout_s=cell_timeout_s)).encode()
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    try:
        if group is not None:
            group.confirm(process.pid)  # inside before it reads its job, or grading stops (SandboxError)
        try:
            process.stdin.write(key.hex().encode() + b"\n" + job)
            process.stdin.close()
        except OSError:
            pass  # it died at once: reported below as a judge that said nothing
        lines = _read_verdicts(read_fd, process, budget_s=budget_s, cell_timeout_s=cell_timeout_s)
    finally:
        os.close(read_fd)
        with contextlib.suppress(OSError):
            process.stdin.close()
        if group is not None:
            group.kill()  # everything the learner's code started, at once
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        log.close()
    verdicts, forged = judge.verify(key, lines.complete)
    done = False
    for verdict in verdicts:
        if verdict.get("ready"):
            continue
        if verdict.get("done"):
            done = True
            if verdict.get("truncated"):
                errors.append(messages.format("grade.output_truncated", limit=OUTPUT_LIMIT))
            if verdict.get("tampering") and code_cells:  # seen after the last cell: the last cell's
                tampering.seen(code_cells[-1], verdict["tampering"])
            break
        index = verdict["cell"]
        cell = nb.cells[index]
        cell.outputs = [nbformat.from_dict(o) for o in verdict["outputs"]]
        if verdict.get("error"):
            error = dict(verdict["error"])
            line = error.pop("line", None)
            if cell.metadata.get("hidden_of") and type(line) is int:
                cell.metadata["failed_line"] = line
            cell.outputs.append(nbformat.from_dict(error))
        ran.add(index)
        tampering.seen(index, verdict.get("tampering", []))
    next_cell = next((i for i in code_cells if i not in ran), None)
    if forged and next_cell is not None:
        tampering.seen(next_cell, ["the grading channel (a message the judge did not sign)"])
    elif not done and next_cell is not None:
        if lines.timed_out and not verdicts:
            errors.append(messages.format("grade.kernel_failed", error=f"not ready after {int(JUDGE_START_S)} s"))
        elif lines.timed_out:
            errors.append(messages.format("grade.timeout", budget_s=int(budget_s), cell=next_cell))
        elif not verdicts:
            detail = _tail(cwd.parent / "judge-output.log")
            errors.append(messages.format("grade.kernel_failed", error=detail or f"exit status {process.returncode}"))
        else:
            errors.append(messages.format("grade.kernel_died", cell=next_cell))
    return ran, errors, tampering


class _Lines:
    def __init__(self) -> None:
        self.complete: list[bytes] = []
        self.timed_out = False


def _read_verdicts(fd: int, process: subprocess.Popen, *, budget_s: float, cell_timeout_s: float) -> _Lines:
    """Read the judge's lines until it exits (it does once it has said it is done), overruns the budget,
    or hangs in a cell."""
    import select

    lines, buffer = _Lines(), b""
    deadline = time.monotonic() + JUDGE_START_S  # until the judge is ready; then the notebook's budget
    last = None
    while True:
        now = time.monotonic()
        wait = deadline - now if last is None else min(deadline, last + cell_timeout_s + JUDGE_GRACE_S) - now
        if wait <= 0:
            lines.timed_out = True
            return lines
        ready, _, _ = select.select([fd], [], [], min(wait, 1.0))
        if not ready:
            if process.poll() is not None and not select.select([fd], [], [], 0)[0]:
                return lines
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return lines
        buffer += chunk
        if len(buffer) > 64 * OUTPUT_LIMIT:
            return lines
        *complete, buffer = buffer.split(b"\n")
        if complete:
            if last is None:  # the first line says the judge is ready: the learner's time starts now
                deadline = time.monotonic() + budget_s
            last = time.monotonic()
            lines.complete += complete


def _tail(path: Path, limit: int = 300) -> str:
    try:
        text = path.read_bytes()[-4000:].decode("utf-8", "replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-3:])[-limit:]


def _outcomes(nb: NotebookNode, ran: set[int], tests: dict[str, float],
              tampering: Tampering | None = None) -> dict[str, bool | None | str]:
    """Return grade_id -> True (passed), False (failed), None (did not run) or "tampered", per test cell.

    A part with a test cell that ran at or after the first tampering the judge saw is "tampered".
    """
    outcomes: dict[str, bool | None | str] = {}
    for index, cell in enumerate(nb.cells):
        grade_id = _grade_id(cell) or cell.metadata.get("hidden_of")
        if grade_id in tests:  # the visible cell, then its hidden part: both must pass
            before = outcomes.get(grade_id, True)
            if tampering and index >= tampering.cell:
                outcomes[grade_id] = "tampered"
            elif before == "tampered":
                continue
            elif index not in ran:
                outcomes[grade_id] = False if before is False else None
            else:
                outcomes[grade_id] = before is True and _error(cell) is None
    return outcomes


def _error(cell: NotebookNode) -> NotebookNode | None:
    return next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)


_BUILTIN_EXCEPTIONS = frozenset(name for name, value in vars(builtins).items()
                                if isinstance(value, type) and issubclass(value, BaseException))


def _failure_text(nb: NotebookNode, grade_id: str) -> str:
    """Return why a test cell failed: its visible check's bilingual message, or a hint for a hidden one."""
    for cell in nb.cells:
        if _grade_id(cell) == grade_id and (error := _error(cell)) is not None:
            if error.get("ename") == "NotImplementedError":  # the released stub, still in place
                return messages.format("assert.not_implemented", name=grade_id)
            raw = f"{error.get('ename')}: {error.get('evalue')}"[:1000]
            if error.get("ename") == "AssertionError":  # a check helper's bilingual message
                return f"{grade_id}: {raw}"
            return f"{messages.format('grade.visible_error', grade_id=grade_id)}\n{raw}"
        if cell.metadata.get("hidden_of") == grade_id and (error := _error(cell)) is not None:
            # Only a built-in exception's name, and only the requirement the hidden cell's own text states: the
            # learner's code runs inside the hidden test and could say (or name a class after) what it read there.
            ename = error.get("ename") if error.get("ename") in _BUILTIN_EXCEPTIONS else "Exception"
            requirement = hidden_requirement(cell.source, cell.metadata.get("failed_line"))
            if requirement is None:
                return messages.format("grade.hidden_failed", grade_id=grade_id, ename=ename)
            return messages.format("grade.hidden_requirement", grade_id=grade_id, ename=ename, requirement=requirement)
    return grade_id


#: The check helpers of grader.asserts, and where each keeps the text that names what it checks.
_CHECKERS = {"check": ("what", 1, None), "check_close": ("name", None, "hidden.value"),
             "check_equal": ("name", None, "hidden.value"), "check_shape": ("name", None, "hidden.shape"),
             "check_dtype": ("name", None, "hidden.dtype"), "check_type": ("name", None, "hidden.type"),
             "check_type_has": ("name", None, "hidden.attribute")}


def hidden_requirement(source: str, line: object) -> messages.Both | None:
    """The requirement a hidden test cell checks at `line`, from the cell's own text; None if it names none.

    The failed check is the helper call spanning `line`, or else the first one after it (the statement that
    failed was computing what that check verifies). Its text is the literal ``what`` of ``check(cond, what)``
    (``"한국어 / English"``) or the literal ``name=`` of another helper; an f-string shows its fields as
    written (``{n}``), never their values. `line` comes from the judge, so it only chooses among the cell's
    own texts: nothing the learner's code computed or read reaches the message.
    """
    if type(line) is not int:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    calls = sorted((node for node in ast.walk(tree) if isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name) and node.func.id in _CHECKERS),
                   key=lambda node: (node.lineno, node.col_offset))
    spanning = [c for c in calls if c.lineno <= line <= (c.end_lineno or c.lineno)]
    after = [c for c in calls if c.lineno > line]
    for call in spanning[-1:] + after[:1]:
        keyword, position, key = _CHECKERS[call.func.id]
        node = next((k.value for k in call.keywords if k.arg == keyword), None)
        if node is None and position is not None and len(call.args) > position:
            node = call.args[position]
        text = _literal_text(node)
        if text is None:
            continue
        said = messages.Both.split(text)
        if key is None:
            return said
        ko, en = messages.MESSAGES[key]
        return messages.Both(ko.format(name=said[0]), en.format(name=said[1]))
    return None


def _literal_text(node: ast.AST | None) -> str | None:
    """A string literal's text; an f-string's with each field as its source (``{layers}``); else None."""
    if isinstance(node, ast.Constant) and type(node.value) is str:
        return node.value[:300]
    if isinstance(node, ast.JoinedStr):
        parts = [v.value if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}"  # type: ignore[attr-defined]
                 for v in node.values]
        return "".join(str(p) for p in parts)[:300]
    return None


#: How much of a cell's outputs the feedback page keeps, in characters.
VIEW_OUTPUT_LIMIT = 20_000
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def graded_view(nb: NotebookNode) -> tuple[dict[str, Any], ...]:
    """The notebook as graded, cell by cell, for the learner's feedback page.

    Each cell is ``{"type": "markdown" | "code", "source", "outputs": [{"kind", "text"}], "grade_id",
    "answer"}``: the learner's cells with what they printed, and the test cells with their visible part only.
    Hidden tests are left out entirely (their text, their outputs and their errors): a failed one shows only
    as its part's status and the hint in ``errors``. Outputs are plain text (ANSI colours removed, at most
    :data:`VIEW_OUTPUT_LIMIT` characters a cell); the page escapes them.
    """
    view = []
    for cell in nb.cells:
        if cell.metadata.get("hidden_of") or cell.cell_type not in ("markdown", "code"):
            continue
        meta = cell.metadata.get("nbgrader", {})
        outputs, left = [], VIEW_OUTPUT_LIMIT
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream":
                text = output.get("text", "")
            elif kind in ("execute_result", "display_data"):
                text = output.get("data", {}).get("text/plain", "")
            elif kind == "error":
                text = "\n".join(output.get("traceback") or []) or f"{output.get('ename')}: {output.get('evalue')}"
            else:
                continue
            text = _ANSI.sub("", text if isinstance(text, str) else "".join(text))[:max(left, 0)]
            left -= len(text)
            if text:
                outputs.append({"kind": "error" if kind == "error" else "stream", "text": text})
        view.append({"type": cell.cell_type, "source": str(cell.source)[:VIEW_OUTPUT_LIMIT], "outputs": outputs,
                     "grade_id": meta.get("grade_id") if meta.get("grade") or meta.get("solution") else None,
                     "answer": bool(meta.get("solution"))})
    return tuple(view)


def _result(path: Path, solution: Path, tests: dict[str, float], outcomes: dict[str, bool | None | str],
            errors: list[str], start: float, status: str = "graded",
            notebook: tuple[dict[str, Any], ...] = ()) -> GradeResult:
    label = {True: "passed", False: "failed", None: "not_run", "tampered": "tampered"}
    cells = [
        CellScore(grade_id=g, points=points if outcomes.get(g) is True else 0.0, max_points=points,
                  status=label[outcomes.get(g)])  # type: ignore[arg-type, index]
        for g, points in tests.items()
    ]
    return GradeResult(
        path=relative(path), assignment=solution.stem, score=sum(c.points for c in cells),
        max_score=sum(tests.values()), cells=cells, errors=errors, seconds=round(time.monotonic() - start, 2),
        status=status, notebook=notebook,  # type: ignore[arg-type]
    )


def format_table(result: GradeResult) -> str:
    """Return the bilingual score table ``course grade`` prints."""
    width = max([len(c.grade_id) for c in result.cells] + [8])
    lines = [messages.one_line("grade.header", path=result.path), ""]
    lines.append(f"{'grade_id':<{width}}  {'점수 / points':>13}  상태 / status")
    for c in result.cells:
        label = messages.one_line(f"grade.status.{c.status}")
        lines.append(f"{c.grade_id:<{width}}  {c.points:>6g} / {c.max_points:<4g}  {label}")
    lines += ["", messages.one_line("grade.total", score=result.score, max_score=result.max_score)]
    for error in result.errors:
        lines += ["", *("  " + line for line in error.splitlines())]
    return "\n".join(lines)
