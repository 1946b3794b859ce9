"""Grade every hostile and broken submission of the fixture set once and print the outcome table (markdown).

    .venvs/main/bin/python scripts/fixture_table.py

Uses the four-part demo exercise of the tests (8 points, budget 12 s, each cell at most 3 s), so the
table is what tests/integration/test_grade.py and test_sandbox.py assert, in one place with times.
For each case: score, status, seconds, whether the submitted file is byte-identical afterwards,
whether the course tree and the home folder are unchanged, and the first line of the first error.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grader import sandbox  # noqa: E402
from grader.assignments import release_notebook  # noqa: E402
from grader.grade import grade_notebook  # noqa: E402
from grader.mutations import with_answers  # noqa: E402
from grader.paths import ROOT  # noqa: E402
from tests.factory import demo_solution  # noqa: E402

BUDGET_S = 12


def tampered(solution: nbformat.NotebookNode, how: str) -> nbformat.NotebookNode:
    nb = copy.deepcopy(solution)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    if how == "points":
        tests[0].metadata.nbgrader["points"] = 100
    elif how == "edited":
        tests[0].source = "pass"
    elif how == "deleted":
        nb.cells.remove(tests[1])
    elif how == "duplicate":
        tests[1].metadata.nbgrader["grade_id"] = tests[0].metadata.nbgrader["grade_id"]
    elif how == "checksum":
        tests[0].metadata.nbgrader["checksum"] = "0" * 32
        tests[0].source = "pass"
    elif how == "prefilled":
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="Visible checks passed.\n")]
    return nb


def cases(solution: nbformat.NotebookNode, release: nbformat.NotebookNode, work: Path) -> dict[str, object]:
    square = {
        "infinite loop": "while True:\n    pass",
        "long sleep": "import time\ntime.sleep(10**6)",
        "memory hoard (12 GiB)": "hoard = bytearray(12 * 2**30)",
        "fork bomb": "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass",
        "os._exit": "import os\nos._exit(1)",
        "segfault": "import ctypes\nctypes.string_at(0)",
        "sys.exit": "import sys\nsys.exit(3)",
        "print 10 GB": "import sys\nwhile True:\n    sys.stdout.write('x' * 10**6)",
        "write 1 GB file": "open('big.bin', 'wb').write(b'x' * 2**30)",
        "delete own submission": f"import os\nos.remove({str(work / 'submitted' / '99_demo.ipynb')!r})",
        "delete solutions/": f"import shutil\nshutil.rmtree({str(ROOT / 'solutions')!r})",
        "write into home": "import pathlib\n(pathlib.Path.home() / 'pwned.txt').write_text('x')",
        "read solutions/": f"print(open({str(ROOT / 'solutions' / '01_tensors.ipynb')!r}).read()[:100])",
        "network": "import urllib.request\nurllib.request.urlopen('http://example.com', timeout=3)",
    }
    if sandbox.bwrap() is None:  # never aim a destructive case at the real course without the sandbox
        for name in ("delete solutions/", "write into home", "delete own submission"):
            square.pop(name)
    table: dict[str, object] = {"correct solution": solution, "untouched release": release}
    for name, code in square.items():
        table[name] = with_answers(solution, {"square_answer": code + "\ndef square(x):\n    return x * x"})
    for how in ("points", "edited", "deleted", "duplicate", "checksum"):
        table[f"tampered: {how}"] = tampered(solution, how)
    table["outputs pre-filled to look passed (release)"] = tampered(release, "prefilled")
    other = nbformat.read(ROOT / "exercises" / "01_tensors.ipynb", 4)
    table["another exercise"] = other
    table["nbformat 3"] = nbformat.writes(nbformat.convert(copy.deepcopy(solution), 3), 3).encode()
    table["empty file"] = b""
    table["truncated JSON"] = nbformat.writes(solution).encode()[:200]
    table["binary (PNG bytes)"] = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    table["non-UTF-8"] = nbformat.writes(solution).replace("square", "sq\udcff", 1).encode("utf-8", "surrogateescape")
    big = copy.deepcopy(solution)
    big.cells[0].source = "x" * 100_000_000
    table["100 MB notebook"] = big
    many = copy.deepcopy(solution)
    many.cells[1:1] = [nbformat.v4.new_code_cell("pass") for _ in range(10_000)]
    table["10,000 cells"] = many
    return table


def digest(folder: Path, pattern: str = "*") -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.glob(pattern) if p.is_file()):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="fixtures-"))
    solutions = work / "solutions"
    solutions.mkdir()
    nbformat.write(demo_solution(budget_s=BUDGET_S), solutions / "99_demo.ipynb")
    solution = nbformat.read(solutions / "99_demo.ipynb", 4)
    release = release_notebook(solutions / "99_demo.ipynb")
    print(f"sandbox: {json.dumps(sandbox.describe())}; budget {BUDGET_S} s, cell timeout 3 s\n")
    print("| case | score | status | s | file kept | course+home kept | first error (English) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, content in cases(solution, release, work).items():
        path = work / "submitted" / "99_demo.ipynb"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else nbformat.writes(content).encode())
        before = (hashlib.sha256(path.read_bytes()).hexdigest(), digest(ROOT / "solutions"), digest(ROOT),
                  digest(Path.home()))
        start = time.monotonic()
        result = grade_notebook(path, solutions=solutions, cell_timeout_s=3)
        seconds = time.monotonic() - start
        kept = hashlib.sha256(path.read_bytes()).hexdigest() == before[0] if path.exists() else False
        tree = (digest(ROOT / "solutions"), digest(ROOT), digest(Path.home())) == before[1:]
        first = next((e.splitlines()[-1] for e in result.errors if e.strip()), "")
        first = first.replace("|", "\\|")[:90]
        print(f"| {name} | {result.score:g} / {result.max_score:g} | {result.status} | {seconds:.1f} | "
              f"{'yes' if kept else 'NO'} | {'yes' if tree else 'NO'} | {first} |", flush=True)
        (Path.home() / "pwned.txt").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
