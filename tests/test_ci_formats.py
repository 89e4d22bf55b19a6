"""`--format sarif` and `--format github` for validate and schedule lint."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from generator.cli import cli
from generator.cli.report_formats import github_annotations
from generator.errors import Location, Problem, Severity
from tests.conftest import CASES, CATALOG, FIXTURES, LOCALES

SARIF_SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-2.1.0-rtm.5.json").read_text("utf-8"))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_validate_sarif_is_valid_and_located() -> None:
    """Every refused construct of the dialect case becomes a SARIF result at its line:col."""
    case = CASES / "dialects" / "refused"
    code, out = run("validate", str(case), "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    (sarif_run,) = log["runs"]
    assert sarif_run["tool"]["driver"]["name"] == "wfgen"
    code, text = run("validate", str(case), "--format", "json")
    problems = json.loads(text)["problems"]
    results = sarif_run["results"]
    assert len(results) == len(problems)
    for result, problem in zip(results, problems, strict=True):
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (problem["line"], problem["col"])
        assert result["ruleId"] == problem["code"]
        assert result["level"] == problem["severity"]
        rules = sarif_run["tool"]["driver"]["rules"]
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_clean_validate_sarif_has_only_the_lint_warnings() -> None:
    """The bundled catalogue: exit 0 and a valid log whose results are the schedule lint's
    warnings (the same six `wfgen build` gives), no error."""
    code, out = run("validate", str(CATALOG), "--format", "sarif")
    assert code == 0
    log = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    assert len(results) == 6
    assert {r["level"] for r in results} == {"warning"}
    assert all(r["ruleId"].startswith("schedule-") for r in results)


def test_lint_sarif_and_github() -> None:
    """schedule lint's warnings in both CI formats, at the schedule they are about."""
    code, out = run("schedule", "lint", "--catalog", str(CATALOG), "--format", "sarif")
    assert code == 0
    log = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    gaps = [r for r in log["runs"][0]["results"] if r["ruleId"] == "schedule-dst-gap"]
    assert gaps and all(r["level"] == "warning" for r in gaps)
    assert gaps[0]["properties"]["id"] == "reportingAggregates"
    code, out = run("schedule", "lint", "--catalog", str(CATALOG), "--format", "github")
    assert code == 0
    gap = next(x for x in out.splitlines() if "schedule-dst-gap" in x)
    assert gap.startswith("::warning file=")
    assert "deliveries.yaml,line=" in gap and ",col=" in gap
    assert (
        ",title=wfgen schedule-dst-gap::reportingAggregates: 02%3A00" not in gap
    )  # data: no : escape
    assert "::reportingAggregates: 02:00 does not exist" in gap


def test_github_escapes_data_and_properties() -> None:
    """Newlines and % in a message, commas and colons in a path: escaped as Actions expects."""
    problem = Problem(
        Location("a,b:c.yaml", 3, 7), "100% wrong\nsecond line", Severity.ERROR, code="x-y"
    )
    (line,) = github_annotations([problem])
    assert (
        line
        == "::error file=a%2Cb%3Ac.yaml,line=3,col=7,title=wfgen x-y::100%25 wrong%0Asecond line"
    )
    (note,) = github_annotations([Problem(Location(""), "m", Severity.INFO, code="c")])
    assert note == "::notice title=wfgen c::m"


def test_l10n_check_sarif_is_valid(tmp_path: Path) -> None:
    """l10n check's findings (PO file, line) as SARIF results, valid against the schema."""
    code, out = run(
        "l10n", "check", "--catalog", str(CATALOG), "--locales", str(LOCALES), "--format", "sarif"
    )
    log = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    code_json, text = run(
        "l10n", "check", "--catalog", str(CATALOG), "--locales", str(LOCALES), "--format", "json"
    )
    assert code == code_json
    assert len(log["runs"][0]["results"]) == len(json.loads(text)["problems"])
    assert log["runs"][0]["automationDetails"]["id"] == "wfgen/l10n-check/"


def test_build_json_then_check_in_sarif(tmp_path: Path) -> None:
    """build --format json lists files and warnings; --check --format sarif names stale files."""
    out = tmp_path / "out"
    base = ("build", "--catalog", str(CATALOG), "--locales", str(LOCALES), "--locale", "en")
    code, text = run(*base, "--env", "prod-marketing", "--out", str(out), "--format", "json")
    assert code == 0, text
    data = json.loads(text)
    assert data["ok"] is True and "prod-marketing/crontab" in data["written"]
    assert any(w["code"] == "schedule-dst-gap" for w in data["warnings"])
    crontab = out / "prod-marketing" / "crontab"
    crontab.write_text(crontab.read_text("utf-8") + "# edited by hand\n", "utf-8")
    code, text = run(
        *base, "--env", "prod-marketing", "--out", str(out), "--check", "--format", "sarif"
    )
    assert code == 1
    log = json.loads(text)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    stale = [r for r in log["runs"][0]["results"] if r["ruleId"] == "build-check-differs"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in stale]
    assert len(uris) == 1 and uris[0].endswith("prod-marketing/crontab")


def test_build_of_an_invalid_catalogue_in_github_format(tmp_path: Path) -> None:
    """Validation errors of build come out as annotations, exit 1, nothing written."""
    case = CASES / "dialects" / "refused"
    out = tmp_path / "out"
    code, text = run(
        "build", "--catalog", str(case), "--locale", "en", "--out", str(out), "--format", "github"
    )
    assert code == 1
    lines = text.splitlines()
    assert lines and all(x.startswith("::") for x in lines)
    assert any("title=wfgen cron-dialect::lastDay: day-of-month L" in x for x in lines)
    assert not out.exists()


def test_docs_check_sarif_has_the_mismatched_row() -> None:
    """A translated id on a Swedish page: a docs-mismatch result at the row's line."""
    page = FIXTURES / "pages" / "seeds" / "000_8a3a9101eb550119.txt"
    code, out = run("docs", "check", str(page), "--catalog", str(CATALOG), "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    mismatch = [r for r in log["runs"][0]["results"] if r["ruleId"] == "docs-mismatch"]
    assert mismatch
    assert any("replace `spårning` with `tracking`" in r["message"]["text"] for r in mismatch)
    code_json, text = run("docs", "check", str(page), "--catalog", str(CATALOG), "--format", "json")
    rows = [r for p in json.loads(text)["pages"] for r in p["rows"] if r["status"] == "mismatch"]
    assert code_json == code and len(mismatch) == len(rows)


def test_completion_scripts() -> None:
    """`wfgen completion SHELL` prints click's script for that shell; others are refused."""
    for shell, marker in (
        ("bash", "_WFGEN_COMPLETE=bash_complete"),
        ("zsh", "#compdef wfgen"),
        ("fish", "complete --no-files --command wfgen"),
    ):
        code, out = run("completion", shell)
        assert code == 0 and marker in out, (shell, out[:200])
    code, _ = run("completion", "powershell")
    assert code == 2


def test_lint_of_an_invalid_catalogue_is_still_sarif(tmp_path: Path) -> None:
    """A catalogue error stops lint with exit 1, reported as SARIF, not as text."""
    import shutil

    case = tmp_path / "case"
    shutil.copytree(CASES / "dialects" / "accepted", case)
    source = case / "workflows" / "platform.yaml"
    source.write_text(source.read_text("utf-8").replace('"0 4 * * 7"', '"0 4 * *"'), "utf-8")
    code, out = run("schedule", "lint", "--catalog", str(case), "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    (result,) = log["runs"][0]["results"]
    assert result["level"] == "error" and result["ruleId"] == "schema"  # not 5 fields
