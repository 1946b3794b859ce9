"""grader.bilingual: twin structure and script detection."""

from grader.bilingual import differences, has_hangul, prose, structure


def test_structure_collects_headings_code_links_and_math():
    """Are headings, code spans, fenced blocks, links and formulas all found?"""
    text = "## 제목\n`torch.arange` 와 [문서](https://pytorch.org) 그리고 $x^2$\n```python\nx = 1\n```\n$$y = 2$$"
    s = structure(text)
    assert s.headings == (2,)
    assert set(s.code) == {"torch.arange", "```python\nx = 1\n```"}
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
