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

from babel.numbers import format_percent
from markupsafe import Markup, escape

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
    cell_html,
    cell_markup,
    frame,
    ident,
    marker,
    page,
    search_index,
    words_for,
)
from .pages import Cell, ModuleTable, locale_tables, readable
from .site_root import root_files
from .targets import RenderedFile

__all__ = ["render_site", "search_index"]


def render_site(
    *,
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
        names = names or ["index", *(e.page for e in entries)]
        out.append(
            RenderedFile(
                f"site/{locale}/index.html",
                _index(site, page_tables, context, (completeness or {}).get(locale, {})),
                made_from,
            )
        )
        for table in page_tables:
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
        out.append(
            RenderedFile(f"site/{locale}/search-index.js", search_index(page_tables), made_from)
        )
    if codes:
        out += root_files(codes=codes, words=said, pages=names, base=base)
    out += [RenderedFile(f"site/{name}", asset(name), ()) for name in ASSETS]
    return sorted(out, key=lambda f: f.path)


def _index(
    site: SiteLocale,
    tables: Sequence[ModuleTable],
    sending: Mapping[str, Any] | None,
    counted: Mapping[str, tuple[int, int]],
) -> bytes:
    words = site.words
    rows = []
    done = total = 0

    def row(page: str, title: Cell, translated: int, count: int) -> Markup:
        share = completeness(translated, count)
        return Markup(
            '<tr><th scope="row"><a href="%s.html">%s</a></th>'
            '<td data-label="%s"><meter min="0" max="%d" value="%d" aria-hidden="true"></meter> '
            '%s <span class="count">(%d/%d)</span></td></tr>'
        ) % (
            page,
            cell_html(title, site, mark=True),
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
        translated, strings = counted.get("(sending)", (strings - fallbacks, strings))
        title = sending["texts"]["title"]
        rows.append(
            row("sending", Cell(readable(title["text"]), title["fallback"]), translated, strings)
        )
        done, total = done + translated, total + strings
    done, total = counted.get("", (done, total))  # the locale's PO entries, as l10n stats
    overall = completeness(done, total)
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
    return page(site, name="index", title=words["index_title"], body=body)


_ROW = (
    '<tr id="%s"><td data-label="%s">%s</td><td data-label="%s">%s '
    '<a class="anchor" href="#%s" aria-label="%s">#</a></td>'
    '<td data-label="%s">%s</td></tr>'
)


def _module_page(
    catalog: Catalog, site: SiteLocale, table: ModuleTable, gettext: Gettext | None
) -> bytes:
    words = site.words
    untranslated = site.marked and table.translated == 0
    marks = site.marked and not untranslated and table.translated < table.total
    head = [words["label"], words["internal_name"], words["description"]]
    labels = [escape(h.text) for h in head]
    rows = []
    for row in table.rows:
        description = cell_html(row.description, site, mark=marks)
        if row.sentence is not None:
            description += Markup(row.joiner) + cell_html(row.sentence, site, mark=marks)
        workflow_id = escape(row.id)
        # str % of escaped values, as Markup % writes them, without its per-value wrapper.
        rows.append(
            Markup(
                _ROW
                % (
                    workflow_id,
                    labels[0],
                    cell_html(row.label, site, mark=marks),
                    labels[1],
                    ident(row.id),
                    workflow_id,
                    workflow_id,
                    labels[2],
                    description,
                )
            )
        )
    for workflow in catalog.workflows_of(table.key):
        if not workflow.obsolete:
            continue
        found = gettext(f"{workflow.id}|label") if gettext else None
        label = Cell(readable(found or workflow.label), gettext is not None and not found)
        target = (
            Markup(' %s <a href="#%s">%s</a>')
            % (words.html("replaced_by"), workflow.replaced_by, ident(workflow.replaced_by))
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
                cell_markup(label),
                head[1].text,
                ident(workflow.id),
                head[2].text,
                words.html("obsolete"),
                target,
            )
        )
    columns = Markup("").join(
        Markup('<th scope="col">%s</th>') % cell_html(h, site, mark=True) for h in head
    )
    content = Markup(
        '<table class="workflows cards"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>\n'
    ) % (columns, Markup("").join(rows))
    return page(
        site,
        name=table.page,
        title=table.title,
        body=frame(
            site,
            name=table.page,
            title=table.title,
            content=content,
            banner=untranslated,
            marks=marks,
        ),
    )


def _sending_page(site: SiteLocale, context: Mapping[str, Any]) -> bytes:
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
            marker(site) if marks else Markup(""),
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
    return page(
        site,
        name="sending",
        title=title,
        body=frame(
            site,
            name="sending",
            title=title,
            content=Markup("").join(parts),
            banner=untranslated,
            marks=marks,
        ),
    )
