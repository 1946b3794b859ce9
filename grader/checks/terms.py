"""G4xx: Korean prose uses the glossary's rendering of each technical term."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from nbformat import NotebookNode

from grader.bilingual import markdown_parser, prose
from grader.checks import finding
from grader.models import Finding
from grader.schemas import load_toml


@cache
def read_glossary() -> dict[str, dict]:
    """Return the glossary (grader/glossary.toml): key -> {en, ko, avoid, avoid_re, loanword}.

    ``avoid`` lists plain renderings a Korean cell must not use; ``avoid_re`` lists regular expressions
    for a rendering that is also an ordinary word elsewhere (사전 is a dict, but 사전 학습 is pretraining).
    """
    return load_toml(Path(__file__).resolve().parent.parent / "glossary.toml", "glossary")


def check_terms(nb: NotebookNode, path: Path) -> list[Finding]:
    """Flag a `ko` cell that uses a rendering the glossary lists under ``avoid`` or matches ``avoid_re``."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "markdown" or "ko" not in cell.metadata.get("tags", []):
            continue
        text = prose(cell.source)
        for entry in read_glossary().values():
            for used in entry.get("avoid", []):
                if used in text:
                    found.append(finding("G401", path, cell.get("id"), used=used, term=entry["en"], ko=entry["ko"]))
            for pattern in entry.get("avoid_re", []):
                for used in dict.fromkeys(m.group(0) for m in re.finditer(pattern, text)):
                    found.append(finding("G401", path, cell.get("id"), used=used, term=entry["en"], ko=entry["ko"]))
            if entry.get("loanword") and glossed(entry["ko"], entry["en"]).search(text):
                found.append(finding("G402", path, cell.get("id"), ko=entry["ko"], en=entry["en"]))
    return found


def check_emphasis(nb: NotebookNode, path: Path) -> list[Finding]:
    """Flag a markdown cell whose ``**`` or ``__`` stays literal when CommonMark renders it (G403).

    A closing ``**`` right after punctuation and right before a letter does not close in CommonMark
    (``**기울기 누적(gradient accumulation)**은`` shows its asterisks): Korean particles make it common.
    """
    render = markdown_parser().render
    found = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        html = _CODE.sub("", render(cell.source))
        if "**" in html or "__" in html:
            marker = "**" if "**" in html else "__"
            at = html.index(marker)
            found.append(finding("G403", path, cell.get("id"), near=html[max(0, at - 20):at + 22].strip()))
    return found


# Code and math as rendered (math is dollarmath's span or div): their asterisks are not emphasis.
_CODE = re.compile(r"<code>.*?</code>|<pre>.*?</pre>|<span class=\"math[^\"]*\">.*?</span>"
                   r"|<div class=\"math[^\"]*\">.*?</div>", re.DOTALL)


@cache
def glossed(ko: str, en: str) -> re.Pattern[str]:
    """The loanword `ko` followed by its English `en` in parentheses: ``배치(batch)``, ``배치 (Batch)``."""
    return re.compile(re.escape(ko) + r"\s*\(\s*" + re.escape(en) + r"\s*\)", re.IGNORECASE)
