"""deploy/: what can be checked without a container engine or a cluster (deploy/README.md says what cannot)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import yaml
from traitlets.config import Config

from grader.hub import PROTECTED
from grader.paths import ROOT

DEPLOY = ROOT / "deploy"


def _values() -> dict:
    return yaml.safe_load((DEPLOY / "values.yaml").read_text(encoding="utf-8"))


def _spawner(name: str, uid: int) -> SimpleNamespace:
    return SimpleNamespace(user=SimpleNamespace(name=name, id=uid))


def test_values_use_the_image_and_the_shared_exchange():
    """Does the chart's single-user server run the course image's jupyterhub-singleuser with the exchange mounted?"""
    single = _values()["singleuser"]
    assert single["cmd"] == "jupyterhub-singleuser" and single["defaultUrl"] == "/lab"
    mounts = {m["name"]: m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in single["storage"]["extraVolumes"]}
    assert mounts["nbgrader-exchange"] == single["extraEnv"]["COURSE_EXCHANGE"]
    assert claims["nbgrader-exchange"] == "nbgrader-exchange"


def test_only_instructors_get_the_instructor_profile_and_each_learner_a_uid():
    """Can a learner never pick the profile with the solutions, and do two learners never share a uid?"""
    c = Config()
    exec(compile(_values()["hub"]["extraConfig"]["course.py"], "course.py", "exec"), {"c": c})  # noqa: S102
    learner = [p["slug"] for p in c.KubeSpawner.profile_list(_spawner("kim", 3))]
    teacher = [p["slug"] for p in c.KubeSpawner.profile_list(_spawner("teacher", 1))]
    assert learner == ["ko", "en"] and teacher == ["instructor", "ko", "en"]
    assert c.KubeSpawner.uid(_spawner("kim", 3)) != c.KubeSpawner.uid(_spawner("lee", 4))
    for profile in c.KubeSpawner.profile_list(_spawner("teacher", 1)):
        for folder in profile["kubespawner_override"]["environment"]["JUPYTER_CONFIG_PATH"].split(":"):
            if folder.startswith("/opt/course/"):  # the image's copy of the repository
                assert (ROOT / folder.removeprefix("/opt/course/")).is_dir(), folder


def test_the_image_is_made_by_setup_sh_without_anything_learners_must_not_read():
    """Does the Dockerfile run the setup CI runs, and does its ignore file keep every protected folder out?"""
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^RUN .*bash scripts/setup\.sh", dockerfile, re.M)
    assert re.search(r"^COPY \. \.$", dockerfile, re.M)
    ignored = {line.strip().rstrip("/") for line in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert set(PROTECTED) <= ignored
    for path in re.findall(r"\b(scripts/[\w.]+|grader/[\w./]+)", dockerfile):
        assert (ROOT / path).exists(), path
    assert Path(ROOT / ".venvs").name in {i.rstrip("/") for i in ignored}
