"""Characters no input file may hold: found before any parser sees the text.

A parser may stop at NUL without a word (the fast YAML path does), so a file with NUL or another
C0 control (tab, newline and carriage return excepted) or DEL is refused, located.
"""

from __future__ import annotations

import re

__all__ = ["first_control"]

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
