"""The ``course`` command: parse options, call one API function, print, set the exit code."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from grader import messages
from grader.errors import CourseError


def _fail(err: CourseError) -> None:
    """Print the error once in each language ("오류: …" then "error: …") and exit 2."""
    click.echo(messages.format("error.course", message=messages.sides(err.key, **err.params)), err=True)
    sys.exit(2)


class CourseGroup(click.Group):
    """A command group whose commands report a :class:`CourseError` the one way: the bilingual message, exit 2.

    Every command of the course tool raises CourseError for a user's mistake or a machine that cannot do
    the job; none of them catches it itself (``grade --json``, which must still print JSON, is the one
    exception), so the message and the exit status are the same everywhere.
    """

    group_class = type  # subgroups (`course hub ...`) are CourseGroups too

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CourseError as err:
            _fail(err)


@click.group(cls=CourseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pytorch-course")
def main() -> None:
    """Run, check, render, release and grade the bilingual PyTorch course."""


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--jobs", "-j", type=int, default=None, help="Notebooks at once (default: the core count).")
@click.option("--shard", default=None, help="Run shard I of N, e.g. 1/2.")
@click.option("--match", "pattern", default=None, help="Only notebooks whose name contains this.")
@click.option("--kernel", default=None, help="Run main-kernel notebooks in this kernel (e.g. python3).")
def run(paths: tuple[str, ...], jobs: int | None, shard: str | None, pattern: str | None, kernel: str | None) -> None:
    """Execute notebooks headless with papermill; write build/report.{json,md}."""
    from grader.course import run_course

    results = run_course(list(paths), pattern=pattern or None, jobs=jobs, shard_spec=shard, kernel=kernel)
    sys.exit(1 if any(r.status in ("failed", "timeout") for r in results) else 0)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def check(paths: tuple[Path, ...], as_json: bool) -> None:
    """Lint notebooks: clean, paired ko/en, valid metadata, glossary, graded parts, exercises in sync."""
    from grader.checks import run_checks
    from grader.paths import LINTED, discover

    files = [f for p in paths for f in (discover((p,)) if p.is_dir() else [p])] if paths else discover(LINTED)
    findings = run_checks(files)
    if as_json:
        click.echo(json.dumps([f.to_dict() for f in findings], indent=1, ensure_ascii=False))
    else:
        for item in findings:
            click.echo(str(item))
        click.echo(messages.one_line("check.summary", files=len(files), count=len(findings)))
    sys.exit(1 if findings else 0)


@main.command()
@click.option("--lang", type=click.Choice(["ko", "en"]), required=True)
@click.option("--keep-existing", is_flag=True, help="Do not overwrite copies that exist (learners' edits).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the copies (default: build/); they go to OUT/<lang>/<folder>/.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def render(lang: str, keep_existing: bool, out: Path | None, paths: tuple[Path, ...]) -> None:
    """Write single-language copies under build/<lang>/."""
    from grader.paths import relative
    from grader.render import render_language

    for path in render_language(lang, list(paths) or None, out=out, overwrite=not keep_existing):
        click.echo(relative(path))


@main.command()
def exercises() -> None:
    """Regenerate exercises/ from solutions/ with nbgrader's generate_assignment pipeline."""
    from grader.assignments import release_all
    from grader.paths import relative

    written = release_all()
    for path in written:
        click.echo(f"wrote {relative(path)}")
    if not written:
        click.echo("exercises/ is up to date / 이미 최신입니다")


@main.command(context_settings={"ignore_unknown_options": True})
@click.option("--lang", "langs", type=click.Choice(["ko", "en"]), multiple=True,
              help="The language of the copies (repeat for both; default both).")
@click.option("--port", type=int, default=None, help="Serve on this port (default: Jupyter's choice).")
@click.option("--prepare-only", is_flag=True, help="Write the working copies and the config, then stop.")
@click.argument("lab_args", nargs=-1, type=click.UNPROCESSED)
def lab(langs: tuple[str, ...], port: int | None, prepare_only: bool, lab_args: tuple[str, ...]) -> None:
    """Open JupyterLab on your own copies (workspace/<lang>/): later commands never overwrite them.

    Extra arguments go to `jupyter lab` (e.g. --no-browser).
    """
    import os

    from grader.lab import disable_plugins, lab_argv, lab_env, prepare
    from grader.paths import relative

    root, written = prepare(langs or ("ko", "en"))
    disable_plugins()
    click.echo(messages.one_line("lab.ready", root=relative(root), new=len(written)))
    if not prepare_only:
        argv = lab_argv(root, port=port, extra=list(lab_args))
        os.execve(argv[0], argv, lab_env(root, langs[0] if len(langs) == 1 else None))


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The website's folder (default: build/site).")
def site(out: Path | None) -> None:
    """Build the bilingual static website from the executed lessons (run `make course` first)."""
    from grader.website import build_site

    report = build_site(out)
    click.echo(messages.one_line("site.built", out=report.out, pages=report.pages,
                                 size_mb=report.size_bytes / 1e6, seconds=report.seconds))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def clean(paths: tuple[Path, ...]) -> None:
    """Strip outputs and foreign metadata from notebook sources, keeping cell ids."""
    from grader.clean import clean_notebook
    from grader.nbio import dumps, read_notebook, write_notebook
    from grader.paths import LINTED, discover, relative

    for path in list(paths) or discover(LINTED):
        before = path.read_text(encoding="utf-8")
        cleaned = clean_notebook(read_notebook(path))
        if dumps(cleaned) != before:
            write_notebook(cleaned, path)
            click.echo(f"cleaned {relative(path)}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def confirm(paths: tuple[Path, ...]) -> None:
    """After reviewing ko/en pairs: record in each Korean cell the English version it translates."""
    from grader.paths import relative
    from grader.translation import confirm as confirm_pairs

    refused_any = False
    for path in paths:
        confirmed, refused = confirm_pairs(path)
        click.echo(messages.one_line("confirm.done", path=relative(path), count=confirmed))
        for cell in refused:
            refused_any = True
            click.echo(messages.one_line("confirm.refused", path=relative(path), cell=cell))
    sys.exit(1 if refused_any else 0)


@main.command()
def mutations() -> None:
    """Count the proven wrong answers (tests/course/wrong_answers) per exercise and per mistake."""
    from grader.mutations import summary

    click.echo(summary())


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the grade as one JSON object.")
@click.option("--assignment", default=None, help="The exercise, e.g. 01_tensors (default: from the file name).")
@click.option("--solutions", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="The folder of nbgrader source notebooks (default: the course's solutions/).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the bilingual feedback page (the notebook as graded) to this file.")
def grade(path: Path, as_json: bool, assignment: str | None, solutions: Path | None, html_path: Path | None) -> None:
    """Grade one submission; the file is never modified."""
    from grader.grade import format_table, grade_notebook
    from grader.paths import SOLUTIONS

    try:
        result = grade_notebook(path, assignment=assignment, solutions=solutions or SOLUTIONS)
    except CourseError as err:
        if as_json:
            click.echo(json.dumps({"score": 0, "max_score": 0, "cells": [], "errors": [str(err)]}, ensure_ascii=False))
            sys.exit(1)
        _fail(err)
    if html_path is not None:
        from grader.feedback import feedback_html
        from grader.nbio import write_atomic

        write_atomic(html_path, feedback_html(result, path.stem))
    click.echo(json.dumps(result.to_dict(), indent=1, ensure_ascii=False) if as_json else format_table(result))
    sys.exit(1 if result.status == "unreadable" else 0)


@main.command("grade-all")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("build/grades"),
              show_default=True, help="Where gradebook.csv, gradebook.json and feedback/ go.")
@click.option("--jobs", "-j", type=int, default=None, help="Submissions at once (default: half the cores).")
@click.option("--assignment", default=None, help="Grade only this exercise, e.g. 01_tensors (names <student>.ipynb).")
@click.option("--solutions", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="The folder of nbgrader source notebooks (default: the course's solutions/).")
def grade_all_command(folder: Path, out: Path, jobs: int | None, assignment: str | None,
                      solutions: Path | None) -> None:
    """Grade a class: nbgrader's submitted/<student>/<assignment>/ or a flat folder of notebooks.

    Submissions are only read; everything is written under --out. Exit 0 when every submission
    has a record (even one that could not be graded), 2 on usage errors.
    """
    import time

    from grader.classroom import grade_all
    from grader.gradebook import format_class_table
    from grader.paths import SOLUTIONS

    start = time.monotonic()
    try:
        records = grade_all(folder, out=out, jobs=jobs, assignment=assignment, solutions=solutions or SOLUTIONS)
    except OSError as err:
        click.echo(messages.format("error.course", message=f"{type(err).__name__}: {err}"), err=True)
        sys.exit(1)
    click.echo(format_class_table(records, seconds=time.monotonic() - start))
    for name in ("gradebook.csv", "gradebook.json", "feedback"):
        click.echo(messages.one_line("gradeall.wrote", path=out / name))


_COURSE_DIR = click.option("--course-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                           help="The instructor's nbgrader course directory (default: build/instructor).")
_EXCHANGE = click.option("--exchange", type=click.Path(file_okay=False, path_type=Path), default=None,
                         help="The nbgrader exchange folder (default: $COURSE_EXCHANGE, else build/exchange).")


@main.command("release")
@click.argument("assignment")
@_COURSE_DIR
@_EXCHANGE
def release_command(assignment: str, course_dir: Path | None, exchange: Path | None) -> None:
    """Release an exercise to the nbgrader exchange (the course directory is built from solutions/, exercises/)."""
    from grader.exchange import Course, release

    path = release(assignment, course=Course.at(course_dir, exchange))
    click.echo(messages.one_line("exchange.released", assignment=assignment, path=path))


@main.command("collect")
@click.argument("assignment")
@_COURSE_DIR
@_EXCHANGE
@click.option("--jobs", "-j", type=int, default=None, help="Submissions graded at once (default: half the cores).")
def collect_command(assignment: str, course_dir: Path | None, exchange: Path | None, jobs: int | None) -> None:
    """Collect the newest submissions from the exchange and grade them into <course-dir>/grades/ASSIGNMENT/."""
    import time

    from grader.exchange import Course, collect
    from grader.gradebook import format_class_table

    start, course = time.monotonic(), Course.at(course_dir, exchange)
    records = collect(assignment, course=course, jobs=jobs)
    click.echo(format_class_table(records, seconds=time.monotonic() - start))
    click.echo(messages.one_line("gradeall.wrote", path=course.grades(assignment)))


@main.command("release-feedback")
@click.argument("assignment")
@_COURSE_DIR
@_EXCHANGE
def release_feedback_command(assignment: str, course_dir: Path | None, exchange: Path | None) -> None:
    """Release the bilingual feedback pages of the last `course collect` so learners can fetch_feedback."""
    from grader.exchange import Course, release_feedback

    students = release_feedback(assignment, course=Course.at(course_dir, exchange))
    for student in students:
        click.echo(messages.one_line("exchange.feedback_released", assignment=assignment, student=student))


@main.command("learner-config")
@_EXCHANGE
@click.option("--student", default=None, help="The learner's id (default: nbgrader takes the login name).")
def learner_config_command(exchange: Path | None, student: str | None) -> None:
    """Print a learner's nbgrader_config.py (save it as ~/.jupyter/nbgrader_config.py)."""
    from grader.exchange import exchange_root, learner_config

    click.echo(learner_config(exchange or exchange_root(), student=student), nl=False)


@main.group()
def hub() -> None:
    """A class on this machine: JupyterHub with one Unix account per learner (run as root)."""


_HUB_DIR = click.option("--hub-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="The class's folder (default: $COURSE_HUB_DIR, else /srv/course-hub).")


@hub.command("start")
@_HUB_DIR
@click.option("--port", type=int, default=8000, show_default=True, help="The port learners open.")
@click.option("--ip", default="", help="The address to listen on (default: every interface).")
@click.option("--server-arg", "server_args", multiple=True, help="An option for every learner's server (repeatable).")
@click.option("--ssl-cert", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="PEM certificate: serve HTTPS (with --ssl-key), so passwords never cross the network in clear.")
@click.option("--ssl-key", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The certificate's PEM private key.")
def hub_start(hub_dir: Path | None, port: int, ip: str, server_args: tuple[str, ...], ssl_cert: Path | None,
              ssl_key: Path | None) -> None:
    """Start JupyterHub for the class (stop it with Ctrl-C: every learner's server stops with it)."""
    import os

    from grader.hub import Hub, read_accounts, start_argv, tls_files

    the_hub = Hub.at(hub_dir)
    tls = tls_files(ssl_cert, ssl_key)
    argv, cwd = start_argv(the_hub, ip=ip, port=port, server_args=server_args, tls=tls)
    count = len(read_accounts(the_hub))
    click.echo(messages.one_line("hub.starting", scheme="https" if tls else "http", host=ip or "localhost", port=port,
                                 root=the_hub.root, count=count))
    if not tls:
        click.echo(messages.one_line("hub.plain_http"))
    os.chdir(cwd)
    os.execv(argv[0], argv)


@hub.command("add-user")
@click.argument("name")
@_HUB_DIR
@click.option("--lang", type=click.Choice(["ko", "en"]), default="ko", show_default=True,
              help="The language of their JupyterLab and course copies.")
@click.option("--instructor", is_flag=True, help="An instructor (reads solutions/, releases, collects, grades).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def hub_add_user(name: str, hub_dir: Path | None, lang: str, instructor: bool, password_stdin: bool) -> None:
    """Create (or update) an account of the class: a Unix user with a password and their own copies."""
    from grader.hub import Account, Hub, add_user

    account = Account(name, lang=lang, role="instructor" if instructor else "learner")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt(messages.one_line("hub.password_prompt", name=name), hide_input=True,
                                confirmation_prompt=True)
    workspace = add_user(Hub.at(hub_dir), account, password)
    click.echo(messages.one_line("hub.user_added", name=name, role=account.role, lang=lang, workspace=workspace))


@hub.command("remove-user")
@click.argument("name")
@_HUB_DIR
def hub_remove_user(name: str, hub_dir: Path | None) -> None:
    """Remove an account of the class: its processes, Unix user and home folder (back it up first)."""
    from grader.hub import Hub, remove_user

    remove_user(Hub.at(hub_dir), name)
    click.echo(messages.one_line("hub.user_removed", name=name))


@hub.command("users")
@_HUB_DIR
def hub_users(hub_dir: Path | None) -> None:
    """List the class's accounts: name, role, language."""
    from grader.hub import Hub, read_accounts

    accounts = read_accounts(Hub.at(hub_dir))
    for account in accounts.values():
        click.echo(f"{account.name}\t{account.role}\t{account.lang}")
