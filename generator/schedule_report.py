"""``wfgen schedule explain`` and ``wfgen schedule lint``: settings in, values out (no printing)."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TypeVar

from .catalog import Catalog, load_catalog
from .environments import Environment, load_environments
from .errors import Problem, UsageError, WfgenError
from .l10n.phrases import Sentence, sentence
from .schedules import Schedule, next_runs, to_cron_lines, to_kubernetes, to_systemd

__all__ = [
    "ExplainSettings",
    "Explanation",
    "LintSettings",
    "explain",
    "lint_environments",
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
            "next": [r.isoformat() for r in self.runs]
            if isinstance(self.runs, list)
            else self.runs,
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


def _find(catalog: Catalog, environment: Environment | None, wanted: str) -> tuple[str, str]:
    """(catalogue id, id on the instance); an expanded template id is found through the profile."""
    if catalog.get(wanted) is not None:
        return wanted, wanted
    if environment is not None:
        for workflow in catalog.workflows:
            if wanted in environment.expand(workflow):
                return workflow.id, wanted
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
    workflow_id, instance_id = _find(catalog, environment, settings.workflow_id)
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
    if schedule is not None:
        timed = schedule
        after = settings.after or datetime.now(UTC)
        cron = _form(lambda: to_cron_lines(timed, nightly=nightly))
        systemd = _form(lambda: to_systemd(timed, nightly=nightly, timezone=timezone))
        kubernetes = _form(lambda: to_kubernetes(timed, nightly=nightly, timezone=timezone))
        runs = _form(
            lambda: next_runs(
                timed, after=after, count=settings.count, timezone=timezone, nightly=nightly
            )
        )
    return Explanation(
        id=instance_id,
        label=workflow.label,
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
    )


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
    from .schedules import lint

    catalog, _ = load_catalog([settings.catalog])
    problems: list[Problem] = []
    folder = settings.catalog / "environments"
    for environment in load_environments(folder, list(settings.environments) or None):
        problems.extend(
            lint(environment=environment, catalog=catalog, same_minute=settings.same_minute)
        )
    return sorted(problems, key=lambda p: (p.location, p.message))
