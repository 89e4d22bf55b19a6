"""`docs check --english`: the English page at the translation's source commit decides rows.

The English pages are the fixture files `reference/en/*` (the English originals, see
tests/fixtures/pages/SOURCES.md); each test commits them to a fresh git repository (or lays
them out as snapshots) and points a localized fixture page's `source-git-commit` at it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.docs import DocsReport, check_pages, labels_from_po
from generator.docs.english import with_english
from generator.load.catalog import Catalog
from tests.conftest import CATALOG, LOCALES, REFERENCE, SEEDS, bundled_catalog

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SEED = next(SEEDS.glob("000_*.txt"))  # sv deliveries; row 10 writes `spårning`
SEED_SOURCE = REFERENCE / "en" / "source-of-seed-000_deliveries.md"


def _catalog() -> Catalog:
    return bundled_catalog()


def _labels(locale: str) -> dict[str, str]:
    return labels_from_po(LOCALES / locale / "LC_MESSAGES" / "workflows.po")


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _english_repo(root: Path, files: dict[str, Path]) -> tuple[Path, str]:
    """A git repository holding ``files`` (repo path -> fixture) in one commit."""
    repo = root / "english"
    repo.mkdir()
    _git(repo, "init", "-q")
    for name, fixture in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(fixture, repo / name)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "English pages")
    return repo, _git(repo, "rev-parse", "HEAD")


def _localized(fixture: Path, target: Path, commit: str) -> Path:
    """A copy of ``fixture`` whose frontmatter names ``commit`` as its source."""
    text = fixture.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^source-git-commit: \S+$", f"source-git-commit: {commit}", text)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def _check(page: Path, english: Path) -> DocsReport:
    report = check_pages([page], catalog=_catalog(), labels_for=_labels)
    return with_english(report, english_dir=english, catalog=_catalog())


def test_every_row_is_backed_by_its_english_row(tmp_path: Path) -> None:
    """Equal row counts: each row cites its English row; the translated id is a mismatch."""
    repo, commit = _english_repo(tmp_path, {"help/workflow/using/deliveries.md": SEED_SOURCE})
    page = _localized(SEED, tmp_path / "sv" / "deliveries.md", commit)
    [result] = _check(page, repo).pages
    assert all(
        r.evidence[0].startswith(f"row {r.row.index + 1} of the English page") for r in result.rows
    )
    flagged = [
        (r.documented_id, r.canonical_id, r.status, r.confidence)
        for r in result.rows
        if r.status != "ok"
    ]
    assert flagged == [("spårning", "tracking", "mismatch", 1.0)]
    assert not [f for f in result.findings if f.code.startswith("english")]


def test_english_evidence_resolves_what_the_page_alone_cannot(tmp_path: Path) -> None:
    """A row the page's own evidence leaves unresolved is mapped by its English row."""
    english = REFERENCE / "en" / "v8_technical-workflows.md"
    localized = REFERENCE / "it" / "v8_technical-workflows.md"
    # The tracking row with a label, an id and a package that say nothing.
    text = localized.read_text(encoding="utf-8")
    row = "**Tracciamento** (tracciamento) | Installato per impostazione predefinita |"
    assert row in text
    mangled = tmp_path / "mangled" / "technical-workflows.md"
    mangled.parent.mkdir()
    mangled.write_text(text.replace(row, "**Zzz** (qqq) | Zzz |"))
    alone = check_pages([mangled], catalog=_catalog(), labels_for=_labels).pages[0]
    assert [r.documented_id for r in alone.rows if r.status == "unknown"] == ["qqq"]
    repo, commit = _english_repo(
        tmp_path, {"help/automation/workflow/technical-workflows.md": english}
    )
    page = _localized(mangled, tmp_path / "it" / "technical-workflows.md", commit)
    [result] = _check(page, repo).pages
    row = next(r for r in result.rows if r.documented_id == "qqq")
    assert (row.status, row.canonical_id, row.confidence) == ("mismatch", "tracking", 1.0)
    assert "the page's own evidence was not conclusive" in row.evidence
    assert all(r.status not in ("unresolved", "unknown") for r in result.rows)


def test_english_page_defect_is_reported_and_not_used(tmp_path: Path) -> None:
    """The English page repeating `SyncWithLaunch` is an english-defect finding at its line."""
    english = REFERENCE / "en" / "standard_technical-workflows.md"
    localized = REFERENCE / "sv" / "standard_technical-workflows.md"
    repo, commit = _english_repo(
        tmp_path, {"help/administration/using/technical-workflows.md": english}
    )
    page = _localized(localized, tmp_path / "sv" / "technical-workflows.md", commit)
    [result] = _check(page, repo).pages
    defects = [f for f in result.findings if f.code == "english-defect"]
    assert [(f.subject, f.location.line) for f in defects] == [("SyncWithLaunch", 112)]
    assert defects[0].location.file.endswith(f"technical-workflows.md@{commit[:12]}")
    row12 = result.rows[11]
    assert row12.status == "unresolved" and not row12.evidence[0].startswith(
        "row 12 of the English"
    )


def test_own_repository_path_is_used_when_the_page_is_in_git(tmp_path: Path) -> None:
    """A page inside a git checkout is looked up at its own path, not by file name."""
    repo, commit = _english_repo(
        tmp_path,
        {
            "help/a/deliveries.md": SEED_SOURCE,
            "help/b/deliveries.md": REFERENCE / "en" / "v8_deliveries.md",
        },
    )
    localized_repo = tmp_path / "sv-repo"
    page = _localized(SEED, localized_repo / "help" / "a" / "deliveries.md", commit)
    _git(localized_repo, "init", "-q")
    [result] = _check(page, repo).pages
    assert result.rows[9].canonical_id == "tracking"
    assert result.rows[9].evidence[0].startswith("row 10 of the English page")
    # Outside a work tree the name alone is ambiguous here: said, and nothing changes.
    loose = _localized(SEED, tmp_path / "loose" / "deliveries.md", commit)
    [plain] = _check(loose, repo).pages
    assert any("2 files named deliveries.md" in f.message for f in plain.findings)
    assert all(not r.evidence[0].startswith("row ") for r in plain.rows)


def test_snapshot_folder(tmp_path: Path) -> None:
    """A plain folder of <commit>_<name>.md snapshots works like a checkout."""
    commit = "98d646919fedc66ee9145522ad0c5f15b25dbf2e"
    snapshots = tmp_path / "english" / "campaign-classic"
    snapshots.mkdir(parents=True)
    shutil.copyfile(SEED_SOURCE, snapshots / f"{commit[:12]}_deliveries.md")
    page = _localized(SEED, tmp_path / "sv" / "5e1f00000000_deliveries.md", commit)
    [result] = _check(page, tmp_path / "english").pages
    assert (
        result.rows[9].evidence[0]
        == f"row 10 of the English page at {commit[:12]} documents `tracking`"
    )


def test_unequal_tables_pair_between_identical_ids(tmp_path: Path) -> None:
    """A localized table missing a row still pairs the rows around it, never shifted."""
    repo, commit = _english_repo(tmp_path, {"deliveries.md": SEED_SOURCE})
    text = SEED.read_text(encoding="utf-8")
    start = text.rindex("<tr>", 0, text.index("billingActiveContactCount"))
    end = text.index("<tr>", start + 4)
    page = tmp_path / "deliveries.md"
    page.write_text(text[:start] + text[end:], encoding="utf-8")
    page = _localized(page, page, commit)
    [result] = _check(page, repo).pages
    assert len(result.rows) == 9
    assert any(
        f.code == "english-source" and "9 row(s) paired" in f.message for f in result.findings
    )
    assert result.rows[-1].canonical_id == "tracking"
    assert (
        result.rows[-1].evidence[0]
        == f"row 10 of the English page at {commit[:12]} documents `tracking`"
    )


def test_without_commit_or_source_nothing_changes(tmp_path: Path) -> None:
    """No source-git-commit: the report is the plain check's; an unknown commit is a note."""
    repo, _commit = _english_repo(tmp_path, {"deliveries.md": SEED_SOURCE})
    page = tmp_path / "deliveries.md"
    page.write_text(re.sub(r"(?m)^source-git-commit: .*\n", "", SEED.read_text(encoding="utf-8")))
    plain = check_pages([page], catalog=_catalog(), labels_for=_labels)
    assert with_english(plain, english_dir=repo, catalog=_catalog()) == plain
    unknown = _localized(SEED, tmp_path / "unknown" / "deliveries.md", "ab" * 20)
    before = check_pages([unknown], catalog=_catalog(), labels_for=_labels).pages[0]
    [after] = _check(unknown, repo).pages
    assert after.rows == before.rows
    notes = [f for f in after.findings if f.code == "english-source"]
    assert len(notes) == 1 and "is not in" in notes[0].message


def test_cli_check_and_fix_take_english(tmp_path: Path) -> None:
    """`docs check --english` reports the English evidence in JSON; `docs fix --english` uses it."""
    english = REFERENCE / "en" / "v8_technical-workflows.md"
    repo, commit = _english_repo(tmp_path, {"technical-workflows.md": english})
    page = _localized(
        REFERENCE / "it" / "v8_technical-workflows.md",
        tmp_path / "it" / "technical-workflows.md",
        commit,
    )
    common = ["--english", str(repo), "--catalog", str(CATALOG), "--locales", str(LOCALES)]
    checked = CliRunner().invoke(cli, ["docs", "check", str(page), "--format", "json", *common])
    assert checked.exit_code == 1
    rows = json.loads(checked.stdout)["pages"][0]["rows"]
    provider = next(r for r in rows if r["documented_id"] == "providerMgt")
    assert provider["canonical_id"] == "supplierMgt" and provider["confidence"] == 1.0
    fixed = CliRunner().invoke(cli, ["docs", "fix", "--write", str(page), *common])
    assert fixed.exit_code == 0, fixed.output
    assert "(providerMgt)" not in page.read_text(encoding="utf-8")
    again = CliRunner().invoke(cli, ["docs", "check", str(page), *common])
    assert again.exit_code == 0, again.output
