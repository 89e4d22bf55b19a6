"""`wfgen docs fix`: replace translated ids by canonical ones in localized source pages."""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from ._common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, catalog_option, locales_option, run_or_exit
from .completers import complete_locales
from .docs import docs_group, english_option, glob_option, quiet_option


@dataclass(frozen=True)
class DocsFixSettings:
    """Options of ``wfgen docs fix``."""

    pages: tuple[Path, ...]
    mode: str  # "list" | "diff" | "write"
    locale: str | None
    english: Path | None
    catalog: Path
    locales_dir: Path
    repair_text: bool = False
    patterns: tuple[str, ...] = ()  # file-name patterns of pages in folders (default: Markdown)
    quiet: bool = False
    accept_order: bool = False


def docs_fix_command(settings: DocsFixSettings) -> int:
    """Plan every page's fix, then list, diff or write it; return the exit code."""
    from ..docs import labels_from_po
    from ..docs.fix import fix_pages, write_atomically
    from ..docs.folders import DEFAULT_PATTERNS, find_pages
    from ..load.catalog import load_catalog

    catalog, _ = run_or_exit(lambda: load_catalog([settings.catalog]))

    def labels_for(locale: str) -> dict[str, str]:
        return labels_from_po(settings.locales_dir / locale / "LC_MESSAGES" / "workflows.po")

    refine = None
    if settings.english is not None:
        from ..docs.english import english_refiner

        refine = english_refiner(settings.english, catalog)
    found = run_or_exit(
        lambda: find_pages(settings.pages, patterns=settings.patterns or DEFAULT_PATTERNS)
    )
    result = run_or_exit(
        lambda: fix_pages(
            list(found.pages),
            optional=found.found,
            catalog=catalog,
            locale=settings.locale,
            labels_for=labels_for,
            refine=refine,
            repair_text=settings.repair_text,
            accept_order=settings.accept_order,
        )
    )
    # In --diff mode stdout is the patch alone, so it can be piped to `git apply`.
    notes = settings.mode == "diff"
    pending = False
    for page in result.pages:
        if settings.mode == "diff":
            click.echo(page.diff(), nl=False)
        else:
            for edit in page.edits:
                what = "replace" if edit.kind == "id" else "repair"
                click.echo(
                    f"{page.path}:{edit.line}:{edit.column}: {what} `{edit.old}` with `{edit.new}`"
                )
        if settings.mode == "write" and page.changed:
            run_or_exit(functools.partial(write_atomically, page.path, page.fixed))
            if not settings.quiet:
                click.echo(f"{page.path}: {len(page.edits)} change(s) written", err=notes)
        for skip in page.skipped:
            click.echo(
                f"{page.path}:{skip.line}: left as is: `{skip.documented_id}`: {skip.reason}",
                err=notes,
            )
        pending = pending or (page.changed and settings.mode != "write") or bool(page.skipped)
    edits = [e for p in result.pages for e in p.edits]
    ids = sum(1 for e in edits if e.kind == "id")
    left = sum(len(p.skipped) for p in result.pages)
    verb = "replaced" if settings.mode == "write" else "to replace"
    repairs = f", {len(edits) - ids} text repair(s)" if settings.repair_text else ""
    if not settings.quiet:
        click.echo(
            f"{len(result.pages)} page(s): {ids} id(s) {verb}{repairs}, {left} row(s) left as is",
            err=notes,
        )
    for error in (*found.empty, *result.errors):
        click.echo(f"wfgen: error: {error.message}", err=True)
    if result.errors or found.empty:
        return EXIT_USAGE
    return EXIT_PROBLEMS if pending else EXIT_OK


@docs_group.command("fix")
@click.argument("pages", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--write",
    "mode",
    flag_value="write",
    help="Write the corrected pages (atomically, each page whole or not at all).",
)
@click.option(
    "--diff",
    "mode",
    flag_value="diff",
    help="Print a unified diff of the corrections on stdout; write nothing.",
)
@click.option(
    "--locale",
    default=None,
    metavar="L",
    shell_complete=complete_locales,
    help="Locale of the pages (default: inferred per page).",
)
@click.option(
    "--repair-text",
    is_flag=True,
    help="Also repair the encoding damage and leftover numeric entities the check reports.",
)
@glob_option
@quiet_option
@click.option(
    "--accept-order",
    is_flag=True,
    help="Also replace ids that only the documented order decides (nothing on the row names "
    "the workflow); left as is by default.",
)
@english_option
@catalog_option
@locales_option("PO files whose labels help align translated rows.")
def docs_fix_cmd(
    pages: tuple[Path, ...],
    mode: str | None,
    locale: str | None,
    repair_text: bool,
    patterns: tuple[str, ...],
    quiet: bool,
    accept_order: bool,
    english: Path | None,
    catalog: Path,
    locales_dir: Path,
) -> None:
    """Replace, on each row `docs check` reports as a mismatch, the documented id by the
    canonical one; no other byte of the page changes. Unresolved rows are listed, never touched,
    and so are rows that only the documented order maps (unless --accept-order).

    A PAGE that is a folder is searched as `docs check` searches it (--glob).
    Without --write or --diff the replacements are listed and nothing is written;
    --quiet leaves out the summary and the pages written.
    Exit 0 when no page needs a change (after --write: when no row is left unresolved),
    1 when a page would change or rows are left, 2 when a page cannot be read or written or a
    folder holds no page.
    """
    settings = DocsFixSettings(
        pages=pages,
        mode=mode or "list",
        locale=locale,
        english=english,
        catalog=catalog,
        locales_dir=locales_dir,
        repair_text=repair_text,
        patterns=patterns,
        quiet=quiet,
        accept_order=accept_order,
    )
    sys.exit(docs_fix_command(settings))
