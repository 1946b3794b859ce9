"""Write build/report.json and build/report.md from a course run (slowest first)."""

from __future__ import annotations

import json
from pathlib import Path

from grader import messages
from grader.models import RunResult

#: The report's columns (catalogue keys ``report.col.*``), in order.
_COLUMNS = ("notebook", "kernel", "status", "seconds", "budget", "peak", "notes")
#: A notebook that used more than this share of its budget is flagged: on a slower machine it may time out.
OVER_BUDGET = 0.8


def write_report(results: list[RunResult], folder: Path) -> tuple[Path, Path]:
    """Write the run's JSON record and its Markdown table into `folder`.

    Args:
        results: one record per notebook.
        folder: usually build/.

    Returns:
        The paths of report.json and report.md.
    """
    folder.mkdir(parents=True, exist_ok=True)
    json_path, md_path = folder / "report.json", folder / "report.md"
    json_path.write_text(json.dumps([r.to_dict() for r in results], indent=1, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    md_path.write_text(render_markdown(results), encoding="utf-8")
    return json_path, md_path


def render_markdown(results: list[RunResult]) -> str:
    """Return the report as a Markdown table, slowest notebook first."""
    columns = [messages.one_line(f"report.col.{k}") for k in _COLUMNS]
    lines = [f"# {messages.one_line('report.title')}", "", f"| {' | '.join(columns)} |",
             "| --- | --- | --- | ---: | ---: | ---: | --- |"]
    for r in sorted(results, key=lambda r: -r.seconds):
        notes = []
        if r.error:
            notes.append(r.error.replace("\n", " ").replace("|", "\\|")[:300])
        if r.status == "ok" and r.seconds > OVER_BUDGET * r.budget_s:
            notes.append(messages.one_line("report.near_budget", percent=round(100 * OVER_BUDGET)))
        if r.warnings:
            notes.append(messages.one_line("report.warnings", count=len(r.warnings)))
        lines.append(f"| {r.path} | {r.kernel} | {r.status} | {r.seconds:.1f} | {r.budget_s:.0f} | "
                     f"{r.peak_rss_mb:.0f} | {'; '.join(notes)} |")
    total = sum(r.seconds for r in results)
    lines += ["", messages.one_line("report.total", count=len(results), seconds=total), ""]
    return "\n".join(lines)
