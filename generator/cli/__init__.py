"""The command line: the only package that imports click, prints, or exits.

Each command parses its options into a frozen settings object and calls one library
function; errors map to exit codes in one place (``_common.report_error``):
0 success, 1 problems found (validation, check, diff), 2 usage or I/O error, 130 Ctrl-C.
"""

from __future__ import annotations

# Each command's module registers it on the group when the command is first looked up
# (_common.LazyGroup); the library behind it loads on use.
from ._common import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="wfgen")
