"""The deprecation ledger (deprecations.toml): read it, and observe each entry's status for real.

``python -m grader.ledger course-main`` runs the probes of that kernel's entries in the current
interpreter and prints ``{name: [status, detail]}`` as JSON; the test suite runs it with each
environment's python and compares with the ledger.
"""

from __future__ import annotations

import json
import sys
import tomllib
import warnings
from pathlib import Path

STATUSES = ("warns", "raises", "gone", "silent")


def read_ledger() -> list[dict]:
    """Return the ledger's entries."""
    path = Path(__file__).with_name("deprecations.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))["api"]


def observe(probe: str) -> tuple[str, str]:
    """Run `probe` and return ``(status, detail)``: what the installed libraries do today."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(probe, {"torch": __import__("torch")})  # noqa: S102 - probes are the ledger's own code
        except (AttributeError, ImportError) as err:
            return "gone", f"{type(err).__name__}: {err}"[:200]
        except Exception as err:  # noqa: BLE001 - any exception is the observation
            return "raises", f"{type(err).__name__}: {err}"[:200]
    for item in caught:
        text = str(item.message).lower()
        if issubclass(item.category, DeprecationWarning | FutureWarning) or "deprecat" in text or "renamed" in text:
            return "warns", f"{item.category.__name__}: {item.message}"[:200]
    return "silent", ""


if __name__ == "__main__":
    kernel = sys.argv[1]
    print(json.dumps({e["name"]: observe(e["probe"]) for e in read_ledger() if e["kernel"] == kernel}))
