"""`wfgen schedule explain` and `wfgen schedule lint` from the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import CATALOG

AFTER = "2026-03-27T00:00:00+00:00"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def no_po(tmp_path: Path) -> str:
    """A locales folder without PO files: phrases come from the bundled seed."""
    return str(tmp_path / "locales")


def test_explain_cleanup_paused_workflows_in_swedish(no_po: str) -> None:
    """Every form, a Swedish sentence and the next runs in UTC without an environment."""
    code, out = run(
        "schedule",
        "explain",
        "cleanupPausedWorkflows",
        "--locale",
        "sv",
        "--next",
        "3",
        "--after",
        AFTER,
        "--catalog",
        str(CATALOG),
        "--locales",
        no_po,
    )
    assert code == 0, out
    assert "sentence (sv): varje måndag kl. 05:00" in out
    assert "cron:       0 5 * * 1" in out
    assert "systemd:    OnCalendar=Mon *-*-* 05:00:00 UTC" in out
    assert 'kubernetes: schedule: "0 5 * * 1", timeZone: UTC' in out
    assert "2026-03-30 05:00 Mon (UTC+0000)" in out
    assert "2026-04-13 05:00 Mon" in out


@pytest.mark.parametrize(
    ("locale", "ordinal"),
    [
        ("en", "on the 25th of every month"),
        ("sv", "den 25:e varje månad"),
        ("de", "am 25. jedes Monats"),
        ("it", "il 25 di ogni mese"),
    ],
)
def test_explain_billing_ordinal(locale: str, ordinal: str, no_po: str) -> None:
    """billing's day of the month has the locale's ordinal; the profile's nightly time completes it."""
    code, out = run(
        "schedule",
        "explain",
        "billing",
        "--locale",
        locale,
        "--catalog",
        str(CATALOG),
        "--locales",
        no_po,
        "--after",
        AFTER,
    )
    assert code == 0, out
    assert ordinal in out
    assert "not available" in out  # no environment: no time for the monthly run
    code, out = run(
        "schedule",
        "explain",
        "billing",
        "--env",
        "staging",
        "--locale",
        locale,
        "--catalog",
        str(CATALOG),
        "--locales",
        no_po,
        "--format",
        "json",
        "--after",
        AFTER,
    )
    assert code == 0
    data = json.loads(out)
    assert data["schedule"] is not None and "disabled by" in " ".join(data["notes"])


def test_explain_with_environment_json(no_po: str) -> None:
    """With --env the zone, nightly time and overrides of the profile apply."""
    code, out = run(
        "schedule",
        "explain",
        "billing",
        "--env",
        "prod-marketing",
        "--locale",
        "it",
        "--next",
        "2",
        "--format",
        "json",
        "--after",
        AFTER,
        "--catalog",
        str(CATALOG),
        "--locales",
        no_po,
    )
    assert code == 0, out
    data = json.loads(out)
    assert data["sentence"] == "il 25 di ogni mese alle 06:00" and data["fallback"] is False
    assert data["kubernetes"] == {"schedule": "0 6 25 * *", "timeZone": "Europe/Stockholm"}
    assert data["systemd"] == ["*-*-25 06:00:00 Europe/Stockholm"]
    assert data["next"] == ["2026-04-25T06:00:00+02:00", "2026-05-25T06:00:00+02:00"]


def test_explain_unknown_workflow_suggests(no_po: str) -> None:
    """A misspelt id is a usage error (exit 2) with a suggestion."""
    result = CliRunner().invoke(
        cli, ["schedule", "explain", "cleanupPausedWorkflow", "--catalog", str(CATALOG)]
    )
    assert result.exit_code == 2
    assert "did you mean cleanupPausedWorkflows" in result.output


def test_lint_warns_and_fails_only_on_errors(tmp_path: Path) -> None:
    """Warnings exit 0; a nightly workflow without a nightly time exits 1 naming it."""
    code, out = run("schedule", "lint", "--env", "prod-marketing", "--catalog", str(CATALOG))
    assert code == 0, out
    assert "schedule-dst-gap" in out and "reportingAggregates" in out
    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG, copy)
    profile = copy / "environments" / "prod-marketing.yaml"
    profile.write_text(
        profile.read_text("utf-8").replace('nightly: "01:30"', "nightly: null"), "utf-8"
    )
    code, out = run("schedule", "lint", "--env", "prod-marketing", "--catalog", str(copy))
    assert code == 1
    assert "error schedule-nightly-missing: deliverabilityUpdate" in out
