"""Answers that try to cheat the grader instead of solving the task, graded for real (grader.kernel.judge).

Every attack is the first answer cell of the four-part demo exercise, followed by answers that return
None (wrong for every test) and the other answer cells left as released: an attack that worked would
score points it did not earn. Each case says what the report must name.
"""

from __future__ import annotations

import nbformat
import pytest

from grader import sandbox
from grader.mutations import with_answers
from tests.integration.grading import answer_cell, grade, grade_answer, points, submit

pytestmark = pytest.mark.kernel
ZERO = {"add_tests": 0, "double_tests": 0, "square_tests": 0, "greet_tests": 0}
FULL = {"add_tests": 2, "double_tests": 2, "square_tests": 2, "greet_tests": 2}

NOOP = "lambda *args, **kwargs: None"
WRONG = "\nif 'add' not in globals():\n    add = double = square = greet = lambda *args: None"
#: name -> (first answer cell, what the report must name)
ATTACKS = {
    "ipython_swallows_every_error": (
        f"get_ipython().set_custom_exc((BaseException,), {NOOP})", "get_ipython()"),
    "ipython_input_transformer_empties_every_cell": (
        "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])", "get_ipython()"),
    "patch_the_check_module": (
        f"import grader.asserts as a\na.check_equal = a.visible_checks_passed = {NOOP}", "grader.asserts.check_equal"),
    "patch_builtins": (
        "import builtins\nbuiltins.type = lambda *args: int\nbuiltins.len = lambda x: 0", "builtins."),
    "fake_module_in_sys_modules": (
        f"import sys, types\nfake = types.ModuleType('grader.asserts')\nfake.check_equal = {NOOP}\n"
        "sys.modules['grader.asserts'] = fake", "sys.modules['grader.asserts']"),
    "swap_the_code_of_a_check": (
        f"check_equal.__code__ = ({NOOP}).__code__", "check_equal.__code__"),
    "walk_up_to_the_test_frame": (
        f"import sys\ndef add(a, b):\n    sys._getframe(1).f_globals['check_equal'] = {NOOP}\n    return 0",
        "sys._getframe"),
    "walk_the_heap_with_gc": (
        f"import gc\nfor o in gc.get_objects():\n    if isinstance(o, dict) and 'check_equal' in o:\n"
        f"        o['check_equal'] = {NOOP}", "gc.get_objects"),
    "frame_from_a_traceback": (
        "try:\n    raise ValueError\nexcept ValueError as e:\n    frame = e.__traceback__.tb_frame", "tb_frame"),
    "trace_function": (
        "import sys\nsys.settrace(lambda *a: None)", "sys.settrace"),
    "write_own_memory_through_proc": (
        "try:\n    open('/proc/self/mem', 'r+b').close()\nexcept OSError:\n    pass", "/proc/self/mem"),
    "read_memory_with_ctypes": (
        "import ctypes\nctypes.string_at(id(check_equal), 16)", "ctypes."),
    "mock_objects_that_equal_anything": (
        "from unittest import mock\nclass Anything(mock.MagicMock):\n"
        "    def __eq__(self, other):\n        return True\n"
        "def add(a, b):\n    return Anything(spec=int)\ndouble = square = greet = add", "unittest.mock"),
    "forge_the_verdict_pipe": (
        "import os, stat\nfor fd in range(3, 64):\n    try:\n        if stat.S_ISFIFO(os.fstat(fd).st_mode):\n"
        "            os.write(fd, b'0' * 64 + b' {\"cell\": 99, \"outputs\": [], \"error\": null}\\n')\n"
        "    except OSError:\n        pass", "grading channel"),
}


def graded(tmp_path, course, source):  # noqa: F811
    solutions, _, release = course
    nb = nbformat.from_dict(release)
    answer_cell(nb, "add_answer").source = source + WRONG
    return grade(submit(tmp_path, nb), solutions)


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_an_attack_scores_nothing_and_is_reported(tmp_path, course, attack):  # noqa: F811
    """Does the attack earn no point, with every part it ran before marked tampered and named in both languages?"""
    source, named = ATTACKS[attack]
    result = graded(tmp_path, course, source)
    assert points(result) == ZERO, result.errors
    assert {c.status for c in result.cells} == {"tampered"}, result.errors
    report = result.errors[0]
    assert "채점을 조작" in report and "tampered with grading" in report and named in report, report
    assert "add_tests" in report


def test_rebinding_the_helpers_changes_nothing_for_the_tests(tmp_path, course):  # noqa: F811
    """Are the tests' helpers out of an answer's reach (rebinding them is no advantage, and not a crime)?"""
    result = graded(tmp_path, course, f"check_equal = visible_checks_passed = {NOOP}\n"
                                      f"def add(a, b):\n    return None")
    assert points(result) == ZERO
    assert {c.status for c in result.cells} == {"failed"}
    assert not any("tampered" in e for e in result.errors)


def test_an_honest_helper_with_a_colliding_name_loses_nothing(tmp_path, course):  # noqa: F811
    """Does an answer that defines and uses its own `check_equal` keep full marks, with nothing reported?"""
    result = grade_answer(tmp_path, course, "add_answer", (
        "def check_equal(a, b):\n    return a == b\n\n"
        "def add(a, b):\n    total = a + b\n    assert check_equal(total - b, a)\n    return total"))
    assert points(result) == FULL, result.errors
    assert result.errors == []


def test_exiting_early_scores_what_ran_and_nothing_after(tmp_path, course):  # noqa: F811
    """Does `os._exit(0)` in an answer end the run with the rest not run, instead of passing it?"""
    result = graded(tmp_path, course, "import os\nos._exit(0)")
    assert points(result) == ZERO
    assert {c.status for c in result.cells} == {"not_run"}


def test_system_exit_is_a_failure_not_a_pass(tmp_path, course):  # noqa: F811
    """Does an answer that raises SystemExit while a test calls it fail that test?"""
    result = grade_answer(tmp_path, course, "add_answer", "import sys\ndef add(a, b):\n    sys.exit(0)")
    assert points(result) == {**FULL, "add_tests": 0}


@pytest.mark.skipif(sandbox.bwrap() is None, reason="bubblewrap is not installed or not allowed here")
def test_a_process_the_answer_starts_cannot_read_the_judges_memory(tmp_path, course):  # noqa: F811
    """Can a child (as root, in the sandbox) open the judge's /proc/<pid>/mem or maps? It must not."""
    result = grade_answer(tmp_path, course, "add_answer", (
        "import os, subprocess\n"
        "for name in ('mem', 'maps'):\n"
        "    probe = subprocess.run(['head', '-c', '1', f'/proc/{os.getpid()}/{name}'], capture_output=True)\n"
        "    assert probe.returncode != 0, name\n"
        "def add(a, b):\n    return a + b"))
    assert points(result) == FULL, result.errors


def test_a_hidden_failure_names_no_class_the_answer_made(tmp_path, course):  # noqa: F811
    """The hint for a failed hidden check names a built-in exception only, never a class the answer named."""
    result = grade_answer(tmp_path, course, "add_answer", (
        "Leak = type('check_equal_add_minus_1_1', (Exception,), {})\n"
        "def add(a, b):\n    if (a, b) == (1, 2):\n        return 3\n    raise Leak()"))
    assert points(result)["add_tests"] == 0
    hint = next(e for e in result.errors if e.startswith("add_tests"))
    assert "check_equal_add" not in hint and "(Exception)" in hint, hint


def test_a_hidden_failure_names_the_requirement_its_check_states(tmp_path, course):  # noqa: F811
    """The hint names what the failed hidden check verifies, from the check's own text, in both languages."""
    result = grade_answer(tmp_path, course, "square_answer", "def square(x):\n    return 3 * x")
    hint = next(e for e in result.errors if e.startswith("square_tests"))
    ko, en = hint.splitlines()
    assert "square(음수)의 값" in ko and "(AssertionError)" in en, hint
    assert "the value of square(a negative number)" in en, hint
    assert "-2" not in hint and "4" not in hint, hint


def test_a_hidden_failure_shows_nothing_the_answer_said(tmp_path, course):  # noqa: F811
    """An answer that raises a check's own message (or anything it read) inside the hidden test: the hint keeps
    only the requirement the hidden cell's text states."""
    result = grade_answer(tmp_path, course, "square_answer", (
        "from grader.asserts import check\n"
        "def square(x):\n    if x == 3:\n        return 9\n"
        "    check(False, 'LEAKED ' + str(x) + ' / LEAKED ' + str(x))"))
    assert points(result)["square_tests"] == 0
    hint = next(e for e in result.errors if e.startswith("square_tests"))
    assert "LEAKED" not in hint and "-2" not in hint and "square(a negative number)" in hint, hint


def test_a_writefile_answer_writes_its_file_for_the_next_cells(tmp_path, course):  # noqa: F811
    """Does a %%writefile answer cell (the judge has no IPython) write its file, which the next answer imports?"""
    solutions, solution, _ = course
    nb = with_answers(nbformat.read(solution, 4), {
        "add_answer": "%%writefile doubler.py\ndef double(xs):\n    return [2 * x for x in xs]",
        "double_answer": "from doubler import double"})
    result = grade(submit(tmp_path, nb), solutions)
    # the writefile cell defines no `add`: only its own part is lost
    assert points(result) == {**FULL, "add_tests": 0}, result.errors
    assert "NameError: name 'add' is not defined" in result.errors[0]


def test_code_from_a_file_an_answer_wrote_is_the_answers_code(tmp_path, course):  # noqa: F811
    """Is a module that a %%writefile answer wrote watched like the answer itself when a later cell imports it?"""
    solutions, solution, _ = course
    nb = with_answers(nbformat.read(solution, 4), {
        "add_answer": ("%%writefile sneaky.py\nimport sys\n\n\ndef double(xs):\n"
                       f"    sys._getframe(1).f_globals['check_equal'] = {NOOP}\n    return []"),
        "double_answer": "from sneaky import double"})
    result = grade(submit(tmp_path, nb), solutions)
    assert points(result)["double_tests"] == 0
    assert any("sys._getframe" in e for e in result.errors), result.errors


@pytest.mark.parametrize("first_line", ["%%writefile", "%%writefile a.py b.py", "%%writefile -a"])
def test_a_malformed_writefile_line_is_a_failure_not_a_crash(tmp_path, course, first_line):  # noqa: F811
    result = grade_answer(tmp_path, course, "add_answer", f"{first_line}\ndef add(a, b):\n    return a + b")
    assert points(result) == {**FULL, "add_tests": 0}, result.errors
