"""Schedule sentences in any locale: translator-kept phrase templates plus CLDR words.

A sentence is built from ONE phrase template (``PHRASES``; PO entries with msgctxt
``phrase|<name>``) whose placeholders are filled with words CLDR knows for the locale,
through Babel: weekday and month names, time formats, list patterns, and the ordinal
plural category of a number (Swedish "den 1:a", "den 3:e"; Italian "l'8", "il 25").
Nothing comes from the host's locale settings.

Zero untranslated words: when the locale lacks any phrase the sentence needs (or a
translation is malformed), the WHOLE sentence is English and marked ``fallback`` - never
half one language and half another. A missing schedule is said to be missing.

Placeholders: ``{time}``, ``{start}``, ``{end}``, ``{times}`` (times of day, CLDR short
format); ``{weekday}``, ``{weekdays}``, ``{months}`` (CLDR names, lists joined by CLDR's
pattern); ``{n}`` (a count), ``{nth}`` (``n`` through the ``ordinal_<category>`` phrases),
``{day}``/``{days}`` (a day of the month through ``day_<n>``, else ``day_<category>``);
``{minute}``; ``{expression}`` (raw cron); ``{trigger}`` (English text, English only);
``{schedule}`` (another phrase, for ``cron_months``).
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import time
from typing import TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_time
from babel.lists import format_list
from babel.numbers import format_decimal

from ..errors import UsageError

if TYPE_CHECKING:
    from ..schedules import Schedule

__all__ = [
    "CONTEXT_PREFIX",
    "PHRASES",
    "Sentence",
    "remembered",
    "sentence",
]

CONTEXT_PREFIX = "phrase|"

# name -> English template. Comments say when each is used; translators see the English.
PHRASES: dict[str, str] = {
    "none": "no documented schedule",
    "hourly": "every hour on the hour",
    "hourly_at": "every hour at minute {minute}",
    "every_minute": "every minute",
    "every_minutes": "every {n} minutes",
    "every_hours": "every {n} hours",
    "every_minute_between": "every minute between {start} and {end}",
    "every_minutes_between": "every {n} minutes between {start} and {end}",
    "every_hour_between": "every hour between {start} and {end}",
    "every_hours_between": "every {n} hours between {start} and {end}",
    "every_minute_until_midnight": "every minute from {start} until midnight",
    "every_minutes_until_midnight": "every {n} minutes from {start} until midnight",
    "every_hour_until_midnight": "every hour from {start} until midnight",
    "every_hours_until_midnight": "every {n} hours from {start} until midnight",
    # The same intervals said with an ordinal ("var 15:e minut"), for languages that say
    # them so; used instead of the {n} forms above when the locale translates them.
    "every_nth_minute": "every {nth} minute",
    "every_nth_hour": "every {nth} hour",
    "every_nth_minute_between": "every {nth} minute between {start} and {end}",
    "every_nth_hour_between": "every {nth} hour between {start} and {end}",
    "every_nth_minute_until_midnight": "every {nth} minute from {start} until midnight",
    "every_nth_hour_until_midnight": "every {nth} hour from {start} until midnight",
    "daily": "every day at {time}",
    "daily_no_time": "every day",  # the docs give no time, the profile none
    "weekly": "every {weekday} at {time}",
    "monthly": "on {day} of every month at {time}",
    "monthly_no_time": "on {day} of every month",  # the docs give no time, the profile none
    "nightly": "every night",  # the docs say "nightly"; no profile says when
    "nightly_at": "every night at {time}",
    "event": "started by an event, not by the clock",
    "event_trigger": "when {trigger}",  # English only: the trigger text is English
    "cron": "on the cron schedule {expression}",  # raw cron that no phrase below can say
    "cron_daily": "every day at {times}",
    "cron_weekdays": "every {weekdays} at {times}",
    "cron_days": "on {days} of every month at {times}",
    "cron_days_or_weekdays": "on {days} of every month and every {weekdays} at {times}",
    "cron_months": "{schedule}, only in {months}",
    # A day of the month, by CLDR ordinal category of the number; day_1 is an optional
    # exact form (Italian "il 1º"). Categories a language lacks are never asked for.
    "day_1": "the 1st",
    "day_zero": "the {n}th",
    "day_one": "the {n}st",
    "day_two": "the {n}nd",
    "day_few": "the {n}rd",
    "day_many": "the {n}th",
    "day_other": "the {n}th",
    # An ordinal number, by CLDR ordinal category ({nth}).
    "ordinal_zero": "{n}th",
    "ordinal_one": "{n}st",
    "ordinal_two": "{n}nd",
    "ordinal_few": "{n}rd",
    "ordinal_many": "{n}th",
    "ordinal_other": "{n}th",
}

# Used when translated, else the general form: an exact day (Italian "il 1º"), and the
# ordinal forms of the intervals.
_OPTIONAL = {"day_1", *(name for name in PHRASES if name.startswith("every_nth_"))}
_MAX_LISTED_TIMES = 12

Gettext = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Sentence:
    """A schedule said in a locale; ``fallback`` is True when it had to be said in English."""

    text: str
    fallback: bool = False


class _Missing(Exception):
    """The locale lacks a phrase (or its translation does not fit): say it all in English."""


# Parsing a locale and a phrase's placeholders costs more than the rest of a sentence, and a
# build says thousands of sentences in a handful of locales with a few dozen phrases.
@functools.lru_cache(maxsize=256)
def _locale(code: str) -> Locale:
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as err:
        raise UsageError(
            f"unknown locale {code!r}", hint="use a CLDR locale code such as sv, de, it or pt_BR"
        ) from err


@functools.lru_cache(maxsize=1024)
def _fields(template: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


@functools.lru_cache(maxsize=4096)  # a build says the same few times in every locale
def _short_time(text: str, locale: Locale) -> str:
    hour, minute = (int(part) for part in text.split(":"))
    return str(format_time(time(hour, minute), format="short", locale=locale))


class _Speaker:
    """Fills phrase templates for one locale; raises _Missing when a phrase is absent."""

    def __init__(self, locale: Locale, lookup: Callable[[str], str | None], english: bool) -> None:
        self.locale = locale
        self._lookup = lookup
        self.english = english

    def template(self, name: str, *, optional: bool = False) -> str | None:
        text = self._lookup(name)
        if text is None and not optional:
            raise _Missing(name)
        return text

    def say(self, name: str, **values: Callable[[], str]) -> str:
        template = self.template(name)
        assert template is not None
        filled: dict[str, str] = {}
        try:
            names = _fields(template)
        except ValueError as err:
            raise _Missing(f"{name}: {err}") from err
        for field in names:
            if field not in values:
                raise _Missing(f"{name}: unknown placeholder {{{field}}}")
            filled[field] = values[field]()
        try:
            return template.format_map(filled)
        except (ValueError, IndexError, KeyError) as err:
            raise _Missing(f"{name}: {err}") from err

    # --- words from CLDR, shaped by the locale's phrases ---

    def time(self, text: str) -> str:
        return _short_time(text, self.locale)

    def number(self, value: int) -> str:
        return str(format_decimal(value, locale=self.locale))

    def nth(self, value: int) -> str:
        category = self.locale.ordinal_form(value)
        return self.say(f"ordinal_{category}", n=lambda: self.number(value))

    def day(self, value: int) -> str:
        exact = self.template(f"day_{value}", optional=True) if f"day_{value}" in PHRASES else None
        name = f"day_{value}" if exact is not None else f"day_{self.locale.ordinal_form(value)}"
        return self.say(name, n=lambda: self.number(value))

    def weekday(self, index: int) -> str:  # 0 Monday
        return str(self.locale.days["format"]["wide"][index])

    def month(self, number: int) -> str:  # 1 January
        return str(self.locale.months["format"]["wide"][number])

    def listed(self, words: Iterable[str]) -> str:
        return str(format_list(list(words), locale=self.locale))


def _every(
    speaker: _Speaker, unit: str, n: int, tail: str = "", **values: Callable[[], str]
) -> str:
    """``every_<unit>s<tail>`` with a count, or its ordinal form when the locale has it."""
    if n > 1 and not speaker.english:
        ordinal = f"every_nth_{unit}{tail}"
        if speaker.template(ordinal, optional=True) is not None:
            return speaker.say(ordinal, nth=lambda: speaker.nth(n), **values)
    plural = "s" if n > 1 else ""
    # {nth} stays accepted in the count form, so files written before the ordinal forms
    # existed still render; `wfgen l10n check` asks for the ordinal entry instead.
    numbers = {"n": lambda: speaker.number(n), "nth": lambda: speaker.nth(n)}
    return speaker.say(f"every_{unit}{plural}{tail}", **numbers, **values)


def _interval(speaker: _Speaker, schedule: Schedule) -> str:
    unit = "minute" if schedule.minutes else "hour"
    n = schedule.minutes or schedule.hours or 1
    window = schedule.between
    if window is None:
        if unit == "hour" and n == 1:
            return speaker.say("hourly")
        return _every(speaker, unit, n)
    start = {"start": lambda: speaker.time(window.start)}
    if window.end == "00:00":
        return _every(speaker, unit, n, "_until_midnight", **start)
    end = {"end": lambda: speaker.time(window.end)}
    return _every(speaker, unit, n, "_between", **start, **end)


def _cron(speaker: _Speaker, expression: str) -> str:  # noqa: PLR0911 - one return per cron shape the phrases can say exactly
    """Raw cron in words where the phrases can say it exactly; else the expression itself."""
    from ..schedules.cron import CronSyntaxError, parse_cron

    def raw() -> str:
        return speaker.say("cron", expression=lambda: expression)

    try:
        fields = parse_cron(expression)
    except CronSyntaxError:
        return raw()
    special = fields.last_day or fields.last_weekday or fields.last_of or fields.nth
    minutes, hours = sorted(fields.minutes), sorted(fields.hours)
    if special or (fields.days_and and fields.dom_restricted and fields.dow_restricted):
        return raw()
    all_days = not fields.dom_restricted and not fields.dow_restricted
    if all_days and len(fields.months) == 12 and len(hours) == 24:
        if len(minutes) == 1:
            minute = minutes[0]
            return (
                speaker.say("hourly")
                if minute == 0
                else speaker.say("hourly_at", minute=lambda: speaker.number(minute))
            )
        step = minutes[1] - minutes[0]
        if minutes == list(range(0, 60, step)) and 60 % step == 0:
            if step == 1:
                return speaker.say("every_minute")
            return _every(speaker, "minute", step)
    if len(minutes) * len(hours) > _MAX_LISTED_TIMES:
        return raw()
    times = {
        "times": lambda: speaker.listed(speaker.time(f"{h}:{m}") for h in hours for m in minutes)
    }
    weekdays = {
        "weekdays": lambda: speaker.listed(
            speaker.weekday((w - 1) % 7) for w in sorted(fields.weekdays, key=lambda w: (w - 1) % 7)
        )
    }
    days = {"days": lambda: speaker.listed(speaker.day(d) for d in sorted(fields.days))}
    if all_days:
        said = speaker.say("cron_daily", **times)
    elif not fields.dom_restricted:
        said = speaker.say("cron_weekdays", **times, **weekdays)
    elif not fields.dow_restricted:
        said = speaker.say("cron_days", **times, **days)
    else:
        said = speaker.say("cron_days_or_weekdays", **times, **days, **weekdays)
    if len(fields.months) == 12:
        return said
    months = sorted(fields.months)
    return speaker.say(
        "cron_months",
        schedule=lambda: said,
        months=lambda: speaker.listed(speaker.month(m) for m in months),
    )


def _say(speaker: _Speaker, schedule: Schedule | None, nightly: str | None) -> str:  # noqa: PLR0911, PLR0912 - one branch per schedule kind, each saying it with the locale's phrases
    from ..schedules import WEEKDAYS

    if schedule is None:
        return speaker.say("none")
    kind = schedule.kind
    if kind == "hourly":
        minute = schedule.minute or 0
        if minute == 0:
            return speaker.say("hourly")
        return speaker.say("hourly_at", minute=lambda: speaker.number(minute))
    if kind == "every":
        return _interval(speaker, schedule)
    if kind == "daily":
        daily_at = schedule.at or nightly
        if daily_at is None:
            return speaker.say("daily_no_time")
        return speaker.say("daily", time=lambda: speaker.time(daily_at))
    if kind == "weekly":
        weekday = WEEKDAYS.index(schedule.weekday or "monday")
        at = schedule.at or ""
        return speaker.say(
            "weekly", weekday=lambda: speaker.weekday(weekday), time=lambda: speaker.time(at)
        )
    if kind == "monthly":
        day = schedule.day or 1
        when = schedule.at or nightly
        if when is None:
            return speaker.say("monthly_no_time", day=lambda: speaker.day(day))
        return speaker.say("monthly", day=lambda: speaker.day(day), time=lambda: speaker.time(when))
    if kind == "nightly":
        if nightly is None:
            return speaker.say("nightly")
        return speaker.say("nightly_at", time=lambda: speaker.time(nightly))
    if kind == "event":
        trigger = schedule.trigger
        if speaker.english and trigger:
            return speaker.say("event_trigger", trigger=lambda: trigger)
        return speaker.say("event")
    if kind == "cron":
        return _cron(speaker, schedule.expression or "")
    raise UsageError(f"unknown schedule kind {kind!r}")


def sentence(
    schedule: Schedule | None,
    *,
    locale: str,
    gettext: Gettext | None = None,
    nightly: str | None = None,
) -> Sentence:
    """Say a schedule in ``locale``.

    Args:
        schedule: the schedule, or None when the docs document none (said as unknown).
        locale: a CLDR locale code (``sv``, ``de``, ``it``, ``pt_BR``); ``en`` is the source.
        gettext: msgctxt -> translated template (or None); asked for ``phrase|<name>``.
        nightly: HH:MM that "nightly" means in the environment, when there is one.

    Returns:
        The sentence, and whether it fell back to English because a phrase was missing.

    Raises:
        UsageError: for a locale CLDR does not know.
    """
    target = _locale(locale)
    english = _locale("en") if target.language != "en" else target

    def english_lookup(name: str) -> str | None:
        return PHRASES.get(name)

    if target.language == "en":
        return Sentence(_say(_Speaker(target, english_lookup, english=True), schedule, nightly))

    def translated(name: str) -> str | None:
        if gettext is None or name not in PHRASES:
            return None
        return gettext(CONTEXT_PREFIX + name) or None

    try:
        return Sentence(_say(_Speaker(target, translated, english=False), schedule, nightly))
    except _Missing:
        text = _say(_Speaker(english, english_lookup, english=True), schedule, nightly)
        return Sentence(text, fallback=True)


def remembered(say: Callable[..., Any]) -> Callable[..., Any]:
    """``say`` (``phrases.sentence``) asked once per schedule, locale and translations: the
    reference pages and the site say the same sentences, and many workflows share a schedule."""
    said: dict[tuple[Any, ...], Any] = {}
    keep: dict[int, Any] = {}  # the gettexts stay alive, so their ids stay theirs

    def sentence(
        schedule: Any, *, locale: str, gettext: Any = None, nightly: str | None = None
    ) -> Any:
        key = (schedule, locale, nightly, id(gettext))
        found = said.get(key)
        if found is None:
            keep[id(gettext)] = gettext
            found = said[key] = say(schedule, locale=locale, gettext=gettext, nightly=nightly)
        return found

    return sentence
