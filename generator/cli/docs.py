"""`wfgen docs`."""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click

from ..errors import Location, Problem
from ._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    catalog_option,
    cli,
    failing,
    format_option,
    json_dump,
    l10n_paths,
    locales_option,
    print_problems,
    report_writes,
    run_or_exit,
    strict_option,
)
from .completers import (
    complete_locales,
)

# --- docs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocsCheckSettings:
    """Options of ``wfgen docs check``."""

    pages: tuple[Path, ...]
    locale: str | None
    fmt: str
    catalog: Path
    locales_dir: Path
    jobs: int | None = None  # None: every core
    english: Path | None = None
    strict: bool = False  # page findings that are warnings fail too
    patterns: tuple[str, ...] = ()  # file-name patterns of pages in folders (default: Markdown)
    quiet: bool = False


def docs_check_command(settings: DocsCheckSettings) -> int:
    """Align every page with the catalogue and print the report; return the exit code."""
    from ..docs import check_pages, labels_from_po
    from ..docs.batch import available_cores
    from ..docs.folders import DEFAULT_PATTERNS, find_pages
    from ..load.catalog import load_catalog

    catalog, _ = run_or_exit(lambda: load_catalog([settings.catalog]))

    def labels_for(locale: str) -> dict[str, str]:
        return labels_from_po(settings.locales_dir / locale / "LC_MESSAGES" / "workflows.po")

    found = run_or_exit(
        lambda: find_pages(settings.pages, patterns=settings.patterns or DEFAULT_PATTERNS)
    )
    report = run_or_exit(
        lambda: check_pages(
            found.pages,
            catalog=catalog,
            locale=settings.locale,
            labels_for=labels_for,
            jobs=settings.jobs or available_cores(),
            optional=found.found,
        )
    )
    report = replace(report, errors=found.empty + report.errors)
    if settings.english is not None:
        from ..docs.english import with_english

        english = settings.english
        report = run_or_exit(lambda: with_english(report, english_dir=english, catalog=catalog))
    if settings.fmt == "json":
        json_dump(report.to_json())
    elif settings.fmt in ("sarif", "github"):
        print_problems(_row_problems(report), settings.fmt, tool_command="docs check")
    else:
        from ..docs.report import render_text

        text = render_text(report, quiet=settings.quiet)
        if text:
            click.echo(text)
    for error in report.errors:
        click.echo(f"wfgen: error: {error.message}", err=True)
    if report.errors:
        return EXIT_USAGE
    findings = [f for page in report.pages for f in page.findings]
    if not report.ok or (settings.strict and failing(findings, strict=True)):
        return EXIT_PROBLEMS
    return EXIT_OK


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


def _row_problems(report: Any) -> list[Problem]:
    """Flagged rows, page findings and unreadable pages as findings, for SARIF and GitHub;
    a mismatch carries the replacement `docs fix` would make."""
    from ..report_formats import FIX_KEY

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
                        subject=result.canonical_id,
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


english_option = click.option(
    "--english",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    metavar="DIR",
    help="English documentation: a git checkout (or a folder of <commit>_<name>.md snapshots); "
    "the English page at each page's source-git-commit decides its rows.",
)


glob_option = click.option(
    "--glob",
    "patterns",
    multiple=True,
    metavar="PATTERN",
    help="File-name pattern of the pages searched in a folder (repeatable; default: "
    "*.md and *.markdown). A folder where no file matches is an error (exit 2).",
)
quiet_option = click.option(
    "--quiet", "-q", is_flag=True, help="Print only the problems, one line each; no summary."
)


@cli.group("docs")
def docs_group() -> None:
    """Localized documentation pages: check their rows against the catalogue."""


@docs_group.command("check")
@click.argument("pages", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--locale",
    default=None,
    metavar="L",
    shell_complete=complete_locales,
    help="Locale of the pages (default: inferred per page).",
)
@format_option()
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Worker processes (default: one per core).",
)
@glob_option
@quiet_option
@english_option
@strict_option
@catalog_option
@locales_option("PO files whose labels help align translated rows.")
def docs_check_cmd(
    pages: tuple[Path, ...],
    locale: str | None,
    fmt: str,
    jobs: int | None,
    patterns: tuple[str, ...],
    quiet: bool,
    english: Path | None,
    strict: bool,
    catalog: Path,
    locales_dir: Path,
) -> None:
    """Map every row of each PAGE to a canonical workflow; flag translated or unknown ids.

    A PAGE that is a folder is searched recursively for Markdown pages (*.md, *.markdown;
    --glob for others); those without a table of workflows are left out. A row whose id is
    in no catalogue, with nothing saying it translates one, is `unknown`. Exit 0 when every
    row is ok, 1 when any row is a mismatch, unresolved or unknown (or, with --strict, when a
    page has a warning), 2 when a page cannot be read or a folder holds no page (the other
    pages are still checked).
    """
    settings = DocsCheckSettings(
        pages=pages,
        locale=locale,
        fmt=fmt,
        catalog=catalog,
        locales_dir=locales_dir,
        jobs=jobs,
        english=english,
        strict=strict,
        patterns=patterns,
        quiet=quiet,
    )
    sys.exit(docs_check_command(settings))


# --- docs import (l10n) -----------------------------------------------------------------


@docs_group.command("import")
@click.argument("pages", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--locale",
    default=None,
    metavar="L",
    shell_complete=complete_locales,
    help="Locale of the pages (default: inferred per page).",
)
@click.option(
    "--overwrite", is_flag=True, help="Replace existing translations that differ from the page."
)
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="List every imported entry, not only what needs attention.",
)
@l10n_paths
def docs_import_cmd(
    pages: tuple[Path, ...],
    locale: str | None,
    overwrite: bool,
    verbose: bool,
    catalog: Path,
    locales_dir: Path,
) -> None:
    """Write each PAGE's labels and descriptions into its locale's PO file, under canonical ids.

    Existing translations are kept (reported as conflicts) unless --overwrite; imported
    entries carry an "imported from" translator comment. Repaired text, and entries two
    pages translate differently, await review: fuzzy plus a "(review)" comment, so Poedit
    and Weblate show them as needing work; the build still uses them.
    Exit 0 when done, 1 when no row gave a label or description (every row unresolved,
    unknown or skipped; already so translated counts as given), 2 when a page cannot be read (the others are still imported).
    """
    from ..docs.folders import unique_pages
    from ..docs.importer import ImportSettings, import_pages

    settings = ImportSettings(
        pages=tuple(unique_pages(pages)),
        locale=locale,
        overwrite=overwrite,
        catalog_dir=catalog,
        locales_dir=locales_dir,
    )
    result = run_or_exit(lambda: import_pages(settings))
    for event in result.events:
        if verbose or event.kind not in ("imported", "unchanged"):
            click.echo(str(event))
    report_writes(result.written)
    kinds = (
        "imported",
        "unchanged",
        "replaced",
        "alternative",
        "conflict",
        "unresolved",
        "unknown",
        "skipped",
        "untranslated",
    )
    click.echo(", ".join(f"{result.count(k)} {k}" for k in kinds))
    for error in result.errors:
        click.echo(f"wfgen: error: {error}", err=True)
    if result.errors:
        sys.exit(EXIT_USAGE)
    # Fixed words (table headers, a page title) alone are not what an import is asked for.
    taken = ("imported", "unchanged", "replaced", "alternative")
    if not any(
        e.kind in taken and not e.context.startswith(("ui|", "module|")) for e in result.events
    ):
        click.echo(
            "wfgen: nothing imported: no row of the pages gave a workflow's label or "
            "description; hint: see the unresolved, unknown and skipped rows above",
            err=True,
        )
        sys.exit(EXIT_PROBLEMS)
    sys.exit(EXIT_OK)
