"""``wfgen drift``: what is deployed against what the catalogue renders for one environment.

Deployed state comes as operators export it: ``crontab -l`` output or a ``cron.d`` file,
``kubectl get cronjobs -o yaml|json`` output (a ``List``, one object or several documents),
a folder of systemd units with their drop-ins. Each is read as its scheduler reads it
(:mod:`.deployed`, :mod:`.kubernetes`, :mod:`.systemd`), and what ``wfgen build`` renders
for the environment is read back by the same readers, so both sides are compared field by
field in the same form: schedule and zone, command, user, privileges, the number of jobs,
suspension, image, namespace, concurrency policy and the other unit settings.

Findings are :class:`~generator.errors.Problem` values at the deployed file's line, so every
report format (text, JSON, SARIF, GitHub annotations) prints them.
"""

from __future__ import annotations

import dataclasses
import difflib
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, Problem, Severity, UsageError
from ..safebytes import MAX_INPUT_BYTES, decode_utf8, read_input
from .deployed import Deployed, read_crontab
from .kubernetes import read_kubernetes
from .systemd import read_systemd, read_units

__all__ = [
    "DRIFT_CODES",
    "Deployed",
    "DriftReport",
    "DriftSettings",
    "TargetSummary",
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
    "drift-duplicate",
    "drift-command",
    "drift-timezone",
    "drift-user",
    "drift-privileges",
    "drift-suspended",
    "drift-image",
    "drift-namespace",
    "drift-concurrency",
    "drift-setting",
    "drift-invalid",
)

# The code of a finding about each compared setting.
_SETTING_CODES = {
    "user": "drift-user",
    "[Service] User": "drift-user",
    "[Service] Group": "drift-user",
    "[Service] DynamicUser": "drift-user",
    "runAsUser": "drift-user",
    "container runAsUser": "drift-user",
    "ExecStart prefix": "drift-privileges",
    "privileged": "drift-privileges",
    "hostPID": "drift-privileges",
    "hostNetwork": "drift-privileges",
    "hostIPC": "drift-privileges",
    "serviceAccountName": "drift-user",
    "ExecStart lines": "drift-command",
    "standard input (after a bare %)": "drift-command",
    "containers": "drift-command",
    "initContainers": "drift-command",
    "suspend": "drift-suspended",
    "image": "drift-image",
    "namespace": "drift-namespace",
    "concurrencyPolicy": "drift-concurrency",
}


# What systemd does with each ExecStart= prefix (systemd.service(5)).
_PREFIX_MEANINGS = {
    "+": "'+' runs it with full privileges, whatever User= and the sandboxing say",
    "!": "'!' runs it with elevated privileges, whatever User= says",
    "-": "'-' ignores its failure",
    "@": "'@' gives it another argv[0]",
    ":": "':' stops variable expansion",
    "|": "'|' runs it through the user's shell",
}


@dataclass(frozen=True)
class DriftSettings:
    """Options of ``wfgen drift``; ``-`` reads a file from ``stdin``.

    ``host_timezone`` is the zone the host (or the CronJob controller) runs in: a job
    deployed without a zone runs there, which is in sync only when it is the environment's.
    """

    environment: str
    catalog: Path = Path("catalog")
    crontab: str | None = None
    kubernetes: str | None = None
    systemd: Path | None = None
    stdin: Callable[[], bytes] | None = None
    start: date | None = None  # first day of the year compared (today)
    host_timezone: str | None = None


@dataclass(frozen=True)
class TargetSummary:
    """Counts for one deployed target, as ``terraform plan`` prints them."""

    target: str
    source: str
    in_sync: int
    changed: int
    missing: int
    extra: int
    foreign: int

    def to_json(self) -> dict[str, object]:
        """Machine-readable form."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class DriftReport:
    """Per workflow: in sync, or what differs; jobs wfgen did not write, apart."""

    environment: str
    in_sync: tuple[str, ...]
    findings: tuple[Problem, ...]
    foreign: tuple[Problem, ...] = field(default=())
    targets: tuple[TargetSummary, ...] = field(default=())

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
            "targets": [t.to_json() for t in self.targets],
            "in_sync": list(self.in_sync),
            "drift": [p.to_json() for p in self.findings],
            "not_written_by_wfgen": [p.to_json() for p in self.foreign],
            "drifted": self.drifted,
        }


# --- comparing schedules --------------------------------------------------------------------

_NICKNAMES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


def _cron_days(lines: Iterable[str], start: date) -> list[Counter[tuple[int, int]]] | None:
    """Local fire times per day over a year, each counted once per line that fires then;
    None when a line is not 5-field cron."""
    from ..schedules import Schedule, wall_times
    from ..schedules.cron import CronSyntaxError

    schedules = [Schedule(kind="cron", expression=_NICKNAMES.get(line, line)) for line in lines]
    days = []
    try:
        for index in range(366):
            day = start + timedelta(days=index)
            times: Counter[tuple[int, int]] = Counter()
            for schedule in schedules:
                times.update(set(wall_times(schedule, day)))
            days.append(times)
    except (CronSyntaxError, UsageError, ValueError):
        return None
    return days


def _compare_cron(expected: list[str], deployed: list[str], start: date) -> str:
    """ "" when the lines fire at the same times as often; else "schedule" or "duplicate"."""
    if sorted(" ".join(e.split()) for e in expected) == sorted(
        " ".join(d.split()) for d in deployed
    ):
        return ""
    ours, theirs = _cron_days(expected, start), _cron_days(deployed, start)
    if ours is None or theirs is None:
        return "schedule"
    if ours == theirs:
        return ""
    more = any(
        theirs_day[t] > ours_day[t]
        for ours_day, theirs_day in zip(ours, theirs, strict=True)
        for t in theirs_day
    )
    if more and [set(d) for d in ours] == [set(d) for d in theirs]:
        return "duplicate"  # the same times, some of them more than once
    return "schedule"


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
    forms: dict[str, str] = {}
    result = subprocess.run(
        [tool, "calendar", "--", *wanted], capture_output=True, text=True, check=False
    )
    normalized = [
        line.split(":", 1)[1].strip()
        for line in result.stdout.splitlines()
        if line.strip().startswith("Normalized form:")
    ]
    if result.returncode == 0 and len(normalized) == len(wanted):
        forms = dict(zip(wanted, normalized, strict=True))
    else:  # one value systemd refuses: each alone, so the others still compare normalized
        for value in wanted:
            one = subprocess.run(
                [tool, "calendar", "--", value], capture_output=True, text=True, check=False
            )
            got = [
                line.split(":", 1)[1].strip()
                for line in one.stdout.splitlines()
                if line.strip().startswith("Normalized form:")
            ]
            forms[value] = got[0] if one.returncode == 0 and got else f"invalid: {value}"
    return {v: forms[p] for v, p in plain.items()}


def _without_zone(calendar: str) -> str:
    words = calendar.split()
    if len(words) > 1 and ("/" in words[-1] or words[-1] in ("UTC", "GMT")):
        words = words[:-1]
    return " ".join(words)


# --- reading the inputs ---------------------------------------------------------------------


def _read_file(value: str, settings: DriftSettings) -> tuple[str, str]:
    """The text of ``value`` (``-``: standard input), read as every other input is."""
    if value == "-":
        if settings.stdin is None:
            raise UsageError("- (stdin) can be read once only")
        data = settings.stdin()
        if len(data) > MAX_INPUT_BYTES:
            raise InputError(
                f"<stdin>: over the {MAX_INPUT_BYTES:,}-byte limit for an input",
                hint="export the deployed state to a file and check its size",
            )
        return decode_utf8(data, path="<stdin>", what="deployed file"), "<stdin>"
    try:
        data = read_input(Path(value))
    except OSError as err:
        raise InputError(
            f"cannot read: {err.strerror or err}",
            location=Location(value),
            hint="give a regular file, or - with the text on standard input",
        ) from err
    return decode_utf8(data, path=value, what="deployed file"), value


def _expected(environment: Any, catalog: Any, targets: set[str]) -> dict[str, list[Deployed]]:
    """What ``wfgen build`` renders for crontab, cron.d and ``targets``, read back by the same
    readers."""
    from ..render.targets import make_jinja, make_jobs, render_environment
    from ..schedules import to_cron_lines, to_kubernetes, to_systemd

    everywhere = dataclasses.replace(
        environment, targets=("crontab", "cron.d", "systemd", "kubernetes")
    )
    jobs = make_jobs(
        environment=everywhere,
        scheduled=everywhere.scheduled(catalog),
        to_cron=lambda s, nightly=None: "\n".join(to_cron_lines(s, nightly=nightly)),
        to_systemd=to_systemd,
        to_kubernetes=to_kubernetes,
        inputs=lambda item: (),
    )
    rendered = dataclasses.replace(
        environment,
        targets=tuple(t for t in everywhere.targets if t in {*targets, "crontab", "cron.d"}),
    )
    files = {
        f.path.split("/", 1)[1]: f.content.decode("utf-8")
        for f in render_environment(
            environment=rendered, jobs=jobs, jinja=make_jinja(None), profile_inputs=()
        )
    }
    template = _template(environment)
    out = {
        "crontab": read_crontab(files["crontab"], "crontab", template),
        "cron.d": read_crontab(files["cron.d/wfgen"], "cron.d", template),
    }
    if "kubernetes" in targets:
        out["kubernetes"] = read_kubernetes(
            files["kubernetes/cronjobs.yaml"], "kubernetes", template
        )
    if "systemd" in targets:
        units = {k.split("/", 1)[1]: v for k, v in files.items() if k.startswith("systemd/")}
        out["systemd"] = read_units(units, "", template)
    return out


def _template(environment: Any) -> tuple[str, ...]:
    """The command as deployed: ``{instance}`` filled, ``{id}`` still to find."""
    return tuple(part.replace("{instance}", environment.instance) for part in environment.command)


# --- the comparison -------------------------------------------------------------------------


def drift(settings: DriftSettings) -> DriftReport:
    """Compare the deployed state with what the catalogue renders for the environment.

    Raises:
        UsageError: without any deployed state to read, or for an unknown environment.
        InputError: when a deployed file cannot be read or parsed (at its line).
        CatalogError: when the catalogue or the profile has errors.
    """
    from ..load.catalog import load_catalog
    from ..load.profiles import load_environments

    if not (settings.crontab or settings.kubernetes or settings.systemd):
        raise UsageError(
            "nothing deployed to compare",
            hint="give --crontab FILE, --kubernetes FILE or --systemd DIR (- reads stdin)",
        )
    catalog, _ = load_catalog([settings.catalog])
    (environment,) = load_environments(settings.catalog / "environments", [settings.environment])
    template = _template(environment)

    sources: list[tuple[str, str, list[Deployed]]] = []
    if settings.crontab:
        text, name = _read_file(settings.crontab, settings)
        sources.append(("crontab", name, read_crontab(text, name, template)))
    if settings.kubernetes:
        text, name = _read_file(settings.kubernetes, settings)
        sources.append(("kubernetes", name, read_kubernetes(text, name, template)))
    if settings.systemd:
        sources.append(("systemd", str(settings.systemd), read_systemd(settings.systemd, template)))
    expected = _expected(environment, catalog, {target for target, _, _ in sources})
    comparer = _Comparer(settings, environment, catalog, expected)
    for target, name, deployed in sources:
        comparer.compare(target, name, deployed)
    return comparer.report()


class _Comparer:
    """Collects findings and per-target counts, one deployed target at a time."""

    def __init__(
        self, settings: DriftSettings, environment: Any, catalog: Any, expected: Any
    ) -> None:
        self.settings = settings
        self.environment = environment
        self.catalog = catalog
        self.expected: dict[str, list[Deployed]] = expected
        self.start = settings.start or date.today()
        self.findings: list[Problem] = []
        self.foreign: list[Problem] = []
        self.targets: list[TargetSummary] = []
        self.scheduled = {d.id for d in expected["crontab"] if d.id}
        self.drifted: set[str] = set()
        self.forms: dict[str, str] = {}
        self.known: dict[str, Any] = {}
        for workflow in catalog.workflows:
            for expanded in environment.expand(workflow):
                self.known[expanded] = workflow
            self.known.setdefault(workflow.id, workflow)

    def report(self) -> DriftReport:
        order = lambda p: (p.location, p.message)  # noqa: E731
        return DriftReport(
            environment=self.environment.name,
            in_sync=tuple(sorted(self.scheduled - self.drifted)),
            findings=tuple(sorted(self.findings, key=order)),
            foreign=tuple(sorted(self.foreign, key=order)),
            targets=tuple(self.targets),
        )

    def finding(
        self,
        target: str,
        where: Location,
        code: str,
        subject: str,
        message: str,
        *,
        hint: str = "",
        deployed: str = "",
        catalogue: str = "",
    ) -> None:
        extra: dict[str, object] = {"target": target}
        if deployed:
            extra["deployed"] = deployed
        if catalogue:
            extra["catalogue"] = catalogue
        self.findings.append(
            Problem(
                where, message, Severity.ERROR, code=code, hint=hint, subject=subject, extra=extra
            )
        )
        if subject:
            self.drifted.add(subject)

    def compare(self, target: str, name: str, deployed: list[Deployed]) -> None:
        kind = target
        if target == "crontab" and any(dict(d.settings).get("user") for d in deployed):
            kind = "cron.d"
        target = kind
        if target == "systemd":
            # Normalized by one call for all, unless every value is written as wfgen writes it.
            ours = {s for d in self.expected["systemd"] for s in d.schedules}
            theirs = {s for d in deployed for s in d.schedules}
            same = theirs <= ours
            self.forms = {v: v for v in ours | theirs} if same else _calendar_forms(ours | theirs)
        want: dict[str, list[Deployed]] = {}
        for entry in self.expected[kind]:
            assert entry.id is not None
            want.setdefault(entry.id, []).append(entry)
        before = len(self.findings)
        foreign = 0
        by_id: dict[str, list[Deployed]] = {}
        for entry in deployed:
            if entry.invalid:
                self.finding(
                    target,
                    entry.location,
                    "drift-invalid",
                    entry.id or "",
                    f"{entry.id + ': ' if entry.id else ''}{entry.what}: {entry.invalid}",
                    hint="the scheduler does not run this as written; deploy wfgen's output",
                    deployed=entry.what,
                )
                continue
            if entry.id is None:
                foreign += 1
                self.foreign.append(
                    Problem(
                        entry.location,
                        f"not written by wfgen ({target}): {entry.what}",
                        Severity.INFO,
                        code="drift-foreign",
                        extra={"target": target},
                    )
                )
                continue
            by_id.setdefault(entry.id, []).append(entry)
        missing = [wid for wid in sorted(want) if wid not in by_id]
        for wid in missing:
            self.finding(
                target,
                Location(name),
                "drift-missing",
                wid,
                f"{wid}: missing from the deployed {target} (the catalogue schedules it: "
                f"{' | '.join(s for d in want[wid] for s in d.schedules)})",
                hint=f"deploy the {kind} output of `wfgen build --env {self.environment.name}`",
                catalogue=want[wid][0].what,
            )
        extra = [wid for wid in sorted(by_id) if wid not in want]
        for wid in extra:
            self._extra(target, wid, by_id[wid][0])
        changed = set()
        for wid in sorted(set(by_id) & set(want)):
            count = len(self.findings)
            self._job(target, wid, by_id[wid], want[wid])
            if len(self.findings) > count:
                changed.add(wid)
        invalid_ids = {
            p.subject
            for p in self.findings[before:]
            if p.code == "drift-invalid" and p.subject in want
        }
        changed |= invalid_ids - set(missing)
        self.targets.append(
            TargetSummary(
                target=kind,
                source=name,
                in_sync=len(set(want) - changed - set(missing)),
                changed=len(changed),
                missing=len(missing),
                extra=len(extra),
                foreign=foreign,
            )
        )

    def _extra(self, target: str, wid: str, first: Deployed) -> None:
        from ..explain import not_scheduled

        workflow = self.known.get(wid)
        if workflow is None:
            folded = [k for k in sorted(self.known) if k.casefold() == wid.casefold()]
            close = folded or difflib.get_close_matches(wid, sorted(self.known), n=1, cutoff=0.5)
            self.finding(
                target,
                first.location,
                "drift-unknown-id",
                wid,
                f"{wid}: no such workflow in the catalogue"
                + (f"; the closest canonical id is {close[0]}" if close else ""),
                hint="ids are case-sensitive; a translated or mistyped id never runs",
                deployed=first.what,
            )
            return
        env = self.environment
        why = not_scheduled(self.catalog, env, workflow, wid, env.schedule_of(workflow, wid))
        self.finding(
            target,
            first.location,
            "drift-unexpected",
            wid,
            f"{wid}: deployed, but the catalogue does not schedule it on {env.name}"
            + (f" ({why})" if why else ""),
            hint="remove the job, or schedule the workflow in the catalogue",
            deployed=first.what,
        )

    def _job(self, target: str, wid: str, found: list[Deployed], want: list[Deployed]) -> None:
        first, model = found[0], want[0]
        theirs = [s for d in found for s in d.schedules]
        ours = [s for d in want for s in d.schedules]
        if target == "systemd":
            forms = self.forms
            deployed = Counter(_without_zone(forms[c]) for c in theirs)
            catalogue = Counter(_without_zone(forms[c]) for c in ours)
            verdict = "" if deployed == catalogue else "schedule"
            if verdict and set(deployed) == set(catalogue) and deployed - catalogue:
                verdict = "duplicate"  # the same calendars, some of them more than once
        else:
            verdict = _compare_cron(ours, theirs, self.start)
        if verdict == "duplicate":
            self.finding(
                target,
                found[-1].location,
                "drift-duplicate",
                wid,
                f"{wid}: deployed {len(found)} times ({', '.join(d.what for d in found)[:200]}); "
                "it runs more than once at the same time",
                hint="keep one job per workflow, as wfgen writes it",
                deployed=found[-1].what,
                catalogue=model.what,
            )
        elif verdict:
            self.finding(
                target,
                first.location,
                "drift-schedule",
                wid,
                f"{wid}: deployed schedule {' | '.join(theirs)!r} fires at other times "
                f"than the catalogue's {' | '.join(ours)!r} (compared over a year in "
                f"{self.environment.timezone})"
                if target != "systemd"
                else f"{wid}: deployed OnCalendar {' | '.join(theirs)!r} differs from "
                f"the catalogue's {' | '.join(ours)!r}",
                deployed=first.what,
                catalogue=model.what,
            )
        self._zone(target, wid, found)
        for entry in found:
            if entry.command != model.command:
                at, line = entry.place("command")
                self.finding(
                    target,
                    at,
                    "drift-command",
                    wid,
                    f"{wid}: deployed command {' '.join(entry.command)!r} differs from "
                    f"{' '.join(model.command)!r}",
                    deployed=line,
                    catalogue=model.place("command")[1],
                )
            self._settings(target, wid, entry, model)

    def _zone(self, target: str, wid: str, found: list[Deployed]) -> None:
        want = self.environment.timezone
        host = self.settings.host_timezone
        what = {"crontab": "CRON_TZ line", "kubernetes": "spec.timeZone"}.get(
            target, "zone in OnCalendar"
        )
        for entry in found:
            zone = entry.timezone
            if not entry.schedules or zone == want or (zone is None and host == want):
                continue
            if zone is None:
                where = "the host's" if target != "kubernetes" else "the controller's"
                message = (
                    f"{wid}: deployed with no {what}, so it runs in {where} zone"
                    + (f" ({host})" if host else "")
                    + f", not the environment's {want}"
                    + (f"; {entry.zone_note}" if entry.zone_note else "")
                )
                hint = (
                    f"deploy wfgen's output, or give --host-timezone {want} if the host runs there"
                )
            else:
                message = f"{wid}: deployed time zone {zone} differs from the environment's {want}"
                hint = ""
            self.finding(
                target,
                entry.location,
                "drift-timezone",
                wid,
                message,
                hint=hint,
                deployed=entry.what,
            )

    def _settings(self, target: str, wid: str, entry: Deployed, model: Deployed) -> None:
        theirs, ours = dict(entry.settings), dict(model.settings)
        for key in sorted(set(theirs) | set(ours)):
            if theirs.get(key, "") == ours.get(key, ""):
                continue
            code = _SETTING_CODES.get(key, "drift-setting")
            if key == "suspend" and theirs.get(key) == "true":
                message = f"{wid}: {entry.what} is suspended (spec.suspend: true); it does not run"
            elif key == "ExecStart prefix":
                meant = "; ".join(
                    _PREFIX_MEANINGS[c] for c in theirs.get(key, "") if c in _PREFIX_MEANINGS
                )
                message = (
                    f"{wid}: ExecStart= has the prefix {theirs.get(key, '')!r}"
                    f" where the catalogue's has {repr(ours[key]) if ours.get(key) else 'none'}"
                    + (f" ({meant})" if meant else "")
                )
            else:
                message = (
                    f"{wid}: deployed {key} {theirs.get(key, '')!r} differs from the "
                    f"catalogue's {ours.get(key, '')!r}"
                )
            at, line = entry.place(key)
            self.finding(
                target,
                at,
                code,
                wid,
                message,
                deployed=line if key in theirs else "",
                catalogue=model.place(key)[1] if key in ours else "",
            )
