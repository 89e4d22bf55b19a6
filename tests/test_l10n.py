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
from generator.commands.l10n import L10nSettings, init_locale, update_all
from generator.errors import UsageError
from generator.l10n.po import load_translations, po_path, read_po_file
from generator.l10n.po_write import dump_po
from generator.l10n.review import clear_review, mark_review, needs_review
from generator.l10n.stats import stats, stats_json
from tests.conftest import CATALOG, LOCALES
from tests.l10n_sources import bundled_messages

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
    workflows = [m for m in bundled_messages() if m.context.endswith("|label")]
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
    return _headers(path, [name])[name]


def _headers(path: Path, names: list[str]) -> dict[str, str]:
    """Header fields of a PO file, from one reading of it."""
    headers = dict(read_po_file(path).mime_headers)
    return {name: str(headers[name]) for name in names}


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
    assert _headers(path, list(mine)) == mine
    update_all(project)
    assert _headers(path, list(mine)) == mine


def test_init_writes_cldrs_plural_rule(project: L10nSettings) -> None:
    """A new PO file carries the plural rule CLDR gives its locale (Polish: three forms)."""
    from babel import Locale

    init_locale(project, "pl")
    rule = _header(po_path(project.locales_dir, "pl"), "Plural-Forms")
    assert rule.startswith(f"nplurals={len(Locale.parse('pl').plural_form.tags)};")
    assert rule.startswith("nplurals=3;")


def test_changed_english_makes_exactly_that_entry_fuzzy(project: L10nSettings) -> None:
    """Changing one description marks only that entry fuzzy, in every locale; a second run is a no-op."""
    files = {
        p.parent.parent.name: read_po_file(p)
        for p in project.locales_dir.glob("*/LC_MESSAGES/workflows.po")
    }
    target = next(
        m
        for m in bundled_messages()  # the project's catalogue is still the bundled one
        if m.context.endswith("|description")
        and all(
            (e := po.get(m.english, context=m.context)) is not None and e.string and not e.fuzzy
            for po in files.values()
        )
    )
    assert target.reference is not None
    yaml_file = project.catalog_dir.parent / target.reference[0]
    text = yaml_file.read_text(encoding="utf-8")
    assert text.count(target.english) == 1
    yaml_file.write_text(
        text.replace(target.english, target.english + " Edited."), encoding="utf-8"
    )
    # The PO files are as read above: only the catalogue changed.
    before = {loc: {str(m.context) for m in files[loc] if m.fuzzy} for loc in ("sv", "de", "it")}
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
    """Per locale and module, translated + fuzzy + untranslated equals the catalogue's entries;
    the build uses the translated ones and those awaiting review."""
    total = len(bundled_messages())  # the project's catalogue is a copy of the bundled one
    data = stats_json(stats(project))
    for locale, counts in data["locales"].items():  # type: ignore[union-attr]
        assert counts["translated"] + counts["fuzzy"] + counts["untranslated"] == total
        assert sum(m["total"] for m in counts["modules"].values()) == total
        fuzzy = sum(
            1 for m in read_po_file(po_path(project.locales_dir, locale)) if m.fuzzy and m.string
        )
        assert counts["fuzzy"] >= fuzzy
        # The build uses the translated entries and those awaiting review (both current).
        usable = counts["translated"] + counts["review"]
        assert len(load_translations(project.locales_dir, locale)) == usable


def test_cli_stats_json_and_unknown_locale(project: L10nSettings) -> None:
    """The CLI prints stats as JSON and exits 2 on an unknown locale."""
    runner = CliRunner()
    args = ["--catalog", str(project.catalog_dir), "--locales", str(project.locales_dir)]
    result = runner.invoke(cli, ["l10n", "stats", "--format", "json", *args])
    assert result.exit_code == 0 and "sv" in json.loads(result.output)["locales"]
    result = runner.invoke(cli, ["l10n", "init", "xx", *args])
    assert result.exit_code == 2


def test_stats_count_entries_awaiting_review_among_the_fuzzy(project: L10nSettings) -> None:
    """An entry awaiting review is fuzzy in stats (as in Poedit) and counted apart."""
    path = po_path(project.locales_dir, "sv")
    po = read_po_file(path, "sv")
    entry = next(m for m in po if m.id and m.context == "tracking|label")
    clear_review(entry)
    path.write_bytes(dump_po(po))
    (before,) = (r.counts for r in stats(project, ["sv"]))
    mark_review(entry, "a reason")
    path.write_bytes(dump_po(po))
    (after,) = (r.counts for r in stats(project, ["sv"]))
    assert after.review == before.review + 1 and after.fuzzy == before.fuzzy + 1
    assert after.translated == before.translated - 1 and 0 < after.review <= after.fuzzy


def test_review_entries_are_used_until_the_english_changes(project: L10nSettings) -> None:
    """The build uses an entry awaiting review; once its English changes, it does not."""
    path = po_path(project.locales_dir, "sv")
    po = read_po_file(path, "sv")
    review = [m for m in po if m.id and m.context and needs_review(m)]
    assert review, "the bundled sv file has entries awaiting review"
    usable = load_translations(project.locales_dir, "sv")
    assert all(usable.get(str(m.context)) == m.string for m in review)
    target = review[0]
    target.previous_id = ["Some older English"]
    path.write_bytes(dump_po(po))
    assert load_translations(project.locales_dir, "sv").get(str(target.context)) is None


def test_clearing_fuzzy_completes_the_review(project: L10nSettings) -> None:
    """A translator clears fuzzy (as Poedit does); the next write drops the (review) note."""
    path = po_path(project.locales_dir, "sv")
    po = read_po_file(path, "sv")
    entry = next(m for m in po if m.id and m.context and needs_review(m))
    entry.flags.discard("fuzzy")
    path.write_bytes(dump_po(po))
    update_all(project)
    again = next(m for m in read_po_file(path, "sv") if m.context == entry.context)
    assert not again.fuzzy and not needs_review(again)
    assert not any("(review)" in c for c in again.user_comments)


def test_legacy_review_flag_is_migrated_on_write(project: L10nSettings) -> None:
    """A `#, review` flag of an older file becomes fuzzy plus a (review) comment."""
    path = po_path(project.locales_dir, "it")
    po = read_po_file(path, "it")
    entry = next(m for m in po if m.id and m.context and m.string and not m.fuzzy)
    entry.flags.add("review")
    path.write_bytes(dump_po(po))
    again = next(m for m in read_po_file(path, "it") if m.context == entry.context)
    assert again.fuzzy and needs_review(again) and "review" not in again.flags


def _review_contexts(path: Path) -> set[str]:
    return {str(m.context) for m in read_po_file(path) if m.id and m.context and needs_review(m)}


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("msgmerge", "msgcat", "msgattrib")),
    reason="GNU gettext is not installed",
)
@pytest.mark.parametrize("path", BUNDLED, ids=[p.parent.parent.name for p in BUNDLED])
def test_review_state_survives_msgmerge_and_msgcat(path: Path, tmp_path: Path) -> None:
    """Every entry awaiting review still does after GNU msgmerge, msgcat and translate-toolkit."""
    want = _review_contexts(path)
    assert want, "the bundled file has entries awaiting review"
    merged, catted = tmp_path / "merged.po", tmp_path / "catted.po"
    pot = LOCALES / "workflows.pot"
    subprocess.run(
        ["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", str(merged), str(path), str(pot)],
        check=True,
    )
    subprocess.run(["msgcat", "-o", str(catted), str(merged)], check=True)
    assert _review_contexts(merged) == want
    assert _review_contexts(catted) == want
    # What editors show: GNU's own reader (msgattrib, the flag Poedit reads) lists them as
    # fuzzy; translate-toolkit, which Weblate parses PO files with, as fuzzy and for review.
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-wrap", str(catted)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert all(f'msgctxt "{context}"' in fuzzy for context in want)
    from translate.storage import factory

    store = factory.getobject(str(catted))
    units = {u.getcontext(): u for u in store.units}
    assert all(units[c].isfuzzy() and units[c].isreview() for c in want)
    written = tmp_path / "toolkit.po"
    written.write_bytes(bytes(store))  # translate-toolkit writes it back: still intact
    assert _review_contexts(written) == want


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_phrase_placeholders_are_checked_by_msgfmt(project: L10nSettings) -> None:
    """Phrase entries carry python-brace-format: msgfmt rejects {nth} for {n}, not {n}."""
    path = po_path(project.locales_dir, "sv")
    entries = [m for m in read_po_file(path, "sv") if str(m.context).startswith("phrase|")]
    assert all("python-brace-format" in m.flags for m in entries if "{" in str(m.id))
    text = path.read_text(encoding="utf-8")
    bad = text.replace(
        'msgid "every {n} hours"\nmsgstr ""', 'msgid "every {n} hours"\nmsgstr "var {nth} timme"'
    )
    assert bad != text
    path.write_text(bad, encoding="utf-8")
    run = subprocess.run(
        ["msgfmt", "--check-format", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode != 0 and "'n'" in run.stderr


def test_update_moves_nth_translations_to_the_ordinal_phrase(project: L10nSettings) -> None:
    """An older file's "var {nth} timme" for "every {n} hours" moves to every_nth_hour."""
    path = po_path(project.locales_dir, "sv")
    text = path.read_text(encoding="utf-8")
    old = text.replace(
        'msgid "every {n} hours"\nmsgstr ""', 'msgid "every {n} hours"\nmsgstr "var {nth} timme!"'
    )
    path.write_text(old, encoding="utf-8")
    update_all(project)
    po = {str(m.context): m for m in read_po_file(path, "sv") if m.context}
    assert po["phrase|every_hours"].string == ""
    assert po["phrase|every_nth_hour"].string == "var {nth} timme"  # translated: kept


def test_cli_locale_option_limits_stats_and_check(project: L10nSettings) -> None:
    """--locale limits stats and check to one locale; a locale without a PO file exits 2."""
    runner = CliRunner()
    args = ["--catalog", str(project.catalog_dir), "--locales", str(project.locales_dir)]
    result = runner.invoke(cli, ["l10n", "stats", "--format", "json", "--locale", "sv", *args])
    assert result.exit_code == 0 and set(json.loads(result.output)["locales"]) == {"sv"}
    result = runner.invoke(cli, ["l10n", "check", "--format", "json", "--locale", "de", *args])
    files = {p["file"] for p in json.loads(result.output)["problems"]}
    assert files and all("/de/" in f for f in files)
    result = runner.invoke(cli, ["l10n", "check", "--locale", "fr", *args])
    assert result.exit_code == 2 and "fr" in result.output
