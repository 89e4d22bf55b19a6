"""Translatable strings of the sending model, and the context the reference templates need.

Strings keep the page's markup: ``**[!UICONTROL name]**`` marks a UI term that stays verbatim
in every locale, ``{kpi}`` and ``{percent}`` are filled in at render time (the percentage
through CLDR, so Swedish reads ``0 %``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from babel.numbers import format_percent
from markupsafe import Markup

from .model import SendingModel

__all__ = [
    "UICONTROL",
    "context_of",
    "messages",
    "reference_context",
    "to_html",
    "to_markdown",
    "to_markdown_text",
]

UICONTROL = re.compile(r"\*\*\[!UICONTROL ([^\]]+)\]\*\*")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")


def context_of(kind: str, key: str) -> str:
    """The PO ``msgctxt`` of a sending term, e.g. ``sending|status|pending``."""
    return f"sending|{kind}|{key}"


def messages(model: SendingModel) -> list[tuple[str, str, str]]:
    """Every translatable string of the model: (msgctxt, English text, translator comment).

    Args:
        model: the sending model.

    Returns:
        Entries in page order; contexts are unique.
    """
    keep = "Keep **[!UICONTROL ...]** names and {placeholders} exactly as they are."
    out: list[tuple[str, str, str]] = []
    for key, text in model.texts:
        out.append(
            (context_of("ui", key), text, f"'Confirming the send' reference page ({key}). {keep}")
        )
    for kpi in model.kpis:
        out.append(
            (context_of("kpi", kpi.key), kpi.text, "KPI of the Deployment zone (list item).")
        )
    for status in model.statuses:
        out.append(
            (
                context_of("status", status.key),
                status.ui,
                "Sending-log status, a UI term: use the glossary term, the same everywhere.",
            )
        )
    for event in model.events:
        out.append(
            (
                context_of("event", event.key),
                event.text,
                "Step in the sending process (first column of the EFS tables).",
            )
        )
    return out


def to_markdown(text: str) -> str:
    """Page markup -> Markdown: ``**[!UICONTROL Sent]**`` becomes ``**Sent**``."""
    return UICONTROL.sub(r"**\1**", text)


# Everything Markdown (CommonMark and GFM tables) reads as markup inside a line: emphasis,
# code, links, raw HTML and entities, headings, quotes, strikethrough, table cells.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&{}])")
# What starts a block when it opens a line: a list item, a numbered item, a setext underline.
_MD_LEAD = re.compile(r"^(\d{1,9})([.)])|^([-+=])")
_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def to_markdown_text(text: str) -> str:
    """Page markup -> Markdown that can only be text: on one line, every markup character
    escaped, UI terms in ``**bold**``. A translation cannot add raw HTML, a heading, a list,
    a link or a table cell, nor split a table row.
    """
    flat = _BREAKS.sub(" ", text).strip()
    parts: list[str] = []
    last = 0
    for found in UICONTROL.finditer(flat):
        parts.append(_md_escape(flat[last : found.start()]))
        parts.append(f"**{_md_escape(found.group(1))}**")
        last = found.end()
    parts.append(_md_escape(flat[last:]))
    return _MD_LEAD.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", "".join(parts))


def to_html(text: str) -> Markup:
    """Page markup -> escaped HTML with UI terms in ``<strong>``."""
    escaped = html.escape(to_markdown(text), quote=False)
    return Markup(_BOLD.sub(r"<strong>\1</strong>", escaped))


def _string(text: str, *, fallback: bool) -> dict[str, Any]:
    # The templates mark fallbacks themselves.
    return {
        "text": text,
        "md": to_markdown_text(text),
        "html": to_html(text),
        "fallback": fallback,
    }


# long: the page's whole context, one entry per string of the page
def reference_context(
    model: SendingModel, *, locale: str, gettext: Callable[[str], str | None]
) -> dict[str, Any]:
    """Everything ``sending.md.j2`` and ``sending.html.j2`` need for one locale.

    Args:
        model: the sending model.
        locale: the locale to render (``en``, ``sv``, ...); numbers are formatted by CLDR.
        gettext: msgctxt -> translated text, or None when untranslated (fuzzy counts as None).

    Returns:
        A mapping of plain data; every string is a dict with ``text``, ``md``, ``html`` and
        ``fallback`` (True when the English text stands in for a missing translation);
        ``untranslated`` is the word the templates mark fallbacks with (``ui|untranslated``).
    """
    english = locale.split("_", maxsplit=1)[0].split("-", maxsplit=1)[0] == "en"

    def lookup(kind: str, key: str, source: str, **fill: str) -> dict[str, Any]:
        found = None if english else gettext(context_of(kind, key))
        text = found if found else source
        for name, value in fill.items():
            text = text.replace("{" + name + "}", value)
        return _string(text, fallback=not english and not found)

    texts = dict(model.texts)

    def ui(key: str) -> dict[str, Any]:
        return lookup("ui", key, texts[key])

    def effect(kpi: str, row_effect: Any) -> dict[str, Any]:
        name = model.kpi(kpi).ui or kpi
        fill = {"kpi": f"**[!UICONTROL {name}]**"}
        key = f"effect_{row_effect.kind}"
        if row_effect.kind == "starts_at":
            # An English stand-in sentence keeps English number formatting too.
            translated = not english and gettext(context_of("ui", key))
            fill["percent"] = format_percent(
                row_effect.percent / 100, locale=locale if translated else "en"
            )
        return lookup("ui", key, texts[key], **fill)

    tables: list[dict[str, Any]] = []
    for table in model.tables:
        tables.append(
            {
                "mode": table.mode,
                "caption": ui(f"table_{table.mode}"),
                "columns": [ui("column_step"), ui("column_kpis"), ui("column_status")],
                "rows": [
                    {
                        "event": row.event,
                        "step": lookup("event", row.event, model.event(row.event).text),
                        "effects": [effect(kpi, row.effect(kpi)) for kpi in table.kpis],
                        "status_key": row.status,
                        "status": lookup("status", row.status, model.status(row.status).ui),
                    }
                    for row in table.shown
                ],
            }
        )
    strings = {
        key: ui(key) for key in texts if not key.startswith(("effect_", "table_", "column_"))
    }
    kpis: list[dict[str, Any]] = [
        {
            "key": k.key,
            "unit": k.unit,
            "ui": k.ui,
            "refresh": k.refresh,
            "item": lookup("kpi", k.key, k.text),
        }
        for k in model.kpis
    ]
    every: list[dict[str, Any]] = [*strings.values(), *(k["item"] for k in kpis)]
    for t in tables:
        every += [t["caption"], *t["columns"]]
        for r in t["rows"]:
            every += [r["step"], r["status"], *r["effects"]]
    untranslated = (None if english else gettext("ui|untranslated")) or "untranslated"
    return {
        "locale": locale,
        "page": model.page,
        "texts": strings,
        "kpis": kpis,
        "tables": tables,
        "confirm": {"role": model.confirm.role, "button": model.confirm.button},
        "untranslated": untranslated,
        "untranslated_md": to_markdown_text(untranslated),
        "fallbacks": sum(1 for s in every if s["fallback"]),
        "strings": len(every),
    }
