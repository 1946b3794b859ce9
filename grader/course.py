"""Run MANY notebooks: discover, select, shard, execute in parallel, report."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from grader import messages
from grader.errors import CourseError, UsageError
from grader.execute import execute_notebook
from grader.kernels import is_current, read_kernels
from grader.meta import read_meta
from grader.models import RunResult
from grader.nbio import read_notebook
from grader.paths import RUNNABLE, build_copy, build_dir, discover, relative
from grader.report import write_report


def select_notebooks(paths: list[str] | None = None, *, pattern: str | None = None) -> list[Path]:
    """Return the notebooks to run: files and folders in `paths` (default: lessons and solutions).

    Args:
        paths: notebook files or folders; None or empty means every lesson and solution.
        pattern: keep only notebooks whose path inside the course contains this text (``make course NB=01``).
    """
    if not paths:
        found = discover(RUNNABLE)
    else:
        found = []
        for entry in map(Path, paths):
            found += discover((entry,)) if entry.is_dir() else [entry]
    if pattern:
        found = [p for p in found if pattern in _course_name(p)]
    return found


def _course_name(path: Path) -> str:
    """What ``--match`` looks in: the path inside the course (``solutions/05_training.ipynb``), else the name.

    Never the folders above the course: a checkout in a folder named ``main`` must not match ``--match main``.
    """
    inside = relative(path)
    return inside if not Path(inside).is_absolute() else path.name


def shard(notebooks: list[Path], spec: str | None) -> list[Path]:
    """Return shard I of N (``"I/N"``, 1-based) of `notebooks`, dealt round-robin."""
    if not spec:
        return notebooks
    try:
        index, count = (int(x) for x in spec.split("/"))
        assert 1 <= index <= count
    except (ValueError, AssertionError):
        raise UsageError("run.bad_shard", shard=spec) from None
    return notebooks[index - 1 :: count]


def run_one(path: Path, *, kernel: str | None = None, build: Path | None = None) -> RunResult:
    """Execute one notebook into `build` (default: :func:`build_dir`), returning a record even when it cannot start."""
    try:
        meta = read_meta(read_notebook(path), path)
    except (CourseError, OSError, ValueError) as err:
        return _not_run(path, "?", "failed", 0.0, str(err))
    if kernel and meta.kernel != "course-main":
        # `--kernel` stands in for the main environment only (the GPU machine's python3).
        return _not_run(path, meta.kernel, "skipped", meta.budget_s,
                        messages.one_line("run.skipped_kernel", kernel=meta.kernel))
    use = kernel or meta.kernel
    if problem := _kernel_problem(use):
        return _not_run(path, use, "failed", meta.budget_s, messages.one_line(problem, kernel=use))
    return execute_notebook(path, build_copy(path, build), meta, kernel=use)


def _not_run(path: Path, kernel: str, status: str, budget_s: float, error: str) -> RunResult:
    """The record of a notebook that never started."""
    return RunResult(path=relative(path), kernel=kernel, status=status,  # type: ignore[arg-type]
                     seconds=0.0, budget_s=budget_s, peak_rss_mb=0.0, error=error)


def _kernel_problem(name: str) -> str | None:
    """Why kernel `name` cannot run a notebook (a message key), or None.

    A course kernel must be installed as :func:`grader.kernels.kernelspec_of` writes it today: a spec from
    before an update (the kernel-side code moved, say) would start without the offline guard or the strict
    warnings, and a run must not pass with less than it reports.
    """
    from jupyter_client.kernelspec import KernelSpecManager

    found = KernelSpecManager().find_kernel_specs()
    if name not in found:
        return "run.kernel_missing"
    course = read_kernels().get(name)
    if course is None:
        return None  # --kernel python3 on a GPU machine: not one of the course's
    return None if is_current(course, Path(found[name])) else "run.kernel_stale"


def run_course(
    paths: list[str] | None = None,
    *,
    pattern: str | None = None,
    jobs: int | None = None,
    shard_spec: str | None = None,
    kernel: str | None = None,
    report_dir: Path | None = None,
    progress: Callable[[str], None] = print,
) -> list[RunResult]:
    """Execute notebooks in parallel, each in its own kernel and budget, and write the report.

    Args:
        paths: notebooks or folders (default: every lesson and solution).
        pattern: keep notebooks whose name contains it.
        jobs: notebooks at once (default: the number of cores).
        shard_spec: ``"I/N"`` to run one of N shards (a CI matrix).
        kernel: run main-kernel notebooks in this kernel instead (others are skipped).
        report_dir: the build folder: report.json, report.md and the executed copies go there
            (default: :func:`grader.paths.build_dir`, read now).
        progress: called with one line per finished notebook.

    Returns:
        The records, in course order.
    """
    notebooks = shard(select_notebooks(paths, pattern=pattern), shard_spec)
    if not notebooks:
        raise UsageError("run.no_notebooks", paths=" ".join(paths or []) or pattern or "-")
    jobs = max(1, jobs or os.cpu_count() or 1)
    report_dir = report_dir or build_dir()
    width = max(len(relative(p)) for p in notebooks)

    def one(path: Path) -> RunResult:
        result = run_one(path, kernel=kernel, build=report_dir)
        detail = f"  {result.error.splitlines()[0]}" if result.error else ""
        progress(f"{result.status:>7}  {result.path:<{width}}  {result.seconds:6.1f} s / {result.budget_s:.0f} s"
                 f"  {result.peak_rss_mb:7.0f} MB{detail}")
        return result

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(one, notebooks))
    write_report(results, report_dir)
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "failed", "timeout", "skipped")}
    progress(messages.one_line("run.summary", total=len(results), ok=counts["ok"],
                               failed=counts["failed"] + counts["timeout"], skipped=counts["skipped"],
                               seconds=sum(r.seconds for r in results)))
    sys.stdout.flush()
    return results
