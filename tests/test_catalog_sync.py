"""`wfgen catalog sync`: a new project follows the English pages to the bundled catalogue,
the bundled catalogue is in step with them, older page versions show what they add or lack,
and the YAML is edited in place without touching anything else."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import cli
from generator.commands.init import init_project
from generator.load.catalog import load_catalog
from generator.model import Catalog, Workflow
from generator.schedules import Schedule

from .conftest import CATALOG, FIXTURES, REFERENCE

EN = REFERENCE / "en"
OLDER = FIXTURES / "catalog_sync"
RUNS = {
    "classic-v7": sorted(p for p in EN.glob("classic-v7_*.md") if "_2021-09" not in p.name),
    "v8": sorted(EN.glob("v8_*.md")),
    "standard": sorted(EN.glob("standard_*.md")),
}


def _wfgen(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def _sync(
    catalog: Path, product: str, *extra: str | Path, pages: list[Path] | None = None
) -> Result:
    return _wfgen(
        "catalog",
        "sync",
        *(pages or RUNS[product]),
        "--product",
        product,
        "--catalog",
        catalog,
        *extra,
    )


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Result]]:
    """A new project, its sample workflows removed, after the three --write runs."""
    root = tmp_path_factory.mktemp("project")
    init_project(root)
    (root / "catalog" / "workflows" / "deliveries.yaml").unlink()
    results = {product: _sync(root / "catalog", product, "--write") for product in RUNS}
    return root / "catalog", results


def _effective(workflow: Workflow, product: str, name: str) -> object:
    variant = workflow.variant(product)
    value = getattr(variant, name, None) if variant is not None else None
    return value if value is not None else getattr(workflow, name)


def _words(text: object) -> list[str]:
    return re.findall(r"\w+", str(text).casefold())


def _active(catalog: Catalog, product: str) -> dict[str, Workflow]:
    return {w.id: w for w in catalog.workflows if product in w.products and not w.obsolete}


@pytest.mark.parametrize("product", list(RUNS))
def test_new_project_reproduces_the_bundled_catalogue(
    synced: tuple[Path, dict[str, Result]], product: str
) -> None:
    """Same ids, modules, labels, description words and packages per product; schedules the
    same for at least 95 % of those that have one, the others unknown and reported."""
    folder, results = synced
    assert results[product].exit_code == 0, results[product].output
    new, _ = load_catalog([folder])
    bundled, _ = load_catalog([CATALOG])
    ours, theirs = _active(new, product), _active(bundled, product)
    assert set(ours) == set(theirs)
    for ident, workflow in theirs.items():
        mine = ours[ident]
        assert mine.module == workflow.module, ident
        assert _effective(mine, product, "label") == _effective(workflow, product, "label"), ident
        assert _words(_effective(mine, product, "description")) == _words(
            _effective(workflow, product, "description")
        ), ident
        package = _effective(mine, product, "package")
        # The Standard page has no Package column: its package stays unknown, never invented.
        assert package in (_effective(workflow, product, "package"), "unknown"), ident
        if package == "unknown":
            assert product == "standard"
    scheduled = [i for i, w in theirs.items() if w.schedule_for([product]) is not None]
    same = [
        i for i in scheduled if ours[i].schedule_for([product]) == theirs[i].schedule_for([product])
    ]
    unknown = [i for i in scheduled if ours[i].schedule_for([product]) is None]
    assert sorted(same + unknown) == sorted(scheduled), "a schedule differs from the catalogue's"
    assert len(same) >= 0.95 * len(scheduled)
    for ident in unknown:
        assert f"unread {ident}" in results[product].output
    no_schedule = [i for i, w in theirs.items() if w.schedule_for([product]) is None]
    assert all(ours[i].schedule_for([product]) is None for i in no_schedule)


def test_a_second_write_changes_no_byte(
    synced: tuple[Path, dict[str, Result]], tmp_path: Path
) -> None:
    """Syncing the synced project again with --write finds nothing and rewrites nothing."""
    folder, _ = synced
    copy = tmp_path / "catalog"
    shutil.copytree(folder, copy)
    before = {p: p.read_bytes() for p in copy.rglob("*.yaml")}
    for product in RUNS:
        result = _sync(copy, product, "--write")
        assert result.exit_code == 0, result.output
        assert "written" not in result.output
    assert {p: p.read_bytes() for p in copy.rglob("*.yaml")} == before


@pytest.mark.parametrize("product", list(RUNS))
def test_the_bundled_catalogue_is_in_step(product: str) -> None:
    """--diff on the bundled catalogue and the pages it was made from: no diff, exit 0."""
    result = _sync(CATALOG, product, "--diff")
    assert result.exit_code == 0, result.output
    assert "+++" not in result.stdout


def test_write_on_an_unchanged_catalogue_changes_no_byte(tmp_path: Path) -> None:
    """--write when nothing changed leaves every file byte for byte (and its mtime)."""
    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG, copy)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in copy.rglob("*.yaml")}
    result = _sync(copy, "classic-v7", "--write")
    assert result.exit_code == 0, result.output
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in copy.rglob("*.yaml")} == before


def test_an_older_module_page_shows_the_workflow_it_adds() -> None:
    """The September 2021 Deliveries page still lists billingActiveContactCount: exactly that
    one is added, and nothing is dropped."""
    result = _sync(CATALOG, "classic-v7", pages=[EN / "classic-v7_deliveries_2021-09.md"])
    assert result.exit_code == 1
    added = re.findall(r"added (\S+):", result.output)
    assert added == ["billingActiveContactCount"]
    assert " dropped " not in result.output.replace("0 dropped", "")


def test_an_older_list_page_shows_what_it_adds(tmp_path: Path) -> None:
    """An older list of technical workflows still lists updateRenderingSeeds: added back as
    active with --write, and no workflow of a module with its own page is dropped."""
    older = OLDER / "4a41aea9edfe_about-technical-workflows.md"
    result = _sync(CATALOG, "classic-v7", pages=[older])
    assert re.findall(r"added (\S+):", result.output) == ["updateRenderingSeeds"]
    assert re.findall(r"dropped (\S+):", result.output) == []
    # Labels and descriptions of workflows with a module page of their own come from that
    # page, which is not given: the list page does not change them.
    assert re.findall(r"changed (\S+):", result.output) == []
    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG, copy)
    assert _sync(copy, "classic-v7", "--write", pages=[older]).exit_code == 0
    revived, _ = load_catalog([copy])
    workflow = revived.get("updateRenderingSeeds")
    assert workflow is not None and workflow.status == "active"
    # The file's comments and every line outside the entry's obsolete fields stay as they were.
    before = (CATALOG / "workflows" / "email-deliverability.yaml").read_text(encoding="utf-8")
    after = (copy / "workflows" / "email-deliverability.yaml").read_text(encoding="utf-8")
    gone = [line for line in before.splitlines() if line not in after.splitlines()]
    assert [line for line in before.splitlines() if line.lstrip().startswith("#")] == [
        line for line in after.splitlines() if line.lstrip().startswith("#")
    ]
    assert gone and all(
        line.strip().startswith(
            ("status:", "obsolete_note:", "last_listed:", "page:", "version:", "product:")
        )
        for line in gone
    )


def test_a_page_that_drops_a_workflow(tmp_path: Path) -> None:
    """A Deliveries page without a row: --diff shows the entry turning obsolete (exit 1) and
    --write keeps every other line, comments included."""
    page = (EN / "classic-v7_deliveries.md").read_text(encoding="utf-8")
    start = page.index("<tr>", page.index("offerMgt") - 200)
    end = page.index("</tr>", start) + len("</tr>")
    assert "offerMgt" in page[start:end]
    dropped = tmp_path / "classic-v7_deliveries.md"
    dropped.write_text(page[:start] + page[end:], encoding="utf-8")
    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG, copy)
    diff = _sync(copy, "classic-v7", "--diff", pages=[dropped])
    assert diff.exit_code == 1
    assert re.findall(r"^[-+](?![-+]).*", diff.stdout, re.MULTILINE) == [
        "-      - classic-v7",
    ]
    before = (copy / "workflows" / "deliveries.yaml").read_text(encoding="utf-8")
    assert _sync(copy, "classic-v7", "--write", pages=[dropped]).exit_code == 0
    after = (copy / "workflows" / "deliveries.yaml").read_text(encoding="utf-8")
    assert [line for line in before.splitlines() if line not in after.splitlines()] == [
        "      - classic-v7"
    ] or (before.count("\n") - after.count("\n") == 1)
    catalog, _ = load_catalog([copy])
    offer = catalog.get("offerMgt")
    assert offer is not None and offer.products == ("v8",)


def test_a_changed_schedule_sentence(tmp_path: Path) -> None:
    """A page that moves a workflow from 2am to 1am: the new sentence and schedule, on the
    product's variant, comments and the rest of the file unchanged."""
    page = (EN / "classic-v7_deliveries.md").read_text(encoding="utf-8")
    moved = tmp_path / "classic-v7_deliveries.md"
    moved.write_text(page.replace("every day at 3am", "every day at 1am"), encoding="utf-8")
    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG, copy)
    comment = "# Modules (built-in packages)"
    result = _sync(copy, "classic-v7", "--write", pages=[moved])
    assert result.exit_code == 0, result.output
    catalog, _ = load_catalog([copy])
    alias = catalog.get("aliasCleansing")
    assert alias is not None
    assert alias.schedule_for(["classic-v7"]) is not None
    assert alias.schedule_for(["classic-v7"]).at == "01:00"  # type: ignore[union-attr]
    assert alias.schedule_for(["v8"]).at == "03:00"  # type: ignore[union-attr]
    assert (copy / "modules.yaml").read_text(encoding="utf-8").startswith(comment)


def test_an_unread_sentence_is_reported_not_guessed(tmp_path: Path) -> None:
    """A sentence the parser refuses leaves the schedule as it is and names page and line."""
    page = (EN / "classic-v7_deliveries.md").read_text(encoding="utf-8")
    odd = tmp_path / "classic-v7_deliveries.md"
    odd.write_text(page.replace("every day at 3am", "twice a day"), encoding="utf-8")
    result = _sync(CATALOG, "classic-v7", pages=[odd])
    line = next(
        i for i, text in enumerate(odd.read_text().splitlines(), 1) if "twice a day" in text
    )
    assert f"{odd}:{line}: classic-v7: unread aliasCleansing" in result.output
    assert "twice a day" in result.output


def test_a_page_without_a_product_needs_the_flag(tmp_path: Path) -> None:
    """A page whose frontmatter and path do not say the product: exit 2 at the page."""
    page = tmp_path / "deliveries.md"
    text = (EN / "classic-v7_deliveries.md").read_text(encoding="utf-8")
    page.write_text(text.replace("../../", "../"), encoding="utf-8")
    result = _wfgen("catalog", "sync", page, "--catalog", CATALOG)
    assert result.exit_code == 2
    assert f"{page}:1: the page does not say its product" in result.output


def _git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), *args],
        check=True,
        capture_output=True,
        text=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "GIT_AUTHOR_DATE": "2021-09-01T00:00:00Z",
            "GIT_COMMITTER_DATE": "2021-09-01T00:00:00Z",
            "PATH": "/usr/bin:/bin",
        },
    )
    return done.stdout.strip()


def test_a_git_checkout_at_a_revision(tmp_path: Path) -> None:
    """A git checkout of the documentation is read at HEAD or at --rev; its pages are found
    by their tables, other files are skipped."""
    repo = tmp_path / "campaign-classic.en"
    (repo / "help" / "workflow" / "using").mkdir(parents=True)
    _git(repo, "init", "-q")
    page = repo / "help" / "workflow" / "using" / "deliveries.md"
    (repo / "README.md").write_text("# Documentation\n", encoding="utf-8")
    shutil.copyfile(EN / "classic-v7_deliveries_2021-09.md", page)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "older")
    older = _git(repo, "rev-parse", "HEAD")
    shutil.copyfile(EN / "classic-v7_deliveries.md", page)
    _git(repo, "commit", "-qam", "newer")
    at_head = _wfgen("catalog", "sync", repo, "--product", "classic-v7", "--catalog", CATALOG)
    assert at_head.exit_code == 0, at_head.output
    at_rev = _wfgen(
        "catalog",
        "sync",
        repo,
        "--rev",
        older[:12],
        "--product",
        "classic-v7",
        "--catalog",
        CATALOG,
    )
    assert re.findall(r"added (\S+):", at_rev.output) == ["billingActiveContactCount"]
    assert "the catalogue marks it obsolete" in at_rev.output
    assert f"{page}@{older[:12]}:" in at_rev.output
    missing = _wfgen("catalog", "sync", repo, "--rev", "no-such-rev", "--catalog", CATALOG)
    assert missing.exit_code == 2
    assert "no-such-rev" in missing.output


def test_validate_flags_a_quote_edited_away_from_its_page(tmp_path: Path) -> None:
    """validate --english: a schedule_source sentence no longer on its page is an error at the
    quote; the bundled catalogue passes; a page not in the folder is not checked."""
    ok = _wfgen("validate", CATALOG, "--english", EN)
    assert ok.exit_code == 0, ok.output
    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG, copy)
    deliveries = copy / "workflows" / "deliveries.yaml"
    text = deliveries.read_text(encoding="utf-8")
    edited = "text: It is triggered every day at 3am by default."
    line = text.splitlines().index(f"      {edited}") + 1
    deliveries.write_text(text.replace(edited, edited.replace("3am", "5am")), encoding="utf-8")
    result = _wfgen("validate", copy, "--english", EN)
    assert result.exit_code == 1
    assert f"{deliveries}:{line}:13: error schedule-source: aliasCleansing:" in result.output
    empty = tmp_path / "no-pages"
    empty.mkdir()
    assert _wfgen("validate", copy, "--english", empty).exit_code == 0


def test_pages_of_one_product_that_disagree(tmp_path: Path) -> None:
    """Two pages of a product giving different schedules: reported at both lines, and the
    catalogue's schedule left as it is."""
    listing = (EN / "classic-v7_about-technical-workflows.md").read_text(encoding="utf-8")
    moved = tmp_path / "classic-v7_about-technical-workflows.md"
    sentence = "reports. It is triggered every day at 2am by default."
    assert sentence in listing
    moved.write_text(listing.replace(sentence, sentence.replace("2am", "5am")), encoding="utf-8")
    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG, copy)
    pages = [EN / "classic-v7_deliveries.md", moved]
    result = _sync(copy, "classic-v7", "--write", pages=pages)
    assert result.exit_code == 0, result.output
    unread = [line for line in result.output.splitlines() if "unread reportingAggregates" in line]
    assert len(unread) == 2
    assert all("different schedules" in line for line in unread)
    assert {line.split(":")[0].strip() for line in unread} == {str(p) for p in pages}
    catalog, _ = load_catalog([copy])
    workflow = catalog.get("reportingAggregates")
    assert workflow is not None and workflow.schedule_for(["classic-v7"]) == bundled_schedule(
        "reportingAggregates"
    )


def bundled_schedule(ident: str) -> object:
    """The bundled catalogue's classic-v7 schedule of ``ident``."""
    workflow = load_catalog([CATALOG])[0].get(ident)
    assert workflow is not None
    return workflow.schedule_for(["classic-v7"])


def test_a_new_entry_whose_sentence_is_not_read(tmp_path: Path) -> None:
    """A new workflow whose sentence is refused gets schedule null, the sentence as its
    schedule_source and a note that says the schedule is unknown."""
    root = tmp_path / "project"
    init_project(root)
    (root / "catalog" / "workflows" / "deliveries.yaml").unlink()
    page = (EN / "classic-v7_deliveries.md").read_text(encoding="utf-8")
    odd = tmp_path / "classic-v7_deliveries.md"
    odd.write_text(
        page.replace("It is triggered every day at 3am by default.", "It runs twice a day."),
        encoding="utf-8",
    )
    result = _sync(root / "catalog", "classic-v7", "--write", pages=[odd])
    assert result.exit_code == 0, result.output
    assert "unread aliasCleansing" in result.output
    catalog, _ = load_catalog([root / "catalog"])
    alias = catalog.get("aliasCleansing")
    assert alias is not None and alias.schedule is None
    assert (
        alias.schedule_source is not None and alias.schedule_source.text == "It runs twice a day."
    )
    assert alias.schedule_note is not None and "unknown" in alias.schedule_note
    # No Package column on a module page: the package of the catalogue's module of that page.
    assert alias.package == "Delivery"


def test_a_drop_in_git_history_records_the_last_listing(tmp_path: Path) -> None:
    """A workflow the newest commit of a page no longer lists: obsolete, with last_listed
    naming the page, the last commit that listed it and its date."""
    repo = tmp_path / "campaign-classic.en"
    page = repo / "help" / "workflow" / "using" / "deliveries.md"
    page.parent.mkdir(parents=True)
    _git(repo, "init", "-q")
    shutil.copyfile(EN / "classic-v7_deliveries_2021-09.md", page)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "older")
    older = _git(repo, "rev-parse", "HEAD")
    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG, copy)
    revived = _wfgen(
        "catalog", "sync", repo, "--product", "classic-v7", "--catalog", copy, "--write"
    )
    assert revived.exit_code == 0, revived.output
    shutil.copyfile(EN / "classic-v7_deliveries.md", page)
    _git(repo, "commit", "-qam", "newer")
    dropped = _wfgen(
        "catalog", "sync", repo, "--product", "classic-v7", "--catalog", copy, "--write"
    )
    assert dropped.exit_code == 0, dropped.output
    assert re.findall(r"dropped (\S+):", dropped.output) == ["billingActiveContactCount"]
    catalog, _ = load_catalog([copy])
    workflow = catalog.get("billingActiveContactCount")
    assert workflow is not None and workflow.obsolete
    assert workflow.last_listed is not None
    assert workflow.last_listed.page == "help/workflow/using/deliveries.md"
    assert workflow.last_listed.version == older[:12]
    assert workflow.last_listed.date == "2021-09-01"


def test_a_failed_write_replaces_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When one edited file cannot be written, none is replaced and no temporary file is left."""
    import os

    from generator.commands.catalog_sync import SyncSettings, sync_catalog, write_result
    from generator.errors import InputError

    root = tmp_path / "project"
    init_project(root)
    before = {p: p.read_bytes() for p in (root / "catalog").rglob("*") if p.is_file()}
    result = sync_catalog(
        SyncSettings(
            sources=tuple(RUNS["classic-v7"]), catalog=root / "catalog", product="classic-v7"
        )
    )
    assert len(result.diffs()) > 2
    calls = {"n": 0}
    real = os.fsync

    def failing(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(InputError, match="No space left on device"):
        write_result(result)
    assert {p: p.read_bytes() for p in (root / "catalog").rglob("*") if p.is_file()} == before


def test_a_product_added_to_an_entry_of_other_products(tmp_path: Path) -> None:
    """A Standard page that lists a v7/v8 workflow: standard joins its products, with the
    Standard page's schedule and description on the standard variant only."""
    page = (EN / "standard_technical-workflows.md").read_text(encoding="utf-8")
    row = (
        "  <tr> \n"
        '   <td> <span class="uicontrol">Forecasting</span> <br /> </td> \n'
        '   <td> <span class="uicontrol">forecasting</span> <br /> </td> \n'
        "   <td> This workflow analyzes the deliveries of the provisional calendar."
        " By default, it is automatically started every day at 3am.<br /> </td> \n"
        "  </tr> \n"
    )
    anchor = page.index("  <tr> \n", page.index("abTesting") - 200)
    listed = tmp_path / "standard_technical-workflows.md"
    listed.write_text(page[:anchor] + row + page[anchor:], encoding="utf-8")
    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG, copy)
    result = _sync(copy, "standard", "--write", pages=[listed])
    assert result.exit_code == 0, result.output
    assert (
        "added forecasting: listed on the page; the catalogue has it for classic-v7, v8 only"
        in (result.output)
    )
    catalog, _ = load_catalog([copy])
    forecasting = catalog.get("forecasting")
    assert forecasting is not None and forecasting.products == ("classic-v7", "v8", "standard")
    assert forecasting.schedule_for(["standard"]) == Schedule(kind="daily", at="03:00")
    assert forecasting.schedule_for(["classic-v7"]) == Schedule(kind="daily", at="01:00")
    variant = forecasting.variant("standard")
    assert variant is not None
    assert (
        variant.description == "This workflow analyzes the deliveries of the provisional calendar."
    )
    assert variant.schedule_source is not None
    assert (
        variant.schedule_source.text == "By default, it is automatically started every day at 3am."
    )


def test_an_edit_that_would_not_validate_writes_nothing(tmp_path: Path) -> None:
    """A new row without any description would make an invalid entry: refused at the
    catalogue's own file, nothing written."""
    root = tmp_path / "project"
    init_project(root)
    page = (EN / "classic-v7_campaign.md").read_text(encoding="utf-8")
    cell = "This workflow starts the calculation of expense and cost lines"
    start = page.index(cell)
    end = page.index("</td>", start)
    empty = tmp_path / "classic-v7_campaign.md"
    empty.write_text(page[:start] + page[end:], encoding="utf-8")
    before = {p: p.read_bytes() for p in (root / "catalog").rglob("*") if p.is_file()}
    result = _sync(root / "catalog", "classic-v7", "--write", pages=[empty])
    assert result.exit_code == 1
    assert f"{root / 'catalog' / 'workflows' / 'campaign.yaml'}:" in result.output
    assert "wfgen-sync-" not in result.output
    assert {p: p.read_bytes() for p in (root / "catalog").rglob("*") if p.is_file()} == before


def test_summary_as_json_and_sarif() -> None:
    """--format json lists the findings located at the page lines; SARIF is valid against its
    schema; --format with --diff is a usage error."""
    import json

    import jsonschema

    schema = json.loads((FIXTURES / "sarif" / "sarif-2.1.0-rtm.5.json").read_text("utf-8"))
    older = [EN / "classic-v7_deliveries_2021-09.md"]
    data = json.loads(_sync(CATALOG, "classic-v7", "--format", "json", pages=older).stdout)
    added = [p for p in data["problems"] if p["code"] == "sync-added"]
    assert [(p["id"], p["line"]) for p in added] == [("billingActiveContactCount", 33)]
    sarif = _sync(CATALOG, "classic-v7", "--format", "sarif", pages=older)
    assert sarif.exit_code == 1
    jsonschema.Draft4Validator(schema).validate(json.loads(sarif.stdout))
    assert _sync(CATALOG, "classic-v7", "--format", "json", "--diff", pages=older).exit_code == 2
