"""The deprecation ledger (deprecations.toml): read it, and observe each entry's status for real.

``python -m grader.ledger`` reads ``{name: probe}`` as JSON on its standard input, runs each probe in
the current interpreter and prints ``{name: [status, detail]}`` as JSON; the test suite reads the ledger
once (checked against ``grader/schema/deprecations.json``), sends each environment's python its kernel's
probes and compares what comes back. The side that runs in an environment uses the standard library only.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path


def read_ledger() -> list[dict]:
    """Return the ledger's entries, checked against their schema (a status outside warns/raises/gone/silent
    or a missing field stops here)."""
    from grader.schemas import load_toml  # the course tool's side only: environments lack jsonschema

    return load_toml(Path(__file__).with_name("deprecations.toml"), "deprecations")["api"]


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
    print(json.dumps({name: observe(probe) for name, probe in json.load(sys.stdin).items()}))
