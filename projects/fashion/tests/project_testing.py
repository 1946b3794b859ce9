"""Helpers of the project's tests: they run it the way a user does, its scripts from the command line, in its folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
DATA_DIR = Path("/usr/share/datasets/fashion-mnist")

if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))


def run(*args: str, cwd: Path = PROJECT, check: bool = True, timeout: float = 180) -> subprocess.CompletedProcess:
    """`python <args>` in the project's folder with this interpreter; output captured."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    if check and done.returncode != 0:
        raise AssertionError(f"python {' '.join(args)} exited {done.returncode}:\n"
                             f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


#: A small, quick run: 1,500 training images, batches of 100, one thread.
SMALL = ["--bs", "100", "--set", "data_loader.args.limit=1500", "--set", "threads=1",
         "--set", "trainer.progress_bar=false"]




def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
