"""Numbers and times in prose: digits, clock times and small number words per locale."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["NUMBER_WORDS", "Quantities", "english_quantities", "translated_quantities"]

# Small cardinal words, as documentation writes "every three hours" or "klockan tre".
# Words that double as articles ("en", "ein", "un", "one") are left out on purpose:
# reading them as numbers would invent findings. Babel ships no CLDR spell-out rules,
# so these few words per language live here; other locales are "cannot verify".
NUMBER_WORDS: dict[str, dict[str, int]] = {
    "da": {
        "to": 2,
        "tre": 3,
        "fire": 4,
        "fem": 5,
        "seks": 6,
        "syv": 7,
        "otte": 8,
        "ni": 9,
        "ti": 10,
        "elleve": 11,
        "tolv": 12,
    },
    "de": {
        "zwei": 2,
        "drei": 3,
        "vier": 4,
        "fünf": 5,
        "sechs": 6,
        "sieben": 7,
        "acht": 8,
        "neun": 9,
        "zehn": 10,
        "elf": 11,
        "zwölf": 12,
        "fünfzehn": 15,
        "zwanzig": 20,
        "dreißig": 30,
        "mitternacht": 0,
    },
    "en": {
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
        "eleven": 11,
        "twelve": 12,
        "fifteen": 15,
        "twenty": 20,
        "thirty": 30,
        "midnight": 0,
        "noon": 12,
    },
    "es": {
        "dos": 2,
        "tres": 3,
        "cuatro": 4,
        "cinco": 5,
        "seis": 6,
        "siete": 7,
        "ocho": 8,
        "nueve": 9,
        "diez": 10,
        "once": 11,
        "doce": 12,
    },
    "fr": {
        "deux": 2,
        "trois": 3,
        "quatre": 4,
        "cinq": 5,
        "six": 6,
        "sept": 7,
        "huit": 8,
        "neuf": 9,
        "dix": 10,
        "onze": 11,
        "douze": 12,
    },
    "it": {
        "due": 2,
        "tre": 3,
        "quattro": 4,
        "cinque": 5,
        "sei": 6,
        "sette": 7,
        "otto": 8,
        "nove": 9,
        "dieci": 10,
        "undici": 11,
        "dodici": 12,
        "quindici": 15,
        "venti": 20,
        "trenta": 30,
        "mezzanotte": 0,
        "mezzogiorno": 12,
    },
    "nb": {
        "to": 2,
        "tre": 3,
        "fire": 4,
        "fem": 5,
        "seks": 6,
        "sju": 7,
        "åtte": 8,
        "ni": 9,
        "ti": 10,
        "elleve": 11,
        "tolv": 12,
    },
    "nl": {
        "twee": 2,
        "drie": 3,
        "vier": 4,
        "vijf": 5,
        "zes": 6,
        "zeven": 7,
        "acht": 8,
        "negen": 9,
        "tien": 10,
        "elf": 11,
        "twaalf": 12,
    },
    "pt": {
        "dois": 2,
        "duas": 2,
        "três": 3,
        "quatro": 4,
        "cinco": 5,
        "seis": 6,
        "sete": 7,
        "oito": 8,
        "nove": 9,
        "dez": 10,
        "onze": 11,
        "doze": 12,
    },
    "sv": {
        "två": 2,
        "tre": 3,
        "fyra": 4,
        "fem": 5,
        "sex": 6,
        "sju": 7,
        "åtta": 8,
        "nio": 9,
        "tio": 10,
        "elva": 11,
        "tolv": 12,
        "femton": 15,
        "tjugo": 20,
        "trettio": 30,
        "midnatt": 0,
    },
}

_EN_TIME = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\b\.?", re.IGNORECASE)
_CLOCK = re.compile(r"(?<![\d.,])(\d{1,2})[:.h](\d{2})(?![\d])")
# At most 18 digits: a longer run is no quantity, and int() refuses over 4,300 digits.
_DIGITS = re.compile(r"(?<![\w.])(\d{1,18})(?:st|nd|rd|th|e|:e|\.)?(?![\d])")
_WORD = re.compile(r"[^\W\d_]+")
_ANY_DIGIT = re.compile(r"\d")
# Digits that are part of identifiers, versions or markup are not quantities.
# Linear: a tag cannot hold ``<``, and a dotted number starts where its digits start.
_NOT_A_QUANTITY = re.compile(r"\b\w*[A-Za-z]\d\w*\b|\bv\d+\b|<[^<>]*>|(?<![\d.])\d+(?:\.\d+){2,}")


# Hour-only clock phrases ("um 1 Uhr", "klockan tre", "alle 2"): the hour is a time, not a count.
_HOUR_ONLY: dict[str, re.Pattern[str]] = {
    "de": re.compile(r"\b(?:um\s+)?(\w+)\s+Uhr\b"),
    "sv": re.compile(r"\b(?:kl\.|klockan)\s*(\w+)\b(?![.:]\d)", re.IGNORECASE),
    "it": re.compile(r"\b(?:alle|ore)\s+(\w+)\b(?![.:]\d)", re.IGNORECASE),
}


@dataclass(frozen=True)
class Quantities:
    """The times (hour, minute) and plain numbers a text states."""

    times: frozenset[tuple[int, int]]
    numbers: frozenset[int]
    words_known: bool

    @property
    def empty(self) -> bool:
        """True when the text states no number or time at all."""
        return not self.times and not self.numbers

    def values(self) -> frozenset[int]:
        """Every number, counting each time's hour and minute."""
        return self.numbers | {h for h, _ in self.times} | {m for _, m in self.times if m}


def _clean(text: str) -> str:
    return _NOT_A_QUANTITY.sub(" ", text)


def english_quantities(text: str) -> Quantities:
    """Read times (``2am``, ``02:00``, ``midnight``) and numbers from English prose."""
    text = _clean(text)
    times: set[tuple[int, int]] = set()
    for match in _EN_TIME.finditer(text):
        hour = int(match.group(1)) % 12 + (12 if match.group(3).lower() == "p" else 0)
        times.add((hour, int(match.group(2) or 0)))
    text = _EN_TIME.sub(" ", text)
    for match in _CLOCK.finditer(text):
        times.add((int(match.group(1)), int(match.group(2))))
    text = _CLOCK.sub(" ", text)
    numbers = {int(m.group(1)) for m in _DIGITS.finditer(text)}
    words = NUMBER_WORDS["en"]
    for word in _WORD.findall(text.lower()):
        if word in ("midnight", "noon"):
            times.add((words[word], 0))
        elif word in words:
            numbers.add(words[word])
    return Quantities(frozenset(times), frozenset(numbers), True)


_NUMBER_WORD_PATTERNS: dict[str, re.Pattern[str]] = {}


def _number_words(language: str) -> re.Pattern[str]:
    """One pattern of the language's number words, each a whole run of letters."""
    pattern = _NUMBER_WORD_PATTERNS.get(language)
    if pattern is None:
        names = sorted(NUMBER_WORDS[language], key=lambda w: (-len(w), w))
        pattern = re.compile(
            rf"(?<![^\W\d_])(?:{'|'.join(map(re.escape, names))})(?![^\W\d_])", re.IGNORECASE
        )
        _NUMBER_WORD_PATTERNS[language] = pattern
    return pattern


def translated_quantities(text: str, locale: str) -> Quantities:
    """Read clock times (``kl. 2.00``, ``14:00``), digits and small number words of ``locale``."""
    digits = _ANY_DIGIT.search(text) is not None
    times: set[tuple[int, int]] = set()
    # Without digits, cleaning and clock times find nothing; only number words remain.
    if digits or "<" in text:
        text = _clean(text)
    if digits:
        times = {(int(m.group(1)), int(m.group(2))) for m in _CLOCK.finditer(text)}
        text = _CLOCK.sub(" ", text)
    language = locale.split("_", maxsplit=1)[0].lower()
    words = NUMBER_WORDS.get(language)
    hour_only = _HOUR_ONLY.get(language)
    if hour_only is not None:
        for match in hour_only.finditer(text):
            word = match.group(1).lower()
            hour = int(word) if word.isdigit() and len(word) <= 2 else (words or {}).get(word)
            if hour is not None and hour < 24:
                times.add((hour, 0))
        text = hour_only.sub(" ", text)
    numbers = {int(m.group(1)) for m in _DIGITS.finditer(text)} if digits else set()
    if words is not None:
        numbers |= {words[m.group(0).lower()] for m in _number_words(language).finditer(text)}
    return Quantities(frozenset(times), frozenset(numbers), words is not None)
