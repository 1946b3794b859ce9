"""The time policy, in one place: how long a notebook, a cell and a judge's start may take, and the CPU
time the operating system allows from it (COURSE.md, "Budgets"; README, "What grading enforces").

* ``course run`` (papermill, grader.execute): a notebook's clock starts before its kernel, so kernel
  start counts. Past ``budget_s`` it is a timeout; past ``budget_s + RUN_GRACE_S`` the runner kills
  papermill, the kernel and everything they started.
* ``course grade`` (the judge, grader.judging): the judge has ``JUDGE_START_S`` to start (the interpreter and
  the instructor's setup cells: kernel start does not count); from the moment it says it is ready, the
  notebook has ``budget_s``, and each cell ``CELL_TIMEOUT_S`` on the judge's own timer, which the grader backs
  with ``JUDGE_GRACE_S`` more in case an answer turned that timer off.
* The operating system (grader.kernel.limits, ``RLIMIT_CPU``): :func:`cpu_seconds` of CPU time, four cores' worth of
  the budget plus the imports, so a busy loop in a child process ends even if every clock above is fooled.

Kernel-side (grader.kernels.KERNEL_SIDE): the standard library only.
"""

#: Longest a single cell may run while grading before it is interrupted (the notebook's budget bounds the sum).
CELL_TIMEOUT_S = 30.0
#: Seconds past the budget before ``course run`` kills papermill and its kernel (papermill's own per-cell
#: timeout, set to the budget, normally fires first and leaves an error in the output).
RUN_GRACE_S = 10.0
#: Seconds the judge may take to start: the interpreter and the instructor's setup cells (imports).
JUDGE_START_S = 60.0
#: Seconds a cell may outlive its own timer before the grader ends the run (the answer turned the timer off).
JUDGE_GRACE_S = 10.0


def cpu_seconds(budget_s: float) -> int:
    """CPU seconds a notebook's processes may use (``RLIMIT_CPU``): four cores' worth of the budget, plus imports."""
    return int(4 * budget_s + 30)
