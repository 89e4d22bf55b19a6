"""Where a schedule is written, and what each target's cron parser makes of raw cron:
``wfgen validate``'s cross-file check of the catalogue against the profiles."""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Location, Problem, Severity, UsageError
from ..schedules import to_systemd
from ..schedules.cron import DIALECTS, TARGET_DIALECT, CronSyntaxError, dialect_issues, parse_cron

if TYPE_CHECKING:
    from ..load.document import Documents
    from ..load.profiles import Environment, ScheduledWorkflow

__all__ = ["dialect_problems", "forget_positions", "schedule_location", "validate_dialects"]

# --- where a schedule is written ----------------------------------------------------------


_STR = "tag:yaml.org,2002:str"


def _last(node: Any, name: str) -> Any:
    """The value node of key ``name`` in a mapping node (the last one, as loading keeps)."""
    import yaml

    found = None
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag == _STR and key.value == name:
                found = value
    return found


@functools.lru_cache(maxsize=64)
def _positions(path: str, stamp: tuple[int, int]) -> tuple[bool, Any, dict[str, int]] | None:
    """(whether it is a profile, locator, index of each workflow id) of a YAML file.

    ``stamp`` (mtime, size) keys the cache to the file's content; the index makes finding
    an entry constant-time however many workflows the file holds. Both come from the
    locator's node tree: the file is parsed once, and only into nodes.
    """
    import yaml

    from ..load.yamlio import MarkLocator

    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    locator = MarkLocator(text)
    root = locator.root()
    if root is None:
        return None
    index: dict[str, int] = {}
    entries = _last(root, "workflows")
    for number, entry in enumerate(entries.value if isinstance(entries, yaml.SequenceNode) else []):
        found = _last(entry, "id")
        if isinstance(found, yaml.ScalarNode) and found.tag == _STR:
            index.setdefault(found.value, number)
    return _last(root, "environment") is not None, locator, index


def forget_positions() -> None:
    """Drop the node trees kept for locating schedules: a build that has linted its
    catalogue renders without them (they grow with the catalogue, about 5 KB a workflow)."""
    _positions.cache_clear()


def _position(path: str) -> tuple[bool, Any, dict[str, int]] | None:
    try:
        info = Path(path).stat()
    except OSError:
        return None
    return _positions(path, (info.st_mtime_ns, info.st_size))


def schedule_location(environment: Environment, item: ScheduledWorkflow) -> Location:
    """Where the schedule ``item`` runs on is written: the override, else the catalogue entry.

    Points at the ``expression`` value for raw cron, at the ``schedule:`` key otherwise; falls back to the
    override's key or the catalogue entry when the file cannot be read again.
    """
    tail: tuple[str, ...] = ("expression",) if item.schedule.kind == "cron" else ()
    override = item.override
    if override is not None and override.schedule is not None:
        found = _position(override.location.file)
        if found is None:
            return override.location
        at = ("environment", "overrides", override.id, "schedule", *tail)
        line, col = found[1].position(at, key=not tail)
        return Location.of(override.location.file, line, col)
    workflow = item.workflow
    found = _position(workflow.location.file)
    if found is None:
        return workflow.location
    index = found[2].get(workflow.id)
    if index is None:
        return workflow.location
    parts: tuple[str | int, ...] = ("workflows", index, "schedule")
    for product in environment.products:
        variant = workflow.variant(product)
        if variant is not None and variant.has_schedule and product in workflow.products:
            parts = ("workflows", index, "per_product", product, "schedule")
            break
    line, col = found[1].position((*parts, *tail), key=not tail)
    return Location.of(workflow.location.file, line, col)


# --- dialects ------------------------------------------------------------------------------


def dialect_problems(
    environment: Environment, item: ScheduledWorkflow, where: Location
) -> list[Problem]:
    """What each target the environment renders makes of ``item``'s raw cron (or calendar).

    Refused constructs are errors naming the target; exact rewrites (Sunday 7 -> 0) are
    notes. systemd is checked by converting: what OnCalendar cannot say is an error too.
    """
    schedule = item.schedule
    out: list[Problem] = []
    if schedule.kind != "cron" or schedule.expression is None:
        return out
    try:
        parse_cron(schedule.expression)
    except CronSyntaxError:
        return out  # reported as cron-syntax
    dialects = list(dict.fromkeys(TARGET_DIALECT[t] for t in environment.targets))
    targets = {d: [t for t in environment.targets if TARGET_DIALECT[t] == d] for d in dialects}
    for dialect in dialects:
        named = ", ".join(targets[dialect])
        if dialect == "systemd":
            try:
                to_systemd(schedule, nightly=environment.nightly, timezone=environment.timezone)
            except UsageError as err:
                out.append(
                    Problem(
                        where,
                        f"{item.id}: {str(err).split('; hint:')[0]} (target systemd of "
                        f"environment {environment.name})",
                        Severity.ERROR,
                        code="cron-dialect",
                        hint=err.hint,
                        subject=item.id,
                        extra={"target": "systemd", "environment": environment.name},
                    )
                )
            continue
        for issue in dialect_issues(schedule.expression, dialect):
            out.append(
                Problem(
                    where,
                    f"{item.id}: {issue.message} (target {named} of environment "
                    f"{environment.name})",
                    Severity.INFO if issue.rewritten else Severity.ERROR,
                    code="cron-dialect-rewritten" if issue.rewritten else "cron-dialect",
                    hint=""
                    if issue.rewritten
                    else f"write a schedule {DIALECTS[dialect]} reads, e.g. a structured "
                    "schedule (kind: monthly, weekly, ...) or plain numbers and ranges",
                    subject=item.id,
                    extra={
                        "target": named,
                        "environment": environment.name,
                        "construct": issue.construct,
                    },
                )
            )
    return out


_RAW_CRON = re.compile(r"""kind["']?\s*:\s*["']?cron\b""")


# long: every file's raw cron against each profile's dialects, located
def validate_dialects(paths: list[Path], *, documents: Documents | None = None) -> list[Problem]:
    """Raw cron of every scheduled workflow against the targets of the profiles in ``paths``.

    With profiles among ``paths``, what a target they render refuses is an error at the
    schedule's line:col. Without any, each raw cron expression is checked against every
    target, as warnings (a profile that renders that target would refuse it). A catalogue
    that does not load (errors reported elsewhere) gives nothing here. ``documents`` holds
    the files validation has parsed already.
    """
    import yaml

    from ..errors import WfgenError
    from ..load.catalog import discover, load_catalog
    from ..load.profiles import Environment, ScheduledWorkflow, load_environment

    try:
        files = discover(paths)
        # Only raw cron has a dialect: without any, skip loading the catalogue a second time.
        if not any(_RAW_CRON.search(_text(path, documents)) for path in files):
            return []
        # The entries that load: the others' problems are reported by validation itself.
        catalog, _ = load_catalog(paths, documents=documents, partial=True)
    except (WfgenError, OSError):
        return []
    profiles = [path for path in files if _is_profile(path, documents)]
    problems: list[Problem] = []
    environments = []
    for path in profiles:
        try:
            environments.append(load_environment(path, documents=documents))
        except (WfgenError, yaml.YAMLError):
            continue  # a profile with errors: reported by validation at its own lines
    for environment in environments:
        for item in environment.scheduled(catalog):
            if item.schedule.kind == "cron":
                problems.extend(_located_dialect_problems(environment, item))
    if not profiles:
        anywhere = Environment(
            name="(any)",
            instance="",
            role="marketing",
            timezone="UTC",
            products=(),
            modules=(),
            nightly=None,
            overrides=(),
            command=(),
            user=None,
            targets=tuple(TARGET_DIALECT),
            kubernetes=None,
            placeholders=(),
            location=Location(""),
        )
        for workflow in catalog.workflows:
            schedules = [(None, workflow.schedule)] + [
                (v.product, v.schedule) for v in workflow.variants if v.has_schedule
            ]
            for product, schedule in schedules:
                if schedule is None or schedule.kind != "cron":
                    continue
                env = anywhere if product is None else _with_products(anywhere, product)
                item = ScheduledWorkflow(workflow, workflow.id, schedule)
                for problem in _located_dialect_problems(env, item):
                    problems.append(
                        Problem(
                            problem.location,
                            problem.message.replace(
                                " of environment (any))", "; no environment profile given)"
                            ),
                            Severity.INFO
                            if problem.severity is Severity.INFO
                            else Severity.WARNING,
                            code=problem.code,
                            hint=problem.hint,
                            subject=problem.subject,
                            extra={k: v for k, v in problem.extra.items() if k != "environment"},
                        )
                    )
    unique = {(p.location, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.location, p.message))


def _text(path: Path, documents: Documents | None) -> str:
    loaded = documents.get(path) if documents is not None else None
    return loaded.text if loaded is not None else path.read_text("utf-8", errors="replace")


def _is_profile(path: Path, documents: Documents | None) -> bool:
    """Whether ``path`` is an environment profile: in environments/, or saying ``environment``
    at its top (from the data validation parsed, else from the file's nodes)."""
    if path.parent.name == "environments":
        return True
    loaded = documents.get(path) if documents is not None else None
    if loaded is not None and loaded.data is not None:
        return isinstance(loaded.data, dict) and "environment" in loaded.data
    found = _position(str(path))
    return found is not None and found[0]


def _located_dialect_problems(environment: Environment, item: ScheduledWorkflow) -> list[Problem]:
    """dialect_problems at the schedule's line:col, found only when there is a problem to
    locate (finding it parses the file for positions)."""
    problems = dialect_problems(environment, item, Location(""))
    if not problems:
        return problems
    where = schedule_location(environment, item)
    return [replace(p, location=where) for p in problems]


def _with_products(environment: Environment, product: str) -> Environment:
    return replace(environment, products=(product,))
