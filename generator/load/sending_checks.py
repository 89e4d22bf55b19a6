"""Consistency checks of the sending model file: what the JSON Schema cannot say.

The checks read the raw YAML data (already schema-valid) so every problem points at the
cell that is wrong: a row's status, a missing effect, a table that lacks an event.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..errors import Problem, Severity
from .problems import located_problem
from .yamlio import LoadedYaml, Locator

__all__ = ["REQUIRED_TEXTS", "check", "lifecycles"]

Parts = tuple[str | int, ...]

# Sentences the reference page needs; a model without them cannot be rendered.
REQUIRED_TEXTS = (
    "title",
    "role",
    "sending_heading",
    "scheduled_note",
    "recurring",
    "indicators_heading",
    "kpi_intro",
    "refresh_note",
    "compute_stats",
    "changes_heading",
    "changes_intro",
    "table_efs",
    "table_no_efs",
    "column_step",
    "column_kpis",
    "column_status",
    "effect_starts_at",
    "effect_unchanged",
    "effect_increase",
    "effect_decrease",
)

_MAX_PATH = 8  # lifecycles are short; the bound only guards against cycles in `after`


def lifecycles(events: list[dict[str, Any]]) -> Iterator[tuple[str, ...]]:
    """Every complete life of one message: from the start event to an event nothing follows.

    Events marked ``at_validity_end`` are appended when the life would otherwise stop at an
    event they may follow, as the end of the validity period does.
    """
    follows: dict[str, list[str]] = {e["key"]: [] for e in events}
    for e in events:
        for before in e["after"]:
            follows.setdefault(before, []).append(e["key"])
    closing = [e["key"] for e in events if e.get("at_validity_end")]
    starts = [e["key"] for e in events if not e["after"]]

    after = {e["key"]: e["after"] for e in events}

    def walk(path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        nexts = [k for k in follows.get(path[-1], []) if k not in path]
        if not nexts or len(path) >= _MAX_PATH:
            ends = [k for k in closing if path[-1] in after[k]]
            yield (*path, ends[0]) if ends else path
        for key in nexts:
            yield from walk((*path, key))

    for start in starts:
        yield from walk((start,))


def _counts(effect: Any, before: bool) -> bool:
    if isinstance(effect, dict):
        return bool(effect["starts_at"] == 100)
    return {"increase": True, "decrease": False}.get(effect, before)


def check(loaded: LoadedYaml, locator: Locator) -> list[Problem]:  # noqa: PLR0912 - the sending model's rules, each a short block with its located problem
    """Semantic checks of a schema-valid sending file; every problem, with file:line:col.

    Args:
        loaded: the parsed file.
        locator: finds the line and column of a JSON path in the file.

    Returns:
        The problems found (empty when the model is consistent).
    """
    problems: list[Problem] = []

    def report(parts: Parts, message: str, code: str, hint: str = "", **kw: Any) -> None:
        problems.append(
            located_problem(
                loaded, locator, ("sending", *parts), message, code=code, hint=hint, **kw
            )
        )

    s = loaded.data["sending"]
    declared: dict[str, set[str]] = {}
    for section in ("kpis", "statuses", "events"):
        seen: set[str] = set()
        for index, item in enumerate(s[section]):
            if item["key"] in seen:
                report(
                    (section, index, "key"),
                    f"{section[:-1]} {item['key']!r} is declared twice",
                    "sending-duplicate",
                    "keep one declaration",
                )
            seen.add(item["key"])
        declared[section] = seen
    percent = {k["key"] for k in s["kpis"] if k["unit"] == "percent"}
    events = {e["key"]: e for e in s["events"]}
    starts = [e["key"] for e in s["events"] if not e["after"]]
    if len(starts) != 1:
        report(
            ("events",),
            f"{len(starts)} events have an empty `after`; exactly one must start a message",
            "sending-start-event",
            "give every event but `relayed` the events it may follow",
        )
    for index, event in enumerate(s["events"]):
        for a_index, before in enumerate(event["after"]):
            if before not in events:
                report(
                    ("events", index, "after", a_index),
                    f"`after` names undeclared event {before!r}",
                    "sending-unknown-event",
                    f"declared events: {', '.join(sorted(events))}",
                )
    for key in sorted(set(REQUIRED_TEXTS) - set(s["texts"])):
        report(
            ("texts",),
            f"missing text {key!r} of the reference page",
            "sending-missing-text",
            "copy the sentence from the English page",
        )

    tables: dict[str, tuple[int, dict[str, Any]]] = {}
    for t_index, table in enumerate(s["tables"]):
        mode = table["mode"]
        if mode in tables:
            report(
                ("tables", t_index, "mode"),
                f"a second table for mode {mode!r}",
                "sending-duplicate",
                "keep one table per mode",
            )
            continue
        tables[mode] = (t_index, table)
        for k_index, kpi in enumerate(table["kpis"]):
            if kpi not in percent:
                report(
                    ("tables", t_index, "kpis", k_index),
                    f"table KPI {kpi!r} is not a declared percentage KPI",
                    "sending-unknown-kpi",
                    f"percentage KPIs: {', '.join(sorted(percent))}",
                )
        _check_rows(
            report, t_index, table, events=events, statuses=declared["statuses"], starts=starts
        )
    for mode in ("efs", "no_efs"):
        if mode not in tables:
            report(
                ("tables",),
                f"no table for mode {mode!r}",
                "sending-missing-table",
                "the page has a table with and one without the Email Feedback Service",
            )
    used = {row["status"] for _, t in tables.values() for row in t["rows"]}
    for index, status in enumerate(s["statuses"]):
        if status["key"] not in used:
            report(
                ("statuses", index, "key"),
                f"status {status['key']!r} is never reached",
                "sending-unused-status",
                "remove it or use it in a table row",
                severity=Severity.WARNING,
            )
    if problems or len(tables) < 2:
        return problems
    _check_shown(report, tables)
    _check_rules(report, s, tables)
    _check_finals(report, s, tables)
    return problems


# long: the status tables' row rules, each a short block with its located problem
def _check_rows(
    report: Any,
    t_index: int,
    table: dict[str, Any],
    *,
    events: dict[str, Any],
    statuses: set[str],
    starts: list[str],
) -> None:
    here: Parts = ("tables", t_index)
    mode = table["mode"]
    seen: dict[str, int] = {}
    for r_index, row in enumerate(table["rows"]):
        at: Parts = (*here, "rows", r_index)
        if row["event"] not in events:
            report(
                (*at, "event"),
                f"row names undeclared event {row['event']!r}",
                "sending-unknown-event",
                f"declared events: {', '.join(sorted(events))}",
            )
        elif row["event"] in seen:
            report(
                (*at, "event"),
                f"second row for event {row['event']!r} in the {mode} table",
                "sending-duplicate-row",
                f"row {seen[row['event']] + 1} already gives its outcome",
            )
        seen.setdefault(row["event"], r_index)
        if row["status"] not in statuses:
            report(
                (*at, "status"),
                f"undeclared status {row['status']!r}",
                "sending-undeclared-status",
                f"declared statuses: {', '.join(sorted(statuses))}",
            )
        for kpi in table["kpis"]:
            if kpi not in row["effects"]:
                report(
                    (*at, "effects"),
                    f"missing outcome for KPI {kpi!r} of event {row['event']!r}",
                    "sending-missing-outcome",
                    "add unchanged, increase, decrease or {starts_at: N}",
                )
        for kpi, effect in row["effects"].items():
            if kpi not in table["kpis"]:
                report(
                    (*at, "effects", kpi),
                    f"effect on {kpi!r}, which the table does not show",
                    "sending-unknown-kpi",
                    f"table KPIs: {', '.join(table['kpis'])}",
                    key=True,
                )
                continue
            is_start = row["event"] in starts
            if is_start != isinstance(effect, dict):
                what = "must say where" if is_start else "cannot say where"
                report(
                    (*at, "effects", kpi),
                    f"event {row['event']!r} {what} {kpi!r} starts",
                    "sending-start-effect",
                    "only the event that starts a message uses {starts_at: N}",
                )
    for key in events:
        if key not in seen:
            report(
                (*here, "rows"),
                f"the {mode} table has no outcome for event {key!r}",
                "sending-missing-outcome",
                "add a row for it (in_table: false if only the prose says it)",
            )


def _check_shown(report: Any, tables: dict[str, tuple[int, dict[str, Any]]]) -> None:
    shown = {
        mode: {r["event"]: r.get("in_table", True) for r in t["rows"]}
        for mode, (_, t) in tables.items()
    }
    t_index, table = tables["no_efs"]
    for r_index, row in enumerate(table["rows"]):
        if row.get("in_table", True) != shown["efs"].get(row["event"], True):
            report(
                ("tables", t_index, "rows", r_index, "event"),
                f"event {row['event']!r} is shown in one table but not in the other",
                "sending-table-mismatch",
                "both tables list the same steps of the sending process",
            )


def _check_rules(
    report: Any, s: dict[str, Any], tables: dict[str, tuple[int, dict[str, Any]]]
) -> None:
    starts = {e["key"] for e in s["events"] if not e["after"]}
    for rule in s["rules"]:
        t_index, table = tables[rule["mode"]]
        for r_index, row in enumerate(table["rows"]):
            effect = row["effects"].get(rule["kpi"])
            at: Parts = ("tables", t_index, "rows", r_index, "effects", rule["kpi"])
            if (
                row["event"] in starts
                and "starts_at" in rule
                and isinstance(effect, dict)
                and effect["starts_at"] != rule["starts_at"]
            ):
                report(
                    at,
                    f"{rule['kpi']} starts at {effect['starts_at']}% in the {rule['mode']} table, "
                    f"but the page says {rule['starts_at']}%",
                    "sending-rule",
                    f"the page: {rule['source']}",
                )
            if rule.get("never") and effect == rule["never"]:
                report(
                    at,
                    f"{rule['kpi']} must never {rule['never']} in the {rule['mode']} table "
                    f"(event {row['event']!r})",
                    "sending-rule",
                    f"the page: {rule['source']}",
                )


def _check_finals(
    report: Any, s: dict[str, Any], tables: dict[str, tuple[int, dict[str, Any]]]
) -> None:
    # Once the validity period is over both modes must agree: EFS only changes the timing.
    kpis = tables["efs"][1]["kpis"]
    rows = {mode: {r["event"]: r for r in t["rows"]} for mode, (_, t) in tables.items()}
    for life in lifecycles(s["events"]):
        finals: dict[str, str] = {}
        for mode in ("efs", "no_efs"):
            bits = dict.fromkeys(kpis, False)
            for event in life:
                for kpi in kpis:
                    bits[kpi] = _counts(rows[mode][event]["effects"].get(kpi), bits[kpi])
            counted = ", ".join(k for k, v in bits.items() if v) or "no KPI"
            finals[mode] = f"{rows[mode][life[-1]]['status']} counting towards {counted}"
        if finals["efs"] != finals["no_efs"]:
            t_index, table = tables["no_efs"]
            r_index = next(i for i, r in enumerate(table["rows"]) if r["event"] == life[-1])
            report(
                ("tables", t_index, "rows", r_index),
                f"after {' -> '.join(life)} the modes end differently: "
                f"efs: {finals['efs']}; no_efs: {finals['no_efs']}",
                "sending-final-mismatch",
                "the final status and percentages must not depend on the Email Feedback Service",
            )
