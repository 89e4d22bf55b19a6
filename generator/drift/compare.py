"""The comparison, one deployed target at a time: findings at the deployed file's line and
the per-target counts."""

from __future__ import annotations

import difflib
from collections import Counter
from datetime import date
from typing import Any

from ..errors import Location, Problem, Severity
from ..load.deployed import Deployed
from .report import DriftReport, TargetSummary
from .schedules import calendar_forms, compare_cron, without_zone

__all__ = ["Comparer"]


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


class Comparer:
    """Collects findings and per-target counts, one deployed target at a time."""

    def __init__(
        self,
        environment: Any,
        catalog: Any,
        expected: Any,
        *,
        start: date | None = None,
        host_timezone: str | None = None,
    ) -> None:
        self.host_timezone = host_timezone
        self.environment = environment
        self.catalog = catalog
        self.expected: dict[str, list[Deployed]] = expected
        self.start = start or date.today()
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

    # long: one block per way a deployed job differs from the rendered one
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
            self.forms = {v: v for v in ours | theirs} if same else calendar_forms(ours | theirs)
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
        from ..schedule_lint.reasons import not_scheduled

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
            deployed = Counter(without_zone(forms[c]) for c in theirs)
            catalogue = Counter(without_zone(forms[c]) for c in ours)
            verdict = "" if deployed == catalogue else "schedule"
            if verdict and set(deployed) == set(catalogue) and deployed - catalogue:
                verdict = "duplicate"  # the same calendars, some of them more than once
        else:
            verdict = compare_cron(ours, theirs, self.start)
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
        host = self.host_timezone
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
