"""`make hub` in a real browser: an instructor and two learners, nbgrader's round trip, isolation, Korean menus.

Runs as root only (it creates real Unix accounts, as an instructor does with `course hub add-user`); elsewhere
it skips, except in CI, where it fails. Everything it creates carries one random prefix and is removed at the
end, failure or not: the accounts and their homes, the hub's folder, the groups if it made them, the checkout's
permissions as they were. The hub starts inside a pids cgroup of its own where the machine allows one, so
every process it started (the proxy, each learner's server and kernel) is killed at the end.
"""

from __future__ import annotations

import contextlib
import grp
import http.client
import json
import os
import pwd
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import expect

from grader import hub as hubmod
from grader.mutations import solution_answers, with_answers
from grader.paths import BUILD, EXERCISES, ROOT, SOLUTIONS, VENVS
from tests.browser.conftest import free_port, screenshot
from tests.factory import self_signed

ASSIGNMENT = "01_tensors"
COURSE = str(VENVS / "main" / "bin" / "course")
#: Numbers of the last run (the issue asks for them): start time, each step, memory.
METRICS = BUILD / "hub_test_metrics.json"


def _require_root() -> None:
    """Skip where `course hub` refuses (not root, no useradd, no proxy, a Python only root can run); fail in CI."""
    from grader.errors import CourseError

    try:
        hubmod.check_machine()
    except CourseError as err:
        if os.environ.get("CI"):
            pytest.fail(str(err))
        pytest.skip(str(err).replace("\n", " / "))


@dataclass
class Person:
    account: hubmod.Account
    password: str

    @property
    def name(self) -> str:
        return self.account.name


@dataclass
class HubRun:
    """A running `course hub start` on a free port, in its own folder, with one instructor and two learners."""

    hub: hubmod.Hub
    port: int
    people: dict[str, Person]
    log: Path
    cert: Path
    """The hub's self-signed certificate: it serves HTTPS only, as a class on a network must."""
    proc: subprocess.Popen | None = None
    cgroup: object | None = None
    steps: dict[str, float] = field(default_factory=dict)

    def url(self, path: str = "", scheme: str = "https") -> str:
        return f"{scheme}://127.0.0.1:{self.port}/{path}"

    def step(self, name: str, since: float) -> None:
        self.steps[name] = round(time.monotonic() - since, 2)

    def run_as(self, person: Person, *args: str, timeout_s: float = 300) -> subprocess.CompletedProcess:
        """Run `args` as `person`'s Unix user, with the environment the hub gives their terminals and kernels."""
        user = pwd.getpwnam(person.name)
        env = {**hubmod.server_environment(self.hub, person.account), "HOME": user.pw_dir, "USER": person.name}
        groups = [g.gr_gid for g in grp.getgrall() if person.name in g.gr_mem]
        return subprocess.run(list(args), user=user.pw_uid, group=user.pw_gid, extra_groups=groups, env=env,
                              cwd=user.pw_dir, capture_output=True, text=True, timeout=timeout_s, check=False)

    def processes(self) -> list[tuple[int, str, int]]:
        """(pid, command, RSS in kB) of every process the hub started (its cgroup, or its learners' uids)."""
        pids = set(self.cgroup.pids()) if self.cgroup is not None else set()
        uids = {pwd.getpwnam(p.name).pw_uid for p in self.people.values()}
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, ValueError, StopIteration):
                status = dict(line.split(":", 1) for line in (entry / "status").read_text().splitlines() if ":" in line)
                if int(entry.name) in pids or int(status["Uid"].split()[0]) in uids:
                    command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:200]
                    found.append((int(entry.name), command, int(status.get("VmRSS", "0 kB").split()[0])))
        return found


def _wait_http(url: str, proc: subprocess.Popen, log: Path, cert: Path, timeout_s: float = 120) -> float:
    """Seconds until `url` answers 200 over HTTPS, its certificate verified against `cert`."""
    start = time.monotonic()
    trusted = ssl.create_default_context(cafile=str(cert))
    while time.monotonic() - start < timeout_s:
        if proc.poll() is not None:
            raise RuntimeError(f"the hub exited {proc.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=2, context=trusted) as response:
                if response.status == 200:
                    return time.monotonic() - start
        time.sleep(0.2)
    raise TimeoutError(f"the hub did not answer in {timeout_s} s:\n{log.read_text()[-3000:]}")


def _stop(run: HubRun, created_groups: list[str], changes: list[hubmod.Change]) -> None:
    """Stop the hub and all it started; remove the accounts, the folder, the groups made; restore the checkout."""
    if run.proc is not None and run.proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.proc.pid, signal.SIGTERM)  # the hub stops its learners' servers and its proxy
        try:
            run.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(run.proc.pid, signal.SIGKILL)
    if run.cgroup is not None:
        run.cgroup.remove()  # whatever is left inside: killed, waited for, then the cgroup is gone
    with contextlib.suppress(OSError, ValueError):
        os.kill(int((run.hub.state / "proxy.pid").read_text()), signal.SIGKILL)
    uids = set()
    for person in run.people.values():
        with contextlib.suppress(KeyError):
            uids.add(pwd.getpwnam(person.name).pw_uid)
    for path in (ROOT / "build" / ".cache").rglob("*"):  # what the instructor's grading cached outlives them
        with contextlib.suppress(OSError):
            if path.lstat().st_uid in uids:
                os.chown(path, 0, 0, follow_symlinks=False)
    for person in run.people.values():
        with contextlib.suppress(KeyError):
            uid = pwd.getpwnam(person.name).pw_uid
            for _ in range(50):  # a process may be starting as another dies
                if not hubmod.kill_user_processes(uid):
                    break
                time.sleep(0.1)
            subprocess.run(["userdel", "--remove", person.name], capture_output=True, check=False)
        with contextlib.suppress(KeyError):
            grp.getgrnam(person.name)
            subprocess.run(["groupdel", person.name], capture_output=True, check=False)
    hubmod.restore_checkout(changes)
    for group in created_groups:
        subprocess.run(["groupdel", group], capture_output=True, check=False)
    shutil.rmtree(run.hub.root, ignore_errors=True)
    shutil.rmtree(run.cert.parent, ignore_errors=True)


@pytest.fixture(scope="module")
def hub_run(browser: object) -> Iterator[HubRun]:
    _require_root()
    from grader.sandbox import PidsCgroup, _cgroup_parent

    prefix = f"ct{secrets.token_hex(3)}"
    root = Path(tempfile.mkdtemp(prefix=f"course-hub-{prefix}-", dir="/tmp"))
    created_groups = [g for g in (hubmod.LEARNERS, hubmod.INSTRUCTORS) if not _group_exists(g)]
    people = {key: Person(hubmod.Account(f"{prefix}{key[0]}", lang=lang, role=role), secrets.token_urlsafe(12))
              for key, lang, role in (("teacher", "en", "instructor"), ("kim", "ko", "learner"),
                                      ("lee", "en", "learner"))}
    cert, key = self_signed(root.parent / f"{root.name}-tls")
    run = HubRun(hub=hubmod.Hub(root), port=free_port(), people=people, log=root.parent / f"{root.name}.log",
                 cert=cert)
    before = _modes()
    changes = hubmod.protect_checkout(ROOT)  # what `course hub start` does; kept to be undone at the end
    try:
        start = time.monotonic()
        for person in people.values():
            argv = [COURSE, "hub", "add-user", person.name, "--hub-dir", str(root), "--lang", person.account.lang,
                    "--password-stdin", *(["--instructor"] if person.account.role == "instructor" else [])]
            done = subprocess.run(argv, input=person.password + "\n", capture_output=True, text=True, check=False)
            assert done.returncode == 0, done.stdout + done.stderr
        run.step("add 3 accounts (course hub add-user)", start)
        parent = _cgroup_parent()
        run.cgroup = PidsCgroup(parent, max_tasks=4096) if parent is not None else None
        argv = [COURSE, "hub", "start", "--hub-dir", str(root), "--port", str(run.port), "--ip", "127.0.0.1",
                "--ssl-cert", str(cert), "--ssl-key", str(key),
                "--server-arg=--LabApp.expose_app_in_browser=True"]  # window.jupyterapp, as test_lab uses
        argv = (run.cgroup.enter_argv() if run.cgroup is not None else []) + argv
        start = time.monotonic()
        with run.log.open("w") as log:
            run.proc = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                        env={**os.environ, "LANG": "C.UTF-8"})
        _wait_http(run.url("hub/health"), run.proc, run.log, cert)
        run.step("hub start (course hub start until /hub/health answers)", start)
        yield run
    finally:
        _stop(run, created_groups, changes)
        with contextlib.suppress(OSError):
            BUILD.mkdir(exist_ok=True)
            shutil.move(run.log, BUILD / "hub_test.log")  # the hub's own log of the last run
        assert not any(_user_exists(p.name) for p in people.values()), "accounts left behind"
        after = _modes()
        assert {k: after.get(k) for k in before} == before, "the checkout's owners and modes were not restored"


def _modes() -> dict[str, tuple[int, int, int]]:
    """Owner, group and mode of the folders `course hub start` changes and of the grader's cache."""
    paths = [ROOT / name for name in (*hubmod.PROTECTED, *hubmod.INSTRUCTOR_WRITABLE)]
    paths += list((ROOT / hubmod.INSTRUCTOR_WRITABLE[-1]).rglob("*"))
    found = {}
    for path in paths:
        with contextlib.suppress(OSError):
            st = path.lstat()
            found[str(path)] = (st.st_uid, st.st_gid, st.st_mode)
    return found


def _group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def login(browser: object, run: HubRun, person: Person, password: str | None = None) -> object:
    """A fresh browser context that submits `person`'s login form (does not wait for their server)."""
    # The certificate is self-signed; the fixture verified it against the file, the browser is told to accept it.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR", ignore_https_errors=True)
    page = context.new_page()
    page.goto(run.url("hub/login"))
    page.fill("#username_input", person.name)
    page.fill("#password_input", password or person.password)
    page.click("#login_submit", no_wait_after=True)
    return page


def wait_lab(page: object, run: HubRun, person: Person) -> None:
    """Wait until the person's own JupyterLab (spawned by the hub) is up in `page`."""
    page.wait_for_url(f"**/user/{person.name}/lab**", timeout=180_000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands.hasCommand("
                           "'nbgrader:open-assignment-list')", timeout=180_000)


def open_assignments(page: object) -> None:
    page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")


def answered_release() -> dict:
    """What a learner who typed the solution into each answer cell saves (as JSON for the contents API)."""
    notebook = with_answers(nbformat.read(EXERCISES / f"{ASSIGNMENT}.ipynb", 4),
                            solution_answers(nbformat.read(SOLUTIONS / f"{ASSIGNMENT}.ipynb", 4)))
    return json.loads(nbformat.writes(notebook))


#: Run as a learner (their uid and groups, their server's environment): every line must be refused.
PROBE = """
import json, os, sys
results = {}
for label, path in json.loads(sys.argv[1]).items():
    try:
        os.listdir(path) if os.path.isdir(path) else open(path, 'rb').read(1)
        results[label] = 'READ'
    except PermissionError:
        results[label] = 'refused'
    except OSError as err:
        results[label] = type(err).__name__
print(json.dumps(results))
"""


#: Start a course-main kernel in the page's JupyterLab, run `code`, return what it printed (or its error), shut it down.
IN_KERNEL = """async (code) => {
    const kernel = await window.jupyterapp.serviceManager.kernels.startNew({name: 'course-main'});
    let out = '';
    const future = kernel.requestExecute({code});
    future.onIOPub = (msg) => {
        if (msg.header.msg_type === 'stream') out += msg.content.text;
        if (msg.header.msg_type === 'error') out += msg.content.ename + ': ' + msg.content.evalue;
    };
    await future.done;
    await kernel.shutdown();
    return out;
}"""


def test_a_class_on_the_hub(hub_run: HubRun, browser: object) -> None:
    """Can two learners fetch, work and submit, the instructor collect, grade and hand back, each see only theirs?"""
    run, teacher, kim, lee = hub_run, *(hub_run.people[k] for k in ("teacher", "kim", "lee"))
    python = str(VENVS / "main" / "bin" / "python")

    # HTTPS only: the same port refuses to speak plain HTTP, so no password can cross the network in clear
    # (a refusal, a reset, or a TLS alert where a status line was due).
    with pytest.raises((OSError, http.client.HTTPException)):
        urllib.request.urlopen(run.url("hub/login", scheme="http"), timeout=5)
    start = time.monotonic()
    done = run.run_as(teacher, COURSE, "release", ASSIGNMENT)
    assert done.returncode == 0, done.stdout + done.stderr
    run.step("instructor: course release", start)

    # Refused: a wrong password, and root (an account of the machine that is not the class's).
    start = time.monotonic()
    for who, password in ((kim, "not-" + kim.password), (Person(hubmod.Account("root"), "x"), "x")):
        page = login(browser, run, who, password)
        expect(page.locator(".login_error, #login_main .alert")).to_contain_text("Invalid", timeout=30_000)
        assert "/user/" not in page.url
        page.context.close()
    run.step("wrong password and root refused", start)

    # Both learners log in at once; the hub starts each one's JupyterLab as their own Unix user.
    start = time.monotonic()
    pages = {p.name: login(browser, run, p) for p in (kim, lee)}
    for person in (kim, lee):
        wait_lab(pages[person.name], run, person)
    run.step("two learners log in, their servers start, JupyterLab loads", start)
    menu = "#jp-MainMenu .lm-MenuBar-itemLabel"
    expect(pages[kim.name].locator(menu).first).to_have_text("파일", timeout=30_000)  # Korean learner: Korean menus
    expect(pages[lee.name].locator(menu).first).to_have_text("File")
    specs = pages[lee.name].evaluate("""async () => {
        const specs = window.jupyterapp.serviceManager.kernelspecs;
        await specs.ready;
        return Object.keys(specs.specs.kernelspecs);
    }""")
    assert {"course-main", "course-xla", "course-text"} <= set(specs), specs
    screenshot(pages[kim.name], "hub_lab_ko")

    start = time.monotonic()
    for person in (kim, lee):
        page = pages[person.name]
        open_assignments(page)
        released = page.locator("#released_assignments_list")
        expect(released).to_contain_text(ASSIGNMENT, timeout=60_000)
        released.get_by_role("button", name="Fetch").click()
        expect(page.locator("#fetched_assignments_list")).to_contain_text(ASSIGNMENT, timeout=60_000)
    run.step("both fetch the exercise (Assignments tab)", start)

    start = time.monotonic()
    saved = pages[kim.name].evaluate("""async (nb) => {
        const path = '""" + ASSIGNMENT + "/" + ASSIGNMENT + """.ipynb';
        const model = await window.jupyterapp.serviceManager.contents.save(path,
            {type: 'notebook', format: 'json', content: nb});
        return model.path;
    }""", answered_release())
    assert saved.endswith(f"{ASSIGNMENT}.ipynb")
    for person in (kim, lee):  # kim solved it, lee left it as fetched
        page = pages[person.name]
        page.locator("#fetched_assignments_list").get_by_role("button", name="Submit").click()
        expect(page.locator("#submitted_assignments_list")).to_contain_text(ASSIGNMENT, timeout=60_000)
    screenshot(pages[kim.name], "hub_submitted_ko")
    run.step("one solves, both submit", start)

    # A learner opening another's server is refused by the hub, and every private file by the kernel of Linux.
    start = time.monotonic()
    response = pages[kim.name].request.get(run.url(f"user/{lee.name}/api/contents"), max_redirects=0)
    assert response.status == 403, (response.status, response.url)
    other = pages[kim.name].context.new_page()
    other.goto(run.url(f"user/{lee.name}/lab"))  # lee's server sends kim to the hub, which says no
    expect(other.locator("body")).to_contain_text("403", timeout=30_000)
    expect(other.locator("body")).to_contain_text("permission")
    assert not other.evaluate("() => Boolean(window.jupyterapp)")
    screenshot(other, "hub_other_learner_refused")
    other.close()
    private = {"another learner's home": run.hub.home(lee.name), "another learner's work":
               run.hub.workspace(lee.account) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
               "the instructor's home": run.hub.home(teacher.name), "solutions/": SOLUTIONS,
               "a solution": SOLUTIONS / f"{ASSIGNMENT}.ipynb", "git history": ROOT / ".git",
               "build/": BUILD, "the gradebook folder": run.hub.course, "the hub's state": run.hub.state,
               "the exchange's inbound": run.hub.exchange / "pytorch-course" / "inbound"}
    # what a learner's notebook can do: the probe runs in kim's own course-main kernel, started by their lab
    code = f"import sys; sys.argv = ['probe', {json.dumps({k: str(v) for k, v in private.items()})!r}]\n{PROBE}"
    output = pages[kim.name].evaluate(IN_KERNEL, code)
    assert json.loads(output.strip().splitlines()[-1]) == {label: "refused" for label in private}, output
    run.step("another's server refused; private files refused to a learner's kernel", start)

    start = time.monotonic()
    done = run.run_as(teacher, COURSE, "collect", ASSIGNMENT)
    assert done.returncode == 0, done.stdout + done.stderr
    run.step("instructor: course collect (grades both)", start)
    book = json.loads((run.hub.course / "grades" / ASSIGNMENT / "gradebook.json").read_text())
    scores = {row["student"]: (row["score"], row["max_score"], row["status"]) for row in book["submissions"]}
    assert scores[kim.name][0] == scores[kim.name][1] > 0 and scores[kim.name][2] == "graded", scores
    assert scores[lee.name][0] == 0 and scores[lee.name][2] == "graded", scores
    assert set(scores) == {kim.name, lee.name}

    start = time.monotonic()
    done = run.run_as(teacher, COURSE, "release-feedback", ASSIGNMENT)
    assert done.returncode == 0, done.stdout + done.stderr
    pages_feedback = {}
    for person in (kim, lee):
        page = pages[person.name]
        open_assignments(page)
        submitted = page.locator("#submitted_assignments_list")
        submitted.get_by_role("button", name="Fetch Feedback").click()
        folder = run.hub.workspace(person.account) / ASSIGNMENT / "feedback"
        deadline = time.monotonic() + 60
        while not list(folder.glob(f"*/{ASSIGNMENT}.html")) and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        pages_feedback[person.name] = [p.read_text(encoding="utf-8") for p in folder.glob(f"*/{ASSIGNMENT}.html")]
    run.step("instructor: release-feedback; both fetch their feedback", start)
    for person, other_person in ((kim, lee), (lee, kim)):
        feedback = pages_feedback[person.name]
        assert len(feedback) == 1, person.name
        assert person.name in feedback[0] and other_person.name not in feedback[0]
    probe = run.run_as(kim, python, "-c", PROBE, json.dumps(
        {"another learner's feedback": str(run.hub.workspace(lee.account) / ASSIGNMENT / "feedback"),
         "the exchange's feedback folder": str(run.hub.exchange / "pytorch-course" / "feedback")}))
    assert set(json.loads(probe.stdout).values()) == {"refused"}, probe.stdout

    processes = run.processes()
    memory = {"total_mb": round(sum(rss for _, _, rss in processes) / 1024, 1),
              "processes": [{"pid": pid, "rss_mb": round(rss / 1024, 1), "command": cmd}
                            for pid, cmd, rss in processes]}
    BUILD.mkdir(exist_ok=True)
    METRICS.write_text(json.dumps({"steps_s": run.steps, "memory": memory}, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps({"steps_s": run.steps, "memory_total_mb": memory["total_mb"]}, indent=1, ensure_ascii=False),
          file=sys.stderr)
    for page in pages.values():
        page.context.close()
