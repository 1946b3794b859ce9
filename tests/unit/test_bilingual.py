"""grader.bilingual: twin structure and script detection."""

from collections import Counter

import pytest

from grader.bilingual import differences, has_hangul, prose, structure


def test_structure_collects_headings_code_links_and_math():
    """Are headings, code spans, fenced blocks, links and formulas all found?"""
    text = "## 제목\n`torch.arange` 와 [문서](https://pytorch.org) 그리고 $x^2$\n```python\nx = 1\n```\n$$y = 2$$"
    s = structure(text)
    assert s.headings == (2,)
    assert set(s.code) == {"torch.arange", "x = 1"}
    assert set(s.links) == {"https://pytorch.org"}
    assert set(s.math) == {"x^2", "y = 2"}


def test_hash_inside_code_is_not_a_heading():
    """Does a `#` comment inside a fenced block stay out of the headings?"""
    assert structure("```python\n# comment\n```").headings == ()


def test_differences_reports_each_part_that_differs():
    """Are missing code spans and different heading levels both reported?"""
    found = dict(differences("## 가\n`a` `b`", "### A\n`a`"))
    assert set(found) == {"headings", "code"} and "'b'" in found["code"]


def test_twins_with_the_same_structure_have_no_differences():
    """Do faithful twins compare equal?"""
    assert differences("# 텐서\n`x.shape`는 $n$", "# Tensors\n`x.shape` is $n$") == []


def test_prose_drops_code_and_links():
    """Is Hangul inside code spans or link targets ignored in English prose?"""
    assert not has_hangul(prose("Label `'한글'` and [link](https://example.org/한글)"))
    assert has_hangul(prose("텐서"))


def test_reference_links_are_resolved_and_compared():
    """Does a reference link count by its target, so a twin pointing elsewhere is a B205 difference?"""
    ko = "[문서][docs]와 [튜토리얼][]과 [예제]를 보세요.\n\n[docs]: https://pytorch.org/docs\n" \
         "[튜토리얼]: https://pytorch.org/tutorials\n[예제]: https://github.com/pytorch/examples"
    assert structure(ko).links == Counter(["https://pytorch.org/docs", "https://pytorch.org/tutorials",
                                           "https://github.com/pytorch/examples"])
    en = "See [the docs][docs].\n\n[docs]: https://pytorch.org/docs/stable"
    found = dict(differences("[문서][docs]를 보세요.\n\n[docs]: https://pytorch.org/docs", en))
    assert set(found) == {"links"} and "https://pytorch.org/docs/stable" in found["links"]
    assert not has_hangul(prose("See [the docs][docs].\n\n[docs]: https://example.org/한글"))


def test_setext_headings_count_with_their_level():
    """Are ``===`` and ``---`` underlined titles headings of level 1 and 2, compared like ``#`` ones?"""
    assert structure("텐서\n====\n\n본문\n\n모양\n----\n\n### 연산").headings == (1, 2, 3)
    assert differences("텐서\n====", "# Tensors") == []
    assert dict(differences("텐서\n====", "Tensors\n-------")) == {"headings": "ko [1] vs en [2]"}


def test_indented_code_block_is_code():
    """Is a 4-space indented block code: counted as code, its ``#`` lines no headings, its numbers no prose?"""
    s = structure("예제 3개:\n\n    # 10 에포크\n    train(epochs=10)\n")
    assert s.code == Counter(["# 10 에포크\ntrain(epochs=10)"])
    assert s.headings == ()
    assert s.numbers == Counter(["3"])
    assert dict(differences("예:\n\n    x = 1\n", "Example:\n\n    x = 2\n")).keys() == {"code"}


@pytest.mark.parametrize("text", [
    "```python\n# comment\n```",
    "```python\n# comment 5\n",  # a fence left open runs to the end of the cell
    "  ```\n# comment 5\n  ```",  # a fence may be indented up to three spaces
    "````markdown\n```\n# comment 5\n```\n````",  # a longer fence holds a shorter one
])
def test_hash_inside_a_fenced_block_is_not_a_heading(text):
    """Does a ``#`` line inside any fenced block stay out of the headings (and its numbers out of the prose)?"""
    s = structure(text)
    assert s.headings == () and s.numbers == Counter() and len(s.code) == 1


def test_dollar_inside_code_is_not_math():
    """Are ``$`` signs in code spans and code blocks left alone, and real formulas still found?"""
    text = "셸에서 `echo $HOME`과 `$PATH`, 그리고 $x^2$:\n\n    echo $HOME/$USER\n    cost=$5 $6\n"
    assert structure(text).math == Counter(["x^2"])
    assert "HOME" not in prose(text)


def test_raw_html_targets_are_links():
    """Are ``src``/``href`` of raw HTML (block or inline, quoted or not) link targets, and not when shown as code?"""
    text = '<img src="fig1.png" width="300">\n\n본문 <img src=fig2.png> 과 <a href=\'https://a.org\'>링크</a>\n\n' \
           '    <img src="shown-as-code.png">\n'
    assert structure(text).links == Counter(["fig1.png", "fig2.png", "https://a.org"])
    found = dict(differences('<img src="a.png">\n\n그림 <img src=b.png>',
                             '<img src="a.png">\n\nFigure <img src=c.png>'))
    assert set(found) == {"links"} and "c.png" in found["links"]
    assert prose(text).splitlines()[2] == "본문  과 링크"


def test_prose_keeps_one_line_per_source_line():
    """Does prose drop markup but keep each line where it was, headings with ``#`` and rows as ``| a | b |``?"""
    text = ("## 4. 상태\n"
            "**굵게** `code` 그리고 [링크](https://a.org)\n"
            "\n$$\nx = 1\n$$\n"
            "| API | 상태 |\n|---|---|\n| `torch.range` | 지원 중단 예정 |\n"
            "\n- 항목 `여러\n줄` 코드 뒤\n\n목록 끝")
    lines = prose(text).splitlines()
    assert len(lines) == len(text.splitlines())
    assert lines[0] == "## 4. 상태"
    assert lines[1] == "굵게  그리고 링크"
    assert lines[2:6] == ["", "", "", ""]
    assert lines[6] == "| API | 상태 |" and lines[8] == "|  | 지원 중단 예정 |"
    assert lines[10:] == ["항목 ", " 코드 뒤", "", "목록 끝"]
