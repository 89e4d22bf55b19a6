"""`wfgen docs`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..commands.docs_check import DocsCheckSettings, docs_check, row_problems
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
    strict_option,
)
from .completers import (
    complete_locales,
)

# --- docs -------------------------------------------------------------------------------


def docs_check_command(settings: DocsCheckSettings, *, fmt: str, quiet: bool) -> int:
    """Align every page with the catalogue and print the report; return the exit code."""
    result = run_or_exit(lambda: docs_check(settings))
    report = result.report
    if fmt == "json":
        json_dump(report.to_json())
    elif fmt in ("sarif", "github"):
        print_problems(row_problems(report), fmt, tool_command="docs check")
    else:
        from ..docs.report import render_text

        text = render_text(report, quiet=quiet)
        if text:
            click.echo(text)
    for error in report.errors:
        click.echo(f"wfgen: error: {error.message}", err=True)
    if report.errors:
        return EXIT_USAGE
    return EXIT_PROBLEMS if result.failed else EXIT_OK


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
        catalog=catalog,
        locales_dir=locales_dir,
        locale=locale,
        jobs=jobs,
        english=english,
        strict=strict,
        patterns=patterns,
    )
    sys.exit(docs_check_command(settings, fmt=fmt, quiet=quiet))


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
    from ..commands.docs_import import ImportSettings, import_pages

    settings = ImportSettings(
        pages=pages,
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
