"""Read a documentation page: frontmatter, title, lead paragraph and its table of workflows.

Three layouts occur: module pages with an HTML table (Label | Internal name | Description),
list pages with a pipe table whose first cell reads ``**Label** (internalName)``, and pipe
tables Label | ID | Description. Which table documents workflows is decided by shape (an
identifier-like second column, or the ``**Label** (id)`` cell), never by header words, so
pages in any language are read alike. Tables are found by parsers (``tables``); a list
page's first cell is read as translation leaves it (``listcell``): moved bold, full-width
or unclosed parentheses, zero-width spaces, two workflows joined by ``<br/>``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, Location
from ..safebytes import decode_utf8, first_bidi, first_control, read_input
from .listcell import Entry, has_bold, list_entries
from .locale import headers_locale, infer_locale
from .markup import clean, remove_invisible, repair, split_heading, strip_markup
from .model import Page, Row
from .tables import MAX_TABLE_ROWS, Cells, TableLimitError, html_tables, markdown_tables

__all__ = ["read_page", "workflow_layout"]

# One word of letters, digits and the few marks ids use; any script, because a translated
# id ("spårning") is still written where the id goes.
_IDENTIFIER = re.compile(r"^[^\W\d][\w<>.\-]*$")
# libyaml's safe loader when PyYAML was built with it: the same answers, ten times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_page(path: Path, *, locale: str | None = None) -> Page:
    """Read one documentation page.

    Args:
        path: the Markdown page (YAML frontmatter, then the body).
        locale: the page's locale; inferred from the page when None.

    Returns:
        The page with its workflow rows in page order.

    Raises:
        InputError: when the page cannot be read, its frontmatter is broken, or its locale
            cannot be told.
    """
    try:
        data = read_input(path)
    except OSError as err:
        raise InputError(f"cannot read page: {err.strerror}", location=Location.of(path)) from err
    text = decode_utf8(data, path=path, what="page")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    hidden = first_control(text) or first_bidi(text)
    if hidden is not None:
        line, col, name = hidden
        raise InputError(
            f"page holds a {name}",
            location=Location.of(path, line, col),
            hint="remove the character (a corrupted file, or text that hides what it says?)",
        )
    frontmatter, body_start = _frontmatter(text, path)
    lines = text.split("\n")
    title, anchor, lead = _title_and_lead(lines, body_start, frontmatter)
    try:
        layout, headers, rows = _rows(text)
    except TableLimitError as err:
        hint = "a real page documents about 50 workflows in a table nested two deep at most"
        raise InputError(str(err), location=Location.of(path, err.line), hint=hint) from err
    page_locale = infer_locale(
        path=path,
        frontmatter=frontmatter,
        headers=headers,
        text=text[_offset(lines, body_start) :],
        given=locale,
    )
    return Page(
        path=path,
        locale=page_locale,
        title=title,
        lead=lead,
        frontmatter=frontmatter,
        layout=layout,
        product=_product(frontmatter, text, path),
        rows=rows,
        anchor=anchor,
        headers=headers,
        prose=_prose(lines, body_start),
    )


def workflow_layout(path: Path) -> str:
    """The layout of the page's table of workflows, ``"none"`` when it has none or when the
    file is not UTF-8 text; unlike ``read_page`` it needs neither frontmatter nor locale."""
    try:
        text = read_input(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return "none"
    try:
        return _rows(text.replace("\r\n", "\n").replace("\r", "\n"))[0]
    except TableLimitError:
        # Too deep to tell: reported, never left out as a page without workflows.
        return "html-table"


def _offset(lines: list[str], line_index: int) -> int:
    return sum(len(line) + 1 for line in lines[:line_index])


def _frontmatter(text: str, path: Path) -> tuple[dict[str, Any], int]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        hint = "close the frontmatter with a line '---'"
        raise InputError("frontmatter is never closed", location=Location.of(path, 1), hint=hint)
    try:
        loaded = yaml.load("\n".join(lines[1:end]), Loader=_YAML_LOADER)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(err, "problem", None) or "invalid YAML"
        message = f"frontmatter is not valid YAML: {problem}"
        raise InputError(message, location=Location.of(path, line)) from err
    except RecursionError as err:
        message = "frontmatter is nested too deep to read"
        raise InputError(message, location=Location.of(path, 2)) from err
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise InputError("frontmatter is not a mapping", location=Location.of(path, 2))
    return {str(k): v for k, v in loaded.items()}, end + 1


def _title_and_lead(
    lines: list[str], start: int, frontmatter: dict[str, Any]
) -> tuple[str, str, str]:
    title, anchor, lead = "", "", ""
    index = start
    for index in range(start, len(lines)):
        heading = _h1(lines[index])
        if heading is not None:
            title, anchor = clean(heading[0]), heading[1].strip()
            break
    else:
        index = start - 1
    paragraph: list[str] = []
    for line in lines[index + 1 :]:
        stripped = line.strip()
        if not stripped:
            if paragraph:
                break
            continue
        if stripped.startswith(("#", ">", "|", "<", "!", "*", "-")) and not paragraph:
            continue
        paragraph.append(stripped)
    lead = clean(" ".join(paragraph))
    if not title:
        title = clean(str(frontmatter.get("title", "")))
    return title, anchor, lead


def _h1(line: str) -> tuple[str, str] | None:
    """``(title, anchor)`` of a ``# Title {#anchor}`` line, None for any other line."""
    heading = split_heading(line)
    if heading is None or heading[0] != 1:
        return None
    return heading[1], heading[2]


def _prose(lines: list[str], start: int) -> tuple[tuple[int, str], ...]:
    """Markdown text lines outside tables and HTML blocks, for the text checks."""
    found: list[tuple[int, str]] = []
    in_html = False
    for number, line in enumerate(lines[start:], start=start + 1):
        stripped = line.strip().lstrip(">").strip()
        if "<table" in line.lower():
            in_html = True
        if in_html:
            in_html = "</table>" not in line.lower()
            continue
        if not stripped or stripped.startswith(("|", "<", "[!", "#", "!")):
            continue
        found.append((number, strip_markup(stripped)))
    return tuple(found)


def _product(frontmatter: dict[str, Any], text: str, path: Path) -> str | None:
    """Guess the product from frontmatter, path and links; None when the page does not say."""
    solution = str(frontmatter.get("solution", "")).lower()
    where = f"{path.as_posix().lower()} {solution}"
    if "standard" in where:
        return "standard"
    if "classic" in where or "v7" in where:
        return "classic-v7"
    if "v8" in where:
        return "v8"
    # Links keep the English folder names of each product's documentation tree.
    if "/v8/" in text or "campaign v8" in text.lower():
        return "v8"
    if "../../" in text and ("/using/" in text):
        return "classic-v7"
    return None


def _rows(text: str) -> tuple[str, tuple[str, ...], tuple[Row, ...]]:
    if "<table" in text or "<TABLE" in text:
        for table in html_tables(text):
            found = _workflow_rows(_short(table), "html-table")
            if found is not None:
                return found
    for table in markdown_tables(text):
        found = _workflow_rows(_short(table), "pipe")
        if found is not None:
            return found
    return "none", (), ()


def _short(table: list[Cells]) -> list[Cells]:
    """``table``, refused when it has more rows than a page documents workflows."""
    if len(table) > MAX_TABLE_ROWS:
        raise TableLimitError(
            f"a table of {len(table):,} rows; wfgen reads tables of at most "
            f"{MAX_TABLE_ROWS:,} rows",
            table[MAX_TABLE_ROWS].line,
        )
    return table


def _identifier_like(cell: str) -> bool:
    return _IDENTIFIER.match(repair(strip_markup(remove_invisible(cell)))) is not None


def _listed(cell: str) -> bool:
    """A first cell that reads as ``**Label** (id)``, however translation damaged it."""
    entries = list_entries(cell)
    if not any(e.ident.strip() for e in entries):
        return False
    return has_bold(cell) or any(_identifier_like(e.ident) for e in entries)


def _workflow_rows(
    table: list[Cells], kind: str
) -> tuple[str, tuple[str, ...], tuple[Row, ...]] | None:
    headers = next((tuple(clean(c) for c in r.cells) for r in table if r.header), ())
    data = [r for r in table if not r.header and any(strip_markup(c) for c in r.cells)]
    if not data:
        return None
    wide = [r for r in data if len(r.cells) >= 3 and strip_markup(r.cells[1])]
    shaped = [r for r in wide if _identifier_like(r.cells[1])]
    listed = [r for r in data if _listed(r.cells[0])]
    # A list page's Package column is as word-like as an id column: its first cells decide.
    # HTML module tables (Label | Internal name | Description) keep their id column.
    id_column = len(wide) * 2 > len(data) and len(shaped) * 2 >= len(wide)
    if len(listed) * 2 > len(data) and (kind == "pipe" or not id_column):
        rows: list[Row] = []
        for r in data:
            for entry in list_entries(r.cells[0]):
                rows.append(_list_row(len(rows), r, entry, html_cells=kind == "html-table"))
        return "list-table", headers, tuple(rows)
    # The header words of a known locale make it a workflow table whatever its rows hold.
    known_header = headers_locale(headers) is not None
    if len(wide) * 2 <= len(data) or (len(shaped) * 2 < len(wide) and not known_header):
        return None
    layout = "html-table" if kind == "html-table" else "id-table"
    return (
        layout,
        headers,
        tuple(_plain_row(i, r, html_cells=kind == "html-table") for i, r in enumerate(wide)),
    )


def _raw(text: str, *, html_cells: bool) -> str:
    # In HTML an entity is the markup's own escape; in Markdown it is a translation leftover.
    stripped = strip_markup(text)
    return html.unescape(stripped) if html_cells else stripped


def _plain_row(index: int, row: Cells, *, html_cells: bool) -> Row:
    label, ident, description = row.cells[0], row.cells[1], " ".join(row.cells[2:])
    return Row(
        index=index,
        label=clean(label),
        documented_id=clean(ident),
        description=clean(description),
        line=row.line,
        raw_description=_raw(description, html_cells=html_cells),
        raw_label=_raw(label, html_cells=html_cells),
        raw_id=_raw(ident, html_cells=html_cells),
        links=_links(description),
    )


def _list_row(index: int, row: Cells, entry: Entry, *, html_cells: bool) -> Row:
    description = row.cells[-1] if len(row.cells) > 1 else ""
    package = row.cells[1] if len(row.cells) > 2 else ""
    return Row(
        index=index,
        label=clean(entry.label),
        documented_id=clean(entry.ident),
        description=clean(description),
        line=row.line,
        raw_description=_raw(description, html_cells=html_cells),
        raw_label=_raw(entry.label, html_cells=html_cells),
        raw_id=_raw(entry.ident, html_cells=html_cells),
        package=clean(package),
        links=_links(description),
    )


_HTML_LINK = re.compile(r"<a\b[^<>]*>", re.IGNORECASE)
_HTML_LINK_END = "</a>"
# Linear: a link text cannot hold its own opening bracket, so a flood of ``[`` is scanned once.
_MARKDOWN_LINK = re.compile(r"\[([^\[\]]+)\]\([^)\[\]]*\)")


def _links(cell: str) -> tuple[str, ...]:
    """Texts of the HTML and Markdown links in a cell, as a reader sees them, in cell order.

    The end of an HTML link is found with ``str.find``: a lazy ``(.*?)</a>`` would rescan
    the rest of the cell from every unclosed ``<a>``.
    """
    found: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    lowered = cell.lower()
    position = 0
    while match := _HTML_LINK.search(cell, position):
        end = lowered.find(_HTML_LINK_END, match.end())
        if end < 0:
            break
        found.append((match.start(), cell[match.end() : end]))
        position = end + len(_HTML_LINK_END)
        spans.append((match.start(), position))
    span = iter(spans)
    current = next(span, None)
    for match in _MARKDOWN_LINK.finditer(cell):
        while current is not None and current[1] <= match.start():
            current = next(span, None)
        # A Markdown link inside an HTML link's text is part of that text.
        if current is None or match.end() <= current[0]:
            found.append((match.start(), match[1]))
    return tuple(text for _, raw in sorted(found) if (text := clean(raw)))
