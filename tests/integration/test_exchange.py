"""The nbgrader round trip as a class lives it: an instructor and two learners, each in their own home.

The instructor uses the `course` verbs (in this process, with the instructor's HOME); the learners use
nbgrader's own commands (subprocesses with their HOME, Jupyter folders and nbgrader_config.py). They
share nothing but the exchange folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.errors import UsageError
from grader.exchange import COURSE_ID, Course, exchange_root, learner_config, release
from grader.mutations import solution_answers, with_answers
from grader.paths import BUILD, EXERCISES, ROOT, SOLUTIONS

ASSIGNMENT = "01_tensors"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
NBGRADER = str(Path(sys.executable).with_name("nbgrader"))
#: What the round trip reads from the repository (others may be editing the rest while it runs).
COURSE_FOLDERS = ("solutions", "exercises")
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


@dataclass(frozen=True)
class User:
    """One person's machine account: a home with its own Jupyter folders, and a folder to work in."""

    name: str
    home: Path

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "COURSE_"))}
        return {**env, "HOME": str(self.home), "JUPYTER_CONFIG_DIR": str(self.home / ".jupyter"),
                "JUPYTER_DATA_DIR": str(self.home / ".local" / "share" / "jupyter")}

    @property
    def work(self) -> Path:
        return self.home / "work"

    def start(self, *args: str) -> subprocess.Popen:
        """Start `nbgrader ARGS` in the work folder, as this user."""
        return subprocess.Popen([NBGRADER, *args], cwd=self.work, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)


def make_user(tmp_path: Path, name: str) -> User:
    user = User(name, tmp_path / "homes" / name)
    user.work.mkdir(parents=True)
    return user


def together(*runs: tuple[User, list[str]]) -> list[str]:
    """Run each user's nbgrader command at the same time; return their outputs, failing on any error."""
    started = [user.start(*args) for user, args in runs]
    outputs = [run.communicate(timeout=120)[0] for run in started]
    for (user, args), run, output in zip(runs, started, outputs, strict=True):
        assert run.returncode == 0, f"{user.name}: nbgrader {' '.join(args)}\n{output}"
    return outputs


def answered(release: Path) -> nbformat.NotebookNode:
    """What a learner saves in JupyterLab after typing the solution into each answer cell."""
    return with_answers(nbformat.read(release, 4), solution_answers(nbformat.read(SOLUTIONS / NOTEBOOK, 4)))


IGNORED_TOP_LEVEL = {"build", ".ruff_cache", ".pytest_cache", "workspace"}


def snapshot(root: Path) -> dict[str, str]:
    """The repository's top-level entries, and the sha256 of every file in the folders the round trip reads.

    A tool that wrote into the folder it runs from or beside the sources (nbgrader's gradebook.db,
    nbgrader_config.py, source/, release/, submitted/, feedback/) would show here.
    """
    # build/ is the course's own git-ignored output folder (the gradebook cache lands there); tool caches
    # come and go with other tests running at the same time.
    files = {p.name: "" for p in root.iterdir() if p.name not in IGNORED_TOP_LEVEL}
    for folder in COURSE_FOLDERS:
        files |= {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                  for p in sorted((root / folder).rglob("*")) if p.is_file()}
    return files


@pytest.mark.kernel
# nbgrader 0.9.6's release_feedback reads timestamp.txt with open(...).read() and never closes it.
@pytest.mark.filterwarnings(r"ignore:unclosed file .*timestamp\.txt:ResourceWarning")
def test_release_fetch_submit_collect_grade_feedback(tmp_path, monkeypatch):
    """Does an exercise go out through the exchange and come back graded, with bilingual feedback?"""
    before = snapshot(ROOT)
    exchange, course_dir = tmp_path / "exchange", tmp_path / "homes" / "teacher" / "course"
    teacher, alice, bob = (make_user(tmp_path, name) for name in ("teacher", "alice", "bob"))
    for key, value in {**teacher.env, "COURSE_EXCHANGE": str(exchange)}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(teacher.work)  # nothing may land in the folder the instructor runs from either
    assert exchange_root() == exchange
    runner = CliRunner()
    instructor = ["--course-dir", str(course_dir)]

    released = runner.invoke(main, ["release", ASSIGNMENT, *instructor])
    assert released.exit_code == 0, released.output
    release_bytes = (EXERCISES / NOTEBOOK).read_bytes()
    assert (exchange / COURSE_ID / "outbound" / ASSIGNMENT / NOTEBOOK).read_bytes() == release_bytes
    assert (course_dir / "gradebook.db").is_file() and (course_dir / "nbgrader_config.py").is_file()

    for learner in (alice, bob):  # the config an instructor hands out (`course learner-config`)
        (learner.home / ".jupyter").mkdir()
        (learner.home / ".jupyter" / "nbgrader_config.py").write_text(
            learner_config(exchange, student=learner.name), encoding="utf-8")
    listing, *_ = together((alice, ["list"]), (alice, ["fetch_assignment", ASSIGNMENT]),
                           (bob, ["fetch_assignment", ASSIGNMENT]))
    assert f"{COURSE_ID} {ASSIGNMENT}" in listing  # what JupyterLab's assignment list shows
    for learner in (alice, bob):
        assert (learner.work / ASSIGNMENT / NOTEBOOK).read_bytes() == release_bytes, learner.name
    nbformat.write(answered(alice.work / ASSIGNMENT / NOTEBOOK), alice.work / ASSIGNMENT / NOTEBOOK)
    together((alice, ["submit", ASSIGNMENT]), (bob, ["submit", ASSIGNMENT]))  # bob hands in the untouched release

    collected = runner.invoke(main, ["collect", ASSIGNMENT, *instructor, "--jobs", "2"])
    assert collected.exit_code == 0, collected.output
    for learner in (alice, bob):
        submitted = course_dir / "submitted" / learner.name / ASSIGNMENT / NOTEBOOK
        assert submitted.read_bytes() == (learner.work / ASSIGNMENT / NOTEBOOK).read_bytes(), learner.name
    book = json.loads((course_dir / "grades" / ASSIGNMENT / "gradebook.json").read_text(encoding="utf-8"))
    scores = {s["student"]: (s["score"], s["max_score"], s["status"]) for s in book["submissions"]}
    full = scores["alice"][1]
    assert full > 0 and scores == {"alice": (full, full, "graded"), "bob": (0, full, "graded")}, book

    feedback = runner.invoke(main, ["release-feedback", ASSIGNMENT, *instructor])
    assert feedback.exit_code == 0 and "alice" in feedback.output and "bob" in feedback.output, feedback.output
    together((alice, ["fetch_feedback", ASSIGNMENT]), (bob, ["fetch_feedback", ASSIGNMENT]))
    for learner, score in ((alice, full), (bob, 0)):
        pages = list((learner.work / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"))
        assert len(pages) == 1, learner.name
        timestamp = (course_dir / "submitted" / learner.name / ASSIGNMENT / "timestamp.txt").read_text()
        assert pages[0].parent.name == timestamp  # the feedback of the submission that was graded
        page = pages[0].read_text(encoding="utf-8")
        assert f"합계 {score:g} / {full:g}" in page and f"Total {score:g} / {full:g}" in page, learner.name
        assert "채점 결과" in page and "Grade for" in page

    assert snapshot(ROOT) == before, "the round trip changed the repository"


def test_learner_config_is_the_nbgrader_config_a_learner_needs(tmp_path, monkeypatch):
    """Does `course learner-config` print a config file that sets the exchange, the course and the student?"""
    from traitlets.config import Config

    monkeypatch.delenv("COURSE_EXCHANGE", raising=False)
    assert exchange_root() == BUILD / "exchange"
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["learner-config", "--exchange", "shared/exchange", "--student", "alice"])
    assert result.exit_code == 0, result.output
    config = Config()
    exec(compile(result.output, "nbgrader_config.py", "exec"), {"get_config": lambda: config})  # as traitlets loads it
    assert config.Exchange.root == str(tmp_path / "shared" / "exchange")  # absolute: learners run from anywhere
    assert config.CourseDirectory.course_id == COURSE_ID and config.CourseDirectory.student_id == "alice"
    assert "student_id" not in learner_config(tmp_path)  # by default nbgrader takes the login name


def test_instructor_errors_are_bilingual_and_change_nothing(tmp_path):
    """Do an unknown exercise, an empty exchange, no feedback and an out-of-date release stop with exit 2?"""
    runner = CliRunner()
    where = ["--course-dir", str(tmp_path / "course"), "--exchange", str(tmp_path / "exchange")]
    unknown = runner.invoke(main, ["release", "99_nope", *where])
    assert unknown.exit_code == 2 and "연습 문제 99_nope" in unknown.output and "no such exercise" in unknown.output
    empty = runner.invoke(main, ["collect", ASSIGNMENT, *where])
    assert empty.exit_code == 2 and "nbgrader collect 실패" in empty.output and "Unwritable directory" in empty.output
    nothing = runner.invoke(main, ["release-feedback", ASSIGNMENT, *where])
    assert nothing.exit_code == 2 and "course collect 01_tensors" in nothing.output and "피드백" in nothing.output
    stale = tmp_path / "exercises"
    stale.mkdir()
    (stale / NOTEBOOK).write_text((EXERCISES / NOTEBOOK).read_text(encoding="utf-8").replace("tensor", "tenser"))
    with pytest.raises(UsageError, match="make exercises"):
        release(ASSIGNMENT, course=Course.at(tmp_path / "course", tmp_path / "exchange"), exercises=stale)
    assert not (tmp_path / "course").exists() and not (tmp_path / "exchange").exists(), "nothing is created"
