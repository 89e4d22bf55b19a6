"""PO files of the catalogue: extract, init, update, stats, and the bundled locales."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.errors import UsageError
from generator.l10n.po import dump_po, load_translations, po_path, read_po_file
from generator.l10n.stats import stats, stats_json
from generator.l10n.update import L10nSettings, init_locale, load_messages, update_all

from .conftest import CATALOG, LOCALES

BUNDLED = sorted(LOCALES.glob("*/LC_MESSAGES/workflows.po"))


@pytest.fixture
def project(tmp_path: Path) -> L10nSettings:
    """A copy of the bundled catalogue and locales."""
    shutil.copytree(CATALOG, tmp_path / "catalog")
    shutil.copytree(LOCALES, tmp_path / "locales")
    return L10nSettings(catalog_dir=tmp_path / "catalog", locales_dir=tmp_path / "locales")


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.po*"))}


def test_bundled_locales_hold_sv_de_it() -> None:
    """The repository ships Swedish, German and Italian PO files."""
    assert {p.parent.parent.name for p in BUNDLED} >= {"sv", "de", "it"}


@pytest.mark.parametrize("path", BUNDLED, ids=[p.parent.parent.name for p in BUNDLED])
def test_bundled_po_round_trips_through_babel(path: Path) -> None:
    """Reading a PO file and writing it again changes no byte."""
    assert dump_po(read_po_file(path)) == path.read_bytes()


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize(
    "path",
    [*BUNDLED, LOCALES / "workflows.pot"],
    ids=lambda p: p.name if p.suffix == ".pot" else p.parent.parent.name,
)
def test_bundled_po_passes_msgfmt_check(path: Path) -> None:
    """GNU msgfmt --check accepts every bundled file."""
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_bundled_locales_are_mostly_translated() -> None:
    """Most workflows have a translated or reviewable label in each bundled locale."""
    workflows = [m for m in load_messages(CATALOG) if m.context.endswith("|label")]
    for path in BUNDLED:
        po = {str(m.context): m for m in read_po_file(path) if m.context}
        filled = [m for m in workflows if po.get(m.context) and po[m.context].string]
        assert len(filled) * 2 > len(workflows), path


def test_update_of_bundled_files_is_a_no_op(project: L10nSettings) -> None:
    """Updating the committed files changes no byte: not the first time, not the second."""
    before = _snapshot(project.locales_dir)
    update_all(project)
    assert _snapshot(project.locales_dir) == before
    update_all(project)
    assert _snapshot(project.locales_dir) == before


def _header(path: Path, name: str) -> str:
    return str(dict(read_po_file(path).mime_headers)[name])


def test_update_keeps_the_translators_header(project: L10nSettings) -> None:
    """Plural-Forms, Language-Team and Last-Translator of an existing PO file are the
    translator's: update keeps them even where they differ from what CLDR and wfgen would
    write (msgmerge behaves the same)."""
    path = po_path(project.locales_dir, "it")
    mine = {
        "Plural-Forms": "nplurals=1; plural=0;",
        "Language-Team": "Squadra <squadra@example.org>",
        "Last-Translator": "Maria Rossi <maria@example.org>",
    }
    text = path.read_text(encoding="utf-8")
    for name, value in mine.items():
        text = re.sub(rf'^"{name}: .*\\n"$', f'"{name}: {value}\\\\n"', text, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    assert {name: _header(path, name) for name in mine} == mine
    update_all(project)
    assert {name: _header(path, name) for name in mine} == mine


def test_init_writes_cldrs_plural_rule(project: L10nSettings) -> None:
    """A new PO file carries the plural rule CLDR gives its locale (Polish: three forms)."""
    from babel import Locale

    init_locale(project, "pl")
    rule = _header(po_path(project.locales_dir, "pl"), "Plural-Forms")
    assert rule.startswith(f"nplurals={len(Locale.parse('pl').plural_form.tags)};")
    assert rule.startswith("nplurals=3;")


def test_changed_english_makes_exactly_that_entry_fuzzy(project: L10nSettings) -> None:
    """Changing one description marks only that entry fuzzy, in every locale; a second run is a no-op."""
    target = next(
        m
        for m in load_messages(project.catalog_dir)
        if m.context.endswith("|description")
        and all(
            (e := read_po_file(p).get(m.english, context=m.context)) is not None
            and e.string
            and not e.fuzzy
            for p in project.locales_dir.glob("*/LC_MESSAGES/workflows.po")
        )
    )
    assert target.reference is not None
    yaml_file = project.catalog_dir.parent / target.reference[0]
    text = yaml_file.read_text(encoding="utf-8")
    assert text.count(target.english) == 1
    yaml_file.write_text(
        text.replace(target.english, target.english + " Edited."), encoding="utf-8"
    )
    before = {
        loc: {str(m.context) for m in read_po_file(po_path(project.locales_dir, loc)) if m.fuzzy}
        for loc in ("sv", "de", "it")
    }
    update_all(project)
    for locale in ("sv", "de", "it"):
        po = read_po_file(po_path(project.locales_dir, locale))
        fuzzy = {str(m.context) for m in po if m.fuzzy}
        assert fuzzy - before[locale] == {target.context}
        entry = po.get(target.english + " Edited.", context=target.context)
        assert entry is not None and entry.previous_id == [target.english]
    snapshot = _snapshot(project.locales_dir)
    update_all(project)
    assert _snapshot(project.locales_dir) == snapshot


def test_removed_workflow_becomes_obsolete_and_comments_survive(project: L10nSettings) -> None:
    """A workflow gone from the catalogue is kept as #~; translator comments stay."""
    path = po_path(project.locales_dir, "sv")
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('msgctxt "budgetMgt|label"', '# kept note\nmsgctxt "budgetMgt|label"'),
        encoding="utf-8",
    )
    update_all(project)
    assert "# kept note" in path.read_text(encoding="utf-8")
    campaign = project.catalog_dir / "workflows" / "campaign.yaml"
    modules = project.catalog_dir / "modules.yaml"
    for file in (campaign, modules):
        file.write_text(
            re.sub(r"\bbudgetMgt\b", "budgetMgtRenamed", file.read_text(encoding="utf-8")),
            encoding="utf-8",
        )
    update_all(project)
    po = read_po_file(path)
    assert any(m.context == "budgetMgt|label" and m.string for m in po.obsolete.values())
    assert '#~ msgctxt "budgetMgt|label"' in path.read_text(encoding="utf-8")


def test_init_rejects_unknown_locale(project: L10nSettings) -> None:
    """An unknown locale code is a usage error naming the code."""
    with pytest.raises(UsageError, match="xx"):
        init_locale(project, "xx")


def test_init_creates_any_cldr_locale(project: L10nSettings) -> None:
    """init writes an untranslated PO file for a new CLDR locale."""
    result = init_locale(project, "fr")
    assert result.changed and po_path(project.locales_dir, "fr").is_file()
    assert len(load_translations(project.locales_dir, "fr")) == 0


def test_stats_add_up_and_fuzzy_is_not_translated(project: L10nSettings) -> None:
    """Per locale and module, translated + fuzzy + untranslated equals the catalogue's entries."""
    total = len(load_messages(project.catalog_dir))
    data = stats_json(stats(project))
    for locale, counts in data["locales"].items():  # type: ignore[union-attr]
        assert counts["translated"] + counts["fuzzy"] + counts["untranslated"] == total
        assert sum(m["total"] for m in counts["modules"].values()) == total
        fuzzy = sum(
            1 for m in read_po_file(po_path(project.locales_dir, locale)) if m.fuzzy and m.string
        )
        assert counts["fuzzy"] >= fuzzy
        assert len(load_translations(project.locales_dir, locale)) == counts["translated"]


def test_cli_stats_json_and_unknown_locale(project: L10nSettings) -> None:
    """The CLI prints stats as JSON and exits 2 on an unknown locale."""
    runner = CliRunner()
    args = ["--catalog", str(project.catalog_dir), "--locales", str(project.locales_dir)]
    result = runner.invoke(cli, ["l10n", "stats", "--format", "json", *args])
    assert result.exit_code == 0 and "sv" in json.loads(result.output)["locales"]
    result = runner.invoke(cli, ["l10n", "init", "xx", *args])
    assert result.exit_code == 2


def test_stats_count_entries_flagged_for_review(project: L10nSettings) -> None:
    """Translated entries flagged `review` are counted apart, as a part of the translated."""
    path = po_path(project.locales_dir, "sv")
    po = read_po_file(path, "sv")
    entry = next(m for m in po if m.id and m.context == "tracking|label")
    entry.flags.discard("review")
    path.write_bytes(dump_po(po))
    before = {r.locale: r.counts for r in stats(project)}["sv"]
    entry.flags.add("review")
    path.write_bytes(dump_po(po))
    after = {r.locale: r.counts for r in stats(project)}["sv"]
    assert after.review == before.review + 1
    assert after.translated == before.translated and 0 < after.review <= after.translated
