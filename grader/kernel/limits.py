"""Operating-system limits on a learner's code while it is graded.

``course grade`` (and ``grade-all``) start each kernel with ``COURSE_LIMITS`` set; the kernel's
``sitecustomize`` (``grader/kernel/site``) calls :func:`apply` before any learner code runs, so the limits
hold for the kernel and for every process it starts. They are enforced by the kernel of the
operating system, not by the grader: a memory bomb gets ``MemoryError``, a runaway writer
``OSError: File too large``, a CPU hog ``SIGXCPU``. The process limit is not enforced for root
(Linux ignores ``RLIMIT_NPROC`` there); README says what is and is not enforced.
"""

from __future__ import annotations

import json
import os

from grader.budget import cpu_seconds

ENV = "COURSE_LIMITS"
#: Data segment (heap and anonymous memory) per process, in MiB: far above what an exercise needs
#: (about 1 GiB), far below what would hurt the machine.
MEMORY_MB = 8192
#: Largest file a process may write, in MiB.
FILE_MB = 256
#: Processes and threads for the user (not enforced for root; grader.sandbox's pids cgroup is).
PROCESSES = 512
#: Scheduling niceness: runaway learner code yields the CPU to the grader that must stop it.
NICE = 10


def spec(budget_s: float) -> str:
    """The ``COURSE_LIMITS`` value for a notebook with this budget (CPU time: grader.budget.cpu_seconds)."""
    return json.dumps({"memory_mb": MEMORY_MB, "file_mb": FILE_MB, "processes": PROCESSES,
                       "cpu_s": cpu_seconds(budget_s), "nice": NICE})


def apply(value: str | None = None) -> dict[str, int]:
    """Lower this process's limits to ``value`` (default: the environment's); return what was set."""
    import resource

    limits = json.loads(value if value is not None else os.environ.get(ENV, "{}"))
    wanted = {
        resource.RLIMIT_DATA: limits.get("memory_mb", 0) * 2**20,
        resource.RLIMIT_FSIZE: limits.get("file_mb", 0) * 2**20,
        resource.RLIMIT_NPROC: limits.get("processes", 0),
        resource.RLIMIT_CPU: limits.get("cpu_s", 0),
        resource.RLIMIT_CORE: 0,
    }
    applied = {}
    if limits.get("nice"):
        os.nice(limits["nice"])
    for which, amount in wanted.items():
        if amount or which == resource.RLIMIT_CORE:
            soft, hard = resource.getrlimit(which)
            amount = amount if hard == resource.RLIM_INFINITY else min(amount, hard)
            try:
                resource.setrlimit(which, (amount, amount))
                applied[which] = amount
            except (ValueError, OSError):  # already lower (an inherited limit): keep it
                pass
    return applied
