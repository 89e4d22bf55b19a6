"""`schedule explain` says what each scheduler really does; findings sit at their schedule.

Also: placeholders filled in generated labels, and time-of-day pattern failures as sentences.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.load.catalog import validate_paths
from generator.load.profiles import load_environment, load_environments
from generator.schedule_lint import lint_environment
from tests.bundled_build import bundled_build
from tests.conftest import CATALOG, bundled_catalog


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def explain(workflow: str, *args: str) -> tuple[int, str]:
    return run("schedule", "explain", workflow, "--catalog", "catalog", *args)


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the project root, as a user does, so paths read catalog/..."""
    monkeypatch.chdir(CATALOG.parent)


def test_disabled_workflow_is_not_scheduled_text() -> None:
    """billing is disabled on staging: explain says so, by which line, and lists no runs."""
    code, out = explain("billing", "--env", "staging")
    assert code == 0, out
    lines = out.splitlines()
    reason = next(x for x in lines if x.startswith("  not scheduled:"))
    assert reason.startswith(
        "  not scheduled: disabled by the profile (catalog/environments/staging.yaml:"
    )
    assert reason.endswith(
        ": Staging must not send system activity reports to the billing operator"
    )
    assert "  next runs: none" in lines
    assert not any(x.startswith("    20") for x in lines)  # no dated run lines


def test_disabled_workflow_is_not_scheduled_json() -> None:
    """The JSON carries scheduled: false, the reason, and no runs for any scheduler."""
    code, out = explain("billing", "--env", "staging", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["scheduled"] is False
    assert data["reason"].startswith("disabled by the profile (")
    assert data["next"] == [] and data["next_by_scheduler"] == {} and data["differences"] == []


def test_not_installed_module_is_not_scheduled() -> None:
    """A workflow of a module staging does not install: not scheduled, module named."""
    code, out = explain("webAnalyticsGetWebEvents", "--env", "staging", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["scheduled"] is False
    assert data["reason"] == "module web-analytics is not installed on environment staging"
    assert data["next"] == []
    code, out = explain("webAnalyticsGetWebEvents", "--env", "staging")
    assert "  not scheduled: module web-analytics is not installed on environment staging" in out


def test_scheduled_workflow_says_so() -> None:
    """A workflow that runs there: scheduled true, no reason, runs per scheduler."""
    code, out = explain(
        "cleanup", "--env", "staging", "--format", "json", "--after", "2026-01-01T00:00:00Z"
    )
    assert code == 0
    data = json.loads(out)
    assert data["scheduled"] is True and data["reason"] is None
    assert set(data["next_by_scheduler"]) == {"cron", "systemd", "kubernetes"}
    assert data["next_by_scheduler"]["cron"] == data["next"]


def test_spring_forward_day_lists_each_scheduler() -> None:
    """reportingAggregates at 02:00 Stockholm: cron runs at 03:00, systemd and Kubernetes skip."""
    code, out = explain(
        "reportingAggregates",
        "--env",
        "prod-marketing",
        "--next",
        "3",
        "--after",
        "2026-03-27T00:00:00Z",
    )
    assert code == 0, out
    runs = out.split("run(s) in Europe/Stockholm:\n", 1)[1].splitlines()
    assert runs[:5] == [
        "    2026-03-27 02:00 Fri (UTC+0100)",
        "    2026-03-28 02:00 Sat (UTC+0100)",
        "    2026-03-29 03:00 Sun (UTC+0200)  cron only",
        "    2026-03-30 02:00 Mon (UTC+0200)",
        "  note: on 2026-03-29 the clocks go forward (02:00 -> 03:00): cron runs it at 03:00 "
        "(UTC+0200); systemd and kubernetes skip it",
    ]


def test_fall_back_day_in_json() -> None:
    """On the autumn change Kubernetes runs 02:00 twice; cron and systemd once."""
    code, out = explain(
        "reportingAggregates",
        "--env",
        "prod-marketing",
        "--next",
        "3",
        "--after",
        "2026-10-24T00:00:00Z",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["next_by_scheduler"]["kubernetes"] == [
        "2026-10-25T02:00:00+02:00",
        "2026-10-25T02:00:00+01:00",
        "2026-10-26T02:00:00+01:00",
    ]
    assert data["next_by_scheduler"]["cron"] == data["next"] == data["next_by_scheduler"]["systemd"]
    (difference,) = data["differences"]
    assert difference["date"] == "2026-10-25"
    assert difference["runs"]["kubernetes"] == [
        "2026-10-25T02:00:00+02:00",
        "2026-10-25T02:00:00+01:00",
    ]
    assert difference["note"] == (
        "on 2026-10-25 the clocks go back (03:00 -> 02:00): kubernetes runs it again at 02:00 "
        "(UTC+0100); cron and systemd run it once"
    )


def test_no_difference_in_utc() -> None:
    """staging runs on UTC: no clock change, no note."""
    code, out = explain(
        "reportingAggregates", "--env", "staging", "--after", "2026-03-27T00:00:00Z"
    )
    assert code == 0
    assert "note: on" not in out and " only" not in out


def test_dst_warnings_point_at_the_schedule() -> None:
    """The DST warnings about reportingAggregates sit at its catalogue schedule, not the profile."""
    catalog = bundled_catalog()
    (environment,) = load_environments(CATALOG / "environments", ["prod-marketing"])
    problems = lint_environment(environment=environment, catalog=catalog, start=date(2026, 1, 1))
    dst = [p for p in problems if p.subject == "reportingAggregates" and "dst" in p.code]
    assert {p.code for p in dst} == {"schedule-dst-gap", "schedule-dst-fold"}
    source = CATALOG / "workflows" / "deliveries.yaml"
    lines = source.read_text("utf-8").splitlines()
    for problem in dst:
        assert problem.location.file == str(source)
        line = lines[problem.location.line - 1]
        assert line[problem.location.col - 1 :] == "schedule:"  # the entry's schedule key
        assert problem.to_json()["id"] == "reportingAggregates"


def test_override_warning_points_at_the_override(tmp_path: Path) -> None:
    """A schedule set by a profile override is reported at the override's schedule."""
    profile = tmp_path / "environments" / "p.yaml"
    profile.parent.mkdir()
    text = (CATALOG / "environments" / "prod-marketing.yaml").read_text("utf-8")
    text = text.replace(
        "  overrides:\n",
        '  overrides:\n    cleanup:\n      schedule: {kind: daily, at: "02:30"}\n',
        1,
    )
    profile.write_text(text, "utf-8")
    catalog = bundled_catalog()
    environment = load_environment(profile)
    problems = lint_environment(environment=environment, catalog=catalog, start=date(2026, 1, 1))
    (gap,) = [p for p in problems if p.subject == "cleanup" and p.code == "schedule-dst-gap"]
    line = text.splitlines()[gap.location.line - 1]
    assert gap.location.file == str(profile)
    assert line[gap.location.col - 1 :].startswith('schedule: {kind: daily, at: "02:30"}')


def test_placeholders_filled_in_generated_labels(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """mcSynch_<external_account_name>'s label reads the account name in every output."""
    out = bundled_build(tmp_path_factory, env="prod-marketing", locale="en")
    crontab = (out / "prod-marketing" / "crontab").read_text("utf-8")
    assert "# Message Center mc_exec_sto01 (mcSynch_mc_exec_sto01)" in crontab
    assert "# Message Center mc_exec_sto02 (mcSynch_mc_exec_sto02)" in crontab
    service = (
        out / "prod-marketing" / "systemd" / "wfgen-mcSynch_mc_exec_sto01.service"
    ).read_text("utf-8")
    assert "Description=Message Center mc_exec_sto01 (mcSynch_mc_exec_sto01)" in service
    generated = [p.read_text("utf-8") for p in (out / "prod-marketing").rglob("*") if p.is_file()]
    assert not any("<external_account_name>" in t for t in generated)
    _, said = explain("mcSynch_mc_exec_sto02", "--env", "prod-marketing")
    assert said.startswith("mcSynch_mc_exec_sto02: Message Center mc_exec_sto02\n")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2:00", "time '2:00' must be HH:MM, 00:00 to 23:59; write '02:00'"),
        ("7.30", "time '7.30' must be HH:MM, 00:00 to 23:59; write '07:30'"),
        ("24:00", "time '24:00' must be HH:MM, 00:00 to 23:59"),
        ("7am", "time '7am' must be HH:MM, 00:00 to 23:59"),
    ],
)
def test_time_pattern_failure_is_a_sentence(tmp_path: Path, value: str, message: str) -> None:
    """A mistyped time reads as a sentence with the fix, not as the regular expression."""
    path = tmp_path / "catalog.yaml"
    path.write_text(
        "module: deliveries\nworkflows:\n  - id: a\n    label: A\n    description: D.\n"
        "    package: Delivery\n    products: [v8]\n    status: active\n"
        f'    schedule: {{kind: daily, at: "{value}"}}\n',
        "utf-8",
    )
    (problem,) = validate_paths([path])
    assert problem.message == message
    assert (problem.location.line, problem.location.col) == (9, 33)


def test_obsolete_workflow_is_not_scheduled_anywhere() -> None:
    """An obsolete workflow lists no runs, even without an environment, and names its successor."""
    code, out = explain("billingActiveContactCount", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["scheduled"] is False and data["next"] == []
    assert data["reason"] == "obsolete, no longer installed; replaced by billing"
