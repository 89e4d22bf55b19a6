"""Clock changes of a zone: the days its offset moves, and the wall times around them."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    pass

__all__ = ["ClockChange", "clock_changes"]

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class ClockChange:
    """A day on which the zone's clocks change, and from what wall time to what."""

    day: date
    before: str  # wall time the clocks reach, e.g. "02:00"
    after: str  # wall time they show instead, e.g. "03:00"
    forward: bool

    def describe(self) -> str:
        """``the last Sunday of March``: the rule, not a date, so messages stay stable."""
        nth = (self.day.day - 1) // 7
        last = self.day.day + 7 > calendar.monthrange(self.day.year, self.day.month)[1]
        which = "last" if last else ("first", "second", "third", "fourth")[nth]
        return (
            f"the {which} {_DAY_NAMES[self.day.weekday()]} of {calendar.month_name[self.day.month]}"
        )


def _wall(instant: datetime, offset: timedelta) -> str:
    local = (instant + offset).replace(tzinfo=None)
    if local.second:
        local += timedelta(seconds=60 - local.second)
    return f"{local.hour:02d}:{local.minute:02d}"


def clock_changes(tz: ZoneInfo, *, start: date, days: int = 366) -> list[ClockChange]:
    """The clock changes of ``tz`` in the ``days`` days from ``start``."""
    out = []
    # The calendar ends at 9999-12-31: the last day has no next midnight to compare with.
    for index in range(min(days, (date.max - start).days)):
        day = start + timedelta(days=index)
        lo = datetime.combine(day, time(), tz).astimezone(UTC)
        hi = datetime.combine(day + timedelta(days=1), time(), tz).astimezone(UTC)
        before, after = lo.astimezone(tz).utcoffset(), hi.astimezone(tz).utcoffset()
        if before is None or after is None or before == after:
            continue
        while hi - lo > timedelta(seconds=1):  # the instant of the change, to the second
            mid = lo + (hi - lo) / 2
            if mid.astimezone(tz).utcoffset() == before:
                lo = mid
            else:
                hi = mid
        out.append(ClockChange(day, _wall(hi, before), _wall(hi, after), after > before))
    return out
