"""Find the tables of a page: Markdown tables with markdown-it-py, HTML tables with an HTML parser.

Each table is a list of rows; each row keeps its cells' source text (Markdown or HTML, as
written), the 1-based line it starts on and whether it is a header row. What the cells mean
is decided later (``reader``); here only the structure counts, so a table nested inside a
description cell stays part of that cell instead of lending its rows to the outer table.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

from markdown_it import MarkdownIt

__all__ = [
    "MAX_TABLE_DEPTH",
    "MAX_TABLE_ROWS",
    "Cells",
    "TableLimitError",
    "html_tables",
    "markdown_tables",
]


@dataclass(frozen=True)
class Cells:
    """One table row: the cells' source text, its line and whether it is a header row."""

    cells: tuple[str, ...]
    line: int
    header: bool


_FENCE = re.compile(r"^\s{0,3}(?:`{3,}|~{3,})")
# One ``\s*`` on each side of the optional break: two adjacent ones backtrack quadratically.
_STRONG_ONLY = re.compile(r"\s*<(strong|b)>.*</\1>\s*(?:<br\s*/?>\s*)?", re.DOTALL | re.IGNORECASE)


@cache
def _markdown() -> MarkdownIt:
    # Only the block structure is needed: cells keep their inline Markdown as written.
    parser = MarkdownIt("commonmark").enable("table")
    parser.core.ruler.disable(["inline", "text_join"])
    return parser


def markdown_tables(text: str) -> list[list[Cells]]:
    """The Markdown (pipe) tables of ``text``, in page order.

    Lines that cannot belong to a table (no ``|``) are blanked before parsing, keeping every
    line's number; code fences are kept so that a table inside one is not taken for a table.
    """
    lines = text.split("\n")
    if not any("|" in line for line in lines):
        return []
    kept = "\n".join(line if "|" in line or _FENCE.match(line) else "" for line in lines)
    tables: list[list[Cells]] = []
    rows: list[Cells] = []
    cells: list[str] = []
    line = 0
    header = False
    for token in _markdown().parse(kept):
        kind = token.type
        if kind == "table_open":
            rows = []
        elif kind == "thead_open":
            header = True
        elif kind == "tbody_open":
            header = False
        elif kind == "tr_open":
            cells = []
            line = (token.map[0] if token.map else 0) + 1
        elif kind == "inline":
            cells.append(token.content)
        elif kind == "tr_close":
            rows.append(Cells(tuple(cells), line, header))
        elif kind == "table_close":
            tables.append(rows)
    return tables


MAX_TABLE_DEPTH = 8
"""HTML tables nested deeper than this are refused: real pages nest two; each level keeps a
copy of its open cell, so a flood of ``<table><tr><td>`` would cost memory per level."""


MAX_TABLE_ROWS = 1000
"""Tables with more rows are refused: a real page documents at most about 50 workflows, and
aligning rows with the catalogue costs rows x workflows."""


class TableLimitError(ValueError):
    """A table the reader refuses to read (too deep or too long); ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _Stop(Exception):
    """Raised by the parser when the outermost table closes."""


class _TableParser(HTMLParser):
    """Rows and cells of one HTML table (and of the tables nested in its cells)."""

    def __init__(self, source: str, starts: list[int], first: int) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        # Offsets of the source's line starts, and where this parser starts reading.
        self.starts = starts
        self.first = first
        self.first_line = bisect_right(starts, first)
        # One entry per open table: its rows, the open row's cells and the open cell.
        self.stack: list[_OpenTable] = []
        self.done: list[list[Cells]] = []
        self.end = len(source)

    def _line(self) -> int:
        """The 1-based line of the source the parser is at."""
        return self.first_line + self.getpos()[0] - 1

    def _offset(self) -> int:
        line, column = self.getpos()
        if line == 1:
            return self.first + column
        return self.starts[self._line() - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            if len(self.stack) >= MAX_TABLE_DEPTH:
                message = f"HTML tables are nested more than {MAX_TABLE_DEPTH} deep"
                raise TableLimitError(message, self._line())
            self.stack.append(_OpenTable())
            return
        if not self.stack:
            return
        table = self.stack[-1]
        if tag == "tr":
            table.close_row(self._offset(), self.source)
            table.row_line = self._line()
            table.row = []
        elif tag in ("td", "th"):
            offset = self._offset()
            table.close_cell(offset, self.source)
            if table.row is None:
                table.row = []
                table.row_line = self._line()
            text = self.get_starttag_text() or ""
            table.cell = (tag, offset + len(text))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            return
        table = self.stack[-1]
        offset = self._offset()
        if tag in ("td", "th"):
            table.close_cell(offset, self.source)
        elif tag == "tr":
            table.close_row(offset, self.source)
        elif tag == "table":
            table.close_row(offset, self.source)
            self.stack.pop()
            self.done.append(table.rows)
            if not self.stack:
                self.end = offset
                raise _Stop


class _OpenTable:
    """A table being read: its finished rows, the open row and the open cell."""

    def __init__(self) -> None:
        self.rows: list[Cells] = []
        self.row: list[tuple[str, str]] | None = None
        self.row_line = 0
        self.cell: tuple[str, int] | None = None

    def close_cell(self, offset: int, source: str) -> None:
        if self.cell is None:
            return
        kind, start = self.cell
        if self.row is None:
            self.row = []
        self.row.append((kind, source[start:offset]))
        self.cell = None

    def close_row(self, offset: int, source: str) -> None:
        self.close_cell(offset, source)
        if self.row:
            header = all(kind == "th" for kind, _ in self.row) or all(
                _STRONG_ONLY.fullmatch(cell) for _, cell in self.row
            )
            self.rows.append(Cells(tuple(c for _, c in self.row), self.row_line, header))
        self.row = None


_TABLE_START = re.compile(r"<table\b", re.IGNORECASE)
_FIRST_CHUNK = 4096


def html_tables(text: str) -> list[list[Cells]]:
    """The HTML tables of ``text``, outer tables before the tables nested in their cells.

    Each outer table is read by a fresh parser from its ``<table`` on (what comes between
    tables is Markdown, not HTML), fed in doubling chunks so that a table costs what it
    holds, not what follows it: the whole read is linear in the text.

    Raises:
        TableLimitError: when tables are nested more than ``MAX_TABLE_DEPTH`` deep.
    """
    tables: list[list[Cells]] = []
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    position = 0
    while match := _TABLE_START.search(text, position):
        start = match.start()
        parser = _TableParser(text, starts, start)
        fed, chunk = start, _FIRST_CHUNK
        try:
            while fed < len(text):
                parser.feed(text[fed : fed + chunk])
                fed, chunk = fed + chunk, chunk * 2
            parser.close()
        except _Stop:
            pass
        # An unclosed table ends with the page.
        while parser.stack:
            table = parser.stack.pop()
            table.close_row(parser.end, text)
            parser.done.append(table.rows)
        # The parser finishes inner tables first; the outer one documents the page.
        tables.extend(reversed(parser.done))
        position = max(parser.end, start + 1)
    return tables
