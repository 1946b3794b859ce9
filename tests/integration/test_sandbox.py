"""The sandbox around a graded kernel (grader.sandbox): what a hostile answer cannot see, change or start.

Each case runs only where the machine provides the layer it tests (bubblewrap; a pids cgroup), as
setup provides on Debian as root; elsewhere it skips and says why, except in CI (``CI`` set), whose
machines get every layer from setup: there a missing layer fails, as the browser tests do without
Chromium. README says what is enforced.
"""

from __future__ import annotations

import base64
import hashlib
import inspect
import json
import os
import shutil
import textwrap
import threading
import time
from pathlib import Path

import nbformat
import pytest

from grader import sandbox
from grader.grade import grade_notebook
from grader.paths import ROOT, SOLUTIONS, VENVS
from tests.integration.grading import answer_cell, grade_answer, points, submit

pytestmark = pytest.mark.kernel
LAYERS = {"bubblewrap": (sandbox.bwrap() is not None, "bubblewrap is not installed or not allowed here"),
          "network": (sandbox.private_network(), "bubblewrap may not unshare the network here"),
          "cgroup": (bool(sandbox.describe()["pids_cgroup"]), "no pids cgroup can be made here")}


def _needs(layer: str) -> pytest.MarkDecorator:
    """Skip where the machine lacks `layer`, except in CI, where :func:`test_ci_has_every_layer` fails instead."""
    present, reason = LAYERS[layer]
    return pytest.mark.skipif(not present and not os.environ.get("CI"), reason=reason)


needs_bwrap, needs_netns, needs_cgroup = _needs("bubblewrap"), _needs("network"), _needs("cgroup")


@pytest.mark.skipif(not os.environ.get("CI"), reason="outside CI a machine may lack a layer (the tests say which)")
def test_ci_has_every_layer():
    """CI's machines get bubblewrap and a writable pids cgroup from setup: a missing layer is a failure there."""
    missing = [f"{layer}: {reason}" for layer, (present, reason) in LAYERS.items() if not present]
    assert not missing, missing
FULL = {"add_tests": 2, "double_tests": 2, "square_tests": 2, "greet_tests": 2}


@pytest.fixture
def one_bomb_at_a_time(tmp_path_factory):
    """Fork-bomb tests take turns (pytest -n runs tests side by side): each one's times are its own.

    The lock file is in this test session's own temporary folder, which its workers share.
    """
    import fcntl

    with (tmp_path_factory.getbasetemp().parent / "fork-bombs.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def tree_digest(folder: Path) -> str:
    """One hash of every file's path and bytes under `folder`."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path).encode() + path.read_bytes())
    return digest.hexdigest()


@needs_bwrap
def test_solutions_and_the_class_are_invisible(tmp_path, course):  # noqa: F811
    """An answer that copies the instructor's solution (or a classmate's notebook) finds nothing to copy."""
    solutions, solution, _ = course
    folders = (str(solutions), str(ROOT / "solutions"), str(tmp_path / "submitted"))
    steal = (f"import json, pathlib\n"
             f"seen = [p.name for d in {folders!r} for p in pathlib.Path(d).glob('*')]\n"
             f"assert seen == [], seen\n"
             f"def square(x):\n    return x * x")
    result = grade_answer(tmp_path, course, "square_answer", steal)
    assert points(result) == FULL, result.errors


@needs_bwrap
def test_writes_outside_the_working_folder_change_nothing(tmp_path, course):  # noqa: F811
    """Deleting the submission, a file of the course or solutions/, writing into the home folder: nothing changes."""
    solutions, _, _ = course
    home, before = Path.home(), tree_digest(solutions)
    marker = f"course-sandbox-{os.getpid()}"
    decoy = ROOT / f".{marker}"  # a file of the course tree made for this test (never a real one)
    decoy.write_text("keep")
    vandal = (f"import os, pathlib, shutil\n"
              f"for target in ({str(tmp_path / 'submitted' / '99_demo.ipynb')!r}, {str(decoy)!r}):\n"
              f"    try:\n        os.remove(target)\n    except OSError:\n        pass\n"
              f"shutil.rmtree({str(solutions)!r}, ignore_errors=True)\n"
              f"(pathlib.Path.home() / {marker!r}).write_text('x')\n"
              f"def square(x):\n    return x * x")
    try:
        result = grade_answer(tmp_path, course, "square_answer", vandal)
        kept, leaked = decoy.is_file(), (home / marker).exists()
    finally:
        decoy.unlink(missing_ok=True)
        (home / marker).unlink(missing_ok=True)
    assert points(result) == FULL, result.errors
    assert kept and not leaked
    assert tree_digest(solutions) == before


@needs_netns
def test_the_kernel_reaches_no_server_of_this_machine(tmp_path, course):  # noqa: F811
    """A server on this machine's loopback (the offline guard allows loopback) is out of the kernel's reach.

    The kernel has a network namespace of its own: its 127.0.0.1 is not the grader's, and its channels
    to the grader are Unix sockets, so no TCP traffic of the learner's code leaves the sandbox.
    """
    import socket

    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0)
    port = server.getsockname()[1]
    knock = (f"import socket\n"
             f"try:\n    socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'hello')\n"
             f"except OSError:\n    pass\n"
             f"def square(x):\n    return x * x")
    try:
        result = grade_answer(tmp_path, course, "square_answer", knock)
        try:
            server.accept()[0].close()
            called = True
        except BlockingIOError:
            called = False
    finally:
        server.close()
    assert not called, "the graded kernel connected to a server of this machine"
    assert points(result) == FULL, result.errors
    assert "kernel-ipc" not in str(result.errors)


@needs_cgroup
def test_a_fork_bomb_is_stopped_by_the_pids_cgroup(tmp_path, course, one_bomb_at_a_time):  # noqa: F811
    """`while True: os.fork()` as root: the cgroup caps the processes, the budget ends the run, nothing survives.

    Counted: the processes this test started (the sandbox's PID namespace keeps the bomb's orphans
    among them), not the machine's, where other tests (another bomb) run at the same time.
    """
    import psutil

    bomb = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    me, peak, done = psutil.Process(), [0], threading.Event()
    # what this process ran before (a session's browser, when the browser tests ran first) is not the bomb's
    before = {p.pid for p in me.children(recursive=True)}

    def ours() -> list[psutil.Process]:
        return started_since(me, before)

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], len(ours()))
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        result = grade_answer(tmp_path, course, "square_answer", bomb)
    finally:
        done.set()
        watcher.join()
    assert result.score < 8 and points(result)["square_tests"] == 0
    # Never past the cap (plus bubblewrap outside the namespace). How close the bomb gets in its 3 s cell depends
    # on the CPU it is given at nice 10; that the cap refuses the task past it is proven on its own below.
    assert 0 < peak[0] <= sandbox.MAX_TASKS + 2
    time.sleep(0.5)
    assert ours() == []
    assert list(Path(sandbox.describe()["pids_cgroup"]).glob(f"course-grade-{os.getpid()}-*")) == []  # ours only


def _search(job: dict) -> list[str]:
    """Runs inside the sandbox (sent as an answer's text): every trace of the instructor's files it can find."""
    import os
    import stat
    import subprocess
    import time

    found: list[str] = []
    root, grader_code = job["root"], os.path.join(job["root"], "grader") + os.sep
    packages = tuple(os.path.join(p, "") for p in job["packages"])  # installed packages: named, never read
    course_names = {"solutions", "build", "tests", "notebooks", "exercises", "workspace", ".git"}
    to_read = []
    # (1) the course's history, by the checkout's path: git finds no repository
    for args in (["-C", root, "show", "HEAD:solutions/01_tensors.ipynb"], ["-C", root, "log", "-1"],
                 ["--git-dir", os.path.join(root, ".git"), "log", "-1"]):
        try:
            run = subprocess.run(["git", *args], capture_output=True, timeout=20)
        except FileNotFoundError:
            found.append("git is missing")
            continue
        if run.returncode == 0 or run.stdout:
            found.append(f"git {' '.join(args)}: {run.stdout[:60]!r}")
    # (2) the readable tree: no repository, no course checkout but the parts a kernel needs, no
    # nbgrader course, no notebook outside an installed package (a submission, a solution, a release)
    deadline = time.monotonic() + 10  # the sandbox shows about 350,000 names, read in about a second
    for top, dirs, files in os.walk("/"):
        if time.monotonic() > deadline:
            found.append(f"more to read than a kernel needs: still reading at {top} after 10 s")
            break
        dirs[:] = sorted(d for d in dirs if os.path.join(top, d) not in ("/proc", "/sys", "/dev"))
        names = set(dirs) | set(files)
        installed = os.path.join(top, "").startswith(packages) or "-packages" + os.sep in top
        if ".git" in names:
            found.append(f"repository {os.path.join(top, '.git')}")
        if "grader" in dirs and names & course_names:
            found.append(f"course checkout {top}: {sorted(names & course_names)}")
        if not installed and (names & {"gradebook.db", "nbgrader_config.py"} or "source" in dirs
                              and names & {"release", "autograded", "submitted", "feedback"}):
            found.append(f"nbgrader course {top}")
        if not installed:
            found += [f"notebook {os.path.join(top, f)}" for f in files if f.endswith(".ipynb")]
            to_read += [os.path.join(top, f) for f in files]
        if len(found) > 20:
            break
    found += [f"visible {p}" for p in job["absent"] if os.path.lexists(p)]
    # (3) the text of every readable file that no package installed: the markers of the instructor's
    # notebooks (the grader's own code names them), lines of real solutions and hidden tests
    markers, lines = [m.encode() for m in job["markers"]], [line.encode() for line in job["lines"]]
    for path in to_read:
        if time.monotonic() > deadline + 5:
            found.append(f"more to read than a kernel needs: still reading at {path}")
            break
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                continue
            with open(path, "rb") as handle:
                data = handle.read(50_000_000)
        except OSError:
            continue
        # the grader's own code (and its compiled copies in __pycache__) names the markers, never a real line
        needles = lines if path.startswith(grader_code) and path.endswith((".py", ".pyc")) else markers + lines
        found += [f"{needle.decode()!r} in {path}" for needle in needles if needle in data]
    return found


def _first_line_after(source: str, mark: str) -> str:
    return source.split(mark, 1)[1].strip().splitlines()[0].strip()


@needs_bwrap
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_nothing_of_the_instructor_reaches_the_learner(tmp_path, course):  # noqa: F811
    """An answer that searches all the kernel can read finds no repository, solution, hidden test or submission.

    Not ``.git`` (``git show HEAD:solutions/...``), not solutions/, build/, tests/ of this or any copy
    of the course, not another submission; the markers of nbgrader's source notebooks appear in no file
    but the grader's own code. It runs first, before any hidden test has run in the kernel.
    """
    solutions, solution, _ = course
    real = nbformat.read(SOLUTIONS / "01_tensors.ipynb", 4)
    answers = "\n".join(c.source for c in real.cells if "### BEGIN SOLUTION" in c.source)
    hidden = "\n".join(c.source for c in real.cells if "### BEGIN HIDDEN TESTS" in c.source)
    job = {"root": str(ROOT), "packages": [str(p) for p in (VENVS, Path("/usr"), *sandbox.pythons())],
           "markers": ["### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS"],
           "lines": [_first_line_after(answers, "### BEGIN SOLUTION"),
                     _first_line_after(hidden, "### BEGIN HIDDEN TESTS"),
                     "check_equal(greet(''), 'hi ')"],  # the demo's hidden test, in its solution and the cache
           "absent": [str(tmp_path), str(ROOT / "solutions"), str(ROOT / ".git"), str(Path.cwd() / "tests")]}
    encoded = base64.b64encode(json.dumps(job).encode()).decode()  # so the answer's own text matches nothing
    search = (textwrap.dedent(inspect.getsource(_search)) +
              f"import base64, json\nfound = _search(json.loads(base64.b64decode({encoded!r})))\n"
              "def add(a, b):\n    return found or a + b")  # what it found fails add's check, and shows
    nb = nbformat.read(solution, 4)
    answer_cell(nb, "add_answer").source = search
    start = time.monotonic()
    result = grade_notebook(submit(tmp_path, nb), solutions=solutions, cell_timeout_s=20)
    assert points(result) == FULL, result.errors
    assert time.monotonic() - start < 30


def started_since(me, before: set[int]) -> list:
    """`me`'s descendants that are new since `before` (pids) and alive, leaving out the new children of what ran
    before: a session's Chromium (started by the browser tests) starts renderers of its own at any time."""
    import psutil

    found = []
    for child in me.children(recursive=True):
        try:
            if child.pid in before or any(p.pid in before for p in child.parents()):
                continue
        except psutil.Error:
            continue
        if sandbox._alive(child.pid):
            found.append(child)
    return found


def _pids_cgroup_of(pid: int) -> str | None:
    """The pids cgroup `pid` is in (the ``pids`` line of cgroup v1, else cgroup v2's), None once it is gone."""
    try:
        lines = Path(f"/proc/{pid}/cgroup").read_text().splitlines()
    except OSError:
        return None
    line = next((x for x in lines if ":pids:" in x), None) or next((x for x in lines if x.startswith("0::")), "")
    return line.rpartition(":")[2]


#: One grading of the demo with an answer, in a process of its own (as `course grade` beside another).
GRADE_ONE = """
import json, sys
from pathlib import Path
import nbformat
from grader.grade import grade_notebook
from tests.integration.grading import answer_cell, submit
folder, solutions, answer = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
folder.mkdir()
nb = nbformat.read(solutions / "99_demo.ipynb", 4)
answer_cell(nb, "square_answer").source = answer
result = grade_notebook(submit(folder, nb), solutions=solutions, cell_timeout_s=3)
print(json.dumps({"points": {c.grade_id: c.points for c in result.cells}, "seconds": result.seconds}))
"""


@needs_cgroup
def test_fork_bombs_graded_at_once_all_stay_in_their_cgroups(tmp_path, course, one_bomb_at_a_time):  # noqa: F811
    """Four fork bombs graded at the same time: each is stopped by its own cgroup, none escapes, none survives.

    A watcher looks at every process the gradings start, as often as it can: each one that runs a
    command (not a grader's fork before it runs ``sh``, which puts itself into the cgroup before it runs
    bubblewrap) must already be in a ``course-grade-*`` cgroup, and the caps must have refused forks.
    """
    import subprocess
    import sys

    import psutil

    solutions, _, _ = course
    bomb = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    parent, me, gradings = Path(str(sandbox.describe()["pids_cgroup"])), psutil.Process(), 4
    outside: list[str] = []
    refused: dict[str, int] = {}
    done = threading.Event()
    before = {p.pid for p in me.children(recursive=True)}  # not the gradings' (a session's browser)
    workers = [subprocess.Popen([sys.executable, "-c", GRADE_ONE, str(tmp_path / f"grading-{i}"), str(solutions), bomb],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(gradings)]
    graders = [me.cmdline(), *(worker.args for worker in workers)]

    def watch() -> None:
        while not done.is_set():
            for group in (g for worker in workers for g in parent.glob(f"course-grade-{worker.pid}-*")):
                try:  # "max N": how many forks the cap refused
                    refused[group.name] = int((group / "pids.events").read_text().split()[1])
                except (OSError, IndexError, ValueError):
                    pass
            for child in started_since(me, before):
                group = _pids_cgroup_of(child.pid)
                if group is None or "/course-grade-" in group or not sandbox._alive(child.pid):
                    continue
                try:
                    argv = child.cmdline()
                except psutil.Error:
                    continue
                # Not learner code: a grader, or its fork before it runs the command (`sh`, which enters
                # the cgroup first), or the grader's probe of what bubblewrap may do here (`bwrap … true`);
                # no command line: a process that is exiting (Linux moves it to the root cgroup).
                probe = argv == ["true"] or argv[:1] == [sandbox.bwrap()] and "--die-with-parent" not in argv
                starting = argv in graders or argv[:2] == ["/bin/sh", "-c"] or probe
                if argv and not starting and _pids_cgroup_of(child.pid) == group:
                    outside.append(f"{child.pid} in {group!r}: {' '.join(argv)[:120]}")
            done.wait(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    start = time.monotonic()
    try:
        finished = [worker.communicate(timeout=90) for worker in workers]
    finally:
        done.set()
        watcher.join()
        for worker in workers:
            worker.kill()
            worker.wait()
    assert time.monotonic() - start < 60
    assert outside == [], f"processes outside their pids cgroup: {sorted(set(outside))[:5]}"
    for worker, (out, err) in zip(workers, finished, strict=True):
        assert worker.returncode == 0, err.decode()[-2000:]
        graded = json.loads(out.decode().strip().splitlines()[-1])
        assert sum(graded["points"].values()) < 8 and graded["points"]["square_tests"] == 0, graded
        assert graded["seconds"] < 50  # the budget (12 s), the bombs' teardown, four gradings on two cores
    if refused:  # pids.events: Linux 4.x and later
        # Each grading had its own cgroup. Whether a bomb reached its cap in its 3 s cell depends on the CPU
        # it got at nice 10 (on a starved machine none may): that the cap refuses is proven on its own by
        # test_the_cap_refuses_every_task_past_it; what must hold for every bomb is asserted above (none
        # outside, all stopped) and below (nothing left).
        assert len(refused) >= gradings, refused
    time.sleep(0.5)
    assert started_since(me, before) == []
    assert [g for worker in workers for g in parent.glob(f"course-grade-{worker.pid}-*")] == []


@needs_cgroup
def test_the_cap_refuses_every_task_past_it():
    """A process inside forks sleeping children one at a time until a fork fails: the cap stops it at exactly
    MAX_TASKS tasks (itself and its children), and pids.events counts the refusal. No CPU race: each fork is
    cheap and the process has all the time it needs, so this holds on a starved machine too."""
    import subprocess
    import sys

    forker = ("import os, sys, time\nn = 0\nwhile n < 2 * int(sys.argv[1]):\n    try:\n        pid = os.fork()\n"
              "    except OSError:\n        break\n    if pid == 0:\n        time.sleep(120)\n        os._exit(0)\n"
              "    n += 1\nprint(n, flush=True)\ntime.sleep(120)")
    with sandbox.pids_cgroup() as group:
        assert group is not None
        process = subprocess.Popen([*group.enter_argv(), sys.executable, "-c", forker, str(sandbox.MAX_TASKS)],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            group.confirm(process.pid)
            forked = int(process.stdout.readline())
            events = (group.path / "pids.events").read_text().split()
        finally:
            group.kill()
            process.wait()
            process.stdout.close()
    assert forked == sandbox.MAX_TASKS - 1, forked  # the forker itself is the 256th task
    assert events[0] == "max" and int(events[1]) >= 1, events


@needs_cgroup
def test_a_process_that_cannot_enter_its_cgroup_never_runs():
    """Fail closed: when the write to cgroup.procs fails, the command does not run and confirm() says why."""
    import subprocess

    with sandbox.pids_cgroup() as group:
        assert group is not None
        argv = [*group.enter_argv()[:3], str(group.path / "gone" / "cgroup.procs"), "/bin/sh", "-c", "echo ran"]
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        with pytest.raises(sandbox.SandboxError) as caught:
            group.confirm(process.pid)
        out, _ = process.communicate(timeout=10)
        assert process.returncode != 0 and out == b""
        assert "cgroup" in str(caught.value) and "채점을 멈춥니다" in str(caught.value)
        # started without the prefix: outside, so refused too
        outside = subprocess.Popen(["sleep", "30"])
        try:
            with pytest.raises(sandbox.SandboxError):
                group.confirm(outside.pid, timeout_s=0.5)
        finally:
            outside.kill()
            outside.wait()
        # with it: inside, and all it starts too
        inside = subprocess.Popen([*group.enter_argv(), "/bin/sh", "-c", "sleep 30 & sleep 30; wait"])
        try:
            group.confirm(inside.pid)
            assert inside.pid in group.pids()
        finally:
            group.kill()
            inside.wait()


@needs_cgroup
def test_grading_stops_when_the_kernel_cannot_enter_its_cgroup(tmp_path, course, monkeypatch):  # noqa: F811
    """A cgroup this machine supports but the kernel could not enter: grading stops with a bilingual reason."""
    def broken(self: sandbox.PidsCgroup) -> list[str]:
        return ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', str(self.path / "gone" / "cgroup.procs")]

    monkeypatch.setattr(sandbox.PidsCgroup, "enter_argv", broken)
    try:
        result = grade_answer(tmp_path, course, "square_answer", "def square(x):\n    return x * x")
    except sandbox.SandboxError as err:
        message = str(err)
    else:
        assert result.score == 0, result
        message = "\n".join(result.errors)
    assert "pids cgroup" in message and "채점을 멈춥니다" in message, message


@needs_cgroup
def test_a_cgroup_that_cannot_be_made_stops_grading(monkeypatch):
    """Fail closed: pids cgroups work here, so one that cannot be made stops grading instead of going without."""
    def refuse(self: sandbox.PidsCgroup, parent: Path, max_tasks: int = sandbox.MAX_TASKS) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sandbox.PidsCgroup, "__init__", refuse)
    with pytest.raises(sandbox.SandboxError, match="pids cgroup"), sandbox.pids_cgroup():
        pytest.fail("the body ran without its cgroup")
