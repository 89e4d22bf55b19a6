"""Render the localized reference pages: one table per module and an index per locale (pure).

Each table has the documentation's own columns (Label | Internal name | Description). Labels
and descriptions come from the locale's PO file; the internal name is always the canonical id;
the description ends with the schedule sentence in the locale. What has no usable translation
is shown in English and visibly marked, so readers and translators both see the gap.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import format_percent
from markupsafe import Markup, escape

from ..l10n.messages import UI_WORDS
from ..l10n.stats import completeness
from ..model import Catalog, Module, Workflow
from .escape import one_line
from .jinja import render_template, template_input
from .targets import RenderedFile

__all__ = [
    "FILTERS",
    "Cell",
    "DocRow",
    "ModuleTable",
    "english_mark",
    "full_stop",
    "join_sentences",
    "locale_tables",
    "marked_html",
    "marked_md",
    "md_cell",
    "module_rows",
    "page_pair",
    "readable",
    "render_docs",
    "with_counts",
]

Gettext = Callable[[str], "str | None"]
SentenceFn = Callable[..., Any]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md_cell(text: str) -> str:
    """Text safe inside one Markdown table cell: one line, markup characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def marked_md(cell: Cell, untranslated: str) -> str:
    """A cell for a Markdown table, with `*(untranslated)*` after English stand-ins."""
    text = md_cell(cell.text)
    return f"{text} *({md_cell(untranslated)})*" if cell.untranslated and untranslated else text


def marked_html(cell: Cell, untranslated: str) -> Markup:
    """A cell for HTML with its English mark (``english_mark``); kept for templates written
    before the bundled ones left the text to autoescape."""
    return escape(cell.text) + english_mark(cell, untranslated)


def english_mark(cell: Cell, untranslated: str) -> Markup:
    """`` <em class="untranslated">(word)</em>`` after an English stand-in, else nothing; the
    cell's own text is left to the template's autoescape."""
    if cell.untranslated and untranslated:
        return Markup(' <em class="untranslated">(%s)</em>') % untranslated
    return Markup("")


# Filters, not macros, for the hot path: a Jinja macro call costs far more than a filter,
# and a module page has three cells per workflow.
FILTERS = {
    "md": md_cell,
    "marked_md": marked_md,
    "english_mark": english_mark,
    "marked_html": marked_html,
}


@dataclass(frozen=True)
class Cell:
    """A piece of text and whether it fell back to English."""

    text: str
    untranslated: bool = False


@dataclass(frozen=True)
class DocRow:
    """One row of a reference table; ``joiner`` goes between description and sentence."""

    id: str
    label: Cell
    description: Cell
    sentence: Cell | None
    joiner: str = " "


@dataclass(frozen=True)
class ModuleTable:
    """One module's page in one locale, with its translation completeness."""

    key: str
    title: Cell
    rows: tuple[DocRow, ...]
    translated: int
    total: int
    percent: str
    page: str


def _page_workflows(catalog: Catalog, module: Module) -> list[Workflow]:
    """The documented order, then any other current workflow of the module (obsolete ones are gone)."""
    ordered = [w for w in (catalog.get(i) for i in module.order()) if w is not None]
    seen = {w.id for w in ordered}
    ordered += [w for w in catalog.workflows_of(module.key) if w.id not in seen]
    return [w for w in ordered if not w.obsolete]


# CLDR's times put a narrow no-break space before "AM" (U+202F); many fonts have no glyph
# for it and show "2:00AM". The ordinary no-break space keeps the words together in any font.
_NARROW_NBSP = "\u202f"


def readable(text: str) -> str:
    """``text`` on one line, with spaces every font can draw."""
    return one_line(text).replace(_NARROW_NBSP, "\u00a0")


# Scripts written without spaces between sentences, ending them with an ideographic full stop.
_IDEOGRAPHIC_SCRIPTS = frozenset({"Jpan", "Hans", "Hant"})
_STOPS = ".!?\u3002\uff01\uff1f"  # . ! ? and their full-width forms


@functools.lru_cache(maxsize=256)  # asked once per row: parsing the locale is the cost
def full_stop(locale: str) -> str:
    """The sentence-ending mark of ``locale``: 。 for Japanese and Chinese, else ``.``.

    The script comes from CLDR's likely subtags (``ja`` -> ``ja_Jpan_JP``), so ``zh_Hant``,
    ``zh_TW`` or ``yue`` need no entry of their own.
    """
    try:
        parsed = Locale.parse(locale.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return "."
    script = parsed.script
    if not script:
        likely = get_global("likely_subtags")
        tag = likely.get(str(parsed)) or likely.get(parsed.language) or ""
        parts = tag.split("_")
        script = parts[1] if len(parts) > 1 else ""
    return "\u3002" if script in _IDEOGRAPHIC_SCRIPTS else "."


def join_sentences(first: str, second: str) -> str:
    """What goes between two sentences: nothing after a full-width stop, else a space."""
    return "" if first.endswith(("\u3002", "\uff01", "\uff1f")) or not second else " "


def _lookup(gettext: Gettext | None, context: str, english: str) -> Cell:
    if gettext is None:
        return Cell(readable(english))
    found = gettext(context)
    return Cell(readable(found)) if found else Cell(readable(english), untranslated=True)


def module_rows(
    *,
    catalog: Catalog,
    module: Module,
    locale: str,
    gettext: Gettext | None,
    sentence: SentenceFn | None,
) -> ModuleTable:
    """Build one module's table in ``locale``.

    Args:
        catalog: the canonical catalogue.
        module: the module to document.
        locale: a CLDR locale code (``sv``, ``de``...); ``en`` is the source language.
        gettext: msgctxt -> usable translation, or None for English.
        sentence: ``l10n.phrases.sentence`` (schedule -> localized sentence), or None.
    """
    rows = []
    translated = total = 0
    for workflow in _page_workflows(catalog, module):
        label = _lookup(gettext, f"{workflow.id}|label", workflow.label)
        description = _lookup(gettext, f"{workflow.id}|description", workflow.description)
        total += 2
        translated += (not label.untranslated) + (not description.untranslated)
        said = None
        if sentence is not None:
            # A workflow without a documented schedule says so: unknown is shown, not hidden.
            result = sentence(workflow.schedule, locale=locale, gettext=gettext)
            fallback = bool(result.fallback)
            said = Cell(
                _as_sentence(readable(result.text), "." if fallback else full_stop(locale)),
                untranslated=fallback and gettext is not None,
            )
        joiner = join_sentences(description.text, said.text) if said else " "
        rows.append(DocRow(workflow.id, label, description, said, joiner))
    title = _lookup(gettext, f"module|{module.key}", module.name)
    site_title = _lookup(gettext, "ui|index-title", UI_WORDS["index-title"])
    if not title.untranslated and title.text == site_title.text != module.name:
        # A module named as the whole reference ("Tekniska arbetsflöden" for Campaign
        # Standard, imported from a page title) would read "X › X" in the breadcrumbs:
        # its English name stands in; `l10n check` reports the entry (module-is-site-title).
        title = Cell(readable(module.name), untranslated=gettext is not None)
    total += 1
    translated += not title.untranslated
    return ModuleTable(
        key=module.key,
        title=title,
        rows=tuple(rows),
        translated=translated,
        total=total,
        percent=format_percent(completeness(translated, total), locale=locale),
        page=module.key,
    )


def locale_tables(
    *,
    catalog: Catalog,
    locale: str,
    gettext: Gettext | None,
    sentence: SentenceFn | None,
    modules: Sequence[str] | None = None,
) -> list[ModuleTable]:
    """The tables of every module with workflows (or of ``modules``), in catalogue order."""
    tables = []
    for module in catalog.modules:
        if modules is not None and module.key not in modules:
            continue
        table = module_rows(
            catalog=catalog, module=module, locale=locale, gettext=gettext, sentence=sentence
        )
        if table.rows:
            tables.append(table)
    return tables


def _as_sentence(phrase: str, stop: str = ".") -> str:
    """A schedule phrase as a sentence of its own: first letter up, closing full stop."""
    if not phrase:
        return phrase
    text = phrase[0].upper() + phrase[1:]
    return text if text[-1] in _STOPS else text + stop


def ui_words(gettext: Gettext | None) -> dict[str, str]:
    """The fixed words of the pages, translated where the locale has them."""
    return {
        key.replace("-", "_"): readable((gettext(f"ui|{key}") if gettext else None) or english)
        for key, english in UI_WORDS.items()
    }


# long: a locale's reference pages: context, then one page pair per module and the index
def render_docs(
    *,
    catalog: Catalog,
    locale: str,
    gettext: Gettext | None,
    sentence: SentenceFn | None,
    jinja: jinja2.Environment,
    inputs: Callable[[Sequence[str]], tuple[str, ...]],
    po_input: str | None,
    modules: Sequence[str] | None = None,
    tables: Sequence[ModuleTable] | None = None,
) -> list[RenderedFile]:
    """Render every module page and the index of one locale, in Markdown and HTML.

    Args:
        catalog: the canonical catalogue.
        locale: the locale to render.
        gettext: msgctxt -> usable translation (None for English).
        sentence: the schedule-sentence function, or None to leave sentences out.
        jinja: the template environment.
        inputs: catalogue file paths -> their names in the manifest.
        po_input: the PO file's name in the manifest, if the locale has one.
        modules: module keys to render (default: every module with workflows).
        tables: the locale's tables made before (``locale_tables``) for the same arguments,
            so a build that renders them twice (pages and site) makes them once.

    Returns:
        Files under ``docs/<locale>/``, sorted by path.
    """
    words = ui_words(gettext)
    if tables is None:
        tables = locale_tables(
            catalog=catalog, locale=locale, gettext=gettext, sentence=sentence, modules=modules
        )
    out: list[RenderedFile] = []
    po = (po_input,) if po_input else ()
    jinja.filters.update(FILTERS)
    # Fixed words shown in English for want of a translation: the templates mark them.
    english_words = (
        {key.replace("-", "_") for key in UI_WORDS if not gettext(f"ui|{key}")}
        if gettext is not None
        else set()
    )
    common = {
        "locale": locale,
        "words": words,
        "english_words": english_words,
        "md": md_cell,
    }
    for table in tables:
        sources = [w.location.file for w in catalog.workflows_of(table.key)]
        defined = catalog.module(table.key)
        if defined is not None:
            sources.append(defined.location.file)
        out += page_pair(
            jinja,
            page=f"docs/{locale}/{table.page}",
            template="module",
            context={**common, "table": table},
            inputs=(*inputs(sources), *po),
        )
    all_sources = [w.location.file for w in catalog.workflows] + [
        m.location.file for m in catalog.modules
    ]
    out += page_pair(
        jinja,
        page=f"docs/{locale}/index",
        template="index",
        context={**common, "tables": tables},
        inputs=(*inputs(all_sources), *po),
    )
    return sorted(out, key=lambda f: f.path)


def page_pair(
    jinja: jinja2.Environment,
    *,
    page: str,
    template: str,
    context: dict[str, Any],
    inputs: Sequence[str],
) -> list[RenderedFile]:
    """A reference page as ``<page>.md`` and ``<page>.html`` from ``<template>.md.j2`` and
    ``<template>.html.j2``, each listing its template among its inputs."""
    out = []
    for ext in ("md", "html"):
        name = f"{template}.{ext}.j2"
        text = render_template(jinja, name, context)
        out.append(
            RenderedFile(
                f"{page}.{ext}",
                (text.rstrip("\n") + "\n").encode("utf-8"),
                (*inputs, template_input(jinja, name)),
            )
        )
    return out


def with_counts(tables: list[Any], counted: Any, locale: str) -> list[Any]:
    """The module tables with the completeness ``wfgen l10n stats`` gives each module: its
    entries translated for the current English and not fuzzy, of all its entries."""
    from dataclasses import replace

    from babel.numbers import format_percent

    from ..l10n.stats import completeness

    out = []
    for table in tables:
        counts = counted.modules.get(table.key)
        out.append(
            replace(
                table,
                translated=counts.translated,
                total=counts.total,
                percent=format_percent(
                    completeness(counts.translated, counts.total), locale=locale
                ),
            )
            if counts is not None and counts.total
            else table
        )
    return out
