"""`wfgen docs`."""

from __future__ import annotations

import sys
from dataclasses import dataclass
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
    format_option,
    json_dump,
    l10n_paths,
    locales_option,
    print_problems,
    report_writes,
    run_or_exit,
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


def docs_check_command(settings: DocsCheckSettings) -> int:
    """Align every page with the catalogue and print the report; return the exit code."""
    from ..docs import check_pages, labels_from_po
    from ..docs.batch import available_cores
    from ..docs.pages import find_pages
    from ..load.catalog import load_catalog

    catalog, _ = run_or_exit(lambda: load_catalog([settings.catalog]))

    def labels_for(locale: str) -> dict[str, str]:
        return labels_from_po(settings.locales_dir / locale / "LC_MESSAGES" / "workflows.po")

    pages, found = run_or_exit(lambda: find_pages(settings.pages))
    report = run_or_exit(
        lambda: check_pages(
            pages,
            catalog=catalog,
            locale=settings.locale,
            labels_for=labels_for,
            jobs=settings.jobs or available_cores(),
            optional=found,
        )
    )
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

        click.echo(render_text(report))
    for error in report.errors:
        click.echo(f"wfgen: error: {error.message}", err=True)
    if report.errors:
        return EXIT_USAGE
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def _row_problems(report: Any) -> list[Problem]:
    """Flagged rows, page findings and unreadable pages as findings, for SARIF and GitHub."""
    out: list[Problem] = []
    for page in report.pages:
        for result in page.rows:
            where = Location(str(page.path), result.row.line, 1)
            row = f"row {result.row.index + 1}"
            if result.status == "mismatch":
                text = (
                    f"{row}: replace `{result.documented_id}` with `{result.canonical_id}` "
                    f"(confidence {result.confidence:.2f})"
                )
                out.append(Problem(where, text, code="docs-mismatch", subject=result.canonical_id))
            elif result.status == "unresolved":
                text = (
                    f"{row}: `{result.documented_id}` ({result.label!r}) matches no canonical "
                    "workflow with confidence"
                )
                out.append(Problem(where, text, code="docs-unresolved"))
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


@cli.group("docs")
def docs_group() -> None:
    """Localized documentation pages: check their rows against the catalogue."""


@docs_group.command("check")
@click.argument("pages", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--locale", default=None, metavar="L", help="Locale of the pages (default: inferred per page)."
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
@english_option
@catalog_option
@locales_option("PO files whose labels help align translated rows.")
def docs_check_cmd(
    pages: tuple[Path, ...],
    locale: str | None,
    fmt: str,
    jobs: int | None,
    english: Path | None,
    catalog: Path,
    locales_dir: Path,
) -> None:
    """Map every row of each PAGE to a canonical workflow; flag translated or unknown ids.

    A PAGE that is a folder is searched recursively for Markdown pages (*.md, *.markdown);
    those without a table of workflows are left out. Exit 0 when every row is ok, 1 when any
    row is a mismatch or unresolved, 2 when a page cannot be read (the other pages are still
    checked).
    """
    settings = DocsCheckSettings(
        pages=pages,
        locale=locale,
        fmt=fmt,
        catalog=catalog,
        locales_dir=locales_dir,
        jobs=jobs,
        english=english,
    )
    sys.exit(docs_check_command(settings))


# --- docs import (l10n) -----------------------------------------------------------------


@docs_group.command("import")
@click.argument("pages", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--locale", default=None, metavar="L", help="Locale of the pages (default: inferred per page)."
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
    Exit 0 when done, 2 when a page cannot be read (the others are still imported).
    """
    from ..docs.importer import ImportSettings, import_pages
    from ..docs.pages import unique_pages

    settings = ImportSettings(
        pages=tuple(unique_pages(pages)),
        locale=locale,
        overwrite=overwrite,
        catalog_dir=catalog,
        locales_dir=locales_dir,
    )
    result = run_or_exit(lambda: import_pages(settings))
    for event in result.events:
        if verbose or event.kind != "imported":
            click.echo(str(event))
    report_writes(result.written)
    kinds = (
        "imported",
        "replaced",
        "alternative",
        "conflict",
        "unresolved",
        "skipped",
        "untranslated",
    )
    click.echo(", ".join(f"{result.count(k)} {k}" for k in kinds))
    for error in result.errors:
        click.echo(f"wfgen: error: {error}", err=True)
    sys.exit(EXIT_USAGE if result.errors else EXIT_OK)
