"""``wfgen drift``: what is deployed against what the catalogue renders for one environment.

Deployed state comes as operators export it: ``crontab -l`` output or a ``cron.d`` file
(read with python-crontab), ``kubectl get cronjobs -o yaml`` output (a ``List`` or several
YAML documents), a folder of systemd ``.timer``/``.service`` units. Each deployed job is tied
to a workflow id by the argument of the profile's command that carries ``{id}`` (and, for a
CronJob, by wfgen's ``wfgen.dev/workflow-id`` annotation); a job that runs something else
is "not written by wfgen" and reported apart, never dropped.

Findings are :class:`~generator.errors.Problem` values at the deployed file's line, so every
report format (text, JSON, SARIF, GitHub annotations) prints them.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, Problem, Severity, UsageError
from ..safebytes import decode_utf8
from .deployed import Deployed, read_crontab, read_kubernetes, read_systemd

__all__ = [
    "DRIFT_CODES",
    "Deployed",
    "DriftReport",
    "DriftSettings",
    "drift",
    "read_crontab",
    "read_kubernetes",
    "read_systemd",
]

DRIFT_CODES = (
    "drift-missing",
    "drift-unexpected",
    "drift-unknown-id",
    "drift-schedule",
    "drift-command",
    "drift-timezone",
    "drift-suspended",
    "drift-invalid",
)


@dataclass(frozen=True)
class DriftSettings:
    """Options of ``wfgen drift``; ``-`` reads a file from ``stdin``."""

    environment: str
    catalog: Path = Path("catalog")
    crontab: str | None = None
    kubernetes: str | None = None
    systemd: Path | None = None
    stdin: Callable[[], str] | None = None
    start: date | None = None  # first day of the year compared (today)


@dataclass(frozen=True)
class DriftReport:
    """Per workflow: in sync, or what differs; jobs wfgen did not write, apart."""

    environment: str
    in_sync: tuple[str, ...]
    findings: tuple[Problem, ...]
    foreign: tuple[Problem, ...] = field(default=())

    @property
    def drifted(self) -> bool:
        """True when anything deployed differs from the catalogue."""
        return bool(self.findings)

    def problems(self) -> list[Problem]:
        """Findings then foreign lines, each sorted by place."""
        return [*self.findings, *self.foreign]

    def to_json(self) -> dict[str, object]:
        """Machine-readable form (``--format json``)."""
        return {
            "environment": self.environment,
            "in_sync": list(self.in_sync),
            "drift": [p.to_json() for p in self.findings],
            "not_written_by_wfgen": [p.to_json() for p in self.foreign],
            "drifted": self.drifted,
        }


# --- comparing ------------------------------------------------------------------------------


def _cron_days(lines: Iterable[str], start: date) -> list[frozenset[tuple[int, int]]] | None:
    """Local fire times per day over a year, or None when a line is not 5-field cron."""
    from ..schedules import Schedule, wall_times
    from ..schedules.cron import CronSyntaxError

    nicknames = {
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
        "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    }
    schedules = [Schedule(kind="cron", expression=nicknames.get(line, line)) for line in lines]
    days = []
    try:
        for index in range(366):
            day = start + timedelta(days=index)
            times: set[tuple[int, int]] = set()
            for schedule in schedules:
                times.update(wall_times(schedule, day))
            days.append(frozenset(times))
    except (CronSyntaxError, UsageError):
        return None
    return days


def _same_cron(expected: Iterable[str], deployed: Iterable[str], start: date) -> bool:
    expected, deployed = sorted(expected), sorted(deployed)
    if [" ".join(e.split()) for e in expected] == [" ".join(d.split()) for d in deployed]:
        return True
    ours, theirs = _cron_days(expected, start), _cron_days(deployed, start)
    return ours is not None and ours == theirs


def _calendar_forms(values: Iterable[str]) -> dict[str, str]:
    """Each OnCalendar value as systemd normalizes it: one ``systemd-analyze calendar`` call.

    A value systemd refuses, or every value when the tool is missing, maps to itself with
    its whitespace collapsed (then compared as text).
    """
    plain = {v: " ".join(v.split()) for v in values}
    tool = shutil.which("systemd-analyze")
    if tool is None or not plain:
        return plain
    wanted = sorted(set(plain.values()))
    result = subprocess.run(
        [tool, "calendar", *wanted], capture_output=True, text=True, check=False
    )
    normalized = [
        line.split(":", 1)[1].strip()
        for line in result.stdout.splitlines()
        if line.strip().startswith("Normalized form:")
    ]
    if result.returncode != 0 or len(normalized) != len(wanted):
        return plain  # one value systemd refuses: compare all as text
    forms = dict(zip(wanted, normalized, strict=True))
    return {v: forms[p] for v, p in plain.items()}


def drift(settings: DriftSettings) -> DriftReport:  # noqa: PLR0912, PLR0915 - compares every deployed job kind with the catalogue's in one pass; each finding kind is a branch
    """Compare the deployed state with what the catalogue renders for the environment.

    Raises:
        UsageError: without any deployed state to read, or for an unknown environment.
        InputError: when a deployed file cannot be read or parsed.
        CatalogError: when the catalogue or the profile has errors.
    """
    from ..explain import not_scheduled
    from ..load.catalog import load_catalog
    from ..load.profiles import load_environments
    from ..render.targets import make_jobs
    from ..schedules import to_cron_lines, to_kubernetes, to_systemd

    if not (settings.crontab or settings.kubernetes or settings.systemd):
        raise UsageError(
            "nothing deployed to compare",
            hint="give --crontab FILE, --kubernetes FILE or --systemd DIR (- reads stdin)",
        )
    catalog, _ = load_catalog([settings.catalog])
    (environment,) = load_environments(settings.catalog / "environments", [settings.environment])
    start = settings.start or date.today()
    # The command as deployed: {instance} filled, {id} still to find.
    template = tuple(
        part.replace("{instance}", environment.instance) for part in environment.command
    )
    jobs = make_jobs(
        environment=environment,
        scheduled=environment.scheduled(catalog),
        to_cron=lambda s, nightly=None: "\n".join(to_cron_lines(s, nightly=nightly)),
        to_systemd=to_systemd,
        to_kubernetes=to_kubernetes,
        inputs=lambda item: (),
    )
    expected = {job.id: job for job in jobs}
    known: dict[str, Any] = {}
    for workflow in catalog.workflows:
        for expanded in environment.expand(workflow):
            known[expanded] = workflow
        known.setdefault(workflow.id, workflow)

    def read(value: str) -> tuple[str, str]:
        if value == "-":
            if settings.stdin is None:
                raise UsageError("- (stdin) can be read once only")
            return settings.stdin(), "<stdin>"
        # Read as it comes (not through safebytes.read_input): a deployed crontab is often
        # piped in, e.g. `--crontab <(ssh host crontab -l)`.
        try:
            data = Path(value).read_bytes()
        except OSError as err:
            raise InputError(f"{value}: cannot read: {err.strerror or err}") from err
        return decode_utf8(data, path=value, what="deployed file"), value

    sources: list[tuple[str, str, list[Deployed]]] = []
    if settings.crontab:
        text, name = read(settings.crontab)
        sources.append(("crontab", name, read_crontab(text, name, template)))
    if settings.kubernetes:
        text, name = read(settings.kubernetes)
        sources.append(("kubernetes", name, read_kubernetes(text, name, template)))
    if settings.systemd:
        sources.append(("systemd", str(settings.systemd), read_systemd(settings.systemd, template)))

    findings: list[Problem] = []
    foreign: list[Problem] = []
    in_sync: set[str] = set(expected)
    calendars = _calendar_forms(
        [c for _, _, found in sources for d in found if d.source == "systemd" for c in d.schedules]
        + ([c for job in jobs for c in job.on_calendar] if settings.systemd else [])
    )

    def finding(where: Location, code: str, subject: str, message: str, hint: str = "") -> None:
        findings.append(
            Problem(where, message, Severity.ERROR, code=code, hint=hint, subject=subject)
        )
        in_sync.discard(subject)

    for source, name, deployed in sources:
        by_id: dict[str, list[Deployed]] = {}
        for entry in deployed:
            if entry.id is None:
                if source == "crontab" and not entry.schedules:
                    finding(
                        entry.location, "drift-invalid", "", f"cron refuses this line: {entry.what}"
                    )
                    continue
                foreign.append(
                    Problem(
                        entry.location,
                        f"not written by wfgen ({source}): {entry.what}",
                        Severity.INFO,
                        code="drift-foreign",
                    )
                )
                continue
            by_id.setdefault(entry.id, []).append(entry)
        for wid, want in sorted(expected.items()):
            if wid not in by_id:
                wanted = (
                    " | ".join(want.on_calendar) if source == "systemd" else " | ".join(want.cron)
                )
                finding(
                    Location(name),
                    "drift-missing",
                    wid,
                    f"{wid}: missing from the deployed {source} (the catalogue schedules it: "
                    f"{wanted})",
                    hint=f"deploy the {source} output of `wfgen build --env {environment.name}`",
                )
        for wid, found in sorted(by_id.items()):
            first = found[0]
            if wid not in expected:
                known_workflow = known.get(wid)
                if known_workflow is None:
                    folded = [k for k in sorted(known) if k.casefold() == wid.casefold()]
                    close = folded or difflib.get_close_matches(wid, sorted(known), n=1, cutoff=0.5)
                    finding(
                        first.location,
                        "drift-unknown-id",
                        wid,
                        f"{wid}: no such workflow in the catalogue"
                        + (f"; the closest canonical id is {close[0]}" if close else ""),
                        hint="ids are case-sensitive; a translated or mistyped id never runs",
                    )
                else:
                    why = not_scheduled(
                        catalog,
                        environment,
                        known_workflow,
                        wid,
                        environment.schedule_of(known_workflow, wid),
                    )
                    finding(
                        first.location,
                        "drift-unexpected",
                        wid,
                        f"{wid}: deployed, but the catalogue does not schedule it on "
                        f"{environment.name}" + (f" ({why})" if why else ""),
                        hint="remove the job, or schedule the workflow in the catalogue",
                    )
                continue
            want = expected[wid]
            schedules = [s for d in found for s in d.schedules]
            if source == "systemd":
                same = sorted(calendars[c] for c in schedules) == sorted(
                    calendars[c] for c in want.on_calendar
                )
                wanted = " | ".join(want.on_calendar)
            else:
                same = _same_cron(want.cron, schedules, start)
                wanted = " | ".join(want.cron)
            if not same:
                finding(
                    first.location,
                    "drift-schedule",
                    wid,
                    f"{wid}: deployed schedule {' | '.join(schedules)!r} fires at other times "
                    f"than the catalogue's {wanted!r} (compared over a year in "
                    f"{environment.timezone})"
                    if source != "systemd"
                    else f"{wid}: deployed OnCalendar {' | '.join(schedules)!r} differs from "
                    f"the catalogue's {wanted!r}",
                )
            if any(d.command != want.argv for d in found):
                other = next(d for d in found if d.command != want.argv)
                finding(
                    other.location,
                    "drift-command",
                    wid,
                    f"{wid}: deployed command {' '.join(other.command)!r} differs from "
                    f"{' '.join(want.argv)!r}",
                )
            zones = {d.timezone for d in found if d.timezone is not None}
            if zones - {environment.timezone}:
                finding(
                    first.location,
                    "drift-timezone",
                    wid,
                    f"{wid}: deployed time zone {', '.join(sorted(zones))} differs from the "
                    f"environment's {environment.timezone}",
                )
            for d in found:
                if d.suspended:
                    finding(
                        d.location,
                        "drift-suspended",
                        wid,
                        f"{wid}: {d.what} is suspended (spec.suspend: true); it does not run",
                        hint='kubectl patch cronjob ... -p \'{"spec":{"suspend":false}}\', '
                        "or disable the workflow in the profile",
                    )
    order = lambda p: (p.location, p.message)  # noqa: E731
    return DriftReport(
        environment=environment.name,
        in_sync=tuple(sorted(in_sync)),
        findings=tuple(sorted(findings, key=order)),
        foreign=tuple(sorted(foreign, key=order)),
    )
