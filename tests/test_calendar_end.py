"""Schedules near the ends of the calendar Python's dates cover (0001-01-01 to 9999-12-31)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from click.testing import CliRunner, Result

from generator.cli import cli
from generator.schedules import Schedule
from generator.schedules.runs import SCHEDULERS, next_runs, scheduler_runs
from tests.conftest import CATALOG

ZONES = ["UTC", "America/New_York", "Pacific/Kiritimati", "Europe/Stockholm"]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_runs_stop_at_the_end_of_the_calendar(zone: str, scheduler: str) -> None:
    """The runs left before 9999-12-31 ends, in any zone: none past it, no overflow."""
    after = datetime(9999, 12, 30, 12, tzinfo=UTC)
    runs = scheduler_runs(
        Schedule("hourly"), scheduler=scheduler, after=after, count=200, timezone=zone
    )
    assert runs, "the last day and a half of the calendar has hourly runs"
    assert len(runs) < 200
    assert all(r > after for r in runs)
    assert runs == sorted(runs)
    assert runs[-1].date() == datetime.max.date()


def test_next_runs_after_the_last_run_are_none() -> None:
    """A daily run at 04:00 has no run after 9999-12-31T23:00."""
    after = datetime(9999, 12, 31, 23, tzinfo=UTC)
    assert next_runs(Schedule("daily", at="04:00"), after=after, count=3, timezone="UTC") == []


def test_next_runs_when_after_is_past_the_calendar_in_the_zone() -> None:
    """An instant already in year 10000 in the schedule's zone has no runs, not an error."""
    after = datetime(9999, 12, 31, 23, tzinfo=UTC)
    assert next_runs(Schedule("hourly"), after=after, count=3, timezone="Asia/Tokyo") == []


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_runs_at_the_start_of_the_calendar(scheduler: str) -> None:
    """In a zone ahead of UTC, the first day of year 1 begins before UTC's: its runs that
    fall before 0001-01-01T00:00 UTC are skipped, the later ones listed."""
    after = datetime(1, 1, 1, tzinfo=UTC)
    runs = scheduler_runs(
        Schedule("hourly", minute=0),
        scheduler=scheduler,
        after=after,
        count=3,
        timezone="Etc/GMT-9",  # UTC+09:00
    )
    assert [r.astimezone(UTC).isoformat() for r in runs] == [
        "0001-01-01T01:00:00+00:00",
        "0001-01-01T02:00:00+00:00",
        "0001-01-01T03:00:00+00:00",
    ]


def _explain_after(after: str) -> Result:
    return CliRunner().invoke(
        cli,
        ["schedule", "explain", "cleanup", "--after", after, "--catalog", str(CATALOG)],
        catch_exceptions=False,
    )


@pytest.mark.parametrize("after", ["9999-12-31T23:00", "9999-12-31T23:00+05:00"])
def test_explain_at_the_end_of_the_calendar(after: str) -> None:
    """`schedule explain --after` late in year 9999 lists the runs left: exit 0."""
    result = _explain_after(after)
    assert result.exit_code == 0, result.output
    assert "next 0 run(s) in UTC:" in result.output


@pytest.mark.parametrize("after", ["9999-12-31T23:59-10:00", "0001-01-01T00:00+05:00"])
def test_explain_after_a_time_outside_the_calendar_is_a_usage_error(after: str) -> None:
    """An --after whose UTC instant does not exist is refused in one line, exit 2."""
    result = _explain_after(after)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"wfgen: error: --after {after!r} is outside the times there are "
        "(0001-01-01T00:00:00 to 9999-12-31T23:59:59 UTC)"
    ]
