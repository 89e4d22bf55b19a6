"""The executable sending model: every table row through the CLI, bad events, and properties."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import cli
from generator.sending import load_model, read_events, simulate
from generator.sending.simulate import Simulator
from tests.conftest import CATALOG, FIXTURES, examples
from tests.test_sending_model import PAGE_ROWS, _expected_effect

MODEL = load_model(CATALOG / "sending.yaml")
EVENTS = FIXTURES / "events"
# What the page's prose says about the real-time success report, which has no table row:
# with EFS "the delivery logs show the Sent status ... Delivered percentage is increased",
# without EFS the message is already Sent and counted as delivered, so nothing changes.
PROSE_ROWS = [
    ("efs", "delivered", "Sent", {"delivered": ("increase", None), "bounces": ("unchanged", None)}),
    (
        "no_efs",
        "delivered",
        "Sent",
        {"delivered": ("unchanged", None), "bounces": ("unchanged", None)},
    ),
]
STEP_TO_EVENT = {e.text: e.key for e in MODEL.events}


def _prefix(event: str) -> list[str]:
    """The shortest life of a message that ends with ``event``."""
    path = [event]
    while MODEL.event(path[0]).after:
        path.insert(0, MODEL.event(path[0]).after[0])
    return path


def _run_cli(tmp_path: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, ["sending", "simulate", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict = json.loads(result.output)  # type: ignore[type-arg]
    return data


def _row_cases() -> list[tuple[str, str, str, dict[str, tuple[str, object]]]]:
    cases = [
        (mode, STEP_TO_EVENT[step], status, dict(_expected_effect(i) for i in items))
        for mode, _, (step, items, status) in PAGE_ROWS
    ]
    return cases + PROSE_ROWS  # type: ignore[operator]


ROW_CASES = _row_cases()


@pytest.mark.parametrize(
    ("mode", "event", "status", "effects"), ROW_CASES, ids=[f"{m}-{e}" for m, e, _, _ in ROW_CASES]
)
def test_simulate_row(tmp_path: Path, mode: str, event: str, status: str, effects: dict) -> None:  # type: ignore[type-arg]
    """`wfgen sending simulate` shows the status and KPI change each table row implies."""
    life = _prefix(event)
    # A second, untouched message keeps percentages from being trivially 0 or 100.
    lines = ["message_id,event,time", "other,relayed,2024-05-01T09:00:00Z"]
    lines += [f"m,{name},2024-05-01T{10 + i:02d}:00:00Z" for i, name in enumerate(life)]
    events = tmp_path / "events.csv"
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    flag = "--efs" if mode == "efs" else "--no-efs"
    last = f"2024-05-01T{10 + len(life) - 1:02d}:00:00Z"
    before_time = (
        f"2024-05-01T{10 + len(life) - 2:02d}:30:00Z" if len(life) > 1 else "2024-05-01T09:30:00Z"
    )
    period = ("--validity-end", "2024-05-06T10:00:00Z")  # the snapshots are mid-validity
    after = _run_cli(tmp_path, str(events), flag, *period, "--at", last)["at"]
    before = _run_cli(tmp_path, str(events), flag, *period, "--at", before_time)["at"]
    ui = {s.key: s.ui for s in MODEL.statuses}
    other = ui[MODEL.table(mode).row("relayed").status]
    expected_counts = dict.fromkeys(ui, 0)
    for name in {status, other}:
        key = next(k for k, v in ui.items() if v == name)
        expected_counts[key] += 1 if status != other else 2
    assert after["statuses"] == expected_counts
    for kpi, (kind, percent) in effects.items():
        field = f"{kpi}_percent"
        if kind == "starts_at":
            # Only message "m" was just relayed; "other" was relayed the same way.
            assert after[field] == percent
        elif kind == "unchanged":
            assert after[field] == before[field]
        elif kind == "increase":
            assert after[field] > before[field]
        else:
            assert after[field] < before[field]


@pytest.mark.parametrize("flag", ["--efs", "--no-efs"])
def test_sample_file_final_state_is_mode_independent(flag: str) -> None:
    """The sample file ends with the same statuses and percentages in both modes."""
    result = CliRunner().invoke(
        cli, ["sending", "simulate", str(EVENTS / "sample.csv"), flag, "--format", "json"]
    )
    data = json.loads(result.output)
    assert result.exit_code == 0
    assert data["messages"] == {
        "m1": "sent",
        "m2": "failed",
        "m3": "sent",
        "m4": "failed",
        "m5": "sent",
    }
    assert (
        data["end_of_validity"]["delivered_percent"],
        data["end_of_validity"]["bounces_percent"],
    ) == (60.0, 40.0)


def test_bad_events_reported_with_lines_and_skipped() -> None:
    """Bad events are reported with their line number and skipped; the run still finishes."""
    result = CliRunner().invoke(
        cli,
        [
            "sending",
            "simulate",
            str(EVENTS / "bad.csv"),
            "--validity-end",
            "2024-05-06T10:00:00Z",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 1
    data = json.loads(result.output)
    bad_lines = {p["line"]: p["message"] for p in data["skipped"]}
    source = (EVENTS / "bad.csv").read_text(encoding="utf-8").splitlines()
    assert sorted(bad_lines) == [4, 5, 6, 7, 9]
    assert "unknown message" in bad_lines[4] and "x9" in source[3]
    assert "without a soft_bounce" in bad_lines[5]
    assert "unknown event" in bad_lines[6]
    assert "bad time" in bad_lines[7]
    assert "after the end of the validity period" in bad_lines[9]
    assert data["messages"] == {"m1": "sent", "m2": "pending"}


def test_json_lines_input_matches_csv() -> None:
    """JSON lines and CSV inputs are read the same way."""
    text = (EVENTS / "sample.jsonl").read_text(encoding="utf-8")
    csv_text = "message_id,event,time\n" + "".join(
        f"{d['message_id']},{d['event']},{d['time']}\n" for d in map(json.loads, text.splitlines())
    )
    a = simulate(MODEL, read_events(io.StringIO(text)), efs=False)
    b = simulate(MODEL, read_events(io.StringIO(csv_text)), efs=False)
    assert list(a.messages()) == list(b.messages()) and a.final == b.final


def test_bad_header_is_one_skipped_problem() -> None:
    """A CSV without the message_id,event,time header is reported at line 1."""
    result = simulate(
        MODEL, read_events(io.StringIO("id,what,when\nm,relayed,2024-01-01\n")), efs=True
    )
    assert [p.location.line for p in result.skipped] == [1]


# --- properties -------------------------------------------------------------------------

OUTCOMES = [
    ["delivered"],
    ["hard_bounce"],
    ["soft_bounce"],
    ["soft_bounce", "retry_succeeded"],
    ["soft_bounce", "retries_failed"],
]
NOISE = st.tuples(
    st.sampled_from(["ghost", "m0", "m1"]),
    st.sampled_from([*(e.key for e in MODEL.events if not e.starts), "opened"]),
)

_COMPLETE = st.sampled_from(OUTCOMES)
_MAYBE_UNFINISHED = st.sampled_from([*OUTCOMES, []])
_COIN = st.booleans()


@st.composite
def sends(
    draw: st.DrawFn, *, complete: bool = True, relays_first: bool = False
) -> list[tuple[str, str]]:
    """A send: every message relayed, then reported, interleaved at random, with noise."""
    count = draw(st.integers(min_value=1, max_value=12))
    lives = []
    for n in range(count):
        outcome = draw(_COMPLETE if complete else _MAYBE_UNFINISHED)
        lives.append([(f"m{n}", e) for e in ["relayed", *outcome]])
    order: list[tuple[str, str]] = []
    if relays_first:
        order = [life.pop(0) for life in lives]
    while any(lives):
        # The index into the lives still going (as sampled_from draws it), without building
        # a strategy of them at every step.
        going = [life for life in lives if life]
        life = going[draw(st.integers(0, len(going) - 1))]
        order.append(life.pop(0))
        if draw(_COIN) and draw(_COIN):
            order.append(draw(NOISE))
    return order


def _raw(order: list[tuple[str, str]]) -> list[tuple[int, str, str, str]]:
    return [
        (i + 2, m, e, f"2024-05-01T10:{i // 60:02d}:{i % 60:02d}Z")
        for i, (m, e) in enumerate(order)
    ]


@settings(max_examples=examples(100), deadline=None)
@given(sends())
def test_final_delivered_same_in_both_modes(order: list[tuple[str, str]]) -> None:
    """Once the validity period is over, Delivered % and statuses do not depend on EFS."""
    with_efs = simulate(MODEL, _raw(order), efs=True)
    without = simulate(MODEL, _raw(order), efs=False)
    assert with_efs.final == without.final
    assert list(with_efs.messages()) == list(without.messages())
    assert with_efs.skipped_total == without.skipped_total


def _percents(order: list[tuple[str, str]], *, efs: bool) -> list[float]:
    sim = Simulator(MODEL, efs=efs)
    seen = []
    for line, message, event, _ in _raw(order):
        sim.feed(line, message, event, 0.0)
        seen.append(sim.summary().delivered_percent)
    sim.close()
    return [*seen, sim.summary().delivered_percent]


@settings(max_examples=examples(100), deadline=None)
@given(sends(complete=False, relays_first=True))
def test_delivered_never_decreases_with_efs_nor_increases_without(
    order: list[tuple[str, str]],
) -> None:
    """Over the same send, the Delivered percentage never goes down with EFS and never goes
    up without it."""
    with_efs = _percents(order, efs=True)
    assert all(a <= b for a, b in itertools.pairwise(with_efs))
    without = _percents(order, efs=False)
    assert all(a >= b for a, b in itertools.pairwise(without))


@settings(max_examples=examples(50), deadline=None)
@given(sends(complete=False))
def test_delivered_count_never_decreases_with_efs_in_any_order(
    order: list[tuple[str, str]],
) -> None:
    """With EFS the number of delivered messages never goes down, however events interleave."""
    sim = Simulator(MODEL, efs=True)
    last = 0
    for line, message, event, _ in _raw(order):
        sim.feed(line, message, event, 0.0)
        now = sim.summary().delivered
        assert now >= last
        last = now
