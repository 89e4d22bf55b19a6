"""Raw cron against each target's own dialect: what validate refuses, what wfgen rewrites.

The case folders under tests/cases/dialects/ hold one workflow per construct: `refused`
(L, LW, 5L, 1#2, a "*/2" day-of-month with a weekday) and `accepted` (Sunday as 7, 5-7,
5/20, names, steps; L, 5L and 1#2 only on a systemd profile).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.cronfields import dialect_issues, parse_cron, portable

from .conftest import CASES

DIALECT_CASES = CASES / "dialects"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _line_of(path: Path, text: str) -> tuple[int, int]:
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if text in line:
            return number, line.index(text) + 1
    raise AssertionError(f"{text!r} not in {path}")


def test_refused_constructs_are_errors_naming_target_and_place() -> None:
    """Each construct a rendered target refuses is an error at its expression, naming the target."""
    case = DIALECT_CASES / "refused"
    code, out = run("validate", str(case), "--format", "json")
    assert code == 1, out
    found = {
        (p["id"], p["target"], p["line"], p["col"])
        for p in json.loads(out)["problems"]
        if p["code"] == "cron-dialect"
    }
    source = case / "workflows" / "platform.yaml"

    def at(expression: str) -> tuple[int, int]:
        line, col = _line_of(source, f'"{expression}"')
        return line, col

    expected = {
        ("lastDay", "crontab, cron.d", *at("0 0 L * *")),
        ("lastDay", "kubernetes", *at("0 0 L * *")),
        ("lastWeekday", "crontab, cron.d", *at("0 0 LW * *")),
        ("lastWeekday", "kubernetes", *at("0 0 LW * *")),
        ("lastWeekday", "systemd", *at("0 0 LW * *")),
        ("lastFriday", "crontab, cron.d", *at("0 22 * * 5L")),
        ("lastFriday", "kubernetes", *at("0 22 * * 5L")),
        ("secondMonday", "crontab, cron.d", *at("0 6 * * 1#2")),
        ("secondMonday", "kubernetes", *at("0 6 * * 1#2")),
        ("everyOtherDayOnMondays", "kubernetes", *at("0 3 */2 * 1")),
    }
    assert found == expected


def test_refusal_message_names_the_parser_and_construct() -> None:
    """The text form reads file:line:col, the construct and the scheduler that refuses it."""
    code, out = run("validate", str(DIALECT_CASES / "refused"))
    assert code == 1
    line = next(x for x in out.splitlines() if "lastDay" in x and "Kubernetes" in x)
    assert "platform.yaml:10:40: error cron-dialect:" in line
    assert "L (last day of the month) is not understood by Kubernetes' cron parser" in line
    assert "(target kubernetes of environment cluster)" in line


def test_accepted_case_validates_with_rewrites_noted() -> None:
    """Sunday 7 and N/step are rewritten (info, exit 0); systemd-only constructs pass there."""
    code, out = run("validate", str(DIALECT_CASES / "accepted"), "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["errors"] == 0 and data["warnings"] == 0
    rewritten = {(p["id"], p["construct"]) for p in data["problems"]}
    assert rewritten == {("sundaySeven", "7"), ("weekendRange", "5-7"), ("openStep", "5/20")}


def test_without_profiles_constructs_are_warnings() -> None:
    """A catalogue validated without profiles warns about what some target would refuse."""
    case = DIALECT_CASES / "refused"
    code, out = run(
        "validate",
        str(case / "modules.yaml"),
        str(case / "workflows"),
        "--format",
        "json",
    )
    assert code == 0, out
    warned = {p["id"] for p in json.loads(out)["problems"] if p["code"] == "cron-dialect"}
    assert warned == {
        "lastDay",
        "lastWeekday",
        "lastFriday",
        "secondMonday",
        "everyOtherDayOnMondays",
    }


@pytest.mark.parametrize(
    ("expression", "written"),
    [
        ("0 4 * * 7", "0 4 * * 0"),
        ("30 5 * * 5-7", "30 5 * * 0,5,6"),
        ("0 0 * * 1-7/2", "0 0 * * 0,1,3,5"),
        ("5/20 * * * *", "5-59/20 * * * *"),
        ("0 3/6 * * *", "0 3-23/6 * * *"),
        ("0 4 * * SUN", "0 4 * * SUN"),
        ("0 4 */2 * 7", "0 4 */2 * 0"),
        ("*/15 * * * *", "*/15 * * * *"),
        ("0 0 L * *", "0 0 L * *"),
    ],
)
def test_portable_rewrites_keep_the_days(expression: str, written: str) -> None:
    """The rewrite is exact: the parsed sets (and Vixie's AND/OR rule) do not change."""
    assert portable(expression) == written
    before, after = parse_cron(expression), parse_cron(written)
    assert before == after


def test_star_step_differs_between_vixie_and_robfig() -> None:
    """'*/2' in day-of-month with a weekday: cron ANDs, Kubernetes ORs; only Kubernetes complains."""
    assert not dialect_issues("0 3 */2 * 1", "cron")
    (issue,) = dialect_issues("0 3 */2 * 1", "kubernetes")
    assert "BOTH" in issue.message and "EITHER" in issue.message
    assert not dialect_issues("0 3 1-31/2 * 1", "kubernetes")  # both read it as OR


def test_override_refused_at_the_override(tmp_path: Path) -> None:
    """A profile override with raw cron is checked against that profile's targets, at its line."""
    import shutil

    case = tmp_path / "case"
    shutil.copytree(DIALECT_CASES / "accepted", case)
    profile = case / "environments" / "cluster.yaml"
    text = profile.read_text("utf-8") + (
        '  overrides:\n    weekdays:\n      schedule: {kind: cron, expression: "0 1 L * *"}\n'
    )
    profile.write_text(text, "utf-8")
    code, out = run("validate", str(case), "--format", "json")
    assert code == 1
    (error,) = [p for p in json.loads(out)["problems"] if p["severity"] == "error"]
    line, col = _line_of(profile, '"0 1 L * *"')
    assert (error["file"], error["line"], error["col"]) == (str(profile), line, col)
    assert error["target"] == "kubernetes" and error["id"] == "weekdays"
