"""What every page of a locale's site shares: its own words, its pages for the sidebar and
previous/next, the search index. The markup is in the templates ``templates/site/*.html.j2``."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from babel import Locale, UnknownLocaleError

from ..l10n.messages import SITE_WORDS, UI_WORDS
from .pages import Cell, ModuleTable, readable

__all__ = [
    "ASSETS",
    "Entry",
    "Gettext",
    "SendingContext",
    "SiteLocale",
    "Words",
    "asset",
    "id_pieces",
    "language_name",
    "search_index",
    "words_for",
]

Gettext = Callable[[str], "str | None"]
SendingContext = Callable[[str, "Gettext | None"], "Mapping[str, Any] | None"]

ASSETS = ("site.css", "search.js")


@dataclass(frozen=True)
class Words:
    """The locale's fixed words as cells (text, and whether it is an English stand-in)."""

    cells: Mapping[str, Cell]

    def __getitem__(self, key: str) -> Cell:
        return self.cells[key]


def words_for(gettext: Gettext | None) -> Words:
    cells: dict[str, Cell] = {}
    for key, english in {**UI_WORDS, **SITE_WORDS}.items():
        found = gettext(f"ui|{key}") if gettext else None
        cells[key.replace("-", "_")] = Cell(
            readable(found or english), untranslated=gettext is not None and not found
        )
    return Words(cells)


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


def id_pieces(workflow_id: str) -> list[str]:
    """An id cut after each ``_`` and ``.``: where a line may break (never inside a word)."""
    return workflow_id.replace("_", "_\0").replace(".", ".\0").split("\0")
