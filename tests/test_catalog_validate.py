"""Catalogue validation: case folders, the bundled catalogue, and awkward YAML."""

from __future__ import annotations

import html
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.errors import CatalogError, Severity
from generator.load.catalog import load_catalog, validate_paths
from tests.conftest import CASES, CATALOG, REFERENCE, bundled_catalog

VALID = sorted((CASES / "catalog" / "valid").iterdir())
INVALID = sorted((CASES / "catalog" / "invalid").iterdir())


def _report(case: Path) -> list[dict[str, Any]]:
    problems = validate_paths([case])
    out = []
    for problem in problems:
        data = problem.to_json()
        data["file"] = Path(str(data["file"])).relative_to(case).as_posix()
        # Hints may name other files of the case; pin them relative to the case too.
        data = {k: v.replace(f"{case}/", "") if isinstance(v, str) else v for k, v in data.items()}
        out.append(data)
    return out


@pytest.mark.parametrize("case", VALID, ids=[p.name for p in VALID])
def test_valid_case_has_no_problems(case: Path) -> None:
    """A valid case folder validates with no problem at all."""
    assert _report(case) == []


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_case_report_is_pinned(case: Path, data_regression: Any) -> None:
    """Each invalid case reports every problem with file, line and column (pinned)."""
    report = _report(case)
    assert report, "an invalid case must report something"
    assert all(p["line"] >= 1 and p["col"] >= 1 for p in report)
    data_regression.check({"problems": report})


def test_four_faults_reported_at_once_with_positions() -> None:
    """Wrong type, unknown key, missing field and duplicate key all come out in one run."""
    report = {
        (p["line"], p["col"], p["code"]) for p in _report(CASES / "catalog/invalid/four-faults")
    }
    assert report == {
        (6, 14, "schema"),  # package: 42
        (10, 5, "schema"),  # colour: blue
        (11, 5, "schema"),  # second entry lacks description
        (13, 5, "yaml-duplicate-key"),  # label twice
    }


def test_cli_text_and_json_carry_the_same_findings() -> None:
    """`wfgen validate` prints file:line:col lines, exits 1, and --format json agrees."""
    case = CASES / "catalog/invalid/four-faults"
    runner = CliRunner()
    text = runner.invoke(cli, ["validate", str(case)])
    assert text.exit_code == 1
    lines = [ln for ln in text.output.splitlines() if re.match(r".+:\d+:\d+: error", ln)]
    assert len(lines) == 4
    as_json = runner.invoke(cli, ["validate", str(case), "--format", "json"])
    assert as_json.exit_code == 1
    data = json.loads(as_json.output)
    assert data["errors"] == 4
    assert sorted((p["line"], p["col"]) for p in data["problems"]) == sorted(
        (int(m.group(1)), int(m.group(2)))
        for m in (re.search(r":(\d+):(\d+): error", ln) for ln in lines)
        if m
    )


def test_cli_exit_codes() -> None:
    """Exit 0 on the bundled catalogue, 2 for a missing path."""
    runner = CliRunner()
    assert runner.invoke(cli, ["validate", str(CATALOG)]).exit_code == 0
    missing = runner.invoke(cli, ["validate", "does/not/exist"])
    assert missing.exit_code == 2
    assert "does/not/exist" in missing.output


def test_bundled_catalogue_loads_without_errors() -> None:
    """The shipped catalogue validates and loads into model objects."""
    catalog, warnings = load_catalog([CATALOG])
    assert not [w for w in warnings if w.severity is Severity.ERROR]
    assert len(catalog.workflows) >= 60
    assert all(catalog.module(w.module) for w in catalog.workflows)


def _english_ids(page: Path) -> set[str]:
    text = page.read_text(encoding="utf-8")
    ids = {
        html.unescape(x)
        for x in re.findall(r"^\|\*\*[^|]*?\*\*\s*\(([^)|]+)\)", text, re.MULTILINE)
    }
    for row in re.findall(r"<tr>(.*?)</tr>", text, re.DOTALL):
        cells = re.findall(r"<td>(.*?)</td>", row, re.DOTALL)
        if len(cells) >= 2:
            cell = html.unescape(re.sub(r"<[^>]+>", "", cells[1])).strip()
            if re.fullmatch(r"[A-Za-z][\w<>]*", cell) and cell not in {"Internal", "ID"}:
                ids.add(cell)
    return ids


ENGLISH_PAGES = sorted((REFERENCE / "en").glob("*.md"))


@pytest.mark.parametrize("page", ENGLISH_PAGES, ids=[p.stem for p in ENGLISH_PAGES])
def test_every_english_workflow_is_in_the_catalogue(page: Path) -> None:
    """Every internal name an English page lists exists in the catalogue (case-insensitively
    for the one id Campaign Standard capitalises differently)."""
    catalog = bundled_catalog()
    known = {w.id for w in catalog.workflows}
    folded = {w.casefold() for w in known}
    for wid in _english_ids(page):
        assert wid in known or wid.casefold() in folded, f"{page.name}: {wid} missing"


def test_schedules_only_where_english_states_one() -> None:
    """Every non-null schedule cites an English sentence that exists on the cited page."""
    catalog = bundled_catalog()
    for workflow in catalog.workflows:
        pairs = [(workflow.schedule, workflow.schedule_source)]
        pairs += [(v.schedule, v.schedule_source) for v in workflow.variants if v.has_schedule]
        for schedule, source in pairs:
            if schedule is None:
                continue
            assert source is not None, workflow.id
            page = (REFERENCE / "en" / source.page).read_text(encoding="utf-8")
            flat = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
            words = re.sub(r"\s+", " ", source.text).strip()
            assert words[:40] in flat, f"{workflow.id}: {source.text!r} not on {source.page}"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\xef\xbb\xbfmodule: deliveries\nworkflows: []\n", "yaml-bom"),
        (b"module: deliveries\nworkflows: []\nx: caf\xe9\n", "yaml-encoding"),
        (b"", "yaml-empty"),
        (b"# only a comment\n", "yaml-empty"),
        (b"42\n", "yaml-not-mapping"),
        (b"a: !!python/name:os.system x\n", "yaml-syntax"),
    ],
    ids=["bom", "latin1", "empty", "comment-only", "scalar", "python-tag"],
)
def test_awkward_files_get_clear_codes(tmp_path: Path, content: bytes, code: str) -> None:
    """BOM, non-UTF-8, empty, non-mapping and unsafe tags each get their own finding."""
    path = tmp_path / "catalog.yaml"
    path.write_bytes(content)
    codes = {p.code for p in validate_paths([path])}
    assert code in codes


def test_alias_bomb_is_rejected_quickly(tmp_path: Path) -> None:
    """A billion-laughs document is refused with a located error instead of expanding."""
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 10) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    problems = validate_paths([path])
    elapsed = time.perf_counter() - started
    bomb = [p for p in problems if p.code == "yaml-alias-bomb"]
    assert bomb and bomb[0].location.line == 2
    assert elapsed < 5  # generous: the point is that it does not hang, not a benchmark


def test_load_catalog_raises_with_every_problem() -> None:
    """load_catalog refuses an invalid catalogue and carries all problems."""
    with pytest.raises(CatalogError) as info:
        load_catalog([CASES / "catalog/invalid/four-faults"])
    assert len(info.value.problems) == 4


def _properties(node: Any, defs: dict[str, Any], path: str = "$") -> list[tuple[str, Any]]:
    """Every property schema of ``node`` (through items, branches and definitions), with
    the definition it refers to resolved; `if` conditions are not properties."""
    found: list[tuple[str, Any]] = []
    if not isinstance(node, dict):
        return found
    for key, value in (node.get("properties") or {}).items():
        target = value
        while isinstance(target, dict) and "$ref" in target and "title" not in target:
            target = defs[target["$ref"].rsplit("/", 1)[-1]]
        found.append((f"{path}.{key}", {**target, **value}))
        found += _properties(value, defs, f"{path}.{key}")
    for key in ("items", "additionalProperties", "then"):
        found += _properties(node.get(key), defs, path)
    for key in ("allOf", "oneOf", "anyOf"):
        for branch in node.get(key) or []:
            found += _properties({k: v for k, v in branch.items() if k != "if"}, defs, path)
    return found


@pytest.mark.parametrize("name", ["catalog", "environment", "sending"])
def test_every_schema_property_has_title_and_description(name: str) -> None:
    """Editors get completion and hover help for every property of every bundled schema."""
    from generator.load.schema import load_schema

    schema = load_schema(name)
    assert schema["$id"] and schema["$schema"].endswith("2020-12/schema")
    defs = schema.get("$defs", {})
    nodes = [("$", schema), *((f"#{k}", v) for k, v in defs.items())]
    bare = [
        where
        for root, node in nodes
        for where, prop in _properties(node, defs, root)
        if not (prop.get("title") and prop.get("description"))
    ]
    assert bare == []
