"""The course's side of nbgrader's exchange: release exercises, collect and grade, hand back feedback.

The round trip, with nbgrader's own exchange code at every crossing:

1. :func:`release` builds the instructor's nbgrader *course directory* (``build/instructor/``:
   ``source/<a>/`` from solutions/, ``release/<a>/`` from exercises/, ``gradebook.db``,
   ``nbgrader_config.py``) and runs nbgrader's ``release_assignment`` into the exchange.
2. Learners run ``nbgrader fetch_assignment``, work in JupyterLab, ``nbgrader submit``
   (:func:`learner_config` is their ``nbgrader_config.py``).
3. :func:`collect` runs nbgrader's ``collect`` into ``submitted/`` and grades it with the course's
   grader (:func:`grader.classroom.grade_all`, not nbgrader's autograde) into ``grades/<a>/``.
   Each page is also put where nbgrader's ``release_feedback`` looks for it,
   ``feedback/<student>/<a>/<notebook>.html``, beside the ``timestamp.txt`` and
   ``submission_secret.txt`` of the very submission it grades: nbgrader names released feedback
   by a hash of that secret, which is how a learner's ``fetch_feedback`` finds it.
4. :func:`release_feedback` runs nbgrader's ``release_feedback``; learners ``nbgrader fetch_feedback``.

nbgrader's exchange classes (the code behind its commands) run in this process, so the
``import nbgrader`` of about 3 s is paid once per verb, not once per nbgrader command.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.errors import UsageError
from grader.paths import BUILD, EXERCISES, SOLUTIONS

if TYPE_CHECKING:
    from grader.models import Submission

#: The course id learners and instructor share (nbgrader's ``CourseDirectory.course_id``).
COURSE_ID = "pytorch-course"
#: nbgrader reads this file from the folder it runs in and from the Jupyter config folders.
CONFIG_NAME = "nbgrader_config.py"
#: What nbgrader's submit writes beside each submission; released feedback is keyed by the secret.
SUBMISSION_FILES = ("timestamp.txt", "submission_secret.txt")
#: The instructor's nbgrader commands -> the exchange classes behind them (nbgrader.exchange.default).
STEPS = {"release_assignment": "ReleaseAssignment", "collect": "Collect", "release_feedback": "ReleaseFeedback"}


def exchange_root() -> Path:
    """Return the exchange folder: ``$COURSE_EXCHANGE`` if set, else ``<repo>/build/exchange``."""
    configured = os.environ.get("COURSE_EXCHANGE")
    return Path(configured).expanduser().resolve() if configured else BUILD / "exchange"


def config_text(settings: dict[str, dict[str, Any]]) -> str:
    """Return an ``nbgrader_config.py`` that sets `settings` (section -> trait -> value)."""
    lines = ["# Written by the course tool (grader/exchange.py).", "c = get_config()  # noqa: F821"]
    for section, traits in settings.items():
        lines += [f"c.{section}.{name} = {value!r}" for name, value in traits.items()]
    return "\n".join(lines) + "\n"


def learner_config(exchange: Path, course_id: str = COURSE_ID, *, student: str | None = None,
                   assignment_dir: Path | None = None) -> str:
    """Return the text of a learner's ``nbgrader_config.py``.

    ``fetch_assignment``, ``submit``, ``fetch_feedback`` and JupyterLab's assignment list need the
    exchange and the course id; they fetch into the folder they run in (the lab's root folder).

    Args:
        exchange: the exchange folder the instructor releases to (made absolute here).
        course_id: the course in that exchange.
        student: the learner's id; default: nbgrader takes the login name (``$JUPYTERHUB_USER``
            for ``jovyan``). Needed only when several learners share one login.
        assignment_dir: where fetched assignments go; default: the folder nbgrader runs in (for
            JupyterLab, the server's own folder, not necessarily the lab's root).
    """
    settings: dict[str, dict[str, Any]] = {
        "Exchange": {"root": str(Path(exchange).expanduser().resolve())},
        "CourseDirectory": {"course_id": course_id},
    }
    if student:
        settings["CourseDirectory"]["student_id"] = student
    if assignment_dir:
        settings["Exchange"]["assignment_dir"] = str(Path(assignment_dir).resolve())
    return config_text(settings)


@dataclass(frozen=True)
class Course:
    """The instructor's nbgrader course directory and the exchange it releases to."""

    root: Path
    exchange: Path
    course_id: str = COURSE_ID

    @classmethod
    def at(cls, course_dir: Path | None = None, exchange: Path | None = None) -> Course:
        """Return the course at `course_dir` (default ``$COURSE_INSTRUCTOR_DIR``, else ``build/instructor``;
        the hub sets it for instructors), absolute paths."""
        course_dir = course_dir or os.environ.get("COURSE_INSTRUCTOR_DIR") or BUILD / "instructor"
        return cls(Path(course_dir).resolve(), Path(exchange or exchange_root()).resolve())

    def settings(self) -> dict[str, dict[str, Any]]:
        """Return the nbgrader settings of this course (also written to its ``nbgrader_config.py``)."""
        from grader.assignments import CODE_STUB, TEXT_STUB

        return {
            "CourseDirectory": {"course_id": self.course_id},
            "Exchange": {"root": str(self.exchange)},
            # the same stubs as `make exercises`, so a hand-run generate_assignment agrees with exercises/
            "ClearSolutions": {"code_stub": {"python": CODE_STUB}, "text_stub": TEXT_STUB},
        }

    def grades(self, assignment: str) -> Path:
        """Return where the gradebook and feedback pages of `assignment` go."""
        return self.root / "grades" / assignment

    def run(self, command: str, assignment: str) -> None:
        """Run what ``nbgrader COMMAND ASSIGNMENT`` runs (a key of :data:`STEPS`), with this course's settings.

        Releases overwrite an earlier release, as `make exercises` does; collect takes newer submissions.
        """
        from nbgrader.auth import Authenticator
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.exchange import ExchangeFactory
        from nbgrader.utils import capture_log
        from traitlets.config import Config

        from grader.assignments import _venv_on_path

        _venv_on_path()  # nbgrader's collect opens the gradebook, which shells out to `alembic`
        config = Config(self.settings())
        config.CourseDirectory.root = str(self.root)
        config.CourseDirectory.assignment_id = assignment
        config.ExchangeReleaseAssignment.force = True
        config.ExchangeCollect.update = True
        app = getattr(ExchangeFactory(config=config), STEPS[command])(
            coursedir=CourseDirectory(config=config), authenticator=Authenticator(config=config), config=config)
        _check(capture_log(app), command)


def release(assignment: str, *, course: Course, solutions: Path = SOLUTIONS, exercises: Path = EXERCISES) -> Path:
    """Stage `assignment` in the course directory and release it to the exchange.

    Returns:
        The released folder in the exchange (``<exchange>/<course>/outbound/<assignment>``).

    Raises:
        UsageError: no such exercise, or exercises/ is out of date with solutions/.
    """
    from grader.assignments import release_notebook
    from grader.nbio import dumps

    solution, exercise = solutions / f"{assignment}.ipynb", exercises / f"{assignment}.ipynb"
    if not solution.is_file():
        raise UsageError("exchange.unknown_assignment", assignment=assignment, path=solution)
    if not exercise.is_file() or exercise.read_text(encoding="utf-8") != dumps(release_notebook(solution)):
        raise UsageError("exchange.stale_release", path=exercise)
    for folder, notebook in (("source", solution), ("release", exercise)):
        target = course.root / folder / assignment / f"{assignment}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(notebook, target)
    (course.root / CONFIG_NAME).write_text(config_text(course.settings()), encoding="utf-8")
    course.exchange.mkdir(parents=True, exist_ok=True)  # nbgrader then opens it to all (0777)
    _register(assignment, course=course)
    course.run("release_assignment", assignment)
    return course.exchange / course.course_id / "outbound" / assignment


def _register(assignment: str, *, course: Course) -> None:
    """Add `assignment` to the course's nbgrader gradebook (``gradebook.db``, created if need be)."""
    from nbgrader.api import Gradebook

    from grader.assignments import _venv_on_path

    _venv_on_path()  # creating gradebook.db shells out to `alembic`
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}", course.course_id) as gradebook:
        gradebook.update_or_create_assignment(assignment)


def collect(assignment: str, *, course: Course, jobs: int | None = None, solutions: Path = SOLUTIONS,
            cell_timeout_s: float | None = None) -> list[Submission]:
    """Collect the newest submission of each learner, grade them, and stage their feedback.

    Args:
        assignment: the exercise, e.g. ``01_tensors``.
        course: the course directory and exchange.
        jobs: submissions graded at once (default: grader.classroom's).
        solutions: the folder of nbgrader source notebooks the grader takes the tests from.
        cell_timeout_s: the longest one cell may run (default: grader.grade's).

    Returns:
        grader.classroom's records, one per learner in ``submitted/``; the gradebook and pages
        are in :meth:`Course.grades`.

    Raises:
        UsageError: nothing of `assignment` has been submitted, or nbgrader's collect failed.
    """
    from grader.classroom import grade_all

    course.run("collect", assignment)
    submitted = course.root / "submitted"
    if not any((student / assignment).is_dir() for student in _folders(submitted)):
        raise UsageError("exchange.nothing_collected", assignment=assignment, exchange=course.exchange)
    out = course.grades(assignment)
    records = grade_all(submitted, out=out, jobs=jobs, solutions=solutions, assignment=assignment,
                        cell_timeout_s=cell_timeout_s)
    _stage_feedback(records, course=course, assignment=assignment, out=out)
    return records


def _stage_feedback(records: list[Submission], *, course: Course, assignment: str, out: Path) -> None:
    """Copy each page to ``feedback/<student>/<a>/<notebook>.html`` with its submission's files.

    Only submissions that came through the exchange (they carry ``submission_secret.txt``) can be
    released; a student without one keeps the page in ``grades/`` only.
    """
    for record in records:
        submission = Path(record.path)
        if record.feedback is None or not all((submission.parent / f).is_file() for f in SUBMISSION_FILES):
            continue
        target = course.root / "feedback" / record.student / assignment
        if target.exists():  # an older collection's page must not outlive it
            shutil.rmtree(target)
        target.mkdir(parents=True)
        shutil.copyfile(out / record.feedback, target / f"{submission.stem}.html")
        for name in SUBMISSION_FILES:
            shutil.copyfile(submission.parent / name, target / name)


def release_feedback(assignment: str, *, course: Course) -> list[str]:
    """Release the staged feedback pages of `assignment` to the exchange with nbgrader.

    Returns:
        The students whose feedback was released.

    Raises:
        UsageError: nothing is staged (run :func:`collect` first), or nbgrader failed.
    """
    students = sorted(p.parent.parent.name for p in (course.root / "feedback").glob(f"*/{assignment}/*.html"))
    if not students:
        raise UsageError("exchange.no_feedback", assignment=assignment, path=course.root)
    course.run("release_feedback", assignment)
    return students


def _folders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def _check(result: dict[str, Any], step: str) -> None:
    """Raise a bilingual error from nbgrader's result dictionary when it did not succeed."""
    if result.get("success"):
        return
    lines = [line for line in (result.get("log") or "").splitlines() if line.startswith(("[ERROR]", "[CRITICAL]"))]
    error = (result.get("error") or "").strip().splitlines()
    detail = "; ".join(lines or error[-1:])[:500]
    raise UsageError("exchange.nbgrader_failed", step=step, error=detail)
