"""Correct a localized page in place: on each row ``docs check`` reports as ``mismatch``,
replace the documented id by the canonical one and change no other byte.

The check's results carry each row's line; the id is looked up again in the raw text, inside
that row's id cell only (the second cell of an HTML or pipe table, the parentheses of a
``**Label** (id)`` cell). An id that cannot be found there exactly once is left alone and
reported, like every unresolved row: a fix is made only where it is certain.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import ftfy
from ftfy.badness import is_bad

from ..errors import InputError, Location
from ..model import Catalog
from ..output import replace_keeping, unified_diff
from ..safebytes import decode_utf8
from .check import check_pages
from .results import DocsReport, PageError, PageReport, RowResult

__all__ = ["Edit", "FixResult", "PageFix", "Skipped", "fix_pages", "plan_fix", "write_atomically"]

_BREAK = re.compile(r"\r\n|\r|\n")
_TR = re.compile(r"<tr\b[^>]*>(.*?)(?=<tr\b|</tbody>|</table>|\Z)", re.DOTALL | re.IGNORECASE)
_TD = re.compile(r"<t[dh]\b[^>]*>(.*?)(?:</t[dh]>|(?=<t[dh]\b)|\Z)", re.DOTALL | re.IGNORECASE)
_GROUP = re.compile(r"[(\uff08]([^()\uff08\uff09|]*)[)\uff09]?")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True)
class Edit:
    """One replacement: ``old`` at ``line``:``column`` (1-based) becomes ``new``."""

    line: int
    column: int
    start: int  # offset in the decoded text
    end: int
    old: str
    new: str
    kind: str = "id"  # "id" | "text" (a repair of encoding damage or an entity)


@dataclass(frozen=True)
class Skipped:
    """A row the fix leaves as it is, and why."""

    line: int
    documented_id: str
    reason: str


@dataclass(frozen=True)
class PageFix:
    """What fixing one page changes: its bytes before and after, the edits and the rows left."""

    path: Path
    original: bytes
    fixed: bytes
    edits: tuple[Edit, ...]
    skipped: tuple[Skipped, ...]

    @property
    def changed(self) -> bool:
        """True when the fixed page differs from the page on disk."""
        return self.fixed != self.original

    def diff(self) -> str:
        """A unified diff of the page (``a/<path>`` -> ``b/<path>``), empty when unchanged;
        ``git apply`` and ``patch -p1`` accept it (``output.unified_diff``)."""
        if not self.changed:
            return ""
        name = self.path.as_posix()
        # Relative paths get git's a/ and b/ prefixes (`git apply`, `patch -p1`).
        before, after = (name, name) if self.path.is_absolute() else (f"a/{name}", f"b/{name}")
        return unified_diff(self.original, self.fixed, before=before, after=after)


def plan_fix(
    report: PageReport, data: bytes, *, repair_text: bool = False, accept_order: bool = False
) -> PageFix:
    """The page ``data`` with every confidently mismatched id replaced by its canonical id.

    Args:
        report: what ``docs check`` found on the page (rows with their lines and verdicts).
        data: the page's bytes, as read when it was checked.
        repair_text: also repair, on the rows and lines the check reported, encoding damage
            (word by word, with ftfy) and numeric entities left in Markdown (``&#39;``).
        accept_order: also replace the ids of rows mapped by the documented order alone
            (nothing on the row names the workflow; two rows that traded places look the same).

    Returns:
        The fixed bytes (equal to ``data`` outside the replaced ids) with the edits made and
        the rows left alone: unresolved rows, and mismatches whose id is not found exactly
        once in its cell.

    Raises:
        InputError: when ``data`` is not UTF-8 (the check could not have read it either).
    """
    # A byte-order mark stays: the fixed page differs from the page in its ids only.
    text = decode_utf8(data, path=report.path, what="page", keep_bom=True)
    starts = [0, *(m.end() for m in _BREAK.finditer(text))]
    edits: list[Edit] = []
    skipped: list[Skipped] = []
    for result in report.rows:
        row = result.row
        if result.status == "unresolved":
            skipped.append(Skipped(row.line, row.documented_id, _unresolved_reason(result)))
            continue
        if result.status == "unknown":
            why = "unknown, not touched (the id is not in the catalogue)"
            skipped.append(Skipped(row.line, row.documented_id, why))
            continue
        if result.status != "mismatch" or not result.canonical_id:
            continue
        if result.order_only and not accept_order:
            why = (
                f"only the documented order says `{result.canonical_id}`: nothing on the row "
                "names it (--accept-order replaces it)"
            )
            skipped.append(Skipped(row.line, row.documented_id, why))
            continue
        if row.line < 1 or row.line > len(starts):
            skipped.append(Skipped(row.line, row.documented_id, "row line is outside the page"))
            continue
        found = _locate(text, starts[row.line - 1], report.layout, result)
        if isinstance(found, str):
            skipped.append(Skipped(row.line, row.documented_id, found))
            continue
        start, end = found
        line = row.line + sum(1 for _ in _BREAK.finditer(text, starts[row.line - 1], start))
        column = start - starts[line - 1] + 1
        written = text[start:end]
        edits.append(Edit(line, column, start, end, written, _like(written, result.canonical_id)))
    if repair_text:
        edits += _text_repairs(report, text, starts, taken=[(e.start, e.end) for e in edits])
    edits.sort(key=lambda e: e.start)
    pieces: list[str] = []
    cursor = 0
    for edit in edits:
        pieces += [text[cursor : edit.start], edit.new]
        cursor = edit.end
    pieces.append(text[cursor:])
    fixed = "".join(pieces).encode("utf-8")
    return PageFix(report.path, data, fixed, tuple(edits), tuple(skipped))


_ENTITY = re.compile(r"&#(?:[0-9]+|[xX][0-9a-fA-F]+);")
_WORD = re.compile(r"\S+")
_REPAIRED = ("encoding-damage", "html-entity")


def _text_repairs(
    report: PageReport, text: str, starts: list[int], *, taken: list[tuple[int, int]]
) -> list[Edit]:
    """Edits undoing the damage the check reported, inside the reported row or line only."""
    rows = {r.row.line for r in report.rows}
    spans: dict[tuple[int, int], set[str]] = {}
    for problem in report.findings:
        line = problem.location.line
        if problem.code not in _REPAIRED or not 1 <= line <= len(starts):
            continue
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(text)
        if line in rows and report.layout == "html-table":
            match = _TR.search(text, start)
            if match is not None:
                end = match.end()
        spans.setdefault((start, end), set()).add(problem.code)
    edits: list[Edit] = []
    for (start, end), codes in sorted(spans.items()):
        found: list[tuple[int, int, str]] = []
        if "html-entity" in codes:
            for match in _ENTITY.finditer(text, start, end):
                char = html.unescape(match.group())
                if char not in "<>&" and char != match.group():
                    found.append((match.start(), match.end(), char))
        if "encoding-damage" in codes:
            for match in _WORD.finditer(text, start, end):
                if is_bad(match.group()):
                    fixed = ftfy.fix_encoding(match.group())
                    if fixed != match.group():
                        found.append((match.start(), match.end(), fixed))
        for begin, stop, new in found:
            if any(begin < b and a < stop for a, b in taken):
                continue
            taken.append((begin, stop))
            line = bisect.bisect_right(starts, begin)
            column = begin - starts[line - 1] + 1
            edits.append(Edit(line, column, begin, stop, text[begin:stop], new, "text"))
    return edits


def _like(written: str, canonical: str) -> str:
    """``canonical`` escaped as the page wrote the id: ``&lt;``/``&gt;`` stay entities."""
    if "&lt;" in written:
        canonical = canonical.replace("<", "&lt;")
    if "&gt;" in written:
        canonical = canonical.replace(">", "&gt;")
    return canonical


def _unresolved_reason(result: RowResult) -> str:
    last = result.evidence[-1] if result.evidence else "no confident match"
    return f"unresolved, not touched ({last})"


def _locate(text: str, offset: int, layout: str, result: RowResult) -> tuple[int, int] | str:
    """The span of the documented id in the row's id cell, or why it cannot be told."""
    if layout == "html-table":
        match = _TR.search(text, offset)
        if match is None:
            return "no <tr> at the row's line"
        cells = list(_TD.finditer(text, match.start(1), match.end(1)))
        if len(cells) < 2:
            return "the row has no id cell"
        span = cells[1].span(1)
    else:
        end = _BREAK.search(text, offset)
        line_end = end.start() if end else len(text)
        pipes = [m.start() for m in _UNESCAPED_PIPE.finditer(text, offset, line_end)]
        leading = text[offset:line_end].lstrip().startswith("|")
        bounds = [offset - 1, *pipes, line_end] if not leading else [*pipes, line_end]
        if layout == "list-table":
            if len(bounds) < 2:
                return "the row has no cell"
            first = (bounds[0] + 1, bounds[1])
            # The id is the last parenthesised group of the cell that holds it (the label may
            # repeat it, and may have groups of its own).
            for group in reversed(list(_GROUP.finditer(text, *first))):
                found = _find_id(text, group.span(1), result)
                if not isinstance(found, str):
                    return found
            return _find_id(text, first, result)
        if layout != "id-table":
            return f"pages of layout {layout!r} are not fixed"
        if len(bounds) < 3:
            return "the row has no id cell"
        span = (bounds[1] + 1, bounds[2])
    return _find_id(text, span, result)


def _find_id(text: str, span: tuple[int, int], result: RowResult) -> tuple[int, int] | str:
    """The one place in ``span`` where the row's id is written as a whole word."""
    row = result.row
    plain = [w for w in (row.raw_id.strip(), row.documented_id) if w]
    # An HTML cell writes `<` and `>` of an id such as mcSynch_<name> as entities.
    escaped = [v for w in plain for v in (html.escape(w, quote=False), w.replace("<", "&lt;"))]
    for written in dict.fromkeys([*plain, *escaped]):
        pattern = re.compile(rf"(?<![\w.\-]){re.escape(written)}(?![\w\-])")
        hits = [m.span() for m in pattern.finditer(text, *span)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            return f"`{written}` is written {len(hits)} times in its cell"
    return f"`{row.documented_id}` is not written verbatim in its cell"


def write_atomically(path: Path, data: bytes) -> None:
    """Replace the page at ``path`` (a symlink's target) by ``data`` in one step.

    A reader sees the old page or the new one, never a part; the page keeps its mode,
    owner and group, and a page with several names (hard links) is refused rather than
    parted from them (``output.replace_keeping``).

    Raises:
        InputError: when the page cannot be written as it was; it is then unchanged.
    """
    try:
        replace_keeping(path, data)
    except OSError as err:
        message = f"cannot write page: {err.strerror or err}; the page is unchanged"
        raise InputError(message, location=Location.of(path)) from err


@dataclass(frozen=True)
class FixResult:
    """Every page's planned fix, and the pages that could not be checked."""

    pages: tuple[PageFix, ...]
    errors: tuple[PageError, ...]


def fix_pages(
    paths: Sequence[Path],
    *,
    catalog: Catalog,
    locale: str | None = None,
    labels_for: Callable[[str], Mapping[str, str]] | None = None,
    refine: Callable[[DocsReport], DocsReport] | None = None,
    repair_text: bool = False,
    optional: Collection[Path] = (),
    accept_order: bool = False,
) -> FixResult:
    """Check every page, then plan its fix from the check's row results (nothing is written).

    Args:
        paths: the pages.
        catalog: the canonical catalogue.
        locale: the pages' locale; inferred per page when None.
        labels_for: locale -> known labels (canonical id -> label), as for ``check_pages``.
        refine: applied to the check's report before planning (e.g. the English evidence).
        repair_text: also repair the text damage the check reported (see ``plan_fix``).
        optional: pages found in folders, as for ``check_pages``.
        accept_order: also replace ids the documented order alone decided (see ``plan_fix``).

    Returns:
        One PageFix per readable page, in the order given, and the pages that could not be read.
    """
    report = check_pages(
        paths, catalog=catalog, locale=locale, labels_for=labels_for, optional=optional
    )
    if refine is not None:
        report = refine(report)
    fixes: list[PageFix] = []
    errors = list(report.errors)
    for page in report.pages:
        try:
            data = page.path.read_bytes()
            fixes.append(plan_fix(page, data, repair_text=repair_text, accept_order=accept_order))
        except OSError as err:
            errors.append(PageError(page.path, f"{page.path}: cannot read page: {err.strerror}"))
        except InputError as err:
            errors.append(PageError(page.path, str(err)))
    return FixResult(tuple(fixes), tuple(errors))
