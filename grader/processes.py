"""Ending a process and everything it started, the one way the course tool does it.

Each notebook run and each judge starts in a session of its own (``start_new_session=True``), so its
process group holds what it started; a kernel or a learner's child may leave the group (its own
session), so the descendants seen while it ran are killed by pid too. A pids cgroup, where grading
has one (grader.sandbox.PidsCgroup), is killed by its owner before this runs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Iterable

import psutil


def kill_tree(process: subprocess.Popen, descendants: Iterable[psutil.Process] = ()) -> None:
    """SIGKILL `descendants`, then `process`'s process group, then reap `process`."""
    for proc in descendants:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def rss_mb(processes: Iterable[psutil.Process]) -> float:
    """Resident memory of `processes` together, in MB (processes that ended count as 0)."""
    total = 0
    for proc in processes:
        with contextlib.suppress(psutil.Error):
            total += proc.memory_info().rss
    return total / 2**20
