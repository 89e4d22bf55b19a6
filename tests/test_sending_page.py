"""Reading the sending page in every language, aligning it to the model, and rendering it."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from generator.docs.sending_page import (
    align_sending_page,
    check_sending_page,
    is_sending_page,
    read_sending_page,
)
from generator.errors import InputError
from generator.sending import load_model, messages
from tests.conftest import CATALOG, REFERENCE, SEEDS

MODEL = load_model(CATALOG / "sending.yaml")
SEED = next(SEEDS.glob("002_*"))
PAGES = [
    SEED,
    *sorted(REFERENCE.glob("*/standard_confirming-the-send.md")),
    REFERENCE / "en" / "source-of-seed-002_confirming-the-send.md",
]


def test_swedish_tables_pinned(data_regression) -> None:  # type: ignore[no-untyped-def]
    """The Swedish seed's two tables read the same as the pinned regression file."""
    page = read_sending_page(SEED)
    data_regression.check({"locale": page.locale, "tables": [asdict(t) for t in page.tables]})


@pytest.mark.parametrize("path", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_language_reads_two_tables_of_five_rows(path: Path) -> None:
    """Each language version of the page yields both tables, the KPI list and the title."""
    page = read_sending_page(path)
    assert [len(t.rows) for t in page.tables] == [
        len(MODEL.table(m).shown) for m in ("efs", "no_efs")
    ]
    assert len(page.kpis) == len(MODEL.kpis)
    assert all(len(row.effects) == 2 for t in page.tables for row in t.rows)


def test_english_page_aligns_to_nothing() -> None:
    """The English page is the model's source, so it offers no translation at all."""
    page = read_sending_page(REFERENCE / "en" / "source-of-seed-002_confirming-the-send.md")
    assert align_sending_page(page, MODEL) == []


def test_swedish_seed_translates_every_string() -> None:
    """The Swedish seed translates every sending string its tables and prose hold."""
    found = dict(align_sending_page(read_sending_page(SEED), MODEL))
    prose_only = {
        f"sending|event|{row.event}" for row in MODEL.table("efs").rows if not row.in_table
    }
    wanted = {c for c, _, _ in messages(MODEL)} - prose_only
    assert set(found) == wanted
    assert found["sending|status|pending"] == "Väntande"
    assert "{kpi}" in found["sending|ui|effect_increase"]
    assert "{percent}" in found["sending|ui|effect_starts_at"]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_published_pages_keep_ui_terms(path: Path) -> None:
    """Every published version keeps the UI terms verbatim and its statuses consistent."""
    errors = list(check_sending_page(read_sending_page(path), MODEL))
    assert errors == []


def test_translated_ui_term_is_reported(tmp_path: Path) -> None:
    """A page that translates a UI term, or words a status two ways, is reported at the line."""
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("**[!UICONTROL Compute stats]**", "**Beräkna statistik**")
    text = text.replace("| Skickat |", "| Skickad |", 1)
    broken = tmp_path / "sv" / "page.md"
    broken.parent.mkdir()
    broken.write_text(text, encoding="utf-8")
    problems = check_sending_page(read_sending_page(broken), MODEL)
    lines = text.splitlines()
    codes = {p.code: p for p in problems}
    assert "Beräkna statistik" in lines[codes["sending-ui-term"].location.line - 1]
    assert "Skickat" in lines[codes["sending-term-inconsistent"].location.line - 1]


def test_other_pages_are_not_the_sending_page() -> None:
    """Module pages are not mistaken for the sending page."""
    other = REFERENCE / "en" / "classic-v7_deliveries.md"
    assert not is_sending_page(other.read_text(encoding="utf-8"))
    with pytest.raises(InputError):
        read_sending_page(other)


def test_import_then_build_writes_swedish_and_fallback_pages(tmp_path: Path) -> None:
    """docs import of seed 002 then build: sv in Swedish, en plain, other locales translated
    where their PO file has the term and visibly English where it has not."""
    import shutil

    from click.testing import CliRunner

    from generator.cli import cli
    from tests.conftest import LOCALES

    locales = tmp_path / "locales"
    shutil.copytree(LOCALES, locales)
    runner = CliRunner()
    imported = runner.invoke(
        cli, ["docs", "import", str(SEED), "--locales", str(locales), "--catalog", str(CATALOG)]
    )
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "out"
    built = runner.invoke(
        cli,
        [
            "build",
            "--quiet",
            "--out",
            str(out),
            "--locales",
            str(locales),
            "--catalog",
            str(CATALOG),
        ],
    )
    assert built.exit_code == 0, built.output
    sv = (out / "docs" / "sv" / "sending.md").read_text(encoding="utf-8")
    found = dict(align_sending_page(read_sending_page(SEED), MODEL))
    for context in ("sending|status|pending", "sending|ui|table_efs", "sending|kpi|delivered"):
        assert found[context] in sv
    assert "(untranslated)" not in sv
    assert "(untranslated)" not in (out / "docs" / "en" / "sending.md").read_text(encoding="utf-8")
    from generator.l10n.po import load_translations

    fallbacks = 0
    for locale in ("de", "it"):
        page = (out / "docs" / locale / "sending.md").read_text(encoding="utf-8")
        pending = load_translations(locales, locale).get("sending|status|pending")
        if pending is None:
            fallbacks += 1
            assert "| Pending" in page and "(untranslated)" in page
        else:
            assert f"| {pending}" in page
        assert (out / "docs" / locale / "sending.html").is_file()
    assert fallbacks, "no source translates the sending page into German"
