"""Run a prepared notebook in the judge (:mod:`grader.kernel.judge`) and read its signed verdicts.

The grader's side of the judge: the sandboxed command line, the job it is given, the budget and
per-cell watch, and the verdicts it sends over its own pipe (an unsigned line is tampering).
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from grader import messages, sandbox
from grader.budget import JUDGE_GRACE_S, JUDGE_START_S
from grader.kernel import heldout, limits
from grader.paths import DATA
from grader.prepare import normalized
from grader.processes import kill_tree

#: Bytes of stream/display output kept per submission; errors are always kept (they decide scores).
OUTPUT_LIMIT = 1_000_000


def grading_folder(root: Path) -> Path:
    """Make the grading folder: ``root/work`` to run in, with ``root/data`` → the course's data."""
    work = root / "work"
    work.mkdir()
    if DATA.is_dir():
        (root / "data").symlink_to(DATA, target_is_directory=True)
    return work


def run_in_judge(nb: NotebookNode, *, kernel: str, budget_s: float, cwd: Path, cell_timeout_s: float,
                 hidden: tuple[Path, ...] = (),
                 setup: list[str] | None = None) -> tuple[set[int], list[str], Tampering]:
    """Run `nb`'s code cells in the judge (:mod:`grader.kernel.judge`) within `budget_s`; fill in their outputs.

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
    """The job :func:`grader.kernel.judge.main` reads: every code cell with its role, and the setup cells."""
    cells, used = [], -1
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        test = _is_test(cell)
        entry = {"index": index, "role": "test" if test else "learner", "source": cell.source, "setup": None,
                 "hidden": bool(cell.metadata.get("hidden_of"))}
        if not meta and not test:  # an unchanged copy of an instructor's setup cell need not run twice
            text = normalized(cell.source)
            match = next((k for k in range(used + 1, len(setup)) if normalized(setup[k]) == text), None)
            if match is not None:
                entry["setup"], used = match, match
        cells.append(entry)
    return {"setup": setup, "cells": cells, "cell_timeout_s": cell_timeout_s, "output_limit": OUTPUT_LIMIT}


def _is_test(cell: NotebookNode) -> bool:
    """Whether a code cell is a test (a visible test cell, or the hidden part split from one)."""
    meta = cell.metadata.get("nbgrader", {})
    return bool(cell.metadata.get("hidden_of") or (meta.get("grade") and not meta.get("solution")))


def _judge_command(kernel: str, fd: int) -> tuple[list[str], dict[str, str]]:
    """The judge's command line and environment: the kernel's interpreter and variables, no Jupyter."""
    from grader.kernels import KERNEL_DIR, kernelspec_of, read_kernels

    spec = read_kernels().get(kernel)
    if spec is not None and spec.python.exists():
        python, env = str(spec.python), dict(kernelspec_of(spec)["env"])
    else:  # a kernel of another interpreter (a GPU box's python3): the grader's own
        python, env = sys.executable, {"PYTHONPATH": str(KERNEL_DIR / "site")}
    return [python, "-c", f"import grader.kernel.judge as j; j.main({fd})"], env


def _judge(nb: NotebookNode, *, kernel: str, budget_s: float, cwd: Path, cell_timeout_s: float,
           hidden: tuple[Path, ...], group: sandbox.PidsCgroup | None,
           setup: list[str]) -> tuple[set[int], list[str], Tampering]:
    import secrets

    from grader.kernel import judge

    ran: set[int] = set()
    errors: list[str] = []
    tampering = Tampering()
    key = secrets.token_bytes(32)
    read_fd, write_fd = os.pipe()
    argv, kernel_env = _judge_command(kernel, write_fd)
    env = {**os.environ, **kernel_env, "COURSE_OFFLINE": "1", limits.ENV: limits.spec(budget_s),
           "PYTHONDONTWRITEBYTECODE": "1", heldout.ENV: "1"}
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
        kill_tree(process)
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
        elif _is_test(cell) and (check := held_out_check(cell.source)) is not None:
            _held_out_verdict(cell, check, verdict.get("held_out", []))
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


def held_out_check(source: str) -> tuple[int, str | None, float | None] | None:
    """Where a cell calls ``check_held_out_accuracy(...)``: (line, the data set's name, ``at_least``), each
    value None unless written as a literal; None when the cell makes no such call."""
    if "check_held_out_accuracy" not in source:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    call = min((node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "check_held_out_accuracy"), key=lambda node: node.lineno, default=None)
    if call is None:
        return None
    at_least = next((k.value for k in call.keywords if k.arg == "at_least"), None)
    data = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "data"), None)
    at_least, data = _literal(at_least, (int, float)), _literal(data, (str,))
    return call.lineno, data, None if at_least is None else float(at_least)


def _literal(node: ast.AST | None, kinds: tuple[type, ...]) -> object:
    return node.value if isinstance(node, ast.Constant) and type(node.value) in kinds else None


def _held_out_verdict(cell: NotebookNode, check: tuple[int, str | None, float | None], claims: object) -> None:
    """Decide the held-out check of a test cell that ran without error, outside the sandbox.

    The cell's text is the instructor's (restored from the source): the data set and the accuracy required
    are read from it, and a cell that calls the check must have sent exactly one claim (none means the
    learner's code kept the check from reaching the grader).
    """
    line, data, at_least = check
    if data is None or at_least is None:
        problem = messages.format("heldout.malformed")
    else:
        problem = heldout.verdict(claims, data, at_least)
    if problem is None:
        return
    if cell.metadata.get("hidden_of"):
        cell.metadata["failed_line"] = line
    cell.outputs.append(nbformat.from_dict({"output_type": "error", "ename": "AssertionError", "evalue": problem,
                                            "traceback": []}))


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
