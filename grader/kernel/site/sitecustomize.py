"""Loaded by every course kernel (PYTHONPATH in kernel.json): the offline guard and the grading
limits, each when it is asked for (``course run`` and ``course grade`` set the variables)."""

import os

if os.environ.get("COURSE_LIMITS"):
    from grader.kernel.limits import apply

    apply()

if os.environ.get("COURSE_OFFLINE") == "1":
    from grader.kernel.offline import install

    install()
