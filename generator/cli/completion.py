"""`wfgen completion`."""

from __future__ import annotations

import click

from ._common import cli


@cli.command("completion")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion_cmd(shell: str) -> None:
    """Print the completion script of SHELL (commands, options, choices, and the project's
    environments, locales and workflow ids).

    \b
    bash:  eval "$(wfgen completion bash)"        (in ~/.bashrc)
    zsh:   eval "$(wfgen completion zsh)"         (in ~/.zshrc)
    fish:  wfgen completion fish > ~/.config/fish/completions/wfgen.fish
    """
    from click.shell_completion import get_completion_class

    found = get_completion_class(shell)
    assert found is not None  # click ships all three
    click.echo(found(cli, {}, "wfgen", "_WFGEN_COMPLETE").source())
