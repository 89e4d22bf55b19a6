"""Scheduler targets checked by real tools: systemd-analyze, kubernetes-validate, cronsim."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import kubernetes_validate
import kubernetes_validate.utils
import pytest
import yaml
from cronsim import CronSim
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import schedules
from generator.commands.build import _cron_lines
from generator.errors import UsageError
from generator.load.catalog import Catalog, load_catalog
from generator.load.profiles import Environment, KubernetesSettings, ScheduledWorkflow
from generator.model import NOWHERE
from generator.render.cronjob_yaml import _DUMP_OPTIONS, _PlainDumper, dump_documents
from generator.render.jinja import make_jinja
from generator.render.targets import RenderedFile, make_jobs, render_environment
from generator.schedules import Schedule
from tests.conftest import examples

ZONE = "Europe/Stockholm"
TARGETS = ("crontab", "cron.d", "systemd", "kubernetes")

WORKFLOWS = """
    module: deliveries
    workflows:
      - id: reportingAggregates
        label: Reporting aggregates
        description: This workflow updates aggregates used in reports.
        package: Delivery
        products: [classic-v7]
        status: active
        schedule: {kind: daily, at: "02:00"}
      - id: tracking
        label: Tracking
        description: Recovers tracking information.
        package: Delivery
        products: [classic-v7]
        status: active
        schedule: {kind: every, minutes: 10, between: {start: "06:30", end: "20:00"}}
      - id: cleanupPausedWorkflows
        label: Paused workflows cleanup
        description: Stops paused workflows.
        package: Delivery
        products: [classic-v7]
        status: active
        schedule: {kind: weekly, weekday: monday, at: "05:00"}
      - id: billing
        label: Billing
        description: Sends the report.
        package: Delivery
        products: [classic-v7]
        status: active
        schedule: {kind: monthly, day: 25}
      - id: stats
        label: Stats
        description: Hourly statistics.
        package: Delivery
        products: [classic-v7]
        status: active
        schedule: {kind: cron, expression: "15 */4 * * 1-5"}
    """


@pytest.fixture
def catalog(file_tree: Any) -> Catalog:
    """A small catalogue with one workflow of each timed schedule kind."""
    root = file_tree(
        {
            "catalog": {
                "modules.yaml": "modules:\n  deliveries: {name: Deliveries, package: Delivery}\n",
                "workflows": {"deliveries.yaml": WORKFLOWS},
            }
        }
    )
    loaded, _ = load_catalog([root / "catalog"])
    return loaded


def environment(**changes: Any) -> Environment:
    """A profile as the build sees it; /bin/true exists, so systemd-analyze can verify units."""
    base: dict[str, Any] = {
        "name": "prod",
        "instance": "mkt",
        "role": "marketing",
        "timezone": ZONE,
        "products": ("classic-v7",),
        "modules": (),
        "nightly": "03:00",
        "overrides": (),
        "command": ("/bin/true", "start", "{id}@{instance}"),
        "user": "neolane",
        "targets": TARGETS,
        "kubernetes": KubernetesSettings(
            namespace="campaign",
            image="registry.example/nlserver:7",
            starting_deadline_seconds=600,
        ),
        "placeholders": (),
        "location": NOWHERE,
    }
    return Environment(**{**base, **changes})


def render(catalog: Catalog, env: Environment) -> dict[str, str]:
    """Every scheduler file of ``env``, by path, as text."""
    scheduled = [
        ScheduledWorkflow(workflow=w, id=w.id, schedule=w.schedule) for w in catalog.workflows
    ]
    jobs = make_jobs(
        environment=env,
        scheduled=scheduled,
        to_cron=_cron_lines,
        to_systemd=schedules.to_systemd,
        to_kubernetes=schedules.to_kubernetes,
        inputs=lambda item: ("catalog/workflows/deliveries.yaml",),
    )
    files: list[RenderedFile] = render_environment(
        environment=env,
        jobs=jobs,
        jinja=make_jinja(),
        profile_inputs=("catalog/environments/prod.yaml",),
    )
    return {f.path: f.content.decode("utf-8") for f in files}


def cron_entries(text: str, *, user_field: bool) -> list[tuple[str, str, list[str]]]:
    """(comment id, 5-field expression, command words) for every entry line of a crontab."""
    entries, current = [], ""
    for line in text.splitlines():
        if match := re.fullmatch(r"# .* \((\S+)\)", line):
            current = match.group(1)
        elif line and not line.startswith("#") and not line.startswith("CRON_TZ="):
            fields = line.split(None, 6 if user_field else 5)
            entries.append((current, " ".join(fields[:5]), fields[5:]))
    return entries


@pytest.mark.parametrize(
    ("path", "user_field"), [("prod/crontab", False), ("prod/cron.d/wfgen", True)]
)
def test_cron_lines_fire_when_the_model_says(catalog: Catalog, path: str, user_field: bool) -> None:
    """cronsim, reading every crontab line, finds the same next runs as the catalogue's model."""
    text = render(catalog, environment())[path]
    assert text.endswith("\n") and f"CRON_TZ={ZONE}\n" in text
    entries = cron_entries(text, user_field=user_field)
    # A stretch of days without a skipped hour: on the spring change cron runs a 02:00 job at
    # 03:00, while the model skips the time that does not exist.
    start = datetime(2024, 4, 10, 12, 7, tzinfo=ZoneInfo(ZONE))
    for workflow in catalog.workflows:
        expressions = [e for wid, e, _ in entries if wid == workflow.id]
        assert expressions, workflow.id
        runs: set[datetime] = set()
        for expression in expressions:
            sim = CronSim(expression, start)
            runs.update(next(sim) for _ in range(40))
        assert workflow.schedule is not None
        expected = schedules.next_runs(
            workflow.schedule, after=start, count=40, timezone=ZONE, nightly="03:00"
        )
        assert sorted(runs)[:40] == expected, workflow.id


def test_each_workflow_appears_once_per_target(catalog: Catalog) -> None:
    """Every scheduled workflow has one comment in each crontab, one unit pair and one CronJob."""
    files = render(catalog, environment())
    ids = sorted(w.id for w in catalog.workflows)
    for path in ("prod/crontab", "prod/cron.d/wfgen"):
        assert sorted(re.findall(r"^# .* \((\S+)\)$", files[path], re.M)) == ids
    for kind in ("service", "timer"):
        assert (
            sorted(p.split("wfgen-")[1].rsplit(".", 1)[0] for p in files if p.endswith(kind)) == ids
        )
    docs = list(yaml.safe_load_all(files["prod/kubernetes/cronjobs.yaml"]))
    jobs = sorted(
        (
            d["metadata"]["annotations"]["wfgen.dev/workflow-id"],
            d["metadata"]["annotations"].get("wfgen.dev/part", ""),
        )
        for d in docs
    )
    # the window 06:30-20:00 needs three cron lines, hence three CronJobs (parts), each once
    parts = {"tracking": ["1-of-3", "2-of-3", "3-of-3"]}
    assert jobs == sorted((i, p) for i in ids for p in parts.get(i, [""]))
    assert len({d["metadata"]["name"] for d in docs}) == len(docs)


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze not installed (make test installs it)",
)
def test_systemd_analyze_verifies_units(catalog: Catalog, tmp_path: Path) -> None:
    """systemd-analyze verify accepts every generated service and timer."""
    files = render(
        catalog, environment(command=["/bin/true", "50% done", 'it\'s "quoted"', "$HOME", "{id}"])
    )
    units = []
    for path, text in files.items():
        if "/systemd/" in path:
            unit = tmp_path / Path(path).name
            unit.write_text(text)
            units.append(str(unit))
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(units)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    problems = [line for line in result.stderr.splitlines() if "wfgen-" in line]
    assert problems == []


def test_systemd_timer_carries_zone_and_persistence(catalog: Catalog) -> None:
    """Timers name the zone in OnCalendar, are persistent, and describe the workflow by its label."""
    timer = render(catalog, environment())["prod/systemd/wfgen-reportingAggregates.timer"]
    assert f"OnCalendar=*-*-* 02:00:00 {ZONE}\n" in timer
    assert "Persistent=true\n" in timer
    assert "Description=Reporting aggregates (reportingAggregates)\n" in timer


def test_kubernetes_validate_accepts_every_cronjob(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each CronJob validates (strictly) against the newest Kubernetes schema the validator ships."""
    # The validator reads and parses its schema files (the definitions are megabytes of JSON)
    # for every document; here each is read once for all of them. The schemas are only read.
    monkeypatch.setattr(
        kubernetes_validate.utils,
        "schema_contents",
        functools.cache(kubernetes_validate.utils.schema_contents),
    )
    docs = list(yaml.safe_load_all(render(catalog, environment())["prod/kubernetes/cronjobs.yaml"]))
    assert len(docs) == len(catalog.workflows) + 2  # tracking's window is three CronJobs
    version = kubernetes_validate.latest_version()
    for doc in docs:
        kubernetes_validate.validate(doc, version, strict=True)
        assert doc["spec"]["timeZone"] == ZONE
        assert doc["spec"]["concurrencyPolicy"] == "Forbid"
        assert doc["spec"]["startingDeadlineSeconds"] == 600
        assert "*" not in doc["metadata"]["name"]


def test_targets_follow_the_profile(catalog: Catalog) -> None:
    """Only the targets the profile enables are written."""
    files = render(catalog, environment(targets=["crontab"]))
    assert list(files) == ["prod/crontab"]


@pytest.mark.parametrize("arg", ["a\nb", "a\rb", "a\u2028b"])
def test_line_break_in_a_command_is_rejected(catalog: Catalog, arg: str) -> None:
    """A line break in a profile's command is refused, never written into a crontab or unit."""
    with pytest.raises(UsageError, match="line break"):
        render(catalog, environment(command=["/bin/true", arg]))


@pytest.mark.parametrize("field", ["name", "user", "timezone"])
def test_one_word_fields_are_checked(catalog: Catalog, field: str) -> None:
    """Environment name, user and zone cannot carry spaces or line breaks into outputs."""
    with pytest.raises(UsageError):
        render(catalog, environment(**{field: "bad\nvalue"}))


def test_event_schedules_get_no_entries() -> None:
    """Event workflows are started by their trigger: the model refuses to give them a clock."""
    with pytest.raises(UsageError):
        _cron_lines(Schedule(kind="event", trigger="on demand"))


_YAML_TEXT = st.one_of(
    st.sampled_from(
        [
            "",
            "yes",
            "null",
            "~",
            "1",
            "0o17",
            "1.5e3",
            "- x",
            "a: b",
            "#x",
            "'q'",
            '"d"',
            " a",
            "a ",
            "x\ny",
            "\x07",
            "é ü",
            "\u2028",
            "@x",
            "%x",
            "!x",
            "&x",
            "*x",
            "[a]",
            "{a}",
            "a #b",
            "?",
        ]
    ),
    st.text(max_size=30),
    # Long enough for the emitter to wrap at some indentations (built, not drawn: cheap).
    st.builds(lambda n, piece: piece * n, st.integers(300, 400), st.sampled_from(["ab ", "é "])),
)


@given(
    docs=st.lists(
        st.fixed_dictionaries(
            {
                "name": _YAML_TEXT,
                "labels": st.dictionaries(
                    st.sampled_from(["a", "b/c", "wfgenslot0x"]), _YAML_TEXT, max_size=2
                ),
                "spec": st.fixed_dictionaries(
                    {"n": st.one_of(st.none(), st.integers(), st.booleans(), _YAML_TEXT)}
                ),
                "command": st.lists(_YAML_TEXT, max_size=3),
            }
        ),
        max_size=4,
    )
)
@settings(max_examples=examples(100), deadline=None)
def test_cronjobs_text_is_the_yaml_emitters(docs: list[dict[str, Any]]) -> None:
    """The CronJobs file is written as PyYAML's emitter writes the same documents, byte for
    byte, whatever the values (quoted, multi-line, long, unicode, empty lists and mappings, a key
    that reads like a placeholder)."""
    expected = yaml.dump_all(docs, Dumper=_PlainDumper, explicit_start=True, **_DUMP_OPTIONS)
    assert dump_documents(docs) == expected
