"""``course check``: the fast lint. A registry of checks, each ``(nb, path) -> list[Finding]``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nbformat import NotebookNode

from grader import messages
from grader.models import Finding
from grader.paths import relative

Check = Callable[[NotebookNode, Path], list[Finding]]


def finding(code: str, path: Path, cell: str | None = None, **fields: object) -> Finding:
    """Make a :class:`Finding` whose message is the catalogue's text for `code`."""
    return Finding(code=code, path=relative(path), cell=cell, message=messages.one_line(code, **fields))


def all_checks() -> list[Check]:
    """Return the checks in the order they run (cheap ones first; exercises last: it runs nbgrader)."""
    from grader.checks import cleanliness, exercises, graded, metadata, pairing, style, terms

    return [cleanliness.check_cleanliness, metadata.check_metadata, pairing.check_pairing,
            terms.check_terms, terms.check_emphasis, style.check_style, graded.check_graded, exercises.check_exercises]


def run_checks(paths: list[Path], checks: list[Check] | None = None) -> list[Finding]:
    """Run `checks` (default: all, and then the message catalogue's style rules) over `paths`.

    A notebook that cannot be read is one finding.
    """
    from grader.nbio import read_notebook

    found: list[Finding] = []
    for path in paths:
        try:
            nb = read_notebook(path)
        except Exception as err:  # noqa: BLE001 - any unreadable file is reported, not raised
            found.append(finding("C100", path, error=f"{type(err).__name__}: {err}"[:300]))
            continue
        for check in checks or all_checks():
            found += check(nb, path)
    if checks is None:  # the full lint also reads the message catalogue, once
        from grader.checks.style import check_catalogue

        found += check_catalogue()
    return found
