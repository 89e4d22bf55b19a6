"""Reading documentation pages and aligning their rows to the catalogue."""

from __future__ import annotations

import functools
import json
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import cli
from generator.docs import align, check_pages, labels_from_po, read_page
from generator.errors import InputError
from generator.load.catalog import Catalog, load_catalog
from tests.conftest import CATALOG, LOCALES, REFERENCE, SEEDS, examples

SEED_PAGES = sorted(SEEDS.glob("*.txt"))


@functools.cache
def _bundled() -> Catalog:
    loaded, _ = load_catalog([CATALOG / "modules.yaml", CATALOG / "workflows"])
    return loaded


@pytest.fixture
def catalog() -> Catalog:
    """The bundled catalogue (workflows and modules only)."""
    return _bundled()


def _flagged(page: Path, catalog: Catalog) -> dict[str, str | None]:
    report = align(read_page(page), catalog)
    return {r.documented_id: r.canonical_id for r in report.rows if r.status != "ok"}


@pytest.mark.parametrize("page", SEED_PAGES, ids=lambda p: p.stem)
def test_seed_alignment_is_pinned(page: Path, catalog: Catalog, data_regression: object) -> None:
    """Each seed's verdicts (status, canonical id, evidence) match the pinned golden."""
    report = align(read_page(page), catalog)
    data = report.to_json()
    data["path"] = page.name
    data_regression.check(data)  # type: ignore[attr-defined]


def test_seed_known_answers(catalog: Catalog) -> None:
    """The seeds flag exactly spårning, providerMgt and fornitoreMgt, and the obsolete row."""
    flagged = {p.name[:3]: _flagged(p, catalog) for p in SEED_PAGES}
    assert flagged == {
        "000": {"spårning": "tracking"},
        "001": {"providerMgt": "supplierMgt"},
        "002": {},
        "003": {},
        "004": {"fornitoreMgt": "supplierMgt"},
    }
    deliveries = align(read_page(SEED_PAGES[0]), catalog)
    obsolete = [r for r in deliveries.rows if r.obsolete]
    assert [(r.documented_id, r.replaced_by, r.status) for r in obsolete] == [
        ("billingActiveContactCount", "billing", "ok")
    ]


@pytest.mark.parametrize("locale", ["en", "sv", "de", "it"])
def test_reference_pages_flag_only_non_canonical_ids(locale: str, catalog: Catalog) -> None:
    """On the reference pages every flagged row writes an id the catalogue does not have."""
    for page in sorted((REFERENCE / locale).glob("*.md")):
        report = align(read_page(page), catalog)
        for row in report.rows:
            if row.status != "ok":
                assert catalog.get(row.documented_id) is None or row.evidence[0].startswith(
                    f"`{row.documented_id}` is also"
                ), (page.name, row)


def test_english_standard_page_names_the_duplicate(catalog: Catalog) -> None:
    """The Campaign Standard page's second SyncWithLaunch row is flagged as a repeat."""
    report = align(read_page(REFERENCE / "en" / "standard_technical-workflows.md"), catalog)
    repeated = [r for r in report.rows if any("repeats the id" in e for e in r.evidence)]
    assert [r.label for r in repeated] == ["Tracking logs recovery"]
    assert repeated[0].status in {"mismatch", "unresolved"}
    first = next(r for r in report.rows if r.label == "Sync with Launch")
    assert (first.status, first.canonical_id) == ("ok", "syncWithLaunch")
    assert "Campaign Standard documentation writes" in first.evidence[0]


def test_reader_cleans_markup_entities_and_damage(file_tree: Callable[..., Path]) -> None:
    """Labels and ids lose markup, entities and mojibake; raw text keeps the damage."""
    root = file_tree(
        {
            "it/page.md": """
        ---
        title: Pagina
        ---
        # Pagina{#campaign}

        Lead paragraph.

        |Flusso di lavoro tecnico|Pacchetto|Descrizione|
        |---|---|---|
        |**[!UICONTROL Calcolo l&#39;costi]** (budgetMgt)|Campaign|Attivit√† alle 2:00.|
        |**Tracciamento** (tracking|Consegna|Ogni ora.|
        """
        }
    )
    page = read_page(root / "it/page.md")
    assert page.locale == "it" and page.layout == "list-table" and page.anchor == "campaign"
    first, second = page.rows
    assert first.label == "Calcolo l'costi" and first.documented_id == "budgetMgt"
    assert first.description == "Attività alle 2:00." and "√" in first.raw_description
    assert second.documented_id == "tracking" and second.line == 11


def test_unreadable_page_is_an_error_naming_it(
    file_tree: Callable[..., Path], catalog: Catalog
) -> None:
    """Broken frontmatter raises InputError with file:line; check_pages goes on with the rest."""
    root = file_tree({"bad.md": "---\ntitle: [unclosed\n---\n# T\n", "none.md": b"\xff\xfe"})
    with pytest.raises(InputError, match=r"bad\.md:\d+"):
        read_page(root / "bad.md", locale="en")
    report = check_pages([root / "bad.md", SEED_PAGES[1], root / "none.md"], catalog=catalog)
    assert [p.path for p in report.pages] == [SEED_PAGES[1]]
    assert [e.path.name for e in report.errors] == ["bad.md", "none.md"]


def test_locale_cannot_be_told(file_tree: Callable[..., Path]) -> None:
    """A page with no locale evidence is a clear error asking for --locale."""
    root = file_tree({"page.md": "# X\n\n|a|b|c|\n|---|---|---|\n|x|yZ|z|\n"})
    with pytest.raises(InputError, match="--locale"):
        read_page(root / "page.md")


def _mutate(text: str, rng: random.Random, how: str) -> tuple[str, str, str | None]:
    """Rename one id of an HTML table; return new text, the new id and the renamed one."""
    ids = re.findall(r'<td> <span class="uicontrol">(\w+)</span>', text)
    ids = [i for n, i in enumerate(ids) if n % 2 == 1]
    victim = rng.choice(ids)
    if how == "nonword":
        new = "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(5, 10)))
    else:
        new = "ärende" + victim[-3:]
    return text.replace(f">{victim}<", f">{new}<"), new, victim


@settings(
    max_examples=examples(50),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 10_000),
    how=st.sampled_from(["nonword", "translated"]),
    page=st.sampled_from([p for p in SEED_PAGES if "<table" in p.read_text(encoding="utf-8")]),
    shuffle=st.booleans(),
    delete=st.booleans(),
)
def test_mutated_page_is_right_or_unresolved(
    *,
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    how: str,
    page: Path,
    shuffle: bool,
    delete: bool,
) -> None:
    """A renamed id maps to the renamed workflow or stays unresolved, never to a wrong one,
    also when rows are deleted or the renamed row moves by a place."""
    rng = random.Random(seed)
    text, new, victim = _mutate(page.read_text(encoding="utf-8"), rng, how)
    rows = re.findall(r"  <tr> \n.*?</tr>", text, re.DOTALL)
    body = rows[1:]
    if delete and len(body) > 3:
        keep = [r for r in body if f">{new}<" in r or rng.random() > 0.2]
        body = keep
    if shuffle:
        # Translation moves a row by a place at most: the renamed row swaps with a neighbour
        # named exactly. (Two translated rows swapped are the same page to the order; only
        # their labels can tell them apart.)
        at = next(i for i, r in enumerate(body) if f">{new}<" in r)
        other = at + rng.choice([-1, 1])
        named = (
            re.findall(r'<span class="uicontrol">(\w+)</span>', body[other])
            if 0 <= other < len(body)
            else []
        )
        if any(_bundled().get(i) for i in named):
            body[at], body[other] = body[other], body[at]
    start = text.index(rows[0])
    end = text.index(rows[-1]) + len(rows[-1])
    text = text[:start] + rows[0] + "\n" + "\n".join(body) + text[end:]
    target = tmp_path_factory.mktemp("mut") / page.name
    target.write_text(text, encoding="utf-8")
    catalog = _bundled()
    mutated = read_page(target)
    # As `docs check` runs: with the locale's labels, which let a row's own words veto the order.
    known = labels_from_po(LOCALES / mutated.locale / "LC_MESSAGES" / "workflows.po")
    report = align(mutated, catalog, known_labels=known)
    for row in report.rows:
        if row.documented_id == new:
            assert row.status == "unresolved" or row.canonical_id == victim, row
        elif catalog.get(row.documented_id):
            assert row.status == "ok"


def test_cli_seeds_json_and_exit_code() -> None:
    """`wfgen docs check` on the seeds exits 1 and prints the documented JSON keys."""
    result = CliRunner().invoke(
        cli, ["docs", "check", *map(str, SEED_PAGES), "--format", "json", "--catalog", str(CATALOG)]
    )
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    row = data["pages"][0]["rows"][0]
    assert {
        "row",
        "label",
        "documented_id",
        "canonical_id",
        "status",
        "confidence",
        "evidence",
    } <= set(row)
    assert {"path", "locale", "module", "rows", "missing"} <= set(data["pages"][0])


def test_cli_exit_codes(file_tree: Callable[..., Path]) -> None:
    """All-ok pages exit 0; an unreadable page exits 2 while the others are still reported."""
    ok = REFERENCE / "de" / "classic-v7_campaign.md"
    runner = CliRunner()
    assert runner.invoke(cli, ["docs", "check", str(ok), "--catalog", str(CATALOG)]).exit_code == 0
    root = file_tree({"bad.md": "---\n: [\n---\n"})
    result = runner.invoke(
        cli, ["docs", "check", str(root / "bad.md"), str(ok), "--catalog", str(CATALOG)]
    )
    assert result.exit_code == 2
    assert "classic-v7_campaign.md" in result.stdout and "bad.md" in result.stderr


@pytest.mark.parametrize(
    ("headers", "locale"),
    [
        (("Libellé", "Nom interne", "Description"), "fr"),
        (("Etiqueta", "Nombre interno", "Descripción"), "es"),
        (("Label", "Interne naam", "Beschrijving"), "nl"),
        (("Rótulo", "Nome interno", "Descrição"), "pt"),
        (("ラベル", "内部名", "説明"), "ja"),
        (("标签", "内部名称", "描述"), "zh"),
    ],
)
def test_locale_from_table_headers(
    file_tree: Callable[..., Path], headers: tuple[str, str, str], locale: str
) -> None:
    """Header words of the documentation's languages tell a page's locale when its prose
    (left in English here) cannot."""
    head = "".join(f"<td><strong>{h}</strong></td>" for h in headers)
    row = "<td>Tracking</td><td>tracking</td><td>This workflow recovers tracking data.</td>"
    page = f"# Page\n\n<table><tbody><tr>{head}</tr><tr>{row}</tr></tbody></table>\n"
    root = file_tree({"page.md": page})
    assert read_page(root / "page.md").locale == locale
