"""The people-facing text report of ``wfgen docs check``."""

from __future__ import annotations

from ..errors import escape_controls, format_problem
from .results import DocsReport, PageReport

__all__ = ["render_text"]


def render_text(report: DocsReport) -> str:
    """Every page's flagged rows with their evidence and the fix, then a one-line summary."""
    lines: list[str] = []
    for page in report.pages:
        lines.extend(_page(page))
    for error in report.errors:
        lines.append(f"error: {error.message}")
    rows = [r for p in report.pages for r in p.rows]
    flagged = sum(1 for r in rows if r.status != "ok")
    lines.append(
        f"{len(report.pages)} page(s), {len(rows)} row(s): {len(rows) - flagged} ok, "
        f"{sum(1 for r in rows if r.status == 'mismatch')} mismatch, "
        f"{sum(1 for r in rows if r.status == 'unresolved')} unresolved, "
        f"{len(report.errors)} error(s)"
    )
    # A page named with a newline stays on its line: one line never reads as two.
    return "\n".join(escape_controls(line) for line in lines)


def _page(page: PageReport) -> list[str]:
    ok = sum(1 for r in page.rows if r.status == "ok")
    module = page.module or "(list of several modules)" if page.rows else "(no workflow table)"
    head = f"{page.path} [{page.locale}, {module}]: {ok}/{len(page.rows)} row(s) ok"
    lines = [head]
    for result in page.rows:
        where = f"  {page.path}:{result.row.line}: row {result.row.index + 1}"
        if result.status == "mismatch":
            lines.append(
                f"{where}: mismatch: replace `{result.documented_id}` with "
                f"`{result.canonical_id}` (confidence {result.confidence:.2f})"
            )
        elif result.status == "unresolved":
            lines.append(
                f"{where}: unresolved: `{result.documented_id}` ({result.label!r}) "
                "matches no canonical workflow with confidence"
            )
        elif result.obsolete:
            lines.append(
                f"{where}: note: `{result.canonical_id}` is obsolete"
                + (f"; replaced by `{result.replaced_by}`" if result.replaced_by else "")
            )
            continue
        else:
            continue
        lines.extend(f"      - {why}" for why in result.evidence)
    if page.missing:
        lines.append(f"  missing from the page: {', '.join(page.missing)}")
    lines.extend(f"  {format_problem(p)}" for p in page.findings)
    return lines
