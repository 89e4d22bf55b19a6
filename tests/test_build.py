"""wfgen build end to end on a small inline catalogue: reference pages, determinism, --check."""

from __future__ import annotations

import html.parser
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from markdown_it import MarkdownIt

from generator.cli import cli
from generator.commands.build import BuildSettings, build, render_all
from generator.errors import CatalogError
from tests.conftest import build_file_tree

SMALL: dict[str, Any] = {
    "catalog": {
        "modules.yaml": """
            modules:
              deliveries:
                name: Deliveries
                package: Delivery
                pages:
                  classic-v7:
                    page: classic-v7_deliveries.md
                    order: [reportingAggregates, tracking]
            """,
        "environments": {
            "prod.yaml": """
                environment:
                  instance: prod_mkt
                  role: marketing
                  timezone: Europe/Stockholm
                  products: [classic-v7]
                  modules: [deliveries]
                  nightly: "01:30"
                  user: neolane
                  command: [/bin/true, "-instance:{instance}", "-arg:{id}"]
                  targets: [crontab, cron.d, systemd, kubernetes]
                  kubernetes:
                    namespace: campaign-prod
                    image: registry.example.com/campaign/nlserver:7.4.1
                    startingDeadlineSeconds: 300
                """,
        },
        "workflows": {
            "deliveries.yaml": """
                module: deliveries
                workflows:
                  - id: reportingAggregates
                    label: Reporting aggregates
                    description: This workflow updates aggregates used in reports.
                    package: Delivery
                    products: [classic-v7]
                    status: active
                    schedule: {kind: daily, at: "02:00"}
                  - id: tracking
                    label: Tracking
                    description: This workflow recovers tracking information.
                    package: Delivery
                    products: [classic-v7]
                    status: active
                    schedule: {kind: hourly, minute: 0}
                  - id: oldTracking
                    label: Old tracking
                    description: Gone.
                    package: Delivery
                    products: [classic-v7]
                    status: obsolete
                    replaced_by: tracking
                    schedule: null
                """,
        },
    },
    "locales": {
        "sv": {
            "LC_MESSAGES": {
                "workflows.po": """
                    msgid ""
                    msgstr ""
                    "Language: sv\\n"
                    "Content-Type: text/plain; charset=UTF-8\\n"

                    msgctxt "tracking|label"
                    msgid "Tracking"
                    msgstr "Spårning"

                    msgctxt "tracking|description"
                    msgid "This workflow recovers tracking information."
                    msgstr "Det här arbetsflödet hämtar spårningsinformation."

                    msgctxt "module|deliveries"
                    msgid "Deliveries"
                    msgstr "Leveranser"

                    msgctxt "ui|label"
                    msgid "Label"
                    msgstr "Etikett"

                    msgctxt "ui|internal-name"
                    msgid "Internal name"
                    msgstr "Internt namn"

                    #, fuzzy
                    msgctxt "reportingAggregates|label"
                    msgid "Reporting aggregates"
                    msgstr "Rapporteringsaggregat"
                    """,
            }
        }
    },
}

FileTreeMaker = Callable[[dict[str, Any]], Path]


def _settings(root: Path, **changes: Any) -> BuildSettings:
    base = BuildSettings(catalog=root / "catalog", out=root / "out", locales_dir=root / "locales")
    return BuildSettings(**{**base.__dict__, **changes})


@pytest.fixture
def small(file_tree: FileTreeMaker) -> Path:
    """The small catalogue with a Swedish PO file, in a fresh folder."""
    return file_tree(SMALL)


class _Cells(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_table(text: str) -> list[list[str]]:
    """The text of every table cell, row by row, as an HTML parser reads it."""
    parser = _Cells()
    parser.feed(text)
    parser.close()
    return parser.rows


def md_table(text: str) -> list[list[str]]:
    """The text of every table cell, row by row, as markdown-it-py reads it."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(
                " ".join(child.content for child in token.children or [] if child.content)
            )
    return [r for r in rows if r]


def test_swedish_table_has_translations_canonical_ids_and_marks(small: Path) -> None:
    """The Swedish page shows Swedish labels, canonical ids, and marks English fallbacks."""
    build(_settings(small))
    for ext, parse in (("md", md_table), ("html", html_table)):
        rows = parse((small / "out" / "docs" / "sv" / f"deliveries.{ext}").read_text())
        assert rows[0][:2] == ["Etikett", "Internt namn"]
        by_id = {row[1]: row for row in rows[1:]}
        assert set(by_id) == {"reportingAggregates", "tracking"}, (
            "obsolete workflows are not listed"
        )
        assert by_id["tracking"][0] == "Spårning"
        assert by_id["tracking"][2].startswith("Det här arbetsflödet hämtar spårningsinformation.")
        # fuzzy is not a translation: English, visibly marked
        assert by_id["reportingAggregates"][0].startswith("Reporting aggregates")
        assert "untranslated" in by_id["reportingAggregates"][0]


def test_english_pages_have_no_marks(small: Path) -> None:
    """English is the source language: nothing on its pages is marked untranslated."""
    build(_settings(small))
    text = (small / "out" / "docs" / "en" / "deliveries.md").read_text()
    assert "untranslated" not in text
    assert [r[1] for r in md_table(text)[1:]] == ["reportingAggregates", "tracking"]


def test_index_reports_completeness(small: Path) -> None:
    """The index lists each module with how much of it the locale translates."""
    build(_settings(small))
    rows = html_table((small / "out" / "docs" / "sv" / "index.html").read_text())
    assert rows[1][0] == "Leveranser"
    # As `wfgen l10n stats` counts: the module's name, label and description entries (the
    # obsolete workflow's too), translated and not fuzzy.
    assert "(3/7)" in rows[1][1]


def test_locales_default_to_po_files_plus_english(small: Path) -> None:
    """Without --locale, pages are written for English and every locale with a PO file."""
    files, _ = render_all(_settings(small))
    assert sorted({f.path.split("/")[1] for f in files if f.path.startswith("docs/")}) == [
        "en",
        "sv",
    ]


def test_catalogue_errors_render_nothing(small: Path) -> None:
    """A catalogue with errors stops the build before anything is written."""
    broken = small / "catalog" / "workflows" / "deliveries.yaml"
    broken.write_text(broken.read_text().replace("status: active", "status: bogus", 1))
    with pytest.raises(CatalogError):
        build(_settings(small))
    assert not (small / "out").exists()


def test_build_is_byte_identical_across_runs_and_host_locales(small: Path, tmp_path: Path) -> None:
    """Two builds, under different host locales and time zones, write the same bytes."""
    trees = []
    for index, (lang, tz) in enumerate((("C.UTF-8", "UTC"), ("sv_SE.UTF-8", "Asia/Tokyo"))):
        out = tmp_path / f"run{index}"
        env = {**os.environ, "LANG": lang, "LC_ALL": lang, "TZ": tz}
        command = [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--quiet",
            "--out",
            str(out),
            "--catalog",
            str(small / "catalog"),
            "--locales",
            str(small / "locales"),
        ]
        subprocess.run(command, check=True, env=env, cwd=small)
        trees.append(
            {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        )
    assert trees[0] == trees[1]
    assert "manifest.json" in trees[0]


def test_check_after_build_passes_and_fails_after_edit(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--check exits 0 right after a build and 1, naming the file, after a hand edit."""
    monkeypatch.chdir(small)  # the command's defaults: catalog/, locales/ and out/ of the cwd
    command = ["build", "--quiet"]
    built = CliRunner().invoke(cli, command, catch_exceptions=False)
    assert built.exit_code == 0, built.output
    ok = CliRunner().invoke(cli, [*command, "--check"], catch_exceptions=False)
    assert ok.exit_code == 0, ok.output
    page = small / "out" / "docs" / "sv" / "deliveries.md"
    page.write_text(page.read_text() + "hand edit\n")
    bad = CliRunner().invoke(cli, [*command, "--check"], catch_exceptions=False)
    assert bad.exit_code == 1
    assert "out/docs/sv/deliveries.md" in bad.stdout
    assert "+hand edit" not in bad.stdout and "-hand edit" in bad.stdout


def test_check_compares_outputs_not_the_rebuild_fingerprint(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An input change that changes no output (a comment in the catalogue, or another wfgen
    release) passes --check; the next build records the new fingerprint in the manifest."""
    monkeypatch.chdir(small)
    command = ["build", "--quiet"]
    assert CliRunner().invoke(cli, command, catch_exceptions=False).exit_code == 0
    before = (small / "out" / "manifest.json").read_bytes()
    source = small / "catalog" / "workflows" / "deliveries.yaml"
    source.write_text(source.read_text() + "# a comment\n")
    ok = CliRunner().invoke(cli, [*command, "--check"], catch_exceptions=False)
    assert ok.exit_code == 0, ok.output
    rebuilt = CliRunner().invoke(cli, ["build"], catch_exceptions=False)
    assert re.search(r"^1 file\(s\) written, \d+ unchanged,", rebuilt.output, re.M), rebuilt.output
    after = (small / "out" / "manifest.json").read_bytes()
    assert after != before
    assert json.loads(after)["files"] == json.loads(before)["files"]
    # Anything else in the manifest still counts (here a recorded warning; another comment
    # makes --check render instead of trusting the manifest).
    (small / "out" / "manifest.json").write_bytes(
        after.replace(b'"warnings": [', b'"warnings": [{},')
    )
    source.write_text(source.read_text() + "# another comment\n")
    bad = CliRunner().invoke(cli, [*command, "--check"], catch_exceptions=False)
    assert bad.exit_code == 1 and "out/manifest.json" in bad.stdout, bad.stdout


# --- injection ---------------------------------------------------------------------------

EVIL = "x\\n* * * * * root /bin/evil %s\\r\\n[Unit]\\u2028% 100%%"

# (file under the small tree, text to replace, replacement) for every free-text field
FIELDS = {
    "label": (
        "catalog/workflows/deliveries.yaml",
        "label: Tracking",
        'label: "Tracking 100% \\\\ | <b> *"',
    ),
    "description": (
        "catalog/workflows/deliveries.yaml",
        "description: This workflow recovers tracking information.",
        f'description: "This workflow {EVIL}"',
    ),
    "module name": ("catalog/modules.yaml", "name: Deliveries", 'name: "Deliveries % | `x` \\\\"'),
    "translation": (
        "locales/sv/LC_MESSAGES/workflows.po",
        'msgstr "Spårning"',
        'msgstr "Spår\\nning % x\\r\\n| a |"',
    ),
    "ui word": ("locales/sv/LC_MESSAGES/workflows.po", 'msgstr "Etikett"', 'msgstr "Eti\\nkett |"'),
}


# PyYAML's safe reader with libyaml's scanner and parser (the same constructor and
# resolver, read several times faster), where PyYAML was built with it.
_YAML_READER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _shape(path: str, content: bytes) -> Any:
    """The structure of an output, without its free text."""
    text = content.decode("utf-8")
    if path.endswith(".md"):
        return [len(row) for row in md_table(text)], sum(
            1 for line in text.splitlines() if line.startswith("|")
        )
    if path.endswith(".html"):
        return [len(row) for row in html_table(text)], len(re.findall(r"<tr>", text))
    if path.endswith(".yaml"):
        return [sorted(doc) for doc in yaml.load_all(text, Loader=_YAML_READER)]
    if path.endswith(".json"):
        return sorted(yaml.load(text, Loader=_YAML_READER)["files"])
    # crontabs and units: every line that is not a comment or blank, reduced to its key or fields
    keys = []
    for line in text.splitlines():
        if line.startswith("#") or not line:
            continue
        keys.append(
            line.split("=", 1)[0] if "=" in line.split(" ", 1)[0] else len(line.split()[:5])
        )
    return keys, len(text.splitlines())


def _outputs(root: Path) -> dict[str, Any]:
    files, _ = render_all(_settings(root, locales=("en", "sv")))
    return {f.path: _shape(f.path, f.content) for f in files}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The structure of every output of the untouched small catalogue (read-only)."""
    return _outputs(build_file_tree(tmp_path_factory.mktemp("baseline"), SMALL))


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_injected_text_keeps_every_structure(
    tmp_path: Path, baseline: dict[str, Any], field: str
) -> None:
    """Line breaks, %, | and markup in a text field change no line, row or key of any output."""
    root = build_file_tree(tmp_path / "b", SMALL)
    name, old, new = FIELDS[field]
    target = root / name
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new, 1))
    assert _outputs(root) == baseline


@pytest.mark.parametrize(
    ("name", "old"),
    [
        ("catalog/workflows/deliveries.yaml", "label: Tracking"),
        ("catalog/modules.yaml", "name: Deliveries"),
    ],
)
def test_line_break_in_one_line_catalogue_text_is_rejected(
    small: Path, name: str, old: str
) -> None:
    """Labels and module names are one line by schema: a line break is an error, nothing is built."""
    target = small / name
    key = old.split(":", maxsplit=1)[0]
    target.write_text(target.read_text().replace(old, f'{key}: "Tracking\\n0 * * * * evil"', 1))
    with pytest.raises(CatalogError):
        build(_settings(small))
    assert not (small / "out").exists()


def test_golden_outputs(small: Path, file_regression: Any) -> None:
    """Every target and locale of the small catalogue, pinned byte for byte."""
    files, _ = render_all(_settings(small))
    text = "".join(f"==> {f.path} <==\n{f.content.decode('utf-8')}" for f in files)
    file_regression.check(text, extension=".txt")


# --- unchanged rebuilds ------------------------------------------------------------------


def test_unchanged_rebuild_stops_early_and_repeats_its_warnings(small: Path) -> None:
    """A rebuild with nothing changed renders nothing, writes nothing and says the same."""
    settings = _settings(small)
    first = build(settings)
    mtimes = {p: p.stat().st_mtime_ns for p in (small / "out").rglob("*") if p.is_file()}
    second = build(settings)
    assert second.rendered == 0  # nothing rendered: the fingerprint and every sha256 matched
    assert second.write.written == ()
    assert sorted(second.write.unchanged) == sorted(first.write.written)
    assert [p.to_json() for p in second.warnings] == [p.to_json() for p in first.warnings]
    assert {p: p.stat().st_mtime_ns for p in (small / "out").rglob("*") if p.is_file()} == mtimes


@pytest.mark.parametrize(
    "change",
    ["edit output", "delete output", "extra output", "edit input", "other locale"],
)
def test_any_change_makes_the_rebuild_render_again(small: Path, change: str) -> None:
    """A changed input, option or output is never mistaken for an unchanged build."""
    settings = _settings(small)
    build(settings)
    out = small / "out"
    if change == "edit output":
        (out / "docs/sv/deliveries.md").write_text("hand edit\n", encoding="utf-8")
    elif change == "delete output":
        (out / "docs/sv/deliveries.md").unlink()
    elif change == "extra output":
        (out / "docs/sv/notes.md").write_text("mine\n", encoding="utf-8")
    elif change == "edit input":
        po = small / "locales/sv/LC_MESSAGES/workflows.po"
        po.write_text(
            po.read_text(encoding="utf-8").replace("Spårning", "Spårningen"), encoding="utf-8"
        )
    else:
        settings = _settings(small, locales=("en",))
    again = build(settings)
    assert again.rendered, "the build must render when anything it depends on changed"
    if change in ("edit output", "delete output"):
        assert "docs/sv/deliveries.md" in again.write.written
    if change == "edit input":
        assert "Spårningen" in (out / "docs/sv/deliveries.md").read_text(encoding="utf-8")


def test_translation_of_an_older_english_text_is_not_used(small: Path) -> None:
    """A translation made for English the catalogue no longer has shows the English, marked,
    with a warning naming the PO file and the entry."""
    workflows = small / "catalog/workflows/deliveries.yaml"
    text = workflows.read_text(encoding="utf-8")
    workflows.write_text(
        text.replace("label: Tracking", "label: Tracking of opens"), encoding="utf-8"
    )
    result = build(_settings(small))
    stale = [p for p in result.warnings if p.code == "stale-translation"]
    assert len(stale) == 1 and "tracking|label" in stale[0].message
    assert stale[0].location.file.endswith("locales/sv/LC_MESSAGES/workflows.po")
    page = (small / "out/docs/sv/deliveries.md").read_text(encoding="utf-8")
    assert "| Tracking of opens *(untranslated)* | `tracking` |" in page
    assert "Spårning" not in page


def test_index_marks_an_english_module_name(small: Path) -> None:
    """A module name the locale does not translate is listed in English and marked."""
    po = small / "locales/sv/LC_MESSAGES/workflows.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Leveranser"', 'msgstr ""'))
    build(_settings(small))
    rows = html_table((small / "out/docs/sv/index.html").read_text(encoding="utf-8"))
    assert rows[1][0] == "Deliveries (untranslated)"
    index_md = (small / "out/docs/sv/index.md").read_text(encoding="utf-8")
    assert "| [Deliveries *(untranslated)*](deliveries.md) |" in index_md
