"""The judge's layers, each on its own: the signed channel, the integrity baseline, the job it is given."""

from __future__ import annotations

import functools
import marshal
import sys
import types

import nbformat
import pytest

from grader.judging import judge_job
from grader.kernel import judge
from grader.prepare import setup_cells
from grader.verdicts import hidden_requirement
from tests.factory import answer, graded_cell, notebook

KEY = b"k" * 32


def signed(messages, key=KEY):
    bodies = [marshal.dumps(m, 4).hex() for m in messages]
    return [f"{judge.sign(key, seq, body)} {body}".encode() for seq, body in enumerate(bodies)]


def test_the_channel_accepts_signed_lines_in_order():
    lines = signed([{"ready": True}, {"cell": 1}, {"done": True}])
    assert judge.verify(KEY, lines) == ([{"ready": True}, {"cell": 1}, {"done": True}], None)


def test_what_the_judge_sends_is_what_the_grader_reads(tmp_path):
    """The judge's channel (C code bound at start) and the grader's verify agree, byte for byte."""
    import os

    read, write = os.pipe()
    channel = judge._Channel(write, KEY)
    channel.send({"cell": 3, "outputs": [{"text": "안녕 \udcff"}], "error": None})
    channel.send({"done": True})
    os.close(write)
    with os.fdopen(read, "rb") as stream:
        lines = stream.read().splitlines()
    assert judge.verify(KEY, lines)[0][0]["outputs"][0]["text"] == "안녕 \udcff"


@pytest.mark.parametrize("forge", ["other key", "reordered", "edited", "garbage"])
def test_the_channel_stops_at_a_line_it_did_not_sign(forge):
    """A line the judge did not write (another key, another place in the sequence, changed, junk) ends the reading."""
    lines = signed([{"cell": 1}, {"cell": 2}, {"cell": 3}])
    if forge == "other key":
        lines[1] = signed([{"cell": 1}, {"cell": 2}], key=b"x" * 32)[1]
    elif forge == "reordered":
        lines[1], lines[2] = lines[2], lines[1]
    elif forge == "edited":
        lines[1] = lines[1][:-2] + (b"3" if lines[1][-2:-1] != b"3" else b"4") + lines[1][-1:]
    else:
        lines[1] = b"0" * 64 + b" " + marshal.dumps({"cell": 2}).hex().encode()
    messages, problem = judge.verify(KEY, lines)
    assert messages == [{"cell": 1}] and "message 1" in problem


@pytest.fixture
def victim():
    """A module the baseline watches, removed from sys.modules afterwards."""
    module = types.ModuleType("course_victim")
    exec("def check(x):\n    return x\nclass Box:\n    def get(self):\n        return 1\n", module.__dict__)  # noqa: S102
    sys.modules["course_victim"] = module
    yield module
    sys.modules.pop("course_victim", None)


def baseline_of(module):
    trusted = {"__name__": "__course_tests__", "check": module.check}
    return judge.Baseline(trusted, [module.Box])


def test_an_untouched_process_shows_no_difference(victim):
    assert baseline_of(victim).differences() == []


@pytest.mark.parametrize("how, named", [
    ("attribute", "course_victim.check"),
    ("sys.modules", "sys.modules['course_victim']"),
    ("code", "(code)"),
    ("defaults", "(code)"),
    ("class method", "course_victim.Box.get"),
    ("trace", "sys.settrace"),
])
def test_every_kind_of_patch_is_a_difference(victim, how, named):
    """Does the baseline see a replaced function, module, code object, default, method or trace hook?"""
    baseline = baseline_of(victim)
    original = victim.check
    try:
        if how == "attribute":
            victim.check = lambda x: True
        elif how == "sys.modules":
            sys.modules["course_victim"] = types.ModuleType("course_victim")
        elif how == "code":
            victim.check.__code__ = (lambda x: True).__code__
        elif how == "defaults":
            victim.check.__defaults__ = (1,)
        elif how == "class method":
            victim.Box.get = lambda self: 2
        else:
            sys.settrace(lambda *a: None)
        found = baseline.differences()
    finally:
        sys.settrace(None)
    assert any(named in item for item in found), found
    assert original is not None


def test_a_library_wrapping_its_own_function_is_no_difference(victim):
    """torch._dynamo wraps torch.manual_seed on import (functools.wraps): not tampering, unless learner code wraps."""
    baseline = baseline_of(victim)
    original = victim.check
    victim.check = functools.wraps(original)(lambda x: original(x))
    assert baseline.differences() == []
    learner = victim.check.__code__
    assert baseline.differences(lambda code: code is learner) == ["course_victim.check"]


def test_the_job_pairs_unchanged_setup_cells_and_marks_tests():
    """Setup cells the learner left alone run once (as the instructor's); an edited one runs as the learner's."""
    source = notebook(nbformat.v4.new_code_cell("import math"), answer("a_answer", "x = 1"),
                      graded_cell("a_tests", "assert x == 1"), nbformat.v4.new_code_cell("import json"))
    learner = nbformat.from_dict(source)
    learner.cells[3].source = "import json, os"
    job = judge_job(learner, setup_cells(source), cell_timeout_s=5)
    assert job["setup"] == ["import math", "import json"]
    roles = [(c["index"], c["role"], c["setup"]) for c in job["cells"]]
    assert roles == [(0, "learner", 0), (1, "learner", None), (2, "test", None), (3, "learner", None)]


HIDDEN = '''x = make()
check_close(f(x), 2.0, name="f(x) for a uint8 input")
for n in (1, 2):
    y = g(n)
    check(y > 0,
          "양수여야 합니다 / must be positive")
check_shape(z, (3,), name=f"model(x) for batch size {n}")
check_equal(w, 1, name=label)
'''


@pytest.mark.parametrize(("line", "ko", "en"), [
    (1, "f(x) for a uint8 input의 값", "the value of f(x) for a uint8 input"),  # the check the failed line led to
    (2, "f(x) for a uint8 input의 값", "the value of f(x) for a uint8 input"),
    (4, "양수여야 합니다", "must be positive"),
    (6, "양수여야 합니다", "must be positive"),  # the second line of a call
    (7, "model(x) for batch size …의 모양(shape)", "the shape of model(x) for batch size …"),  # no field's value
])
def test_hidden_requirement_is_the_failed_checks_own_text(line, ko, en):
    assert hidden_requirement(HIDDEN, line) == (ko, en)


@pytest.mark.parametrize("line", [8, 9, None, "2", 2.0])
def test_hidden_requirement_none_without_a_literal_text_or_a_line(line):
    """A computed name (line 8), a line past every check, or a line that is not an int: no requirement."""
    assert hidden_requirement(HIDDEN, line) is None


def test_hidden_requirement_of_a_cell_that_does_not_parse():
    assert hidden_requirement("check(", 1) is None
