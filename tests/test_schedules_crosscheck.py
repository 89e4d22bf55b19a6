"""Cron (cronsim), systemd (systemd-analyze) and the model's own next_runs agree on 200 runs."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from cronsim import CronSim
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator import schedules
from generator.load.catalog import load_catalog
from generator.load.profiles import load_environments
from generator.schedule_lint import clock_changes
from generator.schedules import WEEKDAYS, Schedule, Window
from tests.conftest import CATALOG, examples

RUNS = 200
# Bases next to the clock changes of 2026 and before a leap day, so every schedule
# kind meets a skipped hour, a repeated hour and February 29 within its 200 runs.
BASES = (
    datetime(2026, 3, 28, 12, 0),
    datetime(2026, 10, 24, 12, 0),
    datetime(2024, 2, 27, 0, 0),
)

needs_systemd = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (the Makefile's test target installs package systemd)",
)

_STAMP = r"\w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC$"
_LOCAL = re.compile(rf"^\s*(?:Next elapse|Iter\. #\d+): {_STAMP}", re.MULTILINE)
_IN_UTC = re.compile(rf"^\s*\(in UTC\): {_STAMP}", re.MULTILINE)


def _zone_of(expression: str) -> tuple[str, str]:
    """(zone, expression without it) for a spec ending in a zone other than UTC (systemd
    computes UTC itself), else ("UTC", expression)."""
    head, _, last = expression.rpartition(" ")
    if head and "/" in last:
        try:
            ZoneInfo(last)
        except (ValueError, KeyError):
            pass
        else:
            return last, head
    return "UTC", expression


class SystemdCalendar:
    """``systemd-analyze calendar`` answers, asked in as few processes as possible.

    systemd evaluates a spec with a zone (``... Europe/Stockholm``) by setting TZ to the zone
    in a child process, once per elapse: 0.3 s for 200 runs of one spec. The same spec without
    the zone, in a process whose TZ is the zone, is that computation without the forks, and
    one process takes every spec of a zone and base time. ``verify`` (run when the module's
    tests end) checks, on the next elapse of every spec asked for, that systemd reads the
    form with the zone the same way.
    """

    def __init__(self) -> None:
        self._runs: dict[tuple[str, int, int], list[datetime]] = {}
        self._first: dict[tuple[str, int], list[datetime]] = {}  # specs with a zone, to verify

    @staticmethod
    def _ask(
        expressions: Sequence[str], *, zone: str, base: int, count: int
    ) -> list[list[datetime]]:
        out = subprocess.run(
            [
                "systemd-analyze",
                "calendar",
                f"--iterations={count}",
                f"--base-time=@{base}",
                *expressions,
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "TZ": zone, "LC_ALL": "C"},
        ).stdout
        blocks = re.split(r"\n\s*\n", out.strip())
        assert len(blocks) == len(expressions), out
        return [
            [
                datetime.fromisoformat(m).replace(tzinfo=UTC)  # "YYYY-MM-DD HH:MM:SS"
                for m in (_IN_UTC.findall(block) or _LOCAL.findall(block))
            ]
            for block in blocks
        ]

    def prefetch(self, wanted: Iterable[tuple[Sequence[str], datetime]], *, count: int) -> None:
        """Ask for every (expressions, after) at once: one process per zone and base time."""
        groups: dict[tuple[str, int], dict[str, str]] = {}
        for expressions, after in wanted:
            base = int(after.timestamp())
            for expression in expressions:
                if (expression, base, count) not in self._runs:
                    zone, bare = _zone_of(expression)
                    groups.setdefault((zone, base), {})[expression] = bare
        for (zone, base), specs in groups.items():
            answers = self._ask(list(specs.values()), zone=zone, base=base, count=count)
            for expression, runs in zip(specs, answers, strict=True):
                self._runs[expression, base, count] = runs
                if expression != specs[expression]:
                    self._first.setdefault((expression, base), runs[:1])

    def verify(self) -> None:
        """Every spec with its zone, read by systemd itself, elapses first where asked without."""
        by_base: dict[int, list[str]] = {}
        for expression, base in self._first:
            by_base.setdefault(base, []).append(expression)
        for base, expressions in by_base.items():
            firsts = self._ask(expressions, zone="UTC", base=base, count=1)
            for expression, first in zip(expressions, firsts, strict=True):
                assert first == self._first[expression, base], (expression, base)
        self._first.clear()

    def runs(self, expressions: Sequence[str], *, after: datetime, count: int) -> list[datetime]:
        """The next ``count`` elapses of a timer with these OnCalendar= lines, by systemd."""
        self.prefetch([(expressions, after)], count=count)
        base = int(after.timestamp())
        found = {t for e in expressions for t in self._runs[e, base, count]}
        return sorted(found)[:count]


SYSTEMD = SystemdCalendar()


@pytest.fixture(scope="module", autouse=True)
def _verify_zones() -> Iterator[None]:
    yield
    if shutil.which("systemd-analyze"):
        SYSTEMD.verify()


def systemd_runs(expressions: Sequence[str], *, after: datetime, count: int) -> list[datetime]:
    """The next ``count`` elapses of a timer with these OnCalendar= lines, by systemd itself."""
    return SYSTEMD.runs(expressions, after=after, count=count)


def cron_runs(
    lines: Sequence[str], *, after: datetime, timezone: str, count: int
) -> list[datetime]:
    """The next ``count`` runs of these crontab lines, by cronsim (Debian cron semantics)."""
    return list(_cron_runs(tuple(lines), after, timezone, count))


# Profiles share schedules (nine workflows run hourly; staging's zone is UTC), so the same
# question comes back across cases: each distinct one is answered once per process.
@functools.cache
def _cron_runs(
    lines: tuple[str, ...], after: datetime, timezone: str, count: int
) -> tuple[datetime, ...]:
    start = after.astimezone(ZoneInfo(timezone))
    found: set[datetime] = set()
    for line in lines:
        sim = CronSim(line, start)
        for _ in range(count):
            found.add(next(sim).astimezone(UTC))
    return tuple(sorted(found)[:count])


def model_runs(
    schedule: Schedule, *, after: datetime, timezone: str, nightly: str | None
) -> list[datetime]:
    return list(_model_runs(schedule, after, timezone, nightly))


@functools.cache
def _model_runs(
    schedule: Schedule, after: datetime, timezone: str, nightly: str | None
) -> tuple[datetime, ...]:
    runs = schedules.next_runs(
        schedule, after=after, count=RUNS, timezone=timezone, nightly=nightly
    )
    return tuple(r.astimezone(UTC) for r in runs)


@functools.cache
def _changed_days(timezone: str) -> frozenset[date]:
    days: set[date] = set()
    for year in (2024, 2025, 2026, 2027):
        days |= {c.day for c in clock_changes(ZoneInfo(timezone), start=date(year, 1, 1), days=366)}
    return frozenset(days)


def check_agree(
    schedule: Schedule, *, timezone: str, nightly: str | None, after: datetime
) -> set[datetime]:
    """Assert systemd == model exactly; return the instants where cron differs from the model."""
    model = model_runs(schedule, after=after, timezone=timezone, nightly=nightly)
    calendar = schedules.to_systemd(schedule, nightly=nightly, timezone=timezone)
    # A schedule that fires rarely (February 29) may give fewer runs within the model's horizon.
    assert systemd_runs(calendar, after=after, count=RUNS)[: len(model)] == model, calendar
    cron = cron_runs(
        schedules.to_cron_lines(schedule, nightly=nightly),
        after=after,
        timezone=timezone,
        count=len(model),
    )
    horizon = min(model[-1], cron[-1])
    return {t for t in set(model) ^ set(cron) if t <= horizon}


@functools.cache
def _bundled() -> list[tuple[str, str, Schedule, str, str | None]]:
    """(environment, id, schedule, zone, nightly) of every scheduled workflow of every profile."""
    catalog, _ = load_catalog([CATALOG])
    out = []
    for environment in load_environments(CATALOG / "environments"):
        for item in environment.scheduled(catalog):
            out.append(
                (
                    environment.name,
                    item.id,
                    item.schedule,
                    environment.timezone,
                    environment.nightly,
                )
            )
    return out


def _bundled_ids() -> list[str]:
    return [f"{env}:{wid}" for env, wid, *_ in _bundled()]


@pytest.fixture(scope="module")
def bundled_runs() -> None:
    """systemd's runs of every bundled schedule, in UTC and its zone, from every base, at once."""
    wanted: list[tuple[Sequence[str], datetime]] = []
    for _, _, schedule, timezone, nightly in _bundled():
        for zone in ("UTC", timezone):
            calendar = schedules.to_systemd(schedule, nightly=nightly, timezone=zone)
            wanted += [(calendar, base.replace(tzinfo=ZoneInfo(zone))) for base in BASES]
    SYSTEMD.prefetch(wanted, count=RUNS)


def test_the_bundled_profiles_schedule_something() -> None:
    """The cross-check below is not vacuous: the shipped profiles schedule workflows."""
    assert len(_bundled()) >= 10


@needs_systemd
@pytest.mark.usefixtures("bundled_runs")
@pytest.mark.parametrize("case", _bundled(), ids=_bundled_ids())
def test_bundled_schedules_agree_in_utc(case: tuple[str, str, Schedule, str, str | None]) -> None:
    """Without clock changes cron, systemd and the model give the same 200 runs, from every base."""
    _, _, schedule, _, nightly = case
    for base in BASES:
        assert (
            check_agree(schedule, timezone="UTC", nightly=nightly, after=base.replace(tzinfo=UTC))
            == set()
        )


@needs_systemd
@pytest.mark.usefixtures("bundled_runs")
@pytest.mark.parametrize("case", _bundled(), ids=_bundled_ids())
def test_bundled_schedules_agree_in_their_zone(
    case: tuple[str, str, Schedule, str, str | None],
) -> None:
    """In the profile's zone systemd and the model agree exactly; cron differs only on clock-change days."""
    _, _, schedule, timezone, nightly = case
    tz = ZoneInfo(timezone)
    changed = _changed_days(timezone)
    for base in BASES:
        differ = check_agree(
            schedule, timezone=timezone, nightly=nightly, after=base.replace(tzinfo=tz)
        )
        assert {t.astimezone(tz).date() for t in differ} <= changed


# --- generated schedules ----------------------------------------------------------------

times = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))


@st.composite
def windows(draw: st.DrawFn) -> Window | None:
    if draw(st.booleans()):
        return None
    start = draw(times)
    end = draw(st.one_of(st.just("00:00"), times.filter(lambda t: t > start)))
    return Window(start, end)


# Built once: a sampled_from of a list is a new strategy at every draw.
_FIELD_KINDS = st.sampled_from(["star", "one", "range", "list", "step", "range-step"])
_MINUTES = st.sampled_from(["0", "5", "30", "*/15", "0,30", "10-50/20"])
_MONTHS = st.sampled_from(["*", "*", "1,7", "2-11", "*/3"])
_WEEKDAYS = st.sampled_from(["*", "*", "1", "1-5", "0,6", "MON-FRI", "sun", "*/2", "7"])


@st.composite
def cron_expressions(draw: st.DrawFn) -> str:
    def field(low: int, high: int, *, star_ok: bool = True) -> str:
        kind = draw(_FIELD_KINDS)
        # Ranges have at least two values: cronsim reads "21-21/2" like "21/2" (21 and 23),
        # where Debian cron, Kubernetes and we read it as 21 only.
        a = draw(st.integers(low, high - 1))
        b = draw(st.integers(a + 1, high))
        if kind == "star" and star_ok:
            return "*"
        if kind == "one":
            return str(a)
        if kind == "range":
            return f"{a}-{b}"
        if kind == "list":
            values = draw(st.lists(st.integers(low, high), min_size=2, max_size=4, unique=True))
            return ",".join(map(str, sorted(values)))
        step = draw(st.integers(2, max(2, (high - low) // 2)))
        return f"*/{step}" if kind == "step" else f"{a}-{b}/{step}"

    minute = draw(_MINUTES)
    hour = field(0, 23)
    dom = field(1, 28)
    month = draw(_MONTHS)
    dow = draw(_WEEKDAYS)
    return f"{minute} {hour} {dom} {month} {dow}"


schedules_strategy = st.one_of(
    st.builds(lambda m: Schedule("hourly", minute=m), st.integers(0, 59)),
    st.builds(
        lambda n, w: Schedule("every", minutes=n, between=w),
        st.sampled_from([1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30]),
        windows(),
    ),
    st.builds(
        lambda n, w: Schedule("every", hours=n, between=w),
        st.sampled_from([1, 2, 3, 4, 6, 8, 12]),
        windows(),
    ),
    st.builds(lambda t: Schedule("daily", at=t), times),
    st.builds(lambda d, t: Schedule("weekly", weekday=d, at=t), st.sampled_from(WEEKDAYS), times),
    st.builds(
        lambda d, t: Schedule("monthly", day=d, at=t),
        st.integers(1, 31),
        st.one_of(st.none(), times),
    ),
    st.just(Schedule("nightly")),
    st.builds(lambda e: Schedule("cron", expression=e), cron_expressions()),
)


@needs_systemd
@settings(
    max_examples=examples(30),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(schedule=schedules_strategy, base=st.sampled_from(BASES), nightly=times)
def test_generated_schedules_agree(schedule: Schedule, base: datetime, nightly: str) -> None:
    """For any schedule: UTC runs agree across all three; in Stockholm systemd equals the model."""
    # Only schedules that fire within three years: one run found is enough to know.
    assume(
        schedules.next_runs(
            schedule,
            after=base.replace(tzinfo=UTC),
            count=1,
            timezone="UTC",
            nightly=nightly,
            horizon_days=366 * 3,
        )
    )
    assert (
        check_agree(schedule, timezone="UTC", nightly=nightly, after=base.replace(tzinfo=UTC))
        == set()
    )
    tz = ZoneInfo("Europe/Stockholm")
    differ = check_agree(
        schedule, timezone="Europe/Stockholm", nightly=nightly, after=base.replace(tzinfo=tz)
    )
    assert {t.astimezone(tz).date() for t in differ} <= _changed_days("Europe/Stockholm")


RAW_CRON = [
    "0 0 1,15 * 1-5",  # day-of-month OR day-of-week: two OnCalendar lines
    "30 4 L * *",
    "0 12 * * 5L",
    "15 10 * * 1#2",
    "0 0 */2 * 1",  # "*/2" makes it AND, as in Debian cron
    "0 6 * jan,jul sun",
    "*/5 9-17 * * mon-fri",
    "0 0 29 2 *",
    "0 3 * * 7",
]


@pytest.fixture(scope="module")
def raw_cron_runs() -> None:
    """systemd's runs of every raw cron case's OnCalendar lines, from every base, at once."""
    wanted: list[tuple[Sequence[str], datetime]] = []
    for expression in RAW_CRON:
        calendar = schedules.to_systemd(
            Schedule("cron", expression=expression), nightly=None, timezone="UTC"
        )
        wanted += [(calendar, base.replace(tzinfo=UTC)) for base in BASES]
    SYSTEMD.prefetch(wanted, count=RUNS)


@needs_systemd
@pytest.mark.usefixtures("raw_cron_runs")
@pytest.mark.parametrize("expression", RAW_CRON)
def test_raw_cron_agrees_with_its_systemd_form(expression: str) -> None:
    """Raw cron converts to OnCalendar lines that fire exactly when cron does (UTC)."""
    schedule = Schedule("cron", expression=expression)
    for base in BASES:
        assert (
            check_agree(schedule, timezone="UTC", nightly=None, after=base.replace(tzinfo=UTC))
            == set()
        )


def test_cron_differs_from_the_model_only_where_lint_warns() -> None:
    """Daily 02:00 in Stockholm: cron runs at 03:00 on the spring-forward day, the model skips it."""
    tz = ZoneInfo("Europe/Stockholm")
    schedule = Schedule("daily", at="02:00")
    after = datetime(2026, 3, 28, 12, 0, tzinfo=tz)
    model = schedules.next_runs(schedule, after=after, count=3, timezone="Europe/Stockholm")
    cron = cron_runs(["0 2 * * *"], after=after, timezone="Europe/Stockholm", count=3)
    assert [r.isoformat() for r in model][:2] == [
        "2026-03-30T02:00:00+02:00",
        "2026-03-31T02:00:00+02:00",
    ]
    assert cron[0].astimezone(tz) == datetime(2026, 3, 29, 3, 0, tzinfo=tz)
    assert cron[0].astimezone(tz) - timedelta(hours=1) != model[0]
