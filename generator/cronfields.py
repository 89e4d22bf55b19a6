"""Raw 5-field cron expressions, parsed into sets: our own reading, independent of cronsim.

The model evaluates raw cron itself (``schedules.next_runs``) and converts it to systemd
calendar expressions; both need the fields as sets of values. Semantics follow Debian
(Vixie) cron, which cronsim and Kubernetes' cron library also follow: when either the
day-of-month or the day-of-week field starts with ``*`` both must match, otherwise a day
matches when EITHER does. Extensions understood (as cronsim does): ``L`` and ``LW`` in
day-of-month, ``5L`` (last Friday) and ``1#2`` (second Monday) in day-of-week.
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import date

__all__ = ["CronFields", "CronSyntaxError", "parse_cron"]

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_BOUNDS = {
    "minute": (0, 59),
    "hour": (0, 23),
    "day-of-month": (1, 31),
    "month": (1, 12),
    "day-of-week": (0, 7),
}


class CronSyntaxError(ValueError):
    """A cron field this parser does not accept; the message names the field."""


@dataclass(frozen=True)
class CronFields:
    """The sets a cron expression stands for. Weekdays are 0 (Sunday) to 6 (Saturday).

    ``last_day``/``last_weekday`` are ``L``/``LW`` in day-of-month; ``last_of`` holds
    weekdays written ``nL``; ``nth`` holds ``(weekday, n)`` pairs written ``w#n``.
    """

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    last_day: bool = False
    last_weekday: bool = False
    last_of: frozenset[int] = frozenset()
    nth: frozenset[tuple[int, int]] = frozenset()
    days_any: bool = True  # day-of-month is "*"
    weekdays_any: bool = True  # day-of-week is "*"
    days_and: bool = True  # Vixie: a field starting with "*" makes the two fields AND

    @property
    def dom_restricted(self) -> bool:
        """True when day-of-month narrows the days (not ``*``)."""
        return not self.days_any

    @property
    def dow_restricted(self) -> bool:
        """True when day-of-week narrows the days (not ``*``)."""
        return not self.weekdays_any

    def dom_matches(self, day: date) -> bool:
        """Whether the day-of-month field matches ``day``."""
        last = calendar.monthrange(day.year, day.month)[1]
        if self.last_day and day.day == last:
            return True
        if self.last_weekday and day.day == _last_weekday(day.year, day.month):
            return True
        return day.day in self.days

    def dow_matches(self, day: date) -> bool:
        """Whether the day-of-week field matches ``day``."""
        weekday = (day.weekday() + 1) % 7
        if weekday in self.weekdays:
            return True
        last = calendar.monthrange(day.year, day.month)[1]
        if weekday in self.last_of and day.day > last - 7:
            return True
        return (weekday, (day.day - 1) // 7 + 1) in self.nth

    def day_matches(self, day: date) -> bool:
        """Whether cron runs on ``day`` at all (month, day-of-month and day-of-week)."""
        if day.month not in self.months:
            return False
        if self.days_and:
            return self.dom_matches(day) and self.dow_matches(day)
        return self.dom_matches(day) or self.dow_matches(day)


def _last_weekday(year: int, month: int) -> int:
    last = calendar.monthrange(year, month)[1]
    weekday = date(year, month, last).weekday()  # Monday 0
    return last - max(0, weekday - 4)


def _value(text: str, field: str, names: tuple[str, ...] = (), offset: int = 0) -> int:
    upper = text.upper()
    if names and upper in names:
        return names.index(upper) + offset
    if not text.isdigit():
        raise CronSyntaxError(f"{field}: {text!r} is not a number")
    low, high = _BOUNDS[field]
    value = int(text)
    if not low <= value <= high:
        raise CronSyntaxError(f"{field}: {value} is outside {low}-{high}")
    return value


def _term(term: str, field: str, names: tuple[str, ...], offset: int) -> set[int]:
    low, high = _BOUNDS[field]
    step = 1
    stepped = "/" in term
    if stepped:
        term, step_text = term.split("/", 1)
        if not step_text.isdigit() or int(step_text) == 0:
            raise CronSyntaxError(f"{field}: bad step {step_text!r}")
        step = int(step_text)
    if term == "*":
        start, end = low, high
    elif "-" in term:
        first, last = term.split("-", 1)
        start, end = _value(first, field, names, offset), _value(last, field, names, offset)
        if end < start:
            raise CronSyntaxError(f"{field}: range {term!r} runs backwards")
    else:
        start = _value(term, field, names, offset)
        end = high if stepped else start  # "5/10" runs from 5 to the field's end
    return set(range(start, end + 1, step))


@functools.lru_cache(maxsize=4096)
def parse_cron(expression: str) -> CronFields:
    """Parse a 5-field cron expression into sets.

    Parsed once per distinct expression (schedules repeat across workflows, days and
    environments); the result is shared, so callers must not change its sets.

    Raises:
        CronSyntaxError: when a field is not understood; the message names it.
    """
    parts = expression.split()
    if len(parts) != 5:
        raise CronSyntaxError(f"expected 5 fields, got {len(parts)}")
    minute, hour, dom, month, dow = parts
    sets: dict[str, set[int]] = {}
    for text, field, names, offset in (
        (minute, "minute", (), 0),
        (hour, "hour", (), 0),
        (month, "month", _MONTHS, 1),
    ):
        sets[field] = set()
        for term in text.split(","):
            sets[field] |= _term(term, field, names, offset)
    days: set[int] = set()
    last_day = last_weekday = False
    for term in dom.split(","):
        if term.upper() == "L":
            last_day = True
        elif term.upper() == "LW":
            last_weekday = True
        else:
            days |= _term(term, "day-of-month", (), 0)
    weekdays: set[int] = set()
    last_of: set[int] = set()
    nth: set[tuple[int, int]] = set()
    for term in dow.split(","):
        upper = term.upper()
        if upper.endswith("L") and len(upper) > 1 and upper not in _DAYS:
            last_of.add(_value(upper[:-1], "day-of-week", _DAYS) % 7)
        elif "#" in upper:
            weekday, which = upper.split("#", 1)
            if not which.isdigit() or not 1 <= int(which) <= 5:
                raise CronSyntaxError(f"day-of-week: bad occurrence {which!r} (1-5)")
            nth.add((_value(weekday, "day-of-week", _DAYS) % 7, int(which)))
        else:
            weekdays |= {w % 7 for w in _term(term, "day-of-week", _DAYS, 0)}
    return CronFields(
        minutes=frozenset(sets["minute"]),
        hours=frozenset(sets["hour"]),
        days=frozenset(days),
        months=frozenset(sets["month"]),
        weekdays=frozenset(weekdays),
        last_day=last_day,
        last_weekday=last_weekday,
        last_of=frozenset(last_of),
        nth=frozenset(nth),
        days_any=dom == "*",
        weekdays_any=dow == "*",
        days_and=dom.startswith("*") or dow.startswith("*"),
    )
