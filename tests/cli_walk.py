"""The click commands of ``wfgen``, walked as the lazy command group loads them."""

from __future__ import annotations

from collections.abc import Iterator

import click

from generator.cli import cli


def commands(group: click.Group = cli, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every command below ``group`` (``("docs", "check")``), groups walked."""
    context = click.Context(group)
    for name in group.list_commands(context):  # a lazy group loads each command here
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        elif command is not None:
            yield (*path, name)


def command(path: tuple[str, ...]) -> click.Command:
    """The command at ``path`` below ``wfgen``."""
    found: click.Command = cli
    for name in path:
        assert isinstance(found, click.Group)
        below = found.get_command(click.Context(found), name)
        assert below is not None
        found = below
    return found
