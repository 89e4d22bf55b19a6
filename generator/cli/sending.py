"""`wfgen sending`."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click

from ..errors import format_problem
from ._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    cli,
    from_project,
    json_dump,
    project_catalog,
    run_or_exit,
)

# --- sending ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Options:
    """What ``wfgen sending simulate`` was given, before its times are read."""

    events: Path
    efs: bool
    at: str | None
    validity_end: str | None
    fmt: str
    model: Path


def _sending_time(text: str | None, option: str) -> float | None:
    from ..sending.simulate import parse_time

    if text is None:
        return None
    try:
        return parse_time(text)
    except ValueError as err:
        raise click.BadParameter(f"{text!r} is not an ISO 8601 time", param_hint=option) from err


# long: the stream's read, the run and its three output formats, in the order the user reads them
def simulate_command(options: _Options) -> int:
    """Run the sending simulator and print statuses and KPIs; return the exit code."""
    from ..commands.sending import SimulateSettings, simulate_events
    from ..sending.simulate import format_time

    at = _sending_time(options.at, "--at")
    settings = SimulateSettings(
        events=options.events,
        model=options.model,
        efs=options.efs,
        at=at,
        validity_end=_sending_time(options.validity_end, "--validity-end"),
        stdin=lambda: sys.stdin.buffer,
    )
    done = run_or_exit(lambda: simulate_events(settings))
    result, model = done.simulation, done.model

    def percent(value: float) -> str:
        return f"{value:.2f}%"

    if options.fmt == "json":
        json_dump(
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
        label = "with" if options.efs else "without"
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
    default=None,
    callback=from_project(lambda: project_catalog() / "sending.yaml"),
    help="Sending model file [default: sending.yaml of the project's catalogue].",
)
def sending_simulate_cmd(
    events: Path, efs: bool, at: str | None, validity_end: str | None, fmt: str, model: Path
) -> None:
    """Apply a CSV (message_id,event,time) or JSON-lines event stream to the transition table.

    Events: relayed, delivered, hard_bounce, soft_bounce, retry_succeeded, retries_failed.
    Bad events are reported with their line number and skipped (exit 1).
    """
    options = _Options(
        events=events, efs=efs, at=at, validity_end=validity_end, fmt=fmt, model=model
    )
    sys.exit(simulate_command(options))
