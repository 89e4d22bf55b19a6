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
    cli,
    format_option,
    print_problems,
    project_catalog,
    run_or_exit,
    strict_option,
)

# --- validate ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidateSettings:
    """Options of ``wfgen validate``."""

    paths: tuple[Path, ...]
    fmt: str
    strict: bool
    english: Path | None = None


def validate_command(settings: ValidateSettings) -> int:
    """Run validation and print the report; return the exit code."""
    from ..validate import validate

    problems = run_or_exit(lambda: validate(settings.paths, english=settings.english))
    print_problems(problems, settings.fmt)
    failing = {Severity.ERROR, Severity.WARNING} if settings.strict else {Severity.ERROR}
    if any(p.severity in failing for p in problems):
        return EXIT_PROBLEMS
    if settings.fmt == "text":
        from ..load.catalog import discover

        files = len(run_or_exit(lambda: discover(list(settings.paths))))
        click.echo(f"ok: {files} file(s) valid")
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
    settings = ValidateSettings(
        paths=paths or (project_catalog(),), fmt=fmt, strict=strict, english=english
    )
    sys.exit(validate_command(settings))
