"""Lint an environment's schedules: target dialects, clock changes, cron surprises, short
months, pile-ups.

Every finding names the workflow (``Problem.subject``) and points at the schedule it is
about: the profile override that set it, else the catalogue entry's ``schedule:`` (its
``expression`` for raw cron, the product's variant when one applies).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from ..errors import Location, Problem, Severity
from ..schedules import Schedule, to_cron_lines, wall_times, zone
from ..schedules.cron import CronSyntaxError, parse_cron
from .clocks import ClockChange, clock_changes
from .dialects import dialect_problems, forget_positions, schedule_location, validate_dialects

if TYPE_CHECKING:
    from ..load.profiles import Environment, ScheduledWorkflow
    from ..model import Catalog
__all__ = [
    "ClockChange",
    "clock_changes",
    "dialect_problems",
    "forget_positions",
    "lint_environment",
    "schedule_location",
    "validate_dialects",
]


def _fixed_hours(schedule: Schedule) -> bool:
    """Schedules tied to particular hours; interval ones that run all day just carry on."""
    if schedule.kind in ("daily", "weekly", "monthly", "nightly"):
        return True
    if schedule.kind == "every":
        return schedule.between is not None or (schedule.hours or 1) > 1
    if schedule.kind == "cron":
        try:
            return len(parse_cron(schedule.expression or "").hours) < 24
        except CronSyntaxError:
            return False
    return False


def _targets(environment: Environment) -> list[str]:
    names = []
    if {"crontab", "cron.d"} & set(environment.targets):
        names.append("cron")
    if "systemd" in environment.targets:
        names.append("systemd")
    if "kubernetes" in environment.targets:
        names.append("kubernetes")
    return names


def _what_each_does(
    environment: Environment, schedule: Schedule, change: ClockChange, local: str
) -> str:
    # Debian/Vixie cron and cronie treat jobs whose minute and hour fields do not start
    # with "*" as fixed-time: run once after a forward jump, not again after a backward one.
    lines = to_cron_lines(schedule, nightly=environment.nightly)
    fixed = all(
        not line.split()[0].startswith("*") and not line.split()[1].startswith("*")
        for line in lines
    )
    said = []
    for target in _targets(environment):
        if target == "cron":
            if change.forward:
                said.append(
                    f"cron runs it right after the change, at {change.after}"
                    if fixed
                    else "cron skips it"
                )
            else:
                said.append("cron runs it once" if fixed else "cron runs it twice")
        elif target == "systemd":
            said.append(
                "systemd skips it"
                if change.forward
                else f"systemd runs it once, at the first {local}"
            )
        elif change.forward:
            said.append("a Kubernetes CronJob skips it")
        else:
            said.append(f"a Kubernetes CronJob runs it twice, once at each {local}")
    return "; ".join(said)


def _dst(
    environment: Environment, item: ScheduledWorkflow, changes: Iterable[ClockChange]
) -> list[tuple[str, str, str]]:
    """(code, message, hint) for each local fire time a clock change skips or repeats."""
    tz = zone(environment.timezone)
    found: dict[tuple[str, str], tuple[str, str, str]] = {}
    for change in changes:
        for hour, minute in wall_times(item.schedule, change.day, nightly=environment.nightly):
            local = datetime.combine(change.day, time(hour, minute), tz)
            text = f"{hour:02d}:{minute:02d}"
            exists = local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == local.replace(
                tzinfo=None
            )
            twice = local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()
            if not exists:
                key = ("schedule-dst-gap", text)
                what = (
                    f"{text} does not exist in {environment.timezone} on the day the clocks go "
                    f"forward ({change.before} -> {change.after}, {change.describe()})"
                )
            elif twice:
                key = ("schedule-dst-fold", text)
                what = (
                    f"{text} happens twice in {environment.timezone} on the day the clocks go "
                    f"back ({change.before} -> {change.after}, {change.describe()})"
                )
            else:
                continue
            if key in found:
                continue
            does = _what_each_does(environment, item.schedule, change, text)
            found[key] = (
                key[0],
                f"{what}: {does}",
                "move it out of the hour the clocks change, or accept that schedulers differ that day",
            )
    return list(found.values())


def _needs_nightly(schedule: Schedule) -> bool:
    return schedule.kind == "nightly" or (
        schedule.kind in ("daily", "monthly") and schedule.at is None
    )


@dataclass(frozen=True)
class _Crowd:
    """Workflows that start together at ``times``: a recurring core, joined by others at some."""

    core: frozenset[str]
    times: tuple[str, ...]
    extras: tuple[tuple[str, tuple[str, ...]], ...]  # (time, ids that join the core then)

    @property
    def ids(self) -> list[str]:
        return sorted(self.core.union(*(set(ids) for _, ids in self.extras)))


def _crowds(  # noqa: PLR0912 - one branch per way a crowded minute's workflows are grouped
    environment: Environment, items: list[ScheduledWorkflow], *, start: date, threshold: int
) -> list[_Crowd]:
    """Minutes in which at least ``threshold`` workflows start, grouped by their recurring core.

    The core of a crowded minute is its workflows that start several times a day (hourly,
    every N minutes); once-a-day workflows that fall into it are listed as joining it.
    """
    intraday: set[str] = set()
    every_day: dict[tuple[int, int], set[str]] = {}
    some_days = []
    first_days: dict[Schedule, list[tuple[int, int]]] = {}  # workflows share schedules
    for item in items:
        first_day = first_days.get(item.schedule)
        if first_day is None:
            first_day = first_days[item.schedule] = wall_times(
                item.schedule, start, nightly=environment.nightly
            )
        if item.schedule.kind in ("weekly", "monthly", "cron"):
            some_days.append(item)
        else:
            for hm in first_day:
                every_day.setdefault(hm, set()).add(item.id)
        if len(first_day) > 1:
            intraday.add(item.id)
    crowded: dict[tuple[int, int], set[str]] = {
        hm: set(ids) for hm, ids in every_day.items() if len(ids) >= threshold
    }
    # Workflows sharing a schedule share its times: evaluate each distinct schedule once a day.
    by_schedule: dict[Schedule, set[str]] = {}
    for item in some_days:
        by_schedule.setdefault(item.schedule, set()).add(item.id)
    # Schedules that crowd a minute on some day; their id sets are disjoint from each other
    # and from the every-day ones, so counting is adding lengths.
    joins: dict[tuple[int, int], set[Schedule]] = {}
    for index in range(366):
        day = start + timedelta(days=index)
        today: dict[tuple[int, int], list[Schedule]] = {}
        for schedule in by_schedule:
            for hm in wall_times(schedule, day, nightly=environment.nightly):
                today.setdefault(hm, []).append(schedule)
        for hm, firing in today.items():
            count = sum(len(by_schedule[s]) for s in firing) + len(every_day.get(hm, ()))
            if count >= threshold:
                joins.setdefault(hm, set()).update(firing)
    for hm, joined in joins.items():
        crowded.setdefault(hm, set(every_day.get(hm, ()))).update(*(by_schedule[s] for s in joined))
    by_core: dict[frozenset[str], list[tuple[tuple[int, int], set[str]]]] = {}
    for hm, ids in sorted(crowded.items()):
        core = frozenset(ids & intraday) or frozenset(ids)
        by_core.setdefault(core, []).append((hm, ids))
    crowds = []
    for core, found in by_core.items():
        times = tuple(f"{h:02d}:{m:02d}" for (h, m), _ in found)
        extras = tuple(
            (f"{h:02d}:{m:02d}", tuple(sorted(ids - core))) for (h, m), ids in found if ids - core
        )
        crowds.append(_Crowd(core, times, extras))
    return sorted(crowds, key=lambda c: c.ids)


def _when(times: tuple[str, ...]) -> str:
    minutes = {t[3:] for t in times}
    if len(times) == 24 and len(minutes) == 1:
        return f"every hour at :{minutes.pop()}"
    return ", ".join(times[:4]) + (f" and {len(times) - 4} more" if len(times) > 4 else "")


def lint_environment(  # noqa: PLR0912 - each lint rule over the environment's schedule is a short block
    *, environment: Environment, catalog: Catalog, same_minute: int = 3, start: date | None = None
) -> list[Problem]:
    """Every schedule finding for one environment, sorted by location and message."""
    start = start or date.today()
    problems: list[Problem] = []

    def add(
        item_id: str,
        where: Location,
        message: str,
        code: str,
        *,
        severity: Severity = Severity.WARNING,
        hint: str = "",
        **extra: object,
    ) -> None:
        problems.append(
            Problem(
                where, message, severity, code=code, hint=hint, subject=item_id, extra=dict(extra)
            )
        )

    items = environment.scheduled(catalog)
    timed: list[ScheduledWorkflow] = []
    changes = clock_changes(zone(environment.timezone), start=start)
    timed_by_id: dict[str, ScheduledWorkflow] = {}
    # Finding where a schedule is written reads its file's positions: only for findings.
    located: dict[str, Location] = {}

    def where_of(item: ScheduledWorkflow) -> Location:
        found = located.get(item.id)
        if found is None:
            found = located[item.id] = schedule_location(environment, item)
        return found

    for item in items:
        schedule = item.schedule
        if _needs_nightly(schedule) and environment.nightly is None:
            add(
                item.id,
                item.override.location if item.override else environment.location,
                f"{item.id} is scheduled 'nightly' without a time, and the profile does not say "
                "when nightly is",
                "schedule-nightly-missing",
                severity=Severity.ERROR,
                hint=f'set `nightly: "HH:MM"` in {environment.location.file}, '
                f"or override {item.id}'s schedule",
            )
            continue
        # dialect_problems has nothing to say about other kinds than raw cron; the schedule is
        # located (its file read again for positions) only when there is a finding to place.
        dialect = (
            dialect_problems(environment, item, Location("")) if schedule.kind == "cron" else []
        )
        if dialect:
            where = where_of(item)
            dialect = [replace(p, location=where) for p in dialect]
        problems.extend(dialect)
        if any(p.severity is Severity.ERROR for p in dialect):
            continue  # a target refuses it: no fire times to lint there
        timed.append(item)
        timed_by_id[item.id] = item
        if _fixed_hours(schedule):
            for code, message, hint in _dst(environment, item, changes):
                add(item.id, where_of(item), f"{item.id}: {message}", code, hint=hint)
        if schedule.kind == "monthly" and (schedule.day or 0) >= 29:
            add(
                item.id,
                where_of(item),
                f"{item.id} runs on day {schedule.day} of the month, which "
                f"{'February lacks' if schedule.day == 29 else 'some months lack'}: "
                "those months it does not run",
                "schedule-short-month",
                hint="use day 28 or earlier, or a raw cron 'L' (last day)",
            )
        if schedule.kind == "cron":
            try:
                fields = parse_cron(schedule.expression or "")
            except CronSyntaxError as err:
                add(
                    item.id,
                    where_of(item),
                    f"{item.id}: cron expression {schedule.expression!r}: {err}",
                    "cron-syntax",
                    severity=Severity.ERROR,
                )
                timed.pop()
                continue
            if fields.dom_restricted and fields.dow_restricted and not fields.days_and:
                add(
                    item.id,
                    where_of(item),
                    f"{item.id}: cron expression {schedule.expression!r} restricts both "
                    "day-of-month and day-of-week, so it fires when EITHER matches, not when both do",
                    "cron-dom-dow",
                    hint="restrict only one of the two, or write two schedules",
                )
    for crowd in _crowds(environment, timed, start=start, threshold=same_minute):
        core = sorted(crowd.core)
        message = (
            f"{len(core)} workflows start in the same minute on instance {environment.instance} "
            f"({_when(crowd.times)}): {', '.join(core)}"
        )
        joined = "; ".join(f"at {when} also {', '.join(ids)}" for when, ids in crowd.extras)
        add(
            core[0],
            where_of(timed_by_id[core[0]]) if core[0] in timed_by_id else environment.location,
            message + (f"; {joined}" if joined else ""),
            "schedule-same-minute",
            hint="spread them over the hour to even out the load",
            ids=crowd.ids,
        )
    known = {w.id for w in catalog.workflows}
    for workflow in catalog.workflows:
        known.update(environment.expand(workflow))
    for override in environment.overrides:
        if override.id not in known:
            add(
                override.id,
                override.location,
                f"override for unknown workflow {override.id!r}",
                "environment-unknown-workflow",
                hint="check the id against the catalogue (ids are case-sensitive)",
            )
    for workflow in catalog.workflows:
        if (
            workflow.is_template
            and not workflow.obsolete
            and environment.installs(workflow)
            and not environment.expand(workflow)
        ):
            add(
                workflow.id,
                environment.location,
                f"{workflow.id} is not scheduled: the profile gives no values for its placeholders",
                "environment-template-unscheduled",
                severity=Severity.INFO,
                hint="list them under `placeholders:` to schedule one per value",
            )
    return sorted(problems, key=lambda p: (p.location, p.message))
