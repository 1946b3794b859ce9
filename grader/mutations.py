"""The mistake catalogue (mistakes.toml) and the proven wrong answers of each exercise.

Each exercise ``NN_name`` has ``tests/course/wrong_answers/NN_name.toml``: plausible wrong answers,
each naming one `mistake` of the catalogue; the suite proves every one loses exactly its parts.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from nbformat import NotebookNode

from grader import messages
from grader.paths import ROOT
from grader.schemas import load_toml
from grader.tables import table

WRONG_ANSWERS = ROOT / "tests" / "course" / "wrong_answers"


_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def with_answers(nb: NotebookNode, answers: Mapping[str, str]) -> NotebookNode:
    """Return a copy of `nb` whose cells with these grade ids hold these sources (a learner's answers).

    Raises:
        KeyError: a grade id that no cell of `nb` has (a typo must not leave the cell as it was).
    """
    nb = copy.deepcopy(nb)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    for grade_id, source in answers.items():
        cells[grade_id].source = source.strip("\n")
    return nb


def solution_answers(solution: NotebookNode, *, markers: bool = False) -> dict[str, str]:
    """The answer cells of a solution notebook: grade id -> source (without the SOLUTION marker lines)."""
    return {c.metadata.nbgrader["grade_id"]: c.source if markers else
            "\n".join(line for line in c.source.splitlines() if line.strip() not in _MARKERS)
            for c in solution.cells if c.metadata.get("nbgrader", {}).get("solution")}


def read_mistakes() -> dict[str, dict[str, str]]:
    """Return the catalogue: mistake id -> its ``ko``/``en`` description."""
    return load_toml(Path(__file__).with_name("mistakes.toml"), "mistakes")


def read_wrong_answers(exercise: str) -> list[dict]:
    """Return the ``[[wrong]]`` entries of `exercise` (``01_tensors``), or none."""
    path = WRONG_ANSWERS / f"{exercise}.toml"
    return load_toml(path, "wrong-answers")["wrong"] if path.exists() else []


def summary() -> str:
    """A table of the proven wrong answers (one row per exercise: how many, over how many graded parts, by
    mistake) and a total line naming the catalogue's mistakes no wrong answer uses."""
    rows, total = [], Counter()
    for path in sorted(WRONG_ANSWERS.glob("*.toml")):
        wrong = read_wrong_answers(path.stem)
        kinds = Counter(w["mistake"] for w in wrong)
        total += kinds
        parts = len({g for w in wrong for g in w["loses"]})
        rows.append([path.stem, str(len(wrong)), str(parts), ", ".join(f"{k} {n}" for k, n in kinds.most_common())])
    head = [messages.one_line(f"mutations.col.{k}") for k in ("exercise", "wrong", "parts", "mistakes")]
    unused = ", ".join(sorted(set(read_mistakes()) - set(total)))
    return "\n".join([table(head, rows, ("left", "right", "right", "left")), "", messages.one_line(
        "mutations.total", count=sum(total.values()), unused=unused or messages.sides("mutations.none"))])
