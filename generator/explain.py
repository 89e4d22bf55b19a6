"""``wfgen schedule explain`` and ``wfgen schedule lint``: settings in, values out (no printing)."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from .errors import Problem, UsageError, WfgenError
from .l10n.phrases import Sentence, sentence
from .load.catalog import Catalog, load_catalog
from .load.profiles import Environment, fill, load_environments
from .schedules import (
    SCHEDULERS,
    Schedule,
    next_runs,
    scheduler_runs,
    to_cron_lines,
    to_kubernetes,
    to_systemd,
    zone,
)

__all__ = [
    "Difference",
    "ExplainSettings",
    "Explanation",
    "LintSettings",
    "explain",
    "lint_environments",
    "not_scheduled",
    "phrase_gettext",
]


@dataclass(frozen=True)
class ExplainSettings:
    """Options of ``wfgen schedule explain``."""

    workflow_id: str
    catalog: Path = Path("catalog")
    locales: Path = Path("locales")
    environment: str | None = None
    locale: str = "en"
    count: int = 5
    after: datetime | None = None  # default: now


@dataclass(frozen=True)
class Difference:
    """A day on which the environment's schedulers fire the workflow at different instants."""

    day: date
    change: str  # "the clocks go forward (02:00 -> 03:00)"
    runs: dict[str, list[datetime]]  # that day's runs, per scheduler
    note: str

    def to_json(self) -> dict[str, object]:
        """Machine-readable form."""
        return {
            "date": self.day.isoformat(),
            "change": self.change,
            "runs": {name: [r.isoformat() for r in runs] for name, runs in self.runs.items()},
            "note": self.note,
        }


@dataclass(frozen=True)
class Explanation:
    """A schedule in every form; a form that cannot be given carries the reason instead."""

    id: str
    label: str
    environment: str | None
    timezone: str
    nightly: str | None
    schedule: Schedule | None
    notes: tuple[str, ...]
    sentence: Sentence
    locale: str
    cron: list[str] | str
    systemd: list[str] | str
    kubernetes: dict[str, str] | str
    runs: list[datetime] | str = field(default_factory=list)
    scheduled: bool = True
    reason: str = ""
    schedulers: tuple[str, ...] = ()
    by_scheduler: dict[str, list[datetime]] = field(default_factory=dict)
    differences: tuple[Difference, ...] = ()

    def to_json(self) -> dict[str, object]:
        """Machine-readable form (``--format json``)."""
        return {
            "id": self.id,
            "label": self.label,
            "environment": self.environment,
            "timezone": self.timezone,
            "nightly": self.nightly,
            "schedule": self.schedule.to_mapping() if self.schedule else None,
            "notes": list(self.notes),
            "locale": self.locale,
            "sentence": self.sentence.text,
            "fallback": self.sentence.fallback,
            "cron": self.cron,
            "systemd": self.systemd,
            "kubernetes": self.kubernetes,
            "scheduled": self.scheduled,
            "reason": self.reason or None,
            "next": [r.isoformat() for r in self.runs]
            if isinstance(self.runs, list)
            else self.runs,
            "next_by_scheduler": {
                name: [r.isoformat() for r in runs] for name, runs in self.by_scheduler.items()
            },
            "differences": [d.to_json() for d in self.differences],
        }


def phrase_gettext(locales: Path, locale: str) -> Callable[[str], str | None] | None:
    """Phrase translations of ``locale``: its PO file when there is one, else the bundled seed.

    The PO file is read through Babel; fuzzy and untranslated entries do not count.
    """
    if locale.replace("-", "_").partition("_")[0] == "en":
        return None
    po = locales / locale / "LC_MESSAGES" / "workflows.po"
    if po.is_file():
        from .l10n.po import load_translations

        return load_translations(locales, locale).get
    seed = json.loads(
        resources.files("generator.l10n").joinpath("phrase_seed.json").read_text("utf-8")
    )
    phrases = seed.get(locale) or seed.get(locale.replace("-", "_").partition("_")[0]) or {}

    def lookup(context: str) -> str | None:
        name = context.partition("|")[2]
        value = phrases.get(name)
        return str(value) if value else None

    return lookup


T = TypeVar("T")


def _form(func: Callable[[], T]) -> T | str:
    """The value, or why it cannot be given (a nightly schedule without a profile, ...)."""
    try:
        return func()
    except WfgenError as err:
        return str(err)


def _find(
    catalog: Catalog, environment: Environment | None, wanted: str
) -> tuple[str, str, dict[str, str]]:
    """(catalogue id, id on the instance, placeholder values); an expanded template id is
    found through the profile."""
    if catalog.get(wanted) is not None:
        return wanted, wanted, {}
    if environment is not None:
        for workflow in catalog.workflows:
            for expanded, values in environment.expansions(workflow):
                if expanded == wanted:
                    return workflow.id, wanted, values
    close = difflib.get_close_matches(wanted, [w.id for w in catalog.workflows], n=3)
    raise UsageError(
        f"no workflow {wanted!r} in the catalogue",
        hint=f"did you mean {', '.join(close)}?"
        if close
        else "ids are case-sensitive; see catalog/workflows/",
    )


def explain(settings: ExplainSettings) -> Explanation:
    """Explain one workflow's schedule: forms, sentence in the locale, next runs.

    Raises:
        UsageError: for an unknown workflow, environment or locale.
        CatalogError: when the catalogue or the profile has errors.
    """
    catalog, _ = load_catalog([settings.catalog])
    environment = None
    if settings.environment:
        environment = load_environments(settings.catalog / "environments", [settings.environment])[
            0
        ]
    workflow_id, instance_id, values = _find(catalog, environment, settings.workflow_id)
    workflow = catalog.get(workflow_id)
    assert workflow is not None
    notes: list[str] = []
    if environment is None:
        timezone, nightly = "UTC", None
        schedule = workflow.schedule
        if any(v.has_schedule for v in workflow.variants):
            notes.append("products differ in schedule; pick an environment with --env to see one")
    else:
        timezone, nightly = environment.timezone, environment.nightly
        schedule = environment.schedule_of(workflow, instance_id)
        override = environment.override(instance_id) or environment.override(workflow_id)
        if override is not None:
            what = "disabled" if override.disabled else "schedule overridden"
            notes.append(
                f"{what} by {override.location}"
                + (f": {override.reason}" if override.reason else "")
            )
        if not environment.installs(workflow):
            notes.append(
                f"not scheduled on {environment.name}: module {workflow.module} or products "
                f"{', '.join(workflow.products)} not installed there"
            )
        if workflow.obsolete:
            notes.append(
                f"obsolete; replaced by {workflow.replaced_by}"
                if workflow.replaced_by
                else "obsolete"
            )
    if workflow.schedule_note:
        notes.append(workflow.schedule_note)
    said = sentence(
        schedule,
        locale=settings.locale,
        gettext=phrase_gettext(settings.locales, settings.locale),
        nightly=nightly,
    )
    missing = "no documented schedule"
    cron: list[str] | str = missing
    systemd: list[str] | str = missing
    kubernetes: dict[str, str] | str = missing
    runs: list[datetime] | str = missing
    reason = not_scheduled(catalog, environment, workflow, instance_id, schedule)
    schedulers = _schedulers(environment)
    by_scheduler: dict[str, list[datetime]] = {}
    differences: tuple[Difference, ...] = ()
    if schedule is not None:
        timed = schedule
        after = settings.after or datetime.now(UTC)
        cron = _form(lambda: to_cron_lines(timed, nightly=nightly))
        systemd = _form(lambda: to_systemd(timed, nightly=nightly, timezone=timezone))
        kubernetes = _form(lambda: to_kubernetes(timed, nightly=nightly, timezone=timezone))
        runs = (
            []
            if reason
            else _form(
                lambda: next_runs(
                    timed, after=after, count=settings.count, timezone=timezone, nightly=nightly
                )
            )
        )
        if isinstance(runs, list) and not reason:
            by_scheduler = {
                name: scheduler_runs(
                    timed,
                    scheduler=name,
                    after=after,
                    count=settings.count,
                    timezone=timezone,
                    nightly=nightly,
                )
                for name in schedulers
            }
            differences = _differences(timed, by_scheduler, after, timezone, nightly)
    if reason:
        runs = []
    return Explanation(
        id=instance_id,
        label=fill(workflow.label, values),
        environment=environment.name if environment else None,
        timezone=timezone,
        nightly=nightly,
        schedule=schedule,
        notes=tuple(notes),
        sentence=said,
        locale=settings.locale,
        cron=cron,
        systemd=systemd,
        kubernetes=kubernetes,
        runs=runs,
        scheduled=not reason,
        reason=reason,
        schedulers=schedulers if not reason else (),
        by_scheduler=by_scheduler,
        differences=differences,
    )


def not_scheduled(
    catalog: Catalog,
    environment: Environment | None,
    workflow: Any,
    instance_id: str,
    schedule: Schedule | None,
) -> str:
    """Why the workflow gets no timer (in the environment), or "" when it gets one."""
    if workflow.obsolete:
        replaced = f"; replaced by {workflow.replaced_by}" if workflow.replaced_by else ""
        return f"obsolete, no longer installed{replaced}"
    if environment is not None:
        where = f"environment {environment.name}"
        if not environment.installs(workflow):
            if workflow.module not in environment.modules:
                return f"module {workflow.module} is not installed on {where}"
            return f"none of its products ({', '.join(workflow.products)}) is installed on {where}"
        override = environment.override(instance_id) or environment.override(workflow.id)
        if environment.disabled(workflow, instance_id) and override is not None:
            return f"disabled by the profile ({override.location})" + (
                f": {override.reason}" if override.reason else ""
            )
        if workflow.is_template and instance_id == workflow.id:
            ids = environment.expand(workflow)
            if not ids:
                return f"a template, and {where} gives no values for its placeholders"
            return f"a template: scheduled as {', '.join(ids)}"
    if schedule is None:
        return "no documented schedule"
    if not schedule.is_timed:
        return f"started by its trigger ({schedule.trigger or 'event'}), not by a timer"
    return ""


def _schedulers(environment: Environment | None) -> tuple[str, ...]:
    """The schedulers an environment renders for (all three without one)."""
    if environment is None:
        return SCHEDULERS
    wanted = {
        "crontab": "cron",
        "cron.d": "cron",
        "systemd": "systemd",
        "kubernetes": "kubernetes",
    }
    names = {wanted[t] for t in environment.targets}
    return tuple(name for name in SCHEDULERS if name in names)


def _hm(instant: datetime) -> str:
    return f"{instant.strftime('%H:%M')} (UTC{instant.strftime('%z')})"


def _differences(
    schedule: Schedule,
    by_scheduler: dict[str, list[datetime]],
    after: datetime,
    timezone: str,
    nightly: str | None,
) -> tuple[Difference, ...]:
    """Clock-change days, among those the listed runs cover, on which the schedulers differ."""
    from .schedule_lint import clock_changes

    if len(by_scheduler) < 2 or not any(by_scheduler.values()):
        return ()
    tz = zone(timezone)
    # The search compares local midnights in UTC: on the first and last days of the calendar
    # a zone's midnight can fall outside years 1-9999 (OverflowError), and no clock changed.
    start = max(after.astimezone(tz).date(), date.min + timedelta(days=1))
    last = min(
        max(r.date() for runs in by_scheduler.values() for r in runs),
        date.max - timedelta(days=2),
    )
    if last < start:
        return ()
    out = []
    for change in clock_changes(tz, start=start, days=(last - start).days + 1):
        begin = max(after, datetime.combine(change.day, time(), tz) - timedelta(seconds=1))
        day_runs = {
            name: [
                r
                for r in scheduler_runs(
                    schedule,
                    scheduler=name,
                    after=begin,
                    count=24 * 60 * 2,
                    timezone=timezone,
                    nightly=nightly,
                    horizon_days=2,
                )
                if r.date() == change.day
            ]
            for name in by_scheduler
        }
        sets = {name: {r.astimezone(UTC) for r in runs} for name, runs in day_runs.items()}
        common = set.intersection(*sets.values())
        if all(found == common for found in sets.values()):
            continue
        what = (
            f"the clocks go {'forward' if change.forward else 'back'} "
            f"({change.before} -> {change.after})"
        )
        said: list[str] = []
        quiet = []
        for name, found in sets.items():
            extra = sorted(found - common)
            if extra:
                times = ", ".join(_hm(r.astimezone(tz)) for r in extra)
                said.append(
                    f"{name} runs it {'again ' if change.forward is False else ''}at {times}"
                )
            else:
                quiet.append(name)
        if quiet:
            many = len(quiet) > 1
            verb = ("skip" if many else "skips") if change.forward else ("run" if many else "runs")
            said.append(f"{' and '.join(quiet)} {verb} it{'' if change.forward else ' once'}")
        note = f"on {change.day.isoformat()} {what}: {'; '.join(said)}"
        out.append(Difference(change.day, what, day_runs, note))
    return tuple(out)


@dataclass(frozen=True)
class LintSettings:
    """Options of ``wfgen schedule lint``."""

    catalog: Path = Path("catalog")
    environments: tuple[str, ...] = ()
    same_minute: int = 3


def lint_environments(settings: LintSettings) -> list[Problem]:
    """Lint every chosen profile (all when none is named) against the catalogue.

    Raises:
        UsageError: for an unknown environment.
        CatalogError: when the catalogue or a profile has errors.
    """
    from .schedule_lint import lint_environment

    catalog, _ = load_catalog([settings.catalog])
    problems: list[Problem] = []
    folder = settings.catalog / "environments"
    for environment in load_environments(folder, list(settings.environments) or None):
        problems.extend(
            lint_environment(
                environment=environment, catalog=catalog, same_minute=settings.same_minute
            )
        )
    return sorted(problems, key=lambda p: (p.location, p.message))
