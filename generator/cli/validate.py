"""`wfgen validate`."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click

from ..errors import Severity
from ._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    _print_problems,
    _run,
    cli,
    format_option,
    project_catalog,
)

# --- validate ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidateSettings:
    """Options of ``wfgen validate``."""

    paths: tuple[Path, ...]
    fmt: str
    strict: bool


def validate_command(settings: ValidateSettings) -> int:
    """Run validation and print the report; return the exit code."""
    from ..catalog import validate_paths
    from ..errors import sort_problems
    from ..schedule_lint import validate_dialects

    problems = _run(lambda: validate_paths(list(settings.paths)))
    if not any(p.severity is Severity.ERROR for p in problems):
        # What the schedulers each environment renders for would refuse, at the schedule.
        problems = sort_problems(problems + validate_dialects(list(settings.paths)))
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
@format_option()
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def validate_cmd(paths: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """Check catalogue files (default: the project's catalogue) and report every problem with file:line:col."""
    settings = ValidateSettings(paths=paths or (project_catalog(),), fmt=fmt, strict=strict)
    sys.exit(validate_command(settings))
