"""Next runs of a schedule: the model's own reading (systemd's), and each scheduler's on
the days the clocks change."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..errors import UsageError
from .forms import to_cron_lines
from .times import Schedule, wall_times, zone

__all__ = ["SCHEDULERS", "next_runs", "scheduler_runs"]

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
    out: list[datetime] = []
    for day in _days(after, tz, horizon_days):
        for hour, minute in wall_times(schedule, day, nightly=nightly):
            local = datetime.combine(day, time(hour, minute), tz)  # fold=0: first occurrence
            try:
                utc = local.astimezone(UTC)
                actual = utc.astimezone(tz)
            except OverflowError:  # before year 1 or after year 9999 in UTC
                if day.year == date.max.year:
                    return out
                continue
            if actual.replace(tzinfo=None) != local.replace(tzinfo=None):
                continue  # does not exist: the clocks jumped over it
            if utc > after_utc:
                out.append(actual)
                if len(out) == count:
                    return out
    return out


def _days(after: datetime, tz: ZoneInfo, horizon_days: int) -> Iterator[date]:
    """The local days from ``after``'s on, at most ``horizon_days`` of them, ending with the
    calendar (9999-12-31): a schedule runs no later than Python's dates reach."""
    try:
        day = after.astimezone(tz).date()
    except OverflowError:  # ``after`` is already past the calendar's end in ``tz``
        return
    for _ in range(horizon_days):
        yield day
        if day == date.max:
            return
        day += timedelta(days=1)


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


def scheduler_runs(  # noqa: PLR0912 - one branch per scheduler's reading of the day the clocks change
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
    out: list[datetime] = []
    for day in _days(after, tz, horizon_days):
        found: list[datetime] = []
        ended = False
        for hour, minute in wall_times(schedule, day, nightly=nightly):
            first = datetime.combine(day, time(hour, minute), tz)
            second = first.replace(fold=1)
            naive = first.replace(tzinfo=None)
            try:
                if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
                    if fixed:  # cron runs a skipped fixed-time job right after the change
                        found.append(_change_instant(day, hour, minute, tz))
                    continue
                found.append(first.astimezone(UTC))
                if first.utcoffset() != second.utcoffset() and not fixed:
                    found.append(second.astimezone(UTC))
            except OverflowError:  # before year 1 or after year 9999 in UTC
                ended = day.year == date.max.year
                if ended:
                    break
        for utc in sorted(set(found)):
            if utc > after_utc:
                out.append(utc.astimezone(tz))
                if len(out) == count:
                    return out
        if ended:
            return out
    return out
