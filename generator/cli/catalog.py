"""`wfgen catalog sync`: the catalogue follows the English documentation."""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from ..model import PRODUCTS
from ._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    catalog_option,
    cli,
    format_option,
    print_problems,
    run_or_exit,
)


@dataclass(frozen=True)
class CatalogSyncSettings:
    """Options of ``wfgen catalog sync``."""

    sources: tuple[Path, ...]
    catalog: Path
    mode: str  # "summary" | "diff" | "write"
    product: str | None
    rev: str | None
    fmt: str = "text"  # of the summary


def _shown(side: str, path: Path) -> str:
    """A diff header's name: ``a/``/``b/`` before a relative path (for ``git apply``)."""
    return str(path) if path.is_absolute() else f"{side}/{path.as_posix()}"


# long: the summary, the diff and the write side by side, as the user reads them
def catalog_sync_command(settings: CatalogSyncSettings) -> int:
    """Compare, then summarise, diff or write; return the exit code."""
    from ..commands.catalog_sync import SyncSettings, catalog_sync

    result = run_or_exit(
        lambda: catalog_sync(
            SyncSettings(
                sources=settings.sources,
                catalog=settings.catalog,
                product=settings.product,
                rev=settings.rev,
                write=settings.mode == "write",
            )
        )
    )
    # With --diff stdout is the patch alone (for `git apply`); the findings go to stderr.
    notes = settings.mode == "diff"
    if settings.mode == "diff":
        for path, old, new in result.diffs():
            before = old.splitlines(keepends=True) if old is not None else []
            click.echo(
                "".join(
                    difflib.unified_diff(
                        before,
                        new.splitlines(keepends=True),
                        fromfile=_shown("a", path) if old is not None else "/dev/null",
                        tofile=_shown("b", path),
                    )
                ),
                nl=False,
            )
        for finding in result.findings:
            click.echo(str(finding), err=True)
    elif settings.mode == "summary" and settings.fmt != "text":
        problems = [f.to_problem() for f in result.findings]
        print_problems(problems, settings.fmt, tool_command="catalog sync")
        return EXIT_PROBLEMS if result.behind else EXIT_OK
    else:
        for product in PRODUCTS:
            mine = [f for f in result.findings if f.product == product]
            if not mine:
                continue
            counts = {
                k: sum(1 for f in mine if f.kind == k)
                for k in ("added", "dropped", "changed", "unread")
            }
            click.echo(
                f"{product}: {counts['added']} added, {counts['dropped']} dropped, "
                f"{counts['changed']} changed, {counts['unread']} schedule sentence(s) not read"
            )
            for finding in mine:
                click.echo(f"  {finding}")
    if settings.mode == "write":
        for path in result.written:
            click.echo(f"{path}: written")
        return EXIT_OK
    if result.behind:
        return EXIT_PROBLEMS
    if not notes:
        click.echo(f"ok: the catalogue follows {result.pages} page(s)")
    return EXIT_OK


@cli.group("catalog")
def catalog_group() -> None:
    """Keep the catalogue in step with the English documentation."""


@catalog_group.command("sync")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--diff",
    "mode",
    flag_value="diff",
    help="Print a unified diff of the catalogue files; exit 1 when it is behind.",
)
@click.option(
    "--write",
    "mode",
    flag_value="write",
    help="Edit the catalogue in place (ruamel.yaml round trip, atomically).",
)
@click.option(
    "--product",
    type=click.Choice(PRODUCTS),
    default=None,
    help="Product of the pages (default: each page's frontmatter or repository).",
)
@click.option(
    "--rev", default=None, metavar="REV", help="Revision of a git SOURCE to read (default: HEAD)."
)
@format_option(
    "Format of the summary: text, json, sarif (SARIF 2.1.0) or github (Actions annotations)."
)
@catalog_option
def catalog_sync_cmd(
    sources: tuple[Path, ...],
    mode: str | None,
    product: str | None,
    rev: str | None,
    fmt: str,
    catalog: Path,
) -> None:
    """Compare English pages (files, folders or a git checkout) with the catalogue.

    Without --diff or --write, a summary per product: added, dropped and changed
    workflows with page and line, and the schedule sentences that were not read.
    Exit codes: 0 in step (or written), 1 behind, 2 usage or I/O error.
    """
    if mode is not None and fmt != "text":
        raise click.UsageError(f"--format {fmt} applies to the summary, not to --{mode}")
    settings = CatalogSyncSettings(
        sources=sources, catalog=catalog, mode=mode or "summary", product=product, rev=rev, fmt=fmt
    )
    sys.exit(catalog_sync_command(settings))
