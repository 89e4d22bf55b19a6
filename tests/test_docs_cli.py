"""What the docs commands say they did: folders without pages, --glob, --quiet, the summary's
counts, rows whose id no catalogue has (`unknown`), and an import that imported nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import cli
from generator.commands.init import init_project
from generator.l10n.abbreviations import abbreviations, mask_abbreviations
from tests.conftest import CATALOG, LOCALES, REFERENCE, SEEDS

SEED = SEEDS / "000_8a3a9101eb550119.txt"


def wfgen(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _bundled(*args: str) -> Result:
    return wfgen(*args, "--catalog", str(CATALOG), "--locales", str(LOCALES))


@pytest.mark.parametrize("command", ["check", "fix"])
def test_folder_without_pages_exits_2_naming_the_patterns(tmp_path: Path, command: str) -> None:
    """A folder where nothing matches is an error naming the patterns searched, not a pass."""
    (tmp_path / "pages").mkdir()
    shutil.copy(SEED, tmp_path / "pages" / "deliveries.txt")
    result = _bundled("docs", command, str(tmp_path / "pages"))
    assert result.exit_code == 2, result.output
    assert "*.md, *.markdown" in result.stderr and "--glob" in result.stderr
    result = _bundled("docs", command, str(tmp_path / "pages"), "--glob", "*.TXT")
    assert result.exit_code == 1, result.output  # the page is read: spårning is a mismatch
    assert "spårning" in result.output + result.stderr


def test_fix_accepts_a_folder_as_check_does(tmp_path: Path) -> None:
    """`docs fix DIR` finds the folder's pages as `docs check DIR` does and plans their fixes."""
    pages = tmp_path / "sv"
    shutil.copytree(REFERENCE / "sv", pages)
    checked = _bundled("docs", "check", str(pages), "--format", "json", "--jobs", "1")
    mismatches = checked.output.count('"status": "mismatch"')
    assert checked.exit_code == 1 and mismatches
    result = _bundled("docs", "fix", str(pages))
    assert result.exit_code == 1, result.output
    replaced = [line for line in result.output.splitlines() if ": replace `" in line]
    assert len(replaced) == mismatches
    before = {p: p.read_bytes() for p in pages.rglob("*.md")}
    assert _bundled("docs", "fix", str(pages), "--write").exit_code in (0, 1)
    assert [p for p, data in before.items() if p.read_bytes() != data]
    assert (
        '"status": "mismatch"'
        not in _bundled("docs", "check", str(pages), "--format", "json").output
    )


def test_summary_counts_every_severity_printed() -> None:
    """A finding printed as `error` is counted among the errors of the summary line."""
    result = _bundled("docs", "check", str(SEED))
    printed = {
        severity: len(re.findall(rf": {severity} [a-z-]+: ", result.output))
        for severity in ("error", "warning", "info")
    }
    assert printed["error"] >= 1, result.output
    summary = result.output.splitlines()[-1]
    expected = (
        f"{printed['error']} error(s), {printed['warning']} warning(s), {printed['info']} info"
    )
    assert summary.endswith(expected), summary


def test_quiet_prints_only_the_problems() -> None:
    """-q: one line per flagged row or finding, no heading, evidence or summary."""
    loud = _bundled("docs", "check", str(SEED))
    quiet = _bundled("docs", "check", "-q", str(SEED))
    assert quiet.exit_code == loud.exit_code == 1
    lines = quiet.output.splitlines()
    assert lines and all(line.startswith(f"{SEED}:") for line in lines), lines
    flagged = [
        line.strip()
        for line in loud.output.splitlines()
        if line.strip().startswith(f"{SEED}:") and ": row " in line and ": note: " not in line
    ]
    assert [line for line in lines if ": row " in line] == flagged
    assert len(lines) < len(loud.output.splitlines()) - 1


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """`wfgen init`'s project: a catalogue of two workflows (cleanup, tracking)."""
    init_project(tmp_path / "p")
    return tmp_path / "p"


def test_id_in_no_catalogue_is_unknown_with_the_hint(
    small_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows naming workflows the small catalogue lacks are `unknown` with the hint; a
    translated id (non-ASCII, or spelling the row's label) stays `unresolved`."""
    monkeypatch.chdir(small_project)
    page = REFERENCE / "sv" / "classic-v7_deliveries.md"
    result = wfgen("docs", "check", str(page), "--format", "json")
    assert result.exit_code == 1
    import json

    rows = json.loads(result.output)["pages"][0]["rows"]
    status = {r["documented_id"]: r["status"] for r in rows}
    assert status["cleanup"] == "ok"
    assert status["billing"] == status["offerMgt"] == "unknown"
    assert status["spårning"] == "unresolved"
    text = wfgen("docs", "check", str(page)).output
    assert "unknown: `billing` ('Fakturering') is not in the catalogue; hint: add the workflow" in (
        text
    )
    assert "`wfgen catalog sync`" in text
    about = wfgen(
        "docs", "check", "--format", "json", str(REFERENCE / "sv" / "v8_technical-workflows.md")
    )
    spelled = {
        r["documented_id"]: r["status"] for r in json.loads(about.output)["pages"][0]["rows"]
    }
    assert spelled["fakturering"] == spelled["prognos"] == "unresolved"
    assert spelled["billing"] == "unknown" if "billing" in spelled else True


def test_import_of_nothing_exits_1(small_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`docs import` of pages that give no translation says so and exits 1; a page that gives
    one exits 0, and so does importing it again (already so translated)."""
    monkeypatch.chdir(small_project)
    assert wfgen("l10n", "extract").exit_code == 0
    assert wfgen("l10n", "init", "sv").exit_code == 0
    lone = small_project / "sv" / "lone.md"
    lone.parent.mkdir()
    text = (REFERENCE / "sv" / "classic-v7_deliveries.md").read_text(encoding="utf-8")
    # Without the cleanup row every row names a workflow this catalogue lacks.
    rows = re.split(r"(?=<tr>)", text)
    lone.write_text("".join(r for r in rows if 'uicontrol">cleanup<' not in r), encoding="utf-8")
    result = wfgen("docs", "import", str(lone))
    assert result.exit_code == 1, result.output
    assert "nothing imported" in result.stderr
    full = small_project / "sv" / "deliveries.md"
    full.write_text(text, encoding="utf-8")
    first = wfgen("docs", "import", str(full))
    assert first.exit_code == 0, first.output
    again = wfgen("docs", "import", str(full))
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[-1].startswith("0 imported, "), again.output
    assert " 0 unchanged" not in again.output


@pytest.mark.parametrize("locale", ["sv", "de", "it", "fr", "nb", "ja"])
def test_new_project_translations_raise_no_warning(
    small_project: Path, monkeypatch: pytest.MonkeyPatch, locale: str
) -> None:
    """`wfgen init`, `l10n extract`, `l10n init L`: the entries pre-filled from CLDR raise
    no warning (an abbreviation such as "kl." is no sentence end)."""
    monkeypatch.chdir(small_project)
    assert wfgen("l10n", "extract").exit_code == 0
    assert wfgen("l10n", "init", locale).exit_code == 0
    result = wfgen("l10n", "check")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "0 error(s), 0 warning(s)", result.output
    assert " warning " not in result.output


def test_abbreviations_come_from_cldr_and_do_not_end_sentences() -> None:
    """Swedish "kl." (CLDR's time patterns) and German "Okt." (month names) are abbreviations;
    a real full stop still ends a sentence."""
    assert "kl." in abbreviations("sv") and "Okt." in abbreviations("de")
    assert mask_abbreviations("varje dag kl. {times}", "sv") == "varje dag kl {times}"
    assert mask_abbreviations("Kör t.ex. Alla dagar.", "sv") == "Kör tex Alla dagar."
    assert mask_abbreviations("Kör. Sedan stopp.", "sv") == "Kör. Sedan stopp."
    assert abbreviations("xx-unknown") == frozenset()


def test_a_page_titled_as_the_site_does_not_name_its_module(tmp_path: Path) -> None:
    """The Campaign Standard page is titled as the whole reference ("Tekniska arbetsflöden"):
    `docs import` does not take that title as the module's name, and says so."""
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES, locales)
    po = locales / "sv" / "LC_MESSAGES" / "workflows.po"
    entry = 'msgctxt "module|standard"\nmsgid "Campaign Standard"\nmsgstr "Campaign Standard"'
    text = po.read_text("utf-8")
    assert entry in text and 'msgstr "Tekniska arbetsflöden"' in text  # ui|index-title
    po.write_text(text.replace(entry, entry.replace('msgstr "Campaign Standard"', 'msgstr ""')))
    page = REFERENCE / "sv" / "standard_technical-workflows.md"
    result = wfgen(
        "docs", "import", str(page), "--catalog", str(CATALOG), "--locales", str(locales)
    )
    assert result.exit_code == 0, result.output
    assert "skipped: module|standard: the page's title 'Tekniska arbetsflöden'" in result.output
    assert entry.replace('msgstr "Campaign Standard"', 'msgstr ""') in po.read_text("utf-8")
