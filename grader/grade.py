"""Grade ONE submission: restore protected cells, execute in a fresh kernel, score test cells.

This is nbgrader's autograde, done without a gradebook database: protected cells (tests and
locked cells) come from :func:`grader.assignments.gradebook_notebook`, the version nbgrader's
database would hold; cells run through nbclient with a per-cell timeout inside the notebook's
budget; each test cell scores its points when it ran without an error (nbgrader's rule).
The submitted file is only read, never written: all work happens on a private copy in a
temporary directory.
"""

from __future__ import annotations

import copy
import os
import signal
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
        ran, run_errors = _execute(prepared, kernel=meta.kernel, budget_s=meta.budget_s, cwd=workdir,
                                   cell_timeout_s=cell_timeout_s, hidden=(solutions, path.parent, *hidden))
    outcomes = _outcomes(prepared, ran, tests)
    errors += run_errors + [_failure_text(prepared, grade_id) for grade_id, ok in outcomes.items() if ok is False]
    return _result(path, solution, tests, outcomes, errors, start)


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
             hidden: tuple[Path, ...] = ()) -> tuple[set[int], list[str]]:
    """Run `nb`'s code cells in place within `budget_s`; return the indices that ran, and problems."""
    with sandbox.pids_cgroup() as group:
        return _execute_in(nb, kernel=kernel, budget_s=budget_s, cwd=cwd, cell_timeout_s=cell_timeout_s,
                           hidden=hidden, group=group)


def _execute_in(nb: NotebookNode, *, kernel: str, budget_s: float, cwd: Path, cell_timeout_s: float,
                hidden: tuple[Path, ...], group: sandbox.PidsCgroup | None) -> tuple[set[int], list[str]]:
    from nbclient.exceptions import DeadKernelError

    client = _client(nb, kernel=kernel, cwd=cwd, cell_timeout_s=cell_timeout_s)
    if sandbox.bwrap():
        client.kernel_manager_class = _sandboxed_manager(writable=cwd.parent, hidden=hidden)
    ran: set[int] = set()
    errors: list[str] = []
    try:
        client.km = client.create_kernel_manager()
        # grader.offline: no network; grader.limits: memory, file size, processes and CPU bounded by the OS.
        env = {**os.environ, "COURSE_OFFLINE": "1", limits.ENV: limits.spec(budget_s)}
        client.start_new_kernel(cwd=str(cwd), env=env)
        pid = getattr(client.km.provisioner, "pid", None)
        if group is not None and pid:
            group.add_tree(pid)  # before any learner code: every process it starts stays inside
        client.start_new_kernel_client()
    except Exception as err:  # noqa: BLE001 - a kernel that cannot start is reported, not raised
        _stop(client)
        return ran, [messages.format("grade.kernel_failed", error=f"{type(err).__name__}: {err}"[:300])]
    # The budget is the learner's code's time: it starts once the kernel is ready, so a slow start on
    # a busy machine does not eat into it.
    deadline = time.monotonic() + budget_s
    try:
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                errors.append(messages.format("grade.timeout", budget_s=int(budget_s), cell=index))
                break
            client.timeout = max(1, int(min(cell_timeout_s, remaining)))
            try:
                client.execute_cell(cell, index)
            except DeadKernelError:
                errors.append(messages.format("grade.kernel_died", cell=index))
                cell.outputs.append(nbformat.v4.new_output("error", ename="DeadKernelError", evalue="", traceback=[]))
                ran.add(index)
                break
            except Exception as err:  # noqa: BLE001 - nbclient's own failures end the run, not the grader
                errors.append(messages.format("grade.kernel_died", cell=index) + f"\n{type(err).__name__}: {err}"[:300])
                break
            ran.add(index)
    finally:
        if group is not None:
            group.kill()  # everything the learner's code started, at once (a fork bomb would slow a shutdown)
        _stop(client)
    if client.truncated:
        errors.append(messages.format("grade.output_truncated", limit=OUTPUT_LIMIT))
    return ran, errors


def _sandboxed_manager(*, writable: Path, hidden: tuple[Path, ...]) -> type:
    """A kernel manager class whose kernels start inside bubblewrap (see grader.sandbox)."""
    from jupyter_client.manager import AsyncKernelManager

    class SandboxedKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: object) -> None:
            super().__init__(**kwargs)
            prefix = sandbox.ipc_prefix(writable)
            if prefix is not None:  # Unix sockets in the kernel's folder, so it can have no network at all
                self.transport, self.ip = "ipc", prefix

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            prefix = sandbox.bwrap_argv(writable=writable, connection_file=Path(self.connection_file), hidden=hidden,
                                        network=self.transport != "ipc")
            return prefix + super().format_kernel_cmd(extra_arguments)

        async def _async_signal_kernel(self, signum: int) -> None:
            # An interrupt goes to the kernel alone: bubblewrap, the leader of the process group that
            # jupyter_client signals, would die of SIGINT and take the kernel with it.
            kernel = sandbox.inner_process(getattr(self.provisioner, "pid", None))
            if signum == signal.SIGINT and kernel is not None:
                os.kill(kernel, signum)
                return
            await super()._async_signal_kernel(signum)

    return SandboxedKernelManager


def _client(nb: NotebookNode, *, kernel: str, cwd: Path, cell_timeout_s: float):
    """Return an nbclient NotebookClient that interrupts long cells and caps output size."""
    from nbclient import NotebookClient

    class CappedClient(NotebookClient):
        """Drops stream and display output past OUTPUT_LIMIT bytes; keeps every error."""

        kept = 0
        truncated = False

        def output(self, outs, msg, display_id, cell_index):  # type: ignore[override]
            if msg["msg_type"] != "error":
                self.kept += len(str(msg.get("content", "")))
                if self.kept > OUTPUT_LIMIT:
                    self.truncated = True
                    return None
            return super().output(outs, msg, display_id, cell_index)

    return CappedClient(
        nb, kernel_name=kernel, allow_errors=True, interrupt_on_timeout=True, startup_timeout=60,
        error_on_timeout={"ename": "TimeoutError", "traceback": [],
                          "evalue": messages.one_line("grade.cell_timeout", seconds=int(cell_timeout_s))},
        resources={"metadata": {"path": str(cwd)}}, record_timing=False,
    )


def _stop(client: Any) -> None:
    """Shut the kernel down and kill whatever it started (kernels lead their own process group)."""
    km = getattr(client, "km", None)
    if km is None:
        return
    pid = getattr(getattr(km, "provisioner", None), "pid", None)
    try:
        client._cleanup_kernel()  # shuts the kernel client and manager down (nbclient's own way)
    except Exception:  # noqa: BLE001, S110 - the process group kill below is the real guarantee
        pass
    if pid:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _outcomes(nb: NotebookNode, ran: set[int], tests: dict[str, float]) -> dict[str, bool | None]:
    """Return grade_id -> True (passed), False (failed) or None (did not run), per test cell."""
    outcomes: dict[str, bool | None] = {}
    for index, cell in enumerate(nb.cells):
        grade_id = _grade_id(cell) or cell.metadata.get("hidden_of")
        if grade_id in tests:  # the visible cell, then its hidden part: both must pass
            before = outcomes.get(grade_id, True)
            if index not in ran:
                outcomes[grade_id] = False if before is False else None
            else:
                outcomes[grade_id] = before is True and _error(cell) is None
    return outcomes


def _error(cell: NotebookNode) -> NotebookNode | None:
    return next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)


def _failure_text(nb: NotebookNode, grade_id: str) -> str:
    """Return why a test cell failed: its visible check's bilingual message, or a hint for a hidden one."""
    for cell in nb.cells:
        if _grade_id(cell) == grade_id and (error := _error(cell)) is not None:
            return f"{grade_id}: {error.get('ename')}: {error.get('evalue')}"[:1000]
        if cell.metadata.get("hidden_of") == grade_id and (error := _error(cell)) is not None:
            return messages.format("grade.hidden_failed", grade_id=grade_id, ename=error.get("ename"))
    return grade_id


def _result(path: Path, solution: Path, tests: dict[str, float], outcomes: dict[str, bool | None],
            errors: list[str], start: float, status: str = "graded") -> GradeResult:
    label = {True: "passed", False: "failed", None: "not_run"}
    cells = [
        CellScore(grade_id=g, points=points if outcomes.get(g) else 0.0, max_points=points,
                  status=label[outcomes.get(g)])  # type: ignore[arg-type]
        for g, points in tests.items()
    ]
    return GradeResult(
        path=relative(path), assignment=solution.stem, score=sum(c.points for c in cells),
        max_score=sum(tests.values()), cells=cells, errors=errors, seconds=round(time.monotonic() - start, 2),
        status=status,  # type: ignore[arg-type]
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
