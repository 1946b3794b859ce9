"""Terminal tables that line up in both languages: tabulate measures each cell with wcwidth, so a
Hangul syllable takes the two columns a terminal gives it."""

from __future__ import annotations

from collections.abc import Sequence

from tabulate import tabulate


def printable(text: str) -> str:
    """Replace control characters (a file or student name may hold escape sequences) for the terminal."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def table(head: Sequence[str], rows: Sequence[Sequence[str]], align: Sequence[str]) -> str:
    """Return `rows` under `head` as aligned plain-text columns, two spaces apart.

    Args:
        head: the column titles.
        rows: the cells, as text (numbers are never reformatted).
        align: ``"left"`` or ``"right"`` per column.

    Examples:
        >>> print(table(["이름 / name", "점수"], [["김민지", "3 / 5"], ["bob", "10 / 10"]], ["left", "right"]))
        이름 / name       점수
        김민지           3 / 5
        bob            10 / 10
    """
    cells = [[printable(str(cell)) for cell in row] for row in rows]
    return tabulate(cells, headers=[printable(h) for h in head], tablefmt="plain", disable_numparse=True,
                    colalign=tuple(align))
