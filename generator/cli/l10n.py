"""`wfgen l10n`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    cli,
    failing,
    format_option,
    json_dump,
    l10n_paths,
    print_problems,
    report_writes,
    run_or_exit,
    strict_option,
)
from .completers import (
    complete_locales,
    complete_new_locale,
)

# --- l10n -------------------------------------------------------------------------------


def _l10n_settings(catalog: Path, locales_dir: Path) -> Any:
    from ..commands.l10n import L10nSettings

    return L10nSettings(catalog_dir=catalog, locales_dir=locales_dir)


@cli.group("l10n")
def l10n_group() -> None:
    """Translator workflow: PO files of the catalogue's labels, descriptions and phrases."""


@l10n_group.command("extract")
@l10n_paths
def l10n_extract_cmd(catalog: Path, locales_dir: Path) -> None:
    """Write the template workflows.pot from the catalogue."""
    from ..commands.l10n import extract

    report_writes([run_or_exit(lambda: extract(_l10n_settings(catalog, locales_dir)))])


@l10n_group.command("init")
@click.argument("locale", shell_complete=complete_new_locale)
@l10n_paths
def l10n_init_cmd(locale: str, catalog: Path, locales_dir: Path) -> None:
    """Create the PO file of LOCALE (any CLDR locale, e.g. sv, de, pt_BR)."""
    from ..commands.l10n import init_locale

    report_writes([run_or_exit(lambda: init_locale(_l10n_settings(catalog, locales_dir), locale))])


@l10n_group.command("update")
@l10n_paths
def l10n_update_cmd(catalog: Path, locales_dir: Path) -> None:
    """Merge catalogue changes into the template and every PO file."""
    from ..commands.l10n import update_all

    report_writes(run_or_exit(lambda: update_all(_l10n_settings(catalog, locales_dir))))


_LOCALE_OPTION = click.option(
    "--locale",
    "locales",
    multiple=True,
    metavar="L",
    shell_complete=complete_locales,
    help="Only this locale (repeatable); default: every locale with a PO file.",
)


@l10n_group.command("stats")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@_LOCALE_OPTION
@l10n_paths
def l10n_stats_cmd(fmt: str, locales: tuple[str, ...], catalog: Path, locales_dir: Path) -> None:
    """Translated / fuzzy / untranslated / obsolete entries per locale and module.

    Entries awaiting review are fuzzy (as Poedit and Weblate show them) and counted apart.
    """
    from ..commands.l10n import LocalesSettings, stats
    from ..l10n.stats import stats_json

    settings = LocalesSettings(_l10n_settings(catalog, locales_dir), locales)
    results = run_or_exit(lambda: stats(settings))
    if fmt == "json":
        json_dump(stats_json(results))
        return
    for result in results:
        c = result.counts
        click.echo(
            f"{result.locale}: {c.to_json()['percent']} % complete: "
            f"{c.translated} translated, {c.fuzzy} fuzzy, "
            f"{c.untranslated} untranslated, {c.obsolete} obsolete ({c.total} entries; "
            f"{c.review} of the fuzzy ones await review)"
        )
        for key in sorted(result.modules):
            m = result.modules[key]
            click.echo(
                f"  {key}: {m.translated}/{m.total} translated, {m.fuzzy} fuzzy, "
                f"{m.untranslated} untranslated, {m.obsolete} obsolete"
            )


@l10n_group.command("check")
@format_option()
@strict_option
@_LOCALE_OPTION
@l10n_paths
def l10n_check_cmd(
    fmt: str, strict: bool, locales: tuple[str, ...], catalog: Path, locales_dir: Path
) -> None:
    """Check every PO file: stale entries, identifiers, numbers, encoding, markup. Exit 1 on
    errors (and on warnings with --strict)."""
    from ..commands.l10n import LocalesSettings, check

    settings = LocalesSettings(_l10n_settings(catalog, locales_dir), locales)
    problems = run_or_exit(lambda: check(settings))
    print_problems(problems, fmt)
    sys.exit(EXIT_PROBLEMS if failing(problems, strict=strict) else EXIT_OK)


@l10n_group.command("glossary")
@click.option(
    "--format", "fmt", type=click.Choice(["tbx", "csv"]), default="tbx", show_default=True
)
@_LOCALE_OPTION
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@l10n_paths
def l10n_glossary_cmd(
    fmt: str, locales: tuple[str, ...], output: Path | None, catalog: Path, locales_dir: Path
) -> None:
    """Export the terms MT engines and CAT tools must respect, as TBX or CSV.

    Every canonical id, placeholder and product name is a do-not-translate term (the same
    in every language); module names, table words, column headers, sending statuses and
    KPIs carry their translation per locale. CSV for one locale is `source,target` rows
    (DeepL, Google unidirectional glossaries); for several, a header of language codes
    (Google equivalent-term sets).
    """
    from ..commands.l10n import GlossarySettings, glossary

    settings = GlossarySettings(_l10n_settings(catalog, locales_dir), locales, fmt, output)
    result = run_or_exit(lambda: glossary(settings))
    if result.output is None:
        click.echo(result.data.decode("utf-8"), nl=False)
        return
    click.echo(f"{result.output}: {len(result.terms)} terms", err=True)
