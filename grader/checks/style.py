"""G404-G408: mechanical writing rules for lesson prose and the message catalogue.

Each rule is a pure function ``text -> list[str]`` (the offending words, for the message), so the same
rule lints a notebook's prose cells and the catalogue's texts (grader/messages.py). English rules read
``en`` cells and the English side of each message; Korean rules read ``ko`` cells and the Korean side.
Code spans, math and link targets are left out first (:func:`grader.bilingual.prose`), so identifiers
and API names (``torch.ao.quantization``, ``normalize=``) are never flagged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from nbformat import NotebookNode

from grader.bilingual import prose
from grader.checks import finding
from grader.models import Finding

# --- G404: one spelling convention (US) in English prose ------------------------------------------

#: Stems that take -ise/-isation in British and -ize/-ization in US spelling. An explicit list, because
#: a general "-ise" rule would flag advise, exercise, precise, otherwise, noise, promise, raise, ...
_IZE_STEMS = (
    "normal", "optim", "quant", "initial", "serial", "deserial", "synchron", "token", "minim", "maxim",
    "regular", "general", "util", "parallel", "random", "custom", "prior", "standard", "special", "material",
    "emphas", "real", "final", "vector", "visual", "summar", "organ", "recogn", "memor", "categor", "character",
    "capital", "local", "central", "author", "symbol", "critic", "stabil", "neutral", "apolog", "digit",
    "discret", "linear", "binar", "lemmat", "stylis", "modern", "priorit", "personal", "extern", "intern",
    "operational", "canonical", "theor", "hospital", "mobil", "legal", "fertil", "steril", "equal", "dramat",
    "fossil", "global", "industrial", "polar", "optimal", "penal", "rational", "trivial", "vapor", "anonym",
)
_IZE = re.compile(r"\b(?:un|re|de|non-?)?(?:" + "|".join(_IZE_STEMS) + r")is(?:e|es|ed|ing|ation|ations|er|ers|able)\b",
                  re.IGNORECASE)

#: Whole British words (and their forms) with their US spelling.
BRITISH_WORDS: dict[str, str] = {
    "colour": "color", "colours": "colors", "coloured": "colored", "colouring": "coloring",
    "behaviour": "behavior", "behaviours": "behaviors", "favour": "favor", "favourite": "favorite",
    "honour": "honor", "neighbour": "neighbor", "neighbours": "neighbors", "neighbouring": "neighboring",
    "flavour": "flavor", "labour": "labor", "humour": "humor", "rumour": "rumor", "vapour": "vapor",
    "centre": "center", "centres": "centers", "centred": "centered", "metre": "meter", "metres": "meters",
    "litre": "liter", "fibre": "fiber", "theatre": "theater", "calibre": "caliber",
    "grey": "gray", "greys": "grays", "greyscale": "grayscale", "grey-scale": "grayscale",
    "modelling": "modeling", "modelled": "modeled", "labelled": "labeled", "labelling": "labeling",
    "travelling": "traveling", "travelled": "traveled", "cancelled": "canceled", "cancelling": "canceling",
    "signalling": "signaling", "signalled": "signaled", "levelled": "leveled", "levelling": "leveling",
    "tunnelling": "tunneling", "channelled": "channeled", "fuelled": "fueled", "totalled": "totaled",
    "analyse": "analyze", "analysed": "analyzed", "analyses": "analyzes", "analysing": "analyzing",
    "paralyse": "paralyze", "catalogue": "catalog", "catalogues": "catalogs", "catalogued": "cataloged",
    "licence": "license", "licences": "licenses", "programme": "program", "programmes": "programs",
    "defence": "defense", "offence": "offense", "learnt": "learned", "spelt": "spelled",
    "practise": "practice", "practises": "practices", "practised": "practiced", "practising": "practicing",
    "artefact": "artifact", "artefacts": "artifacts", "judgement": "judgment", "ageing": "aging",
    "focussed": "focused", "focussing": "focusing", "whilst": "while", "amongst": "among",
    "sceptical": "skeptical", "manoeuvre": "maneuver", "plough": "plow", "cheque": "check",
}
_WORDS = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, BRITISH_WORDS), key=len, reverse=True)) + r")\b",
                    re.IGNORECASE)


def british_spellings(text: str) -> list[str]:
    """The British spellings in English `text` (``colour``, ``normalise``, ``greyscale``), each once."""
    found = [m.group(0) for m in _WORDS.finditer(text)] + [m.group(0) for m in _IZE.finditer(text)]
    return list(dict.fromkeys(found))


def us_spelling(word: str) -> str:
    """The US spelling of a British `word` that :func:`british_spellings` found."""
    if word.lower() in BRITISH_WORDS:
        return BRITISH_WORDS[word.lower()]
    return re.sub(r"is(e|es|ed|ing|ation|ations|er|ers|able)$", r"iz\1", word, flags=re.IGNORECASE)


# --- G405: a status label (제거됨, 지원 중단 예정) belongs in a table cell, not in a sentence ---------

_STATUS = re.compile(r"제거됨|지원\s*중단\s*예정|지원\s*중단됨|사용\s*중단\s*예정|사용\s*중단됨|폐기\s*예정|폐기됨")
_QUOTES = "\"'“”‘’「」『』"


def status_labels(text: str) -> list[str]:
    """Status labels used in sentences of Korean `text`.

    Table rows and headings hold labels; a label quoted to explain it (상태 열의 "제거됨"은 ...) is
    fine too. In a sentence the label is written as a verb: 제거되었습니다, 지원이 중단될 예정입니다.
    """
    found = []
    for line in text.splitlines():
        if line.lstrip().startswith(("|", "#")):
            continue
        for m in _STATUS.finditer(line):
            before, after = line[m.start() - 1:m.start()], line[m.end():m.end() + 1]
            if before and before in _QUOTES and after and after in _QUOTES:
                continue
            found.append(m.group(0))
    return found


# --- G406: sizes are "크기 N인 배치"; "배치 N개" is a count ------------------------------------------

_BATCH_SIZE = re.compile(r"배치\s*\d[\d,]*\s*개?\s*짜리|\d[\d,]*\s*개?\s*짜리\s*(?:의\s*)?배치")


def batch_size_phrases(text: str) -> list[str]:
    """``배치 32개짜리``, ``32개짜리 배치``, ``배치 1짜리``: size phrases that read as a count."""
    return [m.group(0) for m in _BATCH_SIZE.finditer(text)]


# --- G407: a chapter reference has two digits (01장); "이미지 5장" is a count ---------------------

_ONE_DIGIT_JANG = re.compile(r"(?<![\d.,])\d장(?=$|[^가-힣]|에서|에|의|과|와|을|를|은|는|이|도|부터|까지|으로)")
#: Words right before a number that make "N장" a count of sheets (images, photos, pages, ...).
_COUNT_BEFORE = re.compile(
    r"(?:이미지|사진|그림|장면|카드|페이지|슬라이드|종이|스펙트로그램|마다|모두|총|각|약|겨우|단|\d장[과와]?|씩)\s*$")
_COUNT_AFTER = re.compile(r"^(?:씩|뿐|짜리|만|이나|을 더|를 더|이 더)")


def one_digit_chapters(text: str) -> list[str]:
    """Single-digit ``N장`` that reads as a chapter reference (``3장에서``), written ``03장`` instead.

    A count of images stays as it is: ``이미지 5장``, ``클래스마다 8장씩``, ``1,000장과 1장``.
    """
    found = []
    for m in _ONE_DIGIT_JANG.finditer(text):
        before, after = text[max(0, m.start() - 12):m.start()], text[m.end():m.end() + 4]
        if _COUNT_BEFORE.search(before) or _COUNT_AFTER.match(after):
            continue
        found.append(m.group(0))
    return found


# --- G408: no space between a number and its unit (90초, 3개, 5장, 2번, 4배) ----------------------

_UNIT_SPACE = re.compile(
    r"(?<![\d.,])\d+(?:[.,]\d+)*\s+(?:초|개|장|번|배)"
    r"(?!과|기|점|반|치|포|열|역|호|발|념|선|수|면|식|소|경|속|관|정|려|지|아|터)"  # 초과, 배치, 번역, 개발, 장치, ...
    r"(?=$|[^가-힣]|을|를|이|가|은|는|의|에|로|와|만|씩|뿐|도|째|짜리|쯤|마다|동안|부터|까지|보다|입니다|만큼|간|안)")


def spaced_units(text: str) -> list[str]:
    """``90 초``, ``3 개``, ``2 번째``: a space between a number and its Korean unit."""
    return [m.group(0) for m in _UNIT_SPACE.finditer(text)]


# --- the registry: code -> (language, rule) --------------------------------------------------------

RULES: dict[str, tuple[str, Callable[[str], list[str]]]] = {
    "G404": ("en", british_spellings),
    "G405": ("ko", status_labels),
    "G406": ("ko", batch_size_phrases),
    "G407": ("ko", one_digit_chapters),
    "G408": ("ko", spaced_units),
}


def _fields(code: str, used: list[str]) -> dict[str, str]:
    words = ", ".join(f"'{w}'" for w in used[:5])
    if code == "G404":
        return {"used": words, "us": ", ".join(f"'{us_spelling(w)}'" for w in used[:5])}
    return {"used": words}


def check_style(nb: NotebookNode, path: Path) -> list[Finding]:
    """Apply every rule of :data:`RULES` to the prose of the markdown cells in its language."""
    found = []
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type != "markdown":
            continue
        text = prose(cell.source)
        for code, (lang, rule) in RULES.items():
            if lang in tags and (used := rule(text)):
                found.append(finding(code, path, cell.get("id"), **_fields(code, used)))
    return found


def check_catalogue(catalogue: dict[str, tuple[str, str]] | None = None,
                    where: Path | None = None) -> list[Finding]:
    """Apply the same rules to the message catalogue: Korean rules to the Korean side, English to the English."""
    from grader import messages

    catalogue = messages.MESSAGES if catalogue is None else catalogue
    where = where or Path(messages.__file__)
    found = []
    for key, pair in catalogue.items():
        for code, (lang, rule) in RULES.items():
            # a field is a number at run time for the unit rule ("{budget_s} 초"), and nothing for the others
            text = _without_fields(pair[0 if lang == "ko" else 1], "9" if code == "G408" else "")
            if used := rule(text):
                found.append(finding(code, where, key, **_fields(code, used)))
    return found


def _without_fields(text: str, field: str = "") -> str:
    """A message with each ``{field}`` replaced by `field` and code spans removed: the words a reader reads."""
    return prose(re.sub(r"\{[^{}]*\}", field, text))
