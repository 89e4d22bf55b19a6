"""The forms a schedule is written in: 5-field cron lines (crontab, cron.d, Kubernetes) and
systemd ``OnCalendar=`` expressions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import UsageError
from .cron import portable
from .times import WEEKDAYS, Schedule, at_time, cron_fields, hm, window_times, zone

__all__ = ["to_cron", "to_cron_lines", "to_kubernetes", "to_systemd"]

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
        for hour, minute in window_times(schedule):
            by_hour.setdefault(hour, []).append(minute)
        lines: dict[tuple[int, ...], list[int]] = {}
        for hour, minutes in by_hour.items():
            lines.setdefault(tuple(minutes), []).append(hour)
        return [
            _Spec(minutes, None if hours == list(range(24)) else tuple(hours))
            for minutes, hours in sorted(lines.items(), key=lambda item: item[1][0])
        ]
    hour, minute = hm(at_time(schedule, nightly))
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
        cron_fields(schedule)
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


def _systemd_cron(schedule: Schedule) -> list[str]:  # noqa: PLR0912 - one branch per cron field shape systemd's OnCalendar= writes differently
    """Raw cron as OnCalendar lines; Vixie's day-of-month OR day-of-week becomes two lines."""
    fields = cron_fields(schedule)
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
