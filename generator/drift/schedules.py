"""Deployed and rendered schedules compared by what they do: cron lines by their fire times
over a year, OnCalendar= values in systemd's own normalized form."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta

from ..errors import UsageError

__all__ = ["calendar_forms", "compare_cron", "cron_days", "without_zone"]


_NICKNAMES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


def cron_days(lines: Iterable[str], start: date) -> list[Counter[tuple[int, int]]] | None:
    """Local fire times per day over a year, each counted once per line that fires then;
    None when a line is not 5-field cron."""
    from ..schedules import Schedule, wall_times
    from ..schedules.cron import CronSyntaxError

    schedules = [Schedule(kind="cron", expression=_NICKNAMES.get(line, line)) for line in lines]
    days = []
    try:
        for index in range(366):
            day = start + timedelta(days=index)
            times: Counter[tuple[int, int]] = Counter()
            for schedule in schedules:
                times.update(set(wall_times(schedule, day)))
            days.append(times)
    except (CronSyntaxError, UsageError, ValueError):
        return None
    return days


def compare_cron(expected: list[str], deployed: list[str], start: date) -> str:
    """ "" when the lines fire at the same times as often; else "schedule" or "duplicate"."""
    if sorted(" ".join(e.split()) for e in expected) == sorted(
        " ".join(d.split()) for d in deployed
    ):
        return ""
    ours, theirs = cron_days(expected, start), cron_days(deployed, start)
    if ours is None or theirs is None:
        return "schedule"
    if ours == theirs:
        return ""
    more = any(
        theirs_day[t] > ours_day[t]
        for ours_day, theirs_day in zip(ours, theirs, strict=True)
        for t in theirs_day
    )
    if more and [set(d) for d in ours] == [set(d) for d in theirs]:
        return "duplicate"  # the same times, some of them more than once
    return "schedule"


def calendar_forms(values: Iterable[str]) -> dict[str, str]:
    """Each OnCalendar value as systemd normalizes it: one ``systemd-analyze calendar`` call.

    A value systemd refuses, or every value when the tool is missing, maps to itself with
    its whitespace collapsed (then compared as text).
    """
    plain = {v: " ".join(v.split()) for v in values}
    tool = shutil.which("systemd-analyze")
    if tool is None or not plain:
        return plain
    wanted = sorted(set(plain.values()))
    forms: dict[str, str] = {}
    result = subprocess.run(
        [tool, "calendar", "--", *wanted], capture_output=True, text=True, check=False
    )
    normalized = [
        line.split(":", 1)[1].strip()
        for line in result.stdout.splitlines()
        if line.strip().startswith("Normalized form:")
    ]
    if result.returncode == 0 and len(normalized) == len(wanted):
        forms = dict(zip(wanted, normalized, strict=True))
    else:  # one value systemd refuses: each alone, so the others still compare normalized
        for value in wanted:
            one = subprocess.run(
                [tool, "calendar", "--", value], capture_output=True, text=True, check=False
            )
            got = [
                line.split(":", 1)[1].strip()
                for line in one.stdout.splitlines()
                if line.strip().startswith("Normalized form:")
            ]
            forms[value] = got[0] if one.returncode == 0 and got else f"invalid: {value}"
    return {v: forms[p] for v, p in plain.items()}


def without_zone(calendar: str) -> str:
    words = calendar.split()
    if len(words) > 1 and ("/" in words[-1] or words[-1] in ("UTC", "GMT")):
        words = words[:-1]
    return " ".join(words)
