"""Render scheduler configs: environment profiles + catalogue -> list[RenderedFile] (pure).

Templates run in a Jinja2 sandbox with ``StrictUndefined`` (a typo fails the build instead of
writing an empty field) and autoescaping for HTML. Every value a template receives for a
crontab or a unit is made safe here first, so a user's own template cannot be tricked into
adding a line by text from the catalogue, a locale or a profile.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shlex
import signal
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import jinja2
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..errors import InputError, Location, UsageError

# RenderedFile and the bundled templates' folder live with the writer, which needs them
# without loading Jinja2 (an unchanged rebuild stops before rendering).
from ..output import BUNDLED_TEMPLATES, RenderedFile
from ..safebytes import systemd_program_problem

if TYPE_CHECKING:
    from ..load.profiles import Environment, ScheduledWorkflow

__all__ = [
    "BUNDLED_TEMPLATES",
    "Job",
    "RenderedFile",
    "cron_command",
    "k8s_name",
    "make_jinja",
    "one_line",
    "render_environment",
    "systemd_command",
    "systemd_value",
]


# Every character some tool treats as a line break: cron and systemd split on \n, but editors,
# YAML and Python's splitlines() also honour the others, so none may reach an output line.
_BREAKS = re.compile(r"[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def one_line(text: str) -> str:
    """Collapse every line break (and other control characters) to one space.

    Args:
        text: free text from the catalogue, a locale or a profile.

    Returns:
        The text on a single line, trimmed.
    """
    return _CONTROL.sub("", _BREAKS.sub(" ", text)).strip()


def _reject_breaks(value: str, *, what: str, location: Location | None) -> str:
    if _BREAKS.search(value) or _CONTROL.search(value):
        raise UsageError(
            f"{what} {value!r} contains a line break or control character",
            location=location,
            hint="commands and ids must stay on one line; remove the character",
        )
    return value


def _cron_word(arg: str, *, program: bool = False) -> str:
    # Each piece between two ``%`` is shell-quoted on its own and every ``%`` stands bare
    # between them, so no ``%`` ever follows a backslash (see cron_command).
    pieces = [shlex.quote(piece) if piece else "" for piece in arg.split("%")]
    if program and not pieces[0].startswith(("'", "/")):
        # A bare first word may be read as an assignment (A=b) or a reserved word (if).
        pieces[0] = "'" + pieces[0] + "'"
    return "%".join(pieces) or "''"


def cron_command(argv: Sequence[str]) -> str:
    """A crontab command: each argument shell-quoted, every ``%`` escaped as ``\\%``.

    cron (Vixie's do_command.c, kept by Debian and cronie) reads the command once before the
    shell: ``\\%`` becomes ``%``, any other backslash is kept together with the character
    after it, and a bare ``%`` ends the command (the rest goes to stdin). So a backslash just
    before an escaped ``%`` would pair with the escape and free the ``%``. The shell text is
    built so that no ``%`` follows a backslash: an argument is quoted piece by piece around
    its ``%`` signs (``a\\%b`` is written ``'a\\'\\%b``).

    Args:
        argv: the command and its arguments, already free of line breaks.
    """
    words = [_cron_word(arg, program=index == 0) for index, arg in enumerate(argv)]
    return " ".join(words).replace("%", "\\%")


_SYSTEMD_PLAIN = re.compile(r"[A-Za-z0-9_@+=:,./-]+")


def systemd_value(text: str) -> str:
    """A unit-file value on one line, ``%`` doubled (specifiers) and no trailing backslash.

    A trailing backslash would continue the value on the next line of the unit.
    """
    return one_line(text).replace("%", "%%").rstrip("\\").rstrip()


def systemd_command(argv: Sequence[str]) -> str:
    """An ``ExecStart=`` value: arguments quoted by systemd's own rules, not the shell's.

    systemd splits on whitespace, honours double quotes with C escapes, and expands ``%``
    specifiers and ``$VARIABLES``; plain words stay bare so the unit reads naturally. The
    program must be an absolute path: systemd reads a leading ``+ - @ : ! |`` of the first
    word as a prefix even when quoted or escaped (``+`` drops ``User=``), and ``/`` is none.

    Raises:
        UsageError: when systemd could not run ``argv[0]`` as written (see
            :func:`~generator.safebytes.systemd_program_problem`).
    """
    unfit = systemd_program_problem(argv[0]) if argv else "is missing"
    if unfit:
        raise UsageError(
            f"the command {argv[0] if argv else ''!r} {unfit}",
            hint="write the program's full path, such as /usr/local/bin/nlserver",
        )
    # The program's name: systemd expands % specifiers in it but never $VARIABLES.
    program = argv[0].replace("%", "%%")
    words = [program if _SYSTEMD_PLAIN.fullmatch(argv[0]) else f'"{program}"']
    for arg in argv[1:]:
        if _SYSTEMD_PLAIN.fullmatch(arg):
            words.append(arg.replace("%", "%%"))
            continue
        escaped = (
            arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
        )
        words.append(f'"{escaped}"')
    return " ".join(words)


def k8s_name(workflow_id: str, *, prefix: str = "wfgen", limit: int = 52) -> str:
    """A DNS-1123 label for a CronJob, unique even for ids that differ only in case.

    The hash of the exact id makes ``cleanupA`` and ``cleanupa`` two names; 52 characters is
    the CronJob limit (the controller appends 11 characters for each Job).
    """
    digest = hashlib.sha256(workflow_id.encode("utf-8")).hexdigest()[:8]
    slug = re.sub(r"[^a-z0-9]+", "-", workflow_id.lower()).strip("-")
    room = limit - len(prefix) - len(digest) - 2
    slug = slug[:room].strip("-")
    return "-".join(part for part in (prefix, slug, digest) if part)


_LABEL_VALUE = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?")


def _label_value(text: str) -> str:
    """``text`` if Kubernetes accepts it as a label value, else a safe hash of it."""
    if _LABEL_VALUE.fullmatch(text):
        return text
    return "sha256-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --- the Jinja environment ---------------------------------------------------------------


# Limits of one template rendering: a user's template can loop, recurse or multiply text,
# and must neither hang a build nor fill a disk.
TEMPLATE_SECONDS = 60.0
TEMPLATE_BYTES = 64 * 1024 * 1024
_MAX_EXPONENT = 1000
_WIDE_FORMAT = re.compile(r"%[-#0 +]*\d{7,}|\{[^{}]*:[^{}]*\d{7,}[^{}]*\}")


class TemplateLimit(jinja2.exceptions.SecurityError):
    """A template went past a time or size limit."""


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox (no template can change a list or mapping it is given, so no
    template changes what another output is made from), with size limits on ``*``, ``**``
    and format widths, whose results would be built in one step, before any limit could act.
    """

    intercepted_binops = frozenset(["*", "**", "%"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Refuse a ``*`` or ``**`` whose result would be huge, then compute it."""
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                sized = isinstance(seq, (str, list, tuple)) and isinstance(count, int)
                if sized and len(seq) * count > TEMPLATE_BYTES:
                    raise TemplateLimit(f"a repetition of {len(seq) * count:,} items")
        if operator == "**" and isinstance(right, int) and abs(right) > _MAX_EXPONENT:
            raise TemplateLimit(f"an exponent of {right:,}")
        if operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
            raise TemplateLimit("a format width of a million characters or more")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` and ``format_map`` with the same width limit as ``%``."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None or not _WIDE_FORMAT.search(str(value.__self__)):
            return wrapped

        def refuse(*_args: Any, **_kwargs: Any) -> str:
            raise TemplateLimit("a format width of a million characters or more")

        return refuse


def make_jinja(templates: Path | None = None) -> Sandbox:
    """A sandboxed Jinja environment over ``templates`` (falling back to the bundled ones).

    Args:
        templates: a folder of the user's own templates; missing names come from the bundled set.

    Raises:
        InputError: when ``templates`` is given but is not a folder.
    """
    folders = []
    if templates is not None:
        if not templates.is_dir():
            raise InputError(f"{templates}: templates folder not found")
        folders.append(str(templates))
    if BUNDLED_TEMPLATES.is_dir() and (
        templates is None or templates.resolve() != BUNDLED_TEMPLATES
    ):
        folders.append(str(BUNDLED_TEMPLATES))
    env = Sandbox(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        one_line=one_line,
        cron_command=cron_command,
        systemd_value=systemd_value,
        systemd_command=systemd_command,
        shell_quote=shlex.quote,
    )
    return env


def template_input(env: jinja2.Environment, name: str) -> str:
    """How a template appears among a file's inputs: ``<folder name>/<template>``."""
    assert env.loader is not None
    _source, filename, _uptodate = env.loader.get_source(env, name)
    path = Path(filename or name)
    return f"{path.parent.name}/{path.name}"


def render_template(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    """Render one template within :data:`TEMPLATE_SECONDS` and :data:`TEMPLATE_BYTES`.

    Raises:
        InputError: when the template is missing, malformed, fails while rendering, or goes
            past a limit; the message names the template file and line at fault.
    """
    try:
        template = env.get_template(name)
        with _time_limit(TEMPLATE_SECONDS):
            size = 0
            parts: list[str] = []
            for part in template.generate(**context):
                size += len(part)
                if size > TEMPLATE_BYTES:
                    raise TemplateLimit(f"output over {TEMPLATE_BYTES:,} characters")
                parts.append(part)
            return "".join(parts)
    except jinja2.TemplateSyntaxError as err:
        raise InputError(
            f"template syntax: {err.message}",
            location=Location.of(err.filename or name, err.lineno or 0),
        ) from err
    except jinja2.TemplateNotFound as err:
        where = _template_frame(env, err)
        raise InputError(
            f"template {err.name!r} not found",
            location=where,
            hint="templates are looked up by name in the templates folders only",
        ) from err
    except InputError:
        raise
    except Exception as err:  # a user's template can raise anything
        where = _template_frame(env, err) or Location.of(name)
        kind = "" if isinstance(err, jinja2.TemplateError) else f"{type(err).__name__}: "
        raise InputError(f"template error: {kind}{err}", location=where) from err


def _template_frame(env: jinja2.Environment, err: BaseException) -> Location | None:
    """The template file and line where ``err`` was raised (Jinja maps frames to templates)."""
    folders = [str(Path(f).resolve()) for f in getattr(env.loader, "searchpath", ())]
    found = None
    for frame in traceback.extract_tb(err.__traceback__):
        filename = str(Path(frame.filename).resolve()) if frame.filename else ""
        if any(filename.startswith(folder + "/") for folder in folders):
            found = Location.of(frame.filename, frame.lineno or 0)
    return found


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TemplateLimit` in the rendering when it runs past ``seconds`` (a timer
    signal; only the main thread can receive one, so elsewhere there is no time limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expired(_signum: int, _frame: FrameType | None) -> None:
        raise TemplateLimit(f"rendering took more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _final_newline(text: str) -> bytes:
    # cron ignores a last line without a newline; every text output ends with exactly one.
    return (text.rstrip("\n") + "\n").encode("utf-8")


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
        _reject_breaks(arg, what="command argument", location=location)
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
        wid = _reject_breaks(item.id, what="workflow id", location=location)
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
            for line in _BREAKS.split(to_cron(item.schedule, nightly=nightly))
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
            "wfgen.dev/environment": _label_value(environment.name),
            "wfgen.dev/workflow": _label_value(job.id),
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
    body = yaml.dump_all(
        docs,
        Dumper=_PlainDumper,
        sort_keys=False,
        allow_unicode=True,
        explicit_start=True,
        default_flow_style=False,
        width=4096,
    )
    return header + body


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
    out: list[RenderedFile] = []
    for target, (template, path) in TARGET_FILES.items():
        if target in targets:
            text = render_template(jinja, template, context)
            out.append(
                RenderedFile(
                    f"{base}/{path}",
                    _final_newline(text),
                    (*all_inputs, template_input(jinja, template)),
                )
            )
    if "systemd" in targets:
        for job in jobs:
            for kind in ("service", "timer"):
                template = f"systemd.{kind}.j2"
                text = render_template(jinja, template, {**context, "job": job})
                out.append(
                    RenderedFile(
                        f"{base}/systemd/{job.unit}.{kind}",
                        _final_newline(text),
                        (*sorted({*profile_inputs, *job.inputs}), template_input(jinja, template)),
                    )
                )
    if "kubernetes" in targets:
        out.append(
            RenderedFile(
                f"{base}/kubernetes/cronjobs.yaml",
                kubernetes_document(environment, jobs).encode("utf-8"),
                all_inputs,
            )
        )
    return sorted(out, key=lambda f: f.path)
