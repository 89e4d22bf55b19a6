"""Values that travel from the reader to the aligner and the report (all frozen)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["LAYOUTS", "Page", "Row"]

# "none": the page has no table of workflows (e.g. "Confirming the send"); it is read, not checked.
LAYOUTS = ("html-table", "list-table", "id-table", "none")


@dataclass(frozen=True)
class Row:
    """One table row that documents a workflow."""

    index: int  # 0-based among the page's workflow rows
    label: str
    documented_id: str  # exactly as written, markup stripped (entities decoded, damage repaired)
    description: str
    line: int  # 1-based line of the row in the file
    raw_description: str = ""
    raw_label: str = ""
    raw_id: str = ""
    package: str = ""  # the Package cell of list pages, as written
    links: tuple[str, ...] = ()  # texts of the links in the description ("this page")


@dataclass(frozen=True)
class Page:
    """A documentation page as read: metadata, layout and its workflow rows."""

    path: Path
    locale: str
    title: str
    lead: str
    frontmatter: dict[str, Any] = field(compare=False, hash=False)
    layout: str
    product: str | None
    rows: tuple[Row, ...]
    anchor: str = ""  # the H1's {#anchor}: pages keep the English slug in every language
    headers: tuple[str, ...] = ()
    prose: tuple[tuple[int, str], ...] = ()  # (line, raw text) of Markdown lines outside tables
