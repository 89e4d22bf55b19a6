"""docs check is never confidently wrong, and a page's answer is its own.

Generated list pages (windows of 5-40 rows of a product's list of technical workflows) have
some ids and labels translated into made-up words of several scripts, the same words for the
same workflow across the pages of one language, as a translation memory gives them. Each page
is damaged or not (a row removed next to a translated row, a row written twice, two rows
swapped), then checked alone and inside batches of other generated pages. No row may get a
wrong id (two swapped rows that only the order places are reported as order-only, never
silently), and a row settled alone gets the same id in every batch.
"""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.docs import read_page
from generator.docs.align_rows import workflow_label
from generator.docs.check import align_pages
from generator.docs.results import PageReport
from generator.load.catalog import Catalog, load_catalog

from .conftest import CATALOG, examples

# Made-up words are drawn from these scripts: none of them holds a canonical id's letters.
SCRIPTS = (
    "αβγδεζηθικλμνξπρστφχψω",
    "абвгдежзиклмнопрстуфхцчшщ",
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家",
    "가나다라마바사아자차카타파하거너더러머버서어저처커터퍼허",
    "bcdfghjklmnpqrstvwxz",
)
PRODUCTS = {"classic-v7": "Campaign Classic", "v8": "Campaign v8"}


@functools.cache
def _bundled() -> Catalog:
    return load_catalog([CATALOG])[0]


def _words(key: str, script: str, n: int = 2) -> str:
    """The same made-up words for the same key: a language's consistent translation."""
    rng = random.Random(key)
    return " ".join("".join(rng.choice(script) for _ in range(rng.randint(2, 6))) for _ in range(n))


def _list(catalog: Catalog, product: str) -> list[tuple[str, str, str, str]]:
    """(label, id, package, description) of a product's list page, in its order."""
    found = [
        w
        for w in catalog.workflows
        if product in w.products and not w.obsolete and not w.is_template
    ]
    found.sort(key=lambda w: (workflow_label(w, product).casefold(), w.id))
    return [(workflow_label(w, product), w.id, w.package, w.description) for w in found]


Row = tuple[str, str, str, str, str]  # label, documented id, package, description, true id


def _page(rng: random.Random, catalog: Catalog, locale: str, script: str) -> list[Row]:
    """A window of a product's list with some rows translated the language's way."""
    product = rng.choice(sorted(PRODUCTS))
    rows = _list(catalog, product)
    size = rng.randint(5, min(40, len(rows)))
    start = rng.randrange(len(rows) - size + 1)
    page: list[Row] = []
    share = rng.uniform(0.1, 0.6)
    for label, wid, package, text in rows[start : start + size]:
        if rng.random() < share:
            said = _words(f"{locale}|{wid}|label", script)
            written = said.replace(" ", "") if rng.random() < 0.7 else _words(wid, script, 1)
            foreign_text = rng.random() < 0.5
            page.append(
                (
                    said,
                    written,
                    _words(f"{locale}|{package}", script),
                    _words(f"{locale}|{wid}|text", script, 6) if foreign_text else text,
                    wid,
                )
            )
        else:
            page.append((label, wid, _words(f"{locale}|{package}", script), text, wid))
    return page


def _damage(rng: random.Random, rows: list[Row], kind: str) -> list[Row]:
    translated = [i for i, r in enumerate(rows) if r[1] != r[4]]
    if kind == "none" or not translated:
        return rows
    k = rng.choice(translated)
    near = [j for j in (k - 1, k + 1) if 0 <= j < len(rows)]
    if kind == "removed":
        gone = rng.choice(near)
        return [r for i, r in enumerate(rows) if i != gone]
    if kind == "doubled":
        twice = rng.choice(near)
        return [*rows[: twice + 1], rows[twice], *rows[twice + 1 :]]
    other = k + 1 if k + 1 < len(rows) else k - 1
    swapped = list(rows)
    swapped[k], swapped[other] = swapped[other], swapped[k]
    return swapped


_UNSAID = ("---", "title: Technical workflows", "---", "", "# Technical workflows", "")
_HEADER = "| Workflow | Package | Description |"


def _write_list(
    path: Path,
    rows: list[tuple[str, str, str, str]],
    *,
    head: tuple[str, ...] = _UNSAID,
    header: str = _HEADER,
) -> None:
    """A list page: ``head``, then one ``**Label** (id) | package | text`` row per row."""
    lines = [
        *head,
        header,
        "|---|---|---|",
        *(f"| **{label}** ({wid}) | {package} | {text} |" for label, wid, package, text in rows),
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def _write(rows: list[Row], path: Path) -> None:
    _write_list(path, [row[:4] for row in rows])


def _verdicts(report: PageReport) -> list[tuple[str, str | None, bool]]:
    return [(r.status, r.canonical_id, r.order_only) for r in report.rows]


def _assert_never_wrong(report: PageReport, rows: list[Row], kind: str) -> None:
    assert len(report.rows) == len(rows)
    for result, row in zip(report.rows, rows, strict=True):
        if result.status not in ("ok", "mismatch"):  # unresolved, or an id no catalogue has
            continue
        if result.canonical_id != row[4]:
            # Two translated rows that traded places look the same as the right order: only
            # the order speaks, and the row says so.
            assert kind == "swapped" and result.order_only, (kind, row, result)


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 1_000_000),
    kind=st.sampled_from(["none", "removed", "doubled", "swapped"]),
    others=st.integers(1, 4),
)
def test_never_wrong_and_the_same_alone_as_in_any_batch(
    *, tmp_path_factory: pytest.TempPathFactory, seed: int, kind: str, others: int
) -> None:
    """A damaged or whole page: no wrong id alone or in a batch; a row settled alone keeps its
    id and status in every batch, and a batch never gives a row an id that differs from the
    one it has alone."""
    catalog = _bundled()
    rng = random.Random(seed)
    script = rng.choice(SCRIPTS)
    locale = rng.choice(["el-GR", "ru-RU", "ko-KR", "fi-FI", "pl-PL"])  # no PO file bundled
    folder = tmp_path_factory.mktemp("trust")
    rows = _damage(rng, _page(rng, catalog, locale, script), kind)
    path = folder / locale / "page.md"
    _write(rows, path)
    page = read_page(path)
    (alone,) = align_pages([page], catalog=catalog)
    _assert_never_wrong(alone, rows, kind)
    extra = []
    for n in range(others):
        other = folder / locale / f"other-{n}.md"
        _write(_page(rng, catalog, locale, script), other)
        extra.append(read_page(other))
    for batch in ([page, *extra], [*extra, page]):
        reports = align_pages(batch, catalog=catalog)
        together = next(r for r in reports if r.path == path)
        _assert_never_wrong(together, rows, kind)
        for one, many in zip(_verdicts(alone), _verdicts(together), strict=True):
            if one[0] in ("ok", "mismatch"):
                assert many == one, (one, many)
            elif many[0] in ("ok", "mismatch"):
                assert not many[2], many  # a batch never settles a row by the order alone


# --- the rules, one page each ------------------------------------------------------------------

_CLASSIC = ("---", "solution: Campaign Classic", "title: Flussi tecnici", "---", "")


def _classic_page(path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    _write_list(path, rows, head=_CLASSIC, header="| Flusso di lavoro | Pacchetto | Descrizione |")


def _classic_rows(catalog: Catalog) -> list[tuple[str, str, str, str]]:
    return _list(catalog, "classic-v7")


def _check(path: Path, known: dict[str, str] | None = None) -> PageReport:
    (report,) = align_pages([read_page(path)], catalog=_bundled(), labels_for=lambda _: known or {})
    return report


def test_a_workflow_the_product_lacks_is_named_only_by_its_id(tmp_path: Path) -> None:
    """A Campaign Classic page row whose label is the locale's label of a workflow only
    Campaign v8 ships: the label alone never makes the row that workflow."""
    catalog = _bundled()
    rows = _classic_rows(catalog)
    v8_only = next(w for w in catalog.workflows if w.products == ("v8",) and not w.is_template)
    at = 10
    rows.insert(at, ("Replica veloce", "replicaVeloce", "Pacchetto", "Replica i dati."))
    path = tmp_path / "it-IT" / "page.md"
    _classic_page(path, rows)
    report = _check(path, {v8_only.id: "Replica veloce"})
    result = report.rows[at]
    assert report.product == "classic-v7"
    assert (result.status, result.canonical_id) in (("unresolved", None), ("unknown", None))
    assert result.canonical_id != v8_only.id


def test_own_evidence_against_the_order_is_unresolved_with_both(tmp_path: Path) -> None:
    """A translated row sits where the order puts one workflow while its label is the
    locale's label of another the page lacks: neither wins, both are in the evidence."""
    catalog = _bundled()
    rows = _classic_rows(catalog)
    at, other = 12, 17
    label_of_other = "Etichetta dell'altro"
    rows[at] = (label_of_other, "flussoTradotto", rows[at][2], "Descrizione tradotta.")
    voted, named = _classic_rows(catalog)[at][1], _classic_rows(catalog)[other][1]
    del rows[other]
    path = tmp_path / "it-IT" / "page.md"
    _classic_page(path, rows)
    result = _check(path, {named: label_of_other}).rows[at]
    assert result.status == "unresolved", result
    text = " ".join(result.evidence)
    assert f"`{named}`" in text and f"`{voted}`" in text, result.evidence


def test_two_translated_rows_that_traded_places_are_order_only_and_left_by_docs_fix(
    tmp_path: Path,
) -> None:
    """Two adjacent rows with made-up ids and labels trade places: the order maps each to the
    other's workflow, says it is the order alone, and docs fix leaves both unless told."""
    from generator.docs.fix import plan_fix

    catalog = _bundled()
    rows = _classic_rows(catalog)
    at = 20
    for k in (at, at + 1):
        package = rows[k][2]
        rows[k] = (_words(f"{k}|l", SCRIPTS[0]), _words(f"{k}|i", SCRIPTS[0], 1), package, "—")
    rows[at], rows[at + 1] = rows[at + 1], rows[at]
    path = tmp_path / "el-GR" / "page.md"
    _classic_page(path, rows)
    report = _check(path)
    mapped = [r for r in report.rows[at : at + 2] if r.status == "mismatch"]
    assert len(mapped) == 2, report.rows[at : at + 2]
    assert all(r.order_only and r.confidence <= 0.6 for r in mapped), mapped
    assert all(any(e.startswith("order only") for e in r.evidence) for r in mapped)
    data = path.read_bytes()
    left = plan_fix(report, data)
    assert left.fixed == data and len(left.skipped) == 2
    assert len(plan_fix(report, data, accept_order=True).edits) == 2


def _module_page(path: Path, rows: list[tuple[str, str, str]]) -> None:
    """A Campaign Classic Deliveries page with a Label | ID | Description pipe table."""
    lines = [
        *_CLASSIC,
        "# Consegne {#deliveries}",
        "",
        "| Etichetta | ID | Descrizione |",
        "|---|---|---|",
        *(f"| {label} | {wid} | {text} |" for label, wid, text in rows),
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("written", ["{id})", "({id}", "{id}.", "«{id}»"])
def test_a_stray_character_beside_an_id_is_punctuation_and_anchors_the_order(
    tmp_path: Path, written: str
) -> None:
    """`tracking)` names `tracking` exactly: the row anchors the order like an exact row, so
    the translated row between it and the next exact row is placed, and docs fix removes the
    stray character."""
    from generator.docs.fix import plan_fix

    catalog = _bundled()
    module = catalog.module("deliveries")
    assert module is not None
    order = list(module.order("classic-v7"))
    rows = [(catalog.get(w).label, w, catalog.get(w).description) for w in order]  # type: ignore[union-attr]
    at = 3
    label, wid, text = rows[at]
    rows[at] = (label, written.format(id=wid), text)
    placed = rows[at + 1][1]
    rows[at + 1] = ("Tradotto", "flussoTradotto", "Descrizione tradotta.")
    path = tmp_path / "it-IT" / "page.md"
    _module_page(path, rows)
    report = _check(path)
    assert report.module == "deliveries"
    stray = report.rows[at]
    assert (stray.status, stray.canonical_id) == ("mismatch", wid), stray
    assert "punctuation" in stray.evidence[0]
    middle = report.rows[at + 1]
    assert (middle.status, middle.canonical_id) == ("mismatch", placed), middle
    fixed = plan_fix(report, path.read_bytes()).fixed.decode()
    assert f"| {wid} |" in fixed and written.format(id=wid) not in fixed
