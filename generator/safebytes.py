"""Characters no input file may hold: found before any parser sees the text.

A parser may stop at NUL without a word (the fast YAML path does), so a file with NUL or another
C0 control (tab, newline and carriage return excepted) or DEL is refused, located.
"""

from __future__ import annotations

import re

__all__ = ["first_control", "systemd_program_problem"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def first_control(text: str) -> tuple[int, int, str] | None:
    """The 1-based line and column of the first forbidden control character, and its name."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    before = text[: found.start()]
    line = before.count("\n") + 1
    col = found.start() - (before.rfind("\n") + 1) + 1
    char = found.group()
    name = "NUL" if char == "\x00" else "DEL" if char == "\x7f" else f"U+{ord(char):04X}"
    return line, col, f"control character {name}"


def systemd_program_problem(program: str) -> str | None:
    """Why systemd cannot run ``program`` as ``ExecStart=``'s first word, or None.

    systemd reads a leading ``+ - @ : ! |`` as a prefix even inside quotes or as ``\\x2b``
    (``+`` runs the job with full privileges, ignoring ``User=``), searches its own path for
    a bare name, and refuses quotes and backslashes in the executable's name; an absolute
    path without them is read exactly as written.
    """
    if not program.startswith("/"):
        return "is not an absolute path, as systemd's ExecStart= needs"
    if any(ch in program for ch in "\"'\\") or _CONTROL.search(program):
        return "holds a quote, a backslash or a control character, which systemd refuses"
    if program.endswith("/"):
        return "names a folder"
    return None
