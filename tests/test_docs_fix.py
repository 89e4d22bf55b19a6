"""`wfgen docs fix`: translated ids replaced by canonical ones, every other byte kept."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.docs import check_pages, labels_from_po, read_page
from generator.docs.fix import PageFix, fix_pages, plan_fix
from generator.load.catalog import Catalog
from tests.conftest import CATALOG, LOCALES, REFERENCE, SEEDS, bundled_catalog

SEED_PAGES = sorted(SEEDS.glob("*.txt"))


def _catalog() -> Catalog:
    return bundled_catalog()


def _labels(locale: str) -> dict[str, str]:
    return labels_from_po(LOCALES / locale / "LC_MESSAGES" / "workflows.po")


def _fix(paths: list[Path]) -> list[PageFix]:
    result = fix_pages(paths, catalog=_catalog(), labels_for=_labels)
    assert result.errors == ()
    return list(result.pages)


def _outside_edits_equal(fix: PageFix) -> None:
    """The bytes between the edits are those of the original page, in the same order."""
    text, fixed = fix.original.decode(), fix.fixed.decode()
    cursor = shift = 0
    for edit in fix.edits:
        assert text[cursor : edit.start] == fixed[cursor + shift : edit.start + shift]
        assert text[edit.start : edit.end] == edit.old
        assert fixed[edit.start + shift : edit.start + shift + len(edit.new)] == edit.new
        shift += len(edit.new) - len(edit.old)
        cursor = edit.end
    assert text[cursor:] == fixed[cursor + shift :]


def test_seeds_change_exactly_the_three_translated_ids() -> None:
    """On the seeds only spårning, providerMgt and fornitoreMgt change, each in its id cell."""
    fixes = _fix(SEED_PAGES)
    changes = [(f.path.name[:3], e.old, e.new) for f in fixes for e in f.edits]
    assert changes == [
        ("000", "spårning", "tracking"),
        ("001", "providerMgt", "supplierMgt"),
        ("004", "fornitoreMgt", "supplierMgt"),
    ]
    for fix in fixes:
        _outside_edits_equal(fix)
        assert fix.skipped == ()
        assert fix.changed == bool(fix.edits)


def test_fixed_page_checks_clean_and_fixing_again_changes_nothing(tmp_path: Path) -> None:
    """A fixed page has no mismatch left, and a second fix is a no-op (idempotent)."""
    page = tmp_path / SEED_PAGES[0].name
    page.write_bytes(_fix([SEED_PAGES[0]])[0].fixed)
    report = check_pages([page], catalog=_catalog())
    assert [r.status for r in report.pages[0].rows if r.status != "ok"] == []
    again = _fix([page])[0]
    assert not again.changed and again.edits == ()


def test_crlf_and_bom_are_kept(tmp_path: Path) -> None:
    """Windows line endings and a byte-order mark survive; only the id's bytes change."""
    original = SEED_PAGES[1].read_bytes().replace(b"\n", b"\r\n")
    page = tmp_path / "crlf.txt"
    page.write_bytes(b"\xef\xbb\xbf" + original)
    fix = _fix([page])[0]
    assert fix.fixed == b"\xef\xbb\xbf" + original.replace(b"providerMgt", b"supplierMgt")
    assert [(e.line, e.column) for e in fix.edits] == [(56, 33)]


def test_pipe_table_with_id_column(tmp_path: Path) -> None:
    """A Label | ID | Description pipe table: the id cell changes, the label keeps its word."""
    seed = read_page(SEED_PAGES[0])
    head = SEED_PAGES[0].read_text(encoding="utf-8").split("<table>")[0]
    rows = "".join(f"| {r.label} | {r.documented_id} | {r.description} |\n" for r in seed.rows)
    page = tmp_path / "pipe.md"
    page.write_text(f"{head}| Etikett | ID | Beskrivning |\n|---|---|---|\n{rows}\n")
    [fix] = _fix([page])
    assert [(e.old, e.new) for e in fix.edits] == [("spårning", "tracking")]
    assert "| Spårning | tracking |" in fix.fixed.decode()
    _outside_edits_equal(fix)


def test_list_table_rows() -> None:
    """A list page (`**Label** (id)`): ids inside the parentheses change, labels do not."""
    page = REFERENCE / "sv" / "classic-v7_about-technical-workflows.md"
    [fix] = _fix([page])
    assert ("spårning", "tracking") in {(e.old, e.new) for e in fix.edits}
    assert "| **Spårning** (tracking) |" in fix.fixed.decode()
    _outside_edits_equal(fix)


def test_unresolved_rows_are_listed_and_never_touched(tmp_path: Path) -> None:
    """A row the check cannot resolve (here `unknown`: an id no catalogue has) is reported
    with its line and left byte for byte."""
    text = (REFERENCE / "it" / "v8_technical-workflows.md").read_text(encoding="utf-8")
    page = tmp_path / "technical-workflows.md"
    # A label, an id and a package that say nothing: the page's order alone cannot decide.
    row = "**Tracciamento** (tracciamento) | Installato per impostazione predefinita |"
    assert row in text
    page.write_text(text.replace(row, "**Zzz** (qqq) | Zzz |"))
    report = check_pages([page], catalog=_catalog(), labels_for=_labels).pages[0]
    unresolved = [r for r in report.rows if r.status in ("unresolved", "unknown")]
    assert [(r.documented_id, r.status) for r in unresolved] == [("qqq", "unknown")]
    fix = plan_fix(report, page.read_bytes())
    assert [(s.line, s.documented_id) for s in fix.skipped] == [(unresolved[0].row.line, "qqq")]
    assert fix.edits and all(e.line != unresolved[0].row.line for e in fix.edits)
    assert "| **Zzz** (qqq) |" in fix.fixed.decode()
    _outside_edits_equal(fix)


def test_id_written_twice_in_its_cell_is_left() -> None:
    """When the id cell holds the id twice, which one to replace is unknown: nothing changes."""
    report = check_pages([SEED_PAGES[1]], catalog=_catalog(), labels_for=_labels).pages[0]
    doubled = (
        SEED_PAGES[1]
        .read_bytes()
        .replace(
            b'<span class="uicontrol">providerMgt</span>',
            b'<span class="uicontrol">providerMgt</span> <!-- providerMgt -->',
        )
    )
    fix = plan_fix(report, doubled)
    assert fix.edits == () and not fix.changed
    assert [s.documented_id for s in fix.skipped] == ["providerMgt"]
    assert "2 times" in fix.skipped[0].reason


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, ["docs", "fix", *args, "--catalog", str(CATALOG), "--locales", str(LOCALES)]
    )
    return result.exit_code, result.stdout, result.stderr


def test_cli_diff_prints_a_patch_and_writes_nothing(tmp_path: Path) -> None:
    """--diff: a unified diff on stdout, exit 1, the page on disk unchanged."""
    page = tmp_path / "seed.txt"
    shutil.copyfile(SEED_PAGES[1], page)
    before = page.read_bytes()
    code, out, err = _run("--diff", str(page))
    assert code == 1
    assert out.startswith(f"--- {page}\n+++ {page}\n@@ ")
    changed = [line for line in out.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]
    assert len(changed) == 2 and "providerMgt" in changed[0] and "supplierMgt" in changed[1]
    assert "1 id(s) to replace" in err
    assert page.read_bytes() == before


def test_cli_write_replaces_atomically_and_keeps_mode(tmp_path: Path) -> None:
    """--write: the page is replaced whole, keeps its permissions; a second run exits 0."""
    page = tmp_path / "seed.txt"
    shutil.copyfile(SEED_PAGES[0], page)
    page.chmod(0o640)
    code, out, _ = _run("--write", str(page))
    assert code == 0, out
    assert f"{page}: 1 change(s) written" in out
    assert page.read_bytes() == SEED_PAGES[0].read_bytes().replace(
        '<span class="uicontrol">spårning</span>'.encode(),
        b'<span class="uicontrol">tracking</span>',
    )
    assert stat.S_IMODE(page.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed.txt"]  # no temporary left
    assert _run("--diff", str(page))[0] == 0


def test_cli_lists_without_writing_and_reports_unreadable_pages(tmp_path: Path) -> None:
    """No flag: replacements listed as file:line:col, nothing written; a missing page exits 2."""
    page = tmp_path / "seed.txt"
    shutil.copyfile(SEED_PAGES[4], page)
    code, out, _ = _run(str(page))
    assert code == 1
    assert f"{page}:55:33: replace `fornitoreMgt` with `supplierMgt`" in out
    assert page.read_bytes() == SEED_PAGES[4].read_bytes()
    code, _, err = _run(str(page), str(tmp_path / "missing.md"))
    assert code == 2 and "missing.md" in err


@pytest.mark.parametrize("seed", SEED_PAGES, ids=lambda p: p.name[:3])
def test_clean_pages_exit_zero(seed: Path, tmp_path: Path) -> None:
    """A page without mismatches gives an empty diff and exit 0; one with them exits 1."""
    code, out, _ = _run("--diff", str(seed))
    has_edits = bool(_fix([seed])[0].edits)
    assert code == (1 if has_edits else 0)
    assert bool(out) == has_edits


def test_repair_text_fixes_reported_damage_only() -> None:
    """--repair-text: the mojibake word and the numeric entity the check reports are repaired,
    in their own lines; without the flag they stay; nothing else changes."""
    seed = SEED_PAGES[4]  # it: `&#39;` in a caution, `attivit√†` in a description
    report = check_pages([seed], catalog=_catalog(), labels_for=_labels).pages[0]
    plain = plan_fix(report, seed.read_bytes())
    fix = plan_fix(report, seed.read_bytes(), repair_text=True)
    assert [e.kind for e in plain.edits] == ["id"]
    repairs = [(e.line, e.old, e.new) for e in fix.edits if e.kind == "text"]
    assert repairs == [
        (24, "&#39;", "'"),
        (36, "attivit√†.<br", "attività.<br"),
    ]
    _outside_edits_equal(fix)
    text = fix.fixed.decode()
    assert "&#39;" not in text and "√" not in text


def test_repair_text_keeps_entities_that_are_markup(tmp_path: Path) -> None:
    """An entity standing for <, > or & is writing, not damage: it stays."""
    page = tmp_path / "it.txt"
    page.write_text(
        SEED_PAGES[4].read_text(encoding="utf-8").replace("l&#39;esecuzione", "l&#39;&#60;x&#62;"),
        encoding="utf-8",
    )
    report = check_pages([page], catalog=_catalog(), labels_for=_labels).pages[0]
    fix = plan_fix(report, page.read_bytes(), repair_text=True)
    assert "l'&#60;x&#62;" in fix.fixed.decode()


def test_cli_repair_text_lists_repairs() -> None:
    """The listing names repairs apart from id replacements."""
    code, out, _ = _run("--repair-text", str(SEED_PAGES[4]))
    assert code == 1
    assert ":24:" in out and "repair `&#39;` with `'`" in out
    assert "1 id(s) to replace, 2 text repair(s)" in out


def test_id_written_with_entities_in_an_html_cell() -> None:
    """`mcSynch_&lt;nome_account_esterno&gt;` in an HTML cell is the id written with entities:
    it is replaced there, entities and all."""
    page = REFERENCE / "it" / "classic-v7_message-center-control.md"
    [fix] = _fix([page])
    assert [(e.old, e.new) for e in fix.edits] == [
        ("mcSynch_&lt;nome_account_esterno&gt;", "mcSynch_&lt;external_account_name&gt;")
    ]
    _outside_edits_equal(fix)


def test_full_width_parentheses_on_a_list_page(tmp_path: Path) -> None:
    """A list cell written `**Label** （id）` (full-width, as CJK translations do) is fixed
    inside its parentheses."""
    text = (REFERENCE / "sv" / "classic-v7_about-technical-workflows.md").read_text("utf-8")
    assert "| **Spårning** (spårning) |" in text
    page = tmp_path / "list.md"
    page.write_text(text.replace("**Spårning** (spårning)", "**Spårning** （spårning）"))
    [fix] = _fix([page])
    assert "| **Spårning** （tracking） |" in fix.fixed.decode()
    _outside_edits_equal(fix)
