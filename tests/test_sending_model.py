"""The sending model: its data agrees with the English page, and validate reports broken rows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.errors import CatalogError, Severity
from generator.load.catalog import validate_paths
from generator.sending import load_model, messages
from tests.conftest import CATALOG, REFERENCE

MODEL_FILE = CATALOG / "sending.yaml"
PAGE = REFERENCE / "en" / "standard_confirming-the-send.md"
CAPTIONS = {
    "efs": "**With Email Feedback Service**",
    "no_efs": "**Without Email Feedback Service**",
}


def _page_table(mode: str) -> list[tuple[str, list[str], str]]:
    """The English page's table for ``mode``: (step, KPI summary items, status) per row."""
    lines = PAGE.read_text(encoding="utf-8").splitlines()
    start = lines.index(CAPTIONS[mode])
    rows = []
    for line in lines[start + 1 :]:
        if line.startswith("**"):
            break
        if not line.startswith("|") or line.startswith(("|---", "| Step")):
            continue
        step, summary, status = (cell.strip() for cell in line.strip().strip("|").split("|"))
        items = [
            re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary)
        ]
        rows.append((step, items, status))
    return rows


def _expected_effect(item: str) -> tuple[str, object]:
    """Read one KPI summary item of the page: which KPI, and what happens to it."""
    kpi = "delivered" if "[!UICONTROL Delivered]" in item else "bounces"
    if match := re.search(r"starts out at (\d+)%", item):
        return kpi, ("starts_at", int(match.group(1)))
    if item.startswith("No change"):
        return kpi, ("unchanged", None)
    if "increased accordingly" in item:
        return kpi, ("increase", None)
    if "decreased accordingly" in item:
        return kpi, ("decrease", None)
    raise AssertionError(f"unrecognized KPI summary item: {item}")


PAGE_ROWS = [
    (mode, index, row) for mode in ("efs", "no_efs") for index, row in enumerate(_page_table(mode))
]


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    """The bundled sending model."""
    return load_model(MODEL_FILE)


def test_page_has_five_rows_per_table() -> None:
    """The English page's two tables are read completely (the row cases below are not empty)."""
    assert [len(_page_table(m)) for m in ("efs", "no_efs")] == [5, 5]


@pytest.mark.parametrize(
    ("mode", "index", "page_row"), PAGE_ROWS, ids=[f"{m}-{i + 1}" for m, i, _ in PAGE_ROWS]
)
def test_model_row_matches_page(model, mode: str, index: int, page_row) -> None:  # type: ignore[no-untyped-def]
    """Each row of the model's table says what the same row of the English page says."""
    step, items, status = page_row
    row = model.table(mode).shown[index]
    assert model.event(row.event).text == step
    assert model.status(row.status).ui == status
    expected = dict(_expected_effect(item) for item in items)
    assert {k: (e.kind, e.percent) for k, e in row.effects} == expected


def test_bundled_model_is_valid() -> None:
    """The bundled sending.yaml passes validate with no problem at all."""
    assert validate_paths([MODEL_FILE]) == []


BREAKS = [
    # (case id, text to replace (first occurrence), replacement, expected code, text on the reported line)
    (
        "undeclared-status",
        "status: pending\n          effects",
        "status: waiting\n          effects",
        "sending-undeclared-status",
        "status: waiting",
    ),
    (
        "missing-outcome",
        "effects: {delivered: decrease, bounces: increase}",
        "effects: {delivered: decrease}",
        "sending-missing-outcome",
        "effects: {delivered: decrease}",
    ),
    (
        "missing-row",
        "        - event: retry_succeeded\n          status: sent\n          effects: {delivered: increase, bounces: decrease}\n",
        "",
        "sending-missing-outcome",
        "- event: relayed",
    ),
    (
        "unknown-event",
        "- event: hard_bounce",
        "- event: hardbounce",
        "sending-unknown-event",
        "event: hardbounce",
    ),
    (
        "duplicate-row",
        "- event: delivered\n          in_table: false",
        "- event: relayed\n          in_table: false",
        "sending-duplicate-row",
        "event: relayed",
    ),
    (
        "rule-start",
        "delivered: {starts_at: 100}",
        "delivered: {starts_at: 0}",
        "sending-rule",
        "starts_at: 0}, bounces",
    ),
    (
        "rule-never",
        "effects: {delivered: unchanged, bounces: unchanged}\n        - event: hard_bounce\n          status: failed\n          effects: {delivered: decrease",
        "effects: {delivered: increase, bounces: unchanged}\n        - event: hard_bounce\n          status: failed\n          effects: {delivered: decrease",
        "sending-rule",
        "delivered: increase, bounces: unchanged",
    ),
    ("bad-effect", "bounces: decrease}", "bounces: down}", "schema", "bounces: down}"),
]


@pytest.mark.parametrize(
    ("old", "new", "code", "needle"), [b[1:] for b in BREAKS], ids=[b[0] for b in BREAKS]
)
def test_broken_row_reported_with_position(
    tmp_path: Path, old: str, new: str, code: str, needle: str
) -> None:
    """Breaking one table row is reported by validate at the line of the broken row."""
    text = MODEL_FILE.read_text(encoding="utf-8")
    assert old in text
    broken = text.replace(old, new, 1)
    target = tmp_path / "sending.yaml"
    target.write_text(broken, encoding="utf-8")
    errors = [p for p in validate_paths([target]) if p.severity is Severity.ERROR]
    assert code in {p.code for p in errors}
    problem = next(p for p in errors if p.code == code)
    lines = broken.splitlines()
    assert problem.location.line > 0 and problem.location.col > 0
    assert needle in lines[problem.location.line - 1]
    assert str(problem.location).startswith(f"{target}:{problem.location.line}:")


def test_load_model_raises_with_every_problem(tmp_path: Path) -> None:
    """load_model fails once with all problems of a broken file."""
    text = MODEL_FILE.read_text(encoding="utf-8")
    target = tmp_path / "sending.yaml"
    target.write_text(text.replace("status: failed", "status: lost"), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_model(target)
    codes = [p.code for p in info.value.problems]
    assert codes.count("sending-undeclared-status") == text.count("status: failed")


def test_messages_have_unique_contexts(model) -> None:  # type: ignore[no-untyped-def]
    """Every sending term has its own msgctxt under sending|<kind>|<key>."""
    found = messages(model)
    contexts = [c for c, _, _ in found]
    assert len(contexts) == len(set(contexts))
    assert "sending|status|pending" in contexts and "sending|event|hard_bounce" in contexts
    assert all(c.split("|")[0] == "sending" and len(c.split("|")) == 3 for c in contexts)
