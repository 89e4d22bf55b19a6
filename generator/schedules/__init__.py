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

from .forms import to_cron, to_cron_lines, to_kubernetes, to_systemd
from .rules import cron_problem
from .runs import SCHEDULERS, next_runs, scheduler_runs
from .times import KINDS, WEEKDAYS, Schedule, Window, wall_times, zone

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
