"""The people-facing text report of ``wfgen docs check``."""

from __future__ import annotations

from ..errors import Severity, escape_controls, format_problem
from .results import STATUSES, UNKNOWN_HINT, DocsReport, PageReport

__all__ = ["render_text"]


def render_text(report: DocsReport, *, quiet: bool = False) -> str:
    """Every page's flagged rows with their evidence and the fix, then a one-line summary.

    With ``quiet``, only the problems: one line per flagged row, finding and unreadable page.
    """
    lines: list[str] = []
    for page in report.pages:
        for problem, line in _page(page):
            if not quiet:
                lines.append(line)
            elif problem:
                lines.append(line.lstrip())
    for error in report.errors:
        lines.append(f"error: {error.message}")
    if quiet:
        return "\n".join(lines)
    rows = [r for p in report.pages for r in p.rows]
    statuses = ", ".join(f"{sum(1 for r in rows if r.status == s)} {s}" for s in STATUSES)
    findings = [f for p in report.pages for f in p.findings]
    # Every severity printed is counted; an unreadable page is printed as an error.
    errors = len(report.errors) + sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    infos = sum(1 for f in findings if f.severity is Severity.INFO)
    lines.append(
        f"{len(report.pages)} page(s), {len(rows)} row(s): {statuses}; "
        f"{errors} error(s), {warnings} warning(s), {infos} info"
    )
    # A page named with a newline stays on its line: one line never reads as two.
    return "\n".join(escape_controls(line) for line in lines)


def _page(page: PageReport) -> list[tuple[bool, str]]:
    """The page's lines, each with whether it states a problem (what ``--quiet`` keeps)."""
    ok = sum(1 for r in page.rows if r.status == "ok")
    module = page.module or "(list of several modules)" if page.rows else "(no workflow table)"
    head = f"{page.path} [{page.locale}, {module}]: {ok}/{len(page.rows)} row(s) ok"
    lines = [(False, head)]
    for result in page.rows:
        where = f"  {page.path}:{result.row.line}: row {result.row.index + 1}"
        if result.status == "mismatch":
            only = ", order only" if result.order_only else ""
            problem = (
                f"{where}: mismatch: replace `{result.documented_id}` with "
                f"`{result.canonical_id}` (confidence {result.confidence:.2f}{only})"
            )
        elif result.status == "unresolved":
            problem = (
                f"{where}: unresolved: `{result.documented_id}` ({result.label!r}) "
                "matches no canonical workflow with confidence"
            )
        elif result.status == "unknown":
            problem = (
                f"{where}: unknown: `{result.documented_id}` ({result.label!r}) is not in the "
                f"catalogue; hint: {UNKNOWN_HINT}"
            )
        elif result.obsolete:
            lines.append(
                (
                    False,
                    f"{where}: note: `{result.canonical_id}` is obsolete"
                    + (f"; replaced by `{result.replaced_by}`" if result.replaced_by else ""),
                )
            )
            continue
        else:
            continue
        lines.append((True, problem))
        lines.extend((False, f"      - {why}") for why in result.evidence)
    if page.missing:
        lines.append((False, f"  missing from the page: {', '.join(page.missing)}"))
    lines.extend((True, f"  {format_problem(p)}") for p in page.findings)
    return lines
