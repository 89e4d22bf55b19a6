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

__all__ = [
    "DIALECTS",
    "TARGET_DIALECT",
    "CronFields",
    "CronSyntaxError",
    "DialectIssue",
    "dialect_issues",
    "parse_cron",
    "portable",
]

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_LONGEST = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # days of each month, leap years too
_BOUNDS = {
    "minute": (0, 59),
    "hour": (0, 23),
    "day-of-month": (1, 31),
    "month": (1, 12),
    "day-of-week": (0, 7),
}


class CronSyntaxError(ValueError):
    """A cron field this parser does not accept; the message and ``field`` name the field."""

    def __init__(self, message: str, *, field: str = "expression") -> None:
        super().__init__(message)
        self.field = field


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
        # The month's length only for L: next_runs asks this of every day it walks.
        if self.last_day and day.day == calendar.monthrange(day.year, day.month)[1]:
            return True
        if self.last_weekday and day.day == _last_weekday(day.year, day.month):
            return True
        return day.day in self.days

    def dow_matches(self, day: date) -> bool:
        """Whether the day-of-week field matches ``day``."""
        weekday = (day.weekday() + 1) % 7
        if weekday in self.weekdays:
            return True
        if weekday in self.last_of and day.day > calendar.monthrange(day.year, day.month)[1] - 7:
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
        raise CronSyntaxError(f"{field}: {text!r} is not a number", field=field)
    low, high = _BOUNDS[field]
    value = int(text)
    if not low <= value <= high:
        raise CronSyntaxError(f"{field}: {value} is outside {low}-{high}", field=field)
    return value


def _term(term: str, field: str, names: tuple[str, ...], offset: int) -> set[int]:
    low, high = _BOUNDS[field]
    step = 1
    stepped = "/" in term
    if stepped:
        term, step_text = term.split("/", 1)
        if not step_text.isdigit() or int(step_text) == 0:
            raise CronSyntaxError(f"{field}: bad step {step_text!r}", field=field)
        step = int(step_text)
    if term == "*":
        start, end = low, high
    elif "-" in term:
        first, last = term.split("-", 1)
        start, end = _value(first, field, names, offset), _value(last, field, names, offset)
        if end < start:
            raise CronSyntaxError(f"{field}: range {term!r} runs backwards", field=field)
    else:
        start = _value(term, field, names, offset)
        end = high if stepped else start  # "5/10" runs from 5 to the field's end
    return set(range(start, end + 1, step))


@functools.lru_cache(maxsize=4096)
def parse_cron(expression: str) -> CronFields:  # noqa: PLR0912 - a parser of the five fields; one branch per field syntax
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
                raise CronSyntaxError(
                    f"day-of-week: bad occurrence {which!r} (1-5)", field="day-of-week"
                )
            nth.add((_value(weekday, "day-of-week", _DAYS) % 7, int(which)))
        else:
            weekdays |= {w % 7 for w in _term(term, "day-of-week", _DAYS, 0)}
    if (
        dom != "*"
        and not (last_day or last_weekday)
        and (dom.startswith("*") or dow.startswith("*"))
    ):
        # Only day-of-month picks the days: refuse a day no chosen month has (0 0 30 2 *).
        longest = max(_LONGEST[month - 1] for month in sets["month"])
        if days and min(days) > longest:
            raise CronSyntaxError(
                f"day-of-month: day {min(days)} never exists in the months chosen",
                field="day-of-month",
            )
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


# --- dialects -----------------------------------------------------------------------------
#
# Each output target runs raw cron through its own parser:
#   crontab, cron.d  Debian's cron (Vixie cron 3.0): numbers, names, ranges, lists, steps,
#                    Sunday as 0 or 7; no L, W, # and no "?".
#   kubernetes       robfig/cron v3's standard parser (what the API server and the CronJob
#                    controller use): day-of-week 0-6 only, "?" allowed, no L, W, #; a field
#                    is "any" only when it is exactly "*" or "?", so "*/2" restricts (Vixie:
#                    any field starting with "*" does not).
#   systemd          OnCalendar, written by wfgen from the parsed fields (schedules.py): L,
#                    nL and w#n have equivalents there; LW does not.

DIALECTS = {
    "cron": "Debian cron",
    "kubernetes": "Kubernetes' cron parser (robfig/cron)",
    "systemd": "systemd's OnCalendar",
}
TARGET_DIALECT = {
    "crontab": "cron",
    "cron.d": "cron",
    "kubernetes": "kubernetes",
    "systemd": "systemd",
}


@dataclass(frozen=True)
class DialectIssue:
    """A construct a target's parser refuses (``rewritten`` False) or that wfgen rewrites."""

    dialect: str
    construct: str
    field: str
    message: str
    rewritten: bool = False


def _specials(expression: str) -> list[tuple[str, str]]:
    """(field, construct) for every L, LW, W, nL, w#n and ? in the day fields."""
    parts = expression.split()
    found: list[tuple[str, str]] = []
    for field, text in (("day-of-month", parts[2]), ("day-of-week", parts[4])):
        for term in text.split(","):
            upper = term.upper()
            dom = field == "day-of-month" and (upper in ("L", "LW") or upper.endswith("W"))
            dow = field == "day-of-week" and (
                "#" in upper or (upper.endswith("L") and upper not in _DAYS)
            )
            if upper == "?" or dom or dow:
                found.append((field, term))
    return found


def _sunday_seven(dow: str) -> bool:
    """True when day-of-week names Sunday as 7 (or ends a range with SUN, which is 0)."""
    for term in dow.split(","):
        ends = term.split("/", 1)[0].split("-")
        if "7" in ends or (len(ends) == 2 and ends[1].upper() == "SUN"):
            return True
    return False


_FIELD_ORDER = ("minute", "hour", "day-of-month", "month", "day-of-week")


def _open_steps(text: str, field: str) -> str:
    """``5/10`` (from 5 to the field's end) written ``5-59/10``: Debian cron refuses the short form."""
    high = _BOUNDS[field][1]  # day-of-week: 7, which the Sunday rewrite then makes 0
    out = []
    for term in text.split(","):
        base, slash, step = term.partition("/")
        opened = slash and base not in ("*", "?") and "-" not in base
        out.append(f"{base}-{high}/{step}" if opened else term)
    return ",".join(out)


def portable(expression: str) -> str:
    """``expression`` written so that every target's parser reads the same times.

    Two rewrites, both exact: ``N/step`` becomes ``N-max/step`` (Debian cron refuses the
    short form), and Sunday written 7 becomes 0 (Kubernetes' parser stops at 6). The
    day-of-week field is rewritten (as numbers 0-6) only when it has no ``*``, ``L`` or
    ``#``, which keeps Vixie's day-of-month/day-of-week rule unchanged.
    """
    parts = [
        _open_steps(text, field)
        for text, field in zip(expression.split(), _FIELD_ORDER, strict=True)
    ]
    dow = parts[4]
    if dow.startswith("*") or "#" in dow or "L" in dow.upper() or not _sunday_seven(dow):
        return " ".join(parts)
    weekdays = parse_cron(" ".join(parts)).weekdays
    runs: list[list[int]] = []
    for value in sorted(weekdays):
        if runs and value == runs[-1][1] + 1:
            runs[-1][1] = value
        else:
            runs.append([value, value])
    parts[4] = ",".join(
        str(a) if a == b else f"{a},{b}" if b == a + 1 else f"{a}-{b}" for a, b in runs
    )
    return " ".join(parts)


# long: one block per cron dialect difference, each with its message
def dialect_issues(expression: str, dialect: str) -> list[DialectIssue]:
    """What ``dialect``'s parser makes of a raw cron expression that cronsim accepts.

    Args:
        expression: a 5-field expression (already accepted by :func:`parse_cron`).
        dialect: ``cron`` or ``kubernetes`` (systemd's calendar is written from the parsed
            fields; ``schedules.to_systemd`` says what it cannot express).

    Returns:
        Refused constructs, then constructs wfgen rewrites (Sunday 7 -> 0); empty when the
        target reads the expression as written.
    """
    parts = expression.split()
    name = DIALECTS[dialect]
    issues: list[DialectIssue] = []
    if dialect in ("cron", "kubernetes"):
        for field, construct in _specials(expression):
            if construct == "?" and dialect == "kubernetes":
                continue
            what = {
                "L": "L (last day of the month)",
                "LW": "LW (last weekday of the month)",
                "?": "? (no specific value)",
            }.get(construct.upper(), f"{construct!r}")
            issues.append(
                DialectIssue(
                    dialect,
                    construct,
                    field,
                    f"{field} {what} is not understood by {name}",
                )
            )
    if dialect == "cron":
        final = portable(expression).split()
        for text, field, written in zip(parts, _FIELD_ORDER, final, strict=True):
            if _open_steps(text, field) != text:
                issues.append(
                    DialectIssue(
                        dialect,
                        text,
                        field,
                        f"{field} {text!r} (a step from a single value) is refused by {name}; "
                        f"written as {written!r} in the generated outputs",
                        rewritten=True,
                    )
                )
    if dialect == "kubernetes":
        fields = parse_cron(expression)
        if fields.dom_restricted and fields.dow_restricted:
            stars = [
                (f, text)
                for f, text in (("day-of-month", parts[2]), ("day-of-week", parts[4]))
                if text.startswith("*") and text not in ("*", "?", "*/1")
            ]
            for field, text in stars:
                issues.append(
                    DialectIssue(
                        dialect,
                        text,
                        field,
                        f"{field} {text!r} with the other day field restricted: cron runs when "
                        f"BOTH match, {name} when EITHER does",
                    )
                )
        if _sunday_seven(parts[4]) and portable(expression).split()[4] != parts[4]:
            issues.append(
                DialectIssue(
                    dialect,
                    parts[4],
                    "day-of-week",
                    f"day-of-week {parts[4]!r} names Sunday as 7, above {name}'s maximum (6); "
                    f"written as {portable(expression).split()[4]!r} in the generated outputs",
                    rewritten=True,
                )
            )
    return issues
