"""wfgen docs import: page rows into PO files under canonical ids, repaired and idempotent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.commands.docs_import import ImportSettings, import_pages
from generator.docs.importer import split_sentences
from generator.l10n.po import po_path, read_po_file
from generator.l10n.review import needs_review
from tests.conftest import CATALOG, SEEDS

ITALIAN = next(SEEDS.glob("004_*.txt"))
SWEDISH_CAMPAIGN = next(SEEDS.glob("001_*.txt"))


def _settings(root: Path) -> ImportSettings:
    return ImportSettings(
        pages=(ITALIAN,), catalog_dir=root / "catalog", locales_dir=root / "locales"
    )


@pytest.fixture(scope="module")
def imported_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the catalogue and a locales folder after importing the Italian page into an
    empty one (read only: each test works on its own copy)."""
    root = tmp_path_factory.mktemp("imported")
    shutil.copytree(CATALOG, root / "catalog")
    import_pages(_settings(root))
    return root


@pytest.fixture
def settings(imported_once: Path, tmp_path: Path) -> ImportSettings:
    """Import settings of the Italian page over a copy of the catalogue, after a first import
    of the page into an empty locales folder."""
    shutil.copytree(imported_once, tmp_path, dirs_exist_ok=True)
    return _settings(tmp_path)


def test_import_writes_under_canonical_ids_and_repairs(settings: ImportSettings) -> None:
    """A translated id row lands under the canonical id; damaged text is repaired and flagged for review."""
    path = po_path(settings.locales_dir, "it")
    text = path.read_text(encoding="utf-8")
    assert "√" not in text and "&#39;" not in text
    po = read_po_file(path)
    contexts = {str(m.context) for m in po if m.string}
    assert "supplierMgt|label" in contexts
    assert not any(c.startswith("fornitoreMgt") for c in contexts)
    budget = next(m for m in po if m.context == "budgetMgt|description")
    assert "attività" in budget.string and needs_review(budget) and budget.fuzzy
    assert any("imported from" in c for c in budget.user_comments)


def test_import_twice_changes_nothing(settings: ImportSettings) -> None:
    """A second import of the same pages leaves every byte as it was."""
    before = po_path(settings.locales_dir, "it").read_bytes()
    result = import_pages(settings)
    assert po_path(settings.locales_dir, "it").read_bytes() == before
    assert not any(w.changed for w in result.written)


def test_existing_translation_is_kept_unless_overwrite(settings: ImportSettings) -> None:
    """A differing existing translation is a conflict and survives; --overwrite replaces it."""
    path = po_path(settings.locales_dir, "it")
    text = path.read_text(encoding="utf-8")
    po = read_po_file(path)
    label = next(m for m in po if m.context == "stockMgt|label")
    path.write_text(
        text.replace(f'msgstr "{label.string}"', 'msgstr "Scorte a mano"'), encoding="utf-8"
    )
    result = import_pages(settings)
    assert result.count("conflict") == 1
    assert (
        next(m for m in read_po_file(path) if m.context == "stockMgt|label").string
        == "Scorte a mano"
    )
    import_pages(ImportSettings(**{**settings.__dict__, "overwrite": True}))
    assert (
        next(m for m in read_po_file(path) if m.context == "stockMgt|label").string == label.string
    )


def test_two_pages_disagreeing_keep_one_and_record_the_other(tmp_path: Path) -> None:
    """When two pages translate an entry differently the first is kept, flagged for review,
    with the other noted."""
    shutil.copytree(CATALOG, tmp_path / "catalog")
    page = SWEDISH_CAMPAIGN.read_text(encoding="utf-8")
    variant = tmp_path / "variant.txt"
    variant.write_text(
        page.replace("Kostnadsberäkning", "Beräkning av kostnader"), encoding="utf-8"
    )
    assert variant.read_text(encoding="utf-8") != page
    settings = ImportSettings(
        pages=(SWEDISH_CAMPAIGN, variant),
        catalog_dir=tmp_path / "catalog",
        locales_dir=tmp_path / "locales",
    )
    result = import_pages(settings)
    assert result.count("alternative") >= 1
    entry = next(
        m
        for m in read_po_file(po_path(settings.locales_dir, "sv"))
        if m.context == "budgetMgt|label"
    )
    assert needs_review(entry) and entry.fuzzy and "review" not in entry.flags
    assert "alternative from" in " ".join(entry.user_comments)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Det körs dagligen kl. 2.00. Det rensar tabeller.", 2),
        ("Gestisce i processi (targeting, ecc.). Crea inoltre flussi.", 2),
        ("Den utlöses den 25:e varje månad.", 1),
    ],
)
def test_sentences_split_at_full_stops_before_capitals(text: str, count: int) -> None:
    """Sentence splitting ignores clock times and abbreviations before lower case."""
    assert len(split_sentences(text)) == count


def _bootstrap_pages() -> list[Path]:
    """The pages in the order the bootstrap command of docs/commands/l10n.md gives them: seeds, module pages,
    then list pages."""
    from tests.conftest import REFERENCE

    pages = sorted(p for locale in ("sv", "de", "it") for p in (REFERENCE / locale).glob("*.md"))
    lists = [p for p in pages if "about-technical" in p.name or "_technical-workflows" in p.name]
    return [*sorted(SEEDS.glob("*.txt")), *[p for p in pages if p not in lists], *lists]


def test_bundled_locales_are_what_the_bootstrap_writes(tmp_path: Path) -> None:
    """Importing every source page again into the bundled PO files changes no byte, so the
    shipped translations are exactly the documented bootstrap's."""
    from tests.conftest import LOCALES

    locales = tmp_path / "locales"
    shutil.copytree(LOCALES, locales)
    result = import_pages(
        ImportSettings(pages=tuple(_bootstrap_pages()), catalog_dir=CATALOG, locales_dir=locales)
    )
    assert not result.errors
    assert result.count("imported") == 0 and result.count("replaced") == 0
    for path in sorted(locales.rglob("*.po")):
        assert path.read_bytes() == (LOCALES / path.relative_to(locales)).read_bytes(), path
