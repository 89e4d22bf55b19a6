"""A static localized site under out/site/<locale>/ (pure): index, module pages, sidebar,
breadcrumbs, previous/next, language switcher with hreflang, tables with <th scope="col">,
ids in <code> with a permalink anchor per workflow, obsolete workflows linked to their
replacement, one banner on an untranslated page and one marker per untranslated cell."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup, escape

from .catalog import Catalog
from .render import RenderedFile
from .render_docs import Cell, ModuleTable, module_rows, ui_words

__all__ = ["SEARCH_SCRIPT", "render_site", "search_index"]

# Plain script (no fetch, no modules): works from file:// and any static host.
SEARCH_SCRIPT = """(function(){
var box=document.getElementById('q'),list=document.getElementById('hits');
if(!box||!list||!window.WFGEN_INDEX)return;
function norm(s){return s.toLocaleLowerCase().normalize('NFKD').replace(/[\\u0300-\\u036f]/g,'');}
box.addEventListener('input',function(){
var q=norm(box.value.trim());list.textContent='';if(!q)return;
window.WFGEN_INDEX.filter(function(e){return norm(e.id+' '+e.label+' '+e.text).indexOf(q)>=0;})
.slice(0,20).forEach(function(e){var li=document.createElement('li'),a=document.createElement('a');
a.href=e.page+'.html#'+encodeURIComponent(e.id);a.textContent=e.label+' ('+e.id+')';li.appendChild(a);list.appendChild(li);});
});})();
"""

Gettext = Callable[[str], "str | None"]

_STYLE = """body{font-family:system-ui,sans-serif;margin:0;line-height:1.5;color:#1b1b1b;background:#fff}
.wrap{display:flex;flex-wrap:wrap;max-width:72rem;margin:auto;padding:1rem;gap:1rem}
nav.side{flex:0 0 14rem}main{flex:1 1 20rem;min-width:0}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:.3rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
.banner{background:#fff3cd;color:#1b1b1b;padding:.5rem}.mark{font-size:.8em;color:#6b4c00}
a{color:#0645ad}
@media (prefers-color-scheme:dark){body{background:#121212;color:#eee}a{color:#8ab4f8}th,td{border-color:#555}.mark{color:#f0c674}}
@media (max-width:40rem){nav.side{order:2}}
.switch{padding:.5rem 1rem}
@media print{nav,.switch{display:none}}"""


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


def _cell(cell: Cell, marker: str) -> Markup:
    text = escape(cell.text)
    if cell.untranslated:
        text += Markup(' <span class="mark" title="%s">*</span>') % marker
    return Markup(text)


def _page(
    *, locale: str, locales: Sequence[str], name: str, title: str, body: Markup, side: Markup
) -> bytes:
    alternates = Markup("").join(
        Markup('<link rel="alternate" hreflang="%s" href="../%s/%s.html">\n') % (o, o, name)
        for o in locales
    )
    switch = Markup(" ").join(
        Markup('<a href="../%s/%s.html" hreflang="%s" lang="%s">%s</a>') % (o, name, o, o, o)
        if o != locale
        else Markup('<strong aria-current="page">%s</strong>') % o
        for o in locales
    )
    html = Markup(
        '<!DOCTYPE html>\n<html lang="%s">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>%s</title>\n%s<style>%s</style>\n</head>\n<body>\n"
        '<nav class="switch" aria-label="Language">%s</nav>\n<div class="wrap">\n'
        '<nav class="side" aria-label="Modules">'
        '<form role="search" onsubmit="return false"><label for="q">Search</label> '
        '<input id="q" type="search" autocomplete="off"><ul id="hits" aria-live="polite"></ul></form>'
        "%s</nav>\n<main>\n%s</main>\n</div>\n"
        '<script src="search-index.js"></script>\n<script src="../search.js"></script>\n</body>\n</html>\n'
    ) % (locale, title, alternates, Markup(_STYLE), switch, side, body)
    return str(html).encode("utf-8")


def render_site(
    *,
    catalog: Catalog,
    locales: Sequence[str],
    gettexts: dict[str, Gettext | None],
    sentence: Callable[..., Any] | None,
    inputs: dict[str, tuple[str, ...]] | None = None,
) -> list[RenderedFile]:
    """Every page of the site for every locale, under ``site/<locale>/``.

    ``inputs`` gives, per locale, the manifest names of what its pages are made from.
    """
    out: list[RenderedFile] = []
    for locale in locales:
        gettext = gettexts.get(locale)
        words = ui_words(gettext)
        marker = words.get("untranslated", "untranslated")
        tables: list[ModuleTable] = []
        for module in catalog.modules:
            table = module_rows(
                catalog=catalog, module=module, locale=locale, gettext=gettext, sentence=sentence
            )
            if table.rows:
                tables.append(table)
        side = Markup("<ul>%s</ul>") % Markup("").join(
            Markup('<li><a href="%s.html">%s</a></li>') % (t.page, t.title.text) for t in tables
        )
        index_rows = Markup("").join(
            Markup('<tr><td><a href="%s.html">%s</a></td><td>%s</td></tr>')
            % (t.page, t.title.text, t.percent)
            for t in tables
        )
        index_body = Markup(
            '<h1>%s</h1>\n<table><thead><tr><th scope="col">%s</th><th scope="col">%%</th>'
            "</tr></thead><tbody>%s</tbody></table>\n"
        ) % (words.get("index_title", "Workflows"), words.get("module", "Module"), index_rows)
        out.append(
            RenderedFile(
                f"site/{locale}/index.html",
                _page(
                    locale=locale,
                    locales=locales,
                    name="index",
                    title=words.get("index_title", "Workflows"),
                    body=index_body,
                    side=side,
                ),
                (inputs or {}).get(locale, ()),
            )
        )
        for number, table in enumerate(tables):
            out.append(
                _module_page(
                    catalog,
                    table=table,
                    tables=tables,
                    number=number,
                    locale=locale,
                    locales=locales,
                    side=side,
                    marker=marker,
                    inputs=(inputs or {}).get(locale, ()),
                )
            )
        out.append(
            RenderedFile(
                f"site/{locale}/search-index.js",
                search_index(tables),
                (inputs or {}).get(locale, ()),
            )
        )
    out.append(RenderedFile("site/search.js", SEARCH_SCRIPT.encode(), ()))
    return sorted(out, key=lambda f: f.path)


def _module_page(
    catalog: Catalog,
    *,
    table: ModuleTable,
    tables: Sequence[ModuleTable],
    number: int,
    locale: str,
    locales: Sequence[str],
    side: Markup,
    marker: str,
    inputs: tuple[str, ...],
) -> RenderedFile:
    rows = []
    for row in table.rows:
        description = _cell(row.description, marker)
        if row.sentence is not None:
            description += Markup(row.joiner) + _cell(row.sentence, marker)
        rows.append(
            Markup(
                '<tr id="%s"><td>%s</td><td><code>%s</code> <a href="#%s">#</a></td><td>%s</td></tr>'
            )
            % (row.id, _cell(row.label, marker), row.id, row.id, description)
        )
    for workflow in catalog.workflows_of(table.key):
        if workflow.obsolete:
            target = (
                Markup(' <a href="#%s">%s</a>') % (workflow.replaced_by, workflow.replaced_by)
                if workflow.replaced_by
                else Markup("")
            )
            rows.append(
                Markup(
                    '<tr id="%s"><td><del>%s</del></td><td><code>%s</code></td><td>obsolete%s</td></tr>'
                )
                % (workflow.id, workflow.label, workflow.id, target)
            )
    untranslated = all(r.label.untranslated and r.description.untranslated for r in table.rows)
    banner = Markup('<p class="banner" role="note">%s</p>') % marker if untranslated else Markup("")
    links = []
    if number > 0:
        links.append(
            Markup('<a rel="prev" href="%s.html">%s</a>')
            % (tables[number - 1].page, tables[number - 1].title.text)
        )
    if number + 1 < len(tables):
        links.append(
            Markup('<a rel="next" href="%s.html">%s</a>')
            % (tables[number + 1].page, tables[number + 1].title.text)
        )
    body = Markup(
        '<nav aria-label="Breadcrumb"><a href="index.html">index</a> / %s</nav>\n<h1>%s</h1>\n%s'
        '<table><thead><tr><th scope="col">Label</th><th scope="col">Id</th>'
        '<th scope="col">Description</th></tr></thead><tbody>%s</tbody></table>\n<p>%s</p>\n'
    ) % (
        table.title.text,
        table.title.text,
        banner,
        Markup("").join(rows),
        Markup(" | ").join(links),
    )
    return RenderedFile(
        f"site/{locale}/{table.page}.html",
        _page(
            locale=locale,
            locales=locales,
            name=table.page,
            title=table.title.text,
            body=body,
            side=side,
        ),
        inputs,
    )
