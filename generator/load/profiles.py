"""Environment profiles: catalog/environments/<name>.yaml -> frozen :class:`Environment`.

A profile names one Adobe Campaign instance: its role, time zone, installed products and
modules, what "nightly" means there, per-workflow overrides, the command that starts a
workflow and the scheduler configs to render. Profiles have their own JSON Schema and
rules (:func:`check_profile`); they are read through :mod:`generator.load.document` like
every YAML kind, so ``wfgen validate`` and ``wfgen build`` refuse the same profiles with the
same file:line:col messages.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CatalogError, InputError, Location, Problem, Severity, UsageError
from ..safebytes import systemd_program_problem
from ..schedules import Schedule, zone
from ..schedules.rules import schedule_findings
from .document import Documents, read_document
from .problems import located_problem
from .yamlio import LoadedYaml, Locator, MarkLocator, Positions

if TYPE_CHECKING:
    from ..model import Catalog, Workflow

__all__ = [
    "ROLES",
    "TARGETS",
    "Environment",
    "KubernetesSettings",
    "Override",
    "ScheduledWorkflow",
    "check_profile",
    "fill",
    "load_environment",
    "load_environments",
]

ROLES = ("marketing", "mid-sourcing", "execution")
TARGETS = ("crontab", "cron.d", "systemd", "kubernetes")
COMMAND_FIELDS = ("id", "instance")
_PLACEHOLDER = re.compile(r"<([a-z][a-z0-9_]*)>")


@dataclass(frozen=True)
class KubernetesSettings:
    """Where and how the instance's CronJobs run."""

    namespace: str
    image: str
    starting_deadline_seconds: int | None = None


@dataclass(frozen=True)
class Override:
    """What the instance does differently for one workflow id (template or expanded)."""

    id: str
    schedule: Schedule | None = None
    disabled: bool = False
    reason: str = ""
    location: Location = field(default_factory=lambda: Location(""))


@dataclass(frozen=True)
class ScheduledWorkflow:
    """A workflow as it runs on one instance: its (expanded) id and effective schedule."""

    workflow: Workflow
    id: str
    schedule: Schedule
    override: Override | None = None
    values: tuple[tuple[str, str], ...] = ()  # the placeholder values this id was made with

    @property
    def label(self) -> str:
        """The catalogue label with the id's placeholder values filled in."""
        return fill(self.workflow.label, dict(self.values))


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``<name>`` that ``values`` knows replaced by its value."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


@dataclass(frozen=True)
class Environment:
    """One environment profile; ``name`` is the file stem."""

    name: str
    instance: str
    role: str
    timezone: str
    products: tuple[str, ...]
    modules: tuple[str, ...]
    nightly: str | None
    overrides: tuple[Override, ...]
    command: tuple[str, ...]
    user: str | None
    targets: tuple[str, ...]
    kubernetes: KubernetesSettings | None
    placeholders: tuple[tuple[str, tuple[str, ...]], ...]
    location: Location
    description: str = ""
    _override_index: dict[str, Override] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )

    def __post_init__(self) -> None:
        self._override_index.update({o.id: o for o in self.overrides})

    def override(self, workflow_id: str) -> Override | None:
        """The override for an id (an expanded id wins over its template's)."""
        return self._override_index.get(workflow_id)

    def values(self, placeholder: str) -> tuple[str, ...]:
        """The values the profile gives a template placeholder (none when it gives none)."""
        return dict(self.placeholders).get(placeholder, ())

    def argv(self, workflow_id: str) -> list[str]:
        """The command that starts ``workflow_id`` on this instance, placeholders filled."""
        return [part.format(id=workflow_id, instance=self.instance) for part in self.command]

    def installs(self, workflow: Workflow) -> bool:
        """True when the workflow's module and one of its products are installed here."""
        return workflow.module in self.modules and any(
            product in self.products for product in workflow.products
        )

    def expand(self, workflow: Workflow) -> list[str]:
        """Ids a workflow runs under here: itself, or one per placeholder value of a template."""
        return [expanded for expanded, _ in self.expansions(workflow)]

    def expansions(self, workflow: Workflow) -> list[tuple[str, dict[str, str]]]:
        """(id, placeholder values) a workflow runs under here; a plain workflow has no values."""
        names = list(dict.fromkeys(_PLACEHOLDER.findall(workflow.id)))
        if not names:
            return [(workflow.id, {})]
        out = []
        for combo in itertools.product(*(self.values(name) for name in names)):
            values = dict(zip(names, combo, strict=True))
            out.append((fill(workflow.id, values), values))
        return out

    def schedule_of(self, workflow: Workflow, workflow_id: str | None = None) -> Schedule | None:
        """Its schedule here: an override's, else the documented one for the products."""
        for key in (workflow_id, workflow.id):
            found = self.override(key) if key else None
            if found is not None and found.schedule is not None:
                return found.schedule
        return workflow.schedule_for(self.products)

    def disabled(self, workflow: Workflow, workflow_id: str) -> bool:
        """True when an override disables the workflow (by expanded or template id)."""
        return any(
            (found := self.override(key)) is not None and found.disabled
            for key in (workflow_id, workflow.id)
        )

    def scheduled(self, catalog: Catalog) -> list[ScheduledWorkflow]:
        """Workflows that run on a timer here, sorted by id.

        Only active workflows of installed modules and products; templates expanded with
        the profile's placeholder values; overrides applied; event-driven, unscheduled
        (no documented schedule) and disabled workflows left out.
        """
        out = []
        for workflow in catalog.workflows:
            if workflow.obsolete or not self.installs(workflow):
                continue
            for workflow_id, values in self.expansions(workflow):
                schedule = self.schedule_of(workflow, workflow_id)
                if (
                    schedule is None
                    or not schedule.is_timed
                    or self.disabled(workflow, workflow_id)
                ):
                    continue
                override = self.override(workflow_id) or self.override(workflow.id)
                out.append(
                    ScheduledWorkflow(
                        workflow, workflow_id, schedule, override, tuple(sorted(values.items()))
                    )
                )
        return sorted(out, key=lambda s: s.id)


# --- loading ----------------------------------------------------------------------------


def _at(
    loaded: LoadedYaml, locator: Positions, parts: tuple[str | int, ...], key: bool = False
) -> Location:
    line, col = locator.position(parts, key=key)
    return Location.of(loaded.path, line, col)


_LINE_BREAK = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
# The profile's name (its file's stem) names folders, units and CronJob labels.
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def check_profile(loaded: LoadedYaml, locator: Locator) -> list[Problem]:  # noqa: PLR0912 - the profile's rules, each a short block with its located problem
    """What the schema cannot say: real time zones, command placeholders, schedule windows,
    and every field that must stay on one line in a crontab or a unit."""
    env = loaded.data["environment"]
    problems: list[Problem] = []

    def problem(
        parts: tuple[str | int, ...],
        message: str,
        *,
        code: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
        subject: str = "",
    ) -> None:
        problems.append(
            located_problem(
                loaded,
                locator,
                ("environment", *parts),
                message,
                severity=severity,
                code=code,
                hint=hint,
                subject=subject,
            )
        )

    name = loaded.path.stem
    if not _NAME.fullmatch(name):
        problem(
            (),
            f"environment name {name!r} (the file's name) cannot be used in a crontab, a unit"
            " name or a folder name",
            code="environment-name",
            hint="rename the file: letters, digits, '_', '-' and '.' only",
        )
    try:
        zone(env["timezone"])
    except UsageError:
        problem(
            ("timezone",),
            f"unknown time zone {env['timezone']!r}",
            code="environment-timezone",
            hint="use an IANA name such as Europe/Stockholm or UTC (zoneinfo.available_timezones())",
        )
    seen_id = False
    for index, part in enumerate(env["command"]):
        if _LINE_BREAK.search(part):
            # Located here, at the argument, not later at the profile when rendering.
            problem(
                ("command", index),
                f"command argument {part!r} holds a line break (U+2028, NEL, ...)",
                code="environment-command",
                hint="a crontab line or ExecStart= would end there; remove it",
            )
        try:
            fields = [name for _, name, _, _ in string.Formatter().parse(part) if name is not None]
        except ValueError as err:
            problem(
                ("command", index),
                f"bad placeholder in {part!r}: {err}",
                code="environment-command",
                hint="write a literal brace as {{ or }}",
            )
            continue
        for name in fields:
            if name not in COMMAND_FIELDS:
                problem(
                    ("command", index),
                    f"unknown placeholder {{{name}}} in {part!r}",
                    code="environment-command",
                    hint="only {id} and {instance} are filled in",
                )
        seen_id = seen_id or "id" in fields
    first = env["command"][0] if env["command"] else ""
    unfit = systemd_program_problem(first) if "systemd" in env["targets"] and first else None
    if unfit:
        problem(
            ("command", 0),
            f"the command {first!r} {unfit}",
            code="environment-command",
            hint="write the program's full path, such as /usr/local/bin/nlserver",
        )
    if not seen_id:
        problem(
            ("command",),
            "the command never names the workflow: no {id} placeholder",
            code="environment-command",
            hint='add an argument such as "-arg:{id}"',
        )
    for workflow_id, override in (env.get("overrides") or {}).items():
        if override.get("schedule"):
            for sub, message, severity, code in schedule_findings(override["schedule"]):
                problem(
                    ("overrides", workflow_id, "schedule", *sub),
                    message,
                    code=code,
                    severity=severity,
                    subject=workflow_id,
                )
        if override.get("disabled") is False and "schedule" not in override:
            problem(
                ("overrides", workflow_id),
                "override changes nothing (disabled: false)",
                code="environment-override-noop",
                severity=Severity.WARNING,
                subject=workflow_id,
            )
    return problems


def _build(loaded: LoadedYaml, locator: Positions) -> Environment:
    env = loaded.data["environment"]
    kube = env.get("kubernetes")
    overrides = tuple(
        Override(
            id=workflow_id,
            schedule=Schedule.from_mapping(o["schedule"]) if o.get("schedule") else None,
            disabled=bool(o.get("disabled", False)),
            reason=o.get("reason", ""),
            location=_at(loaded, locator, ("environment", "overrides", workflow_id), key=True),
        )
        for workflow_id, o in (env.get("overrides") or {}).items()
    )
    return Environment(
        name=loaded.path.stem,
        instance=env["instance"],
        role=env["role"],
        timezone=env["timezone"],
        products=tuple(env["products"]),
        modules=tuple(env["modules"]),
        nightly=env.get("nightly"),
        overrides=overrides,
        command=tuple(env["command"]),
        user=env.get("user"),
        targets=tuple(env["targets"]),
        kubernetes=KubernetesSettings(
            namespace=kube["namespace"],
            image=kube["image"],
            starting_deadline_seconds=kube.get("startingDeadlineSeconds"),
        )
        if kube
        else None,
        placeholders=tuple(
            (name, tuple(values))
            for name, values in sorted((env.get("placeholders") or {}).items())
        ),
        location=_at(loaded, locator, ("environment",), key=True),
        description=env.get("description", ""),
    )


def _load(path: Path, documents: Documents | None) -> tuple[Environment | None, list[Problem]]:
    document = read_document(
        path, schema_name="environment", check=check_profile, documents=documents
    )
    if not document.ok:
        return None, list(document.problems)
    # Override positions are kept for later messages: read them from libyaml's marks.
    loaded = document.loaded
    return _build(loaded, MarkLocator(loaded.text)), list(document.problems)


def load_environment(path: Path, *, documents: Documents | None = None) -> Environment:
    """Load and check one profile.

    Raises:
        CatalogError: with every problem found, when any is an error.
        InputError: when the file cannot be read.
    """
    environment, problems = _load(path, documents)
    if environment is None:
        raise CatalogError(problems)
    return environment


def load_environments(
    directory: Path, names: Sequence[str] | None = None, *, documents: Documents | None = None
) -> list[Environment]:
    """Load the profiles in ``directory`` (all, or those ``names``), sorted by name.

    Raises:
        UsageError: when a name has no profile (the message lists those there are).
        CatalogError: with every problem of every profile loaded, when any is an error.
        InputError: when the folder or a file cannot be read.
    """
    if not directory.is_dir():
        raise InputError(
            f"{directory}: no such directory",
            hint="environment profiles live in catalog/environments/",
        )
    paths = {p.stem: p for p in sorted(directory.glob("*.y*ml")) if p.suffix in (".yaml", ".yml")}
    wanted = list(names) if names else sorted(paths)
    unknown = [name for name in wanted if name not in paths]
    if unknown:
        known = ", ".join(sorted(paths)) or "none"
        raise UsageError(
            f"unknown environment {', '.join(repr(n) for n in unknown)}"
            f" (profiles in {directory}: {known})",
            hint=f"add {directory}/{unknown[0]}.yaml or pick one of those",
        )
    environments: list[Environment] = []
    problems: list[Problem] = []
    for name in wanted:
        environment, found = _load(paths[name], documents)
        problems.extend(found)
        if environment is not None:
            environments.append(environment)
    if any(p.severity is Severity.ERROR for p in problems):
        raise CatalogError(problems)
    return environments
