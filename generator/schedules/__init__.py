"""The schedule model: one value per documented schedule, whatever form it is rendered in.

One :class:`Schedule` renders as a 5-field cron expression (crontab, cron.d, Kubernetes),
as systemd ``OnCalendar=`` expressions, and is evaluated on its own by :func:`next_runs`,
independently of both, so tests can hold the three against each other.

Wall-clock semantics of the model (what :func:`next_runs` computes): a schedule fires at
local times in the environment's zone; a local time that does not exist (clocks go
forward) does not fire, and one that happens twice (clocks go back) fires once, at its
first occurrence. systemd behaves exactly so; cron and Kubernetes differ on those days,
which is why ``schedule_lint`` warns about them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import UsageError
from .cron import CronFields, CronSyntaxError, parse_cron, portable
from .rules import cron_problem

__all__ = [
    "KINDS",
    "SCHEDULERS",
    "WEEKDAYS",
    "Schedule",
    "Window",
    "cron_problem",
    "next_runs",
    "scheduler_runs",
    "to_cron",
    "to_cron_lines",
    "to_kubernetes",
    "to_systemd",
    "wall_times",
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


def _hm(text: str) -> tuple[int, int]:
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


def _at(schedule: Schedule, nightly: str | None) -> str:
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


def _window_times(schedule: Schedule) -> list[tuple[int, int]]:
    """Times of day of an ``every`` schedule: start, start + interval, ... up to end (inclusive).

    Without a window the day runs from 00:00; an end of 00:00 means midnight, the end of
    the day, which is not itself a run.
    """
    step = schedule.minutes if schedule.minutes else (schedule.hours or 1) * 60
    if schedule.between is None:
        first, last = 0, 24 * 60 - 1
    else:
        sh, sm = _hm(schedule.between.start)
        eh, em = _hm(schedule.between.end)
        first = sh * 60 + sm
        last = 24 * 60 - 1 if (eh, em) == (0, 0) else eh * 60 + em
        if last < first:
            raise UsageError(
                f"window {schedule.between.start}-{schedule.between.end} ends before it starts"
            )
    return [divmod(minute, 60) for minute in range(first, last + 1, step)]


def wall_times(
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
        return _window_times(schedule)
    if kind in ("daily", "nightly"):
        return [_hm(_at(schedule, nightly))]
    if kind == "weekly":
        assert schedule.weekday is not None
        on = day.weekday() == WEEKDAYS.index(schedule.weekday)
        return [_hm(_at(schedule, nightly))] if on else []
    if kind == "monthly":
        return [_hm(_at(schedule, nightly))] if day.day == schedule.day else []
    if kind == "cron":
        fields = _fields(schedule)
        if not fields.day_matches(day):
            return []
        return [(h, m) for h in sorted(fields.hours) for m in sorted(fields.minutes)]
    raise UsageError(f"a {kind!r} schedule is not driven by the clock")


def _fields(schedule: Schedule) -> CronFields:
    assert schedule.expression is not None
    try:
        return parse_cron(schedule.expression)
    except CronSyntaxError as err:
        raise UsageError(f"cron expression {schedule.expression!r}: {err}") from err


# --- next runs --------------------------------------------------------------------------


def next_runs(
    schedule: Schedule,
    *,
    after: datetime,
    count: int,
    timezone: str,
    nightly: str | None = None,
    horizon_days: int = 366 * 30,
) -> list[datetime]:
    """The next ``count`` fire times strictly after ``after``, evaluated from the model.

    Args:
        schedule: a timed schedule.
        after: an aware datetime.
        count: how many runs to return.
        timezone: IANA zone the schedule's local times are in.
        nightly: HH:MM that "nightly" (and a daily or monthly schedule without time) means.
        horizon_days: stop looking after this many days (a cron that never fires).

    Returns:
        Aware datetimes in ``timezone``, ascending; fewer than ``count`` only when the
        schedule fires less often within the horizon.

    Raises:
        UsageError: for a naive ``after``, an unknown zone, an event schedule, or a
            time-less schedule without ``nightly``.
    """
    if after.tzinfo is None or after.utcoffset() is None:
        raise UsageError("next_runs needs an aware datetime (with a time zone)")
    tz = zone(timezone)
    after_utc = after.astimezone(UTC)
    day = after.astimezone(tz).date()
    out: list[datetime] = []
    for _ in range(horizon_days):
        for hour, minute in wall_times(schedule, day, nightly=nightly):
            local = datetime.combine(day, time(hour, minute), tz)  # fold=0: first occurrence
            utc = local.astimezone(UTC)
            actual = utc.astimezone(tz)
            if actual.replace(tzinfo=None) != local.replace(tzinfo=None):
                continue  # does not exist: the clocks jumped over it
            if utc > after_utc:
                out.append(actual)
                if len(out) == count:
                    return out
        day += timedelta(days=1)
    return out


SCHEDULERS = ("cron", "systemd", "kubernetes")


def _cron_fixed(schedule: Schedule, nightly: str | None) -> bool:
    """Vixie/Debian cron's "fixed-time" job: no line's minute or hour field starts with ``*``.

    On a clock change cron runs fixed-time jobs whose time was skipped right after the
    change, and does not repeat them when the clocks go back; wildcard jobs follow the
    new wall clock (skipped, or run twice).
    """
    return all(
        not line.split()[0].startswith("*") and not line.split()[1].startswith("*")
        for line in to_cron_lines(schedule, nightly=nightly)
    )


def _change_instant(day: date, hour: int, minute: int, tz: ZoneInfo) -> datetime:
    """The instant the clocks jumped over the non-existent local ``hour:minute``."""
    early = datetime.combine(day, time(hour, minute), tz).replace(fold=1).astimezone(UTC)
    late = datetime.combine(day, time(hour, minute), tz).replace(fold=0).astimezone(UTC)
    low, high = sorted((early, late))
    before = low.astimezone(tz).utcoffset()
    while high - low > timedelta(seconds=1):
        mid = low + (high - low) / 2
        if mid.astimezone(tz).utcoffset() == before:
            low = mid
        else:
            high = mid
    return high.replace(microsecond=0)


def scheduler_runs(
    schedule: Schedule,
    *,
    scheduler: str,
    after: datetime,
    count: int,
    timezone: str,
    nightly: str | None = None,
    horizon_days: int = 366 * 30,
) -> list[datetime]:
    """The next ``count`` fire times as one scheduler computes them, DST days included.

    ``systemd`` is the model (:func:`next_runs`): a local time that does not exist is
    skipped, a repeated one runs once. ``kubernetes`` (the CronJob controller with
    robfig/cron) skips a time that does not exist and runs a repeated one twice.
    ``cron`` (Debian's Vixie cron, cronie alike) runs a fixed-time job right after a
    forward change and once on a backward one; a wildcard job (minute or hour ``*``) is
    skipped, or run twice.

    Raises:
        UsageError: as :func:`next_runs`, and for an unknown scheduler.
    """
    if scheduler not in SCHEDULERS:
        raise UsageError(f"unknown scheduler {scheduler!r}", hint=f"one of {', '.join(SCHEDULERS)}")
    if scheduler == "systemd":
        return next_runs(
            schedule,
            after=after,
            count=count,
            timezone=timezone,
            nightly=nightly,
            horizon_days=horizon_days,
        )
    if after.tzinfo is None or after.utcoffset() is None:
        raise UsageError("next_runs needs an aware datetime (with a time zone)")
    tz = zone(timezone)
    fixed = scheduler == "cron" and _cron_fixed(schedule, nightly)
    after_utc = after.astimezone(UTC)
    day = after.astimezone(tz).date()
    out: list[datetime] = []
    for _ in range(horizon_days):
        found: list[datetime] = []
        for hour, minute in wall_times(schedule, day, nightly=nightly):
            first = datetime.combine(day, time(hour, minute), tz)
            second = first.replace(fold=1)
            naive = first.replace(tzinfo=None)
            if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
                if fixed:  # cron runs a skipped fixed-time job right after the change
                    found.append(_change_instant(day, hour, minute, tz))
                continue
            found.append(first.astimezone(UTC))
            if first.utcoffset() != second.utcoffset() and not fixed:
                found.append(second.astimezone(UTC))
        for utc in sorted(set(found)):
            if utc > after_utc:
                out.append(utc.astimezone(tz))
                if len(out) == count:
                    return out
        day += timedelta(days=1)
    return out


# --- rendering --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    """One line's worth of fields; ``None`` means every value."""

    minutes: tuple[int, ...]
    hours: tuple[int, ...] | None
    day: int | None = None
    weekday: int | None = None  # 0 Monday .. 6 Sunday (WEEKDAYS order)


def _step_of(values: Sequence[int], low: int, high: int) -> int | None:
    """The step when ``values`` is low, low+step, ... through the field's end, else None."""
    if len(values) < 2 or values[0] != low:
        return None
    step = values[1] - values[0]
    expected = list(range(low, high + 1, step))
    return step if list(values) == expected else None


def _runs(values: Sequence[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for value in values:
        if runs and value == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], value)
        else:
            runs.append((value, value))
    return runs


def _cron_list(values: Sequence[int] | None, low: int, high: int) -> str:
    if values is None or list(values) == list(range(low, high + 1)):
        return "*"
    step = _step_of(values, low, high)
    if step is not None:
        return f"*/{step}"
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in _runs(values))


def _systemd_list(values: Sequence[int] | None, low: int, high: int) -> str:
    if values is None or list(values) == list(range(low, high + 1)):
        return "*"
    step = _step_of(values, low, high)
    if step is not None:
        return f"{low:02d}/{step}"
    parts = []
    for a, b in _runs(values):
        if a == b:
            parts.append(f"{a:02d}")
        elif b == a + 1:
            parts.append(f"{a:02d},{b:02d}")
        else:
            parts.append(f"{a:02d}..{b:02d}")
    return ",".join(parts)


def _specs(schedule: Schedule, nightly: str | None) -> list[_Spec]:
    """Model kinds as lines of fields (not raw cron, not events)."""
    kind = schedule.kind
    if kind == "hourly":
        return [_Spec((schedule.minute or 0,), None)]
    if kind == "every":
        by_hour: dict[int, list[int]] = {}
        for hour, minute in _window_times(schedule):
            by_hour.setdefault(hour, []).append(minute)
        lines: dict[tuple[int, ...], list[int]] = {}
        for hour, minutes in by_hour.items():
            lines.setdefault(tuple(minutes), []).append(hour)
        return [
            _Spec(minutes, None if hours == list(range(24)) else tuple(hours))
            for minutes, hours in sorted(lines.items(), key=lambda item: item[1][0])
        ]
    hour, minute = _hm(_at(schedule, nightly))
    if kind in ("daily", "nightly"):
        return [_Spec((minute,), (hour,))]
    if kind == "weekly":
        assert schedule.weekday is not None
        return [_Spec((minute,), (hour,), weekday=WEEKDAYS.index(schedule.weekday))]
    if kind == "monthly":
        return [_Spec((minute,), (hour,), day=schedule.day)]
    raise UsageError(f"a {kind!r} schedule is not driven by the clock")


def _timed(schedule: Schedule) -> None:
    if schedule.kind == "event":
        raise UsageError(
            f"an event schedule ({schedule.trigger or 'signal'}) is not driven by the clock",
            hint="event workflows are started by their trigger and get no timer",
        )


def to_cron_lines(schedule: Schedule, *, nightly: str | None = None) -> list[str]:
    """The schedule as one or more 5-field cron expressions that together fire exactly when it does.

    Most schedules need one line; an ``every N minutes`` window that starts or ends inside
    an hour needs up to three.

    Raises:
        UsageError: for event schedules and time-less schedules without ``nightly``.
    """
    _timed(schedule)
    if schedule.kind == "cron":
        assert schedule.expression is not None
        _fields(schedule)
        # Written so that every target reads it alike (Sunday 0, N-max/step); see cronfields.
        return [portable(schedule.expression)]
    out = []
    for spec in _specs(schedule, nightly):
        dow = "*" if spec.weekday is None else str((spec.weekday + 1) % 7)
        day = "*" if spec.day is None else str(spec.day)
        out.append(
            f"{_cron_list(spec.minutes, 0, 59)} {_cron_list(spec.hours, 0, 23)} {day} * {dow}"
        )
    return out


def to_cron(schedule: Schedule, *, nightly: str | None = None) -> str:
    """The schedule as one 5-field cron expression (crontab, cron.d, Kubernetes).

    Raises:
        UsageError: for event schedules, time-less schedules without ``nightly``, and
            windows that one cron line cannot express (see :func:`to_cron_lines`).
    """
    lines = to_cron_lines(schedule, nightly=nightly)
    if len(lines) > 1:
        raise UsageError(
            f"this schedule needs {len(lines)} cron lines ({' | '.join(lines)}); "
            "one expression cannot say it",
            hint="use to_cron_lines(), or align the window to whole hours",
        )
    return lines[0]


_SD_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _systemd_spec(spec: _Spec) -> str:
    prefix = "" if spec.weekday is None else f"{_SD_DAYS[spec.weekday]} "
    day = "*" if spec.day is None else f"{spec.day:02d}"
    hours = _systemd_list(spec.hours, 0, 23)
    minutes = _systemd_list(spec.minutes, 0, 59)
    return f"{prefix}*-*-{day} {hours}:{minutes}:00"


def _systemd_cron(schedule: Schedule) -> list[str]:
    """Raw cron as OnCalendar lines; Vixie's day-of-month OR day-of-week becomes two lines."""
    fields = _fields(schedule)
    expression = schedule.expression
    weekdays = sorted((w - 1) % 7 for w in fields.weekdays)  # to Monday 0
    hours = _systemd_list(sorted(fields.hours), 0, 23)
    time_part = f"{hours}:{_systemd_list(sorted(fields.minutes), 0, 59)}:00"
    months = _systemd_list(sorted(fields.months), 1, 12)

    def dow_text(days: Sequence[int]) -> str:
        if len(days) == 7:
            return ""
        return ",".join(
            _SD_DAYS[a] if a == b else f"{_SD_DAYS[a]}{'..' if b > a + 1 else ','}{_SD_DAYS[b]}"
            for a, b in _runs(days)
        )

    # Day-of-month alternatives (each a "-DD" or "~DD" suffix), AND-ed with optional weekdays.
    dom_parts: list[str] = []
    if fields.days:
        dom_parts.append("-" + _systemd_list(sorted(fields.days), 1, 31))
    if fields.last_day:
        dom_parts.append("~01")
    # Day-of-week alternatives: (weekday list, dom suffix)
    dow_parts: list[tuple[str, str]] = []
    if weekdays:
        dow_parts.append((dow_text(weekdays), "-*"))
    for weekday in sorted(fields.last_of):
        dow_parts.append((_SD_DAYS[(weekday - 1) % 7], "~07/1"))
    for weekday, nth in sorted(fields.nth):
        first = (nth - 1) * 7 + 1
        dow_parts.append((_SD_DAYS[(weekday - 1) % 7], f"-{first:02d}..{first + 6:02d}"))

    def why(reason: str) -> UsageError:
        return UsageError(
            f"cron expression {expression!r} cannot be written as systemd OnCalendar: {reason}",
            hint="express it as a structured schedule, or as a simpler cron expression",
        )

    if fields.last_weekday:
        raise why("'LW' (last weekday of the month) has no OnCalendar equivalent")
    lines: list[tuple[str, str]] = []  # (weekday prefix, day suffix)
    if fields.days_and:
        if not fields.dom_restricted:
            lines = dow_parts
        elif not fields.dow_restricted:
            lines = [("", part) for part in dom_parts]
        else:  # both restricted, AND-ed (a field starts with "*", e.g. "*/2")
            if (
                len(dow_parts) != 1
                or dow_parts[0][1] != "-*"
                or dom_parts != dom_parts[:1]
                or fields.last_day
            ):
                raise why("day-of-month AND a special day-of-week ('L', '#') cannot share one line")
            lines = [(dow_parts[0][0], dom_parts[0])]
    else:
        lines = [("", part) for part in dom_parts] + dow_parts
    out = []
    for prefix, suffix in lines:
        head = f"{prefix} " if prefix else ""
        out.append(f"{head}*-{months}{suffix} {time_part}")
    return sorted(set(out), key=out.index)


def to_systemd(
    schedule: Schedule, *, nightly: str | None = None, timezone: str | None = None
) -> list[str]:
    """The schedule as systemd ``OnCalendar=`` expressions (one timer may list several).

    Args:
        schedule: a timed schedule.
        nightly: HH:MM that "nightly" (and a daily or monthly schedule without time) means.
        timezone: appended to each expression (``*-*-* 02:00:00 Europe/Stockholm``).

    Raises:
        UsageError: for event schedules, time-less schedules without ``nightly``, an
            unknown zone, and raw cron that OnCalendar cannot express (the message says why).
    """
    _timed(schedule)
    if timezone is not None:
        zone(timezone)
    if schedule.kind == "cron":
        lines = _systemd_cron(schedule)
    else:
        lines = [_systemd_spec(spec) for spec in _specs(schedule, nightly)]
    return [f"{line} {timezone}" if timezone else line for line in lines]


def to_kubernetes(
    schedule: Schedule, *, nightly: str | None = None, timezone: str
) -> dict[str, str]:
    """The CronJob ``spec.schedule`` and ``spec.timeZone`` for the schedule.

    Raises:
        UsageError: as :func:`to_cron`, and for an unknown zone.
    """
    zone(timezone)
    return {"schedule": to_cron(schedule, nightly=nightly), "timeZone": timezone}
