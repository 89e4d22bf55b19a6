"""Read the "Confirming the send" page in any language, and align it to the sending model.

The page is recognized by structure, never by words: the heading anchors it keeps in every
translation (``{#message-indicators}``, ``{#changes-introduced-by-efs}``), its UI terms
(``[!UICONTROL ...]``, which stay in English), its one bulleted KPI list and its two
three-column pipe tables. Table rows are aligned to the model by position, as the page's
tables list the steps in the model's order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, Location, Problem, Severity
from ..safebytes import decode_utf8, read_input
from .locale import infer_locale
from .markup import repair, split_heading

__all__ = [
    "PageRow",
    "PageTable",
    "SendingPage",
    "align_sending_page",
    "check_sending_page",
    "is_sending_page",
    "read_sending_page",
    "sending_translations",
]

_CAPTION = re.compile(r"^\*\*([^*]+)\*\*\s*$")
# Linear: a bracketed part cannot hold its own opening bracket, and a link's leading spaces
# are matched from the start of their run only.
_UICONTROL = re.compile(r"\*\*\[!UICONTROL ([^\[\]]+)\]\*\*")
_LINK = re.compile(r"(?<!\s)\s*\[([^\[\]]*)\]\([^)\[\]]*\)")
_FIRST_SENTENCE = re.compile(r"^(.*?[.!?])(?:\s+(?=[^\s\da-zäöüåàèéìòù])|$)", re.DOTALL)
_SEPARATOR = re.compile(r"^\|?\s*-{3,}")
_MARKERS = ("changes-introduced-by-efs", "message-indicators")


@dataclass(frozen=True)
class PageRow:
    """One row of a sending table: the step, its KPI summary items and the log status."""

    line: int
    step: str
    effects: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class PageTable:
    """A three-column table with the bold caption above it."""

    caption: str
    line: int
    header: tuple[str, ...]
    rows: tuple[PageRow, ...]


@dataclass(frozen=True)
class SendingPage:
    """The parts of the page the sending model covers, with their lines."""

    path: Path
    locale: str
    title: tuple[int, str]
    headings: tuple[tuple[str, int, str], ...]  # anchor, line, text
    blocks: tuple[tuple[str, int, str], ...]  # section anchor, line, paragraph or note text
    kpis: tuple[tuple[int, str], ...]
    tables: tuple[PageTable, ...]


def is_sending_page(text: str) -> bool:
    """True when a page has the structure of "Confirming the send"."""
    return all(f"{{#{marker}}}" in text for marker in _MARKERS) and "[!UICONTROL Delivered]" in text


def read_sending_page(path: Path, *, locale: str | None = None) -> SendingPage:
    """Read the sending page's title, headings, paragraphs, KPI list and both tables.

    Args:
        path: the Markdown page.
        locale: the page's locale; inferred from the page when None.

    Returns:
        The page's parts, with 1-based line numbers.

    Raises:
        InputError: when the page cannot be read or is not the sending page.
    """
    try:
        data = read_input(path)
    except OSError as err:
        raise InputError(
            f"cannot read page: {err.strerror or err}", location=Location.of(path)
        ) from err
    text = decode_utf8(data, path=path, what="page").replace("\r\n", "\n")
    if not is_sending_page(text):
        raise InputError(
            "not the 'Confirming the send' page",
            location=Location.of(path, 1),
            hint="its {#message-indicators} and {#changes-introduced-by-efs} headings are missing",
        )
    lines = text.split("\n")
    front: dict[str, Any] = {}
    start = 0
    if lines[0].strip() == "---":
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        loaded = yaml.safe_load("\n".join(lines[1:end])) or {}
        front = loaded if isinstance(loaded, dict) else {}
        start = end + 1
    title = (0, "")
    headings: list[tuple[str, int, str]] = []
    blocks: list[tuple[str, int, str]] = []
    kpis: list[tuple[int, str]] = []
    tables: list[PageTable] = []
    section = ""
    caption: tuple[int, str] = (0, "")
    index = start
    in_comment = False
    while index < len(lines):
        raw = lines[index]
        stripped = raw.strip()
        number = index + 1
        if in_comment or stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            index += 1
            continue
        if heading := split_heading(stripped):
            level, words, anchor = heading
            if level == 1:
                title = (number, repair(words))
            headings.append((anchor, number, repair(words)))
            section = anchor
            index += 1
            continue
        if match := _CAPTION.match(stripped):
            caption = (number, repair(match.group(1)))
            index += 1
            continue
        if stripped.startswith("|"):
            rows, header, index = _table(lines, index)
            tables.append(PageTable(caption[1], caption[0] or number, header, rows))
            continue
        if (
            stripped.startswith(("* ", "- "))
            and section == "message-indicators"
            and "](" not in stripped
        ):
            kpis.append((number, repair(stripped[2:].strip())))
            index += 1
            continue
        if stripped.startswith(">"):
            body = stripped.lstrip("> ").strip()
            if body and not body.startswith("[!"):
                blocks.append((section, number, repair(body)))
            index += 1
            continue
        if stripped and not stripped.startswith(("![", "1.", "* ", "- ")):
            blocks.append((section, number, repair(stripped)))
        index += 1
    found = infer_locale(
        path=path,
        frontmatter=front,
        headers=[t.header[0] for t in tables if t.header],
        text=text,
        given=locale,
    )
    return SendingPage(
        path, found, title, tuple(headings), tuple(blocks), tuple(kpis), tuple(tables)
    )


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(lines: list[str], index: int) -> tuple[tuple[PageRow, ...], tuple[str, ...], int]:
    header = tuple(repair(c) for c in _cells(lines[index]))
    index += 1
    rows: list[PageRow] = []
    while index < len(lines) and lines[index].strip().startswith("|"):
        line = lines[index]
        if not _SEPARATOR.match(line.strip()):
            cells = _cells(line)
            if len(cells) >= 3:
                items = tuple(" ".join(repair(i).split()) for i in _list_items(cells[1]))
                rows.append(PageRow(index + 1, repair(cells[0]), items, repair(cells[2])))
        index += 1
    return tuple(rows), header, index


def _list_items(cell: str) -> list[str]:
    """The texts of the ``<li>...</li>`` items of a cell, found with ``str.find``: a lazy
    ``<li>(.*?)</li>`` rescanned the rest of the cell from every unclosed ``<li>``."""
    items: list[str] = []
    position = 0
    while (start := cell.find("<li>", position)) >= 0:
        end = cell.find("</li>", start + 4)
        if end < 0:
            break
        items.append(cell[start + 4 : end])
        position = end + 5
    return items


def _first_sentence(text: str) -> str:
    match = _FIRST_SENTENCE.match(text)
    return match.group(1).strip() if match else text.strip()


def _effect_template(item: str, kpi_names: dict[str, str], percent: str | None) -> tuple[str, str]:
    """``**[!UICONTROL Delivered]** procent börjar vid 0 %`` -> (kpi, ``{kpi} procent börjar vid {percent}``)."""
    kpi = ""
    for key, name in kpi_names.items():
        marker = f"**[!UICONTROL {name}]**"
        if marker in item:
            kpi, item = key, item.replace(marker, "{kpi}")
    if percent is not None:
        item = re.sub(rf"{percent}\s*%", "{percent}", item)
    return kpi, item.strip()


def _pairs(page: SendingPage, model: Any) -> list[tuple[str, str, int]]:
    """(msgctxt, translated text, line) in page order; a context may occur more than once."""
    from ..sending.reference import context_of

    texts = dict(model.texts)
    out: list[tuple[str, str, int]] = []
    if page.title[1]:
        out.append((context_of("ui", "title"), page.title[1], page.title[0]))
    by_anchor = {
        "sending-message": "sending_heading",
        "message-indicators": "indicators_heading",
        "changes-introduced-by-efs": "changes_heading",
    }
    for anchor, line, text in page.headings:
        if anchor in by_anchor:
            out.append((context_of("ui", by_anchor[anchor]), text, line))

    used: set[int] = set()

    def block(key: str, *, whole: bool) -> None:
        # A block is found by the UI terms (identifiers) its English sentence holds; when a
        # translation lost some, the unused block sharing the most of them stands in, so the
        # identifier check can point at it.
        wanted = set(_UICONTROL.findall(texts[key]))
        scored = [
            (len(wanted & set(_UICONTROL.findall(text))), -line, line, text)
            for _section, line, text in page.blocks
            if line not in used
        ]
        best = max(scored, default=None)
        if not wanted or best is None or best[0] == 0:
            return
        _, _, line, text = best
        used.add(line)
        found = text if whole else _LINK.sub("", _first_sentence(text))
        out.append((context_of("ui", key), found, line))

    block("role", whole=False)
    block("kpi_intro", whole=True)
    block("refresh_note", whole=True)
    block("compute_stats", whole=True)
    sending = [b for b in page.blocks if b[0] == "sending-message"]
    notes = [b for b in sending if not _UICONTROL.search(b[2])]
    if notes:
        out.append(
            (context_of("ui", "scheduled_note"), _first_sentence(notes[-1][2]), notes[-1][1])
        )
    schedule = [b for b in sending if "[!UICONTROL Schedule]" in b[2]]
    if schedule:
        out.append((context_of("ui", "recurring"), _first_sentence(schedule[0][2]), schedule[0][1]))
    changes = [b for b in page.blocks if b[0] == "changes-introduced-by-efs"]
    if changes:
        out.append((context_of("ui", "changes_intro"), changes[0][2], changes[0][1]))
    for (line, text), kpi in zip(page.kpis, model.kpis, strict=False):
        out.append((context_of("kpi", kpi.key), text, line))
    kpi_names = {k.key: k.ui for k in model.kpis if k.ui}
    for table, model_table in zip(page.tables, model.tables, strict=False):
        if table.caption:
            out.append((context_of("ui", f"table_{model_table.mode}"), table.caption, table.line))
        for name, cell in zip(
            ("column_step", "column_kpis", "column_status"), table.header, strict=False
        ):
            out.append((context_of("ui", name), cell, table.line + 1))
        for row, model_row in zip(table.rows, model_table.shown, strict=False):
            out.append((context_of("event", model_row.event), row.step, row.line))
            out.append((context_of("status", model_row.status), row.status, row.line))
            for item in row.effects:
                kpi = next(
                    (k for k, name in kpi_names.items() if f"[!UICONTROL {name}]" in item), ""
                )
                if not kpi:
                    continue
                effect = model_row.effect(kpi)
                percent = str(effect.percent) if effect.kind == "starts_at" else None
                _, template = _effect_template(item, kpi_names, percent)
                out.append((context_of("ui", f"effect_{effect.kind}"), template, row.line))
    return out


def align_sending_page(page: SendingPage, model: Any) -> list[tuple[str, str]]:
    """The page's translations of the model's strings: (msgctxt, text), first occurrence wins.

    Strings the page leaves in English are not translations and are left out.

    Args:
        page: what ``read_sending_page`` returned.
        model: the ``generator.sending.SendingModel``.

    Returns:
        One pair per context the page translates, in page order.
    """
    from ..sending.reference import messages

    english = {context: text for context, text, _ in messages(model)}
    seen: dict[str, str] = {}
    for context, text, _line in _pairs(page, model):
        if (
            context in english
            and context not in seen
            and " ".join(text.split()) != " ".join(english[context].split())
        ):
            seen[context] = text
    return list(seen.items())


def check_sending_page(page: SendingPage, model: Any) -> list[Problem]:
    """UI terms checked like identifiers: kept verbatim, and one term per status or effect.

    A translated page must keep every ``[!UICONTROL ...]`` name of the English sentence, and
    must word a status (or a KPI effect) the same way wherever it occurs.

    Returns:
        Problems with the page's file and line.
    """
    from ..sending.reference import messages

    english = {context: text for context, text, _ in messages(model)}
    problems: list[Problem] = []
    first: dict[str, tuple[str, int]] = {}
    for context, text, line in _pairs(page, model):
        where = Location.of(page.path, line, 1)
        wanted = set(_UICONTROL.findall(english.get(context, "")))
        missing = wanted - set(_UICONTROL.findall(text))
        if missing:
            problems.append(
                Problem(
                    where,
                    f"UI term(s) {', '.join(sorted(missing))} missing or translated in {context}",
                    code="sending-ui-term",
                    hint="UI names stay as **[!UICONTROL name]**",
                )
            )
        key = " ".join(text.split())
        if context in first and first[context][0] != key and context.split("|")[1] == "status":
            problems.append(
                Problem(
                    where,
                    f"{context} is {key!r} here but {first[context][0]!r} on line "
                    f"{first[context][1]}",
                    Severity.WARNING,
                    code="sending-term-inconsistent",
                    hint="a UI term is translated the same way everywhere",
                )
            )
        first.setdefault(context, (key, line))
    return problems


def sending_translations(
    path: Path, *, locale: str | None, catalog_dir: Path
) -> tuple[str, list[tuple[str, str, int]]] | None:
    """What ``wfgen docs import`` takes from a page, when it is the sending page.

    Args:
        path: a documentation page.
        locale: the page's locale, or None to infer it.
        catalog_dir: the catalogue folder holding ``sending.yaml``.

    Returns:
        None when the page is not "Confirming the send" (or there is no sending model);
        otherwise the page's locale and its (msgctxt, translated text, line) triples,
        first occurrence of each context only.

    Raises:
        InputError: when the page cannot be read.
        CatalogError: when the sending model is invalid.
    """
    try:
        text = read_input(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None  # the ordinary reader reports unreadable pages
    model_path = catalog_dir / "sending.yaml"
    if not is_sending_page(text) or not model_path.is_file():
        return None
    from ..sending import load_model

    model = load_model(model_path)
    page = read_sending_page(path, locale=locale)
    wanted = dict(align_sending_page(page, model))
    out: list[tuple[str, str, int]] = []
    for context, found, line in _pairs(page, model):
        if wanted.get(context) == found:
            out.append((context, found, line))
            del wanted[context]
    return page.locale, out
