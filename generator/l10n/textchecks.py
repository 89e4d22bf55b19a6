"""Checks of one translated text against its English source: shared by PO files and pages.

Codes (stable; documented in docs/commands/l10n.md):
  identifier-changed   error    a do-not-translate token of the source is missing
  placeholder-changed  error    a ``<placeholder>`` or ``{placeholder}`` differs from the source
  number-mismatch      error    a number or time differs from the source
  schedule-mismatch    error    a time differs from the catalogue's schedule
  number-unverified    info     the source states a number the translation may write in words
  encoding-damage      error    mojibake such as ``attivit√†``; the hint carries the repair
  html-entity          error    a leftover entity such as ``&#39;``
  markup-mismatch      error    tags differ from the source or do not balance
  empty-translation    error    only whitespace where the source has text
  whitespace           warning  leading or trailing whitespace unlike the source
  identical-to-source  warning  a sentence left in English
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable

from ..errors import Location, Problem, Severity
from ..schedules import Schedule
from .numbers import Quantities, translated_quantities
from .tokens import (
    ENTITY,
    ProtectedIds,
    markup_tags,
    placeholders_of,
    repair_text,
)

__all__ = ["CODES", "check_text"]

# The codes above, in that order.
CODES: tuple[str, ...] = tuple(
    line.split()[0] for line in (__doc__ or "").splitlines() if line.startswith("  ")
)

_VOID = frozenset({"br", "img"})
_WORDS = re.compile(r"[^\W\d_]{2,}")


def _problem(
    code: str, severity: Severity, message: str, *, location: Location, subject: str, hint: str
) -> Problem:
    return Problem(location, message, severity, code=code, hint=hint, subject=subject)


def _unbalanced(tags: list[tuple[str, str]]) -> list[str]:
    stack: list[str] = []
    bad: list[str] = []
    for kind, name in tags:
        if name in _VOID:
            continue
        if kind == "":
            stack.append(name)
        elif stack and stack[-1] == name:
            stack.pop()
        else:
            bad.append(f"</{name}>")
    return bad + [f"<{name}>" for name in stack]


def _fmt_time(time: tuple[int, int]) -> str:
    return f"{time[0]:02d}:{time[1]:02d}"


def _schedule_values(schedule: Schedule | None) -> set[int]:
    """Numbers a page may add when it writes the schedule into the description."""
    if schedule is None:
        return set()
    values = {
        v
        for v in (schedule.minute, schedule.minutes, schedule.hours, schedule.day)
        if v is not None
    }
    times = [
        t
        for t in (
            schedule.at,
            *((schedule.between.start, schedule.between.end) if schedule.between else ()),
        )
        if t
    ]
    for time in times:
        hour, minute = (int(part) for part in time.split(":"))
        values |= {hour, minute, hour % 12 or 12}
    return values


def _quantity_checks(  # noqa: PLR0912 - one branch per quantity kind (numbers, times, placeholders) compared with the source
    source: str | None,
    translation: str,
    locale: str,
    schedule: Schedule | None,
    english: Quantities | None,
) -> list[tuple[str, Severity, str, str]]:
    out: list[tuple[str, Severity, str, str]] = []
    said = translated_quantities(translation, locale)
    if said.empty and (english is None or english.empty):
        return out  # nothing stated on either side, so nothing can disagree
    scheduled: set[tuple[int, int]] = set()
    if schedule is not None and schedule.at:
        hour, minute = (int(part) for part in schedule.at.split(":"))
        # Pages add the schedule sentence to the description; its time is not "extra".
        scheduled = {(hour, minute), (hour % 12 or 12, minute)}
    if source is not None and english is not None:
        values = said.values()
        for time in sorted(english.times):
            if time in said.times or (time[1] == 0 and time[0] in said.numbers):
                continue
            if said.empty:
                out.append(
                    (
                        "number-unverified",
                        Severity.INFO,
                        f"cannot verify the time {_fmt_time(time)} of the source",
                        "check that the translation states the same time",
                    )
                )
            else:
                out.append(
                    (
                        "number-mismatch",
                        Severity.ERROR,
                        f"the source says {_fmt_time(time)}, the translation does not",
                        f"write the time {_fmt_time(time)} as the source does",
                    )
                )
        for number in sorted(english.numbers - values):
            if said.empty or not said.words_known:
                out.append(
                    (
                        "number-unverified",
                        Severity.INFO,
                        f"cannot verify the number {number} of the source",
                        "check that the translation states the same number",
                    )
                )
            else:
                out.append(
                    (
                        "number-mismatch",
                        Severity.ERROR,
                        f"the source says {number}, the translation does not",
                        f"keep the number {number}",
                    )
                )
        allowed = (
            english.values()
            | {h + 12 for h, _ in english.times}
            | {h % 12 for h, _ in english.times}
        )
        allowed |= {v for t in scheduled for v in t} | _schedule_values(schedule)
        for time in sorted(said.times - english.times - scheduled):
            if time[0] not in allowed or time[1] not in allowed | {0}:
                out.append(
                    (
                        "number-mismatch",
                        Severity.ERROR,
                        f"the translation says {_fmt_time(time)}, the source does not",
                        "state the time the source states",
                    )
                )
        for number in sorted(said.numbers - allowed):
            if str(number) in translation:
                out.append(
                    (
                        "number-mismatch",
                        Severity.ERROR,
                        f"the translation says {number}, the source does not",
                        "remove the number or use the source's",
                    )
                )
    if schedule is not None and schedule.at and said.times and not scheduled & said.times:
        out.append(
            (
                "schedule-mismatch",
                Severity.ERROR,
                f"the text gives {', '.join(_fmt_time(t) for t in sorted(said.times))}, "
                f"the catalogue's schedule runs at {schedule.at}",
                f"state {schedule.at}, or correct the catalogue if the schedule changed",
            )
        )
    return out


def check_text(  # noqa: PLR0912 - every check of one translated text against its source, each a short branch
    *,
    source: str | None,
    translation: str,
    locale: str,
    subject: str,
    location: Location,
    schedule: Schedule | None = None,
    protected: Iterable[str] | ProtectedIds = (),
    interchangeable: Iterable[str] = (),
    markup: bool = False,
    format_placeholders: bool = True,
) -> list[Problem]:
    """Check one translated text; every finding, never just the first.

    ``markup`` is True for text read from Markdown or HTML, where named entities such as
    ``&lt;`` or ``&reg;`` are deliberate writing, not leftovers.

    Args:
        source: the English text, or None when unknown (page rows without a source).
        translation: the translated text.
        locale: CLDR locale of the translation.
        subject: canonical id the text belongs to (reported with each finding).
        location: where the translation is (file:line).
        schedule: the catalogue's schedule, to check times against.
        protected: identifiers that must never be translated (every workflow id).
        interchangeable: placeholders that may stand in for each other.
        format_placeholders: False when ``{name}`` and ``%s`` placeholders are checked
            elsewhere (translate-toolkit's ``pythonbraceformat`` and ``printf`` in PO files);
            ``<name>`` placeholders are checked either way.

    Returns:
        Problems with stable codes (see the module docstring).
    """
    found: list[tuple[str, Severity, str, str]] = []
    if not isinstance(protected, ProtectedIds):
        protected = ProtectedIds(protected)
    if source and not translation.strip():
        found.append(
            (
                "empty-translation",
                Severity.ERROR,
                "the translation is only whitespace",
                "translate the text or leave the entry empty",
            )
        )
    repaired = repair_text(translation)
    if "&" in translation:
        without = ENTITY.sub("", translation)
        fixed_encoding = repair_text(without) != without
    else:
        fixed_encoding = repaired != translation
    if fixed_encoding:
        found.append(
            (
                "encoding-damage",
                Severity.ERROR,
                "the text has encoding damage (mojibake)",
                f"repair it to: {repaired}",
            )
        )
    entities = [
        e
        for e in (ENTITY.findall(translation) if "&" in translation else ())
        if (source is None or e not in source)
        # In Markdown or HTML a named entity (&lt;, &reg;) is deliberate writing; a numeric
        # one for plain punctuation (&#39;) is what translation tools leave behind.
        and not (markup and (not e.startswith("&#") or html.unescape(e) in "<>&"))
    ]
    if entities:
        found.append(
            (
                "html-entity",
                Severity.ERROR,
                f"leftover HTML entit{'y' if len(entities) == 1 else 'ies'} {', '.join(entities)}",
                f"write the characters themselves: {repaired}",
            )
        )
    tags = markup_tags(translation) if "<" in translation else []
    bad = _unbalanced(tags)
    if bad:
        found.append(
            (
                "markup-mismatch",
                Severity.ERROR,
                f"unbalanced markup: {', '.join(bad)}",
                "close every tag the text opens",
            )
        )
    elif (
        source is not None
        and (tags or protected.facts(source).tag_names)
        and Counter(n for _, n in tags) != protected.facts(source).tag_names
    ):
        found.append(
            (
                "markup-mismatch",
                Severity.ERROR,
                "the markup differs from the source",
                "keep the source's tags around the same words",
            )
        )
    if source is not None:
        facts = protected.facts(source)
        if format_placeholders:
            want, have = facts.placeholders, placeholders_of(translation)
        else:
            want, have = facts.angle_placeholders, placeholders_of(translation, formats=False)
        free = set(interchangeable)
        if free:
            want = Counter({k: v for k, v in want.items() if k not in free})
            have = Counter({k: v for k, v in have.items() if k not in free})
        if want != have:
            missing = sorted((want - have).elements())
            extra = sorted((have - want).elements())
            what = "; ".join(
                part
                for part in (
                    f"missing {', '.join(missing)}" if missing else "",
                    f"unexpected {', '.join(extra)}" if extra else "",
                )
                if part
            )
            found.append(
                (
                    "placeholder-changed",
                    Severity.ERROR,
                    f"placeholders differ: {what}",
                    "keep every placeholder exactly as the source writes it",
                )
            )
        tokens = protected.facts(source).tokens
        for token in tokens:
            if token not in repaired:
                found.append(
                    (
                        "identifier-changed",
                        Severity.ERROR,
                        f"{token!r} of the source is missing: translated or altered?",
                        f"keep {token!r} unchanged; it is a name, not a word",
                    )
                )
        if source.strip() == source and translation.strip() != translation and translation.strip():
            found.append(
                (
                    "whitespace",
                    Severity.WARNING,
                    "leading or trailing whitespace unlike the source",
                    "remove the surrounding whitespace",
                )
            )
        if (
            translation.strip() == source.strip()
            and not locale.startswith("en")
            and len([w for w in _WORDS.findall(source) if not any(w in t for t in tokens)]) >= 3
        ):
            found.append(
                (
                    "identical-to-source",
                    Severity.WARNING,
                    "the translation is the English text",
                    "translate it, or leave the entry empty so it counts as untranslated",
                )
            )
    found.extend(
        _quantity_checks(
            source,
            repaired,
            locale,
            schedule,
            protected.facts(source).quantities if source is not None else None,
        )
    )
    return [
        _problem(code, severity, message, location=location, subject=subject, hint=hint)
        for code, severity, message, hint in found
    ]
