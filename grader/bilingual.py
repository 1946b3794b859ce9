"""Pure functions over ko/en markdown twins: pairing and the structure both must share.

Markdown is read with markdown-it-py as the website's MyST reads it (CommonMark, tables, ``$``/``$$`` math
and amsmath environments), so setext headings, indented code and reference links count like the others.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
# Link targets in raw HTML: <img src="...">, <a href='...'>, <img src=plain.png>.
_HTML_TARGET = re.compile(r"""\b(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
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
    """Heading levels (ATX ``#`` and setext ``===``/``---``), in order."""
    code: Counter
    """Inline code spans, fenced and indented code blocks (their contents, stripped)."""
    links: Counter
    """Link and image targets: inline, reference and autolinks, and ``src``/``href`` in raw HTML."""
    math: Counter
    """Formulas between ``$…$`` or ``$$…$$``, and amsmath environments."""
    numbers: Counter
    """Numbers in the prose (code, formulas and link targets excluded)."""


@cache
def markdown_parser() -> MarkdownIt:
    """The markdown-it parser for lesson cells: CommonMark with what the website's MyST enables.

    Tables, ``$…$``/``$$…$$`` math with MyST's default ``dmath_*`` options, and amsmath environments
    (``\\begin{align}…``). Inline code spans record how many line breaks they spanned (``meta["newlines"]``)
    so :func:`prose` keeps one line per source line.
    """
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import backtick
    from mdit_py_plugins.amsmath import amsmath_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = (MarkdownIt("commonmark").enable("table")
          .use(dollarmath_plugin, allow_labels=True, allow_space=True, allow_digits=True, double_inline=False)
          .use(amsmath_plugin))
    md.inline.ruler.at("backticks", _counting_lines(backtick))
    return md


def _counting_lines(backtick: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """markdown-it's code span rule, noting in each span's token the line breaks it turned into spaces."""

    def rule(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not backtick(state, silent):
            return False
        if not silent and len(state.tokens) > count and state.tokens[-1].type == "code_inline":
            state.tokens[-1].meta["newlines"] = state.src.count("\n", start, state.pos)
        return True

    return rule


@dataclass
class _Parts:
    """One walk over a cell's tokens: the structural parts, and the prose by source line."""

    lines: list[list[str]]
    headings: list[int] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    math: list[str] = field(default_factory=list)

    def put(self, line: int, text: str) -> None:
        if text:
            self.lines[min(line, len(self.lines) - 1)].append(text)

    def inline(self, token: Token) -> list[str]:
        """Record `token`'s code, math and targets; return its prose, one string per source line."""
        out = [""]
        self._children(token.children or [], out)
        return out

    def _children(self, children: list[Token], out: list[str]) -> None:
        md = markdown_parser()
        in_autolink = False
        for child in children:
            kind = child.type
            if kind == "text" and not in_autolink:
                out[-1] += child.content.replace("\n", " ")
            elif kind in ("softbreak", "hardbreak"):
                out.append("")
            elif kind == "code_inline":
                self.code.append(child.content.strip())
                out.extend([""] * child.meta.get("newlines", 0))
            elif kind.startswith("math_inline"):
                self.math.append(child.content.strip())
                out.extend([""] * child.content.count("\n"))
            elif kind == "html_inline":
                self.links += _html_targets(child.content)
                out.extend([""] * child.content.count("\n"))
            elif kind == "link_open":
                self.links.append(md.normalizeLinkText(str(child.attrs.get("href", ""))))
                in_autolink = child.markup == "autolink"
            elif kind == "link_close":
                in_autolink = False
            elif kind == "image":
                self.links.append(md.normalizeLinkText(str(child.attrs.get("src", ""))))
                self._children(child.children or [], out)


def _keep_breaks(match: re.Match[str]) -> str:
    return "\n" * match.group(0).count("\n")


def _html_targets(html: str) -> list[str]:
    return [next(g for g in m.groups() if g is not None) for m in _HTML_TARGET.finditer(html)]


@lru_cache(maxsize=4096)
def _parse(markdown: str) -> tuple[tuple[int, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], str]:
    """Headings, code, links, math and prose of `markdown`, from one parse (cells are read by several checks)."""
    parts = _Parts(lines=[[] for _ in markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")])
    heading, row, row_line = 0, None, 0
    for token in markdown_parser().parse(markdown):
        kind = token.type
        if kind == "heading_open":
            heading = int(token.tag[1:])
            parts.headings.append(heading)
        elif kind == "heading_close":
            heading = 0
        elif kind == "inline" and token.map:
            texts = parts.inline(token)
            if row is not None:  # a table cell
                row.append(" ".join(t.strip() for t in texts))
                continue
            span = token.content.count("\n") + 1
            for offset, text in enumerate(texts):
                prefix = "#" * heading + " " if heading and text.strip() else ""
                parts.put(token.map[0] + min(offset, span - 1), prefix + text)
        elif kind == "tr_open":
            row, row_line = [], token.map[0] if token.map else 0
        elif kind == "tr_close" and row is not None:
            parts.put(row_line, "| " + " | ".join(row) + " |")
            row = None
        elif kind in ("fence", "code_block"):
            parts.code.append(token.content.strip())
        elif kind.startswith("math_block") or kind == "amsmath":
            parts.math.append(token.content.strip())
        elif kind == "html_block" and token.map:
            parts.links += _html_targets(token.content)
            text = _HTML_TAG.sub(_keep_breaks, _HTML_COMMENT.sub(_keep_breaks, token.content))
            for offset, line in enumerate(text.split("\n")):
                parts.put(token.map[0] + offset, line)
    prose_text = "\n".join(" ".join(p) if len(p) > 1 else "".join(p) for p in parts.lines)
    return tuple(parts.headings), tuple(parts.code), tuple(parts.links), tuple(parts.math), prose_text


def structure(markdown: str) -> Structure:
    """Return the language-independent structure of a markdown cell."""
    headings, code, links, math, _ = _parse(markdown)
    return Structure(headings=headings, code=Counter(code), links=Counter(links), math=Counter(math),
                     numbers=numbers(markdown))


def prose(markdown: str) -> str:
    """Return the words a reader reads in `markdown`: without code, math, link targets and HTML tags.

    Paragraphs, list items, headings, table cells, link texts and image descriptions keep their words and
    lose their markup; each source line stays one line (``prose(m).splitlines()`` lines up with ``m``'s).
    A heading line keeps its ``#`` marks and a table row is written ``| cell | cell |``, so a rule that
    reads line by line can still tell them from sentences (G405).
    """
    return _parse(markdown)[4]


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
