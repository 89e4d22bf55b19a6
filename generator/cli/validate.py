"""`wfgen validate`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..commands.validate import ValidateSettings, validate_files
from ._common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    cli,
    format_option,
    print_problems,
    project_catalog,
    run_or_exit,
    strict_option,
)

# --- validate ---------------------------------------------------------------------------


def validate_command(settings: ValidateSettings, fmt: str) -> int:
    """Run validation and print the report; return the exit code."""
    result = run_or_exit(lambda: validate_files(settings))
    print_problems(result.problems, fmt)
    if result.failed:
        return EXIT_PROBLEMS
    if fmt == "text":
        click.echo(f"ok: {result.files} file(s) valid")
    return EXIT_OK


@cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option()
@strict_option
@click.option(
    "--english",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of the English pages: each schedule_source must quote its page.",
)
def validate_cmd(paths: tuple[Path, ...], fmt: str, strict: bool, english: Path | None) -> None:
    """Check catalogue files (default: the project's catalogue) and report every problem with file:line:col."""
    settings = ValidateSettings(paths=paths or (project_catalog(),), strict=strict, english=english)
    sys.exit(validate_command(settings, fmt))
