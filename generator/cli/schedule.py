"""`wfgen schedule`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    catalog_option,
    cli,
    environments_option,
    failing,
    format_option,
    json_dump,
    locales_option,
    print_problems,
    run_as,
    run_or_exit,
    strict_option,
)
from .completers import (
    complete_environments,
    complete_locales,
    complete_workflows,
)

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
    if not found.scheduled:
        click.echo(f"  not scheduled: {found.reason}")
        click.echo("  next runs: none")
    elif isinstance(found.runs, list):
        _print_runs(found)
    else:
        click.echo(f"  next runs: (not available: {found.runs})")


def _print_runs(found: Any) -> None:
    """Each scheduler's next runs; an instant not every scheduler fires at names those that do."""
    from datetime import UTC

    by = found.by_scheduler or {"model": found.runs}
    instants: dict[Any, tuple[Any, list[str]]] = {}
    for name, runs in by.items():
        for run in runs:  # keyed by the UTC instant: 02:00 happens twice on a fold
            instants.setdefault(run.astimezone(UTC), (run, []))[1].append(name)
    click.echo(f"  next {len(found.runs)} run(s) in {found.timezone}:")
    for key in sorted(instants):
        run, names = instants[key]
        # A scheduler whose listed runs end before this instant says nothing about it.
        absent = [n for n in by if n not in names and by[n] and by[n][-1].astimezone(UTC) > key]
        who = f"  {', '.join(names)} only" if absent else ""
        click.echo(f"    {run.strftime('%Y-%m-%d %H:%M %a')} (UTC{run.strftime('%z')}){who}")
    for difference in found.differences:
        click.echo(f"  note: {difference.note}")


@schedule_group.command("explain")
@click.argument("workflow_id", metavar="ID", shell_complete=complete_workflows)
@click.option(
    "--env",
    "environment",
    default=None,
    metavar="NAME",
    shell_complete=complete_environments,
    help="Environment profile (zone, nightly, overrides).",
)
@click.option(
    "--locale",
    default="en",
    show_default=True,
    metavar="L",
    shell_complete=complete_locales,
    help="Locale of the sentence.",
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

    from ..commands.schedule import ExplainSettings, explain

    when = None
    if after is not None:
        try:
            when = datetime.fromisoformat(after)
        except ValueError:
            click.echo(f"wfgen: error: --after {after!r} is not an ISO 8601 time", err=True)
            sys.exit(EXIT_USAGE)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        try:
            when.astimezone(UTC)
        except OverflowError:
            click.echo(
                f"wfgen: error: --after {after!r} is outside the times there are "
                "(0001-01-01T00:00:00 to 9999-12-31T23:59:59 UTC)",
                err=True,
            )
            sys.exit(EXIT_USAGE)
    settings = ExplainSettings(
        workflow_id=workflow_id,
        catalog=catalog,
        locales=locales_dir,
        environment=environment,
        locale=locale,
        count=count,
        after=when,
    )
    found = run_or_exit(lambda: explain(settings))
    if fmt == "json":
        json_dump(found.to_json())
    else:
        _print_explanation(found)
    sys.exit(EXIT_OK)


@schedule_group.command("lint")
@environments_option
@click.option(
    "--same-minute",
    type=click.IntRange(2, 1000),
    default=3,
    show_default=True,
    help="Warn when this many workflows start in the same minute.",
)
@format_option()
@strict_option
@catalog_option
def schedule_lint_cmd(
    environments: tuple[str, ...], same_minute: int, fmt: str, strict: bool, catalog: Path
) -> None:
    """Warn about clock changes, cron day surprises, short months and pile-ups; exit 1 on
    errors (and on warnings with --strict)."""
    from ..commands.schedule import LintSettings, lint_environments

    settings = LintSettings(catalog=catalog, environments=environments, same_minute=same_minute)
    problems = run_as(lambda: lint_environments(settings), fmt, "schedule lint")
    print_problems(problems, fmt)
    sys.exit(EXIT_PROBLEMS if failing(problems, strict=strict) else EXIT_OK)
