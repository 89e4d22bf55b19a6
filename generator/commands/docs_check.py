"""``wfgen docs check``: every row of localized documentation pages aligned with the
catalogue; the pages are all read before any is aligned (``docs.check_pages``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import FIX_KEY, Location, Problem

if TYPE_CHECKING:
    from ..docs.results import DocsReport

__all__ = ["DocsCheckResult", "DocsCheckSettings", "docs_check", "row_problems"]


@dataclass(frozen=True)
class DocsCheckSettings:
    """Options of ``wfgen docs check``."""

    pages: tuple[Path, ...]
    catalog: Path
    locales_dir: Path
    locale: str | None = None
    jobs: int | None = None  # None: every core
    english: Path | None = None
    strict: bool = False  # page findings that are warnings fail too
    patterns: tuple[str, ...] = ()  # file-name patterns of pages in folders (default: Markdown)


@dataclass(frozen=True)
class DocsCheckResult:
    """The report (``to_json()`` is a stable contract: docs/commands/docs-check.md) and whether it fails:
    a row not ok, or under ``strict`` a page's warning. ``report.errors`` are the pages
    that could not be read and the folders that held none."""

    report: DocsReport
    failed: bool


def docs_check(settings: DocsCheckSettings) -> DocsCheckResult:
    """Align every page with the catalogue; the English pages decide rows when given.

    Raises:
        CatalogError: when the catalogue has errors.
        InputError: when a path is missing.
    """
    from ..docs import check_pages, labels_from_po
    from ..docs.batch import available_cores
    from ..docs.folders import DEFAULT_PATTERNS, find_pages
    from ..errors import Severity
    from ..load.catalog import load_catalog

    catalog, _ = load_catalog([settings.catalog])

    def labels_for(locale: str) -> dict[str, str]:
        return labels_from_po(settings.locales_dir / locale / "LC_MESSAGES" / "workflows.po")

    found = find_pages(settings.pages, patterns=settings.patterns or DEFAULT_PATTERNS)
    report = check_pages(
        found.pages,
        catalog=catalog,
        locale=settings.locale,
        labels_for=labels_for,
        jobs=settings.jobs or available_cores(),
        optional=found.found,
    )
    report = replace(report, errors=found.empty + report.errors)
    if settings.english is not None:
        from ..docs.english import with_english

        report = with_english(report, english_dir=settings.english, catalog=catalog)
    worst = {Severity.ERROR, Severity.WARNING} if settings.strict else {Severity.ERROR}
    findings = [f for page in report.pages for f in page.findings]
    failed = not report.ok or (settings.strict and any(f.severity in worst for f in findings))
    return DocsCheckResult(report=report, failed=failed)


def _fixes(page: Any) -> dict[int, dict[str, object]]:
    """The replacement `docs fix` would make on each mismatched row, by the row's line
    (SARIF ``fixes``); none for a page that cannot be read again."""
    from ..docs.fix import plan_fix
    from ..errors import WfgenError

    if not any(r.status == "mismatch" for r in page.rows):
        return {}
    try:
        planned = plan_fix(page, page.path.read_bytes())
    except (OSError, WfgenError):
        return {}
    skipped = {s.line for s in planned.skipped}
    edits = iter(e for e in planned.edits if e.kind == "id")
    out: dict[int, dict[str, object]] = {}
    for result in page.rows:
        if result.status != "mismatch" or not result.canonical_id or result.row.line in skipped:
            continue
        edit = next(edits, None)
        if edit is None:
            break
        out[result.row.line] = {
            "line": edit.line,
            "col": edit.column,
            "end_col": edit.column + len(edit.old),
            "new": edit.new,
        }
    return out


def row_problems(report: DocsReport) -> list[Problem]:
    """Flagged rows, page findings and unreadable pages as findings, for SARIF and GitHub;
    a mismatch carries the replacement `docs fix` would make."""

    out: list[Problem] = []
    for page in report.pages:
        fixes = _fixes(page)
        for result in page.rows:
            where = Location(str(page.path), result.row.line, 1)
            row = f"row {result.row.index + 1}"
            if result.status == "mismatch":
                text = (
                    f"{row}: replace `{result.documented_id}` with `{result.canonical_id}` "
                    f"(confidence {result.confidence:.2f})"
                )
                fix = fixes.get(result.row.line)
                out.append(
                    Problem(
                        where,
                        text,
                        code="docs-mismatch",
                        subject=result.canonical_id or "",
                        extra={FIX_KEY: fix} if fix else {},
                    )
                )
            elif result.status == "unresolved":
                text = (
                    f"{row}: `{result.documented_id}` ({result.label!r}) matches no canonical "
                    "workflow with confidence"
                )
                out.append(Problem(where, text, code="docs-unresolved"))
            elif result.status == "unknown":
                from ..docs.results import UNKNOWN_HINT

                text = f"{row}: `{result.documented_id}` ({result.label!r}) is not in the catalogue"
                out.append(Problem(where, text, code="docs-unknown", hint=UNKNOWN_HINT))
        out.extend(page.findings)
    out.extend(
        Problem(Location(str(e.path)), e.message, code="docs-unreadable") for e in report.errors
    )
    return out
