"""After a submission ran: which parts passed, what a learner reads about each failure, the notebook as graded.

A failed hidden check shows only the requirement its own text states (:func:`hidden_requirement`);
:func:`graded_view` is what the feedback page shows, never a hidden test.
"""

from __future__ import annotations

import ast
import builtins
import re
from typing import Any

from nbformat import NotebookNode

from grader import messages
from grader.judging import Tampering
from grader.prepare import grade_id_of


def part_outcomes(nb: NotebookNode, ran: set[int], tests: dict[str, float],
                  tampering: Tampering | None = None) -> dict[str, bool | None | str]:
    """Return grade_id -> True (passed), False (failed), None (did not run) or "tampered", per test cell.

    A part with a test cell that ran at or after the first tampering the judge saw is "tampered".
    """
    outcomes: dict[str, bool | None | str] = {}
    for index, cell in enumerate(nb.cells):
        grade_id = grade_id_of(cell) or cell.metadata.get("hidden_of")
        if grade_id in tests:  # the visible cell, then its hidden part: both must pass
            before = outcomes.get(grade_id, True)
            if tampering and index >= tampering.cell:
                outcomes[grade_id] = "tampered"
            elif before == "tampered":
                continue
            elif index not in ran:
                outcomes[grade_id] = False if before is False else None
            else:
                outcomes[grade_id] = before is True and _error(cell) is None
    return outcomes


def _error(cell: NotebookNode) -> NotebookNode | None:
    return next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)


_BUILTIN_EXCEPTIONS = frozenset(name for name, value in vars(builtins).items()
                                if isinstance(value, type) and issubclass(value, BaseException))


def failure_text(nb: NotebookNode, grade_id: str) -> str:
    """Return why a test cell failed: its visible check's bilingual message, or a hint for a hidden one."""
    for cell in nb.cells:
        if grade_id_of(cell) == grade_id and (error := _error(cell)) is not None:
            if error.get("ename") == "NotImplementedError":  # the released stub, still in place
                return messages.format("assert.not_implemented", name=grade_id)
            raw = f"{error.get('ename')}: {error.get('evalue')}"[:1000]
            if error.get("ename") == "AssertionError":  # a check helper's bilingual message
                return f"{grade_id}: {raw}"
            return f"{messages.format('grade.visible_error', grade_id=grade_id)}\n{raw}"
        if cell.metadata.get("hidden_of") == grade_id and (error := _error(cell)) is not None:
            # Only a built-in exception's name, and only the requirement the hidden cell's own text states: the
            # learner's code runs inside the hidden test and could say (or name a class after) what it read there.
            ename = error.get("ename") if error.get("ename") in _BUILTIN_EXCEPTIONS else "Exception"
            requirement = hidden_requirement(cell.source, cell.metadata.get("failed_line"))
            if requirement is None:
                return messages.format("grade.hidden_failed", grade_id=grade_id, ename=ename)
            return messages.format("grade.hidden_requirement", grade_id=grade_id, ename=ename, requirement=requirement)
    return grade_id


#: The check helpers of grader.asserts, and where each keeps the text that names what it checks.
_CHECKERS = {"check": ("what", 1, None), "check_close": ("name", None, "hidden.value"),
             "check_equal": ("name", None, "hidden.value"), "check_shape": ("name", None, "hidden.shape"),
             "check_dtype": ("name", None, "hidden.dtype"), "check_type": ("name", None, "hidden.type"),
             "check_held_out_accuracy": ("what", None, None)}


def hidden_requirement(source: str, line: object) -> messages.Both | None:
    """The requirement a hidden test cell checks at `line`, from the cell's own text; None if it names none.

    The failed check is the helper call spanning `line`, or else the first one after it (the statement that
    failed was computing what that check verifies). Its text is the literal ``what`` of ``check(cond, what)``
    (``"한국어 / English"``) or the literal ``name=`` of another helper; an f-string shows each field as ``…``,
    never its value. `line` comes from the judge, so it only chooses among the cell's
    own texts: nothing the learner's code computed or read reaches the message.
    """
    if type(line) is not int:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    calls = sorted((node for node in ast.walk(tree) if isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name) and node.func.id in _CHECKERS),
                   key=lambda node: (node.lineno, node.col_offset))
    spanning = [c for c in calls if c.lineno <= line <= (c.end_lineno or c.lineno)]
    after = [c for c in calls if c.lineno > line]
    for call in spanning[-1:] + after[:1]:
        keyword, position, key = _CHECKERS[call.func.id]
        node = next((k.value for k in call.keywords if k.arg == keyword), None)
        if node is None and position is not None and len(call.args) > position:
            node = call.args[position]
        text = _literal_text(node)
        if text is None:
            continue
        said = messages.Both.split(text)
        if key is None:
            return said
        ko, en = messages.MESSAGES[key]
        return messages.Both(ko.format(name=said[0]), en.format(name=said[1]))
    return None


def _literal_text(node: ast.AST | None) -> str | None:
    """A string literal's text; an f-string's with each field shown as ``…``; else None.

    Two literals joined by the parser (``"한국어 / " "English"``) are one constant already.
    """
    if isinstance(node, ast.Constant) and type(node.value) is str:
        return node.value[:300]
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) if isinstance(v, ast.Constant) else "…" for v in node.values)[:300]
    return None


#: How much of a cell's outputs the feedback page keeps, in characters.
VIEW_OUTPUT_LIMIT = 20_000


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def graded_view(nb: NotebookNode) -> tuple[dict[str, Any], ...]:
    """The notebook as graded, cell by cell, for the learner's feedback page.

    Each cell is ``{"type": "markdown" | "code", "source", "outputs": [{"kind", "text"}], "grade_id",
    "answer"}``: the learner's cells with what they printed, and the test cells with their visible part only.
    Hidden tests are left out entirely (their text, their outputs and their errors): a failed one shows only
    as its part's status and the hint in ``errors``. Outputs are plain text (ANSI colours removed, at most
    :data:`VIEW_OUTPUT_LIMIT` characters a cell); the page escapes them.
    """
    view = []
    for cell in nb.cells:
        if cell.metadata.get("hidden_of") or cell.cell_type not in ("markdown", "code"):
            continue
        meta = cell.metadata.get("nbgrader", {})
        outputs, left = [], VIEW_OUTPUT_LIMIT
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream":
                text = output.get("text", "")
            elif kind in ("execute_result", "display_data"):
                text = output.get("data", {}).get("text/plain", "")
            elif kind == "error":
                text = "\n".join(output.get("traceback") or []) or f"{output.get('ename')}: {output.get('evalue')}"
            else:
                continue
            text = _ANSI.sub("", text if isinstance(text, str) else "".join(text))[:max(left, 0)]
            left -= len(text)
            if text:
                outputs.append({"kind": "error" if kind == "error" else "stream", "text": text})
        view.append({"type": cell.cell_type, "source": str(cell.source)[:VIEW_OUTPUT_LIMIT], "outputs": outputs,
                     "grade_id": meta.get("grade_id") if meta.get("grade") or meta.get("solution") else None,
                     "answer": bool(meta.get("solution"))})
    return tuple(view)
