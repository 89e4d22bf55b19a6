"""`--format sarif` and `--format github` for validate and schedule lint."""

from __future__ import annotations

import json

import jsonschema
from click.testing import CliRunner

from generator.cli import cli
from generator.errors import Location, Problem, Severity
from generator.report_formats import github_annotations

from .conftest import CASES, CATALOG, FIXTURES

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


def test_clean_validate_sarif_has_no_results() -> None:
    """A clean catalogue: exit 0 and a valid log with an empty result list."""
    code, out = run("validate", str(CATALOG), "--format", "sarif")
    assert code == 0
    log = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    assert log["runs"][0]["results"] == []


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
