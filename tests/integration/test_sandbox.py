"""The sandbox around a graded kernel (grader.sandbox): what a hostile answer cannot see, change or start.

Each case runs only where the machine provides the layer it tests (bubblewrap; a pids cgroup), as
setup provides on Debian as root; elsewhere it skips and says why. README says what is enforced.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from grader import sandbox
from grader.paths import ROOT
from tests.integration.test_grade import course, grade_answer, points  # noqa: F401 - `course` is a fixture

pytestmark = pytest.mark.kernel
needs_bwrap = pytest.mark.skipif(sandbox.bwrap() is None, reason="bubblewrap is not installed or not allowed here")
needs_netns = pytest.mark.skipif(not sandbox.private_network(), reason="bubblewrap may not unshare the network here")
needs_cgroup = pytest.mark.skipif(not sandbox.describe()["pids_cgroup"], reason="no pids cgroup can be made here")
FULL = {"add_tests": 2, "double_tests": 2, "square_tests": 2, "greet_tests": 2}


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
def test_a_fork_bomb_is_stopped_by_the_pids_cgroup(tmp_path, course):  # noqa: F811
    """`while True: os.fork()` as root: the cgroup caps the processes, the budget ends the run, nothing survives."""
    import threading

    import psutil

    bomb = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    before, peak, done = len(psutil.pids()), [0], threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], len(psutil.pids()))
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        result = grade_answer(tmp_path, course, "square_answer", bomb)
    finally:
        done.set()
        watcher.join()
    assert result.score < 8 and points(result)["square_tests"] == 0
    assert peak[0] - before <= sandbox.MAX_TASKS + 20  # other tests run at the same time: a little slack
    time.sleep(0.5)
    assert len(psutil.pids()) <= before + 20
    assert list(Path(sandbox.describe()["pids_cgroup"]).glob(f"course-grade-{os.getpid()}-*")) == []  # ours only
