"""English schedule sentences -> the schedule model: every form the pages use, the sentences
that must be refused, and parse(render(schedule)) == schedule for every kind."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from generator.schedules import Schedule, Window
from generator.schedules.english import (
    combine,
    is_schedule_statement,
    read_sentence,
    render,
    schedule_sentences,
    without_schedule,
)
from generator.schedules.times import WEEKDAYS

from .conftest import FIXTURES, examples

SENTENCES = FIXTURES / "catalog_sync" / "sentences.yaml"


def _collected() -> list[dict[str, Any]]:
    return list(YAML(typ="safe").load(SENTENCES.read_text(encoding="utf-8"))["sentences"])


@pytest.mark.parametrize("case", _collected(), ids=lambda c: c["sentence"][:60])
def test_every_sentence_of_the_pages_reads_as_reviewed(case: dict[str, Any]) -> None:
    """Each schedule sentence of the English pages (reference and corpus) reads as reviewed."""
    reading = read_sentence(case["sentence"])
    assert reading is not None
    got = reading.schedule.to_mapping() if reading.schedule else None
    assert got == case["schedule"]
    assert bool(reading.reason) == ("unknown" in case)


FORMS = [
    ("It is triggered every day at 2am by default.", {"kind": "daily", "at": "02:00"}),
    (
        "By default, it is triggered every Monday at 5 am.",
        {"kind": "weekly", "weekday": "monday", "at": "05:00"},
    ),
    ("By default, it is started every day at 4.20am.", {"kind": "daily", "at": "04:20"}),
    ("By default, it is automatically started every day 4am.", {"kind": "daily", "at": "04:00"}),
    ("By default, it is automatically started at 2am.", {"kind": "daily", "at": "02:00"}),
    ("It is triggered every night at 1am by default.", {"kind": "daily", "at": "01:00"}),
    ("This workflow runs nightly and manages the bounce emails.", {"kind": "nightly"}),
    ("By default, it is started every day.", {"kind": "daily"}),
    ("It is triggered every hour by default.", {"kind": "hourly"}),
    ("By default, it is triggered once per hour.", {"kind": "hourly"}),
    ("It is scheduled to execute every hour, daily.", {"kind": "hourly"}),
    ("It runs daily, every 1h, only on marketing instances.", {"kind": "hourly"}),
    ("Every hour, this workflow downloads segments.", {"kind": "hourly"}),
    ("By default, it is started every 10 minutes.", {"kind": "every", "minutes": 10}),
    ("It is triggered every ten minutes by default.", {"kind": "every", "minutes": 10}),
    (
        "This workflow pushes KPI data every 15 minutes to Adobe Analytics.",
        {"kind": "every", "minutes": 15},
    ),
    (
        "It is triggered every 6 hours between 1am and midnight.",
        {"kind": "every", "hours": 6, "between": {"start": "01:00", "end": "00:00"}},
    ),
    ("It is triggered the 25th of every month by default.", {"kind": "monthly", "day": 25}),
    (
        "It is triggered the 25th of every month on the Marketing instance.",
        {"kind": "monthly", "day": 25},
    ),
    (
        "It is triggered the 1st of every month at 3pm.",
        {"kind": "monthly", "day": 1, "at": "15:00"},
    ),
    ("It runs twice a day, at 1am and 1pm.", {"kind": "cron", "expression": "0 1,13 * * *"}),
    (
        "It is triggered when an approval signal is received",
        {"kind": "event", "trigger": "an approval signal is received"},
    ),
    (
        "This workflow is started as soon as a report is scheduled to be sent.",
        {"kind": "event", "trigger": "a report is scheduled to be sent"},
    ),
    (
        "It must be started by the user on a per-use basis.",
        {"kind": "event", "trigger": "started by the user on a per-use basis"},
    ),
    ("It is triggered every day at noon.", {"kind": "daily", "at": "12:00"}),
    ("It is triggered every day at 12am.", {"kind": "daily", "at": "00:00"}),
]


@pytest.mark.parametrize(("sentence", "expected"), FORMS, ids=[f[0][:50] for f in FORMS])
def test_sentence_forms(sentence: str, expected: dict[str, Any]) -> None:
    """Each sentence form of the pages reads as its schedule."""
    reading = read_sentence(sentence)
    assert reading is not None and reading.schedule is not None, reading
    assert reading.schedule.to_mapping() == expected


REFUSED = [
    ("It runs twice a day.", "twice a day"),
    ("It is triggered every Monday by default.", "no time of day"),
    ("It is triggered every day at 2am and at 3am.", "more than one time"),
    ("It is triggered every 15 minutes at 2am.", "repeats within the day"),
    ("It is triggered every hour and every day at 2am.", "repeats within the day"),
    ("It is triggered every day and every Monday at 5am.", "more than one frequency"),
    ("It is triggered every day at 13pm.", "does not exist"),
    ("It is triggered the 32nd of every month.", "does not exist"),
    ("It is triggered at 2am and 5pm.", "no frequency"),
    ("It is triggered every day between 1am and 5am.", "not an interval"),
    ("It is triggered when a file arrives, every hour.", "both an event and a frequency"),
    ("This workflow is not run periodically.", "not what starts it"),
    (
        "This workflow: lets you recover all email addresses placed in quarantine every three hours.",
        "the workflow's own run",
    ),
]


@pytest.mark.parametrize(("sentence", "why"), REFUSED, ids=[r[0][:50] for r in REFUSED])
def test_sentences_it_refuses(sentence: str, why: str) -> None:
    """A sentence that speaks of a schedule it cannot state exactly is read as unknown, with why."""
    reading = read_sentence(sentence)
    assert reading is not None
    assert reading.schedule is None
    assert why in reading.reason


@pytest.mark.parametrize(
    "sentence",
    [
        "It also creates workflows related to recurring and periodic campaigns.",
        "This workflow deploys approved offers, as well as every category contained in the offer catalog.",
        "This workflow starts processing the provider once deliveries have been approved.",
        "This workflow lets you delete every event from the database field.",
        "This workflow erases the access request files that are older than 90 days.",
    ],
)
def test_sentences_that_say_no_schedule(sentence: str) -> None:
    """Words such as "every", "once" or "periodic" in a sentence about something else are not read."""
    assert read_sentence(sentence) is None


def test_combine_agrees_and_refines() -> None:
    """Equal schedules agree; a time of day refines the same kind without one."""
    readings = schedule_sentences(
        "It fetches the KPIs once a day. By default, it is started every day at 4.20am."
    )
    combined = combine(readings)
    assert combined is not None and combined.schedule == Schedule(kind="daily", at="04:20")


def test_combine_refuses_a_contradiction() -> None:
    """Two sentences that give different schedules are unknown, never one of them."""
    readings = [
        read_sentence("It is triggered the 25th of every month by default."),
        read_sentence("By default, it is automatically started every day at 1am."),
    ]
    combined = combine(r for r in readings if r is not None)
    assert combined is not None and combined.schedule is None
    assert "different schedules" in combined.reason


def test_not_periodic_agrees_with_a_manual_start() -> None:
    """ "not run periodically" plus "must be started by the user" is the user's event."""
    readings = schedule_sentences(
        "This workflow is not run periodically. It must be started by the user on a per-use basis."
    )
    combined = combine(readings)
    assert combined is not None and combined.schedule is not None
    assert combined.schedule.kind == "event"
    assert combined.text.startswith("This workflow is not run periodically.")


def test_without_schedule_keeps_the_rest_of_the_sentence() -> None:
    """A schedule phrase is cut out of a sentence about what the workflow does."""
    assert (
        without_schedule(
            "This workflow imports Facebook fans into Adobe Campaign every day at 7am."
        )
        == "This workflow imports Facebook fans into Adobe Campaign."
    )
    assert (
        without_schedule("Every hour, this workflow downloads segments.")
        == "This workflow downloads segments."
    )
    assert is_schedule_statement("It is triggered every day at 2am by default.")
    assert not is_schedule_statement("This workflow imports fans every day at 7am.")


# --- parse(render(schedule)) == schedule -------------------------------------------------

_times = st.builds(
    lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 5, 15, 20, 30, 45])
)
_triggers = st.sampled_from(
    [
        "an approval signal is received",
        "a report is scheduled to be sent",
        "started by the user on a per-use basis",
        "a file lands in the import folder",
    ]
)


@st.composite
def _windows(draw: st.DrawFn) -> Window:
    start = draw(st.integers(0, 22))
    end = draw(st.integers(start + 1, 24))
    return Window(f"{start:02d}:00", f"{end % 24:02d}:00")


_schedules = st.one_of(
    st.builds(lambda m: Schedule(kind="hourly", minute=m), st.none() | st.integers(0, 59)),
    st.builds(
        lambda n, w: Schedule(kind="every", minutes=n, between=w),
        st.sampled_from([1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30]),
        st.none() | _windows(),
    ),
    # Every hour without a window is the hourly kind: both render "every hour".
    st.builds(lambda n: Schedule(kind="every", hours=n), st.sampled_from([2, 3, 4, 6, 8, 12])),
    st.builds(
        lambda n, w: Schedule(kind="every", hours=n, between=w),
        st.sampled_from([1, 2, 3, 4, 6, 8, 12]),
        _windows(),
    ),
    st.builds(lambda at: Schedule(kind="daily", at=at), st.none() | _times),
    st.just(Schedule(kind="nightly")),
    st.builds(
        lambda d, at: Schedule(kind="weekly", weekday=d, at=at), st.sampled_from(WEEKDAYS), _times
    ),
    st.builds(
        lambda d, at: Schedule(kind="monthly", day=d, at=at), st.integers(1, 31), st.none() | _times
    ),
    st.builds(lambda t: Schedule(kind="event", trigger=t), _triggers),
    st.builds(
        lambda m, h: Schedule(kind="cron", expression=f"{m} {h} * * 1-5"),
        st.integers(0, 59),
        st.integers(0, 23),
    ),
)


@settings(max_examples=examples(300))
@given(_schedules)
def test_parse_render_round_trip(schedule: Schedule) -> None:
    """The sentence written for any schedule of the model reads back as that schedule."""
    sentence = render(schedule)
    reading = read_sentence(sentence)
    assert reading is not None, sentence
    assert reading.schedule == schedule, sentence
    assert [r.schedule for r in schedule_sentences(f"This workflow does things. {sentence}")] == [
        schedule
    ]


def test_a_frequency_of_something_else_yields_to_a_stated_schedule() -> None:
    """ "lets you recover addresses every three hours" is not the workflow's schedule: alone it
    is unknown; beside "scheduled to run every hour" the stated one decides."""
    incidental = read_sentence("This workflow: lets you recover addresses every three hours.")
    stated = read_sentence("The workflow detailed below is scheduled to run every hour.")
    assert incidental is not None and incidental.incidental and incidental.schedule is None
    assert stated is not None
    alone = combine([incidental])
    assert alone is not None and alone.schedule is None
    both = combine([stated, incidental])
    assert both is not None and both.schedule == Schedule(kind="hourly")
    assert both.sentences == stated.sentences
