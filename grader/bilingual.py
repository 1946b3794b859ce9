"""Pure functions over ko/en markdown twins: pairing and the structure both must share."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(?!\s)([^$\n]+?)(?<!\s)\$", re.DOTALL)
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^(#{1,6})\s", re.MULTILINE)
_IMG_HTML = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


@dataclass(frozen=True)
class Structure:
    """What a markdown cell must share with its twin in the other language."""

    headings: tuple[int, ...]
    """Heading levels, in order."""
    code: Counter
    """Inline code spans and fenced blocks."""
    links: Counter
    """Link and image targets."""
    math: Counter
    """Formulas between ``$…$`` or ``$$…$$``."""


def structure(markdown: str) -> Structure:
    """Return the language-independent structure of a markdown cell."""
    fenced_blocks = [m.group(0) for m in _FENCE.finditer(markdown)]
    text = _FENCE.sub("", markdown)
    spans = [m.group(2).strip() for m in _CODE.finditer(text)]
    text = _CODE.sub("", text)
    math = [(a or b).strip() for a, b in _MATH.findall(text)]
    return Structure(
        headings=tuple(len(h) for h in _HEADING.findall(text)),
        code=Counter(spans + [b.strip() for b in fenced_blocks]),
        links=Counter(_LINK.findall(text) + _IMG_HTML.findall(text)),
        math=Counter(math),
    )


def prose(markdown: str) -> str:
    """Return `markdown` without code, math and link targets: the words a reader reads."""
    text = _FENCE.sub("", markdown)
    text = _CODE.sub("", text)
    text = _MATH.sub("", text)
    return _LINK.sub("]", text)


def has_hangul(text: str) -> bool:
    """Whether `text` contains any Hangul syllable or jamo."""
    return bool(HANGUL.search(text))


def differences(ko: str, en: str) -> list[tuple[str, str]]:
    """Compare twins; return ``(part, detail)`` for each structural part that differs."""
    a, b = structure(ko), structure(en)
    found = []
    if a.headings != b.headings:
        found.append(("headings", f"ko {list(a.headings)} vs en {list(b.headings)}"))
    for part in ("code", "links", "math"):
        x, y = getattr(a, part), getattr(b, part)
        if x != y:
            only_ko, only_en = sorted((x - y).elements()), sorted((y - x).elements())
            found.append((part, f"only in ko: {only_ko[:5]}; only in en: {only_en[:5]}"))
    return found
