"""Reading the tables of documentation pages as translation leaves them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import cli
from generator.docs import read_page
from generator.docs.batch import Pool
from generator.docs.folders import find_pages
from generator.docs.listcell import Entry, list_entries
from generator.docs.markup import clean
from tests.conftest import CATALOG, PAGES, examples

READING = PAGES / "reading"
READING_PAGES = sorted(p for p in READING.rglob("*.md") if p.name != "README.md")


def _read(path: Path) -> dict[str, object]:
    page = read_page(path)
    return {
        "locale": page.locale,
        "layout": page.layout,
        "headers": list(page.headers),
        "rows": [
            {
                "index": r.index,
                "line": r.line,
                "label": r.label,
                "documented_id": r.documented_id,
                "package": r.package,
                "description": r.description,
                "links": list(r.links),
            }
            for r in page.rows
        ],
    }


@pytest.mark.parametrize("page", READING_PAGES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_reading_is_pinned(page: Path, data_regression: object) -> None:
    """Each reading fixture's rows (label, id, package, description, line) match the golden."""
    data_regression.check(_read(page))  # type: ignore[attr-defined]


def _ids(path: Path) -> list[str]:
    return [r.documented_id for r in read_page(path).rows]


def test_full_width_and_unclosed_parentheses() -> None:
    """Ids in full-width parentheses, or whose parenthesis never closes, are read."""
    page = read_page(READING / "zh-Hant" / "list-fullwidth.md")
    assert page.layout == "list-table"
    assert _ids(page.path) == ["aliasCleansing", "帳單", "清理", "forecasting", "追蹤"]
    assert [r.label for r in page.rows][:3] == ["別名清除", "帳單", "資料庫清理"]


def test_moved_bold_keeps_the_whole_label() -> None:
    """Bold on a part of the label, or split, still gives the whole label and the last group."""
    rows = read_page(READING / "it" / "list-moved-bold.md").rows
    assert [r.documented_id for r in rows] == [
        "aliasCleansing",
        "fatturazione",
        "statsTwitter",
        "importSharedAudience",
        "syncWithLaunch",
        "deliveryMgt",
    ]
    assert rows[0].label == "Pulizia alias"
    assert rows[3].label == "Importa audience da Adobe Experience Cloud"
    assert rows[4].label == "Dalla raccolta dati sincronizza l'app"
    assert rows[5].label == "Processi sulle consegne nelle campagne"


def test_zero_width_spaces_are_ignored() -> None:
    """Zero-width spaces, raw or as entities, vanish from labels and ids."""
    rows = read_page(READING / "zh-Hant" / "list-zero-width.md").rows
    assert [r.documented_id for r in rows] == [
        "deliveryMgt",
        "supplierMgt",
        "deliverabilityUpdate",
        "tracking",
    ]
    assert all("\u200b" not in r.label and "&#x200B;" not in r.label for r in rows)


def test_two_entries_in_one_cell_are_two_rows() -> None:
    """``**A** (a)<br/>**B** (b)`` documents two workflows on the same line."""
    rows = read_page(READING / "sv" / "list-two-entries.md").rows
    assert [r.documented_id for r in rows] == [
        "ffdaReplicateQueueDlvMidRemoteIdRel",
        "ffdaReplicateQueueTrackingUrl",
        "ffdaReplicateQueueTrackingUrl_2",
        "spårning",
    ]
    assert rows[1].line == rows[2].line
    assert rows[2].label == "Replikera kön nmsTrackingUrl i samtidighet"
    assert [r.index for r in rows] == [0, 1, 2, 3]


def test_damaged_list_page_is_a_list_and_package_is_never_an_id() -> None:
    """No cell keeps ``**Label** (id)``; the page is still a list and Package stays Package."""
    page = read_page(READING / "it" / "list-mostly-damaged.md")
    assert page.layout == "list-table"
    packages = {r.package for r in page.rows}
    assert packages == {"Consegna", "Campagne", "Interazione"}
    assert not packages & {r.documented_id for r in page.rows}
    assert _ids(page.path)[:3] == ["aliasCleansing", "fatturazione", "operationMgt"]


def test_last_parenthesised_group_is_the_id() -> None:
    """Parentheses inside the label, the id inside the bold, text after the id; a row
    without any id is still a row."""
    rows = read_page(READING / "zh-Hant" / "list-last-group.md").rows
    assert [r.documented_id for r in rows] == [
        "defaultMidSourcingLog",
        "agg_nmspropositionrcp_full",
        "syncWithLaunch",
        "importSharedAudience",
        "mcSynch_<外部帳戶名稱>",
        "",
    ]
    assert rows[0].label == "中間來源（傳遞記錄）"
    assert rows[3].label == "從Adobe Experience Cloud 匯入對象"
    assert rows[4].links == ("此頁面",)
    assert rows[5].label == "ffdaUnsubscribe"


def test_html_table_with_uicontrol_spans() -> None:
    """`<span class="uicontrol">` cells are read; the bold first row is the header."""
    page = read_page(READING / "de" / "html-uicontrol.md")
    assert page.layout == "html-table"
    assert page.headers == ("Titel", "Interner Name", "Beschreibung")
    assert _ids(page.path) == [
        "reportingAggregates",
        "Fakturierung",
        "cleanup",
        "mcSynch_<externes_konto>",
    ]
    assert page.rows[2].links == ("auf dieser Seite",)


def test_nested_html_table_stays_in_its_cell() -> None:
    """A table inside a description is part of that description, not rows of the page;
    cells and rows left open are closed by the next one."""
    page = read_page(READING / "de" / "html-nested-table.md")
    assert _ids(page.path) == ["cleanup", "tracking", "forecasting"]
    assert "nmsBroadLog" in page.rows[0].description
    assert page.rows[0].description.endswith("Wird täglich um 4 Uhr gestartet.")
    assert page.rows[1].description == "Ruft die Trackingdaten ab."


def test_escaped_pipes_stay_in_the_description() -> None:
    """``\\|`` inside a Markdown cell is text, not a new cell."""
    page = read_page(READING / "sv" / "pipe-escaped.md")
    assert page.layout == "id-table"
    assert page.rows[0].description == "Hämtar spårningsinformation | körs varje timme."


def test_page_without_workflow_table() -> None:
    """A page whose only table documents no workflow has layout none."""
    assert read_page(READING / "de" / "no-table.md").layout == "none"


# --- the list cell as machine translation damages it ----------------------------------

_WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzåäöàèéü帳單清理預測追蹤", min_size=2, max_size=9
)
_LOWER = "abcdefghijklmnopqrstuvwxyz"
# The ids of r"[a-z][A-Za-z]{2,12}(_[a-z0-9]{1,4})?", drawn a part at a time: from_regex
# draws them a character at a time, which cost most of these tests' time.
_ID = st.builds(
    "{}{}{}".format,
    st.sampled_from(_LOWER),
    st.text(alphabet=_LOWER + _LOWER.upper(), min_size=2, max_size=12),
    st.one_of(
        st.just(""),
        st.text(alphabet=_LOWER + "0123456789", min_size=1, max_size=4).map("_{}".format),
    ),
)

# Built once: a sampled_from of a list is a new strategy at every draw.
_WORDS = st.lists(_WORD, min_size=1, max_size=4)
_ZERO_WIDTH = st.sampled_from(["\u200b", "&#x200B;"])
_PARENTHESES = st.sampled_from([("(", ")"), ("（", "）"), ("（", ")")])
_SPACES = st.sampled_from(["", " ", "  "])


@st.composite
def _damaged_cell(draw: st.DrawFn) -> tuple[str, list[tuple[list[str], str]]]:
    """A first cell of one or two entries, damaged; returns it with (label words, id) each."""
    entries = []
    parts = []
    for _ in range(draw(st.integers(1, 2))):
        words = draw(_WORDS)
        ident = draw(_ID)
        # The bold covers a prefix of the words (moved), or is split, or missing.
        bold_end = draw(st.integers(0, len(words)))
        split = draw(st.booleans()) and bold_end >= 2
        shown = list(words)
        if bold_end:
            if split:
                shown[0] = f"**{shown[0]}**"
                shown[1] = f"**{shown[1]}"
                shown[bold_end - 1] = f"{shown[bold_end - 1]}**"
            else:
                shown[0] = f"**{shown[0]}"
                shown[bold_end - 1] = f"{shown[bold_end - 1]}**"
        label = " ".join(shown)
        if draw(st.booleans()):
            cut = draw(st.integers(0, len(label)))
            label = label[:cut] + draw(_ZERO_WIDTH) + label[cut:]
        opening, closing = draw(_PARENTHESES)
        space = draw(_SPACES)
        inner = ident
        if draw(st.booleans()):
            cut = draw(st.integers(1, len(ident) - 1))
            inner = ident[:cut] + "\u200b" + ident[cut:]
        parts.append(f"{label}{space}{opening}{inner}{closing}")
        entries.append((words, ident))
    return "<br/>".join(parts), entries


@settings(max_examples=examples(100), deadline=None)
@given(case=_damaged_cell())
def test_damaged_list_cell_reads_every_entry(case: tuple[str, list[tuple[list[str], str]]]) -> None:
    """Bold moved or split, full-width parentheses, zero-width spaces, entries joined by
    <br/>: every entry gives its id and its whole label."""
    cell, expected = case
    found = list_entries(cell)
    assert [clean(e.ident) for e in found] == [ident for _, ident in expected]
    assert [clean(e.label) for e in found] == [" ".join(words) for words, _ in expected]


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    cells=st.lists(_damaged_cell(), min_size=3, max_size=8),
    packages=st.lists(st.sampled_from(["Consegna", "Delivery", "傳遞", "Leverans"]), min_size=8),
)
def test_damaged_list_page_reads_the_right_rows(
    tmp_path_factory: pytest.TempPathFactory,
    cells: list[tuple[str, list[tuple[list[str], str]]]],
    packages: list[str],
) -> None:
    """A whole list page of damaged cells reads as a list: every id in order, each row's
    Package in its place, never taken for an id."""
    lines = ["---", "title: T", "---", "", "# T {#t}", "", "| A | B | C |", "|---|---|---|"]
    expected = []
    for (cell, entries), package in zip(cells, packages, strict=False):
        lines.append(f"| {cell} | {package} | Text of the row. |")
        expected.extend((ident, package) for _, ident in entries)
    path = tmp_path_factory.mktemp("page") / "page.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = read_page(path, locale="it")
    assert page.layout == "list-table"
    assert [(r.documented_id, r.package) for r in page.rows] == expected


_CELL_WRAPS = (
    "{}",
    '<span class="uicontrol">{}</span>',
    ' <span class="uicontrol">{}</span> <br /> ',
    "<p>{}</p>",
    "<strong>{}</strong>",
    "{}&#x200B;",
)


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    rows=st.lists(
        st.tuples(
            st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö ", min_size=2, max_size=12).map(
                str.strip
            ),
            _ID,
            st.sampled_from(_CELL_WRAPS),
            st.sampled_from(_CELL_WRAPS[:4]),
            st.booleans(),
            st.booleans(),
        ),
        min_size=2,
        max_size=8,
    )
)
def test_damaged_html_table_reads_the_right_rows(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, str, str, str, bool, bool]],
) -> None:
    """An HTML module table whose cells are wrapped in spans, paragraphs or bold, carry
    zero-width spaces, hold a nested table in the description or leave tags open gives
    every row's id, in order."""
    lines = [
        "---",
        "title: T",
        "---",
        "",
        "# T {#t}",
        "",
        "<table>",
        "<tr><th>Label</th><th>Internal name</th><th>Description</th></tr>",
    ]
    for label, ident, label_wrap, id_wrap, nested, open_tags in rows:
        description = "Runs daily."
        if nested:
            description += "<table><tr><td>x</td><td>y</td><td>z</td></tr></table> More."
        cells = [label_wrap.format(label or "x"), id_wrap.format(ident), description]
        if open_tags:
            lines.append("<tr>" + "".join(f"<td>{c}" for c in cells))
        else:
            lines.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    lines.append("</table>")
    path = tmp_path_factory.mktemp("page") / "page.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = read_page(path, locale="sv")
    assert page.layout == "html-table"
    assert [r.documented_id for r in page.rows] == [ident for _, ident, *_ in rows]


def test_list_entries_edge_cases() -> None:
    """A link's target is never the id; text without parentheses joins the entry before."""
    assert list_entries("**Label** (id) see [here](../x.md)") == [
        Entry("**Label**   see [here]", "id")
    ]
    assert list_entries("**A** (a)<br/>more words") == [Entry("**A**   more words", "a")]
    assert list_entries("") == []


# --- many pages: folders, every core ---------------------------------------------------


def test_folders_are_searched_and_pages_without_workflows_left_out(
    file_tree: Callable[..., Path],
) -> None:
    """Folders are walked recursively; found pages without a workflow table (or without any
    table) are left out; a named page is always reported."""
    list_page = (READING / "sv" / "list-two-entries.md").read_text(encoding="utf-8")
    no_table = (READING / "de" / "no-table.md").read_text(encoding="utf-8")
    root = file_tree(
        {
            "docs": {
                "sv": {"a.md": list_page, "notes.txt": list_page},
                "de": {"b.md": no_table, "deep": {"c.markdown": list_page}},
                ".git": {"d.md": list_page},
                "README.md": "| a | b |\n|---|---|\n| 1 | 2 |\n",
            },
            "named.md": no_table,
        }
    )
    searched = find_pages([root / "docs", root / "named.md"])
    pages, found = searched.pages, searched.found
    names = [p.relative_to(root).as_posix() for p in pages]
    assert names == [
        "docs/README.md",
        "docs/de/b.md",
        "docs/de/deep/c.markdown",
        "docs/sv/a.md",
        "named.md",
    ]
    assert root / "named.md" not in found
    result = CliRunner().invoke(
        cli,
        [
            *("docs", "check", str(root / "docs"), str(root / "named.md")),
            *("--format", "json", "--catalog", str(CATALOG), "--locale", "sv"),
        ],
    )
    data = json.loads(result.stdout)
    reported = sorted(Path(p["path"]).relative_to(root).as_posix() for p in data["pages"])
    assert reported == ["docs/de/deep/c.markdown", "docs/sv/a.md", "named.md"]
    assert data["errors"] == []


def test_jobs_do_not_change_the_report(tmp_path: Path) -> None:
    """The report is the same, byte for byte, in one process and on several."""
    # Each page twice, as two files (one file named twice is one page), so that there are
    # enough pages for the workers.
    pages = [str(p) for p in READING_PAGES]
    for index, page in enumerate(READING_PAGES):
        copy = tmp_path / page.parent.name / f"{index}-{page.name}"
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(page, copy)
        pages.append(str(copy))
    outputs = []
    for jobs in ("1", "2"):
        result = CliRunner().invoke(
            cli,
            [
                "docs",
                "check",
                *pages,
                "--format",
                "json",
                "--jobs",
                jobs,
                "--catalog",
                str(CATALOG),
            ],
        )
        assert result.exit_code == 1, result.output
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert len(json.loads(outputs[0])["pages"]) == len(pages)


def _square(offset: int, item: int) -> int:
    return offset + item * item


def test_pool_keeps_order_and_shares_its_value() -> None:
    """Results come back in the items' order, each computed with the shared value."""
    items = list(range(40))
    with Pool(shared=1000, jobs=2) as pool:
        assert pool.map(_square, items) == [1000 + i * i for i in items]
        assert pool.map(_square, items[:3]) == [1000, 1001, 1004]


def test_unclosed_html_table_ends_with_the_page(file_tree: Callable[..., Path]) -> None:
    """An HTML table never closed still gives its rows."""
    root = file_tree(
        {
            "page.md": """\
            ---
            title: Versand
            ---

            # Versand {#deliveries}

            <table>
             <tr><th>Titel</th><th>Interner Name</th><th>Beschreibung</th></tr>
             <tr><td>Tracking</td><td>tracking</td><td>Ruft Trackingdaten ab.</td></tr>
             <tr><td>Prognose</td><td>forecasting</td><td>Analysiert Sendungen.
            """
        }
    )
    page = read_page(root / "page.md", locale="de")
    assert [r.documented_id for r in page.rows] == ["tracking", "forecasting"]
    assert page.rows[1].line == 10


def _exit_in_worker(parent: int, item: int) -> int:
    import os

    if os.getpid() != parent:
        os._exit(3)  # a worker killed mid-work (out of memory, a signal)
    return item


def test_pool_redoes_the_work_when_a_worker_dies() -> None:
    """A worker that dies leaves no hole: the work is done again in this process."""
    import os

    items = list(range(20))
    with Pool(shared=os.getpid(), jobs=2) as pool:
        assert pool.map(_exit_in_worker, items) == items
        assert pool.jobs == 1
