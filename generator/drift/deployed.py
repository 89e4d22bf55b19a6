"""What is deployed, read as operators export it: crontab lines, CronJob lists, systemd units
-> :class:`Deployed` jobs tied to workflow ids by the profile's command."""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Location

__all__ = ["Deployed", "read_crontab", "read_kubernetes", "read_systemd"]


@dataclass(frozen=True)
class Deployed:
    """One job as deployed; ``id`` is None for a job wfgen did not write."""

    source: str  # crontab | kubernetes | systemd
    location: Location
    id: str | None
    schedules: tuple[str, ...]
    command: tuple[str, ...]
    timezone: str | None = None
    suspended: bool = False
    what: str = ""  # the line or name, for messages


# --- reading what is deployed ---------------------------------------------------------------


def _id_in(argv: Iterable[str], template: tuple[str, ...]) -> str | None:
    """The workflow id carried by ``argv``, found where the profile's command puts ``{id}``."""
    argv = list(argv)
    if not argv or not template or argv[0] != template[0]:
        return None
    for part in template:
        if "{id}" not in part:
            continue
        prefix, _, suffix = part.partition("{id}")
        for arg in argv[1:]:
            if arg.startswith(prefix) and arg.endswith(suffix) and len(arg) > len(prefix + suffix):
                return arg[len(prefix) : len(arg) - len(suffix)]
    return None


def read_crontab(text: str, name: str, template: tuple[str, ...]) -> list[Deployed]:
    """Entries of a user crontab (``crontab -l``) or a ``cron.d`` file (with a user field).

    Each line is parsed by python-crontab; ``CRON_TZ=`` applies to the lines after it.
    A line python-crontab refuses is kept with no schedule (reported as invalid).
    """
    from crontab import CronTab

    out: list[Deployed] = []
    timezone: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head = line.split(None, 1)[0]
        if "=" in head and not head[0].isdigit() and head[0] not in "*@":
            key, _, value = line.partition("=")
            if key.strip() in ("CRON_TZ", "TZ"):
                timezone = value.strip().strip("'\"")
            continue
        fields = line.split()
        # cron.d: the sixth field is a user and the command starts at the seventh.
        user_field = len(fields) > 6 and not line.startswith("@") and fields[6] == template[0]
        if line.startswith("@") and len(fields) > 2 and fields[2] == template[0]:
            user_field = True
        where = Location(name, number, 1)
        try:
            jobs = list(CronTab(tab=line + "\n", user=False if user_field else None))
        except (ValueError, KeyError) as err:
            jobs = []
            error = str(err)
        else:
            error = ""
        if len(jobs) != 1 or not jobs[0].is_valid():
            out.append(
                Deployed("crontab", where, None, (), (), timezone, what=error or "unreadable line")
            )
            continue
        job = jobs[0]
        schedule = " ".join(job.slices[i].render() for i in range(5))
        if line.startswith("@"):
            schedule = line.split()[0]
        try:
            argv = tuple(shlex.split(job.command.replace("\\%", "%")))
        except ValueError:
            argv = (job.command,)
        out.append(
            Deployed(
                "crontab",
                where,
                _id_in(argv, template),
                (schedule,),
                argv,
                timezone,
                what=line,
            )
        )
    return out


def _lines_of(node: Any) -> int:
    return int(node.start_mark.line) + 1


def read_kubernetes(text: str, name: str, template: tuple[str, ...]) -> list[Deployed]:
    """CronJobs of ``kubectl get cronjobs -o yaml`` (a List) or of several YAML documents."""
    import yaml

    try:
        nodes = list(yaml.compose_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
        docs = list(yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    except yaml.YAMLError as err:
        raise InputError(f"{name}: not YAML: {err}".splitlines()[0]) from err
    items: list[tuple[Any, int]] = []
    for doc, node in zip(docs, nodes, strict=True):
        if not isinstance(doc, dict):
            continue
        if doc.get("kind") == "List" or (isinstance(doc.get("items"), list) and "kind" not in doc):
            item_nodes = next(
                (v for k, v in node.value if getattr(k, "value", None) == "items"), None
            )
            for index, item in enumerate(doc.get("items") or []):
                line = _lines_of(item_nodes.value[index]) if item_nodes is not None else 1
                items.append((item, line))
        else:
            items.append((doc, _lines_of(node)))
    out = []
    for item, line in items:
        where = Location(name, line, 1)
        if not isinstance(item, dict) or item.get("kind") != "CronJob":
            kind = item.get("kind", "?") if isinstance(item, dict) else type(item).__name__
            out.append(Deployed("kubernetes", where, None, (), (), what=f"a {kind}, not a CronJob"))
            continue
        meta = item.get("metadata") or {}
        spec = item.get("spec") or {}
        containers = (
            (((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get("spec")
            or {}
        ).get("containers") or [{}]
        argv = tuple(str(a) for a in (containers[0].get("command") or [])) + tuple(
            str(a) for a in (containers[0].get("args") or [])
        )
        found = _id_in(argv, template)
        annotated = (meta.get("annotations") or {}).get("wfgen.dev/workflow-id")
        out.append(
            Deployed(
                "kubernetes",
                where,
                found
                or (
                    annotated if found is None and annotated and argv[:1] == template[:1] else None
                ),
                (str(spec.get("schedule", "")),),
                argv,
                spec.get("timeZone"),
                bool(spec.get("suspend", False)),
                what=f"CronJob {meta.get('name', '?')}",
            )
        )
    return out


def _unit_values(text: str, key: str) -> list[tuple[str, int]]:
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith(f"{key}="):
            out.append((line.split("=", 1)[1].strip(), number))
    return out


def _systemd_argv(value: str) -> tuple[str, ...]:
    value = value.lstrip("-@:+!")
    try:
        words = shlex.split(value.replace("%%", "%").replace("$$", "$"))
    except ValueError:
        words = value.split()
    return tuple(words)


def read_systemd(folder: Path, template: tuple[str, ...]) -> list[Deployed]:
    """Timers of a unit folder, each with its service's ``ExecStart=``."""
    if not folder.is_dir():
        raise InputError(f"{folder}: no such directory", hint="give the folder of the .timer units")
    out = []
    for timer in sorted(folder.glob("*.timer")):
        text = timer.read_text("utf-8", errors="replace")
        calendars = _unit_values(text, "OnCalendar")
        unit = next((v for v, _ in _unit_values(text, "Unit")), timer.stem + ".service")
        service = folder / unit
        argv: tuple[str, ...] = ()
        if service.is_file():
            starts = _unit_values(service.read_text("utf-8", errors="replace"), "ExecStart")
            if starts:
                argv = _systemd_argv(starts[0][0])
        zones = {c.split()[-1] for c, _ in calendars if "/" in c.split()[-1] or c.endswith(" UTC")}
        line = calendars[0][1] if calendars else 1
        found = _id_in(argv, template)
        if found is None and not argv and timer.stem.startswith("wfgen-"):
            found = timer.stem.removeprefix("wfgen-")  # wfgen's timer whose service is gone
        out.append(
            Deployed(
                "systemd",
                Location(str(timer), line, 1),
                found,
                tuple(c for c, _ in calendars),
                argv,
                zones.pop() if len(zones) == 1 else None,
                what=timer.name,
            )
        )
    return out
