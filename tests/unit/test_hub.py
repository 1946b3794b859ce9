"""grader.hub: the accounts file, the hub's configuration, what is closed to learners (no accounts are made here)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from traitlets.config import Config

from grader import hub
from grader.errors import UsageError
from grader.hub import Account, Hub
from tests.factory import self_signed


def test_accounts_round_trip_through_the_file_text():
    """Does accounts.json read back exactly what was written, sorted by name?"""
    accounts = {"lee": Account("lee", "en"), "kim": Account("kim", "ko"), "park": Account("park", "ko", "instructor")}
    text = hub.accounts_text(accounts)
    assert list(hub.parse_accounts(text)) == ["kim", "lee", "park"]
    assert hub.parse_accounts(text) == accounts


@pytest.mark.parametrize(("text", "key"), [
    ("not json", "hub.bad_accounts"),
    ('{"schema_version": 2, "accounts": []}', "hub.bad_accounts"),
    ('{"schema_version": 1, "accounts": [{"name": "kim", "colour": "red"}]}', "hub.bad_accounts"),
    ('{"schema_version": 1, "accounts": [{"name": "kim"}, {"name": "kim", "lang": "en"}]}', "hub.bad_accounts"),
    ('{"schema_version": 1, "accounts": [{"name": "Kim"}]}', "hub.bad_name"),
    ('{"schema_version": 1, "accounts": [{"name": "../etc"}]}', "hub.bad_name"),
    ('{"schema_version": 1, "accounts": [{"name": "kim", "lang": "fr"}]}', "hub.bad_lang"),
    ('{"schema_version": 1, "accounts": [{"name": "kim", "role": "root"}]}', "hub.bad_role"),
])
def test_a_broken_accounts_file_is_refused_with_a_reason(text: str, key: str):
    """Is every malformed accounts file refused, never half read?"""
    with pytest.raises(UsageError) as caught:
        hub.parse_accounts(text)
    assert caught.value.key == key


@pytest.mark.parametrize("name", ["kim", "s2024-01", "a_b", "x" * 31])
def test_good_login_names(name: str):
    assert Account(name).name == name


@pytest.mark.parametrize("name", ["", "1kim", "kim lee", "kim/x", "Kim", "x" * 32, "-kim", "kim:x"])
def test_bad_login_names(name: str):
    """Is a name that useradd, a path or a URL would choke on refused?"""
    with pytest.raises(UsageError):
        Account(name)


def test_a_korean_learner_gets_the_korean_lab_settings_and_no_instructor_folder(tmp_path: Path):
    """Does the server environment carry the workspace and the language's Jupyter settings, and only that?"""
    the_hub = Hub(tmp_path)
    env = hub.server_environment(the_hub, Account("kim", "ko"))
    paths = env["JUPYTER_CONFIG_PATH"].split(os.pathsep)
    assert paths[0] == str(tmp_path / "home" / "kim" / "course" / "ko")
    assert (Path(paths[1]) / "labconfig" / "default_setting_overrides.json").is_file()
    assert env["COURSE_EXCHANGE"] == str(tmp_path / "exchange")
    assert "COURSE_INSTRUCTOR_DIR" not in env
    english = hub.server_environment(the_hub, Account("lee", "en"))
    assert english["JUPYTER_CONFIG_PATH"] == str(tmp_path / "home" / "lee" / "course" / "en")
    teacher = hub.server_environment(the_hub, Account("park", "en", "instructor"))
    assert teacher["COURSE_INSTRUCTOR_DIR"] == str(tmp_path / "instructor")


def _hub_with(tmp_path: Path, *accounts: Account) -> Hub:
    the_hub = Hub(tmp_path)
    the_hub.state.mkdir(parents=True)
    the_hub.accounts_file.write_text(hub.accounts_text({a.name: a for a in accounts}))
    return the_hub


def test_configure_lets_in_the_class_only_and_spawns_each_in_their_language(tmp_path: Path):
    """Are login, folders and servers set from accounts.json, read again at each login and spawn?"""
    the_hub = _hub_with(tmp_path, Account("kim", "ko"), Account("park", "en", "instructor"))
    c = Config()
    hub.configure(c, the_hub, ip="127.0.0.1", port=8123, hub_port=8124, api_port=8125,
                  server_args=("--LabApp.expose_app_in_browser=True",))
    assert (c.JupyterHub.port, c.JupyterHub.hub_port, c.ConfigurableHTTPProxy.api_url) == (
        8123, 8124, "http://127.0.0.1:8125")
    assert c.Authenticator.allowed_users == {"kim", "park"}
    assert c.JupyterHub.db_url == f"sqlite:///{tmp_path / 'state' / 'jupyterhub.sqlite'}"
    assert c.ConfigurableHTTPProxy.command == [str(hub.PROXY)]
    assert "--LabApp.expose_app_in_browser=True" in c.Spawner.args
    assert any("formgrader=False" in arg for arg in c.Spawner.args)
    authenticator = c.JupyterHub.authenticator_class()
    assert authenticator.check_allowed("kim") and not authenticator.check_allowed("root")
    # an account added while the hub runs may log in at once; one removed may not
    the_hub.accounts_file.write_text(hub.accounts_text({"lee": Account("lee", "en")}))
    assert authenticator.check_allowed("lee") and not authenticator.check_allowed("kim")
    spawner = SimpleNamespace(user=SimpleNamespace(name="lee"), environment={"KEEP": "1"}, notebook_dir="")
    c.Spawner.pre_spawn_hook(spawner)
    assert spawner.notebook_dir == str(tmp_path / "home" / "lee" / "course" / "en")
    assert spawner.environment["KEEP"] == "1" and "COURSE_EXCHANGE" in spawner.environment
    with pytest.raises(RuntimeError):
        c.Spawner.pre_spawn_hook(SimpleNamespace(user=SimpleNamespace(name="kim"), environment={}, notebook_dir=""))


def test_the_config_file_calls_configure(tmp_path: Path):
    """Does the written jupyterhub_config.py run and configure the same hub?"""
    the_hub = _hub_with(tmp_path, Account("kim"))
    c = Config()
    exec(compile(hub.config_text(the_hub, ip="", port=9000, server_args=("--x=1",)), "cfg", "exec"),  # noqa: S102
         {"c": c, "get_config": lambda: c})
    assert c.JupyterHub.port == 9000 and "--x=1" in c.Spawner.args and c.Authenticator.allowed_users == {"kim"}


def test_https_takes_a_matching_certificate_and_key(tmp_path: Path):
    """Both or neither; a pair that loads and matches; then the config serves HTTPS with them (absolute paths)."""
    cert, key = self_signed(tmp_path / "a")
    tls = hub.tls_files(cert, key)
    assert tls == (str(cert.resolve()), str(key.resolve()))
    c = Config()
    hub.configure(c, _hub_with(tmp_path / "h", Account("kim")), port=8443, tls=tls)
    assert (c.JupyterHub.ssl_cert, c.JupyterHub.ssl_key) == tls
    assert hub.tls_files(None, None) is None
    with pytest.raises(UsageError) as caught:
        hub.tls_files(cert, None)
    assert caught.value.key == "hub.tls_pair"
    _, other_key = self_signed(tmp_path / "b")
    for bad in ((cert, other_key), (cert, tmp_path / "missing.key"), (key, cert)):
        with pytest.raises(UsageError) as caught:
            hub.tls_files(*bad)
        assert caught.value.key == "hub.bad_tls" and str(bad[0]) in str(caught.value)
    plain = Config()
    hub.configure(plain, _hub_with(tmp_path / "p", Account("kim")))
    assert "ssl_cert" not in plain.JupyterHub


def test_protection_closes_the_protected_folders_to_others_and_opens_the_cache_to_instructors():
    """Does the plan take 'other' off every protected folder, and give instructors what grading needs?"""
    modes = {"solutions": (0, 0o755), ".git": (0, 0o755), "build": (0, 0o775), "tests": (0, 0o700),
             "build/.cache": (0, 0o755), "build/.cache/gradebook": (0, 0o755), "notebooks": (0, 0o755)}
    plan = hub.plan_protection(modes, {hub.INSTRUCTORS: 990})
    assert plan == {"solutions": (990, 0o750), ".git": (0, 0o700), "build": (990, 0o750),
                    "build/.cache": (990, 0o2770), "build/.cache/gradebook": (990, 0o2770)}
    already = {name: plan.get(name, modes[name]) for name in modes}
    assert hub.plan_protection(already, {hub.INSTRUCTORS: 990}) == {}  # idempotent


def test_exposed_names_readable_protected_folders(tmp_path: Path):
    (tmp_path / "solutions").mkdir(mode=0o755)
    (tmp_path / "solutions").chmod(0o755)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git").chmod(0o700)
    assert hub.exposed(tmp_path) == ["solutions"]
    (tmp_path / "solutions").chmod(0o750)
    assert hub.exposed(tmp_path) == []


def test_a_python_under_a_closed_folder_is_found():
    """Is the interpreter that only root can reach (pyenv under /root) named with the folder in the way?"""
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:  # pytest's tmp_path sits in a 0700 folder itself
        _closed_python(Path(folder))


def _closed_python(tmp_path: Path) -> None:
    closed, python = tmp_path / "root", tmp_path / "root" / "py" / "bin" / "python3"
    python.parent.mkdir(parents=True)
    python.write_text("")
    python.chmod(0o755)
    link = tmp_path / "venv-python"
    link.symlink_to(python)
    tmp_path.chmod(0o755)
    closed.chmod(0o700)
    assert hub.closed_to_others(link) == closed
    closed.chmod(0o711)
    assert hub.closed_to_others(link) is None
    python.chmod(0o700)
    assert hub.closed_to_others(link) == python


def test_the_hub_refuses_to_start_without_root(monkeypatch: pytest.MonkeyPatch):
    """Without root (no real accounts possible), does the hub refuse rather than run with weaker isolation?"""
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(UsageError) as caught:
        hub.check_machine()
    assert caught.value.key == "hub.needs_root"
    with pytest.raises(UsageError):
        hub.start_argv(Hub(Path("/nonexistent")))
