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

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jinja2
from babel.numbers import format_percent

from ..l10n.stats import completeness
from ..model import Catalog
from .frame import (
    ASSETS,
    Entry,
    Gettext,
    SendingContext,
    SiteLocale,
    Words,
    asset,
    id_pieces,
    language_name,
    search_index,
    words_for,
)
from .jinja import render_template
from .pages import Cell, ModuleTable, locale_tables, readable
from .site_root import root_files
from .targets import RenderedFile

__all__ = ["render_site", "search_index"]


# long: a locale's pages in the order the site lists them; its arguments documented in full
def render_site(
    *,
    jinja: jinja2.Environment,
    catalog: Catalog,
    locales: Sequence[str],
    gettexts: dict[str, Gettext | None],
    sentence: Callable[..., Any] | None,
    inputs: dict[str, tuple[str, ...]] | None = None,
    sending: SendingContext | None = None,
    sending_inputs: tuple[str, ...] = (),
    tables: Mapping[str, Sequence[ModuleTable]] | None = None,
    completeness: Mapping[str, Mapping[str, tuple[int, int]]] | None = None,
    base_url: str | None = None,
) -> list[RenderedFile]:
    """Every page of the site for every locale, under ``site/<locale>/``.

    Args:
        jinja: the template environment (``make_jinja``): the pages come from
            ``site/*.html.j2``, the user's own when ``--templates`` holds them.
        catalog: the canonical catalogue.
        locales: the locales to render; the first is linked first in the switcher.
        gettexts: locale -> msgctxt -> usable translation (None for English).
        sentence: the schedule-sentence function, or None to leave sentences out.
        inputs: per locale, the manifest names of what its pages are made from.
        sending: (locale, gettext) -> the sending page's context (``sending.reference_context``),
            or None when the catalogue has no sending model.
        sending_inputs: the manifest names the sending page is made from.
        tables: per locale, its tables made before (``pages.locale_tables``) for the same
            catalogue, gettext and sentence function; made here when missing.
        completeness: per locale, (translated, total) entries as ``wfgen l10n stats`` counts
            them: ``""`` for the locale, ``"(sending)"`` for the sending page; without it, the
            index counts the cells it shows.
        base_url: the site's published address: canonical and alternate links are absolute
            and a sitemap is written; None: relative links, no sitemap.

    Returns:
        The files, sorted by path: pages, a search index per locale, the root's index.html,
        404.html and sitemap.xml, the stylesheet and script.
    """
    jinja.filters.update(id_pieces=id_pieces, language_name=language_name)
    out: list[RenderedFile] = []
    codes = tuple(locales)
    base = base_url.rstrip("/") if base_url else None
    said: dict[str, Words] = {}
    names: list[str] = []
    for locale in codes:
        gettext = gettexts.get(locale)
        made_from = (inputs or {}).get(locale, ())
        made = (tables or {}).get(locale)
        page_tables = (
            list(made)
            if made is not None
            else locale_tables(catalog=catalog, locale=locale, gettext=gettext, sentence=sentence)
        )
        context = sending(locale, gettext) if sending is not None else None
        entries = [Entry(t.page, t.title) for t in page_tables]
        if context is not None:
            title = context["texts"]["title"]
            entries.append(Entry("sending", Cell(readable(title["text"]), title["fallback"])))
        site = SiteLocale(
            locale, codes, words_for(gettext), tuple(entries), gettext is not None, base
        )
        said[locale] = site.words
        pages = _Pages(jinja, site, made_from)
        names = names or ["index", *(e.page for e in entries)]
        out.append(_index(pages, page_tables, context, (completeness or {}).get(locale, {})))
        out += [_module_page(pages, catalog, table, gettext) for table in page_tables]
        if context is not None:
            out.append(_sending_page(pages, context, sending_inputs))
        out.append(
            RenderedFile(f"site/{locale}/search-index.js", search_index(page_tables), made_from)
        )
    if codes:
        out += root_files(jinja, codes=codes, words=said, pages=names, base=base)
    out += [RenderedFile(f"site/{name}", asset(name), ()) for name in ASSETS]
    return sorted(out, key=lambda f: f.path)


class _Pages:
    """The pages of one locale, each rendered from its template under ``site/``."""

    def __init__(self, jinja: jinja2.Environment, site: SiteLocale, inputs: tuple[str, ...]):
        self.jinja, self.site, self.inputs = jinja, site, inputs

    def render(
        self,
        template: str,
        *,
        name: str,
        title: Cell,
        more_inputs: tuple[str, ...] = (),
        **context: Any,
    ) -> RenderedFile:
        """``site/<locale>/<name>.html`` from ``site/<template>.html.j2``."""
        text = render_template(
            self.jinja,
            f"site/{template}.html.j2",
            {"site": self.site, "name": name, "title": title, **context},
        )
        # The templates are not among a page's inputs, as before they were templates: the
        # manifest stays as it was (the build's fingerprint covers every template).
        inputs = tuple(sorted({*self.inputs, *more_inputs})) if more_inputs else self.inputs
        return RenderedFile(f"site/{self.site.code}/{name}.html", text.encode("utf-8"), inputs)


def _index(
    pages: _Pages,
    tables: Sequence[ModuleTable],
    sending: Mapping[str, Any] | None,
    counted: Mapping[str, tuple[int, int]],
) -> RenderedFile:
    """The locale's index: how complete each page and the locale are."""
    site = pages.site
    rows: list[dict[str, Any]] = []
    done = total = 0

    def row(page: str, title: Cell, translated: int, count: int) -> dict[str, Any]:
        share = format_percent(completeness(translated, count), locale=site.code)
        return {
            "page": page,
            "title": title,
            "translated": translated,
            "count": count,
            "percent": share,
        }

    for table in tables:
        rows.append(row(table.page, table.title, table.translated, table.total))
        done, total = done + table.translated, total + table.total
    if sending is not None:
        strings, fallbacks = int(sending["strings"]), int(sending["fallbacks"])
        translated, strings = counted.get("(sending)", (strings - fallbacks, strings))
        title = sending["texts"]["title"]
        rows.append(
            row("sending", Cell(readable(title["text"]), title["fallback"]), translated, strings)
        )
        done, total = done + translated, total + strings
    done, total = counted.get("", (done, total))  # the locale's PO entries, as l10n stats
    return pages.render(
        "index",
        name="index",
        title=site.words["index_title"],
        rows=rows,
        done=done,
        total=total,
        percent=format_percent(completeness(done, total), locale=site.code),
    )


def _module_page(
    pages: _Pages, catalog: Catalog, table: ModuleTable, gettext: Gettext | None
) -> RenderedFile:
    """A module's page: its workflows, then its obsolete ones linked to their replacements."""
    site = pages.site
    untranslated = site.marked and table.translated == 0
    obsolete = []
    for workflow in catalog.workflows_of(table.key):
        if workflow.obsolete:
            found = gettext(f"{workflow.id}|label") if gettext else None
            label = Cell(readable(found or workflow.label), gettext is not None and not found)
            obsolete.append(
                {"id": workflow.id, "label": label, "replaced_by": workflow.replaced_by}
            )
    return pages.render(
        "module",
        name=table.page,
        title=table.title,
        banner=untranslated,
        marks=site.marked and not untranslated and table.translated < table.total,
        rows=table.rows,
        obsolete=obsolete,
    )


def _sending_page(
    pages: _Pages, context: Mapping[str, Any], inputs: tuple[str, ...]
) -> RenderedFile:
    """ "Confirming the send": the KPI list and the sending-process tables of the locale."""
    site = pages.site
    texts = context["texts"]
    strings, fallbacks = int(context["strings"]), int(context["fallbacks"])
    untranslated = site.marked and strings > 0 and fallbacks == strings
    return pages.render(
        "sending",
        name="sending",
        title=Cell(readable(texts["title"]["text"]), bool(texts["title"]["fallback"])),
        more_inputs=inputs,
        banner=untranslated,
        marks=site.marked and not untranslated and fallbacks > 0,
        texts=texts,
        kpis=context["kpis"],
        tables=context["tables"],
    )
