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
# A number as a reader sees it: 3, 0.5, 1,000 (thousands separators dropped), 97.7; not inside words
# like "float32" or "resnet18", which are names, not quantities.
_WORDS = {w: i for i, w in enumerate(
    "zero _ two three four five six seven eight nine ten eleven twelve".split()) if w != "_"}
_WORDS |= {w: i for i, w in enumerate("_ _ _ _ fourth fifth sixth seventh eighth ninth tenth".split()) if w != "_"}
_WORD = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.IGNORECASE)
_NATIVE = dict(zip("두 세 네 다섯 여섯 일곱 여덟 아홉 열".split(), range(2, 11), strict=True))
_COUNTERS = "번째|가지|개|번|차원|장|줄|층|단계|배|쌍|종류|칸|곳|단어|문장|부분|축|값|자리|프로세스"
_KO_NATIVE = re.compile(r"(?<![\uac00-\ud7a3])(" + "|".join(_NATIVE) + r")\s?(" + _COUNTERS + ")")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?(?![\w.]*[A-Za-z_])")


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
    numbers: Counter
    """Numbers in the prose (code, formulas and link targets excluded)."""


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
        numbers=numbers(markdown),
    )


def prose(markdown: str) -> str:
    """Return `markdown` without code, math and link targets: the words a reader reads."""
    text = _FENCE.sub("", markdown)
    text = _CODE.sub("", text)
    text = _MATH.sub("", text)
    return _LINK.sub("]", text)


def numbers(markdown: str) -> Counter:
    """The numbers a reader reads in `markdown`'s prose, as canonical digits.

    English number words count as their digits (``five`` is 5, ``fourth`` is 4), so a Korean
    ``5개`` matches an English ``five``; leading zeros and thousands separators are dropped.
    Korean native numerals before a counter count too (``두 가지`` is 2, ``네 번째`` is 4).
    ``one``, ``first``, ``second`` and ``third`` (and ``한``, ``첫``, ``두 번째``, ``세 번째``) are left
    out: they are mostly not quantities.
    """
    text = prose(markdown)
    found = [str(float(n.replace(",", ""))).removesuffix(".0") for n in _NUMBER.findall(text)]
    found += [str(_WORDS[w.lower()]) for w in _WORD.findall(text)]
    found += [str(_NATIVE[n]) for n, counter in _KO_NATIVE.findall(text) if not (counter == "번째" and _NATIVE[n] < 4)]
    return Counter(found)


def has_hangul(text: str) -> bool:
    """Whether `text` contains any Hangul syllable or jamo."""
    return bool(HANGUL.search(text))


def differences(ko: str, en: str) -> list[tuple[str, str]]:
    """Compare twins; return ``(part, detail)`` for each structural part that differs."""
    a, b = structure(ko), structure(en)
    found = []
    if a.headings != b.headings:
        found.append(("headings", f"ko {list(a.headings)} vs en {list(b.headings)}"))
    for part in ("code", "links", "math", "numbers"):
        x, y = getattr(a, part), getattr(b, part)
        if x != y:
            only_ko, only_en = sorted((x - y).elements()), sorted((y - x).elements())
            found.append((part, f"only in ko: {only_ko[:5]}; only in en: {only_en[:5]}"))
    return found
