"""The operating-system sandbox around a kernel that runs a learner's code: bubblewrap and a pids cgroup.

Two layers, each used when the machine allows it (``course grade`` works without them, with the
resource limits of :mod:`grader.limits` only):

* **bubblewrap** (Debian's ``bwrap``, installed by setup): the kernel sees the whole file system
  read-only, an empty private ``/tmp`` and home directory, an empty ``solutions/`` and ``build/``
  (no hidden tests, no gradebook, no other grades) and an empty folder where the submissions are;
  only its own working folder is writable. It runs in its own PID namespace, so everything it
  starts dies with it, and in its own network namespace (loopback only, nothing else reachable):
  its channels to the grader are then Unix sockets in its working folder (Jupyter's IPC transport).
* a **pids cgroup**: at most :data:`MAX_TASKS` processes and threads for the kernel and all it
  starts, enforced by the kernel of the operating system even for root (``RLIMIT_NPROC`` is not).

``COURSE_SANDBOX=0`` turns both off (for debugging a grading problem).
"""

from __future__ import annotations

import contextlib
import functools
import glob
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from grader.paths import BUILD, ROOT, SOLUTIONS

ENV = "COURSE_SANDBOX"
#: Processes plus threads for one graded kernel: a kernel with torch's thread pools needs a few dozen;
#: a fork bomb stops here.
MAX_TASKS = 256
#: Where cgroup v1 mounts its pids controller, and the cgroup v2 root.
CGROUP_V1, CGROUP_V2 = Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")


def enabled() -> bool:
    """False when ``COURSE_SANDBOX=0``."""
    return os.environ.get(ENV, "1") != "0"


def _runs(path: str, namespace: str) -> bool:
    """Whether `path` (a bwrap) can run ``true`` in a new `namespace` (``pid``, ``net``) on this machine."""
    probe = [path, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", f"--unshare-{namespace}", "true"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@functools.cache
def bwrap() -> str | None:
    """The path of a bubblewrap that works here (a container may forbid its namespaces), else None."""
    path = shutil.which("bwrap")
    return path if path is not None and enabled() and _runs(path, "pid") else None


@functools.cache
def private_network() -> bool:
    """Whether bubblewrap may give a kernel its own network namespace here (a container may forbid it)."""
    path = bwrap()
    return path is not None and _runs(path, "net")


#: Longest Unix socket path Linux takes (``sun_path`` is 108 bytes with its final NUL).
_SOCKET_PATH_MAX = 107


def ipc_prefix(writable: Path) -> str | None:
    """Where a sandboxed kernel's Unix sockets go (``<prefix>-<n>``), or None when it cannot have them.

    With IPC transport the kernel needs no network at all, so :func:`bwrap_argv` can take it away;
    None (no private network here, or a folder path too long for a socket) keeps TCP on loopback.
    """
    prefix = str(writable.resolve() / "kernel-ipc")
    if not private_network() or len(os.fsencode(prefix)) + len("-99999") > _SOCKET_PATH_MAX:
        return None
    return prefix


def bwrap_argv(*, writable: Path, connection_file: Path, hidden: tuple[Path, ...] = (),
               network: bool = True) -> list[str]:
    """The bubblewrap command line that goes before a kernel's own ``argv``.

    Args:
        writable: the kernel's working folder (the only place it may write, besides an empty ``/tmp``).
        connection_file: the kernel's connection file (bound read-only, alone: the runtime folder holds
            other kernels' keys).
        hidden: folders to show empty, on top of solutions/ and build/.
        network: False gives the kernel a network namespace of its own with only loopback (its
            channels must then be Unix sockets in `writable`, see :func:`ipc_prefix`).
    """
    argv = [str(bwrap()), "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            *([] if network else ["--unshare-net"]),
            "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/dev/shm"]
    for device in sorted(glob.glob("/dev/nvidia*")):  # a GPU machine: CUDA paths still work when graded
        argv += ["--dev-bind", device, device]
    private = [Path("/tmp")]  # shown empty: scratch space, other users' and graders' files
    home = Path.home().resolve()
    if home != Path("/") and home.is_dir():
        private.append(home)
    for folder in private:
        argv += ["--tmpfs", str(folder)]
    # What the kernel runs from stays visible: the course (with its environments) and the Python the
    # environments were made from (uv and pyenv keep interpreters in the home folder; a clone may be in /tmp).
    for needed in (ROOT, Path(sys.base_prefix).resolve()):
        if any(needed.is_relative_to(folder) for folder in private):
            argv += ["--ro-bind", str(needed), str(needed)]
    for folder in (SOLUTIONS, BUILD, *hidden):
        folder = folder.resolve()
        # Never hide what the kernel needs: the course's environments and its own working folder.
        if folder.is_dir() and not ROOT.is_relative_to(folder) and not writable.resolve().is_relative_to(folder):
            argv += ["--tmpfs", str(folder)]
    argv += ["--bind", str(writable), str(writable), "--ro-bind", str(connection_file), str(connection_file),
             "--chdir", str(writable),
             # ipykernel exits when its parent's pid is not the one it was given, and in the new PID
             # namespace its parent is bubblewrap's init; "1" turns that watch off (--die-with-parent
             # does the job) without the console banner a missing value prints.
             "--setenv", "JPY_PARENT_PID", "1", "--"]
    return argv


def inner_process(bwrap_pid: int | None, marker: str = "ipykernel") -> int | None:
    """The pid (as seen from outside) of the program bubblewrap `bwrap_pid` runs, found by its command line."""
    import psutil

    if not bwrap_pid:
        return None
    try:
        for child in psutil.Process(bwrap_pid).children(recursive=True):
            argv = child.cmdline()  # bubblewrap's own init carries the whole command line too: skip it
            if argv and not argv[0].endswith("bwrap") and any(marker in part for part in argv):
                return child.pid
    except psutil.Error:
        return None
    return None


@functools.cache
def _cgroup_parent() -> Path | None:
    """A folder where this process may create pids cgroups, or None."""
    if not enabled():
        return None
    v2_own = _own_v2_cgroup()
    for parent, limit_file in ((CGROUP_V1, "pids.max"), (v2_own, "pids.max")):
        if parent is None or not parent.is_dir():
            continue
        probe = parent / f"course-probe-{uuid.uuid4().hex[:8]}"
        try:
            probe.mkdir()
        except OSError:
            continue
        try:
            if (probe / limit_file).exists():
                return parent
        finally:
            with contextlib.suppress(OSError):
                probe.rmdir()
    return None


def _own_v2_cgroup() -> Path | None:
    """This process's cgroup v2 folder, when the pids controller is delegated to its children."""
    try:
        line = next(x for x in Path("/proc/self/cgroup").read_text().splitlines() if x.startswith("0::"))
    except (OSError, StopIteration):
        return None
    own = CGROUP_V2 / line[3:].lstrip("/")
    try:
        return own if "pids" in (own / "cgroup.subtree_control").read_text().split() else None
    except OSError:
        return None


def describe() -> dict[str, object]:
    """What the sandbox can do on this machine (for README, `course grade --json` and the tests)."""
    return {"bubblewrap": bwrap() is not None, "private_network": private_network(),
            "pids_cgroup": str(_cgroup_parent() or ""),
            "max_tasks": MAX_TASKS if _cgroup_parent() else None}


class PidsCgroup:
    """A pids cgroup for one graded kernel: created empty, filled with the kernel's processes, removed after."""

    def __init__(self, parent: Path, max_tasks: int = MAX_TASKS) -> None:
        self.path = parent / f"course-grade-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.path.mkdir()
        (self.path / "pids.max").write_text(str(max_tasks))

    def add_tree(self, pid: int) -> None:
        """Move `pid` and all its descendants in (before learner code runs, so nothing escapes between)."""
        import psutil

        try:
            root = psutil.Process(pid)
            pids = [root.pid] + [child.pid for child in root.children(recursive=True)]
        except psutil.Error:
            return
        for one in pids:
            with contextlib.suppress(OSError):
                (self.path / "cgroup.procs").write_text(str(one))

    def pids(self) -> list[int]:
        try:
            return [int(x) for x in (self.path / "cgroup.procs").read_text().split()]
        except OSError:
            return []

    def kill(self) -> None:
        """SIGKILL every process inside (the kernel included)."""
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)

    def remove(self, timeout_s: float = 5.0) -> None:
        """Kill whatever is still inside, then delete the cgroup."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.kill()
            try:
                self.path.rmdir()
                return
            except OSError:
                time.sleep(0.05)


@contextlib.contextmanager
def pids_cgroup() -> Iterator[PidsCgroup | None]:
    """A fresh pids cgroup when the machine lets us make one, else None; removed on exit."""
    parent = _cgroup_parent()
    group = None
    if parent is not None:
        with contextlib.suppress(OSError):
            group = PidsCgroup(parent)
    try:
        yield group
    finally:
        if group is not None:
            group.remove()
