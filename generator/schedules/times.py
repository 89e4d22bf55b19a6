"""The schedule value and its wall-clock times: :class:`Schedule`, zones, the local times a
schedule fires at on a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import UsageError
from .cron import CronFields, CronSyntaxError, parse_cron

__all__ = [
    "KINDS",
    "WEEKDAYS",
    "Schedule",
    "Window",
    "at_time",
    "cron_fields",
    "hm",
    "wall_times",
    "window_times",
    "zone",
]

KINDS = ("hourly", "every", "daily", "weekly", "monthly", "nightly", "event", "cron")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Window:
    """A daily window ``start``..``end`` (HH:MM); an ``end`` of 00:00 means midnight."""

    start: str
    end: str


@dataclass(frozen=True)
class Schedule:
    """A documented default schedule. Which fields are set depends on ``kind``."""

    kind: str
    minute: int | None = None  # hourly
    minutes: int | None = None  # every N minutes
    hours: int | None = None  # every N hours
    between: Window | None = None  # every, within a daily window
    at: str | None = None  # daily, weekly, monthly (HH:MM)
    weekday: str | None = None  # weekly
    day: int | None = None  # monthly
    trigger: str | None = None  # event
    expression: str | None = None  # cron

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Schedule:
        """Build from the catalogue's (already schema-checked) mapping."""
        between = data.get("between")
        return cls(
            kind=data["kind"],
            minute=data.get("minute"),
            minutes=data.get("minutes"),
            hours=data.get("hours"),
            between=Window(between["start"], between["end"]) if between else None,
            at=data.get("at"),
            weekday=data.get("weekday"),
            day=data.get("day"),
            trigger=data.get("trigger"),
            expression=data.get("expression"),
        )

    def to_mapping(self) -> dict[str, Any]:
        """The catalogue form, without unset fields."""
        out: dict[str, Any] = {"kind": self.kind}
        for name in ("minute", "minutes", "hours", "at", "weekday", "day", "trigger", "expression"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.between:
            out["between"] = {"start": self.between.start, "end": self.between.end}
        return out

    @property
    def is_timed(self) -> bool:
        """True when a clock fires it (everything but ``event``)."""
        return self.kind != "event"


# --- times and zones --------------------------------------------------------------------


def hm(text: str) -> tuple[int, int]:
    """``"06:30"`` -> ``(6, 30)``."""
    hours, minutes = text.split(":")
    return int(hours), int(minutes)


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``.

    Raises:
        UsageError: when the zone database does not know it.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise UsageError(
            f"unknown time zone {name!r}", hint="use an IANA name such as Europe/Stockholm or UTC"
        ) from err


def at_time(schedule: Schedule, nightly: str | None) -> str:
    """The time of day of daily-like schedules; nightly ones take the environment's."""
    if schedule.at is not None:
        return schedule.at
    if nightly is None:
        what = {
            "nightly": "nightly",
            "daily": "daily (no time)",
            "monthly": f"monthly (day {schedule.day}, no time)",
        }.get(schedule.kind, schedule.kind)
        raise UsageError(
            f"a {what} schedule has no documented time and no nightly time was given",
            hint='set `nightly: "HH:MM"` in the environment profile',
        )
    return nightly


def window_times(schedule: Schedule) -> list[tuple[int, int]]:
    """Times of day of an ``every`` schedule: start, start + interval, ... up to end (inclusive).

    Without a window the day runs from 00:00; an end of 00:00 means midnight, the end of
    the day, which is not itself a run.
    """
    step = schedule.minutes if schedule.minutes else (schedule.hours or 1) * 60
    if schedule.between is None:
        first, last = 0, 24 * 60 - 1
    else:
        sh, sm = hm(schedule.between.start)
        eh, em = hm(schedule.between.end)
        first = sh * 60 + sm
        last = 24 * 60 - 1 if (eh, em) == (0, 0) else eh * 60 + em
        if last < first:
            raise UsageError(
                f"window {schedule.between.start}-{schedule.between.end} ends before it starts"
            )
    return [divmod(minute, 60) for minute in range(first, last + 1, step)]


def wall_times(  # noqa: PLR0911 - one return per schedule kind
    schedule: Schedule, day: date, *, nightly: str | None = None
) -> list[tuple[int, int]]:
    """The local (hour, minute) times at which ``schedule`` fires on ``day``, sorted.

    This is the model's own reading of a schedule, shared by :func:`next_runs` and lint.

    Raises:
        UsageError: for event schedules, or a time-less schedule without ``nightly``.
    """
    kind = schedule.kind
    if kind == "hourly":
        return [(hour, schedule.minute or 0) for hour in range(24)]
    if kind == "every":
        return window_times(schedule)
    if kind in ("daily", "nightly"):
        return [hm(at_time(schedule, nightly))]
    if kind == "weekly":
        assert schedule.weekday is not None
        on = day.weekday() == WEEKDAYS.index(schedule.weekday)
        return [hm(at_time(schedule, nightly))] if on else []
    if kind == "monthly":
        return [hm(at_time(schedule, nightly))] if day.day == schedule.day else []
    if kind == "cron":
        fields = cron_fields(schedule)
        if not fields.day_matches(day):
            return []
        return [(h, m) for h in sorted(fields.hours) for m in sorted(fields.minutes)]
    raise UsageError(f"a {kind!r} schedule is not driven by the clock")


def cron_fields(schedule: Schedule) -> CronFields:
    """The parsed fields of a ``cron`` schedule.

    Raises:
        UsageError: when the expression is not valid cron.
    """
    assert schedule.expression is not None
    try:
        return parse_cron(schedule.expression)
    except CronSyntaxError as err:
        raise UsageError(f"cron expression {schedule.expression!r}: {err}") from err
