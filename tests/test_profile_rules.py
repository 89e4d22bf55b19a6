"""`wfgen validate` and `wfgen build` apply one rule set, and a build reads each file once."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.commands.build import BuildSettings, render_all
from generator.commands.validate import validate
from generator.errors import Severity
from generator.load import document
from tests.conftest import CASES, CATALOG, LOCALES

ONE_LINE = CASES / "profiles" / "one-line"
LOCATED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): error .+$")


def _located(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if LOCATED.match(line))


def test_build_refuses_what_validate_refuses_with_the_same_message(tmp_path: Path) -> None:
    """U+2028, NUL and a newline in a profile's command, user and instance: both commands
    refuse every profile, each at the value, with the same file:line:col message."""
    runner = CliRunner()
    validate = runner.invoke(cli, ["validate", str(ONE_LINE)])
    build = runner.invoke(
        cli,
        ["build", "--catalog", str(ONE_LINE), "--out", str(tmp_path / "out"), "--locale", "en"],
    )
    assert validate.exit_code == 1, validate.output
    assert build.exit_code == 1, build.output
    refused = _located(validate.output)
    assert refused == _located(build.output)
    profiles = sorted(p.name for p in (ONE_LINE / "environments").glob("*.yaml"))
    assert len(profiles) == 9
    assert sorted(Path(LOCATED.match(line)["file"]).name for line in refused) == profiles  # type: ignore[index]
    assert not (tmp_path / "out").exists()


def _count_loads(monkeypatch: pytest.MonkeyPatch) -> Counter[Path]:
    counts: Counter[Path] = Counter()
    real = document.load_yaml

    def counting(path: Path, **kwargs: Any) -> Any:
        counts[Path(path).resolve()] += 1
        return real(path, **kwargs)

    monkeypatch.setattr(document, "load_yaml", counting)
    return counts


def test_one_build_parses_each_yaml_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalogue, every profile and the sending model are parsed once per build."""
    counts = _count_loads(monkeypatch)
    render_all(BuildSettings(catalog=CATALOG, locales_dir=LOCALES, locales=("en", "sv")))
    assert set(counts) == {p.resolve() for p in CATALOG.rglob("*.yaml")}
    assert {path: n for path, n in counts.items() if n != 1} == {}


def test_validate_parses_each_yaml_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """validate's kind checks and its cross-file dialect check share one parse per file."""
    counts = _count_loads(monkeypatch)
    assert not [p for p in validate([CATALOG]) if p.severity is Severity.ERROR]
    assert set(counts) == {p.resolve() for p in CATALOG.rglob("*.yaml")}
    assert {path: n for path, n in counts.items() if n != 1} == {}


def test_a_profile_name_build_cannot_use_is_refused_by_validate(tmp_path: Path) -> None:
    """The file's name names the folder, units and CronJobs: validate refuses what rendering
    would, at the profile, and build reports the same line."""
    case = tmp_path / "case"
    shutil.copytree(ONE_LINE, case, ignore=shutil.ignore_patterns("*.yaml"))
    shutil.copy(ONE_LINE / "modules.yaml", case / "modules.yaml")
    shutil.copy(ONE_LINE / "workflows" / "platform.yaml", case / "workflows" / "platform.yaml")
    good = (ONE_LINE / "environments" / "user-nul.yaml").read_text(encoding="utf-8")
    (case / "environments" / "prod east.yaml").write_text(
        good.replace('"neolane\\0x"', "neolane"), encoding="utf-8"
    )
    runner = CliRunner()
    validate = runner.invoke(cli, ["validate", str(case)])
    build = runner.invoke(
        cli, ["build", "--catalog", str(case), "--out", str(tmp_path / "out"), "--locale", "en"]
    )
    assert validate.exit_code == build.exit_code == 1, validate.output + build.output
    assert _located(validate.output) == _located(build.output)
    assert "environment-name" in validate.output
