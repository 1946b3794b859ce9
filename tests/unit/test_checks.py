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


def test_the_gpu_field_says_whether_the_code_takes_a_gpu_path(write_nb):
    """`gpu: optional` needs code that names CUDA (or torch.accelerator); `none` (the default) must not have any."""
    cuda = new_code_cell("device = 'cuda' if torch.cuda.is_available() else 'cpu'")
    says = {"optional": notebook(cuda, course={"schema_version": 1, "budget_s": 30, "gpu": "optional"}),
            "none": notebook(new_code_cell("x = 1"), course={"schema_version": 1, "budget_s": 30, "gpu": "none"})}
    assert [codes(metadata.check_metadata(nb, write_nb(nb))) for nb in says.values()] == [[], []]
    says["optional"].cells[0].source = "device = 'cpu'"
    says["none"].cells[0].source = "device = torch.accelerator.current_accelerator()"
    found = [metadata.check_metadata(nb, write_nb(nb)) for nb in says.values()]
    assert [codes(f) for f in found] == [["M308"], ["M308"]]
    assert "has no GPU" in found[0][0].message and "has a GPU" in found[1][0].message
    unstated = notebook(new_code_cell("x = torch.ones(1, device='cuda')"))
    assert codes(metadata.check_metadata(unstated, write_nb(unstated))) == ["M308"], "the default is none"


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


def test_feature_and_dict_have_one_rendering_each(write_nb):
    """Is 특징 (feature) reported, and 사전 for a dict, while 사전 학습 (pretraining), 사전에 (beforehand)
    and a lexicon (단어 사전) are not?"""
    nb = notebook(md("특징을 뽑고 `stoi` 사전을 만듭니다", "ko"),
                  md("Extract features and build the `stoi` dict", "en"))
    found = terms.check_terms(nb, write_nb(nb))
    assert [f.code for f in found] == ["G401", "G401"]
    assert ["'특징'" in found[0].message, "'사전'" in found[1].message] == [True, True]
    fine = notebook(md("사전 학습된 벡터와 단어 사전을 사전에 준비하고, 특성 딕셔너리를 만듭니다", "ko"),
                    md("Prepare pretrained vectors and a lexicon beforehand, and build a feature dict", "en"))
    assert terms.check_terms(fine, write_nb(fine)) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Normalise the greyscale image; its colour behaviour", ["colour", "behaviour", "greyscale", "Normalise"]),
    ("quantisation, initialised, labelled, synchronisation, uninitialised",
     ["labelled", "quantisation", "initialised", "synchronisation", "uninitialised"]),
    ("Normalize the grayscale image; advise, exercise, precise, otherwise, raise, noise, promise", []),
    ("the colour of `torch.ao.quantization` and `normalise=` in code", ["colour"]),
])
def test_british_spellings(text, expected):
    """Are British forms found (an explicit stem list, so advise/exercise/noise are not), code spans left out?"""
    from grader.bilingual import prose
    from grader.checks.style import british_spellings, us_spelling

    assert sorted(british_spellings(prose(text))) == sorted(expected)
    assert [us_spelling(w) for w in ["colour", "Normalise", "greyscale", "quantisation", "labelled"]] == [
        "color", "Normalize", "grayscale", "quantization", "labeled"]


@pytest.mark.parametrize(("text", "expected"), [
    ("`torch.range`는 지원 중단 예정입니다.", ["지원 중단 예정"]),
    ("옛 노트의 `verbose`는 제거됨 상태입니다.", ["제거됨"]),
    ("이 방식은 사용 중단됨으로 바뀌었습니다.", ["사용 중단됨"]),
    ("| `torch.range` | 지원 중단 예정 | `torch.arange` |", []),
    ("## 4. `quantize_dynamic` (지원 중단 예정)", []),
    ('상태 열의 "지원 중단 예정"은 아직 동작하고 "제거됨"은 오류가 납니다.', []),
    ("`torch.range`는 지원이 중단될 예정이고, `verbose`는 제거되었습니다.", []),
])
def test_status_labels_only_in_tables(text, expected):
    """Is a status label in a sentence reported, and not in a table row, a heading, quotes or verb form?"""
    from grader.checks.style import status_labels

    assert status_labels(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("배치 32개짜리 하나로 갱신합니다", ["배치 32개짜리"]),
    ("8개짜리 배치 4개로 누적합니다", ["8개짜리 배치"]),
    ("배치 1짜리 예시로 내보냅니다", ["배치 1짜리"]),
    ("크기 32인 배치 하나와 크기 8인 배치 4개", []),
])
def test_batch_size_phrases(text, expected):
    """Is a batch size written as a count (배치 32개짜리) reported, and 크기 N인 배치 / 배치 N개 not?"""
    from grader.checks.style import batch_size_phrases

    assert batch_size_phrases(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("자세한 내용은 3장에서 봅니다", ["3장"]),
    ("(5장) 참고", ["5장"]),
    ("옵티마이저는 5장의 주제입니다", ["5장"]),
    ("이미지 5장을 그립니다", []),
    ("클래스마다 8장씩, 숫자마다 5장, 모두 50장", []),
    ("테스트 이미지 1,000장과 1장을 넣습니다", []),
    ("03장과 10장에서 봅니다", []),
])
def test_one_digit_chapter_references(text, expected):
    """Is a one-digit N장 that reads as a chapter reported, and a count of images (이미지 5장) not?"""
    from grader.checks.style import one_digit_chapters

    assert one_digit_chapters(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("제한 시간 90 초를 넘었습니다", ["90 초"]),
    ("3 개의 층과 2 번째 배치, 4 배 빠름", ["3 개", "2 번", "4 배"]),
    ("90초, 3개, 2번째, 4배, 이미지 5장", []),
    ("2 배치를 쌓고 1 초과인 값과 3 장치", []),
])
def test_no_space_before_units(text, expected):
    """Is a space between a number and its unit reported, but not 2 배치 (batches) or 1 초과 (over 1)?"""
    from grader.checks.style import spaced_units

    assert spaced_units(text) == expected


def test_style_rules_read_the_right_language_in_cells_and_messages(write_nb, tmp_path):
    """Do the English rules read en cells and English messages only, the Korean rules ko ones only?"""
    from grader.checks import style

    nb = notebook(md("`x`는 제거됨 상태이고 colour는 영어 낱말입니다", "ko"),
                  md("`x` has been removed; its colour", "en"))
    found = style.check_style(nb, write_nb(nb))
    assert [(f.code, f.cell) for f in found] == [("G405", nb.cells[0].id), ("G404", nb.cells[1].id)]
    catalogue = {"ok": ("제한 시간 {n}초", "time budget of {n} s"),
                 "bad": ("제한 시간 90 초, 제거됨 상태입니다", "the behaviour of {colour_field}"),
                 "spaced": ("제한 시간 {budget_s} 초를 넘었습니다", "over the time budget of {budget_s} s")}
    found = style.check_catalogue(catalogue, tmp_path / "messages.py")
    assert sorted((f.code, f.cell) for f in found) == [("G404", "bad"), ("G405", "bad"), ("G408", "bad"),
                                                       ("G408", "spaced")]
    assert style.check_catalogue() == []  # the real catalogue follows every rule


@pytest.mark.parametrize(("change", "says"), [
    (lambda m: m.pop("grade_id"), "grade_id"), (lambda m: m.update(points="two"), "two"),
    (lambda m: m.update(schema_version=1), "schema"), (lambda m: m.update(grade="yes"), "yes"),
])
def test_malformed_nbgrader_metadata_is_reported_as_nbgrader_sees_it(write_nb, change, says):
    """E506 says what nbgrader's own validator says (a missing grade_id, points of the wrong type, an old schema)."""
    nb = demo_solution()
    change(next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")).metadata.nbgrader)
    found = [f for f in graded.check_graded(nb, write_nb(nb, folder="solutions")) if f.code == "E506"]
    assert len(found) == 1 and says in found[0].message, found
