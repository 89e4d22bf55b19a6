"""Read a documentation page: frontmatter, title, lead paragraph and its table of workflows.

Three layouts occur: module pages with an HTML table (Label | Internal name | Description),
list pages with a pipe table whose first cell reads ``**Label** (internalName)``, and pipe
tables Label | ID | Description. Which table documents workflows is decided by shape (an
identifier-like second column, or the ``**Label** (id)`` cell), never by header words, so
pages in any language are read alike.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, Location
from ..safebytes import first_bidi, first_control, read_input
from .locale import headers_locale, infer_locale
from .markup import clean, repair, strip_markup
from .model import Page, Row

__all__ = ["read_page"]

# One word of letters, digits and the few marks ids use; any script, because a translated
# id ("spårning") is still written where the id goes.
_IDENTIFIER = re.compile(r"^[^\W\d][\w<>.\-]*$")
_LIST_CELL = re.compile(r"^\s*\*\*(?P<label>.+?)\*\*\s*\((?P<id>[^)]*)\)?(?P<rest>.*)$", re.DOTALL)
_H1 = re.compile(r"^#\s+(?P<title>.*?)\s*(?:\{#(?P<anchor>[^}]*)\})?\s*$")
_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL | re.IGNORECASE)
_TR = re.compile(r"<tr\b[^>]*>(.*?)(?=<tr\b|</tbody>|</table>|\Z)", re.DOTALL | re.IGNORECASE)
_TD = re.compile(r"<t([dh])\b[^>]*>(.*?)(?:</t[dh]>|(?=<t[dh]\b)|\Z)", re.DOTALL | re.IGNORECASE)
_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class _Cells:
    cells: tuple[str, ...]
    line: int
    header: bool


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
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        message = f"page is not UTF-8 text (byte 0x{data[err.start]:02x})"
        hint = "save the page as UTF-8"
        raise InputError(message, location=Location.of(path, line), hint=hint) from err
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
    layout, headers, rows = _rows(text)
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
        loaded = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(err, "problem", None) or "invalid YAML"
        message = f"frontmatter is not valid YAML: {problem}"
        raise InputError(message, location=Location.of(path, line)) from err
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
        match = _H1.match(lines[index])
        if match:
            title = clean(match["title"])
            anchor = (match["anchor"] or "").strip()
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
    html_rows = _html_tables(text)
    pipe_rows = _pipe_tables(text)
    for layout, tables in (("html-table", html_rows), ("pipe", pipe_rows)):
        for table in tables:
            found = _workflow_rows(table, layout)
            if found is not None:
                return found
    return "none", (), ()


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _html_tables(text: str) -> list[list[_Cells]]:
    tables: list[list[_Cells]] = []
    for table in _TABLE.finditer(text):
        rows: list[_Cells] = []
        for tr in _TR.finditer(table.group(0)):
            cells = [(kind, cell) for kind, cell in _TD.findall(tr.group(1))]
            if not cells:
                continue
            line = _line_at(text, table.start() + tr.start())
            header = all(k.lower() == "h" for k, _ in cells) or all(
                re.fullmatch(r"\s*<strong>.*</strong>\s*(<br\s*/?>)?\s*", c, re.DOTALL | re.I)
                for _, c in cells
            )
            rows.append(_Cells(tuple(c for _, c in cells), line, header))
        tables.append(rows)
    return tables


def _split_pipe(line: str) -> tuple[str, ...]:
    body = line.strip()
    body = body.removeprefix("|")
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return tuple(re.split(r"(?<!\\)\|", body))


def _pipe_tables(text: str) -> list[list[_Cells]]:
    tables: list[list[_Cells]] = []
    current: list[_Cells] = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("|"):
            if _SEPARATOR.match(line.strip()):
                if current:
                    current[-1] = _Cells(current[-1].cells, current[-1].line, True)
                continue
            current.append(_Cells(_split_pipe(line), number, False))
            continue
        if current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def _workflow_rows(
    table: list[_Cells], kind: str
) -> tuple[str, tuple[str, ...], tuple[Row, ...]] | None:
    headers = next((tuple(clean(c) for c in r.cells) for r in table if r.header), ())
    data = [r for r in table if not r.header and any(strip_markup(c) for c in r.cells)]
    if not data:
        return None
    if kind == "pipe":
        listed = [r for r in data if _LIST_CELL.match(r.cells[0])]
        if len(listed) * 2 > len(data):
            return "list-table", headers, tuple(_list_row(i, r) for i, r in enumerate(listed))
    wide = [r for r in data if len(r.cells) >= 3]
    shaped = [r for r in wide if _IDENTIFIER.match(repair(strip_markup(r.cells[1])))]
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


def _plain_row(index: int, row: _Cells, *, html_cells: bool) -> Row:
    label, ident, description = row.cells[0], row.cells[1], " ".join(row.cells[2:])
    # In HTML an entity is the markup's own escape; in Markdown it is a translation leftover.
    raw = (lambda t: html.unescape(strip_markup(t))) if html_cells else strip_markup
    return Row(
        index=index,
        label=clean(label),
        documented_id=clean(ident),
        description=clean(description),
        line=row.line,
        raw_description=raw(description),
        raw_label=raw(label),
        raw_id=raw(ident),
        links=_links(description),
    )


def _list_row(index: int, row: _Cells) -> Row:
    match = _LIST_CELL.match(row.cells[0])
    assert match is not None  # callers keep only matching rows
    # A broken parenthesis "(tracking" or "(trackingà" leaves the id up to the cell's end.
    ident = match["id"]
    description = row.cells[-1] if len(row.cells) > 1 else ""
    package = row.cells[1] if len(row.cells) > 2 else ""
    return Row(
        index=index,
        label=clean(match["label"]),
        documented_id=clean(ident),
        description=clean(description),
        line=row.line,
        raw_description=strip_markup(description),
        raw_label=strip_markup(match["label"]),
        raw_id=strip_markup(ident),
        package=clean(package),
        links=_links(description),
    )


_LINK = re.compile(r"<a\b[^>]*>(.*?)</a>|\[([^\]]+)\]\([^)]*\)", re.DOTALL | re.IGNORECASE)


def _links(cell: str) -> tuple[str, ...]:
    """Texts of the HTML and Markdown links in a cell, as a reader sees them."""
    return tuple(text for a, b in _LINK.findall(cell) if (text := clean(a or b)))
