"""`wfgen drift`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    catalog_option,
    cli,
    format_option,
    json_dump,
    print_problems,
    run_as,
)
from .completers import (
    complete_environments,
)


@cli.command("drift")
@click.option(
    "--env",
    "environment",
    required=True,
    metavar="NAME",
    shell_complete=complete_environments,
    help="Environment profile.",
)
@click.option(
    "--crontab",
    "crontab",
    default=None,
    metavar="FILE|-",
    help="Deployed crontab (`crontab -l` output) or cron.d file.",
)
@click.option(
    "--kubernetes",
    "kubernetes",
    default=None,
    metavar="FILE|-",
    help="Deployed CronJobs (`kubectl get cronjobs -o yaml`, a List or several documents).",
)
@click.option(
    "--systemd",
    "systemd",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="Folder of the deployed .timer and .service units.",
)
@format_option()
@catalog_option
def drift_cmd(
    environment: str,
    crontab: str | None,
    kubernetes: str | None,
    systemd: Path | None,
    fmt: str,
    catalog: Path,
) -> None:
    """Compare what is deployed with what the catalogue renders; exit 1 on drift.

    Per workflow: missing, unexpected, unknown id (with the closest canonical id),
    schedule (compared by fire times over a year), command or time zone differs,
    suspended. Jobs wfgen did not write are listed apart and do not count as drift.
    """
    from ..drift import DriftSettings
    from ..drift import drift as compare_deployed

    if [crontab, kubernetes].count("-") > 1:
        click.echo("wfgen: error: only one of --crontab and --kubernetes can read stdin", err=True)
        sys.exit(2)
    settings = DriftSettings(
        environment=environment,
        catalog=catalog,
        crontab=crontab,
        kubernetes=kubernetes,
        systemd=systemd,
        stdin=_read_stdin,
    )
    report = run_as(lambda: compare_deployed(settings), fmt, "drift")
    if fmt == "json":
        json_dump(report.to_json())
    elif fmt == "text":
        print_problems(report.problems(), "text", summary=False)
        click.echo(
            f"{report.environment}: {len(report.in_sync)} workflow(s) in sync, "
            f"{len(report.findings)} drift finding(s), "
            f"{len(report.foreign)} job(s) not written by wfgen"
        )
    else:
        print_problems(report.problems(), fmt, tool_command="drift")
    sys.exit(EXIT_PROBLEMS if report.drifted else EXIT_OK)


def _read_stdin() -> str:
    return sys.stdin.read()
