"""The operating-system sandbox around a process that runs a learner's code: bubblewrap and a pids cgroup.

Two layers, each used when the machine allows it (``course grade`` works without them, with the
resource limits of :mod:`grader.kernel.limits` only), and each, once the machine is found to allow it,
either applied or grading stops with a bilingual :class:`SandboxError` (it never runs unconfined):

* **bubblewrap** (Debian's ``bwrap``, installed by setup): the process sees only what it needs to run,
  read-only: the system folders (``/usr``, ``/etc``, ``/sys`` …), the Python installation the course's
  environments were made from, the environments (``.venvs/``), the kernel-side code (``grader/``) and
  the course data (``data/``). Nothing else of the machine exists for it: not the rest of the course
  checkout (no ``.git``, ``solutions/``, ``build/``, ``tests/``), not another copy of the course, not
  the submissions, not ``/work``, ``/srv``, ``/opt``, ``/var`` or anyone's home folder. It gets an
  empty private ``/tmp`` and home folder, and only its own working folder is writable. It runs in its
  own PID namespace, so everything it starts dies with it, and in its own network namespace (loopback
  only, nothing else reachable): it talks to the grader over a pipe (:mod:`grader.kernel.judge`).
  The labels of held-out test data (:mod:`grader.kernel.heldout`) are empty files for it.
* a **pids cgroup**: at most :data:`MAX_TASKS` processes and threads for the process and all it
  starts, enforced by the kernel of the operating system even for root (``RLIMIT_NPROC`` is not).
  The process enters the cgroup itself before it runs anything (:meth:`PidsCgroup.enter_argv`), so
  nothing it starts can be born outside, and :meth:`PidsCgroup.confirm` checks that it is inside
  before the learner's code runs.

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

from grader.errors import GradingError
from grader.kernel import heldout
from grader.paths import DATA, ROOT, VENVS

ENV = "COURSE_SANDBOX"
#: Processes plus threads for one graded process: the judge with torch's thread pools needs a few dozen;
#: a fork bomb stops here.
MAX_TASKS = 256
#: Where cgroup v1 mounts its pids controller, and the cgroup v2 root.
CGROUP_V1, CGROUP_V2 = Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")
#: What every program needs to run, shown read-only (a link such as ``/bin -> usr/bin`` stays a link);
#: ``/sys`` describes the hardware (CPU topology, GPUs) to torch and CUDA.
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/sys")
#: The parts of the course a kernel runs with: its environments, its own code (``grader.asserts``, the
#: ``grader/kernel/site`` sitecustomize, the matplotlibrc) and the data the notebooks read.
COURSE_PARTS = (VENVS, ROOT / "grader", DATA)


class SandboxError(GradingError):
    """A layer of the sandbox that this machine supports could not be applied: grading stops."""


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


def _inside(path: Path, trees: list[Path]) -> bool:
    return any(path.is_relative_to(tree) for tree in trees)


def pythons() -> list[Path]:
    """The Python installations (resolved) that the interpreters of the course's environments run on.

    Each environment's ``bin/python`` is a link to its base interpreter (``pyvenv.cfg``'s ``home``):
    uv and pyenv keep them in the home folder, conda in ``/opt``, Debian in ``/usr``.
    """
    found = [Path(sys.base_prefix).resolve()]
    for env in sorted(VENVS.glob("*/pyvenv.cfg")):
        with contextlib.suppress(OSError, RuntimeError, StopIteration):
            found.append((env.parent / "bin" / "python").resolve(strict=True).parent.parent)
        with contextlib.suppress(OSError, RuntimeError, StopIteration):
            home = next(line.split("=", 1)[1].strip() for line in env.read_text().splitlines()
                        if line.split("=", 1)[0].strip() == "home")
            found.append(Path(home).resolve(strict=True).parent)
    return sorted({p for p in found if not p.is_relative_to(VENVS.resolve())})


def _python_parts(prefix: Path) -> list[Path]:
    """What to show of a Python installation: all of it, or its bin/ and lib/ where it is the root, a
    home folder or holds the course (a ``--prefix=$HOME`` build)."""
    home = Path.home().resolve()
    if prefix == Path("/") or prefix == home or ROOT.is_relative_to(prefix):
        return [prefix / name for name in ("bin", "lib", "lib64") if (prefix / name).is_dir()]
    return [prefix]


def _links(path: Path, shown: list[Path], depth: int = 0) -> list[str]:
    """``--symlink`` arguments for the links on the way to `path` that no shown tree brings along.

    A link such as ``~/.pyenv/versions/3.11 -> 3.11.7`` or ``/opt/python -> /opt/python-3.11`` on the
    way from an environment's ``bin/python`` to its interpreter is made again inside the sandbox.
    """
    parts, current = path.parts, Path(path.anchor or "/")
    for index, part in enumerate(parts[1:], start=1):
        step = current / part
        if depth < 40 and step.is_symlink():
            target = os.readlink(step)
            made = [] if _inside(step, shown) else ["--symlink", target, str(step)]
            # `current` holds no link, so `..` in the target can be resolved as text
            rest = Path(os.path.normpath(current / target)).joinpath(*parts[index + 1:])
            return made + _links(rest, shown, depth + 1)
        current = step
    return []


@functools.cache
def _empty_file() -> Path:
    """An empty, read-only file of this process, bound over what the sandboxed process must not read.

    (``/dev/null`` cannot stand in: bubblewrap's binds do not let device files be opened.)
    """
    import atexit
    import tempfile

    handle, name = tempfile.mkstemp(prefix="course-empty-")
    os.close(handle)
    os.chmod(name, 0o444)
    atexit.register(lambda: Path(name).unlink(missing_ok=True))
    return Path(name)


def bwrap_argv(*, writable: Path, connection_file: Path | None = None, hidden: tuple[Path, ...] = (),
               network: bool = True) -> list[str]:
    """The bubblewrap command line that goes before a kernel's (or any grading process's) own ``argv``.

    The process sees what it needs to run and nothing else (see the module's description); bind
    order matters, as a later mount covers an earlier one: system folders, then the empty ``/tmp`` and
    home folder, then the Python installations and the course's parts (which may lie in either), then
    the working folder and the connection file, then an empty file over each held-out labels file
    (:func:`grader.kernel.heldout.label_files`), then `hidden`.

    Args:
        writable: the process's working folder (the only place it may write, besides an empty ``/tmp``
            and home folder); it is also the folder it starts in.
        connection_file: a kernel's connection file (bound read-only, alone: the runtime folder holds
            other kernels' keys); None binds none (a process that talks over a pipe).
        hidden: folders to show empty, where they lie inside what is shown (everything else is absent).
        network: False gives the process a network namespace of its own with only loopback, where
            this machine allows one (:func:`private_network`); the process then talks to the grader
            over a pipe (the judge) or Unix sockets in `writable`.
    """
    # --cap-drop ALL: root inside keeps no capability, so (with the judge not dumpable) no process the
    # learner starts can read or write the judge's memory through /proc/<pid>/mem or ptrace.
    argv = [str(bwrap()), "--die-with-parent", "--cap-drop", "ALL", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            *([] if network or not private_network() else ["--unshare-net"])]
    shown: list[Path] = []  # the trees visible inside, by the path they have there
    for name in SYSTEM:
        folder = Path(name)
        if folder.is_symlink():
            argv += ["--symlink", os.readlink(folder), name]
        elif folder.is_dir():
            argv += ["--ro-bind", name, name]
            shown.append(folder)
    argv += ["--dev", "/dev"]
    for device in sorted(glob.glob("/dev/nvidia*")):  # a GPU machine: CUDA paths still work when graded
        argv += ["--dev-bind", device, device]
    argv += ["--proc", "/proc", "--tmpfs", "/dev/shm", "--tmpfs", "/tmp"]  # /tmp: scratch space, empty
    home = Path.home().resolve()
    if home != Path("/") and home.is_dir():
        argv += ["--tmpfs", str(home)]  # empty, writable: caches and settings that programs write
    if _inside(ROOT, shown):  # a course installed under /usr or /etc: none of it shows but its parts
        argv += ["--tmpfs", str(ROOT)]
    for prefix in pythons():
        for part in _python_parts(prefix):
            if not _inside(part, shown):
                argv += ["--ro-bind", str(part), str(part)]
                shown.append(part)
    for part in COURSE_PARTS:
        if part.exists():
            argv += ["--ro-bind", str(part.resolve()), str(part)]
            shown += [part, part.resolve()]
    for python in sorted(VENVS.glob("*/bin/python")):
        argv += _links(python, shown)
    argv += ["--bind", str(writable), str(writable)]
    needed = [writable.resolve(), *shown]
    if connection_file is not None:
        argv += ["--ro-bind", str(connection_file), str(connection_file)]
        needed.append(connection_file.resolve())
    for labels in heldout.label_files():  # a hidden test's labels: the grader compares, outside (grader.kernel.heldout)
        labels = Path(labels).resolve()
        if _inside(labels, shown):
            argv += ["--ro-bind", str(_empty_file()), str(labels)]
    for folder in hidden:
        folder = folder.resolve()
        # Only what shows needs hiding, and never what the process needs (its folder, its environments).
        if folder.is_dir() and _inside(folder, [writable.resolve(), *shown]) and not any(
                tree.is_relative_to(folder) for tree in needed):
            argv += ["--tmpfs", str(folder)]
    argv += ["--chdir", str(writable),
             # ipykernel exits when its parent's pid is not the one it was given, and in the new PID
             # namespace its parent is bubblewrap's init; "1" turns that watch off (--die-with-parent
             # does the job) without the console banner a missing value prints.
             "--setenv", "JPY_PARENT_PID", "1",
             # the environment's .matplotlib is read-only here: matplotlib would warn in the learner's
             # output and make a temporary one anyway (its font cache takes a fraction of a second)
             "--setenv", "MPLCONFIGDIR", "/tmp/matplotlib", "--"]
    return argv


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
    """A pids cgroup for one graded process: created empty, entered by the process, removed after.

    Use: put :meth:`enter_argv` in front of the command line (before bubblewrap's), start it, then
    :meth:`confirm` its pid before the learner's code runs; :meth:`kill` and :func:`pids_cgroup`'s exit
    end everything inside.
    """

    def __init__(self, parent: Path, max_tasks: int = MAX_TASKS) -> None:
        self.path = parent / f"course-grade-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.path.mkdir()
        try:
            (self.path / "pids.max").write_text(str(max_tasks))
        except OSError:
            with contextlib.suppress(OSError):
                self.path.rmdir()
            raise

    def enter_argv(self) -> list[str]:
        """The command line prefix that moves the process into this cgroup, then runs the rest in its place.

        ``sh`` writes its own pid to ``cgroup.procs`` and only then ``exec``s the command (bubblewrap),
        so every process the command ever starts is born inside. If the write fails, the command never
        runs (``sh`` exits with status 1); :meth:`confirm` then says why.
        """
        return ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', str(self.path / "cgroup.procs")]

    def confirm(self, pid: int, timeout_s: float = 10.0) -> None:
        """Wait until `pid` (started with :meth:`enter_argv`) is inside, then check all it started is.

        Raises:
            SandboxError: `pid` exited or stayed outside for `timeout_s`, or a process of its tree is
                outside; the caller stops grading (and kills `pid`'s process group).
        """
        import psutil

        deadline = time.monotonic() + timeout_s
        while pid not in self.pids():
            if not _alive(pid):
                raise SandboxError("sandbox.cgroup_enter", pid=pid, path=self.path,
                                   error="the process ended without entering it (sh could not write cgroup.procs)")
            if time.monotonic() > deadline:
                raise SandboxError("sandbox.cgroup_enter", pid=pid, path=self.path,
                                   error=f"not inside after {timeout_s:g} s")
            time.sleep(0.005)
        try:
            tree = [child.pid for child in psutil.Process(pid).children(recursive=True)]
        except psutil.Error as err:
            raise SandboxError("sandbox.cgroup_enter", pid=pid, path=self.path, error=f"{type(err).__name__}") from err
        inside = set(self.pids())
        outside = [one for one in tree if one not in inside and _alive(one)]
        if outside:
            raise SandboxError("sandbox.cgroup_enter", pid=pid, path=self.path,
                               error=f"processes {outside[:5]} of its tree are outside")

    def pids(self) -> list[int]:
        try:
            return [int(x) for x in (self.path / "cgroup.procs").read_text().split()]
        except OSError:
            return []

    def kill(self) -> None:
        """SIGKILL every process inside (the kernel included), after forbidding new ones."""
        for control, value in (("pids.max", "0"), ("cgroup.kill", "1")):  # cgroup.kill: v2, Linux 5.14+
            with contextlib.suppress(OSError):
                (self.path / control).write_text(value)
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)

    def remove(self, timeout_s: float = 30.0) -> None:
        """Kill whatever is still inside, wait until all of it is gone, then delete the cgroup.

        Killed processes take a while to go: a fork bomb's hundreds of copies of one Python process
        tear their memory down one after the other (a few seconds when several bombs die at once).
        """
        deadline, next_kill = time.monotonic() + timeout_s, 0.0
        while time.monotonic() < deadline:
            if time.monotonic() >= next_kill:
                self.kill()
                next_kill = time.monotonic() + 0.5
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.05)


def _alive(pid: int) -> bool:
    """Whether `pid` exists and has not exited (a zombie has: it is no longer in any cgroup)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


@contextlib.contextmanager
def pids_cgroup() -> Iterator[PidsCgroup | None]:
    """A fresh pids cgroup when the machine lets us make one, else None; removed on exit.

    Raises:
        SandboxError: the machine was found to allow pids cgroups, but this one could not be made.
    """
    parent = _cgroup_parent()
    group = None
    if parent is not None:
        try:
            group = PidsCgroup(parent)
        except OSError as err:
            raise SandboxError("sandbox.cgroup_create", path=parent, error=err.strerror or str(err)) from err
    try:
        yield group
    finally:
        if group is not None:
            group.remove()
