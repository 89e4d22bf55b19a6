"""`wfgen l10n glossary`: do-not-translate terms and UI terms as TBX and CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from generator.cli import cli
from generator.l10n.glossary import glossary_terms, to_csv, to_tbx
from generator.l10n.po import load_translations
from generator.l10n.update import L10nSettings
from tests.conftest import CATALOG, LOCALES, bundled_catalog
from tests.l10n_sources import bundled_messages

SCHEMA = Path(__file__).resolve().parents[1] / "generator" / "schemas" / "tbx-basic-subset.rng"
SETTINGS = L10nSettings(catalog_dir=CATALOG, locales_dir=LOCALES)
ARGS = ["--catalog", str(CATALOG), "--locales", str(LOCALES)]


def test_tbx_validates_against_its_schema_and_reads_back() -> None:
    """The TBX is valid against the TBX-Basic subset schema, and translate-toolkit reads it."""
    from translate.storage import tbx

    result = CliRunner().invoke(cli, ["l10n", "glossary", "--format", "tbx", *ARGS])
    assert result.exit_code == 0, result.output
    data = result.output.encode("utf-8")
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    assert schema.validate(etree.fromstring(data)), schema.error_log
    units = tbx.tbxfile.parsestring(data).units
    catalog = bundled_catalog()
    assert {w.id for w in catalog.workflows} <= {str(u.source) for u in units}


def test_schema_rejects_what_is_not_tbx() -> None:
    """The schema is not a rubber stamp: a term without a language or a bad picklist fails."""
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    good = to_tbx(glossary_terms(SETTINGS, ["sv"]), ["sv"])
    for broken in (
        good.replace(b' xml:lang="sv"', b"", 1),
        good.replace(b"properNoun", b"pronoun", 1),
        good.replace(b"<tig>", b"<ntig>", 1).replace(b"</tig>", b"</ntig>", 1),
    ):
        assert broken != good
        assert not schema.validate(etree.fromstring(broken))


def test_csv_lists_every_canonical_id_as_do_not_translate() -> None:
    """One locale: `source,target` rows; every workflow id and module key maps to itself."""
    result = CliRunner().invoke(
        cli, ["l10n", "glossary", "--format", "csv", "--locale", "sv", *ARGS]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    pairs = {r[0]: r[1] for r in rows}
    assert all(len(r) == 2 for r in rows)
    catalog = bundled_catalog()
    for canonical in [*(w.id for w in catalog.workflows), *(m.key for m in catalog.modules)]:
        assert pairs.get(canonical) == canonical, canonical
    assert pairs["{time}"] == "{time}" and pairs["Adobe Campaign"] == "Adobe Campaign"


def test_ui_terms_carry_each_locale_translation() -> None:
    """Module names and table words carry the PO file's translation; several locales make a
    table with a header of language codes."""
    sv = load_translations(LOCALES, "sv")
    module = next(
        m for m in bundled_messages() if m.context.startswith("module|") and sv.get(m.context)
    )
    text = to_csv(glossary_terms(SETTINGS, ["de", "sv"]), ["de", "sv"])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["en", "de", "sv"]
    by_english = {r[0]: r for r in rows[1:]}
    assert by_english[module.english][2] == sv.get(module.context)


def test_glossary_writes_a_file_and_rejects_unknown_locales(tmp_path: Path) -> None:
    """-o writes the file; a locale without a PO file is a usage error (exit 2)."""
    out = tmp_path / "terms.tbx"
    runner = CliRunner()
    result = runner.invoke(cli, ["l10n", "glossary", "-o", str(out), *ARGS])
    assert result.exit_code == 0 and out.read_bytes().startswith(b"<?xml")
    result = runner.invoke(cli, ["l10n", "glossary", "--locale", "fr", *ARGS])
    assert result.exit_code == 2
