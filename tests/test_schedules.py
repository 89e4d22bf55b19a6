"""The schedule model's forms (cron, systemd, Kubernetes), next runs and lint."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from generator import schedules
from generator.errors import Severity, UsageError
from generator.load.profiles import load_environment
from generator.schedule_lint import lint_environment
from generator.schedules import Schedule, Window
from generator.schedules.cron import CronSyntaxError, parse_cron
from tests.conftest import CATALOG, bundled_catalog

START = date(2026, 1, 1)

FORMS = [
    # schedule, cron lines, systemd lines (without zone)
    (Schedule("hourly"), ["0 * * * *"], ["*-*-* *:00:00"]),
    (Schedule("hourly", minute=7), ["7 * * * *"], ["*-*-* *:07:00"]),
    (Schedule("every", minutes=15), ["*/15 * * * *"], ["*-*-* *:00/15:00"]),
    (Schedule("every", minutes=1), ["* * * * *"], ["*-*-* *:*:00"]),
    (Schedule("every", hours=6), ["0 */6 * * *"], ["*-*-* 00/6:00:00"]),
    (
        Schedule("every", hours=6, between=Window("01:00", "00:00")),
        ["0 1,7,13,19 * * *"],
        ["*-*-* 01,07,13,19:00:00"],
    ),
    (
        Schedule("every", minutes=20, between=Window("08:00", "17:59")),
        ["*/20 8-17 * * *"],
        ["*-*-* 08..17:00/20:00"],
    ),
    (
        Schedule("every", minutes=15, between=Window("08:10", "10:30")),
        ["10,25,40,55 8-9 * * *", "10,25 10 * * *"],
        ["*-*-* 08,09:10,25,40,55:00", "*-*-* 10:10,25:00"],
    ),
    (Schedule("daily", at="02:00"), ["0 2 * * *"], ["*-*-* 02:00:00"]),
    (Schedule("weekly", weekday="monday", at="05:00"), ["0 5 * * 1"], ["Mon *-*-* 05:00:00"]),
    (Schedule("weekly", weekday="sunday", at="23:59"), ["59 23 * * 0"], ["Sun *-*-* 23:59:00"]),
    (Schedule("monthly", day=25, at="06:00"), ["0 6 25 * *"], ["*-*-25 06:00:00"]),
    (Schedule("cron", expression="0  3 * *  1-5"), ["0 3 * * 1-5"], ["Mon..Fri *-*-* 03:00:00"]),
    (
        Schedule("cron", expression="0 0 1,15 * 1"),
        ["0 0 1,15 * 1"],
        ["*-*-01,15 00:00:00", "Mon *-*-* 00:00:00"],
    ),
    (Schedule("cron", expression="30 4 L * *"), ["30 4 L * *"], ["*-*~01 04:30:00"]),
    (Schedule("cron", expression="0 12 * * 5L"), ["0 12 * * 5L"], ["Fri *-*~07/1 12:00:00"]),
    (Schedule("cron", expression="15 10 * * 1#2"), ["15 10 * * 1#2"], ["Mon *-*-08..14 10:15:00"]),
]


@pytest.mark.parametrize(
    ("schedule", "cron", "systemd"), FORMS, ids=[f[0].kind + str(i) for i, f in enumerate(FORMS)]
)
def test_forms(schedule: Schedule, cron: list[str], systemd: list[str]) -> None:
    """Each kind renders to the expected cron lines and OnCalendar expressions."""
    assert schedules.to_cron_lines(schedule) == cron
    assert schedules.to_systemd(schedule) == systemd
    assert schedules.to_systemd(schedule, timezone="Europe/Stockholm") == [
        f"{s} Europe/Stockholm" for s in systemd
    ]


def test_nightly_takes_the_environment_time() -> None:
    """Nightly and time-less monthly schedules use the profile's nightly time, and need one."""
    assert schedules.to_cron(Schedule("nightly"), nightly="01:30") == "30 1 * * *"
    assert schedules.to_cron(Schedule("monthly", day=25), nightly="01:30") == "30 1 25 * *"
    assert schedules.to_systemd(Schedule("nightly"), nightly="01:30", timezone="UTC") == [
        "*-*-* 01:30:00 UTC"
    ]
    for schedule in (Schedule("nightly"), Schedule("monthly", day=25)):
        with pytest.raises(UsageError, match="no nightly time"):
            schedules.to_cron(schedule)
        with pytest.raises(UsageError, match="nightly"):
            schedules.next_runs(
                schedule, after=datetime(2026, 1, 1, tzinfo=UTC), count=1, timezone="UTC"
            )


def test_kubernetes_form() -> None:
    """Kubernetes gets the cron expression and the zone; a multi-line window cannot be one CronJob."""
    weekly = Schedule("weekly", weekday="monday", at="05:00")
    assert schedules.to_kubernetes(weekly, timezone="Europe/Stockholm") == {
        "schedule": "0 5 * * 1",
        "timeZone": "Europe/Stockholm",
    }
    with pytest.raises(UsageError, match="2 cron lines"):
        schedules.to_kubernetes(
            Schedule("every", minutes=15, between=Window("08:10", "10:30")), timezone="UTC"
        )
    with pytest.raises(UsageError, match="unknown time zone"):
        schedules.to_kubernetes(weekly, timezone="Mars/Olympus_Mons")


def test_events_are_not_timed() -> None:
    """An event schedule has no timer form and no next runs."""
    event = Schedule("event", trigger="an approval signal is received")
    for render in (schedules.to_cron, schedules.to_systemd):
        with pytest.raises(UsageError, match="not driven by the clock"):
            render(event)
    with pytest.raises(UsageError, match="not driven by the clock"):
        schedules.next_runs(event, after=datetime(2026, 1, 1, tzinfo=UTC), count=1, timezone="UTC")


def test_raw_cron_systemd_cannot_say_lw() -> None:
    """Where OnCalendar cannot express raw cron, the error says why."""
    with pytest.raises(UsageError, match=r"'LW'.*no OnCalendar equivalent"):
        schedules.to_systemd(Schedule("cron", expression="0 0 LW * *"))


def test_next_runs_needs_an_aware_time() -> None:
    """A naive datetime is refused rather than guessed."""
    with pytest.raises(UsageError, match="aware"):
        schedules.next_runs(Schedule("hourly"), after=datetime(2026, 1, 1), count=1, timezone="UTC")


def test_next_runs_over_the_clock_changes() -> None:
    """A skipped local time does not fire; a repeated one fires once, at its first occurrence."""
    after = datetime(2026, 3, 28, 12, tzinfo=UTC)
    runs = schedules.next_runs(
        Schedule("daily", at="02:30"), after=after, count=2, timezone="Europe/Stockholm"
    )
    assert [r.isoformat() for r in runs] == [
        "2026-03-30T02:30:00+02:00",
        "2026-03-31T02:30:00+02:00",
    ]
    after = datetime(2026, 10, 24, 12, tzinfo=UTC)
    runs = schedules.next_runs(
        Schedule("daily", at="02:30"), after=after, count=2, timezone="Europe/Stockholm"
    )
    assert [r.isoformat() for r in runs] == [
        "2026-10-25T02:30:00+02:00",
        "2026-10-26T02:30:00+01:00",
    ]


def test_window_end_before_start_is_refused() -> None:
    """A window that ends before it starts is a usage error, not an empty schedule."""
    with pytest.raises(UsageError, match="ends before it starts"):
        schedules.to_cron(Schedule("every", hours=2, between=Window("10:00", "08:00")))


@pytest.mark.parametrize(
    ("expression", "error"),
    [
        ("0 0 * *", "5 fields"),
        ("60 * * * *", "minute"),
        ("0 0 5-1 * *", "backwards"),
        ("0 0 * * 1#6", "occurrence"),
        ("0 0 * * */0", "step"),
    ],
)
def test_cron_parser_names_the_field(expression: str, error: str) -> None:
    """Our cron parser says which field it does not understand."""
    with pytest.raises(CronSyntaxError, match=error):
        parse_cron(expression)


# --- lint ----------------------------------------------------------------------------------


def _profile(tmp_path: Path, **changes: Any) -> Path:
    """A copy of the production profile with some keys changed."""
    import yaml

    data = yaml.safe_load((CATALOG / "environments" / "prod-marketing.yaml").read_text("utf-8"))
    data["environment"].update(changes)
    path = tmp_path / "environments" / "test-env.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def catalog() -> Any:
    return bundled_catalog()


def _codes(problems: list[Any], code: str) -> dict[str, str]:
    return {p.subject: p.message for p in problems if p.code == code}


def test_dst_warning_in_stockholm_not_in_utc(tmp_path: Path, catalog: Any) -> None:
    """The 02:00 workflows warn in Europe/Stockholm (skipped and repeated hour), and not in UTC."""
    stockholm = load_environment(_profile(tmp_path, timezone="Europe/Stockholm"))
    problems = lint_environment(environment=stockholm, catalog=catalog, start=START)
    gaps = _codes(problems, "schedule-dst-gap")
    folds = _codes(problems, "schedule-dst-fold")
    two_am = {
        item.id
        for item in stockholm.scheduled(catalog)
        if schedules.wall_times(item.schedule, START, nightly=stockholm.nightly) == [(2, 0)]
    }
    assert two_am, "the catalogue has daily 02:00 workflows"
    assert two_am <= set(gaps) and two_am <= set(folds)
    message = gaps[sorted(two_am)[0]]
    assert "02:00 does not exist in Europe/Stockholm" in message
    assert "the last Sunday of March" in message
    assert "cron runs it right after the change, at 03:00" in message
    assert "systemd skips it" in message and "Kubernetes CronJob skips it" in message
    assert "runs it twice" in folds[sorted(two_am)[0]]
    assert all(
        p.severity is Severity.WARNING for p in problems if p.code.startswith("schedule-dst")
    )
    utc = load_environment(_profile(tmp_path, timezone="UTC"))
    assert not [
        p
        for p in lint_environment(environment=utc, catalog=catalog, start=START)
        if "dst" in p.code
    ]


def test_missing_nightly_time_is_an_error_naming_the_workflow(tmp_path: Path, catalog: Any) -> None:
    """A nightly workflow on a profile without a nightly time is an error with its id."""
    environment = load_environment(_profile(tmp_path, nightly=None))
    problems = lint_environment(environment=environment, catalog=catalog, start=START)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert errors and {p.code for p in errors} == {"schedule-nightly-missing"}
    assert "deliverabilityUpdate" in {p.subject for p in errors}
    assert all(p.subject in p.message and p.location.file.endswith("test-env.yaml") for p in errors)


def test_lint_of_overrides(tmp_path: Path, catalog: Any) -> None:
    """Raw cron with both day fields, day 29-31, pile-ups and unknown ids are warned about."""
    environment = load_environment(
        _profile(
            tmp_path,
            overrides={
                "cleanup": {"schedule": {"kind": "cron", "expression": "0 4 1 * 1"}},
                "aliasCleansing": {"schedule": {"kind": "monthly", "day": 31, "at": "03:10"}},
                "noSuchWorkflow": {"disabled": True},
            },
        )
    )
    problems = lint_environment(environment=environment, catalog=catalog, start=START)
    assert "EITHER" in _codes(problems, "cron-dom-dow")["cleanup"]
    assert "some months lack" in _codes(problems, "schedule-short-month")["aliasCleansing"]
    assert "noSuchWorkflow" in _codes(problems, "environment-unknown-workflow")
    crowd = [p for p in problems if p.code == "schedule-same-minute"]
    assert crowd and all(len(p.extra["ids"]) >= 3 for p in crowd)  # type: ignore[arg-type]
    overridden = [p for p in problems if p.subject == "cleanup"]
    assert all(p.location.line > 1 for p in overridden), "points at the override's line"
    quiet = lint_environment(environment=environment, catalog=catalog, start=START, same_minute=50)
    assert not [p for p in quiet if p.code == "schedule-same-minute"]
