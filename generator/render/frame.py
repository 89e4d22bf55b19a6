"""The site's frame: its own words, each locale's page shell (sidebar, breadcrumbs, language
switcher, search), cells with their English stand-in markers, the search index."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from babel import Locale, UnknownLocaleError
from markupsafe import Markup, escape

from ..l10n.messages import SITE_WORDS, UI_WORDS
from .pages import Cell, ModuleTable, readable

__all__ = [
    "ASSETS",
    "MARK",
    "SEARCH_ICON",
    "Entry",
    "Gettext",
    "SendingContext",
    "SiteLocale",
    "Words",
    "asset",
    "cell_html",
    "cell_markup",
    "frame",
    "ident",
    "language_name",
    "legend",
    "marker",
    "page",
    "search_index",
    "words_for",
]

Gettext = Callable[[str], "str | None"]
SendingContext = Callable[[str, "Gettext | None"], "Mapping[str, Any] | None"]

SEARCH_ICON = Markup(
    '<svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 16 16">'
    '<circle cx="6.5" cy="6.5" r="5" fill="none" stroke="currentColor" stroke-width="2"/>'
    '<path d="M10.5 10.5 15 15" stroke="currentColor" stroke-width="2"/></svg>'
)

# The mark is decoration: an English stand-in is already announced by its lang="en".
MARK = Markup('<span class="mark" aria-hidden="true">*</span>')

ASSETS = ("site.css", "search.js")


@dataclass(frozen=True)
class Words:
    """The locale's fixed words as cells (text, and whether it is an English stand-in)."""

    cells: Mapping[str, Cell]

    def __getitem__(self, key: str) -> Cell:
        return self.cells[key]

    def html(self, key: str) -> Markup:
        """The word; an English stand-in is in a ``lang="en"`` span with the discreet mark."""
        cell = self.cells[key]
        return cell_markup(cell) + (MARK if cell.untranslated else Markup(""))

    def hidden(self, key: str) -> Markup:
        """The word for assistive technology only (visually hidden), with its language."""
        return Markup('<span class="vh">%s</span>') % cell_markup(self.cells[key])


def words_for(gettext: Gettext | None) -> Words:
    cells: dict[str, Cell] = {}
    for key, english in {**UI_WORDS, **SITE_WORDS}.items():
        found = gettext(f"ui|{key}") if gettext else None
        cells[key.replace("-", "_")] = Cell(
            readable(found or english), untranslated=gettext is not None and not found
        )
    return Words(cells)


def cell_markup(cell: Cell) -> Markup:
    if cell.untranslated:
        return Markup('<span lang="en">%s</span>') % cell.text
    return escape(cell.text)


def asset(name: str) -> bytes:
    return resources.files("generator").joinpath("templates", "site", name).read_bytes()


def search_index(tables: Sequence[ModuleTable]) -> bytes:
    """The locale's search index as a script assigning ``window.WFGEN_INDEX``: each workflow
    once (the first page that lists it), with its page's title."""
    entries: list[dict[str, str]] = []
    seen: set[str] = set()
    for t in tables:
        for r in t.rows:
            if r.id in seen:
                continue
            seen.add(r.id)
            entries.append(
                {
                    "id": r.id,
                    "label": r.label.text,
                    "text": r.description.text,
                    "page": t.page,
                    "module": t.title.text,
                }
            )
    # </ never appears in the data: a label cannot close the script element.
    data = json.dumps(entries, ensure_ascii=False).replace("</", "<\\/")
    return f"window.WFGEN_INDEX={data};\n".encode()


@functools.lru_cache(maxsize=256)  # every page names every locale of the site
def language_name(code: str) -> str:
    """The language's own name for itself (CLDR): svenska, Deutsch, 日本語."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return code
    return name or code


@dataclass(frozen=True)
class Entry:
    """One page of a locale, for the sidebar and previous/next."""

    page: str
    title: Cell


@dataclass(frozen=True)
class SiteLocale:
    """What every page of one locale shares."""

    code: str
    codes: tuple[str, ...]
    words: Words
    entries: tuple[Entry, ...]
    marked: bool  # False when the locale is the source language (nothing to mark)
    base: str | None = None  # the site's published address, without a trailing slash

    def url(self, locale: str, name: str) -> str:
        """The address of a page of ``locale``: absolute under ``base``, else relative."""
        if self.base is not None:
            return f"{self.base}/{locale}/{name}.html"
        return f"../{locale}/{name}.html"


def marker(site: SiteLocale) -> Markup:
    return MARK if site.marked else Markup("")


def cell_html(cell: Cell, site: SiteLocale, *, mark: bool) -> Markup:
    """A cell's text; an English stand-in gets lang="en" and, unless a banner says it, a mark."""
    text = cell_markup(cell)
    if cell.untranslated and mark:
        text += marker(site)
    return Markup(text)


def ident(workflow_id: str) -> Markup:
    """An id in <code>, breakable only after ``_`` and ``.`` (never inside a word)."""
    pieces = workflow_id.replace("_", "_\0").replace(".", ".\0").split("\0")
    return Markup("<code>" + "<wbr>".join([escape(p) for p in pieces]) + "</code>")


def page(site: SiteLocale, *, name: str, title: Cell, body: Markup) -> bytes:
    words = site.words
    # x-default: the page for a reader whose language has none, the English original
    # (the catalogue's own language) when it is built, else the first locale.
    default = "en" if "en" in site.codes else site.codes[0]
    alternates = Markup('<link rel="canonical" href="%s">\n') % (
        site.url(site.code, name) if site.base is not None else f"{name}.html"
    ) + Markup("").join(
        Markup('<link rel="alternate" hreflang="%s" href="%s">\n') % (o, site.url(d, name))
        for o, d in [*((o, o) for o in site.codes), ("x-default", default)]
    )
    switch = Markup("").join(
        (
            Markup('<li><a href="../%s/%s.html" hreflang="%s" lang="%s">%s</a></li>')
            % (o, name, o, o, language_name(o))
            if o != site.code
            else Markup('<li><strong aria-current="page" lang="%s">%s</strong></li>')
            % (o, language_name(o))
        )
        for o in site.codes
    )
    side = Markup("").join(
        Markup('<li><a href="%s.html"%s>%s</a></li>')
        % (
            e.page,
            Markup(' aria-current="page"') if e.page == name else Markup(""),
            cell_html(e.title, site, mark=site.marked),
        )
        for e in site.entries
    )
    finder = Markup(
        '<form role="search" onsubmit="return false"%s%s><label for="q">%s%s</label> '
        '<input id="q" type="search" autocomplete="off" aria-controls="results">'
        '<section id="results" class="results" aria-labelledby="results-title" hidden>'
        '<h3 id="results-title">%s</h3><p id="hits-status" role="status"></p>'
        '<ol id="hits"></ol></section></form>'
    ) % (
        _said(words, "search-found", "found"),
        _said(words, "search-none", "none"),
        SEARCH_ICON,
        words.hidden("search"),
        cell_markup(words["search_results"]),
    )
    html = Markup(
        '<!DOCTYPE html>\n<html lang="%s">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>%s</title>\n%s"
        '<link rel="stylesheet" href="../site.css">\n</head>\n<body>\n'
        '<header><nav class="switch" aria-labelledby="languages">%s<ul>%s</ul></nav></header>\n'
        '<div class="wrap">\n<main>\n%s%s</main>\n'
        '<nav class="side" aria-labelledby="contents"><h2 id="contents">'
        '<a href="index.html">%s</a></h2>%s<details class="menu" open><summary>%s</summary>'
        "<ul>%s</ul></details></nav>\n"
        "</div>\n"
        '<script src="search-index.js"></script>\n<script src="../search.js"></script>\n'
        "</body>\n</html>\n"
    ) % (
        site.code,
        title.text,
        alternates,
        Markup('<span id="languages" class="vh">%s</span>') % cell_markup(words["languages"]),
        switch,
        body,
        # One legend for every mark on the page, sidebar included.
        legend(site) if str(MARK) in str(body) + str(side) else Markup(""),
        words.html("index_title"),
        finder,
        words.html("menu"),
        side,
    )
    return str(html).encode("utf-8")


def frame(
    site: SiteLocale, *, name: str, title: Cell, content: Markup, banner: bool, marks: bool
) -> Markup:
    """Breadcrumbs, heading, banner, the page's content, the legend and previous/next."""
    words = site.words
    crumbs = Markup(
        '<nav class="crumbs" aria-labelledby="crumbs"><span id="crumbs" class="vh">%s</span>'
        '<ol><li><a href="index.html">%s</a></li><li aria-current="page">%s</li></ol></nav>\n'
    ) % (
        cell_markup(words["breadcrumbs"]),
        words.html("index_title"),
        cell_html(title, site, mark=marks),
    )
    note = (
        Markup('<p class="banner" role="note">%s</p>\n') % cell_markup(words["untranslated_page"])
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
            % (before.page, cell_markup(before.title))
        )
    if 0 <= where < len(pages) - 1:
        after = site.entries[where + 1]
        links.append(
            Markup('<a rel="next" href="%s.html">%s <span aria-hidden="true">\u2192</span></a>')
            % (after.page, cell_markup(after.title))
        )
    pager = (
        Markup(
            '<nav class="pager" aria-labelledby="pager"><span id="pager" class="vh">%s</span>%s</nav>\n'
        )
        % (cell_markup(words["pager"]), Markup("").join(links))
        if links
        else Markup("")
    )
    return Markup("%s<h1>%s</h1>\n%s%s%s") % (
        crumbs,
        cell_html(title, site, mark=marks),
        note,
        content,
        pager,
    )


def _said(words: Words, key: str, name: str) -> Markup:
    """A word the search script shows, as data attributes (with ``lang="en"`` if English)."""
    cell = words[key.replace("-", "_")]
    lang = Markup(' data-%s-lang="en"') % name if cell.untranslated else Markup("")
    return Markup(' data-%s="%s"') % (name, cell.text) + lang


def legend(site: SiteLocale) -> Markup:
    return Markup('<p class="legend">%s %s</p>\n') % (
        Markup('<span class="mark" aria-hidden="true">*</span>'),
        cell_markup(site.words["untranslated"]),
    )
