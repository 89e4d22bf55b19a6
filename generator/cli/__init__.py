"""The command line: the only package that imports click, prints, or exits.

Each command parses its options into a frozen settings object and calls one library
function; errors map to exit codes in one place (``_common.run_or_exit``):
0 success, 1 problems found (validation, check, diff), 2 usage or I/O error.
"""

from __future__ import annotations

# Each module registers its commands on the group; the library behind them loads on use.
from . import (  # noqa: F401
    build,
    catalog,
    completion,
    docs,
    docs_fix,
    drift,
    l10n,
    project,
    schedule,
    sending,
    validate,
)
from ._common import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="wfgen")
