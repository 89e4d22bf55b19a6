"""Read the first cell of a list page: ``**Label** (internalName)``, as translation leaves it.

Machine translation moves the bold marker (``**Word** rest of label (id)``), splits it, puts
words between the label and the id or after the id, writes the parentheses full-width
(``（id）``), drops the closing one, inserts zero-width spaces and joins two entries in one
cell with ``<br/>``. What stays is that the id is the last parenthesised group of its entry;
everything else in the entry is the label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .markup import remove_invisible

__all__ = ["Entry", "has_bold", "list_entries"]

_OPEN = "(（"
_CLOSE = ")）"
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_BOLD = re.compile(r"\*\*|__|<(?:strong|b)\b", re.IGNORECASE)
# Link targets and images are parenthesised too; they are never the id.
# (Linear: neither part can hold its own opening bracket.)
_LINK_TARGET = re.compile(r"(!?\[[^\[\]]*\])\([^)\s\[\]]*\)")


@dataclass(frozen=True)
class Entry:
    """One workflow of a list cell: its label and id, both still in the page's markup."""

    label: str
    ident: str


def has_bold(cell: str) -> bool:
    """Whether the cell has bold markup (Markdown or HTML) anywhere."""
    return _BOLD.search(cell) is not None


def list_entries(cell: str) -> list[Entry]:
    """The workflows a list page's first cell documents, in order.

    A part of the cell between ``<br/>`` breaks is an entry when it has a parenthesised
    group; a part without one continues the previous entry's label. A cell with no group at
    all is one entry with an empty id when it is not empty (``**ffdaUnsubscribe**``).

    Args:
        cell: the cell's source text.

    Returns:
        The entries; empty when the cell has no text.
    """
    text = _LINK_TARGET.sub(r"\1", remove_invisible(cell))
    entries: list[Entry] = []
    for part in _BREAK.split(text):
        span = _last_group(part)
        if span is None:
            if entries and part.strip():
                last = entries[-1]
                entries[-1] = Entry(f"{last.label} {part}", last.ident)
            elif part.strip():
                entries.append(Entry(part, ""))
            continue
        start, end = span
        ident = part[start + 1 : end - 1] if part[end - 1] in _CLOSE else part[start + 1 : end]
        label = f"{part[:start]} {part[end:]}"
        if entries and not entries[-1].ident:
            # Text before the first group belongs to this entry's label.
            label = f"{entries.pop().label} {label}"
        entries.append(Entry(label, ident))
    return entries


def _last_group(part: str) -> tuple[int, int] | None:
    """``(start, end)`` of the last parenthesised group, brackets included.

    A group left open at the end of the part (``(tracking``) runs to the end of the part.
    """
    close = max(part.rfind(c) for c in _CLOSE)
    opened = max(part.rfind(c) for c in _OPEN)
    if opened > close:
        return opened, len(part)
    if close < 0:
        return None
    depth = 0
    for index in range(close, -1, -1):
        char = part[index]
        if char in _CLOSE:
            depth += 1
        elif char in _OPEN:
            depth -= 1
            if depth == 0:
                return index, close + 1
    return None
