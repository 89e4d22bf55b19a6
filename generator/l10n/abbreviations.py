"""Abbreviations a language writes with a full stop, so a sentence count does not end there.

"varje dag kl. {times}" is one sentence: Swedish writes the hour as "kl.". A full stop
followed by a space and a word that is not lower case reads as a sentence end to
translate-toolkit's ``sentencecount``, so every schedule sentence wfgen pre-fills from CLDR
would be "two sentences" against the English one. The abbreviations come from CLDR itself
(Babel's locale data: month, day, era and day-period names, unit names, relative date
fields, the literal words of date and time patterns), plus the few everyday ones CLDR has
no field for (``t.ex.``, ``z. B.``, ``e.g.``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["TABLE", "abbreviations", "computed", "mask_abbreviations"]

# Everyday abbreviations with a full stop that CLDR has no field for, by language.
_EVERYDAY: dict[str, tuple[str, ...]] = {
    "en": ("e.g.", "i.e.", "etc.", "approx.", "vs.", "no.", "cf.", "incl.", "excl."),
    "sv": (
        "t.ex.",
        "bl.a.",
        "d.v.s.",
        "dvs.",
        "ca.",
        "s.k.",
        "m.m.",
        "o.s.v.",
        "osv.",
        "resp.",
        "inkl.",
        "exkl.",
        "fr.o.m.",
        "t.o.m.",
        "nr.",
        "kl.",
    ),
    "da": ("f.eks.", "bl.a.", "dvs.", "ca.", "osv.", "inkl.", "kl.", "nr."),
    "nb": ("f.eks.", "bl.a.", "dvs.", "ca.", "osv.", "inkl.", "kl.", "nr."),
    "de": (
        "z.B.",
        "z. B.",
        "d.h.",
        "d. h.",
        "bzw.",
        "ca.",
        "usw.",
        "ggf.",
        "inkl.",
        "evtl.",
        "u.a.",
        "u. a.",
        "bspw.",
        "Nr.",
        "vgl.",
    ),
    "nl": ("bijv.", "d.w.z.", "ca.", "enz.", "incl.", "nr."),
    "fr": ("p. ex.", "env.", "etc.", "c.-à-d.", "cf.", "n°.", "hab."),
    "it": ("ad es.", "p.es.", "es.", "ecc.", "ca.", "n.", "pag."),
    "es": ("p. ej.", "etc.", "aprox.", "núm.", "pág.", "ej."),
    "pt": ("p. ex.", "etc.", "aprox.", "n.º", "pág."),
}
_BABEL_FIELDS = (
    "months",
    "days",
    "quarters",
    "eras",
    "day_periods",
    "unit_patterns",
    "unit_display_names",
    "date_fields",
    "datetime_formats_relative",
    "compact_decimal_formats",
    "list_patterns",
)
_PATTERN_FIELDS = ("date_formats", "time_formats", "datetime_formats", "datetime_skeletons")
# A word ending in a full stop, dots inside allowed ("e.Kr."), starting a word.
_ABBREVIATION = re.compile(r"(?<![^\s(\"'«„“])[^\W\d_][\w.]*\.")
# In a date or time pattern, unquoted letters are fields (d, MM, HH); quoted text is literal.
_PATTERN_PART = re.compile(r"'([^']*)'|[A-Za-z]+")


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key in value:
            yield from _texts(value[key])
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)
    elif value is not None:
        yield str(getattr(value, "pattern", value))


def _literal(pattern: str) -> str:
    return _PATTERN_PART.sub(lambda m: m.group(1) if m.group(1) is not None else "0", pattern)


# The abbreviations of each language CLDR has, worked out ahead by :func:`computed` for the
# Babel release named in it (walking a locale's CLDR data takes about 10 ms a locale).
TABLE = Path(__file__).with_name("abbreviations.json")


@lru_cache(maxsize=1)
def _table() -> dict[str, list[str]]:
    import babel

    try:
        data = json.loads(TABLE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("babel") != babel.__version__:
        return {}  # another CLDR: work each locale out
    locales = data.get("locales")
    return locales if isinstance(locales, dict) else {}


@lru_cache(maxsize=64)
def abbreviations(locale: str) -> frozenset[str]:
    """The locale's abbreviations written with a full stop (CLDR's and the everyday ones)."""
    known = _table().get(locale)
    if known is not None:
        return frozenset(known)
    return computed(locale)


def computed(locale: str) -> frozenset[str]:
    """:func:`abbreviations` worked out from Babel's CLDR data and the everyday ones."""
    from babel import Locale, UnknownLocaleError

    language = locale.replace("-", "_").split("_")[0].lower()
    found = set(_EVERYDAY.get(language, ()))
    try:
        data = Locale.parse(locale.replace("-", "_"))._data
    except (ValueError, UnknownLocaleError):
        return frozenset(found)
    for name in _BABEL_FIELDS:
        for text in _texts(data.get(name)):
            found.update(_ABBREVIATION.findall(text))
    for name in _PATTERN_FIELDS:
        for text in _texts(data.get(name)):
            found.update(_ABBREVIATION.findall(_literal(text)))
    return frozenset(found)


@lru_cache(maxsize=64)
def _pattern(locale: str) -> re.Pattern[str] | None:
    words = sorted(abbreviations(locale), key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?=\s|$)")


def mask_abbreviations(text: str, locale: str) -> str:
    """``text`` with the full stops of the locale's abbreviations removed (for counting)."""
    pattern = _pattern(locale)
    if pattern is None or "." not in text:
        return text
    return pattern.sub(lambda m: m.group(0).replace(".", ""), text)
