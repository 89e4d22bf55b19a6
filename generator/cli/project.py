"""`wfgen init`."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import cli, run_or_exit


@cli.command("init")
@click.argument("directory", required=False, default=".", type=click.Path(path_type=Path))
def init_cmd(directory: Path) -> None:
    """Start a project in DIRECTORY (default: here): wfgen.toml, a one-module catalogue, one
    environment profile and an empty locales/ folder, ready for `wfgen build`.

    Refuses (exit 2, nothing written) when DIRECTORY already holds wfgen.toml, catalog/ or
    locales/.
    """
    from ..commands.init import InitSettings, init

    for path in run_or_exit(lambda: init(InitSettings(target=directory))).written:
        click.echo(f"{path}: created")
    here = directory.absolute() == Path.cwd()
    click.echo("next: wfgen build" if here else f"next: cd {directory} && wfgen build")
