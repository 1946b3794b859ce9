"""Write build/report.json and build/report.md from a course run (slowest first)."""

from __future__ import annotations

import json
from pathlib import Path

from grader.models import RunResult


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
    lines = [
        "# 실행 보고서 / Course run report",
        "",
        "| 노트북 / notebook | 커널 / kernel | 상태 / status | 초 / s | 예산 / budget s | 최대 메모리 / peak MB | 비고 / notes |",
        "| --- | --- | --- | ---: | ---: | ---: | --- |",
    ]
    for r in sorted(results, key=lambda r: -r.seconds):
        notes = []
        if r.error:
            notes.append(r.error.replace("\n", " ").replace("|", "\\|")[:300])
        if r.status == "ok" and r.seconds > 0.8 * r.budget_s:
            notes.append("예산의 80% 초과 / over 80% of budget")
        if r.warnings:
            notes.append(f"{len(r.warnings)} deprecation warnings")
        lines.append(f"| {r.path} | {r.kernel} | {r.status} | {r.seconds:.1f} | {r.budget_s:.0f} | "
                     f"{r.peak_rss_mb:.0f} | {'; '.join(notes)} |")
    total = sum(r.seconds for r in results)
    lines += ["", f"합계 / total: {len(results)} notebooks, {total:.1f} s of notebook time", ""]
    return "\n".join(lines)
