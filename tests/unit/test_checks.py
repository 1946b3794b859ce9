"""grader.checks: each finding code fires on the notebook made to trigger it, and only there."""

import pytest
from nbformat.v4 import new_code_cell, new_output

from grader.checks import cleanliness, graded, metadata, pairing, run_checks, terms
from tests.factory import answer, confirmed, demo_solution, graded_cell, md, notebook

GOOD = [*confirmed(md("# 텐서\n`torch.arange`와 $x$", "ko"), md("# Tensors\n`torch.arange` and $x$", "en")),
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
    # B210 (translation not confirmed) has its own tests below.
    assert [c for c in codes(pairing.check_pairing(notebook(*cells), path)) if c != "B210"] == expected


@pytest.mark.parametrize(("ko", "en", "differ"), [
    ("배치 크기 32로 10 에포크", "10 epochs with batch size 32", False),
    ("두 가지 방법과 네 번째 에포크", "two ways and the fourth epoch", False),
    ("정확도 97.7%", "accuracy 97.5%", True),
    ("`float32`와 resnet18", "`float32` and resnet18", False),
    ("숫자 1,000개", "1000 digits", False),
    ("0과 1", "zeros and ones", True),
])
def test_numbers_must_match(write_nb, ko, en, differ):
    """Do the numbers of a pair have to agree, with number words and native Korean numerals counted?"""
    found = codes(pairing.check_pairing(notebook(md(ko, "ko"), md(en, "en")), write_nb(notebook())))
    assert ("B209" in found) is differ


def test_confirm_records_the_english_and_check_catches_drift(write_nb):
    """Is a pair unconfirmed (B210) until `course confirm`, then clean, then drifted (B211) when the English changes?"""
    from grader.nbio import read_notebook, write_notebook
    from grader.translation import confirm

    path = write_nb(notebook(md("# 텐서", "ko"), md("# Tensors", "en"), md("# 모양", "ko"), md("## Shapes", "en")))
    assert codes(pairing.check_pairing(read_notebook(path), path)) == ["B203", "B210"]
    confirmed_count, refused = confirm(path)
    nb = read_notebook(path)
    assert (confirmed_count, refused) == (1, [nb.cells[2].id])  # a structurally different pair is refused
    nb.cells[3].source = "# Shapes"
    write_notebook(nb, path)
    assert confirm(path) == (2, [])
    assert pairing.check_pairing(read_notebook(path), path) == []
    nb = read_notebook(path)
    nb.cells[1].source = "# Tensors and views"
    nb.cells[2].source = "# 모양을 고쳐도 / the Korean side may change freely"
    assert codes(pairing.check_pairing(nb, path)) == ["B211"]
    assert [f.cell for f in pairing.check_pairing(nb, path)] == [nb.cells[0].id]


def test_metadata_findings(write_nb):
    """Are an unknown kernel, a raises-exception tag, two parameter cells and a bad name reported?"""
    nb = notebook(new_code_cell("1", metadata={"tags": ["raises-exception"]}),
                  new_code_cell("a = 1", metadata={"tags": ["parameters"]}),
                  new_code_cell("b = 1", metadata={"tags": ["parameters"]}))
    nb.metadata.kernelspec.name = "python3"
    assert codes(metadata.check_metadata(nb, write_nb(nb, name="Lesson.ipynb"))) == ["M302", "M303", "M304", "M305"]
    clean = notebook(new_code_cell("1"))
    del clean.metadata.course["budget_s"]
    assert codes(metadata.check_metadata(clean, write_nb(clean))) == ["M307"]
    clean.metadata.course["budget_s"] = "ninety"
    found = metadata.check_metadata(clean, write_nb(clean))
    assert codes(found) == ["M301"] and "메타데이터가 올바르지" in found[0].message and "ninety" in found[0].message


def test_a_deprecation_demo_must_show_its_warning(write_nb):
    """Is a `deprecated-demo` cell that neither catches warnings nor exceptions reported?"""
    bare = new_code_cell("torch.range(0, 3)", metadata={"tags": ["deprecated-demo"]})
    shown = new_code_cell("with warnings.catch_warnings(record=True):\n    torch.range(0, 3)",
                          metadata={"tags": ["deprecated-demo"]})
    nb = notebook(bare, shown)
    assert [(f.code, f.cell) for f in metadata.check_metadata(nb, write_nb(nb))] == [("M306", bare.id)]


def test_glossary_rendering(write_nb):
    """Is a non-glossary Korean rendering (레이어 for layer) reported?"""
    nb = notebook(md("레이어를 쌓습니다", "ko"), md("Stack layers", "en"))
    assert codes(terms.check_terms(nb, write_nb(nb))) == ["G401"]


def test_a_loanword_needs_no_english_gloss(write_nb):
    """배치(batch) repeats itself (G402); 기울기(gradient) explains a native term and stays; so does plain 배치."""
    glossed = notebook(md("배치 (Batch) 크기와 텐서(tensor)를 봅니다", "ko"),
                       md("See the batch size and the tensor", "en"))
    found = terms.check_terms(glossed, write_nb(glossed))
    assert [f.code for f in found] == ["G402", "G402"] and {"'배치'", "'텐서'"} <= {f.message.split()[1] for f in found}
    fine = notebook(md("배치 크기와 기울기(gradient)를 봅니다", "ko"), md("See the batch size and the gradient", "en"))
    assert codes(terms.check_terms(fine, write_nb(fine))) == []


def test_emphasis_that_does_not_render(write_nb):
    """**기울기 누적(gradient accumulation)**은 shows its asterisks in CommonMark (G403); the fixed form and
    `**kwargs` in code do not."""
    broken = notebook(md("**기울기 누적(gradient accumulation)**은 큰 배치를 나눕니다", "ko"),
                      md("**Gradient accumulation** splits a large batch", "en"))
    assert [(f.code, f.cell) for f in terms.check_emphasis(broken, write_nb(broken))] == [("G403", broken.cells[0].id)]
    fine = notebook(md("**기울기 누적**(gradient accumulation)은 `f(**kwargs)`를 씁니다", "ko"),
                    md("**Gradient accumulation** uses `f(**kwargs)`", "en"))
    assert terms.check_emphasis(fine, write_nb(fine)) == []


def test_graded_findings(write_nb):
    """Are too few parts, a missing solution marker, missing hidden tests and duplicate ids reported?"""
    nb = notebook(answer("a", "x = 1"), graded_cell("t", "assert x"), graded_cell("t", "assert x", points=0))
    assert codes(graded.check_graded(nb, write_nb(nb, folder="solutions"))) == [
        "E501", "E502", "E503", "E504", "E506", "E507"]
    assert graded.check_graded(demo_solution(), write_nb(demo_solution(), folder="solutions")) == []
    boastful = demo_solution()
    boastful.cells.append(new_code_cell('print("All tests passed!")'))
    assert codes(graded.check_graded(boastful, write_nb(boastful, folder="solutions"))) == ["E508"]
    assert codes(graded.check_graded(nb, write_nb(nb, folder="notebooks"))) == ["E505"]
