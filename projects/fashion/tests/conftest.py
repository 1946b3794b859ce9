"""Fixtures of the project's tests (helpers in project_testing.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from project_testing import DATA_DIR, SMALL, run


@pytest.fixture(autouse=True)
def needs_data():
    if not DATA_DIR.is_dir():
        message = f"Fashion-MNIST is not installed ({DATA_DIR}): run make setup"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def trained(tmp_path_factory) -> Path:
    """One finished 2-epoch run, shared by the tests that only read it: its run folder."""
    save_dir = tmp_path_factory.mktemp("saved")
    run("train.py", "-c", "config.json", "--epochs", "2", "--save-dir", str(save_dir), "--run-id", "base", *SMALL)
    return save_dir / "models" / "fashion_cnn" / "base"
