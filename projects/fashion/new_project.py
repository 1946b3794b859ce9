"""Start a new project from this one: copy the template's files into a new folder.

    python new_project.py ../my_project

Copies the code and configuration; leaves out what a run made (saved/), the tests and caches.
The new folder must not exist yet, so nothing is ever overwritten.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

IGNORED = shutil.ignore_patterns("saved", "tests", "__pycache__", "*.pyc", ".ipynb_checkpoints", "wandb",
                                 "lightning_logs", ".ruff_cache", ".pytest_cache", ".mypy_cache")


def main(argv: list[str]) -> Path:
    if len(argv) != 1:
        raise SystemExit("usage: python new_project.py NEW_PROJECT_FOLDER")
    target = Path(argv[0]).resolve()
    if target.exists():
        raise SystemExit(f"{target} already exists: choose a new folder")
    shutil.copytree(Path(__file__).resolve().parent, target, ignore=IGNORED)
    print(f"New project in {target}")
    return target


if __name__ == "__main__":
    main(sys.argv[1:])
