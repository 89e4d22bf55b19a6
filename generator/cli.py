"""The command line: the only module that imports click, prints, or exits.

Each command parses its options into a frozen settings object and calls one library
function; errors map to exit codes in one place (``_run``):
0 success, 1 problems found (validation, check, diff), 2 usage or I/O error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import CatalogError, Problem, Severity, WfgenError, format_problem

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
DEFAULT_CATALOG = Path("catalog")

catalog_option = click.option(
    "--catalog",
    type=click.Path(path_type=Path),
    default=DEFAULT_CATALOG,
    show_default=True,
    help="Catalogue folder.",
)


def locales_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The --locales option (folder of the PO files), with the command's own help text."""
    return click.option(
        "--locales",
        "locales_dir",
        type=click.Path(path_type=Path),
        default=Path("locales"),
        show_default=True,
        help=help_text,
    )


T = TypeVar("T")


def _run(func: Callable[[], T]) -> T:
    """Call the library; turn its errors into one-line messages and exit codes."""
    try:
        return func()
    except CatalogError as err:
        _print_problems(err.problems, "text")
        sys.exit(EXIT_PROBLEMS)
    except WfgenError as err:
        click.echo(f"wfgen: error: {err}", err=True)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        click.echo("wfgen: interrupted", err=True)
        sys.exit(130)


def _print_problems(problems: list[Problem], fmt: str) -> None:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = sum(1 for p in problems if p.severity is Severity.WARNING)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "problems": [p.to_json() for p in problems],
                    "errors": errors,
                    "warnings": warnings,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    for problem in problems:
        click.echo(format_problem(problem))
    click.echo(f"{errors} error(s), {warnings} warning(s)")


def _json_dump(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wfgen", prog_name="wfgen")
def cli() -> None:
    """wfgen: one canonical catalogue of technical workflows, reconciled with localized
    documentation and rendered as scheduler configs and localized reference pages.

    Exit codes: 0 success, 1 problems found, 2 usage or I/O error.
    """


# --- validate ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidateSettings:
    """Options of ``wfgen validate``."""

    paths: tuple[Path, ...]
    fmt: str
    strict: bool


def validate_command(settings: ValidateSettings) -> int:
    """Run validation and print the report; return the exit code."""
    from .catalog import validate_paths

    problems = _run(lambda: validate_paths(list(settings.paths)))
    _print_problems(problems, settings.fmt)
    failing = {Severity.ERROR, Severity.WARNING} if settings.strict else {Severity.ERROR}
    if any(p.severity in failing for p in problems):
        return EXIT_PROBLEMS
    if settings.fmt == "text":
        files = len(
            _run(
                lambda: __import__("generator.catalog", fromlist=["discover"]).discover(
                    list(settings.paths)
                )
            )
        )
        click.echo(f"ok: {files} file(s) valid")
    return EXIT_OK


@cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def validate_cmd(paths: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """Check catalogue files (default: catalog/) and report every problem with file:line:col."""
    settings = ValidateSettings(paths=paths or (DEFAULT_CATALOG,), fmt=fmt, strict=strict)
    sys.exit(validate_command(settings))


# --- build ------------------------------------------------------------------------------


def build_command(settings: Any, *, quiet: bool) -> int:
    """Run ``wfgen build`` with ``settings`` (a ``build.BuildSettings``); return the exit code."""
    from .build import build, summary

    bar: Any = None
    show_bar = not quiet and sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if not show_bar:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="rendering", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        result = _run(lambda: build(settings, progress=progress))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for problem in result.warnings:
        if problem.severity is Severity.WARNING and not quiet:
            click.echo(format_problem(problem), err=True)
    if settings.check and result.write.differs:
        click.echo(result.write.diff, nl=False)
    if not quiet or (settings.check and result.write.differs):
        click.echo(
            summary(result, check=settings.check), err=settings.check and result.write.differs
        )
    return EXIT_PROBLEMS if settings.check and result.write.differs else EXIT_OK


@cli.command("build")
@click.option(
    "--env",
    "environments",
    multiple=True,
    metavar="NAME",
    help="Environment profile (repeatable; default: all).",
)
@click.option(
    "--locale",
    "locales",
    multiple=True,
    metavar="L",
    help="Locale (repeatable; default: every PO file plus en).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output folder.",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path),
    default=None,
    help="Your own templates (default: templates/).",
)
@catalog_option
@locales_option("PO files.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 with a diff when out/ differs.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no summary.")
def build_cmd(
    environments: tuple[str, ...],
    locales: tuple[str, ...],
    out: Path,
    templates: Path | None,
    catalog: Path,
    locales_dir: Path,
    check: bool,
    quiet: bool,
) -> None:
    """Render scheduler configs for every environment and reference pages for every locale."""
    from .build import BuildSettings

    if templates is None and Path("templates").is_dir():
        templates = Path("templates")
    settings = BuildSettings(
        catalog=catalog,
        out=out,
        templates=templates,
        locales_dir=locales_dir,
        environments=environments,
        locales=locales,
        check=check,
    )
    sys.exit(build_command(settings, quiet=quiet))


# --- sending ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SimulateSettings:
    """Options of ``wfgen sending simulate``."""

    events: Path
    efs: bool
    at: str | None
    validity_end: str | None
    fmt: str
    model: Path


def _sending_time(text: str | None, option: str) -> float | None:
    from .sending.simulate import parse_time

    if text is None:
        return None
    try:
        return parse_time(text)
    except ValueError as err:
        raise click.BadParameter(f"{text!r} is not an ISO 8601 time", param_hint=option) from err


def simulate_command(settings: SimulateSettings) -> int:
    """Run the sending simulator and print statuses and KPIs; return the exit code."""
    from .errors import InputError
    from .sending import load_model, read_events, simulate
    from .sending.simulate import format_time

    at = _sending_time(settings.at, "--at")
    end = _sending_time(settings.validity_end, "--validity-end")
    model = _run(lambda: load_model(settings.model))

    def run() -> Any:
        try:
            with settings.events.open(encoding="utf-8", newline="") as stream:
                return simulate(
                    model,
                    read_events(stream),
                    efs=settings.efs,
                    at=at,
                    validity_end=end,
                    source=str(settings.events),
                )
        except OSError as err:
            raise InputError(f"{settings.events}: cannot read: {err.strerror or err}") from err
        except UnicodeDecodeError as err:
            raise InputError(
                f"{settings.events}: not UTF-8 text ({err.reason})", hint="save the events as UTF-8"
            ) from err

    result = _run(run)

    def percent(value: float) -> str:
        return f"{value:.2f}%"

    if settings.fmt == "json":
        _json_dump(
            {
                "mode": result.mode,
                "messages": dict(result.messages()),
                "at": {"time": format_time(at), **result.at.to_json()}
                if result.at and at is not None
                else None,
                "end_of_validity": {
                    "time": format_time(result.validity_end)
                    if result.validity_end is not None
                    else None,
                    **result.final.to_json(),
                },
                "events_applied": result.events_applied,
                "skipped": [p.to_json() for p in result.skipped],
                "skipped_total": result.skipped_total,
            }
        )
    else:
        for problem in result.skipped:
            click.echo(f"{format_problem(problem)} (skipped)", err=True)
        if result.skipped_total > len(result.skipped):
            click.echo(
                f"... and {result.skipped_total - len(result.skipped)} more skipped event(s)",
                err=True,
            )
        label = "with" if settings.efs else "without"
        click.echo(f"mode: {result.mode} ({label} the Email Feedback Service)")
        for message, status in result.messages():
            click.echo(f"{message}\t{model.status(status).ui}")
        moments = (
            [("at " + format_time(at), result.at)]
            if result.at is not None and at is not None
            else []
        )
        when = format_time(result.validity_end) if result.validity_end is not None else "no events"
        moments.append((f"end of validity period ({when})", result.final))
        for name, summary in moments:
            statuses = ", ".join(f"{model.status(k).ui} {n}" for k, n in summary.statuses)
            click.echo(
                f"{name}: to deliver {summary.to_deliver}, sent {summary.sent}, "
                f"{model.kpi('delivered').ui} {percent(summary.delivered_percent)}, "
                f"{model.kpi('bounces').ui} {percent(summary.bounces_percent)} ({statuses})"
            )
        click.echo(f"{result.events_applied} event(s) applied, {result.skipped_total} skipped")
    return EXIT_PROBLEMS if result.skipped_total else EXIT_OK


@cli.group("sending")
def sending_group() -> None:
    """The sending model of 'Confirming the send' (statuses, KPIs, Email Feedback Service)."""


@sending_group.command("simulate")
@click.argument("events", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--efs/--no-efs",
    default=True,
    show_default=True,
    help="With or without the Email Feedback Service.",
)
@click.option(
    "--at",
    metavar="TIME",
    default=None,
    help="Also show the KPIs as they stood at this ISO 8601 time.",
)
@click.option(
    "--validity-end",
    metavar="TIME",
    default=None,
    help="End of the validity period; later events are skipped (default: the last event).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--model",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_CATALOG / "sending.yaml",
    show_default=True,
    help="Sending model file.",
)
def sending_simulate_cmd(
    events: Path, efs: bool, at: str | None, validity_end: str | None, fmt: str, model: Path
) -> None:
    """Apply a CSV (message_id,event,time) or JSON-lines event stream to the transition table.

    Events: relayed, delivered, hard_bounce, soft_bounce, retry_succeeded, retries_failed.
    Bad events are reported with their line number and skipped (exit 1).
    """
    settings = SimulateSettings(
        events=events, efs=efs, at=at, validity_end=validity_end, fmt=fmt, model=model
    )
    sys.exit(simulate_command(settings))


# --- l10n -------------------------------------------------------------------------------


def _l10n_settings(catalog: Path, locales_dir: Path) -> Any:
    from .l10n.update import L10nSettings

    return L10nSettings(catalog_dir=catalog, locales_dir=locales_dir)


def _l10n_paths(func: Callable[..., Any]) -> Callable[..., Any]:
    func = locales_option("Folder of workflows.pot and <locale>/LC_MESSAGES/workflows.po.")(func)
    return catalog_option(func)


def _report_writes(results: Any) -> None:
    for result in results:
        state = "updated" if result.changed else "unchanged"
        click.echo(f"{result.path}: {state} ({result.entries} entries)")


@cli.group("l10n")
def l10n_group() -> None:
    """Translator workflow: PO files of the catalogue's labels, descriptions and phrases."""


@l10n_group.command("extract")
@_l10n_paths
def l10n_extract_cmd(catalog: Path, locales_dir: Path) -> None:
    """Write the template workflows.pot from the catalogue."""
    from .l10n.update import extract

    _report_writes([_run(lambda: extract(_l10n_settings(catalog, locales_dir)))])


@l10n_group.command("init")
@click.argument("locale")
@_l10n_paths
def l10n_init_cmd(locale: str, catalog: Path, locales_dir: Path) -> None:
    """Create the PO file of LOCALE (any CLDR locale, e.g. sv, de, pt_BR)."""
    from .l10n.update import init_locale

    _report_writes([_run(lambda: init_locale(_l10n_settings(catalog, locales_dir), locale))])


@l10n_group.command("update")
@_l10n_paths
def l10n_update_cmd(catalog: Path, locales_dir: Path) -> None:
    """Merge catalogue changes into the template and every PO file."""
    from .l10n.update import update_all

    _report_writes(_run(lambda: update_all(_l10n_settings(catalog, locales_dir))))


@l10n_group.command("stats")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@_l10n_paths
def l10n_stats_cmd(fmt: str, catalog: Path, locales_dir: Path) -> None:
    """Translated / fuzzy / untranslated / obsolete entries per locale and module."""
    from .l10n.stats import stats, stats_json

    results = _run(lambda: stats(_l10n_settings(catalog, locales_dir)))
    if fmt == "json":
        _json_dump(stats_json(results))
        return
    for result in results:
        c = result.counts
        click.echo(
            f"{result.locale}: {c.translated} translated, {c.fuzzy} fuzzy, "
            f"{c.untranslated} untranslated, {c.obsolete} obsolete ({c.total} entries)"
        )
        for key in sorted(result.modules):
            m = result.modules[key]
            click.echo(
                f"  {key}: {m.translated}/{m.total} translated, {m.fuzzy} fuzzy, "
                f"{m.untranslated} untranslated, {m.obsolete} obsolete"
            )


@l10n_group.command("check")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@_l10n_paths
def l10n_check_cmd(fmt: str, catalog: Path, locales_dir: Path) -> None:
    """Check every PO file: stale entries, identifiers, numbers, encoding, markup. Exit 1 on errors."""
    from .l10n.check import check_locales

    problems = _run(lambda: check_locales(_l10n_settings(catalog, locales_dir)))
    _print_problems(problems, fmt)
    sys.exit(EXIT_PROBLEMS if any(p.severity is Severity.ERROR for p in problems) else EXIT_OK)


# --- docs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocsCheckSettings:
    """Options of ``wfgen docs check``."""

    pages: tuple[Path, ...]
    locale: str | None
    fmt: str
    catalog: Path
    locales_dir: Path


def docs_check_command(settings: DocsCheckSettings) -> int:
    """Align every page with the catalogue and print the report; return the exit code."""
    from .catalog import load_catalog
    from .docs import check_pages, labels_from_po

    catalog, _ = _run(lambda: load_catalog([settings.catalog]))

    def labels_for(locale: str) -> dict[str, str]:
        return labels_from_po(settings.locales_dir / locale / "LC_MESSAGES" / "workflows.po")

    report = _run(
        lambda: check_pages(
            list(settings.pages), catalog=catalog, locale=settings.locale, labels_for=labels_for
        )
    )
    if settings.fmt == "json":
        _json_dump(report.to_json())
    else:
        from .docs.report import render_text

        click.echo(render_text(report))
    for error in report.errors:
        click.echo(f"wfgen: error: {error.message}", err=True)
    if report.errors:
        return EXIT_USAGE
    return EXIT_OK if report.ok else EXIT_PROBLEMS


@cli.group("docs")
def docs_group() -> None:
    """Localized documentation pages: check their rows against the catalogue."""


@docs_group.command("check")
@click.argument("pages", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--locale", default=None, metavar="L", help="Locale of the pages (default: inferred per page)."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@catalog_option
@locales_option("PO files whose labels help align translated rows.")
def docs_check_cmd(
    pages: tuple[Path, ...], locale: str | None, fmt: str, catalog: Path, locales_dir: Path
) -> None:
    """Map every row of each PAGE to a canonical workflow; flag translated or unknown ids.

    Exit 0 when every row is ok, 1 when any row is a mismatch or unresolved, 2 when a page
    cannot be read (the other pages are still checked).
    """
    settings = DocsCheckSettings(
        pages=pages, locale=locale, fmt=fmt, catalog=catalog, locales_dir=locales_dir
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
@_l10n_paths
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
    entries carry an "imported from" translator comment; repaired text is marked fuzzy.
    Exit 0 when done, 2 when a page cannot be read (the others are still imported).
    """
    from .l10n.importer import ImportSettings, import_pages

    settings = ImportSettings(
        pages=pages,
        locale=locale,
        overwrite=overwrite,
        catalog_dir=catalog,
        locales_dir=locales_dir,
    )
    result = _run(lambda: import_pages(settings))
    for event in result.events:
        if verbose or event.kind != "imported":
            click.echo(str(event))
    _report_writes(result.written)
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


# --- schedule ---------------------------------------------------------------------------


@cli.group("schedule")
def schedule_group() -> None:
    """Schedules: every form (cron, systemd, Kubernetes), sentences, next runs, lint."""


def _print_explanation(found: Any) -> None:
    def lines(value: Any) -> list[str]:
        return value if isinstance(value, list) else [f"(not available: {value})"]

    where = f"environment {found.environment}" if found.environment else "no environment"
    click.echo(f"{found.id}: {found.label}")
    click.echo(f"  {where}, time zone {found.timezone}, nightly {found.nightly or 'not set'}")
    for note in found.notes:
        click.echo(f"  note: {note}")
    mark = " (English: the locale lacks a phrase)" if found.sentence.fallback else ""
    click.echo(f"  sentence ({found.locale}): {found.sentence.text}{mark}")
    for line in lines(found.cron):
        click.echo(f"  cron:       {line}")
    for line in lines(found.systemd):
        click.echo(
            f"  systemd:    OnCalendar={line}"
            if isinstance(found.systemd, list)
            else f"  systemd:    {line}"
        )
    if isinstance(found.kubernetes, dict):
        click.echo(
            f'  kubernetes: schedule: "{found.kubernetes["schedule"]}", timeZone: {found.kubernetes["timeZone"]}'
        )
    else:
        click.echo(f"  kubernetes: (not available: {found.kubernetes})")
    if isinstance(found.runs, list):
        click.echo(f"  next {len(found.runs)} run(s) in {found.timezone}:")
        for run in found.runs:
            click.echo(f"    {run.strftime('%Y-%m-%d %H:%M %a')} (UTC{run.strftime('%z')})")
    else:
        click.echo(f"  next runs: (not available: {found.runs})")


@schedule_group.command("explain")
@click.argument("workflow_id", metavar="ID")
@click.option(
    "--env",
    "environment",
    default=None,
    metavar="NAME",
    help="Environment profile (zone, nightly, overrides).",
)
@click.option(
    "--locale", default="en", show_default=True, metavar="L", help="Locale of the sentence."
)
@click.option(
    "--next",
    "count",
    type=click.IntRange(0, 10_000),
    default=5,
    show_default=True,
    help="How many next runs.",
)
@click.option(
    "--after",
    default=None,
    metavar="TIME",
    help="List runs after this ISO 8601 time (default: now).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@catalog_option
@locales_option("PO files.")
def schedule_explain_cmd(
    workflow_id: str,
    environment: str | None,
    locale: str,
    count: int,
    after: str | None,
    fmt: str,
    catalog: Path,
    locales_dir: Path,
) -> None:
    """Print a workflow's schedule as cron, systemd and Kubernetes, in words, and its next runs."""
    from datetime import UTC, datetime

    from .schedule_report import ExplainSettings, explain

    when = None
    if after is not None:
        try:
            when = datetime.fromisoformat(after)
        except ValueError:
            click.echo(f"wfgen: error: --after {after!r} is not an ISO 8601 time", err=True)
            sys.exit(EXIT_USAGE)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    settings = ExplainSettings(
        workflow_id=workflow_id,
        catalog=catalog,
        locales=locales_dir,
        environment=environment,
        locale=locale,
        count=count,
        after=when,
    )
    found = _run(lambda: explain(settings))
    if fmt == "json":
        _json_dump(found.to_json())
    else:
        _print_explanation(found)
    sys.exit(EXIT_OK)


@schedule_group.command("lint")
@click.option(
    "--env",
    "environments",
    multiple=True,
    metavar="NAME",
    help="Environment profile (repeatable; default: all).",
)
@click.option(
    "--same-minute",
    type=click.IntRange(2, 1000),
    default=3,
    show_default=True,
    help="Warn when this many workflows start in the same minute.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@catalog_option
def schedule_lint_cmd(
    environments: tuple[str, ...], same_minute: int, fmt: str, catalog: Path
) -> None:
    """Warn about clock changes, cron day surprises, short months and pile-ups; exit 1 on errors."""
    from .schedule_report import LintSettings, lint_environments

    settings = LintSettings(catalog=catalog, environments=environments, same_minute=same_minute)
    problems = _run(lambda: lint_environments(settings))
    _print_problems(problems, fmt)
    sys.exit(EXIT_PROBLEMS if any(p.severity is Severity.ERROR for p in problems) else EXIT_OK)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="wfgen")
