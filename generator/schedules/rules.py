"""Schedule checks shared by the catalogue and the environment profiles: what a schema
cannot say about a schedule mapping (days that some months lack, windows, cron fields)."""

from __future__ import annotations

from typing import Any

from ..errors import Severity
from .cron import CronSyntaxError, parse_cron

__all__ = ["ScheduleFinding", "cron_problem", "schedule_findings"]

# (path below the schedule, message, severity, code)
ScheduleFinding = tuple[tuple[str | int, ...], str, Severity, str]


def cron_problem(expression: str) -> str | None:
    """Why a 5-field cron expression is invalid, or None when cron accepts it.

    Read by :func:`generator.schedules.cron.parse_cron`, the one production parser; the
    message names the field as the schedulers' own parsers do ("Bad minute").
    """
    if len(expression.split()) != 5:
        return f"cron expression {expression!r} must have exactly 5 fields"
    try:
        parse_cron(expression)
    except CronSyntaxError as err:
        return f"invalid cron expression {expression!r}: Bad {err.field}"
    return None


def schedule_findings(sched: dict[str, Any] | None) -> list[ScheduleFinding]:
    """What a schema cannot say about a schedule: suspicious days, windows, cron fields."""
    if not sched:
        return []
    out: list[ScheduleFinding] = []
    kind = sched["kind"]
    if kind == "monthly" and sched["day"] >= 29:
        out.append(
            (
                ("day",),
                f"day {sched['day']} does not exist in every month; those months are skipped",
                Severity.WARNING,
                "monthly-short-months",
            )
        )
    if kind == "every" and sched.get("between"):
        start, end = sched["between"]["start"], sched["between"]["end"]
        if end != "00:00" and end <= start:
            out.append(
                (
                    ("between", "end"),
                    f"window end {end} is not after start {start}",
                    Severity.ERROR,
                    "schedule-window",
                )
            )
    if kind == "cron":
        message = cron_problem(sched["expression"])
        if message:
            out.append((("expression",), message, Severity.ERROR, "cron-syntax"))
        else:
            fields = sched["expression"].split()
            # Vixie cron: a day field starting with "*" (also "*/2") makes the two AND.
            if not fields[2].startswith(("*", "?")) and not fields[4].startswith(("*", "?")):
                out.append(
                    (
                        ("expression",),
                        "both day-of-month and day-of-week are restricted: cron fires when EITHER matches",
                        Severity.WARNING,
                        "cron-dom-dow",
                    )
                )
    return out
