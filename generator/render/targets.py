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

from ..errors import Location, UsageError

# RenderedFile and the bundled templates' folder live with the writer, which needs them
# without loading Jinja2 (an unchanged rebuild stops before rendering).
from ..output import BUNDLED_TEMPLATES, RenderedFile
from .cronjob_yaml import dump_documents
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


# long: one job per scheduled workflow and instance, with each target's names
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
    return header + dump_documents(docs)


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
