"""grader.checks: each finding code fires on the notebook made to trigger it, and only there."""

import pytest
from nbformat.v4 import new_code_cell, new_output

from grader.checks import cleanliness, graded, metadata, pairing, run_checks, terms
from tests.factory import answer, demo_solution, graded_cell, md, notebook

GOOD = [md("# 텐서\n`torch.arange`와 $x$", "ko"), md("# Tensors\n`torch.arange` and $x$", "en"),
        new_code_cell("x = 1")]


def codes(findings):
    return sorted({f.code for f in findings})


def test_a_good_lesson_has_no_findings(write_nb):
    """Is a clean, paired lesson accepted by every check except the exercise ones?"""
    path = write_nb(notebook(*GOOD))
    checks = [cleanliness.check_cleanliness, metadata.check_metadata, pairing.check_pairing,
              terms.check_terms, graded.check_graded]
    assert run_checks([path], checks) == []


def _with_output():
    cell = new_code_cell("1")
    cell.outputs = [new_output("stream", name="stdout", text="1")]
    cell.execution_count = 1
    return cell


@pytest.mark.parametrize(("cells", "expected"), [
    ([_with_output()], ["C101", "C102"]),
    ([new_code_cell("1", metadata={"scrolled": True})], ["C105"]),
])
def test_cleanliness(write_nb, cells, expected):
    """Are outputs, counts and foreign metadata reported?"""
    assert codes(cleanliness.check_cleanliness(notebook(*cells), write_nb(notebook()))) == expected


@pytest.mark.parametrize(("cells", "expected"), [
    ([md("# 제목", "ko")], ["B202"]),
    ([md("# Title", "en")], ["B202"]),
    ([md("# 제목", "ko"), md("# Title", "ko")], ["B202", "B207"]),
    ([md("no tag", "xx")], ["B201"]),
    ([md("# 제목", "ko"), md("## Title", "en")], ["B203"]),
    ([md("`a` 설명", "ko"), md("`b` text", "en")], ["B204"]),
    ([md("[문서](https://a.org)", "ko"), md("[docs](https://b.org)", "en")], ["B205"]),
    ([md("$x$ 값", "ko"), md("$y$ value", "en")], ["B206"]),
    ([md("English only", "ko"), md("English", "en")], ["B207"]),
    ([md("한국어", "ko"), md("English 한국어", "en")], ["B208"]),
])
def test_pairing(write_nb, cells, expected):
    """Is each way a pair can be broken reported with its own code?"""
    path = write_nb(notebook())
    assert codes(pairing.check_pairing(notebook(*cells), path)) == expected


def test_metadata_findings(write_nb):
    """Are an unknown kernel, a raises-exception tag, two parameter cells and a bad name reported?"""
    nb = notebook(new_code_cell("1", metadata={"tags": ["raises-exception"]}),
                  new_code_cell("a = 1", metadata={"tags": ["parameters"]}),
                  new_code_cell("b = 1", metadata={"tags": ["parameters"]}))
    nb.metadata.kernelspec.name = "python3"
    assert codes(metadata.check_metadata(nb, write_nb(nb, name="Lesson.ipynb"))) == ["M302", "M303", "M304", "M305"]
    del nb.metadata.course["budget_s"]
    assert "M301" in codes(metadata.check_metadata(nb, write_nb(nb)))


def test_glossary_rendering(write_nb):
    """Is a non-glossary Korean rendering (레이어 for layer) reported?"""
    nb = notebook(md("레이어를 쌓습니다", "ko"), md("Stack layers", "en"))
    assert codes(terms.check_terms(nb, write_nb(nb))) == ["G401"]


def test_graded_findings(write_nb):
    """Are too few parts, a missing solution marker, missing hidden tests and duplicate ids reported?"""
    nb = notebook(answer("a", "x = 1"), graded_cell("t", "assert x"), graded_cell("t", "assert x", points=0))
    assert codes(graded.check_graded(nb, write_nb(nb, folder="solutions"))) == ["E501", "E502", "E503", "E504", "E506"]
    assert graded.check_graded(demo_solution(), write_nb(demo_solution(), folder="solutions")) == []
    assert codes(graded.check_graded(nb, write_nb(nb, folder="notebooks"))) == ["E505"]
