"""A class on one machine: JupyterHub, one Unix account per person, the course's lab and nbgrader exchange.

Isolation is the operating system's, not the hub's: every learner and instructor is a real Unix user
(created by :func:`add_user`), each single-user server runs as that user (JupyterHub's
LocalProcessSpawner), each home folder is ``0700``, and the parts of the course checkout a learner must
not read (``solutions/``, ``.git``, ``build/``, ``tests/``, ``workspace/``) are closed to them by
:func:`protect_checkout` before the hub starts. Instructors are in :data:`INSTRUCTORS`, the group that
may read ``solutions/`` and write the grader's cache and the nbgrader course directory. A machine where
this cannot be done (not root, no ``useradd``) gets no hub: :func:`check_machine` refuses, never runs a
weaker one.

Everything of one class lives in one folder (``$COURSE_HUB_DIR``, default ``/srv/course-hub``)::

    state/       root only (0700): jupyterhub_config.py, JupyterHub's database, cookie secret, accounts.json
    home/<name>  each person's home (0700): course/<lang>/ holds their single-language copies
    exchange/    nbgrader's exchange (1777, as nbgrader documents; nbgrader makes inbound 0733 itself)
    instructor/  the instructor's nbgrader course directory (root:course-instructors 2770): gradebook here

Login is JupyterHub's PAMAuthenticator (the Unix password, set by :func:`add_user`), limited to the
accounts in ``accounts.json``: no other account of the machine (root included) can log in.
"""

from __future__ import annotations

import contextlib
import grp
import json
import os
import pwd
import re
import shutil
import socket
import stat
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from grader.errors import UsageError
from grader.lab import JUPYTER_CONFIG
from grader.paths import ROOT, VENVS

#: Where a class's hub keeps everything (accounts' homes, exchange, gradebook, hub state).
HUB_DIR_ENV, DEFAULT_HUB_DIR = "COURSE_HUB_DIR", Path("/srv/course-hub")
#: The Unix groups of the two roles (created on first use, like a package's system groups).
LEARNERS, INSTRUCTORS = "course-learners", "course-instructors"
ROLES = {"learner": LEARNERS, "instructor": INSTRUCTORS}
LANGS = ("ko", "en")
#: A Unix login name that useradd accepts everywhere and that is safe in a path and a URL.
NAME = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
#: configurable-http-proxy, installed by scripts/setup.sh from npm (env/proxy/package-lock.json).
PROXY = VENVS / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
#: Parts of the checkout a learner must never read: the solutions, git's history of them, executed
#: solutions and the grader's caches, the tests (whose fixtures hold correct answers), root's own copies.
#: Value: the group that keeps read access (None: root only).
PROTECTED: dict[str, str | None] = {"solutions": INSTRUCTORS, "build": INSTRUCTORS, ".git": None, "tests": None,
                                    "workspace": None}
#: Inside build/, what the instructors' grading writes: the gradebook versions of the solutions.
INSTRUCTOR_WRITABLE = ("build/.cache", "build/.cache/gradebook")
#: nbgrader's instructor tools stay off: the course grades with `course collect` (grader/lab.py says why).
SERVER_ARGS = ("--ServerApp.jpserver_extensions=nbgrader.server_extensions.formgrader=False",
               "--ServerApp.jpserver_extensions=nbgrader.server_extensions.course_list=False")


@dataclass(frozen=True)
class Account:
    """One person of the class: their login, the language of their lab and copies, and their role."""

    name: str
    lang: str = "ko"
    role: str = "learner"

    def __post_init__(self) -> None:
        if not NAME.match(self.name):
            raise UsageError("hub.bad_name", name=self.name)
        if self.lang not in LANGS:
            raise UsageError("hub.bad_lang", lang=self.lang)
        if self.role not in ROLES:
            raise UsageError("hub.bad_role", role=self.role)


@dataclass(frozen=True)
class Hub:
    """The folder of one class's hub (see the module's docstring for what is where)."""

    root: Path

    @classmethod
    def at(cls, root: Path | None = None) -> Hub:
        """Return the hub at `root`, else ``$COURSE_HUB_DIR``, else ``/srv/course-hub`` (absolute)."""
        return cls(Path(root or os.environ.get(HUB_DIR_ENV) or DEFAULT_HUB_DIR).resolve())

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def homes(self) -> Path:
        return self.root / "home"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def course(self) -> Path:
        """The instructor's nbgrader course directory (``course release/collect`` use it on the hub)."""
        return self.root / "instructor"

    @property
    def accounts_file(self) -> Path:
        return self.state / "accounts.json"

    def home(self, name: str) -> Path:
        return self.homes / name

    def workspace(self, account: Account) -> Path:
        """The folder a person's JupyterLab opens: their single-language copies and nbgrader_config.py."""
        return self.home(account.name) / "course" / account.lang


# --- accounts.json -----------------------------------------------------------------------------------

def parse_accounts(text: str) -> dict[str, Account]:
    """Return the accounts in the text of ``accounts.json`` (name -> Account).

    Raises:
        UsageError: not JSON of the expected shape, an invalid field, or a name twice.
    """
    try:
        data = json.loads(text)
        rows = data["accounts"]
        if data.get("schema_version") != 1 or not isinstance(rows, list):
            raise ValueError("schema_version 1 with a list of accounts expected")
        accounts = [Account(**row) for row in rows]
    except UsageError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise UsageError("hub.bad_accounts", error=f"{type(err).__name__}: {err}") from err
    found: dict[str, Account] = {}
    for account in accounts:
        if account.name in found:
            raise UsageError("hub.bad_accounts", error=f"duplicate name {account.name!r}")
        found[account.name] = account
    return found


def accounts_text(accounts: dict[str, Account]) -> str:
    """Return the text of ``accounts.json`` for `accounts` (sorted by name)."""
    rows = [asdict(a) for _, a in sorted(accounts.items())]
    return json.dumps({"schema_version": 1, "accounts": rows}, indent=1) + "\n"


def read_accounts(hub: Hub) -> dict[str, Account]:
    """Return the hub's accounts (none when the file does not exist yet)."""
    path = hub.accounts_file
    return parse_accounts(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _write_accounts(hub: Hub, accounts: dict[str, Account]) -> None:
    hub.state.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = hub.accounts_file.with_suffix(".tmp")
    tmp.write_text(accounts_text(accounts), encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(hub.accounts_file)


# --- what a person's server gets -----------------------------------------------------------------------

def server_environment(hub: Hub, account: Account) -> dict[str, str]:
    """Return the environment of `account`'s single-user server (and of its terminals and kernels).

    The workspace on ``JUPYTER_CONFIG_PATH`` gives nbgrader its ``nbgrader_config.py`` (grader/lab.py's
    lab_env says why); the language's folder gives JupyterLab its translation setting. Instructors also
    get the hub's course directory and exchange for ``course release/collect/release-feedback``.
    """
    config_path = [str(hub.workspace(account))]
    if (JUPYTER_CONFIG / account.lang).is_dir():
        config_path.append(str(JUPYTER_CONFIG / account.lang))
    env = {"JUPYTER_CONFIG_PATH": os.pathsep.join(config_path),
           "PATH": os.pathsep.join([str(VENVS / "main" / "bin"), "/usr/local/bin", "/usr/bin", "/bin"]),
           "LANG": "C.UTF-8", "COURSE_EXCHANGE": str(hub.exchange)}
    if account.role == "instructor":
        env["COURSE_INSTRUCTOR_DIR"] = str(hub.course)
    return env


def configure(c: Any, hub: Hub, *, ip: str = "", port: int = 8000, hub_port: int | None = None,
              api_port: int | None = None, server_args: tuple[str, ...] = (),
              tls: tuple[str, str] | None = None) -> None:
    """Set JupyterHub's configuration `c` for the class in `hub` (what ``jupyterhub_config.py`` calls).

    Args:
        c: JupyterHub's traitlets Config.
        hub: the class's folder.
        ip: the address learners reach the hub on ("" = every interface).
        port: the hub's public port.
        hub_port: the hub's internal API port (default: a free one).
        api_port: the proxy's REST API port (default: a free one).
        server_args: more options for every single-user server (e.g. ``--LabApp.expose_app_in_browser=True``).
        tls: (certificate, private key) files: the public port speaks HTTPS only (see :func:`tls_files`).
    """
    accounts = read_accounts(hub)
    c.JupyterHub.ip, c.JupyterHub.port = ip, port
    if tls:
        c.JupyterHub.ssl_cert, c.JupyterHub.ssl_key = tls
    c.JupyterHub.hub_ip, c.JupyterHub.hub_port = "127.0.0.1", hub_port or free_port()
    c.JupyterHub.db_url = f"sqlite:///{hub.state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(hub.state / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(hub.state / "jupyterhub.pid")
    c.ConfigurableHTTPProxy.command = [str(PROXY)]
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{api_port or free_port()}"
    c.ConfigurableHTTPProxy.pid_file = str(hub.state / "proxy.pid")
    # Login: the Unix password, for the class's accounts only (never root or another account of the machine).
    from jupyterhub.auth import PAMAuthenticator

    class ClassAuthenticator(PAMAuthenticator):
        """PAM, for the accounts of accounts.json as it is at login (one added or removed while the hub runs counts)."""

        def check_allowed(self, username: str, authentication: Any = None) -> bool:  # noqa: ARG002 - PAMAuthenticator's signature
            return username in read_accounts(hub)

    c.JupyterHub.authenticator_class = ClassAuthenticator
    c.PAMAuthenticator.open_sessions = False  # no PAM session (utmp, systemd-logind): a server is not a login shell
    c.Authenticator.allowed_users = set(accounts)
    c.Authenticator.allow_all = False
    c.JupyterHub.spawner_class = "localprocess"
    c.Spawner.cmd = [str(VENVS / "main" / "bin" / "jupyterhub-singleuser")]
    c.Spawner.args = [*SERVER_ARGS, *server_args]
    c.Spawner.default_url = "/lab"
    # A loaded 2-core machine starts JupyterLab in well under a minute; leave room for a class logging in at once.
    c.Spawner.start_timeout = c.Spawner.http_timeout = 180
    c.JupyterHub.cleanup_servers = True  # the hub stops every single-user server when it stops

    def pre_spawn_hook(spawner: Any) -> None:
        account = read_accounts(hub).get(spawner.user.name)  # read now: accounts added while it runs count
        if account is None:
            raise RuntimeError(f"{spawner.user.name} is not an account of this class")
        spawner.notebook_dir = str(hub.workspace(account))
        spawner.environment = {**spawner.environment, **server_environment(hub, account)}

    c.Spawner.pre_spawn_hook = pre_spawn_hook


def config_text(hub: Hub, *, ip: str, port: int, server_args: tuple[str, ...] = (),
                tls: tuple[str, str] | None = None) -> str:
    """Return ``jupyterhub_config.py``: it calls :func:`configure`, so the settings live in one place."""
    return ("# Written by `course hub start` (grader/hub.py); it is rewritten at every start.\n"
            "from pathlib import Path\n\nfrom grader.hub import Hub, configure\n\n"
            f"configure(c, Hub(Path({str(hub.root)!r})), ip={ip!r}, port={port!r},  # noqa: F821\n"
            f"          server_args={tuple(server_args)!r}, tls={tls!r})\n")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the machine -------------------------------------------------------------------------------------

def check_machine() -> None:
    """Refuse (bilingual :class:`UsageError`) where real Unix accounts cannot be made or the proxy is missing."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        raise UsageError("hub.needs_root")
    missing = [t for t in ("useradd", "userdel", "groupadd", "chpasswd") if shutil.which(t) is None]
    if missing:
        raise UsageError("hub.missing_tools", tools=" ".join(missing))
    if not PROXY.exists():
        raise UsageError("hub.no_proxy", path=PROXY)
    from grader.kernels import read_kernels

    # the kernels' environments (main also runs the learners' servers); .venvs/tools (uv) is setup's alone
    for python in sorted({kernel.python for kernel in read_kernels().values()}):
        closed = closed_to_others(python)
        if closed is not None:
            raise UsageError("hub.python_closed", python=python, folder=closed)


def closed_to_others(path: Path) -> Path | None:
    """Return the first folder on the way to `path` (links followed) that other accounts cannot enter, or
    `path` itself when they cannot run it; None when every learner's server can run it.

    Learners' servers and kernels run the course's environments, whose interpreters link to the Python
    they were made from: a pyenv or uv Python under ``/root`` (0700) runs for root only, and a checkout
    under a closed home folder (GitHub's ``/home/runner``) hides the environments themselves.
    """
    target = path.resolve()
    # the folders above the link (the checkout's) and above what it points at (the base Python's)
    for folder in [*reversed(path.absolute().parents), *reversed(target.parents)]:
        if not stat.S_IMODE(folder.stat().st_mode) & 0o001:
            return folder
    return None if stat.S_IMODE(target.stat().st_mode) & 0o005 == 0o005 else target


def _run(*argv: str, stdin: str | None = None) -> None:
    result = subprocess.run(argv, input=stdin, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise UsageError("hub.command_failed", command=" ".join(argv[:2]), error=(result.stderr or "").strip()[-400:])


def ensure_group(name: str) -> int:
    """Return the gid of group `name`, creating it (a system group) if need be."""
    with contextlib.suppress(KeyError):
        return grp.getgrnam(name).gr_gid
    _run("groupadd", "--system", name)
    return grp.getgrnam(name).gr_gid


def prepare_folders(hub: Hub) -> None:
    """Create the hub's folders with the owners and modes the module's docstring lists (idempotent)."""
    instructors = ensure_group(INSTRUCTORS)
    ensure_group(LEARNERS)
    for path, mode, gid in ((hub.root, 0o755, 0), (hub.state, 0o700, 0), (hub.homes, 0o711, 0),
                            (hub.exchange, 0o1777, 0), (hub.course, 0o2770, instructors)):
        path.mkdir(parents=True, exist_ok=True)
        os.chown(path, 0, gid)
        path.chmod(mode)


@dataclass(frozen=True)
class Change:
    """A path whose group and mode :func:`protect_checkout` changed, with what they were (to undo it)."""

    path: str
    gid: int
    mode: int


def plan_protection(modes: dict[str, tuple[int, int]], gids: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Return path -> (gid, mode) for what :func:`protect_checkout` must change (pure: no file is touched).

    Args:
        modes: relative path -> (gid, mode bits) as they are now, for the paths that exist.
        gids: group name -> gid.
    """
    wanted: dict[str, tuple[int, int]] = {}
    for name, group in PROTECTED.items():
        if name not in modes:
            continue
        gid, mode = modes[name]
        if group is None:
            wanted[name] = (gid, mode & ~0o077)
        else:
            wanted[name] = (gids[group], (mode | 0o050) & ~0o027)
    for name in INSTRUCTOR_WRITABLE:
        if name in modes:
            gid, mode = modes[name]
            wanted[name] = (gids[INSTRUCTORS], (mode | 0o2070) & ~0o007)
    return {name: want for name, want in wanted.items() if want != modes[name]}


def protect_checkout(root: Path = ROOT) -> list[Change]:
    """Close the checkout's PROTECTED parts to learners; let instructors read solutions and write the cache.

    Returns:
        What was changed, with the group and mode before (``restore_checkout`` undoes it).
    """
    gids = {INSTRUCTORS: ensure_group(INSTRUCTORS)}
    (root / INSTRUCTOR_WRITABLE[-1]).mkdir(parents=True, exist_ok=True)
    modes = {}
    for name in (*PROTECTED, *INSTRUCTOR_WRITABLE):
        with contextlib.suppress(FileNotFoundError):
            st = (root / name).lstat()
            if stat.S_ISDIR(st.st_mode):
                modes[name] = (st.st_gid, stat.S_IMODE(st.st_mode))
    changes = []
    for name, (gid, mode) in plan_protection(modes, gids).items():
        path = root / name
        changes.append(Change(str(path), *modes[name]))
        os.chown(path, -1, gid)
        path.chmod(mode)
    # Files the grader cached before keep working for instructors (their group may replace them).
    cache = root / INSTRUCTOR_WRITABLE[-1]
    for path in cache.rglob("*"):
        with contextlib.suppress(OSError):
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode):
                continue
            mode = stat.S_IMODE(st.st_mode) | (0o2070 if stat.S_ISDIR(st.st_mode) else 0o060)
            if (st.st_gid, stat.S_IMODE(st.st_mode)) != (gids[INSTRUCTORS], mode):
                changes.append(Change(str(path), st.st_gid, stat.S_IMODE(st.st_mode)))
                os.chown(path, -1, gids[INSTRUCTORS])
                path.chmod(mode)
    return changes


def restore_checkout(changes: list[Change]) -> None:
    """Undo :func:`protect_checkout` (the tests do; a class keeps its checkout protected)."""
    for change in reversed(changes):
        with contextlib.suppress(FileNotFoundError):
            os.chown(change.path, -1, change.gid)
            os.chmod(change.path, change.mode)


def exposed(root: Path = ROOT) -> list[str]:
    """Return the PROTECTED parts of the checkout that any other user could read or enter (should be none)."""
    found = []
    for name in PROTECTED:
        with contextlib.suppress(FileNotFoundError):
            if stat.S_IMODE((root / name).lstat().st_mode) & 0o005:
                found.append(name)
    return found


# --- accounts ----------------------------------------------------------------------------------------

def add_user(hub: Hub, account: Account, password: str) -> Path:
    """Create `account` as a Unix user with `password`, a private home and their single-language copies.

    Returns:
        The folder their JupyterLab opens.

    Raises:
        UsageError: the machine cannot (see :func:`check_machine`), the password is empty, or the name
            belongs to an account of the machine that is not this class's.
    """
    from grader.lab import prepare

    check_machine()
    if not password or "\n" in password:
        raise UsageError("hub.bad_password")
    prepare_folders(hub)
    accounts = read_accounts(hub)
    try:
        pwd.getpwnam(account.name)
        exists = True
    except KeyError:
        exists = False
    if exists and account.name not in accounts:
        raise UsageError("hub.name_taken", name=account.name)
    home = hub.home(account.name)
    if not exists:
        _run("useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash", "--user-group",
             "--groups", ROLES[account.role], account.name)
    else:
        _run("usermod", "--groups", ROLES[account.role], account.name)
    _run("chpasswd", stdin=f"{account.name}:{password}\n")
    user = pwd.getpwnam(account.name)
    home.chmod(0o700)  # Debian's useradd makes homes 0755: readable by every other account
    previous = os.environ.get("COURSE_EXCHANGE")
    os.environ["COURSE_EXCHANGE"] = str(hub.exchange)  # the nbgrader_config.py prepare() writes points here
    try:
        workspace, _ = prepare((account.lang,), workspace=home / "course")
    finally:
        if previous is None:
            os.environ.pop("COURSE_EXCHANGE", None)
        else:
            os.environ["COURSE_EXCHANGE"] = previous
    for path in [home / "course", *(home / "course").rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid, follow_symlinks=False)
    _write_accounts(hub, {**accounts, account.name: account})
    return workspace


def remove_user(hub: Hub, name: str) -> None:
    """Stop `name`'s processes, delete the Unix user and their home, and drop them from the class.

    Raises:
        UsageError: `name` is not an account of this class.
    """
    check_machine()
    accounts = read_accounts(hub)
    if name not in accounts:
        raise UsageError("hub.unknown_user", name=name)
    with contextlib.suppress(KeyError):
        kill_user_processes(pwd.getpwnam(name).pw_uid)
        _run("userdel", "--remove", name)
    if hub.home(name).exists():
        shutil.rmtree(hub.home(name))
    _write_accounts(hub, {k: v for k, v in accounts.items() if k != name})


def kill_user_processes(uid: int) -> list[int]:
    """SIGKILL every process whose real uid is `uid` (a class account's; never root's); return their pids."""
    if uid == 0:
        return []
    killed = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            line = next(x for x in (entry / "status").read_text().splitlines() if x.startswith("Uid:"))
            if int(line.split()[1]) == uid:
                os.kill(int(entry.name), 9)
                killed.append(int(entry.name))
    return killed


def tls_files(cert: Path | None, key: Path | None) -> tuple[str, str] | None:
    """The certificate and key for HTTPS as absolute paths, checked to load and to belong together; None for none.

    Raises:
        UsageError: one given without the other, or files that are not a matching PEM certificate and key.
    """
    if cert is None and key is None:
        return None
    if cert is None or key is None:
        raise UsageError("hub.tls_pair")
    import ssl

    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as err:
        raise UsageError("hub.bad_tls", cert=cert, key_file=key, error=f"{type(err).__name__}: {err}") from None
    return str(cert.resolve()), str(key.resolve())


def start_argv(hub: Hub, *, ip: str = "", port: int = 8000, server_args: tuple[str, ...] = (),
               tls: tuple[str, str] | None = None) -> tuple[list[str], Path]:
    """Get the machine and folders ready; return the ``jupyterhub`` command line and the folder it runs in.

    Args:
        tls: from :func:`tls_files`: serve HTTPS with this certificate and key (else plain HTTP).

    Raises:
        UsageError: see :func:`check_machine`; or the checkout's protected parts stay readable.
    """
    from grader.lab import disable_plugins

    check_machine()
    prepare_folders(hub)
    protect_checkout(ROOT)
    disable_plugins()  # the same learner-only lab plugins as `make lab`
    if exposed(ROOT):
        raise UsageError("hub.exposed", paths=", ".join(exposed(ROOT)))
    config = hub.state / "jupyterhub_config.py"
    config.write_text(config_text(hub, ip=ip, port=port, server_args=server_args, tls=tls), encoding="utf-8")
    config.chmod(0o600)
    return [str(VENVS / "main" / "bin" / "jupyterhub"), "-f", str(config)], hub.state
