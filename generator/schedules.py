"""The schedule model: one value per documented schedule, whatever form it is rendered in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["KINDS", "WEEKDAYS", "Schedule", "Window", "cron_problem"]

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


def cron_problem(expression: str) -> str | None:
    """Why a 5-field cron expression is invalid, or None when cron accepts it."""
    from datetime import datetime

    from cronsim import CronSim, CronSimError

    if len(expression.split()) != 5:
        return f"cron expression {expression!r} must have exactly 5 fields"
    try:
        CronSim(expression, datetime(2000, 1, 1))
    except CronSimError as err:
        return f"invalid cron expression {expression!r}: {err}"
    return None
