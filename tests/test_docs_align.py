"""Alignment as real translated pages need it: local order, learnt labels, history, import."""

from __future__ import annotations

import functools
import random
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.commands.docs_import import ImportSettings, import_pages
from generator.docs import align, check_pages, labels_from_po, read_page
from generator.docs.align_rows import workflow_label
from generator.docs.check import align_pages
from generator.docs.learn import learn_labels
from generator.docs.results import PageReport, RowResult
from generator.l10n.po import po_path, read_po_file
from generator.load.catalog import Catalog, load_catalog

from .conftest import CATALOG, LOCALES, PAGES, REFERENCE, SEEDS, examples

ALIGN = PAGES / "align"
FIXTURES = sorted(ALIGN.glob("*/*.md"))


@functools.cache
def _bundled() -> Catalog:
    loaded, _ = load_catalog([CATALOG / "modules.yaml", CATALOG / "workflows"])
    return loaded


@pytest.fixture
def catalog() -> Catalog:
    """The bundled catalogue (workflows and modules only)."""
    return _bundled()


def _rows(report: PageReport) -> dict[str, tuple[str, str | None]]:
    return {r.documented_id: (r.status, r.canonical_id) for r in report.rows}


def _one(name: str, catalog: Catalog) -> PageReport:
    return align(read_page(ALIGN / name), catalog)


@functools.cache
def _run() -> dict[str, PageReport]:
    """Every fixture page checked in one run (labels learnt across them)."""
    report = check_pages(FIXTURES, catalog=_bundled())
    assert not report.errors
    return {p.path.relative_to(ALIGN).as_posix(): p for p in report.pages}


@pytest.mark.parametrize("page", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_alignment_is_pinned(page: Path, data_regression: object) -> None:
    """Each fixture page's verdicts in a run over all of them match the pinned golden."""
    report = _run()[page.relative_to(ALIGN).as_posix()]
    data = {
        "module": report.module,
        "product": report.product,
        "layout": report.layout,
        "missing": list(report.missing),
        "rows": [
            {k: v for k, v in r.to_json().items() if k not in {"line", "label"}}
            for r in report.rows
        ],
    }
    data_regression.check(data)  # type: ignore[attr-defined]


def test_out_of_order_exact_row_keeps_order_for_the_rest(catalog: Catalog) -> None:
    """An exact row listed elsewhere (as an older page did) leaves the rest of the order usable."""
    rows = _rows(_one("es-ES/list-order-local.md", catalog))
    assert rows["tracking"] == ("ok", "tracking")
    assert rows["recopilarSolicitudes"] == ("mismatch", "collectPrivacyRequests")
    assert rows["limpieza"] == ("mismatch", "cleanup")


def test_order_fills_a_gap_and_a_schedule_vetoes_it(catalog: Catalog) -> None:
    """Between exact rows the order maps a translated id; a row whose stated time is not the
    voted workflow's stays unresolved instead of taking it."""
    report = _one("es-ES/deliveries-veto.md", catalog)
    rows = _rows(report)
    assert rows["limpieza"] == ("mismatch", "cleanup")
    assert rows["calculoNocturno"] == ("unresolved", None)


def test_module_table_all_translated_maps_row_by_row(catalog: Catalog) -> None:
    """A module table with every id translated and as many rows as the module's workflows."""
    report = _one("nl-NL/campaign-all-translated.md", catalog)
    assert [(r.status, r.canonical_id) for r in report.rows] == [
        ("mismatch", wid)
        for wid in catalog.module("campaign").order("classic-v7")  # type: ignore[union-attr]
    ]


def test_labels_learnt_on_one_page_resolve_another(catalog: Catalog) -> None:
    """A label an exact row teaches resolves a translated id on another page of the run only."""
    alone = _rows(_one("pt-BR/learn-list.md", catalog))
    assert alone["faturamento"] == ("unresolved", None)
    together = _rows(_run()["pt-BR/learn-list.md"])
    assert together["faturamento"] == ("mismatch", "billing")
    learned = learn_labels([read_page(p) for p in FIXTURES], catalog).for_locale("pt_BR")
    assert learned["billing"] == ("Faturamento",)


def test_learnt_label_shared_by_two_workflows_is_dropped(catalog: Catalog) -> None:
    """A label two workflows' exact rows share teaches neither."""
    page = read_page(ALIGN / "es-ES/list-packages-obsolete.md")
    learned = learn_labels([page], catalog).for_locale("es")
    # deliverabilityUpdate appears twice on the page: its rows teach nothing.
    assert "deliverabilityUpdate" not in learned
    assert learned["tracking"] == ("Trabajos de seguimiento",)


def test_translated_placeholder_is_a_mismatch(catalog: Catalog) -> None:
    """``mcSynch_<nombre_cuenta_externa>`` is to be fixed to the canonical template id."""
    (row,) = _one("es-ES/message-center-control.md", catalog).rows
    assert (row.status, row.canonical_id) == ("mismatch", "mcSynch_<external_account_name>")


def test_two_packages_and_obsolete_rows_are_ok(catalog: Catalog) -> None:
    """A workflow under two packages is ok twice; a dropped workflow is ok, obsolete, and says
    where it was last listed."""
    report = _one("es-ES/list-packages-obsolete.md", catalog)
    assert all(r.status == "ok" for r in report.rows)
    seeds = next(r for r in report.rows if r.documented_id == "updateRenderingSeeds")
    assert seeds.obsolete and "last listed" in seeds.evidence[-1]
    assert "4a41aea9edfe" in seeds.evidence[-1]


def test_obsolete_workflow_has_its_last_listing_and_is_never_scheduled(catalog: Catalog) -> None:
    """The catalogue keeps updateRenderingSeeds as obsolete with its last English listing."""
    workflow = catalog.get("updateRenderingSeeds")
    assert workflow is not None and workflow.obsolete and workflow.last_listed is not None
    assert workflow.last_listed.version == "4a41aea9edfe"
    assert workflow.schedule is None


# --- docs import uses docs check's alignment ------------------------------------------------


def _import_pages() -> list[Path]:
    reference = sorted(p for loc in ("sv", "de", "it") for p in (REFERENCE / loc).glob("*.md"))
    return [*sorted(SEEDS.glob("*.txt")), *reference, *FIXTURES]


def test_import_and_check_agree_on_every_row(tmp_path: Path) -> None:
    """For every row of the fixtures, `docs import` writes only under the workflow `docs check`
    names, and skips (reporting it) every row `docs check` leaves unresolved."""
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES, locales)
    pages = _import_pages()
    report = check_pages(
        pages,
        catalog=_bundled(),
        labels_for=lambda loc: labels_from_po(po_path(locales, loc)),
    )
    result = import_pages(
        ImportSettings(pages=tuple(pages), catalog_dir=CATALOG, locales_dir=locales)
    )
    events: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
    for event in result.events:
        events[(event.page, event.line)].append((event.kind, event.context))
    checked = 0
    for page in report.pages:
        if page.locale.split("_")[0] == "en":
            continue
        # Two entries in one cell are two rows on one line: import reports them by line.
        on_line: dict[int, set[str | None]] = defaultdict(set)
        for row in page.rows:
            on_line[row.row.line].add(row.canonical_id)
        for row in page.rows:
            here = events.get((page.path.as_posix(), row.row.line), [])
            contexts = {
                c.split("|")[0] for _, c in here if c and not c.startswith(("ui|", "module|"))
            }
            if row.status == "unresolved":
                assert ("unresolved", "") in here, (page.path, row)
                assert contexts <= on_line[row.row.line], (page.path, row, here)
            else:
                assert contexts <= on_line[row.row.line], (page.path, row, here)
            checked += 1
    assert checked > 100


def test_import_never_overwrites_a_workflow_the_row_does_not_stand_for(tmp_path: Path) -> None:
    """A German `bereinigung` row standing for cleanup: --overwrite leaves the translation of
    cleanupPausedWorkflows alone, and anything imported goes under cleanup."""
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES, locales)
    text = (REFERENCE / "de" / "classic-v7_deliveries.md").read_text(encoding="utf-8")
    assert ">cleanup<" in text
    page = tmp_path / "de-DE" / "deliveries.md"
    page.parent.mkdir()
    page.write_text(text.replace(">cleanup<", ">bereinigung<"), encoding="utf-8")
    before = {m.context: m.string for m in read_po_file(po_path(locales, "de"))}
    check = check_pages([page], catalog=_bundled())
    row = next(r for r in check.pages[0].rows if r.documented_id == "bereinigung")
    assert (row.status, row.canonical_id) == ("mismatch", "cleanup")
    result = import_pages(
        ImportSettings(pages=(page,), overwrite=True, catalog_dir=CATALOG, locales_dir=locales)
    )
    after = {m.context: m.string for m in read_po_file(po_path(locales, "de"))}
    for context in ("cleanupPausedWorkflows|label", "cleanupPausedWorkflows|description"):
        assert after[context] == before[context]
    line = row.row.line
    assert all(
        e.context.startswith("cleanup|") for e in result.events if e.line == line and e.context
    )


# --- property: list pages damaged the way translation and versions damage them -------------


def _list_page(catalog: Catalog) -> list[tuple[str, str, str, str]]:
    """(label, id, package, description) of the Campaign Classic v7 list, in its order."""
    product = "classic-v7"
    found = [
        w
        for w in catalog.workflows
        if product in w.products and not w.obsolete and not w.is_template
    ]
    found.sort(key=lambda w: (workflow_label(w, product).casefold(), w.id))
    return [(workflow_label(w, product), w.id, w.package, w.description) for w in found]


Row = tuple[str, str, str, str]

# A Campaign Classic list page, in Spanish: frontmatter, title and the table's header.
_CLASSIC_HEAD = (
    "---",
    "solution: Campaign Classic",
    "title: Flujos de trabajo técnicos",
    "---",
    "",
    "# Flujos de trabajo técnicos {#about-technical-workflows}",
    "",
    "| Flujo de trabajo técnico | Paquete | Descripción |",
)


def _write(rows: list[Row], path: Path, *, head: tuple[str, ...] = _CLASSIC_HEAD) -> None:
    lines = [
        *head,
        "|---|---|---|",
        *(f"| **{label}** ({wid}) | {package} | {text} |" for label, wid, package, text in rows),
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


@settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# A translated id, a dropped row and a foreign row under the same package in one gap: the
# order and the package point the foreign row at the dropped workflow; its label must not.
@example(seed=871, renamed=2, deleted=2, inserted=True, moved=False, same_package=True)
@given(
    seed=st.integers(0, 100_000),
    renamed=st.integers(1, 3),
    deleted=st.integers(0, 2),
    inserted=st.booleans(),
    moved=st.booleans(),
    same_package=st.booleans(),
)
def test_mutated_list_page_is_right_or_unresolved(
    *,
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    renamed: int,
    deleted: int,
    inserted: bool,
    moved: bool,
    same_package: bool,
) -> None:
    """Ids translated, rows removed or inserted, a renamed row moved by a place: every renamed
    row maps to its workflow or stays unresolved; named rows stay ok; an inserted row of a
    workflow the catalogue lacks is never confidently mapped, even under the package of the
    row before it."""
    catalog = _bundled()
    rng = random.Random(seed)
    rows = _list_page(catalog)
    victims = set(rng.sample(range(len(rows)), renamed))
    new_ids: dict[str, str] = {}
    for i in sorted(victims):
        label, wid, package, text = rows[i]
        new = "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(5, 10)))
        new_ids[new] = wid
        rows[i] = (label, new, package, text)
    for _ in range(deleted):
        keep = [i for i, r in enumerate(rows) if r[1] not in new_ids]
        del rows[rng.choice(keep)]
    foreign = "archivoNocturnoExterno"
    if inserted:
        at = rng.randrange(len(rows) + 1)
        package = rows[at - 1][2] if same_package and at else "Otro paquete"
        rows.insert(at, ("Archivo nocturno", foreign, package, "Archiva los datos externos."))
    if moved:
        at = next(i for i, r in enumerate(rows) if r[1] in new_ids)
        other = at + rng.choice([-1, 1])
        if 0 <= other < len(rows) and catalog.get(rows[other][1]):
            rows[at], rows[other] = rows[other], rows[at]
    path = tmp_path_factory.mktemp("list") / "es-ES" / "page.md"
    _write(rows, path)
    known = {w.id: workflow_label(w, "classic-v7") for w in catalog.workflows}
    (report,) = align_pages([read_page(path)], catalog=catalog, labels_for=lambda _: known)
    for result in report.rows:
        documented = result.documented_id
        if documented in new_ids:
            assert result.status == "unresolved" or result.canonical_id == new_ids[documented], (
                result
            )
        elif documented == foreign:
            assert result.status == "unresolved", result
        else:
            assert result.status == "ok", result


def test_list_page_reading_in_the_property_matches_its_rows(tmp_path: Path) -> None:
    """The property's synthetic list page is read as a list table with every row."""
    rows = _list_page(_bundled())
    _write(rows, tmp_path / "es-ES" / "page.md")
    page = read_page(tmp_path / "es-ES" / "page.md")
    assert page.layout == "list-table" and len(page.rows) == len(rows)
    assert [r.documented_id for r in page.rows] == [r[1] for r in rows]
    assert not [r for r in rows if re.search(r"[|*]", r[0])]


def test_gap_counts_match_package_by_package(catalog: Catalog) -> None:
    """Between two exact rows the catalogue lists more workflows than the page has rows; the
    Package cells the exact rows taught tell which of them the translated rows are."""
    rows = _rows(_one("ja-JP/list-package-gap.md", catalog))
    assert rows["追跡"] == ("mismatch", "tracking")
    assert rows["予測"] == ("mismatch", "forecasting")
    # A package cell no exact row explains leaves the order undecided.
    assert rows["サービスプロバイダー"] == ("unresolved", None)


def test_row_resolved_by_package_gap_teaches_other_versions() -> None:
    """A translated row the order and packages resolve on one page version teaches its
    translated id to another version of the run, where the order alone cannot place it."""
    older = ALIGN / "ja-JP" / "list-older-version.md"
    alone = check_pages([older], catalog=_bundled()).pages[0]
    assert _rows(alone)["追跡"] == ("unresolved", None)
    together = check_pages([older, ALIGN / "ja-JP" / "list-package-gap.md"], catalog=_bundled())
    assert _rows(together.pages[0])["追跡"] == ("mismatch", "tracking")


# --- the documented order where translated ids leave few exact rows ---------------------------


def _foreign(rng: random.Random) -> str:
    """A made-up id in a script no canonical id uses (no word of any language)."""
    return "".join(rng.choice("αβγδεζηθικλμνξπρστφχψω") for _ in range(rng.randint(4, 8)))


def _unsaid_product_page(rows: list[Row], path: Path) -> None:
    """A list page whose frontmatter, path and links do not say which product it documents."""
    head = ("---", "title: Technical workflows", "---", "", "| Workflow | Package | Description |")
    _write(rows, path, head=head)


def _settled_around(
    tmp_path: Path, catalog: Catalog, rows: list[Row], start: int, last: Row, seed: int
) -> tuple[PageReport, dict[int, RowResult]]:
    """The list page with rows ``start`` to ``start + 3`` replaced by three: the first
    workflow's label with a foreign id, a row of foreign words only, and ``last``'s label with
    a foreign id; the PO file knows the two labels. The report and its rows by index."""
    rng = random.Random(seed)
    first = rows[start]
    page_rows = list(rows)
    page_rows[start : start + 4] = [
        (first[0], _foreign(rng), first[2], first[3]),
        (_foreign(rng), _foreign(rng), _foreign(rng), "."),
        (last[0], _foreign(rng), last[2], last[3]),
    ]
    path = tmp_path / "ko-KR" / "page.md"
    _write(page_rows, path)
    known = {first[1]: first[0], last[1]: last[0]}
    (report,) = align_pages([read_page(path)], catalog=catalog, labels_for=lambda _: known)
    return report, {r.row.index: r for r in report.rows}


@pytest.mark.parametrize("start", [8, 20, 30])
def test_rows_settled_by_their_labels_anchor_the_order(tmp_path: Path, start: int) -> None:
    """A page version lacks a workflow, so between its exact rows the order has one workflow
    too many; two translated rows that their labels settle then enclose a third whose id,
    label and package say nothing: the order has exactly its workflow between them."""
    catalog = _bundled()
    rows = _list_page(catalog)
    first, middle, last, dropped = rows[start : start + 4]
    report, found = _settled_around(tmp_path, catalog, rows, start, last, seed=start)
    assert (found[start].status, found[start].canonical_id) == ("mismatch", first[1])
    assert (found[start + 2].status, found[start + 2].canonical_id) == ("mismatch", last[1])
    placed = found[start + 1]
    assert (placed.status, placed.canonical_id) == ("mismatch", middle[1]), placed
    assert any("documented order" in why for why in placed.evidence), placed.evidence
    assert dropped[1] not in {r.canonical_id for r in report.rows}


def test_settled_rows_enclosing_two_workflows_leave_the_row_unresolved(tmp_path: Path) -> None:
    """The same, but the dropped workflow lies between the settled rows: the order has two
    workflows for the one row between them and cannot say which it is."""
    catalog = _bundled()
    rows = _list_page(catalog)
    start = 20
    # The page lacks the third workflow: the second and third enclose the one row.
    first, _, _, last = rows[start : start + 4]
    _, found = _settled_around(tmp_path, catalog, rows, start, last, seed=3)
    assert found[start].canonical_id == first[1] and found[start + 2].canonical_id == last[1]
    assert (found[start + 1].status, found[start + 1].canonical_id) == ("unresolved", None)


def test_a_page_that_does_not_say_its_product_gets_the_one_its_order_fits(
    tmp_path: Path,
) -> None:
    """Every exact id of the page is shipped by two products; the rows between them match the
    documented list of only one of them, which is the page's product. Its order alone does not
    place the translated rows where the other product's order would place them otherwise: a
    vote that rests on a guessed product is no evidence, so those rows stay unresolved."""
    catalog = _bundled()
    product = "v8"
    shipped = [
        w
        for w in catalog.workflows
        if product in w.products and not w.obsolete and not w.is_template
    ]
    shipped.sort(key=lambda w: (workflow_label(w, product).casefold(), w.id))
    rng = random.Random(8)
    # Rows of workflows the other product lacks have translated ids: every exact id fits both.
    renamed = {
        w.id: _foreign(rng)
        for w in shipped
        if not all(p in w.products for p in ("classic-v7", product))
    }
    assert renamed and len(renamed) < len(shipped) // 2
    rows = [
        (workflow_label(w, product), renamed.get(w.id, w.id), w.package, w.description)
        for w in shipped
    ]
    path = tmp_path / "ko-KR" / "page.md"
    _unsaid_product_page(rows, path)
    page = read_page(path)
    assert page.product is None
    (report,) = align_pages([page], catalog=catalog)
    assert report.product == product
    back = {new: wid for wid, new in renamed.items()}
    for result in report.rows:
        if result.documented_id in back:
            assert result.status == "unresolved" or (result.status, result.canonical_id) == (
                "mismatch",
                back[result.documented_id],
            ), result
            assert not result.order_only, result
        else:
            assert result.status == "ok", result


def test_row_enclosed_by_settled_rows_keeps_a_schedule_veto(tmp_path: Path) -> None:
    """Settled rows enclose one row as above, but its description states a clock time its
    workflow never runs at: the order's vote is vetoed and the row stays unresolved."""
    catalog = _bundled()
    rows = _list_page(catalog)
    start = next(
        i
        for i in range(1, len(rows) - 4)
        if (w := catalog.get(rows[i + 1][1])) is not None and w.schedule and w.schedule.at
    )
    rng = random.Random(start)
    first, middle, last, _ = rows[start : start + 4]
    workflow = catalog.get(middle[1])
    assert workflow is not None and workflow.schedule is not None
    hour = (int(str(workflow.schedule.at).split(":")[0]) + 7) % 24
    page_rows = list(rows)
    page_rows[start : start + 4] = [
        (first[0], _foreign(rng), first[2], first[3]),
        (_foreign(rng), _foreign(rng), _foreign(rng), f"{_foreign(rng)} {hour:02d}:37."),
        (last[0], _foreign(rng), last[2], last[3]),
    ]
    path = tmp_path / "ko-KR" / "page.md"
    _write(page_rows, path)
    known = {first[1]: first[0], last[1]: last[0]}
    (report,) = align_pages([read_page(path)], catalog=catalog, labels_for=lambda _: known)
    found = {r.row.index: r for r in report.rows}
    assert found[start].canonical_id == first[1] and found[start + 2].canonical_id == last[1]
    assert (found[start + 1].status, found[start + 1].canonical_id) == ("unresolved", None)
