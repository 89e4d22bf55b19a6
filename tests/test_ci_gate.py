"""The build as a CI gate: what it publishes is checked, --strict fails on warnings, and
the bundled repository passes its own checks."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.cli.report_formats import DOCS_URL
from tests.conftest import CATALOG, LOCALES
from tests.test_build import SMALL

FileTreeMaker = Callable[[dict[str, Any]], Path]

PO = "locales/sv/LC_MESSAGES/workflows.po"


def _with_entries(extra: str) -> dict[str, Any]:
    """The small catalogue of test_build with ``extra`` PO entries appended to sv, its
    daily workflow moved out of the hour the clocks change (no schedule warning)."""
    workflows = SMALL["catalog"]["workflows"]["deliveries.yaml"].replace('"02:00"', '"04:00"')
    base = SMALL["locales"]["sv"]["LC_MESSAGES"]["workflows.po"]
    return {
        "catalog": {**SMALL["catalog"], "workflows": {"deliveries.yaml": workflows}},
        "locales": {"sv": {"LC_MESSAGES": {"workflows.po": base + extra}}},
    }


BRACE = """
                    #, python-brace-format
                    msgctxt "phrase|cron_daily"
                    msgid "every day at {times}"
                    msgstr "varje dag kl. {tider}"
"""

NUMBER = """
                    msgctxt "reportingAggregates|description"
                    msgid "This workflow updates aggregates used in reports."
                    msgstr "Det här arbetsflödet uppdaterar rapportaggregat kl. 03:00."
"""


def _run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "--catalog",
            str(root / "catalog"),
            "--locales",
            str(root / "locales"),
            "--out",
            str(root / "out"),
            *args,
        ],
        catch_exceptions=False,
    )
    return result.exit_code, result.output


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def test_translation_msgfmt_refuses_fails_the_build(
    file_tree: FileTreeMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """{tider} for {times}: msgfmt --check refuses the entry, and so does build (exit 1,
    nothing written), at the PO file's entry line, naming the entry."""
    root = file_tree(_with_entries(BRACE))
    monkeypatch.chdir(root)
    po = root / PO
    if shutil.which("msgfmt"):  # the real tool agrees that the file is broken
        refused = subprocess.run(
            ["msgfmt", "--check", "-o", "/dev/null", str(po)],
            check=False,
            capture_output=True,
            text=True,
        )
        assert refused.returncode == 1 and "'tider'" in refused.stderr
    code, out = _run(root)
    assert code == 1
    line = _line_of(po, 'msgid "every day at {times}"')
    (found,) = [x for x in out.splitlines() if "brace-format" in x]
    assert re.match(rf".*{re.escape(PO)}:{line}:1: error brace-format: ", found), found
    assert "'phrase|cron_daily'" in found and "{tider}" in found and "{times}" in found
    assert not (root / "out").exists()


def test_wrong_number_is_a_warning_and_fails_under_strict(
    file_tree: FileTreeMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translation stating another time than its English: a warning at its PO line; with
    --strict, or strict = true in wfgen.toml, the build fails and writes nothing."""
    root = file_tree(_with_entries(NUMBER))
    monkeypatch.chdir(root)
    line = _line_of(root / PO, 'msgid "This workflow updates aggregates used in reports."')
    code, out = _run(root, "--strict")
    assert code == 1
    assert f"{PO}:{line}:1: warning number-mismatch:" in out
    assert not (root / "out").exists()
    (root / "wfgen.toml").write_text("strict = true\n", "utf-8")
    code, out = _run(root)
    assert code == 1 and not (root / "out").exists()
    code, out = _run(root, "--no-strict")
    assert code == 0, out
    assert f"{PO}:{line}:1: warning number-mismatch:" in out
    # The unchanged rebuild repeats the warning, and --strict still fails on it.
    code, out = _run(root, "--strict")
    assert code == 1 and "number-mismatch" in out


def test_fuzzy_entries_are_not_published_nor_checked(
    file_tree: FileTreeMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fuzzy entry (not awaiting review) is never shown, so the build does not judge it;
    msgfmt skips it too."""
    root = file_tree(
        _with_entries(BRACE.replace("python-brace-format", "fuzzy, python-brace-format"))
    )
    monkeypatch.chdir(root)
    code, out = _run(root, "--strict")
    assert code == 0, out


@pytest.mark.parametrize(
    "command",
    [["build"], ["validate"], ["schedule", "lint"], ["l10n", "check"], ["docs", "check"]],
    ids=" ".join,
)
def test_strict_is_an_option_of_every_gate(command: list[str]) -> None:
    """--strict and --no-strict exist on build, validate, schedule lint, l10n and docs check."""
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "--strict / --no-strict" in result.output


def test_bundled_l10n_check_has_no_error() -> None:
    """The bundled PO files pass `wfgen l10n check` (exit 0, no error line)."""
    result = CliRunner().invoke(
        cli, ["l10n", "check", "--catalog", str(CATALOG), "--locales", str(LOCALES)]
    )
    assert result.exit_code == 0, result.output
    assert " error " not in result.output


# --- validate: every problem of every file in one run --------------------------------------

TWO_FAULTS: dict[str, Any] = {
    "catalog": {
        "modules.yaml": """
            modules:
              deliveries:
                name: Deliveries
                package: Delivery
            """,
        "environments": {
            "prod.yaml": SMALL["catalog"]["environments"]["prod.yaml"],
        },
        "workflows": {
            "a.yaml": """
                module: deliveries
                workflows:
                  - id: tracking
                    description: This workflow recovers tracking information.
                    package: Delivery
                    products: [classic-v7]
                    status: active
                    schedule: {kind: hourly, minute: 0}
                """,
            "b.yaml": """
                module: deliveries
                workflows:
                  - id: cleanup
                    label: Cleanup
                    description: This workflow deletes obsolete data.
                    package: Delivery
                    products: [classic-v7]
                    status: active
                    schedule: {kind: cron, expression: "61 2 * * *"}
                  - id: billing
                    label: Billing
                    description: This workflow sends the billing report.
                    package: Delivery
                    products: [classic-v7]
                    status: active
                    schedule: {kind: daily, at: "02:30"}
                """,
        },
    },
}


def test_validate_reports_schema_cron_and_lint_problems_of_all_files_at_once(
    file_tree: FileTreeMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A schema error in one file does not hide a cron error in another, nor the schedule
    lint's warning on a third workflow; build reports exactly the same findings."""
    root = file_tree(TWO_FAULTS)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["validate", "catalog", "--format", "json"])
    assert result.exit_code == 1
    found = json.loads(result.output)["problems"]
    where = {(Path(str(p["file"])).name, p["line"], p["severity"], p["code"]) for p in found}
    assert ("a.yaml", 3, "error", "schema") in where, where
    assert ("b.yaml", 9, "error", "cron-syntax") in where, where
    # billing at 02:30 in Europe/Stockholm: the hour the clocks skip, a lint warning.
    assert ("b.yaml", 16, "warning", "schedule-dst-gap") in where, where
    built = CliRunner().invoke(cli, ["build", "--format", "json", "--out", "out"])
    assert built.exit_code == 1
    assert json.loads(built.output)["problems"] == found
    assert not (root / "out").exists()


# --- the bundled repository under its own hooks ----------------------------------------------

_TYPES = {"markdown": (".md", ".markdown"), "html": (".html", ".htm")}


def _hook_files(hook: dict[str, Any], files: list[str]) -> list[str]:
    """The files pre-commit passes to ``hook`` (its files, exclude and types_or)."""
    chosen = [f for f in files if re.search(hook.get("files", ""), f)]
    if "exclude" in hook:
        chosen = [f for f in chosen if not re.search(hook["exclude"], f)]
    if "types_or" in hook:
        suffixes = tuple(s for t in hook["types_or"] for s in _TYPES[t])
        chosen = [f for f in chosen if f.endswith(suffixes)]
    return chosen


def test_bundled_repository_passes_every_hook(tmp_path: Path) -> None:
    """catalog/ and locales/ as bundled, with the out/ `wfgen build` writes: every hook of
    .pre-commit-hooks.yaml that has files to look at passes, run as pre-commit runs it."""
    import yaml

    from tests.conftest import ROOT

    shutil.copytree(CATALOG, tmp_path / "catalog")
    shutil.copytree(LOCALES, tmp_path / "locales")
    wfgen = Path(sys.executable).parent / "wfgen"
    subprocess.run([str(wfgen), "build", "--quiet"], cwd=tmp_path, check=True)
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    ran = []
    for hook in hooks:
        chosen = _hook_files(hook, files)
        if not chosen:
            continue
        command = [str(wfgen), *shlex.split(hook["entry"])[1:]]
        if hook.get("pass_filenames", True):
            command += chosen
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
        assert done.returncode == 0, (hook["id"], done.stdout, done.stderr)
        ran.append(hook["id"])
    assert ran == ["wfgen-validate", "wfgen-build-check", "wfgen-l10n-check"]


def test_site_docs_index_and_stats_agree_on_completeness(tmp_path: Path) -> None:
    """For each bundled locale the site's summary, the docs index's module rows and
    `l10n stats --format json` give the same counts, and pocount's translated count where
    translate-toolkit is installed."""
    from generator.commands.build import BuildSettings, render_all

    result = CliRunner().invoke(
        cli,
        ["l10n", "stats", "--format", "json", "--catalog", str(CATALOG), "--locales", str(LOCALES)],
    )
    counted = json.loads(result.output)["locales"]
    assert set(counted) == {"de", "it", "sv"}
    files, _ = render_all(BuildSettings(catalog=CATALOG, locales_dir=LOCALES, out=tmp_path / "out"))
    pages = {f.path: f.content.decode() for f in files}
    for locale, counts in counted.items():
        site = pages[f"site/{locale}/index.html"]
        summary = re.search(
            r'class="summary">.*?<strong>(\d+)\s?%</strong>.*?\((\d+)/(\d+)\)', site, re.S
        )
        assert summary is not None
        assert (int(summary[2]), int(summary[3])) == (counts["translated"], counts["total"])
        assert int(summary[1]) == counts["percent"] == counts["translated"] * 100 // counts["total"]
        index = pages[f"docs/{locale}/index.md"]
        for key, module in counts["modules"].items():
            if not key.startswith("("):
                assert f"({module['translated']}/{module['total']}) |" in index, (locale, key)
        pocount = Path(sys.executable).parent / "pocount"
        if pocount.exists():
            po = LOCALES / locale / "LC_MESSAGES" / "workflows.po"
            out = subprocess.run(
                [str(pocount), "--csv", str(po)], capture_output=True, text=True, check=True
            ).stdout
            row = out.splitlines()[-1].split(",")
            assert (int(row[1]), int(row[8])) == (counts["translated"], counts["total"]), out


# --- build --check as a plan -----------------------------------------------------------------


def test_check_prints_a_plan_then_a_diff_without_hash_lines(
    file_tree: FileTreeMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a one-line catalogue change: exit 1; the plan (per environment and target, then
    per locale) comes first; the diff has no sha256 or fingerprint line; the site page's diff
    is the changed table row, not the whole page on one line."""
    root = file_tree(_with_entries(""))
    monkeypatch.chdir(root)
    assert _run(root, "--quiet")[0] == 0
    source = root / "catalog/workflows/deliveries.yaml"
    source.write_text(source.read_text("utf-8").replace('"04:00"', '"04:15"'), "utf-8")
    result = CliRunner().invoke(
        cli,
        ["build", "--check", "--quiet", "--catalog", "catalog", "--locales", "locales"],
    )
    assert result.exit_code == 1
    out = result.stdout
    head, _, diff = out.partition("\n--- ")
    lines = head.splitlines()
    assert lines[0].startswith("plan: ") and "changed" in lines[0]
    groups = [line.strip().split(":")[0] for line in lines[1:]]
    assert groups[:4] == [
        "environment prod, cron.d",
        "environment prod, crontab",
        "environment prod, kubernetes",
        "environment prod, systemd",
    ]
    assert {"locale en, docs", "locale sv, docs", "locale en, site", "locale sv, site"} <= set(
        groups
    )
    assert groups[-1] == "manifest.json"
    assert diff, "the diff follows the plan"
    assert '"sha256"' not in out and '"fingerprint"' not in out
    changed = [line for line in diff.splitlines() if line.startswith(("-<", "+<"))]
    site_rows = [line for line in changed if 'id="reportingAggregates"' in line]
    assert len(site_rows) == 4  # en and sv site pages: the old row and the new
    assert all(line[1:].startswith("<tr ") and len(line) < 1000 for line in site_rows)


# --- SARIF for code scanning, and one line per finding in text -----------------------------


def _slugs(markdown: str) -> set[str]:
    """GitHub's anchors of a Markdown file's headings."""
    slugs = set()
    for line in markdown.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            slugs.add(re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", title)))
    return slugs


def _apply(text: str, replacements: list[dict[str, Any]]) -> str:
    lines = text.splitlines(keepends=True)
    for change in sorted(
        replacements,
        key=lambda r: (r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"]),
        reverse=True,
    ):
        region = change["deletedRegion"]
        assert region["startLine"] == region["endLine"]
        line = lines[region["startLine"] - 1]
        start, end = region["startColumn"] - 1, region["endColumn"] - 1
        lines[region["startLine"] - 1] = (
            line[:start] + change["insertedContent"]["text"] + line[end:]
        )
    return "".join(lines)


def test_docs_check_sarif_locates_an_awkward_name_and_carries_the_fixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page named a#b?c.md is reported at that file (a %SRCROOT%-relative, percent-encoded
    URI); the log passes the SARIF 2.1.0 schema; every rule has a short and a full
    description and a helpUri to a heading of a page under docs/; applying the mismatches' fixes gives the
    page `wfgen docs fix --write` writes."""
    from urllib.parse import unquote, urlsplit

    import jsonschema

    from tests.conftest import FIXTURES, REFERENCE, ROOT

    schema = json.loads((FIXTURES / "sarif" / "sarif-2.1.0-rtm.5.json").read_text("utf-8"))
    name = "a#b?c.md"
    source = REFERENCE / "sv" / "v8_technical-workflows.md"
    (tmp_path / name).write_bytes(source.read_bytes())
    (tmp_path / "fixed.md").write_bytes(source.read_bytes())
    monkeypatch.chdir(tmp_path)
    paths = ["--catalog", str(CATALOG), "--locales", str(LOCALES), "--locale", "sv"]
    result = CliRunner().invoke(cli, ["docs", "check", name, *paths, "--format", "sarif"])
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(schema).validate(log)
    (run,) = log["runs"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["fullDescription"]["text"] != rule["shortDescription"]["text"]
        page, _, anchor = rule["helpUri"].removeprefix(f"{DOCS_URL}/").partition("#")
        assert anchor in _slugs((ROOT / "docs" / page).read_text("utf-8")), rule["helpUri"]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert locations and all(
        loc == {"uri": "a%23b%3Fc.md", "uriBaseId": "%SRCROOT%"} for loc in locations
    )
    split = urlsplit(locations[0]["uri"])
    assert (unquote(split.path), split.query, split.fragment) == (name, "", "")
    replacements = [
        change
        for r in run["results"]
        for fix in r.get("fixes", [])
        for artifact in fix["artifactChanges"]
        for change in artifact["replacements"]
    ]
    mismatches = [r for r in run["results"] if r["ruleId"] == "docs-mismatch"]
    assert replacements and len(replacements) == len(mismatches)
    fixed = CliRunner().invoke(cli, ["docs", "fix", "fixed.md", *paths, "--write"])
    assert fixed.exit_code in (0, 1), fixed.output
    text = source.read_bytes().decode("utf-8")
    assert _apply(text, replacements) == (tmp_path / "fixed.md").read_text("utf-8")


def test_text_report_escapes_a_newline_in_a_file_name(tmp_path: Path) -> None:
    """A catalogue file named with a newline: its finding is one escaped line, not two, so
    nothing in the report parses as a finding it is not."""
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "x\nfake.yaml:1:1: error forged.yaml").write_text("module: [\n", "utf-8")
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 2 and lines[-1].startswith("1 error(s)")
    assert "x\\x0afake.yaml:1:1: error forged.yaml:" in lines[0]


@pytest.mark.parametrize(
    "command",
    [
        ["validate", str(CATALOG)],
        ["schedule", "lint", "--catalog", str(CATALOG)],
        ["l10n", "check", "--catalog", str(CATALOG), "--locales", str(LOCALES)],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_strict_fails_on_the_bundled_warnings(command: list[str]) -> None:
    """The bundled repository has warnings and no error: exit 0, and 1 with --strict."""
    plain = CliRunner().invoke(cli, command)
    assert plain.exit_code == 0, plain.output
    assert " warning " in plain.output
    assert CliRunner().invoke(cli, [*command, "--strict"]).exit_code == 1


def test_docs_check_text_escapes_a_newline_in_a_page_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page named with a newline is reported on one line of the text report."""
    from tests.conftest import REFERENCE

    name = "x\nforged.md:1: row 1: mismatch.md"
    (tmp_path / name).write_bytes((REFERENCE / "sv" / "v8_technical-workflows.md").read_bytes())
    monkeypatch.chdir(tmp_path)
    paths = ["--catalog", str(CATALOG), "--locales", str(LOCALES), "--locale", "sv"]
    result = CliRunner().invoke(cli, ["docs", "check", name, *paths])
    assert result.exit_code == 1
    assert not any(line.startswith("forged.md") for line in result.stdout.splitlines())
    assert "x\\x0aforged.md:1: row 1: mismatch.md [sv," in result.stdout


def test_html_blocks_start_lines_but_preformatted_pages_are_left_alone() -> None:
    """Rows and list items each start a line (nothing else changes but the line breaks); a
    page with <pre> keeps its bytes, since whitespace there is content."""
    from generator.output import RenderedFile
    from generator.render.blocks import one_block_per_line

    page = b"<body><ul><li>a</li><li>b</li></ul><table><tr><td>1</td></tr></table>\n  <p>x</p>"
    out = one_block_per_line(RenderedFile("p.html", page, ())).content
    assert out.replace(b"\n", b"") == page.replace(b"\n", b"")
    assert out.splitlines() == [
        b"<body>",
        b"<ul>",
        b"<li>a</li>",
        b"<li>b</li>",
        b"</ul>",
        b"<table>",
        b"<tr><td>1</td></tr>",
        b"</table>",
        b"  <p>x</p>",
    ]
    verbatim = b"<body><pre>a\n<p>b</p></pre><ul><li>c</li></ul></body>"
    assert one_block_per_line(RenderedFile("q.html", verbatim, ())).content == verbatim


def test_strict_in_the_project_file_must_be_a_boolean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """strict = "yes" is an error at its key (exit 2), not a silent false."""
    (tmp_path / "wfgen.toml").write_text('out = "o"\nstrict = "yes"\n', "utf-8")
    shutil.copytree(CATALOG, tmp_path / "catalog")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 2
    assert "wfgen.toml:2:1: strict must be true or false" in result.output


def test_validate_and_build_report_the_same_findings_on_the_bundled_repository(
    tmp_path: Path,
) -> None:
    """The bundled catalogue, profiles and PO files: build's warnings are validate's."""
    checked = CliRunner().invoke(cli, ["validate", str(CATALOG), "--format", "json"])
    built = CliRunner().invoke(
        cli,
        [
            "build",
            *("--catalog", str(CATALOG), "--locales", str(LOCALES)),
            *("--out", str(tmp_path / "out"), "--format", "json"),
        ],
    )
    assert checked.exit_code == built.exit_code == 0
    found = json.loads(checked.output)["problems"]
    assert found and json.loads(built.output)["warnings"] == found
