"""grader.grade over real kernels: honest scores, and no harm from broken or hostile submissions."""

from __future__ import annotations

import json

import nbformat
import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.schemas import problems
from tests.integration.grading import answer_cell, grade, grade_answer, points, submit

pytestmark = pytest.mark.kernel
def test_untouched_release_scores_zero_and_solution_full_marks(tmp_path, course):
    """Does the untouched release score 0 and the solution 8 of 8?"""
    solutions, solution, release = course
    untouched = grade(submit(tmp_path, release), solutions)
    assert (untouched.score, untouched.max_score) == (0, 8)
    assert {c.status for c in untouched.cells} == {"failed"}
    full = grade(submit(tmp_path, nbformat.read(solution, 4)), solutions)
    assert (full.score, full.errors) == (8, [])


def test_a_wrong_answer_loses_only_its_part(tmp_path, course):
    """Does a wrong add() lose the add part's points and nothing else, with a bilingual reason?"""
    result = grade_answer(tmp_path, course, "add_answer", "def add(a, b):\n    return a - b")
    assert points(result) == {"add_tests": 0, "double_tests": 2, "square_tests": 2, "greet_tests": 2}
    assert any("기댓값" in e and "expected" in e for e in result.errors)


def test_hidden_tests_count(tmp_path, course):
    """Does an answer that passes the visible test but not the hidden one lose the points?"""
    # right for 3, wrong for -2
    result = grade_answer(tmp_path, course, "square_answer", "def square(x):\n    return 3 * x")
    assert points(result)["square_tests"] == 0
    # The learner gets a bilingual hint, never the hidden test's call or its expected value.
    [message] = result.errors
    assert "숨은 검사" in message and "hidden check failed" in message
    assert "-2" not in message and "4" not in message


def test_an_object_equal_to_everything_does_not_pass(tmp_path, course):
    """Does an answer returning an object whose __eq__ always says True lose its points?"""
    anything = ("class Anything:\n    def __eq__(self, other):\n        return True\n"
                "    __hash__ = object.__hash__\n\ndef square(x):\n    return Anything()")
    assert points(grade_answer(tmp_path, course, "square_answer", anything))["square_tests"] == 0


def test_edited_tests_and_changed_points_are_restored(tmp_path, course):
    """Does replacing a test with `pass` and giving it 100 points change nothing?"""
    solutions, _, release = course
    cell = answer_cell(release, "add_tests")
    cell.source = "pass"
    cell.metadata.nbgrader.points = 100
    result = grade(submit(tmp_path, release), solutions)
    assert (result.score, result.max_score) == (0, 8)
    assert any("'add_tests'" in e and "(source, points)" in e and "바뀌어" in e for e in result.errors), result.errors


@pytest.mark.parametrize(("how", "what"), [("checksum", "(checksum)"), ("duplicate", "appears twice")])
def test_a_changed_checksum_or_a_duplicated_grade_id_is_reported(tmp_path, course, how, what):
    """Is each tampering named in the result, while the grade comes from the instructor's cells?"""
    solutions, solution, release = course
    nb = nbformat.read(solution, 4)
    if how == "checksum":
        answer_cell(nb, "add_tests").metadata.nbgrader["checksum"] = "0" * 32
    else:
        answer_cell(nb, "square_tests").metadata.nbgrader["grade_id"] = "add_tests"
    result = grade(submit(tmp_path, nb), solutions)
    assert any(what in e for e in result.errors), result.errors
    assert result.max_score == 8


def test_an_untouched_release_reports_no_tampering(tmp_path, course):
    """Do the released cells, exactly as released, count as unchanged (no false alarms)?"""
    solutions, _, release = course
    result = grade(submit(tmp_path, release), solutions)
    assert not any("changed" in e or "twice" in e or "missing" in e for e in result.errors), result.errors


def test_deleted_test_cell_is_restored_and_reported(tmp_path, course):
    """Is a deleted test cell put back (so a right answer still scores) and the repair reported?"""
    solutions, solution, _ = course
    nb = nbformat.read(solution, 4)
    nb.cells.remove(answer_cell(nb, "double_tests"))
    result = grade(submit(tmp_path, nb), solutions)
    assert result.score == 8
    assert any("double_tests" in e and "restored" in e for e in result.errors)


def test_prefilled_outputs_do_not_count(tmp_path, course):
    """Do outputs copied into an untouched release earn nothing?"""
    solutions, _, release = course
    for cell in release.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ok")]
    assert grade(submit(tmp_path, release), solutions).score == 0


def test_infinite_loop_is_interrupted_and_other_parts_still_score(tmp_path, course):
    """Does a loop that never ends cost only its own part, within the time limits?"""
    result = grade_answer(tmp_path, course, "add_answer", "def add(a, b):\n    while True:\n        pass")
    assert points(result)["add_tests"] == 0 and result.score == 6


def test_kernel_death_scores_what_ran(tmp_path, course):
    """Does os._exit in the kernel give a bilingual error, 0 for what did not run, and no crash?"""
    result = grade_answer(tmp_path, course, "square_answer", "import os\nos._exit(1)")
    assert points(result) == {"add_tests": 2, "double_tests": 2, "square_tests": 0, "greet_tests": 0}
    assert any("커널" in e and "kernel died" in e for e in result.errors)


@pytest.mark.parametrize(("code", "error"), [
    # 12 GiB: more than grader.kernel.limits allows one process, though Linux would lend it lazily without the limit.
    ("hoard = bytearray(12 * 2**30)", "MemoryError"),
    # A file past the size limit (sparse, so nothing is really written without the limit either).
    ("with open('big.bin', 'wb') as f:\n    f.seek(300 * 2**20)\n    f.write(b'x')", "File too large"),
])
def test_memory_and_file_size_are_bounded_by_the_os(tmp_path, course, code, error):
    """Do a memory hoard and an oversized file fail in the learner's cell while the other parts score?"""
    result = grade_answer(tmp_path, course, "square_answer", code + "\n\ndef square(x):\n    return x * x")
    assert points(result) == {"add_tests": 2, "double_tests": 2, "square_tests": 0, "greet_tests": 2}
    assert any("square_tests" in e for e in result.errors), result.errors


def test_limits_are_applied_in_the_kernel():
    """Does grader.kernel.limits set the data, file-size and core limits it promises?"""
    import os
    import subprocess
    import sys

    from grader.kernel import limits

    code = ("import resource; from grader.kernel.limits import apply; apply();"
            "print(*(resource.getrlimit(r)[0] for r in (resource.RLIMIT_DATA, resource.RLIMIT_FSIZE, "
            "resource.RLIMIT_CORE, resource.RLIMIT_CPU)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, limits.ENV: limits.spec(10)}).stdout.split()
    assert [int(v) for v in out] == [limits.MEMORY_MB * 2**20, limits.FILE_MB * 2**20, 0, 70]


def test_huge_output_is_truncated(tmp_path, course):
    """Is a flood of output cut, with the grade still right?"""
    solutions, solution, _ = course
    nb = nbformat.read(solution, 4)
    answer_cell(nb, "add_answer").source += "\nfor _ in range(300):\n    print('x' * 10_000)"
    result = grade(submit(tmp_path, nb), solutions)
    assert result.score == 8 and any("output was too long" in e for e in result.errors)


@pytest.mark.parametrize("content", [b"", b"{", b"\x89PNG\r\n\x1a\n\x00\x00", b"{\"cells\": 3}", b"\xff\xfe\x00"])
def test_not_a_notebook_gets_a_bilingual_error_and_exit_code_1(tmp_path, course, content):
    """Do empty, truncated, binary and non-UTF-8 files get 0, a bilingual error, exit 1, no traceback?"""
    solutions, _, _ = course
    path = submit(tmp_path, content)
    result = grade(path, solutions)
    assert (result.score, result.max_score, result.status) == (0, 8, "unreadable")
    assert "Jupyter" in result.errors[0] and "노트북" in result.errors[0]


def test_cli_json_contract_and_exit_codes(tmp_path, course):
    """Does `course grade --json` print score, max_score, cells and errors, and exit 1 on a non-notebook?"""
    solutions, solution, _ = course
    runner = CliRunner()
    args = ["--solutions", str(solutions)]
    page = tmp_path / "feedback.html"
    ok = runner.invoke(main, ["grade", str(submit(tmp_path, nbformat.read(solution, 4))), "--json", *args,
                              "--html", str(page)])
    record = json.loads(ok.output)
    assert ok.exit_code == 0 and record["score"] == record["max_score"] == 8
    assert problems(record, "grade-result") == [], "the JSON contract (grader/schema/grade-result.json)"
    assert "notebook" not in record, "the notebook view is for the page, not the JSON contract"
    assert "<code>add_tests</code> · 2 / 2" in page.read_text(encoding="utf-8")
    bad = runner.invoke(main, ["grade", str(submit(tmp_path, b"{")), *args])
    assert bad.exit_code == 1 and "Traceback" not in bad.output and "Grade" in bad.output
    bad_json = runner.invoke(main, ["grade", str(submit(tmp_path, b"{")), "--json", *args])
    record = json.loads(bad_json.output)
    assert bad_json.exit_code == 1 and record["status"] == "unreadable" and record["score"] == 0, bad_json.output
    assert problems(record, "grade-result") == []
    unknown = runner.invoke(main, ["grade", str(submit(tmp_path, b"{", name="zz.ipynb")), *args])
    assert unknown.exit_code == 2 and "exercise" in unknown.output


def test_a_submission_cannot_reach_the_network(tmp_path, course):
    """An answer connects to a server that IS reachable from this machine (on its own non-loopback address, so the
    test can fail where there is no route outside): the connection never arrives and the part fails."""
    import socket
    import threading

    import psutil

    address = next((a.address for addrs in psutil.net_if_addrs().values() for a in addrs
                    if a.family == socket.AF_INET and not a.address.startswith("127.")), None)
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to serve on")
    arrived = []
    with socket.socket() as server:
        server.bind((address, 0))
        server.listen()
        server.settimeout(0.5)
        port = server.getsockname()[1]
        done = threading.Event()

        def accept():
            while not done.is_set():
                try:
                    arrived.append(server.accept()[0])
                except OSError:
                    pass

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        with socket.create_connection((address, port), timeout=5):
            pass  # reachable from here: the test is not vacuous
        result = grade_answer(tmp_path, course, "greet_answer", (
            f"import socket\nsocket.socket().connect(({address!r}, {port}))\n"
            "def greet(name):\n    return f'hi {name}'"))
        done.set()
        thread.join(timeout=5)
    for connection in arrived:
        connection.close()
    assert len(arrived) == 1, "the answer's connection reached a server outside the sandbox"
    assert points(result)["greet_tests"] == 0 and result.score == 6


# --- The hostile and broken fixture table: each case finishes, keeps the file, and scores what ran. ---

HOSTILE_ANSWERS = {
    "sys.exit": ("import sys\nsys.exit(3)", {"square_tests": 0}),
    "segfault": ("import ctypes\nctypes.string_at(0)", {"square_tests": 0, "greet_tests": 0}),
    "long sleep": ("import time\ntime.sleep(10**6)", {"square_tests": 0}),
    "fork and wait": ("import os\nif os.fork() == 0:\n    import time\n    time.sleep(10**6)\nos.wait()",
                      {"square_tests": 0}),
}


@pytest.mark.parametrize("case", HOSTILE_ANSWERS)
def test_hostile_answer_costs_only_what_it_breaks(tmp_path, course, case):
    """Does each hostile answer lose only the parts it breaks, within the budget, leaving the file as it was?"""
    code, lost = HOSTILE_ANSWERS[case]
    result = grade_answer(tmp_path, course, "square_answer", code)
    expected = {"add_tests": 2, "double_tests": 2, "square_tests": 2, "greet_tests": 2} | lost
    assert points(result) == expected, result.errors


def test_another_assignments_notebook_scores_zero_with_reasons(tmp_path, course):
    """Is a notebook from another exercise graded against this one's tests (0, each missing part reported)?"""
    solutions, _, _ = course
    other = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('chapter 01')")])
    result = grade(submit(tmp_path, other), solutions)
    assert result.score == 0 and sum("missing" in e or "없어" in e for e in result.errors) >= 4


def test_nbformat_3_is_upgraded_and_graded(tmp_path, course):
    """Is an nbformat-3 copy of the solution read, upgraded and given full marks?"""
    solutions, solution, _ = course
    v3 = nbformat.v3.writes_json(nbformat.convert(nbformat.read(solution, 4), 3)).encode()
    assert grade(submit(tmp_path, v3), solutions).score == 8


def test_a_100_mb_notebook_is_refused_unread(tmp_path, course):
    """Is a file past the size limit reported without being parsed?"""
    solutions, solution, _ = course
    nb = nbformat.read(solution, 4)
    nb.cells.append(nbformat.v4.new_markdown_cell("x" * 100_000_000))
    result = grade(submit(tmp_path, nb), solutions)
    assert result.status == "unreadable" and "bytes" in result.errors[0]


def test_ten_thousand_cells_stop_at_the_budget_with_the_tests_scored(tmp_path, course):
    """Do 10,000 extra cells after the tests run until the budget ends, with every test already scored?"""
    solutions, solution, _ = course
    nb = nbformat.read(solution, 4)
    # Ids of our own: nbformat's random 8-hex ids collide among 10,000 cells about once in 90 runs.
    nb.cells += [nbformat.v4.new_code_cell("pass", id=f"extra-{i}") for i in range(10_000)]
    result = grade(submit(tmp_path, nb), solutions)
    assert result.score == 8
