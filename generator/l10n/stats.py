"""How far each locale is: translated, fuzzy, untranslated and obsolete entries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog as PoCatalog

from .messages import Message
from .po import available_locales, po_path, read_po_file
from .review import needs_review
from .update import L10nSettings, load_messages

__all__ = ["Counts", "LocaleStats", "completeness", "locale_stats", "stats", "stats_json"]

_MODULE = re.compile(r"\(module ([^)]+)\)")


def completeness(translated: int, total: int) -> float:
    """The share of entries translated, rounded down to a whole percent (as ``pocount``
    does): a locale reads 100 % only when every entry is translated. 1.0 when there are none."""
    return (translated * 100 // total) / 100 if total else 1.0


@dataclass
class Counts:
    """Entry counts; ``translated + fuzzy + untranslated`` is the catalogue's entry count.

    ``review`` counts the fuzzy entries that await review (``#, fuzzy`` and a ``(review)``
    comment: imported where pages disagreed, or repaired). They are fuzzy, as Poedit and
    Weblate show them; the build still uses them (see ``review.py``).
    """

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    review: int = 0

    @property
    def total(self) -> int:
        """Entries of the current catalogue (obsolete ones are not among them)."""
        return self.translated + self.fuzzy + self.untranslated

    def to_json(self) -> dict[str, int]:
        """Stable machine-readable form."""
        return {
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "obsolete": self.obsolete,
            "total": self.total,
            "review": self.review,
            "percent": int(completeness(self.translated, self.total) * 100),
        }


@dataclass
class LocaleStats:
    """Counts of one locale, in all and per module."""

    locale: str
    counts: Counts = field(default_factory=Counts)
    modules: dict[str, Counts] = field(default_factory=dict)

    def module(self, key: str) -> Counts:
        """The counts of ``key``, created on first use."""
        return self.modules.setdefault(key, Counts())


def locale_stats(locale: str, po: PoCatalog | None, msgs: Sequence[Message]) -> LocaleStats:
    """Count the entries of one locale against the current messages.

    An entry counts as translated only when it has a translation, is not fuzzy, and was
    made for the current English; a translation of other English counts as fuzzy.
    """
    result = LocaleStats(locale)
    entries = {str(m.context): m for m in po or () if m.id and m.context}
    for message in msgs:
        entry = entries.pop(message.context, None)
        string = entry.string if entry is not None and isinstance(entry.string, str) else ""
        if entry is None or not string:
            kind = "untranslated"
        elif entry.fuzzy or entry.id != message.english or needs_review(entry):
            kind = "fuzzy"
        else:
            kind = "translated"
        flagged = kind == "fuzzy" and entry is not None and needs_review(entry)
        for counts in (result.counts, result.module(message.module)):
            setattr(counts, kind, getattr(counts, kind) + 1)
            counts.review += flagged
    gone = [*entries.values(), *(po.obsolete.values() if po is not None else ())]
    for entry in gone:
        found = next((m for c in entry.auto_comments if (m := _MODULE.search(c))), None)
        result.counts.obsolete += 1
        result.module(found.group(1) if found else "(unknown)").obsolete += 1
    return result


def stats(settings: L10nSettings, locales: Sequence[str] | None = None) -> list[LocaleStats]:
    """Counts for every locale (or the given ones), sorted by locale."""
    msgs = load_messages(settings.catalog_dir)
    out = []
    for locale in sorted(locales or available_locales(settings.locales_dir)):
        path = po_path(settings.locales_dir, locale)
        po = read_po_file(path, locale) if path.is_file() else None
        out.append(locale_stats(locale, po, msgs))
    return out


def stats_json(results: Sequence[LocaleStats]) -> dict[str, object]:
    """The documented JSON form: ``{"locales": {loc: {..counts.., "modules": {key: counts}}}}``."""
    return {
        "locales": {
            r.locale: {
                **r.counts.to_json(),
                "modules": {key: r.modules[key].to_json() for key in sorted(r.modules)},
            }
            for r in results
        }
    }
