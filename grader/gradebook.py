"""What a graded class becomes: gradebook.csv and gradebook.json, and the table ``course grade-all`` prints."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import get_args

from grader import messages
from grader.models import Submission, SubmissionStatus
from grader.nbio import write_atomic
from grader.tables import table

#: The first columns of gradebook.csv; one column per graded part (its grade_id) follows.
BASE_COLUMNS = ("student", "assignment", "score", "max_score", "status", "seconds", "errors")


def part_columns(records: list[Submission]) -> list[str]:
    """Return the graded parts' grade ids in the order they first appear."""
    return list(dict.fromkeys(c.grade_id for r in records for c in r.cells))


def _csv_text(value: str) -> str:
    """Keep spreadsheets from reading a text cell as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def gradebook_rows(records: list[Submission]) -> tuple[list[str], list[dict[str, str]]]:
    """Return the CSV header and rows: BASE_COLUMNS, then one column per part with its points."""
    columns = [*BASE_COLUMNS, *(c for c in part_columns(records) if c not in BASE_COLUMNS)]
    rows = []
    for r in records:
        row = {"student": _csv_text(r.student), "assignment": _csv_text(r.assignment), "score": f"{r.score:g}",
               "max_score": f"{r.max_score:g}", "status": r.status, "seconds": f"{r.seconds:g}",
               "errors": _csv_text("\n\n".join(r.errors))}
        for grade_id, points in r.points.items():
            if grade_id not in BASE_COLUMNS:
                row[grade_id] = f"{points:g}"
        rows.append(row)
    return columns, rows


def write_gradebook(records: list[Submission], out: Path, *, seconds: float = 0.0) -> tuple[Path, Path]:
    """Write ``out/gradebook.csv`` and ``out/gradebook.json``; return their paths.

    gradebook.json holds ``columns`` (the CSV's), ``max_points`` (assignment -> grade_id -> the
    part's points), ``submissions`` (each record: the CSV's keys with ``errors`` as a list and
    numbers as numbers, plus ``path``, ``feedback`` and ``cells``) and ``seconds``.
    """
    columns, rows = gradebook_rows(records)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    max_points: dict[str, dict[str, float]] = {}
    for r in records:
        for c in r.cells:
            max_points.setdefault(r.assignment, {})[c.grade_id] = c.max_points
    book = {"schema_version": 1, "columns": columns, "max_points": max_points,
            "submissions": [r.to_dict() for r in records], "seconds": round(seconds, 2)}
    csv_path, json_path = out / "gradebook.csv", out / "gradebook.json"
    write_atomic(csv_path, buffer.getvalue())
    write_atomic(json_path, json.dumps(book, indent=1, ensure_ascii=False) + "\n")
    return csv_path, json_path


def format_class_table(records: list[Submission], *, seconds: float | None = None) -> str:
    """Return the bilingual one-line-per-student table ``course grade-all`` prints.

    Args:
        records: the grades.
        seconds: the run's wall-clock time for the summary line (default: the grades' total).
    """
    head = [messages.one_line(f"gradeall.col.{k}") for k in ("student", "assignment", "score", "status")]
    rows = [[r.student, r.assignment, f"{r.score:g} / {r.max_score:g}",
             messages.one_line(f"gradeall.status.{r.status}")] for r in records]
    lines = table(head, rows, ("left", "left", "right", "left")).splitlines()
    counts = {s: sum(r.status == s for r in records) for s in get_args(SubmissionStatus)}
    total_s = sum(r.seconds for r in records) if seconds is None else seconds
    lines += ["", messages.one_line("gradeall.summary", total=len(records), seconds=total_s, **counts)]
    return "\n".join(lines)
