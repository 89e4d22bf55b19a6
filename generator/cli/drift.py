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

# How a finding is marked in the text report, as `terraform plan` marks its changes.
_MARKS = {"drift-missing": "-", "drift-unexpected": "+", "drift-unknown-id": "+"}


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
    help="Deployed CronJobs (`kubectl get cronjobs -o yaml` or `-o json`).",
)
@click.option(
    "--systemd",
    "systemd",
    type=click.Path(path_type=Path),
    default=None,
    metavar="DIR",
    help="Folder of the deployed .timer and .service units and their drop-in folders.",
)
@click.option(
    "--host-timezone",
    "host_timezone",
    default=None,
    metavar="ZONE",
    help="The zone the host (or the CronJob controller) runs in, for jobs deployed without a zone.",
)
@format_option()
@catalog_option
def drift_cmd(
    environment: str,
    crontab: str | None,
    kubernetes: str | None,
    systemd: Path | None,
    host_timezone: str | None,
    fmt: str,
    catalog: Path,
) -> None:
    """Compare what is deployed with what the catalogue renders; exit 1 on drift.

    Each format is read as its scheduler reads it, and every field that changes what
    runs, when, how often and as whom is compared: schedule and zone, command, user,
    privileges, number of jobs, suspension, image, namespace, concurrency policy. Jobs
    wfgen did not write are listed apart. Exit 0 in sync, 1 on drift, 2 when an input
    cannot be read.
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
        host_timezone=host_timezone,
    )
    report = run_as(lambda: compare_deployed(settings), fmt, "drift")
    if fmt == "json":
        json_dump(report.to_json())
    elif fmt == "text":
        for summary in report.targets:
            click.echo(
                f"{report.environment} {summary.target} ({summary.source}): "
                f"{summary.in_sync} in sync, {summary.changed} changed, "
                f"{summary.missing} missing, {summary.extra} extra"
                + (f", {summary.foreign} not written by wfgen" if summary.foreign else "")
            )
            for problem in report.problems():
                if problem.extra.get("target") != summary.target:
                    continue
                mark = _MARKS.get(problem.code, "!" if problem.code == "drift-invalid" else "~")
                if problem.code == "drift-foreign":
                    mark = "?"
                click.echo(f"  {mark} {problem.location}: {problem.code}: {problem.message}")
                for side in ("deployed", "catalogue"):
                    if problem.extra.get(side):
                        click.echo(f"      {side + ':':<10} {problem.extra[side]}")
        click.echo(
            f"{report.environment}: {len(report.in_sync)} workflow(s) in sync, "
            f"{len(report.findings)} drift finding(s), "
            f"{len(report.foreign)} job(s) not written by wfgen"
        )
    else:
        print_problems(report.problems(), fmt, tool_command="drift")
    sys.exit(EXIT_PROBLEMS if report.drifted else EXIT_OK)


def _read_stdin() -> bytes:
    from ..safebytes import MAX_INPUT_BYTES

    return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
