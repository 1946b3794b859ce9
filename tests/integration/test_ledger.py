"""The deprecation ledger holds for the installed libraries, and the lessons mention each entry."""

from __future__ import annotations

import json
import os
import subprocess

import nbformat
import pytest

from grader.kernels import read_kernels
from grader.ledger import read_ledger
from grader.paths import ROOT

LEDGER = read_ledger()


@pytest.fixture(scope="module")
def observed() -> dict[str, list[str]]:
    """Run every kernel's probes once, in that kernel's own environment."""
    found: dict[str, list[str]] = {}
    for name in sorted({e["kernel"] for e in LEDGER}):
        kernel = read_kernels()[name]
        probes = {e["name"]: e["probe"] for e in LEDGER if e["kernel"] == name}
        out = subprocess.run([str(kernel.python), "-m", "grader.ledger"], input=json.dumps(probes), capture_output=True,
                             text=True, check=True, cwd=ROOT, timeout=300, env={**os.environ, **kernel.variables})
        found.update(json.loads(out.stdout.strip().splitlines()[-1]))
    return found


@pytest.mark.parametrize("entry", LEDGER, ids=lambda e: e["name"])
def test_status_matches_the_installed_libraries(entry, observed):
    """Does the API still behave as the ledger (and so the lesson) says?"""
    status, detail = observed[entry["name"]]
    assert status == entry["status"], (
        f"{entry['name']} now {status} ({detail}); update grader/deprecations.toml and {entry['taught_in']}")


@pytest.mark.parametrize("entry", LEDGER, ids=lambda e: e["name"])
def test_lesson_mentions_it(entry):
    """Does the lesson that teaches the replacement name the old API in its prose (both languages)?"""
    nb = nbformat.read(ROOT / entry["taught_in"], 4)
    for lang in ("ko", "en"):
        prose = "\n".join(c.source for c in nb.cells if lang in c.metadata.get("tags", []))
        assert entry["name"] in prose, f"{entry['taught_in']} ({lang}) never mentions {entry['name']}"
