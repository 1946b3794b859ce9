"""Run ONE notebook headless with papermill, in a fresh kernel, under its time budget."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import psutil

from grader import messages
from grader.budget import RUN_GRACE_S
from grader.kernel import strict
from grader.meta import LessonMeta
from grader.models import RunResult
from grader.nbio import read_notebook
from grader.paths import relative
from grader.processes import kill_tree, rss_mb

SAMPLE_S = 0.2
#: Lines of stderr that the report lists: deprecations, and glyphs a figure could not draw.
_WARNING = re.compile(r"^.*(\bDeprecationWarning\b|\bFutureWarning\b|[Gg]lyph .*missing from font|"
                      r"does not have a glyph).*$", re.MULTILINE)


def execute_notebook(source: Path, output: Path, meta: LessonMeta, *, kernel: str | None = None) -> RunResult:
    """Execute `source` into `output` with papermill and measure it.

    Args:
        source: the notebook to run; its folder is the kernel's working directory.
        output: where the executed copy goes.
        meta: the notebook's metadata (kernel and budget).
        kernel: run in this kernel instead of the one the notebook names.

    Returns:
        The run's record; ``status`` is ``timeout`` when the budget ran out.
    """
    kernel = kernel or meta.kernel
    output.parent.mkdir(parents=True, exist_ok=True)
    output.unlink(missing_ok=True)
    command = [
        sys.executable, "-m", "papermill", str(source), str(output),
        "--kernel", kernel, "--cwd", str(source.parent), "--no-progress-bar",
        "--execution-timeout", str(int(meta.budget_s)), "--log-level", "WARNING",
    ]
    log_path = output.with_suffix(".log")
    start = time.monotonic()
    with log_path.open("w", encoding="utf-8") as log_file:  # a file, not a pipe: a pipe can fill up
        # COURSE_OFFLINE: the kernel refuses non-local connections (grader.kernel.offline), so a notebook
        # that downloads fails here instead of passing by luck. COURSE_STRICT_WARNINGS: deprecations
        # are errors outside the cells tagged deprecated-demo (grader.kernel.strict).
        env = {**os.environ, "COURSE_OFFLINE": "1", strict.FLAG: "1",
               strict.DEMOS: strict.demo_fingerprints(read_notebook(source).cells)}
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
                                   env=env)
        peak_mb, timed_out = _watch(process, deadline=start + meta.budget_s + RUN_GRACE_S)
    seconds = time.monotonic() - start
    log = log_path.read_text(encoding="utf-8", errors="replace")
    timed_out = timed_out or seconds > meta.budget_s
    executed = _read_executed(output)
    error = None
    if timed_out:
        error = messages.one_line("run.timeout", budget_s=int(meta.budget_s))
    elif process.returncode != 0:
        error = _first_error(executed) or log.strip()[-2000:] or f"exit code {process.returncode}"
    return RunResult(
        path=relative(source), kernel=kernel,
        status="timeout" if timed_out else ("ok" if process.returncode == 0 else "failed"),
        seconds=round(seconds, 2), budget_s=meta.budget_s, peak_rss_mb=round(peak_mb, 1), error=error,
        output=relative(output) if output.exists() else None,
        warnings=_warnings(executed), slowest_cells=_slowest(executed),
    )


def _watch(process: subprocess.Popen, *, deadline: float) -> tuple[float, bool]:
    """Sample the kernel tree's memory until `process` ends; kill everything past `deadline`.

    Returns:
        Peak resident memory in MB of papermill's descendants (the kernel and what it started),
        and whether the deadline was hit.
    """
    root = psutil.Process(process.pid)
    peak, seen = 0.0, {}
    while process.poll() is None:
        try:
            for child in root.children(recursive=True):
                seen[child.pid] = child
        except psutil.Error:
            pass
        peak = max(peak, rss_mb(seen.values()))
        if time.monotonic() > deadline:
            kill_tree(process, seen.values())
            return peak, True
        time.sleep(SAMPLE_S)
    kill_tree(process, seen.values())  # a kernel that outlives papermill would keep its memory
    return peak, False


def _read_executed(output: Path):
    if not output.exists():
        return None
    try:
        from grader.nbio import read_notebook

        return read_notebook(output)
    except Exception:  # noqa: BLE001 - a half-written copy is only missing detail
        return None


def _source_cells(nb) -> list:
    """Return the executed copy's cells without the banner cells papermill inserts on failure."""
    banner = "papermill-error-cell-tag"
    return [c for c in (nb.cells if nb else []) if banner not in c.get("metadata", {}).get("tags", [])]


def _first_error(nb) -> str | None:
    """Return ``cell N (id): EName: evalue`` for the first cell with an error output."""
    for index, cell in enumerate(_source_cells(nb)):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and out.get("ename") != "PapermillExecutionError":
                return f"cell {index} ({cell.get('id')}): {out['ename']}: {out['evalue']}"[:2000]
    return None


def _warnings(nb) -> list[str]:
    found: list[str] = []
    for cell in _source_cells(nb):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                found += [m.group(0).strip() for m in _WARNING.finditer(out.get("text", ""))]
    return sorted(set(found))


def _slowest(nb, count: int = 3) -> list[dict]:
    cells = []
    for index, cell in enumerate(_source_cells(nb)):
        duration = cell.get("metadata", {}).get("papermill", {}).get("duration")
        if isinstance(duration, int | float):
            cells.append({"index": index, "id": cell.get("id"), "seconds": round(duration, 2)})
    return sorted(cells, key=lambda c: -c["seconds"])[:count]
