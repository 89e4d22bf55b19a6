"""Render scheduler configs: environment profiles + catalogue -> list[RenderedFile] (pure).

Templates run in a Jinja2 sandbox with ``StrictUndefined`` (a typo fails the build instead of
writing an empty field) and autoescaping for HTML. Every value a template receives for a
crontab or a unit is made safe here first, so a user's own template cannot be tricked into
adding a line by text from the catalogue, a locale or a profile.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jinja2
import yaml

from ..errors import Location, UsageError

# RenderedFile and the bundled templates' folder live with the writer, which needs them
# without loading Jinja2 (an unchanged rebuild stops before rendering).
from ..output import BUNDLED_TEMPLATES, RenderedFile
from .escape import (
    LINE_BREAKS,
    cron_command,
    k8s_name,
    label_value,
    one_line,
    reject_breaks,
    systemd_command,
    systemd_value,
)
from .jinja import (
    final_newline,
    make_jinja,
    render_template,
    template_input,
)

if TYPE_CHECKING:
    from ..load.profiles import Environment, ScheduledWorkflow

__all__ = [
    "BUNDLED_TEMPLATES",
    "Job",
    "RenderedFile",
    "cron_command",
    "environment_files",
    "k8s_name",
    "make_jinja",
    "one_line",
    "render_environment",
    "systemd_command",
    "systemd_value",
]

# --- scheduler targets ---------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One scheduled workflow of one environment, with every form already made safe."""

    id: str
    label: str
    comment: str
    cron: tuple[str, ...]
    cron_command: str
    unit: str
    description: str
    on_calendar: tuple[str, ...]
    exec_start: str
    argv: tuple[str, ...]
    kubernetes: Mapping[str, Any]
    name: str
    inputs: tuple[str, ...]


def _argv(
    template: Sequence[str], *, workflow_id: str, instance: str, location: Location | None
) -> tuple[str, ...]:
    # str.replace, not str.format: a brace in a profile must not reach Python's formatter.
    argv = tuple(
        arg.replace("{id}", workflow_id).replace("{instance}", instance) for arg in template
    )
    for arg in argv:
        reject_breaks(arg, what="command argument", location=location)
    if not argv or not argv[0]:
        raise UsageError("the environment's command is empty", location=location)
    return argv


def make_jobs(
    *,
    environment: Environment,
    scheduled: Iterable[ScheduledWorkflow],
    to_cron: Callable[..., str],
    to_systemd: Callable[..., list[str]],
    to_kubernetes: Callable[..., dict[str, Any]],
    inputs: Callable[[Any], tuple[str, ...]],
) -> list[Job]:
    """Turn an environment's scheduled workflows into jobs for every target.

    Args:
        environment: the profile (name, instance, timezone, nightly, command, ...).
        scheduled: its ``ScheduledWorkflow`` values (workflow, id, schedule).
        to_cron: schedule -> cron expression(s), one per line.
        to_systemd: schedule -> OnCalendar values with the zone.
        to_kubernetes: schedule -> ``{"schedule", "timeZone"}``.
        inputs: the catalogue and profile files a scheduled workflow came from.
    """
    location = environment.location
    targets = set(environment.targets)
    jobs = []
    for item in scheduled:
        wid = reject_breaks(item.id, what="workflow id", location=location)
        label = one_line(item.label)  # placeholders filled
        argv = _argv(
            tuple(environment.command),
            workflow_id=wid,
            instance=environment.instance,
            location=location,
        )
        nightly = environment.nightly
        cron = tuple(
            line.strip()
            for line in LINE_BREAKS.split(to_cron(item.schedule, nightly=nightly))
            if line.strip()
        )
        calendar = tuple(
            systemd_value(v)
            for v in to_systemd(item.schedule, nightly=nightly, timezone=environment.timezone)
        )
        jobs.append(
            Job(
                id=wid,
                label=label,
                comment=f"{label} ({wid})",
                cron=cron,
                cron_command=cron_command(argv),
                unit=f"wfgen-{wid}",
                description=systemd_value(f"{label} ({wid})"),
                on_calendar=calendar,
                exec_start=systemd_command(argv) if "systemd" in targets else "",
                argv=argv,
                # A window that starts or ends inside an hour needs several cron lines, and a
                # CronJob has one schedule: such a workflow gets one CronJob per line.
                kubernetes=(
                    to_kubernetes(item.schedule, nightly=nightly, timezone=environment.timezone)
                    if len(cron) == 1
                    else {"schedules": cron, "timeZone": environment.timezone}
                ),
                name=k8s_name(wid),
                inputs=inputs(item),
            )
        )
    return jobs


def _cronjob_parts(jobs: Sequence[Job]) -> list[tuple[Job, str | None, str]]:
    out: list[tuple[Job, str | None, str]] = []
    for job in jobs:
        if "schedule" in job.kubernetes:
            out.append((job, None, str(job.kubernetes["schedule"])))
            continue
        lines = list(job.kubernetes["schedules"])
        out.extend((job, f"{i}-of-{len(lines)}", line) for i, line in enumerate(lines, start=1))
    return out


def kubernetes_document(environment: Environment, jobs: Sequence[Job]) -> str:
    """Every job as one ``batch/v1`` CronJob, written by the YAML emitter (multi-document)."""
    settings = environment.kubernetes
    namespace = settings.namespace if settings else "default"
    image = settings.image if settings else None
    deadline = 300
    if settings and settings.starting_deadline_seconds is not None:
        deadline = settings.starting_deadline_seconds
    docs = []
    for job, part, schedule in _cronjob_parts(jobs):
        labels = {
            "app.kubernetes.io/name": "wfgen",
            "app.kubernetes.io/managed-by": "wfgen",
            "wfgen.dev/environment": label_value(environment.name),
            "wfgen.dev/workflow": label_value(job.id),
        }
        docs.append(
            {
                "apiVersion": "batch/v1",
                "kind": "CronJob",
                "metadata": {
                    "name": job.name if part is None else k8s_name(f"{job.id}-{part}"),
                    "namespace": namespace,
                    "labels": labels,
                    "annotations": {
                        "wfgen.dev/workflow-id": job.id,
                        "wfgen.dev/label": job.label,
                        **({"wfgen.dev/part": part} if part else {}),
                    },
                },
                "spec": {
                    "schedule": schedule,
                    "timeZone": job.kubernetes["timeZone"],
                    "concurrencyPolicy": "Forbid",
                    "startingDeadlineSeconds": int(deadline),
                    "jobTemplate": {
                        "metadata": {"labels": labels},
                        "spec": {
                            "template": {
                                "metadata": {"labels": labels},
                                "spec": {
                                    "restartPolicy": "Never",
                                    "containers": [
                                        {
                                            "name": "workflow",
                                            "image": image,
                                            "command": list(job.argv),
                                        }
                                    ],
                                },
                            }
                        },
                    },
                },
            }
        )
    header = f"# Generated by wfgen for environment {one_line(environment.name)}; do not edit.\n"
    if not docs:
        return header
    return header + _dump_documents(docs)


_DUMP_OPTIONS: dict[str, Any] = {
    "sort_keys": False,
    "allow_unicode": True,
    "default_flow_style": False,
    "width": 4096,
}
_SLOT = "wfgenslot{}x"
_SLOTS = re.compile(r"wfgenslot(\d+)x")
# A value emitted on one line and this short can never reach the width, so its text is the
# same wherever in a document it stands.
_SHORT = 1024
_YAML_BREAK = re.compile("[\n\r\x85\u2028\u2029]")  # what YAML reads as a line break


def _dump_documents(docs: Sequence[Mapping[str, Any]]) -> str:
    """``yaml.dump_all(docs, explicit_start=True)`` with the emitter's own bytes, made faster.

    The CronJobs share a few shapes (the same keys, nesting and list lengths). Each shape is
    emitted once by PyYAML with placeholders for its values, and the distinct values once, in
    one list, as the emitter writes a block list item (as it writes a block mapping value). A
    value that does not come out short and on one line (where the emitter could wrap or
    indent it) sends the whole file through the emitter instead.
    """
    assembled = _assembled(docs)
    if assembled is None:
        return str(yaml.dump_all(docs, Dumper=_PlainDumper, explicit_start=True, **_DUMP_OPTIONS))
    return assembled


def _assembled(docs: Sequence[Mapping[str, Any]]) -> str | None:
    """The documents from their shapes' and values' texts; None when that cannot be exact."""
    shaped: list[tuple[Any, list[Any]]] = []
    distinct: dict[tuple[type, Any], Any] = {}
    try:
        for doc in docs:
            if type(doc) is not dict:
                return None
            leaves: list[Any] = []
            shaped.append((_shape(doc, leaves), leaves))
            for leaf in leaves:
                distinct.setdefault((type(leaf), leaf), leaf)
    except TypeError:  # a value that cannot be a key (a set, say): the emitter's own way
        return None
    texts = _emitted(list(distinct.values()))
    if texts is None:
        return None
    values = dict(zip(distinct, texts, strict=True))
    templates: dict[Any, list[str | int]] = {}
    parts: list[str] = []
    for (shape, leaves), doc in zip(shaped, docs, strict=True):
        template = templates.get(shape)
        if template is None:
            template = templates[shape] = _template(doc)
            if [p for p in template if isinstance(p, int)] != list(range(len(leaves))):
                return None  # a key that reads like a placeholder
        for piece in template:
            if isinstance(piece, str):
                parts.append(piece)
            else:
                leaf = leaves[piece]
                parts.append(values[type(leaf), leaf])
    return "".join(parts)


def _shape(node: Any, leaves: list[Any]) -> Any:
    """The keys, nesting and list lengths of ``node``; its scalars appended to ``leaves``.

    A scalar stands as its key (in a mapping) or as None (in a list); a mapping or a list as
    a tuple, so no two shapes read alike.
    """
    out: list[Any] = []
    if type(node) is dict:
        for key, value in node.items():
            kind = type(value)
            if kind is dict or kind is list:
                out.append((key, _shape(value, leaves)))
            else:
                leaves.append(value)
                out.append(key)
        return ("map", *out)
    for value in node:
        kind = type(value)
        if kind is dict or kind is list:
            out.append(_shape(value, leaves))
        else:
            leaves.append(value)
            out.append(None)
    return ("list", *out)


def _template(doc: Mapping[str, Any]) -> list[str | int]:
    """The document as the emitter writes it, cut at its values: text, value index, text..."""
    count = 0

    def slots(node: Any) -> Any:
        nonlocal count
        if type(node) is dict:
            return {key: slots(value) for key, value in node.items()}
        if type(node) is list:
            return [slots(value) for value in node]
        count += 1
        return _SLOT.format(count - 1)

    text = yaml.dump(slots(doc), Dumper=_PlainDumper, explicit_start=True, **_DUMP_OPTIONS)
    pieces: list[str | int] = []
    for index, piece in enumerate(_SLOTS.split(text)):
        pieces.append(int(piece) if index % 2 else piece)
    return pieces


def _emitted(values: list[Any]) -> list[str] | None:
    """How the emitter writes each value as a block list item; None when the text of one
    could depend on where it stands (more than one line, or long enough to be wrapped)."""
    if not values:
        return []
    text = str(yaml.dump(values, Dumper=_PlainDumper, **_DUMP_OPTIONS))
    lines = text.split("\n")
    if lines.pop() != "" or len(lines) != len(values):
        return None
    out = []
    for line in lines:
        if not line.startswith("- ") or _YAML_BREAK.search(line) or len(line) > _SHORT:
            return None
        out.append(line[2:])
    return out


# libyaml's emitter writes the same bytes as PyYAML's pure-Python one, about 10x faster;
# with 10,000 workflows the CronJobs file is most of a build's time without it.
_SafeDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _PlainDumper(_SafeDumper):  # type: ignore[misc]
    """Never writes anchors and aliases: each CronJob must read on its own."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_USER = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\$?")
_ZONE = re.compile(r"[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+)*")
_UNIT = re.compile(r"[A-Za-z0-9:_.@-]+")


def _check_fields(environment: Environment, jobs: Sequence[Job]) -> None:
    """Fields that stand as one word in a crontab or unit (or as a folder) must be one word."""
    location = environment.location
    checks = [
        ("environment name", environment.name, _NAME),
        ("time zone", environment.timezone, _ZONE),
        *((("user", environment.user, _USER),) if environment.user else ()),
        *(("workflow id", job.id, _UNIT) for job in jobs),
    ]
    for what, value, pattern in checks:
        if not pattern.fullmatch(str(value)):
            raise UsageError(
                f"{what} {value!r} cannot be used in a crontab, a unit name or a folder name",
                location=location,
                hint="use letters, digits, '_', '-' and '.' only",
            )


TARGET_FILES = {
    "crontab": ("crontab.j2", "crontab"),
    "cron.d": ("cron.d.j2", "cron.d/wfgen"),
}


def render_environment(
    *,
    environment: Environment,
    jobs: Sequence[Job],
    jinja: jinja2.Environment,
    profile_inputs: tuple[str, ...],
) -> list[RenderedFile]:
    """Render one environment's scheduler files for every target it enables.

    Args:
        environment: the profile; ``targets`` names crontab, cron.d, systemd, kubernetes.
        jobs: its jobs (see ``make_jobs``).
        jinja: the template environment.
        profile_inputs: the profile file(s), recorded as inputs of every file.

    Returns:
        Files under ``<environment name>/``, sorted by path.
    """
    files = environment_files(
        environment=environment, jobs=jobs, jinja=jinja, profile_inputs=profile_inputs
    )
    return sorted(files, key=lambda f: f.path)


def environment_files(
    *,
    environment: Environment,
    jobs: Sequence[Job],
    jinja: jinja2.Environment,
    profile_inputs: tuple[str, ...],
) -> Iterator[RenderedFile]:
    """:func:`render_environment`'s files one at a time, as rendered (a build writes each
    before the next is made: two systemd units a workflow need not all be in memory)."""
    _check_fields(environment, jobs)
    base = environment.name
    targets = set(environment.targets)
    all_inputs = tuple(sorted({*profile_inputs, *(i for job in jobs for i in job.inputs)}))
    context = {
        "environment": {
            "name": one_line(environment.name),
            "instance": one_line(environment.instance),
            "timezone": one_line(environment.timezone),
            "user": one_line(environment.user or ""),
        },
        "jobs": jobs,
    }
    for target, (template, path) in TARGET_FILES.items():
        if target in targets:
            text = render_template(jinja, template, context)
            yield RenderedFile(
                f"{base}/{path}",
                final_newline(text),
                (*all_inputs, template_input(jinja, template)),
            )
    if "systemd" in targets:
        for job in jobs:
            for kind in ("service", "timer"):
                template = f"systemd.{kind}.j2"
                text = render_template(jinja, template, {**context, "job": job})
                yield RenderedFile(
                    f"{base}/systemd/{job.unit}.{kind}",
                    final_newline(text),
                    (*sorted({*profile_inputs, *job.inputs}), template_input(jinja, template)),
                )
    if "kubernetes" in targets:
        yield RenderedFile(
            f"{base}/kubernetes/cronjobs.yaml",
            kubernetes_document(environment, jobs).encode("utf-8"),
            all_inputs,
        )
