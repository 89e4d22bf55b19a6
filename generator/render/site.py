"""A static localized site under out/site/<locale>/ (pure).

Every locale gets an index, one page per module and the sending page ("Confirming the
send"), each with a sidebar in the locale's names, breadcrumbs, previous/next, a language
switcher with ``hreflang``, tables with ``<th scope="col">``, ids in ``<code>`` with a
permalink anchor per workflow, obsolete workflows linked to their replacement, and
client-side search. A page with nothing translated carries one banner; otherwise each English
stand-in carries one discreet marker and ``lang="en"``, fixed words included. The index shows
how complete each page and the locale are. The stylesheet and the search script are package
files (``templates/site/``) written once under ``site/``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import format_percent
from markupsafe import Markup, escape

from ..l10n.messages import UI_WORDS
from ..model import Catalog
from .pages import Cell, ModuleTable, module_rows, readable
from .targets import RenderedFile

__all__ = ["SITE_WORDS", "render_site", "search_index"]

Gettext = Callable[[str], "str | None"]
SendingContext = Callable[[str, "Gettext | None"], "Mapping[str, Any] | None"]

# Words of the site's own frame that have no entry in the PO files yet: they are only ever
# read by assistive technology (visually hidden, lang="en") or shown on an English page.
SITE_WORDS: dict[str, str] = {
    "search": "Search",
    "languages": "Languages",
    "pages": "Pages",
    "untranslated-page": "This page is not translated yet; it is shown in English.",
}

_SEARCH_ICON = Markup(
    '<svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 16 16">'
    '<circle cx="6.5" cy="6.5" r="5" fill="none" stroke="currentColor" stroke-width="2"/>'
    '<path d="M10.5 10.5 15 15" stroke="currentColor" stroke-width="2"/></svg>'
)

# The mark is decoration: an English stand-in is already announced by its lang="en".
_MARK = Markup('<span class="mark" aria-hidden="true">*</span>')

_ASSETS = ("site.css", "search.js")


@dataclass(frozen=True)
class _Words:
    """The locale's fixed words as cells (text, and whether it is an English stand-in)."""

    cells: Mapping[str, Cell]

    def __getitem__(self, key: str) -> Cell:
        return self.cells[key]

    def html(self, key: str) -> Markup:
        """The word; an English stand-in is in a ``lang="en"`` span with the discreet mark."""
        cell = self.cells[key]
        return _text(cell) + (_MARK if cell.untranslated else Markup(""))

    def hidden(self, key: str) -> Markup:
        """The word for assistive technology only (visually hidden), with its language."""
        return Markup('<span class="vh">%s</span>') % _text(self.cells[key])


def _words(gettext: Gettext | None) -> _Words:
    cells: dict[str, Cell] = {}
    for key, english in {**UI_WORDS, **SITE_WORDS}.items():
        found = gettext(f"ui|{key}") if gettext else None
        cells[key.replace("-", "_")] = Cell(
            readable(found or english), untranslated=gettext is not None and not found
        )
    return _Words(cells)


def _text(cell: Cell) -> Markup:
    if cell.untranslated:
        return Markup('<span lang="en">%s</span>') % cell.text
    return escape(cell.text)


def _asset(name: str) -> bytes:
    return resources.files("generator").joinpath("templates", "site", name).read_bytes()


def search_index(tables: Sequence[ModuleTable]) -> bytes:
    """The locale's search index as a script assigning ``window.WFGEN_INDEX``."""
    entries = [
        {"id": r.id, "label": r.label.text, "text": r.description.text, "page": t.page}
        for t in tables
        for r in t.rows
    ]
    # </ never appears in the data: a label cannot close the script element.
    data = json.dumps(entries, ensure_ascii=False).replace("</", "<\\/")
    return f"window.WFGEN_INDEX={data};\n".encode()


def _language_name(code: str) -> str:
    """The language's own name for itself (CLDR): svenska, Deutsch, 日本語."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return code
    return name or code


@dataclass(frozen=True)
class _Entry:
    """One page of a locale, for the sidebar and previous/next."""

    page: str
    title: Cell


@dataclass(frozen=True)
class _Locale:
    """What every page of one locale shares."""

    code: str
    codes: tuple[str, ...]
    words: _Words
    entries: tuple[_Entry, ...]
    marked: bool  # False when the locale is the source language (nothing to mark)


def _marker(site: _Locale) -> Markup:
    return _MARK if site.marked else Markup("")


def _cell(cell: Cell, site: _Locale, *, mark: bool) -> Markup:
    """A cell's text; an English stand-in gets lang="en" and, unless a banner says it, a mark."""
    text = _text(cell)
    if cell.untranslated and mark:
        text += _marker(site)
    return Markup(text)


def _ident(workflow_id: str) -> Markup:
    """An id in <code>, breakable only after ``_`` and ``.`` (never inside a word)."""
    pieces = [escape(p) for p in workflow_id.replace("_", "_\0").replace(".", ".\0").split("\0")]
    return Markup("<code>%s</code>") % Markup("<wbr>").join(pieces)


def _page(site: _Locale, *, name: str, title: Cell, body: Markup) -> bytes:
    words = site.words
    alternates = Markup("").join(
        Markup('<link rel="alternate" hreflang="%s" href="../%s/%s.html">\n') % (o, o, name)
        for o in site.codes
    )
    switch = Markup("").join(
        (
            Markup('<li><a href="../%s/%s.html" hreflang="%s" lang="%s">%s</a></li>')
            % (o, name, o, o, _language_name(o))
            if o != site.code
            else Markup('<li><strong aria-current="page" lang="%s">%s</strong></li>')
            % (o, _language_name(o))
        )
        for o in site.codes
    )
    side = Markup("").join(
        Markup('<li><a href="%s.html"%s>%s</a></li>')
        % (
            e.page,
            Markup(' aria-current="page"') if e.page == name else Markup(""),
            _cell(e.title, site, mark=site.marked),
        )
        for e in site.entries
    )
    finder = Markup(
        '<form role="search" onsubmit="return false"><label for="q">%s%s</label> '
        '<input id="q" type="search" autocomplete="off">'
        '<ul id="hits" aria-live="polite"></ul></form>'
    ) % (_SEARCH_ICON, words.hidden("search"))
    html = Markup(
        '<!DOCTYPE html>\n<html lang="%s">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>%s</title>\n%s"
        '<link rel="stylesheet" href="../site.css">\n</head>\n<body>\n'
        '<header><nav class="switch" aria-labelledby="languages">%s<ul>%s</ul></nav></header>\n'
        '<div class="wrap">\n<main>\n%s%s</main>\n'
        '<nav class="side" aria-labelledby="contents"><h2 id="contents">'
        '<a href="index.html">%s</a></h2>%s<ul>%s</ul></nav>\n'
        "</div>\n"
        '<script src="search-index.js"></script>\n<script src="../search.js"></script>\n'
        "</body>\n</html>\n"
    ) % (
        site.code,
        title.text,
        alternates,
        Markup('<span id="languages" class="vh">%s</span>') % _text(words["languages"]),
        switch,
        body,
        # One legend for every mark on the page, sidebar included.
        _legend(site) if str(_MARK) in str(body) + str(side) else Markup(""),
        words.html("index_title"),
        finder,
        side,
    )
    return str(html).encode("utf-8")


def _frame(
    site: _Locale, *, name: str, title: Cell, content: Markup, banner: bool, marks: bool
) -> Markup:
    """Breadcrumbs, heading, banner, the page's content, the legend and previous/next."""
    words = site.words
    crumbs = Markup(
        '<nav class="crumbs" aria-labelledby="crumbs"><span id="crumbs" class="vh">%s</span>'
        '<ol><li><a href="index.html">%s</a></li><li aria-current="page">%s</li></ol></nav>\n'
    ) % (_text(words["pages"]), words.html("index_title"), _cell(title, site, mark=marks))
    note = (
        Markup('<p class="banner" role="note">%s</p>\n') % _text(words["untranslated_page"])
        if banner
        else Markup("")
    )
    pages = [e.page for e in site.entries]
    links = []
    where = pages.index(name) if name in pages else -1
    if where > 0:
        before = site.entries[where - 1]
        links.append(
            Markup('<a rel="prev" href="%s.html"><span aria-hidden="true">\u2190</span> %s</a>')
            % (before.page, _text(before.title))
        )
    if 0 <= where < len(pages) - 1:
        after = site.entries[where + 1]
        links.append(
            Markup('<a rel="next" href="%s.html">%s <span aria-hidden="true">\u2192</span></a>')
            % (after.page, _text(after.title))
        )
    pager = (
        Markup(
            '<nav class="pager" aria-labelledby="pager"><span id="pager" class="vh">%s</span>%s</nav>\n'
        )
        % (_text(words["pages"]), Markup("").join(links))
        if links
        else Markup("")
    )
    return Markup("%s<h1>%s</h1>\n%s%s%s") % (
        crumbs,
        _cell(title, site, mark=marks),
        note,
        content,
        pager,
    )


def _legend(site: _Locale) -> Markup:
    return Markup('<p class="legend">%s %s</p>\n') % (
        Markup('<span class="mark" aria-hidden="true">*</span>'),
        _text(site.words["untranslated"]),
    )


def render_site(
    *,
    catalog: Catalog,
    locales: Sequence[str],
    gettexts: dict[str, Gettext | None],
    sentence: Callable[..., Any] | None,
    inputs: dict[str, tuple[str, ...]] | None = None,
    sending: SendingContext | None = None,
    sending_inputs: tuple[str, ...] = (),
) -> list[RenderedFile]:
    """Every page of the site for every locale, under ``site/<locale>/``.

    Args:
        catalog: the canonical catalogue.
        locales: the locales to render; the first is linked first in the switcher.
        gettexts: locale -> msgctxt -> usable translation (None for English).
        sentence: the schedule-sentence function, or None to leave sentences out.
        inputs: per locale, the manifest names of what its pages are made from.
        sending: (locale, gettext) -> the sending page's context (``sending.reference_context``),
            or None when the catalogue has no sending model.
        sending_inputs: the manifest names the sending page is made from.

    Returns:
        The files, sorted by path: pages, a search index per locale, the stylesheet and script.
    """
    out: list[RenderedFile] = []
    codes = tuple(locales)
    for locale in codes:
        gettext = gettexts.get(locale)
        made_from = (inputs or {}).get(locale, ())
        tables = [
            t
            for t in (
                module_rows(
                    catalog=catalog, module=m, locale=locale, gettext=gettext, sentence=sentence
                )
                for m in catalog.modules
            )
            if t.rows
        ]
        context = sending(locale, gettext) if sending is not None else None
        entries = [_Entry(t.page, t.title) for t in tables]
        if context is not None:
            title = context["texts"]["title"]
            entries.append(_Entry("sending", Cell(readable(title["text"]), title["fallback"])))
        site = _Locale(locale, codes, _words(gettext), tuple(entries), gettext is not None)
        out.append(
            RenderedFile(f"site/{locale}/index.html", _index(site, tables, context), made_from)
        )
        for table in tables:
            out.append(
                RenderedFile(
                    f"site/{locale}/{table.page}.html",
                    _module_page(catalog, site, table, gettext),
                    made_from,
                )
            )
        if context is not None:
            out.append(
                RenderedFile(
                    f"site/{locale}/sending.html",
                    _sending_page(site, context),
                    tuple(sorted({*made_from, *sending_inputs})),
                )
            )
        out.append(RenderedFile(f"site/{locale}/search-index.js", search_index(tables), made_from))
    out += [RenderedFile(f"site/{name}", _asset(name), ()) for name in _ASSETS]
    return sorted(out, key=lambda f: f.path)


def _index(
    site: _Locale, tables: Sequence[ModuleTable], sending: Mapping[str, Any] | None
) -> bytes:
    words = site.words
    rows = []
    done = total = 0

    def row(page: str, title: Cell, translated: int, count: int) -> Markup:
        share = translated / count if count else 1.0
        return Markup(
            '<tr><th scope="row"><a href="%s.html">%s</a></th>'
            '<td data-label="%s"><meter min="0" max="%d" value="%d" aria-hidden="true"></meter> '
            '%s <span class="count">(%d/%d)</span></td></tr>'
        ) % (
            page,
            _cell(title, site, mark=True),
            words["translation_completeness"].text,
            count,
            translated,
            format_percent(share, locale=site.code),
            translated,
            count,
        )

    for table in tables:
        rows.append(row(table.page, table.title, table.translated, table.total))
        done, total = done + table.translated, total + table.total
    if sending is not None:
        strings, fallbacks = int(sending["strings"]), int(sending["fallbacks"])
        title = sending["texts"]["title"]
        rows.append(
            row(
                "sending",
                Cell(readable(title["text"]), title["fallback"]),
                strings - fallbacks,
                strings,
            )
        )
        done, total = done + strings - fallbacks, total + strings
    overall = done / total if total else 1.0
    summary = Markup(
        '<p class="summary">%s: <strong>%s</strong> <span class="count">(%d/%d)</span></p>\n'
    ) % (
        words.html("translation_completeness"),
        format_percent(overall, locale=site.code),
        done,
        total,
    )
    listing = Markup(
        '<table class="index cards"><thead><tr><th scope="col">%s</th><th scope="col">%s</th></tr></thead>'
        "<tbody>%s</tbody></table>\n"
    ) % (words.html("module"), words.html("translation_completeness"), Markup("").join(rows))
    body = Markup("<h1>%s</h1>\n%s%s") % (
        words.html("index_title"),
        summary if site.marked else Markup(""),
        listing,
    )
    return _page(site, name="index", title=words["index_title"], body=body)


def _module_page(
    catalog: Catalog, site: _Locale, table: ModuleTable, gettext: Gettext | None
) -> bytes:
    words = site.words
    untranslated = site.marked and table.translated == 0
    marks = site.marked and not untranslated and table.translated < table.total
    head = [words["label"], words["internal_name"], words["description"]]
    rows = []
    for row in table.rows:
        description = _cell(row.description, site, mark=marks)
        if row.sentence is not None:
            description += Markup(row.joiner) + _cell(row.sentence, site, mark=marks)
        rows.append(
            Markup(
                '<tr id="%s"><td data-label="%s">%s</td><td data-label="%s">%s '
                '<a class="anchor" href="#%s" aria-label="%s">#</a></td>'
                '<td data-label="%s">%s</td></tr>'
            )
            % (
                row.id,
                head[0].text,
                _cell(row.label, site, mark=marks),
                head[1].text,
                _ident(row.id),
                row.id,
                row.id,
                head[2].text,
                description,
            )
        )
    for workflow in catalog.workflows_of(table.key):
        if not workflow.obsolete:
            continue
        found = gettext(f"{workflow.id}|label") if gettext else None
        label = Cell(readable(found or workflow.label), gettext is not None and not found)
        target = (
            Markup(' %s <a href="#%s">%s</a>')
            % (words.html("replaced_by"), workflow.replaced_by, _ident(workflow.replaced_by))
            if workflow.replaced_by
            else Markup("")
        )
        rows.append(
            Markup(
                '<tr id="%s" class="obsolete"><td data-label="%s"><del>%s</del></td>'
                '<td data-label="%s">%s</td><td data-label="%s">%s.%s</td></tr>'
            )
            % (
                workflow.id,
                head[0].text,
                _text(label),
                head[1].text,
                _ident(workflow.id),
                head[2].text,
                words.html("obsolete"),
                target,
            )
        )
    columns = Markup("").join(
        Markup('<th scope="col">%s</th>') % _cell(h, site, mark=True) for h in head
    )
    content = Markup(
        '<table class="workflows cards"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>\n'
    ) % (columns, Markup("").join(rows))
    return _page(
        site,
        name=table.page,
        title=table.title,
        body=_frame(
            site,
            name=table.page,
            title=table.title,
            content=content,
            banner=untranslated,
            marks=marks,
        ),
    )


def _sending_page(site: _Locale, context: Mapping[str, Any]) -> bytes:
    """ "Confirming the send": the KPI list and the sending-process tables of the locale."""
    texts = context["texts"]
    strings, fallbacks = int(context["strings"]), int(context["fallbacks"])
    untranslated = site.marked and strings > 0 and fallbacks == strings
    marks = site.marked and not untranslated and fallbacks > 0

    def say(item: Mapping[str, Any]) -> Markup:
        html = Markup(item["html"])
        if not item["fallback"]:
            return html
        return Markup('<span lang="en">%s</span>%s') % (
            html,
            _marker(site) if marks else Markup(""),
        )

    parts = [
        Markup("<p>%s</p>\n") % say(texts["role"]),
        Markup('<h2 id="sending-message">%s</h2>\n') % say(texts["sending_heading"]),
        Markup('<p class="note">%s</p>\n') % say(texts["scheduled_note"]),
        Markup("<p>%s</p>\n") % say(texts["recurring"]),
        Markup('<h2 id="message-indicators">%s</h2>\n') % say(texts["indicators_heading"]),
        Markup("<p>%s</p>\n") % say(texts["kpi_intro"]),
        Markup("<ul>%s</ul>\n")
        % Markup("").join(Markup("<li>%s</li>") % say(k["item"]) for k in context["kpis"]),
        Markup('<p class="note">%s</p>\n') % say(texts["refresh_note"]),
        Markup("<p>%s</p>\n") % say(texts["compute_stats"]),
        Markup('<h2 id="changes-introduced-by-efs">%s</h2>\n') % say(texts["changes_heading"]),
        Markup("<p>%s</p>\n") % say(texts["changes_intro"]),
    ]
    for table in context["tables"]:
        head = Markup("").join(Markup('<th scope="col">%s</th>') % say(c) for c in table["columns"])
        labels = [c["text"] for c in table["columns"]]
        body = Markup("").join(
            Markup(
                '<tr data-event="%s"><td data-label="%s">%s</td><td data-label="%s"><ul>%s</ul></td>'
                '<td data-label="%s">%s</td></tr>'
            )
            % (
                row["event"],
                labels[0],
                say(row["step"]),
                labels[1],
                Markup("").join(Markup("<li>%s</li>") % say(e) for e in row["effects"]),
                labels[2],
                say(row["status"]),
            )
            for row in table["rows"]
        )
        parts.append(
            Markup(
                '<table id="table-%s" class="steps cards"><caption>%s</caption><thead><tr>%s</tr></thead>'
                "<tbody>%s</tbody></table>\n"
            )
            % (table["mode"], say(table["caption"]), head, body)
        )
    title = Cell(readable(texts["title"]["text"]), bool(texts["title"]["fallback"]))
    return _page(
        site,
        name="sending",
        title=title,
        body=_frame(
            site,
            name="sending",
            title=title,
            content=Markup("").join(parts),
            banner=untranslated,
            marks=marks,
        ),
    )
