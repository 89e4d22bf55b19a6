"""Independent pieces of evidence that a table row stands for a canonical workflow.

Each function looks at one kind of evidence and returns ``(strength, reason)`` pairs with a
strength in [0, 1]; the aligner combines them. None of them knows any particular id or word:
they compare shapes, positions, numbers and the locale's own labels.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence, Set

from ..l10n.numbers import NUMBER_WORDS
from ..schedules import Schedule

__all__ = [
    "fold",
    "foreign_identifier",
    "id_shape",
    "label_match",
    "numbers_in",
    "schedule_conflict",
    "schedule_match",
    "shared_names",
    "split_words",
    "translated_id",
]

Evidence = tuple[float, str]

_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[^\W\d_]+", re.UNICODE)
_TIME = re.compile(
    r"(?<![\d:.])(\d{1,2})[:.h](\d{2})(?![\d:])|(?<!\d)(\d{1,2})\s?(am|pm|uhr|h)\b", re.I
)
_NUMBER = re.compile(r"(?<![\d.:])\d{1,3}(?!\d|[:.]\d)")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*|[A-Z][a-z]{2,}")


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-folded letters and digits only: ``Gestione fornitori`` -> ``gestionefornitori``."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def split_words(identifier: str) -> list[str]:
    """camelCase, snake_case and spaced words, case-folded: ``supplierMgt`` -> supplier, mgt."""
    return list(_split_words(identifier))


@functools.lru_cache(maxsize=65536)
def _split_words(identifier: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in _CAMEL.findall(identifier))


@functools.lru_cache(maxsize=65536)
def similar(a: str, b: str, *, at_least: float) -> float:
    """difflib's ratio of two strings, or 0.0 when it is surely below ``at_least`` (cheap)."""
    if not a or not b or 2 * min(len(a), len(b)) < at_least * (len(a) + len(b)):
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < at_least or matcher.quick_ratio() < at_least:
        return 0.0
    return matcher.ratio()


def id_shape(
    documented: str, canonical: str, *, suffix_share: int = 1, prefix_share: int | None = None
) -> list[Evidence]:
    """Compare the identifier as written with a canonical id.

    Args:
        documented: the id the page writes.
        canonical: a candidate canonical id.
        suffix_share: how many candidates share the id's last word; shared by many, it says
            less.
        prefix_share: the same for the id's first word (``suffix_share`` when None).
    """
    found: list[Evidence] = []
    if fold(documented) == fold(canonical):
        found.append((0.95, f"`{documented}` differs from `{canonical}` only in case or spacing"))
        return found
    ratio = similar(fold(documented), fold(canonical), at_least=0.8)
    if ratio >= 0.8:
        found.append((0.9 * ratio, f"`{documented}` is spelled almost like `{canonical}`"))
    words, target = split_words(documented), split_words(canonical)
    if len(words) > 1 and len(target) > 1:
        weight = 0.35 / max(1, suffix_share) ** 0.5
        first = 0.35 / max(1, suffix_share if prefix_share is None else prefix_share) ** 0.5
        if words[-1] == target[-1] and words[:-1] != target[:-1]:
            found.append(
                (weight, f"`{documented}` shares the suffix `{target[-1]}` with `{canonical}`")
            )
        elif words[0] == target[0] and words[1:] != target[1:]:
            found.append(
                (first, f"`{documented}` shares the prefix `{target[0]}` with `{canonical}`")
            )
    return found


def foreign_identifier(documented: str, canonical: str, vocabulary: Set[str]) -> bool:
    """True when the row writes an untranslated identifier of some other workflow.

    Translation turns ids into the language's words (``bereinigung``, ``voorraadBeheer``) or
    keeps part of them (``providerMgt``). An ASCII identifier made of the catalogue's own id
    words (``vocabulary``) and sharing none with ``canonical`` names another workflow (a newer
    one, one the catalogue lacks), not this one.
    """
    if not documented.isascii() or not re.search(r"[a-z][A-Z0-9]|[A-Z]{2}|_", documented):
        return False
    words = set(split_words(documented))
    return not words & set(split_words(canonical)) and bool(words & vocabulary)


def translated_id(documented: str, label: str) -> list[str]:
    """Reasons to think the id was translated along with the label (no candidate implied)."""
    reasons: list[str] = []
    odd = sorted({ch for ch in documented if ord(ch) > 127})
    if odd:
        reasons.append(
            f"`{documented}` contains {', '.join(repr(c) for c in odd)}: no canonical id has "
            "non-ASCII letters"
        )
    if " " in documented.strip():
        reasons.append(f"`{documented}` contains a space: canonical ids are single words")
    label_words = {fold(w) for w in re.split(r"[\s/()\-:]+", label) if w}
    if fold(documented) and (fold(documented) == fold(label) or fold(documented) in label_words):
        reasons.append(f"`{documented}` repeats the row's own label {label!r}: a translated name")
    return reasons


def label_match(label: str, known: str, *, canonical: str, locale: str) -> list[Evidence]:
    """Compare the row's label with the locale's known label of a workflow."""
    if not known:
        return []
    a, b = fold(label), fold(known)
    if not a or not b:
        return []
    if a == b:
        return [(0.9, f"label {label!r} is the {locale} label of `{canonical}`")]
    ratio = similar(a, b, at_least=0.75)
    if ratio >= 0.75:
        return [
            (
                0.8 * ratio,
                f"label {label!r} is close to the {locale} label {known!r} of `{canonical}`",
            )
        ]
    return []


def numbers_in(text: str, *, locale: str) -> tuple[set[str], set[int]]:
    """Clock times (``HH:MM``) and plain numbers a description mentions, spelled-out ones too."""
    times, numbers = _numbers_in(text, locale)
    return set(times), set(numbers)


@functools.lru_cache(maxsize=4096)
def _numbers_in(text: str, locale: str) -> tuple[frozenset[str], frozenset[int]]:
    times: set[str] = set()
    for match in _TIME.finditer(text):
        if match[1] is not None:
            hour, minute = int(match[1]), int(match[2])
        else:
            hour, minute = int(match[3]), 0
            if match[4].lower() == "pm" and hour < 12:
                hour += 12
        if hour < 24 and minute < 60:
            times.add(f"{hour:02d}:{minute:02d}")
    numbers = {int(n) for n in _NUMBER.findall(text)}
    words = NUMBER_WORDS.get(locale.split("_", maxsplit=1)[0], {})
    for word in re.findall(r"[^\W\d_]+", text.casefold()):
        if word in words:
            numbers.add(words[word])
    return frozenset(times), frozenset(numbers)


def schedule_numbers(schedule: Schedule | None) -> tuple[set[str], set[int]]:
    """The clock times and numbers a schedule would be described with."""
    if schedule is None:
        return set(), set()
    times: set[str] = set()
    numbers: set[int] = set()
    if schedule.at:
        times.add(schedule.at)
        hour, minute = (int(x) for x in schedule.at.split(":"))
        numbers.update({hour, hour % 12 or 12} if minute == 0 else {hour})
    if schedule.between:
        times.update({schedule.between.start, schedule.between.end})
    for value in (schedule.minutes, schedule.hours, schedule.day):
        if value:
            numbers.add(value)
    return times, numbers


def schedule_match(
    description: str, schedule: Schedule | None, *, locale: str, canonical: str
) -> list[Evidence]:
    """Times and numbers in the description that the workflow's schedule also has."""
    times, numbers = numbers_in(description, locale=locale)
    want_times, want_numbers = schedule_numbers(schedule)
    if times & want_times:
        shown = ", ".join(sorted(times & want_times))
        return [(0.5, f"the description's time {shown} is the schedule of `{canonical}`")]
    shared = numbers & want_numbers
    if shared:
        shown = ", ".join(str(n) for n in sorted(shared))
        return [(0.3, f"the description's number {shown} matches the schedule of `{canonical}`")]
    return []


def schedule_conflict(
    description: str, schedules: Sequence[Schedule | None], *, locale: str
) -> bool:
    """True when the description's times cannot be those of any of these schedules.

    Clock times must meet one of the schedules' times; a description with no clock time but
    small numbers ("at 1 in the morning" in any language) must name the hour of a schedule
    that runs at a fixed time of day.
    """
    times, numbers = numbers_in(description, locale=locale)
    wanted: set[str] = set()
    hours: set[int] = set()
    for schedule in schedules:
        wanted |= schedule_numbers(schedule)[0]
        if schedule is not None and schedule.at:
            hours |= schedule_numbers(schedule)[1]
    if times:
        return bool(wanted and not times & wanted)
    small = {n for n in numbers if n <= 24}
    return bool(hours and small and not small & hours and hours == schedule_hours(schedules))


def schedule_hours(schedules: Iterable[Schedule | None]) -> set[int]:
    """Every number the schedules would be described with (hours, days, intervals)."""
    found: set[int] = set()
    for schedule in schedules:
        found |= schedule_numbers(schedule)[1]
    return found


def names_of(text: str) -> set[str]:
    """Words translation leaves alone: product names, acronyms, camelCase and digit words."""
    return {n.casefold() for n in _NAME.findall(text)}


def shared_names(
    row_names: set[str], workflow_names: set[str], rarity: Mapping[str, int], *, canonical: str
) -> list[Evidence]:
    """Names the row shares with a workflow's English text, weighted by how rare they are."""
    shared = sorted(row_names & workflow_names)
    weight = sum(1.0 / rarity.get(name, 1) for name in shared)
    if weight < 0.5:
        return []
    return [(min(0.5, 0.2 * weight), f"shares the names {', '.join(shared)} with `{canonical}`")]


def combine(evidence: Iterable[Evidence]) -> float:
    """Noisy-OR: independent pieces each remove part of the remaining doubt."""
    doubt = 1.0
    for strength, _ in evidence:
        doubt *= 1.0 - max(0.0, min(1.0, strength))
    return 1.0 - doubt
