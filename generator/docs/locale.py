"""Tell a page's locale: the option, the frontmatter, the path, the table headers, the script,
then the page's words against each language's CLDR vocabulary (via Babel)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from ..errors import InputError, Location

__all__ = ["CANDIDATE_LANGUAGES", "headers_locale", "infer_locale", "normalize_locale"]

# Languages the vocabulary vote chooses among (CLDR has hundreds; these are the languages
# documentation is commonly published in, which keeps the vote fast and its margins wide).
CANDIDATE_LANGUAGES = (
    "cs", "da", "de", "en", "es", "fi", "fr", "hu", "it", "ja", "ko", "nb", "nl", "pl", "pt",
    "ru", "sv", "tr", "zh",
)  # fmt: skip

# Column headers of the workflow tables (Label | Internal name | Description, Technical
# workflow | Package) in the languages the documentation is published in. Two or more
# matching words, more than any other language has, decide; otherwise the script and the
# CLDR-vocabulary votes do. Words shared by languages ("description", "label") count for each.
HEADER_WORDS: Mapping[str, tuple[str, ...]] = {
    "en": ("label", "internal name", "description", "technical workflow", "id"),
    "sv": ("etikett", "internt namn", "beskrivning", "tekniskt arbetsflöde", "paket"),
    "de": ("titel", "beschriftung", "interner name", "beschreibung", "technischer workflow"),
    "it": ("etichetta", "nome interno", "descrizione", "flusso di lavoro tecnico", "pacchetto"),
    "fr": ("libellé", "nom interne", "description", "workflow technique", "package"),
    "es": ("etiqueta", "nombre interno", "descripción", "flujo de trabajo técnico", "paquete"),
    "nl": ("label", "interne naam", "beschrijving", "technische workflow", "pakket"),
    "pt": ("rótulo", "nome interno", "descrição", "fluxo de trabalho técnico", "pacote"),
    "da": ("etiket", "internt navn", "beskrivelse", "teknisk arbejdsgang", "pakke"),
    "ja": ("ラベル", "内部名", "説明", "テクニカルワークフロー", "パッケージ"),
    "ko": ("레이블", "내부 이름", "설명", "기술 워크플로우", "패키지"),
    "zh": ("标签", "内部名称", "描述", "技术工作流", "包", "標籤", "內部名稱", "說明"),
}

# Where region or script changes the written language, keep it.
_KEEP_TERRITORY = {"zh", "pt"}
_PATH_LOCALE = re.compile(r"(?:^|[./_\-])([a-z]{2,3})[-_]([A-Z]{2}|Han[st])(?=$|[./_\-])")
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


def normalize_locale(value: str) -> str:
    """Normalise ``sv-SE`` / ``sv_SE`` / ``SV`` to Babel's form, keeping only the language
    unless the region matters (``zh_TW``, ``pt_BR``).

    Raises:
        InputError: when Babel does not know the locale.
    """
    try:
        parsed = Locale.parse(value.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as err:
        hint = "use a BCP 47 tag such as sv, de-DE or pt_BR"
        raise InputError(f"unknown locale {value!r}", hint=hint) from err
    if parsed.language in _KEEP_TERRITORY and (parsed.territory or parsed.script):
        return str(parsed)
    return parsed.language


def infer_locale(
    *,
    path: Path,
    frontmatter: Mapping[str, Any],
    headers: Iterable[str],
    text: str,
    given: str | None = None,
) -> str:
    """The locale of a page, from the strongest evidence available.

    Raises:
        InputError: when no evidence tells the locale clearly.
    """
    if given:
        return normalize_locale(given)
    for key in ("locale", "lang", "language"):
        value = frontmatter.get(key)
        if isinstance(value, str) and value.strip():
            return normalize_locale(value.strip())
    from_path = _from_path(path)
    if from_path:
        return from_path
    from_headers = headers_locale(headers)
    if from_headers:
        return from_headers
    from_script = _from_script(text)
    if from_script:
        return from_script
    voted = _vote(text)
    if voted:
        return voted
    hint = "pass --locale, e.g. --locale sv"
    raise InputError("cannot tell the page's locale", location=Location.of(path), hint=hint)


def _from_path(path: Path) -> str | None:
    for part in reversed(path.parts[:-1]):
        match = _PATH_LOCALE.search(part)
        if match:
            return normalize_locale(f"{match[1]}_{match[2]}")
        if re.fullmatch(r"[a-z]{2}(?:[-_][A-Z]{2})?", part):
            try:
                return normalize_locale(part)
            except InputError:
                continue
    return None


def headers_locale(headers: Iterable[str]) -> str | None:
    """The locale whose table header words these are (two or more, and more than any other)."""
    words = {h.strip().casefold() for h in headers if h.strip()}
    scores = {loc: len(words & set(known)) for loc, known in HEADER_WORDS.items()}
    best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    if best and best[0][1] >= 2 and (len(best) == 1 or best[0][1] > best[1][1]):
        return best[0][0]
    return None


def _from_script(text: str) -> str | None:
    counts: Counter[str] = Counter()
    for char in text:
        if ord(char) < 0x2E80:
            continue
        name = unicodedata.name(char, "")
        if name.startswith(("HIRAGANA", "KATAKANA")):
            counts["ja"] += 1
        elif name.startswith("HANGUL"):
            counts["ko"] += 1
        elif name.startswith("CJK UNIFIED"):
            counts["han"] += 1
    if counts["ja"] >= 5:
        return "ja"
    if counts["ko"] >= 5:
        return "ko"
    if counts["han"] >= 5:
        return "zh"
    return None


def _strings(data: Any) -> Iterable[str]:
    if isinstance(data, str):
        yield data
    elif hasattr(data, "items"):
        for _, value in data.items():
            yield from _strings(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _strings(value)


@cache
def _vocabulary(language: str) -> frozenset[str]:
    """Words CLDR writes in ``language``: names of days, months, units, list conjunctions..."""
    data = Locale.parse(language)._data
    words: set[str] = set()
    for key in ("list_patterns", "unit_patterns", "date_fields", "days", "months", "languages",
                "territories", "day_periods", "currency_names"):  # fmt: skip
        for string in _strings(data.get(key, {})):
            words.update(w.casefold() for w in _WORD.findall(string))
    return frozenset(words)


@cache
def _spread() -> Counter[str]:
    """How many candidate languages' vocabularies hold each word (counted once per process:
    it costs as much as reading a page)."""
    return Counter(w for lang in CANDIDATE_LANGUAGES for w in _vocabulary(lang))


def _vote(text: str) -> str | None:
    words = [w.casefold() for w in _WORD.findall(text)]
    if not words:
        return None
    vocabularies = {lang: _vocabulary(lang) for lang in CANDIDATE_LANGUAGES}
    spread = _spread()
    scores: dict[str, float] = {}
    for lang, vocab in vocabularies.items():
        # A word many languages share ("in", "de") says little; rare ones decide.
        scores[lang] = sum(1.0 / spread[w] for w in words if w in vocab)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    best, second = ranked[0], ranked[1]
    if best[1] >= 2.0 and best[1] >= 1.3 * second[1]:
        return best[0]
    return None
