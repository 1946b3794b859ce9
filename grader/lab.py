"""JupyterLab for learners: single-language working copies that no command overwrites, nbgrader's learner tools on."""

from __future__ import annotations

import json
import os
from pathlib import Path

from grader.paths import EXERCISES, NOTEBOOKS, ROOT, VENVS, discover
from grader.render import LANGUAGES, render_language

#: Learners' working copies: workspace/<lang>/{notebooks,exercises}/ (git-ignored; only ever added to).
WORKSPACE = ROOT / "workspace"
#: Lab plugins a learner's lab goes without: nbgrader's instructor tools (the course grades with
#: `course grade(-all)`) and JupyterLab's news pop-up (it asks to fetch news from the internet).
DISABLED_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                    "@jupyter/nbgrader:course-list", "@jupyterlab/apputils-extension:announcements")
#: Jupyter config folders per language: ko/labconfig/ sets JupyterLab's translation to Korean (lab and hub).
JUPYTER_CONFIG = ROOT / "grader" / "jupyter"
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")


def workspace_root() -> Path:
    """``$COURSE_WORKSPACE`` if set, else ``<repo>/workspace``."""
    return Path(os.environ.get("COURSE_WORKSPACE") or WORKSPACE)


def prepare(langs: tuple[str, ...] = LANGUAGES, *, workspace: Path | None = None) -> tuple[Path, list[Path]]:
    """Render the lessons and released exercises into the workspace, keeping every copy that exists.

    A copy a learner has opened is theirs: it is never rewritten, so `make lab` can run any number of times.
    A new chapter or exercise added to the course appears next time. Solutions never go there.

    Args:
        langs: ``("ko",)``, ``("en",)`` or both.
        workspace: where the copies live (default :func:`workspace_root`).

    Returns:
        The folder JupyterLab opens (``workspace/<lang>`` for one language, ``workspace`` for both) and the
        copies written this time.
    """
    workspace = workspace or workspace_root()
    sources = discover((NOTEBOOKS, EXERCISES))
    written = [p for lang in langs for p in render_language(lang, sources, out=workspace, overwrite=False)]
    root = workspace / langs[0] if len(langs) == 1 else workspace
    write_learner_config(root)
    return root, written


def write_learner_config(root: Path) -> Path:
    """Write the nbgrader_config.py that JupyterLab's assignment list and validate read from the lab's root."""
    from grader.exchange import CONFIG_NAME, exchange_root, learner_config

    path = root / CONFIG_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    # Fetched assignments go into the lab's root folder, whatever folder `make lab` was started in.
    path.write_text(learner_config(exchange_root(), assignment_dir=root), encoding="utf-8")
    return path


def disable_plugins(venv: Path = VENVS / "main") -> Path:
    """Turn the DISABLED_PLUGINS off in the environment's page config (what
    ``jupyter labextension disable --level sys_prefix`` writes), keeping any other setting there."""
    path = venv / "etc" / "jupyter" / "labconfig" / "page_config.json"
    config = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    disabled = config.setdefault("disabledExtensions", {})
    if all(disabled.get(name) for name in DISABLED_PLUGINS):
        return path
    disabled.update({name: True for name in DISABLED_PLUGINS})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return path


def lab_env(root: Path, lang: str | None = None) -> dict[str, str]:
    """The environment for ``jupyter lab``: the workspace root (and the language's settings) on Jupyter's config path.

    nbgrader 0.9.6's assignment list means to read ``nbgrader_config.py`` from the lab's root folder
    but appends that folder to its search path as a nested list, so it never looks there; through
    ``JUPYTER_CONFIG_PATH`` every nbgrader tool in the lab finds it. For ``lang="ko"``,
    ``grader/jupyter/ko/labconfig/default_setting_overrides.json`` turns JupyterLab's own menus and
    dialogs Korean (the language pack jupyterlab-language-pack-ko-KR); a learner can still switch in
    Settings > Language, which is stored in their own settings and wins.
    """
    extra = os.environ.get("JUPYTER_CONFIG_PATH")
    folders = [str(root), *([str(JUPYTER_CONFIG / lang)] if lang and (JUPYTER_CONFIG / lang).is_dir() else [])]
    return {**os.environ, "JUPYTER_CONFIG_PATH": os.pathsep.join([*folders, *([extra] if extra else [])])}


def lab_argv(root: Path, *, port: int | None = None, extra: list[str] | None = None) -> list[str]:
    """The ``jupyter lab`` command line: the course's environment, the workspace root, learner extensions only."""
    argv = [str(VENVS / "main" / "bin" / "jupyter"), "lab", f"--ServerApp.root_dir={root}"]
    argv += [f"--ServerApp.jpserver_extensions={name}=False" for name in INSTRUCTOR_SERVER_EXTENSIONS]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")  # containers and CI run as root; Jupyter refuses without it
    if port is not None:
        argv += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    return argv + list(extra or [])
