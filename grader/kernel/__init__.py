"""The course's code that runs inside a learner's process, not the grader's.

Everything here is loaded by a course kernel or by the judge, in each of the course's environments
(main, xla, text), whatever its torch or numpy:

* :mod:`grader.kernel.strict`: the IPython extension every course kernel loads; deprecations become
  errors under ``course run``.
* :mod:`grader.kernel.offline`: the guard that refuses connections beyond this machine.
* :mod:`grader.kernel.limits`: the operating-system limits on a graded process.
* :mod:`grader.kernel.judge`: the plain Python process that runs a submission's cells for ``course grade``.
* :mod:`grader.kernel.heldout`: held-out test data whose labels a graded answer never reads (the grader
  compares a hidden test's predictions with them, outside the sandbox).
* ``site/sitecustomize.py``: the folder each kernelspec puts on ``PYTHONPATH``; it turns the guard and the
  limits on when asked. It holds that one file only.

The import rule: at the top of a module, the standard library, this package, and what the kernel side
shares with the grader (:mod:`grader.messages`, :mod:`grader.budget`) only. torch or numpy are imported inside a
function where one is needed. :data:`grader.kernels.KERNEL_SIDE` lists every module here (found, not
restated) beside :mod:`grader.asserts`, the learners' check helpers, and
tests/integration/test_kernels.py imports them in each environment's own Python and fails on anything else.
"""
