"""`wfgen drift`: the bundled build's own outputs are in sync; edited copies drift, per kind.

Deployed state is a copy of what `wfgen build` writes for prod-marketing, edited the way
operators' hosts drift: a job removed, one added by hand, a schedule edited, a CronJob
suspended, an id mistyped, a line that is not wfgen's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.cli import cli
from tests.bundled_build import bundled_build
from tests.conftest import CASES as CASE_FOLDERS
from tests.conftest import CATALOG, FIXTURES, LOCALES, examples

ENV = "prod-marketing"
DIALECTS = CASE_FOLDERS / "dialects" / "accepted"
SARIF_SCHEMA = json.loads((FIXTURES / "sarif" / "sarif-2.1.0-rtm.5.json").read_text("utf-8"))


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `wfgen build --locale en --env prod-marketing` writes for the environment."""
    return bundled_build(tmp_path_factory, env=ENV, locale="en") / ENV


def drift(*args: str, stdin: str | None = None) -> tuple[int, str]:
    return run("drift", "--env", ENV, "--catalog", str(CATALOG), *args, stdin=stdin)


def test_own_outputs_are_in_sync(built: Path) -> None:
    """crontab, cron.d, CronJobs and units as built: exit 0, every workflow in sync."""
    for crontab in (built / "crontab", built / "cron.d" / "wfgen"):
        code, out = drift(
            "--crontab",
            str(crontab),
            "--kubernetes",
            str(built / "kubernetes" / "cronjobs.yaml"),
            "--systemd",
            str(built / "systemd"),
        )
        assert code == 0, out
        *targets, total = out.splitlines()
        assert len(targets) == 3
        for line in targets:
            assert re.fullmatch(
                rf"{ENV} (crontab|cron\.d|kubernetes|systemd) \(.*\): "
                r"(\d+) in sync, 0 changed, 0 missing, 0 extra",
                line,
            ), line
        assert re.fullmatch(
            rf"{ENV}: \d+ workflow\(s\) in sync, 0 drift finding\(s\), 0 job\(s\) not written by wfgen",
            total,
        )


def test_kubectl_list_from_stdin_is_in_sync(built: Path) -> None:
    """`kubectl get cronjobs -o yaml` prints a List; read from stdin with -."""
    docs = list(yaml.safe_load_all((built / "kubernetes" / "cronjobs.yaml").read_text()))
    listed = yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": [d for d in docs if d]})
    code, out = drift("--kubernetes", "-", "--format", "json", stdin=listed)
    assert code == 0, out
    data = json.loads(out)
    assert data["drifted"] is False and data["drift"] == [] and len(data["in_sync"]) > 10


@pytest.fixture
def drifted(built: Path, tmp_path: Path) -> dict[str, Path]:
    crontab = (built / "crontab").read_text("utf-8")
    command = re.search(r"^0 4 \* \* \* (.*)-arg:cleanup$", crontab, re.M)
    assert command
    prefix = command.group(1)
    crontab = re.sub(r"^0 4 \* \* \* .*-arg:cleanup\n", "", crontab, flags=re.M)  # removed
    crontab = crontab.replace(
        f"0 2 * * * {prefix}-arg:reportingAggregates",
        f"30 2 * * * {prefix}-arg:reportingAggregates",
    )
    crontab += f"15 3 * * * {prefix}-arg:trackng\n"  # unknown id, typo of tracking
    crontab += f"0 6 * * * {prefix}-arg:ffdaDeploy\n"  # known, not scheduled on this instance
    crontab += "0 5 * * * /usr/bin/backup --all\n"  # not wfgen's
    (tmp_path / "crontab").write_text(crontab, "utf-8")
    jobs = (built / "kubernetes" / "cronjobs.yaml").read_text("utf-8")
    jobs = jobs.replace("  schedule: 0 3 * * *\n", "  schedule: 0 3 * * *\n  suspend: true\n", 1)
    (tmp_path / "cronjobs.yaml").write_text(jobs, "utf-8")
    units = tmp_path / "systemd"
    shutil.copytree(built / "systemd", units)
    timer = units / "wfgen-cleanup.timer"
    timer.write_text(timer.read_text("utf-8").replace("04:00:00", "05:00:00"), "utf-8")
    return {
        "crontab": tmp_path / "crontab",
        "kubernetes": tmp_path / "cronjobs.yaml",
        "systemd": units,
    }


def _args(paths: dict[str, Path]) -> list[str]:
    return [
        arg
        for kind in ("crontab", "kubernetes", "systemd")
        for arg in (f"--{kind}", str(paths[kind]))
    ]


def test_each_kind_of_drift_is_reported_in_json(drifted: dict[str, Path]) -> None:
    """Removed, added by hand, edited, suspended, unknown id: each one, exit 1."""
    code, out = drift(*_args(drifted), "--format", "json")
    assert code == 1, out
    data = json.loads(out)
    found = {(p["code"], p.get("id")) for p in data["drift"]}
    assert found == {
        ("drift-missing", "cleanup"),
        ("drift-schedule", "reportingAggregates"),
        ("drift-unknown-id", "trackng"),
        ("drift-unexpected", "ffdaDeploy"),
        ("drift-suspended", "agg_messageCenter_full"),
        ("drift-schedule", "cleanup"),
    }
    unknown = next(p for p in data["drift"] if p["code"] == "drift-unknown-id")
    assert "the closest canonical id is tracking" in unknown["message"]
    lines = drifted["crontab"].read_text("utf-8").splitlines()
    assert lines[unknown["line"] - 1].endswith("-arg:trackng")
    (foreign,) = data["not_written_by_wfgen"]
    assert foreign["message"] == "not written by wfgen (crontab): 0 5 * * * /usr/bin/backup --all"
    assert "cleanup" not in data["in_sync"] and "tracking" in data["in_sync"]


def test_drift_text_names_file_line_and_what(drifted: dict[str, Path]) -> None:
    """Text: one line per finding at the deployed file's line, then the counts."""
    code, out = drift(*_args(drifted))
    assert code == 1
    lines = out.splitlines()
    assert any(
        x.startswith(f"  ~ {drifted['crontab']}:")
        and "drift-schedule: reportingAggregates: deployed "
        "schedule '30 2 * * *' fires at other times than the catalogue's '0 2 * * *'"
        in x
        for x in lines
    )
    assert any("drift-suspended: agg_messageCenter_full: CronJob " in x for x in lines)
    assert lines[-1].endswith("6 drift finding(s), 1 job(s) not written by wfgen")
    assert f"{ENV} crontab ({drifted['crontab']}): " in out
    counts = next(x for x in lines if x.startswith(f"{ENV} crontab ("))
    assert counts.endswith("in sync, 1 changed, 1 missing, 2 extra, 1 not written by wfgen")
    assert "      deployed:  30 2 * * * " in out and "      catalogue: 0 2 * * * " in out


def test_schedule_compared_by_fire_times_not_text(built: Path, tmp_path: Path) -> None:
    """`0 4 * * *` written as `0 4 * * 0-6` or `0 04 1-31 * *` is the same schedule."""
    crontab = (built / "crontab").read_text("utf-8")
    edited = re.sub(r"^0 4 \* \* \* ", "0 04 1-31 * 0-6 ", crontab, count=1, flags=re.M)
    assert edited != crontab
    (tmp_path / "crontab").write_text(edited, "utf-8")
    code, out = drift("--crontab", str(tmp_path / "crontab"))
    assert code == 0, out


def test_sarif_of_drift_validates(drifted: dict[str, Path]) -> None:
    """The SARIF report validates against the SARIF 2.1.0 schema and carries each finding."""
    code, out = drift(*_args(drifted), "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {
        "drift-missing",
        "drift-schedule",
        "drift-unknown-id",
        "drift-unexpected",
        "drift-suspended",
        "drift-foreign",
    }
    foreign = next(r for r in results if r["ruleId"] == "drift-foreign")
    assert foreign["level"] == "note"


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    """A missing file or YAML that does not parse is an I/O error, exit 2."""
    code, _ = drift("--crontab", str(tmp_path / "nope"))
    assert code == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: [unclosed\n", "utf-8")
    code, _ = drift("--kubernetes", str(bad))
    assert code == 2
    code, _ = drift()
    assert code == 2


def test_command_and_time_zone_drift(built: Path, tmp_path: Path) -> None:
    """Another instance in a command, another zone in CRON_TZ: both reported, per workflow."""
    crontab = (built / "crontab").read_text("utf-8")
    crontab = crontab.replace("CRON_TZ=Europe/Stockholm", "CRON_TZ=Europe/Oslo")
    crontab = crontab.replace("-instance:prod_mkt -file", "-instance:stage_mkt -file", 1)
    (tmp_path / "crontab").write_text(crontab, "utf-8")
    code, out = drift("--crontab", str(tmp_path / "crontab"), "--format", "json")
    assert code == 1
    data = json.loads(out)
    codes = {p["code"] for p in data["drift"]}
    assert codes == {"drift-command", "drift-timezone"}
    commands = [p for p in data["drift"] if p["code"] == "drift-command"]
    assert len(commands) == 1 and "-instance:stage_mkt" in commands[0]["message"]
    zones = [p for p in data["drift"] if p["code"] == "drift-timezone"]
    assert zones and all("Europe/Oslo" in p["message"] for p in zones)
    assert data["in_sync"] == []


def test_timer_without_its_service(built: Path, tmp_path: Path) -> None:
    """A wfgen timer whose service was deleted: the workflow's command differs (none)."""
    units = tmp_path / "systemd"
    shutil.copytree(built / "systemd", units)
    (units / "wfgen-cleanup.service").unlink()
    code, out = drift("--systemd", str(units), "--format", "json")
    assert code == 1
    findings = json.loads(out)["drift"]
    assert {(f["code"], f["id"]) for f in findings} >= {("drift-command", "cleanup")}
    assert {f["id"] for f in findings} == {"cleanup"}
    assert all(f["file"].endswith("wfgen-cleanup.timer") for f in findings)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_calendar_compared_by_normalized_form(built: Path, tmp_path: Path) -> None:
    """`*-*-* 4:00 Europe/Stockholm` is systemd's `*-*-* 04:00:00 Europe/Stockholm`: in sync."""
    units = tmp_path / "systemd"
    shutil.copytree(built / "systemd", units)
    timer = units / "wfgen-cleanup.timer"
    text = timer.read_text("utf-8")
    assert "OnCalendar=*-*-* 04:00:00 Europe/Stockholm" in text
    timer.write_text(text.replace("*-*-* 04:00:00", "*-*-*   4:00"), "utf-8")
    code, out = drift("--systemd", str(units))
    assert code == 0, out


# --- one case per phenomenon: tests/fixtures/drift/<case>/case.yaml ---------------------------

CASES = sorted(p.parent for p in (FIXTURES / "drift").glob("*/case.yaml"))
TARGET_PATHS = {
    "crontab": "crontab",
    "cron.d": "cron.d/wfgen",
    "kubernetes": "kubernetes/cronjobs.yaml",
    "systemd": "systemd",
}
OPTIONS = {"crontab": "--crontab", "cron.d": "--crontab", "kubernetes": "--kubernetes"}


def _apply(edit: dict[str, Any], root: Path) -> None:
    path = root / edit["file"]
    if edit.get("mkdir"):
        path.mkdir(parents=True)
    elif "symlink" in edit:
        path.symlink_to(edit["symlink"])
    elif "write" in edit:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(edit["write"], "utf-8")
    else:
        text = path.read_bytes().decode("utf-8")
        count = edit.get("count", 0)
        if "regex" in edit:
            changed = re.sub(edit["regex"], edit["with"], text, count=count)
        else:
            changed = text.replace(edit["replace"], edit["with"], count or -1)
        assert changed != text, f"edit {edit} changes nothing"
        path.write_bytes(changed.encode("utf-8"))


def deployed_copy(case: Path, built: Path, tmp_path: Path) -> tuple[dict[str, Any], Path]:
    """The case's deployed file or folder: the build's output, edited as the case says."""
    spec = yaml.safe_load((case / "case.yaml").read_text("utf-8"))
    if "input" in spec:
        return spec, case / spec["input"]
    root = tmp_path / "deployed"
    shutil.copytree(built, root)
    for edit in spec.get("edits", []):
        _apply(edit, root)
    return spec, root / TARGET_PATHS[spec["target"]]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_phenomenon_is_drift_or_a_located_error(
    case: Path, built: Path, tmp_path: Path
) -> None:
    """Each crafted deployment reads as its scheduler reads it: its findings, or exit 2."""
    spec, target = deployed_copy(case, built, tmp_path)
    option = OPTIONS.get(spec["target"], "--systemd")
    args = ["drift", "--env", ENV, "--catalog", str(CATALOG), option, str(target)]
    started = time.monotonic()
    result = CliRunner().invoke(cli, [*args, *spec.get("args", []), "--format", "json"])
    assert time.monotonic() - started < 30
    assert result.exit_code == spec["exit"], result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if spec["exit"] == 2:
        (line,) = result.stderr.splitlines()
        assert re.match(r"wfgen: error: [^:]+:\d+:\d+: ", line) or line.startswith(
            f"wfgen: error: {target}"
        ), line
        assert spec["error"] in line
        return
    data = json.loads(result.stdout)
    found = {(p["code"], p.get("id", "")) for p in data["drift"]}
    if "findings" in spec:
        assert found == {tuple(f.split(" ", 1)) for f in spec["findings"]}
    if "codes" in spec:
        assert {code for code, _ in found} == set(spec["codes"])
    if "at" in spec:
        where = {f"{p['file']}:{p['line']}" for p in data["drift"]}
        assert any(w.endswith(spec["at"]) for w in where), where
    assert data["drifted"] is (spec["exit"] == 1)


@pytest.mark.skipif(shutil.which("crontab") is None, reason="Debian cron not installed")
@pytest.mark.parametrize(
    "case", [c for c in CASES if c.name.startswith("crontab-")], ids=lambda c: c.name
)
def test_debian_crontab_reads_the_crontab_cases(case: Path, built: Path, tmp_path: Path) -> None:
    """`crontab -n` takes each crafted crontab (cron would install and run it as read here),
    or refuses it where the case says cron refuses it."""
    spec, target = deployed_copy(case, built, tmp_path)
    result = subprocess.run(["crontab", "-n", str(target)], capture_output=True, check=False)
    assert (result.returncode != 0) is spec.get("cron_refuses", False), result.stderr


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_special_files_are_refused_at_once(kind: str, tmp_path: Path) -> None:
    """A FIFO or /dev/zero named as a deployed file: exit 2 at once, never a hang or OOM."""
    path = Path("/dev/zero")
    if kind == "fifo":
        path = tmp_path / "fifo"
        os.mkfifo(path)
    for option in ("--crontab", "--kubernetes"):
        started = time.monotonic()
        result = CliRunner().invoke(
            cli, ["drift", "--env", ENV, "--catalog", str(CATALOG), option, str(path)]
        )
        assert result.exit_code == 2, result.output
        assert "not a regular file" in result.stderr
        assert time.monotonic() - started < 10


def test_json_counts_per_target(drifted: dict[str, Path]) -> None:
    """JSON carries, per target, the counts `terraform plan` would print."""
    code, out = drift(*_args(drifted), "--format", "json")
    assert code == 1
    targets = {t["target"]: t for t in json.loads(out)["targets"]}
    assert set(targets) == {"crontab", "kubernetes", "systemd"}
    assert targets["crontab"]["missing"] == 1 and targets["crontab"]["extra"] == 2
    assert targets["kubernetes"]["changed"] == 1 and targets["systemd"]["changed"] == 1
    assert targets["crontab"]["foreign"] == 1


def test_github_format_annotates_each_finding(drifted: dict[str, Path]) -> None:
    """--format github: one workflow command per finding, at the deployed file's line."""
    code, out = drift(*_args(drifted), "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert sum(x.startswith("::error ") for x in lines) == 6
    assert any(x.startswith("::notice ") and "drift-foreign" in x for x in lines)


# --- property: any single change a scheduler reads differently is reported ------------------

_CRON_LINE = re.compile(r"(?m)^(?P<min>\S+) (?P<hour>\S+) (?P<rest>\S+ \S+ \S+ (?:neolane )?/.*)$")


def _one_change(text: str, kind: str, which: int, how: int) -> str | None:
    """``text`` with one change to its ``which``-th job (a cron line, a CronJob, a unit)
    of kind ``how``; None when that change does not apply to it."""
    if kind in ("crontab", "cron.d"):
        lines = list(_CRON_LINE.finditer(text))
        line = lines[which % len(lines)]
        start, end = line.span()
        body = line.group(0)
        changes = [
            "",  # removed
            f"{body}\n{body}",  # listed twice
            f"# {body}",  # commented out
            body.replace("-instance:prod_mkt", "-instance:prod_mkt2"),
            body + " --dry-run",
            body.replace(" neolane ", " root ") if " neolane " in body else None,
            (
                f"{(int(line['min']) + 7) % 60} {line['hour']} {line['rest']}"
                if line["min"].isdigit()
                else None
            ),
            f"CRON_TZ=UTC\n{body}",
        ]
        change = changes[how % len(changes)]
        return None if change is None else text[:start] + change + text[end:]
    docs = text.split("---\n")
    index = 1 + which % (len(docs) - 1)
    doc = docs[index]
    changes_k8s = [
        "",
        doc.replace("  timeZone: Europe/Stockholm\n", ""),
        doc.replace("  schedule: ", "  suspend: true\n  schedule: ", 1),
        doc.replace("concurrencyPolicy: Forbid", "concurrencyPolicy: Replace"),
        doc.replace("nlserver:7.4.1", "nlserver:7.4.2"),
        doc.replace("namespace: campaign-prod", "namespace: campaign-test"),
        re.sub(r"(?m)^  schedule: (\S+) ", lambda m: f"  schedule: {m[1]}/2 ", doc, count=1)
        if re.search(r"(?m)^  schedule: \d+ ", doc)
        else None,
        doc.replace("- -instance:prod_mkt", "- -instance:other"),
    ]
    change = changes_k8s[how % len(changes_k8s)]
    if change is None or change == doc:
        return None
    docs[index] = change
    return "---\n".join(docs)


@settings(max_examples=examples(40), deadline=None)
@given(
    kind=st.sampled_from(["crontab", "cron.d", "kubernetes"]),
    which=st.integers(0, 1000),
    how=st.integers(0, 100),
)
def test_any_single_change_is_reported(built: Path, kind: str, which: int, how: int) -> None:
    """One change to a rendered crontab, cron.d file or CronJob list: never exit 0."""
    text = (built / TARGET_PATHS[kind]).read_text("utf-8")
    changed = _one_change(text, kind, which, how)
    assume(changed is not None and changed != text)
    assert changed is not None
    option = "--kubernetes" if kind == "kubernetes" else "--crontab"
    code, out = drift(option, "-", stdin=changed)
    assert code == 1, out


_UNIT_CHANGES = [
    ("timer", lambda t: re.sub(r"(?m)^OnCalendar=.*$", r"\g<0>\nOnCalendar=*-*-* 23:59:00", t)),
    ("timer", lambda t: re.sub(r"(?m)^OnCalendar=(.*) Europe/Stockholm$", r"OnCalendar=\1", t)),
    ("timer", lambda t: t.replace("Persistent=true", "Persistent=true\nOnBootSec=5min")),
    ("service", lambda t: t.replace("ExecStart=", "ExecStart=!")),
    ("service", lambda t: t.replace("ExecStart=", "ExecStart=-")),
    ("service", lambda t: t.replace("User=neolane\n", "")),
    ("service", lambda t: t.replace("Type=oneshot", "Type=oneshot\nGroup=wheel")),
    ("service", lambda t: t.replace(" -arg:", " -arg:x")),
    ("gone", lambda t: t),
]


@settings(max_examples=examples(25), deadline=None)
@given(which=st.integers(0, 1000), how=st.integers(0, len(_UNIT_CHANGES) - 1))
def test_any_single_unit_change_is_reported(built: Path, which: int, how: int) -> None:
    """One change to one unit of the rendered folder: never exit 0."""
    import tempfile

    timers = sorted((built / "systemd").glob("*.timer"))
    timer = timers[which % len(timers)]
    kind, change = _UNIT_CHANGES[how]
    with tempfile.TemporaryDirectory() as tmp:
        units = Path(tmp) / "systemd"
        shutil.copytree(built / "systemd", units)
        target = units / (timer.name if kind != "service" else timer.stem + ".service")
        if kind == "gone":
            target.unlink()
        else:
            text = target.read_text("utf-8")
            assert change(text) != text
            target.write_text(change(text), "utf-8")
        code, out = drift("--systemd", str(units))
    assert code == 1, out


@pytest.mark.parametrize("env", ["prod-marketing", "staging"])
def test_every_environment_and_target_is_in_sync(
    env: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """What `wfgen build` writes for each bundled environment reads back in sync, per target."""
    out = bundled_build(tmp_path_factory, env=env, locale="en") / env
    for target, path in TARGET_PATHS.items():
        option = OPTIONS.get(target, "--systemd")
        code, text = run("drift", "--env", env, "--catalog", str(CATALOG), option, str(out / path))
        assert code == 0, text
        assert re.match(rf"{env} {re.escape(target)} \(.*\): \d+ in sync, 0 changed", text), text


def test_kubectl_json_output_is_in_sync(built: Path) -> None:
    """`kubectl get cronjobs -o json` prints a List in JSON: read as the same objects."""
    docs = list(yaml.safe_load_all((built / "kubernetes" / "cronjobs.yaml").read_text()))
    listed = json.dumps({"apiVersion": "v1", "kind": "List", "items": [d for d in docs if d]})
    code, out = drift("--kubernetes", "-", stdin=listed)
    assert code == 0, out
    one = json.dumps(docs[1], indent=4)  # `kubectl get cronjob NAME -o json`: one object
    code, out = drift("--kubernetes", "-", "--format", "json", stdin=one)
    assert code == 1
    assert {p["code"] for p in json.loads(out)["drift"]} == {"drift-missing"}


_CRON_WORDS = st.sampled_from(
    ["0", "4", "*", "*/5", "1-5", "60", "@daily", "@reboot", "CRON_TZ", "=", "TZ=UTC", "%", "\\%",
     "neolane", "root", "#", "'", '"', "\r", "\t", " ", "\u2028", "\x1c", "\x00", "-arg:cleanup",
     "/usr/local/neolane/nl6/bin/nlserver", "$(id)", ";", "Europe/Stockholm", "MON", "L", "?"]
)  # fmt: skip


@settings(max_examples=examples(60), deadline=None)
@given(lines=st.lists(st.lists(_CRON_WORDS, max_size=9).map("".join), max_size=6))
def test_any_crontab_text_is_an_answer_never_a_traceback(lines: list[str]) -> None:
    """Whatever a crontab holds, drift answers 0, 1 or 2, never with a traceback."""
    result = CliRunner().invoke(
        cli,
        ["drift", "--env", ENV, "--catalog", str(CATALOG), "--crontab", "-"],
        input="\n".join(lines),
    )
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


_YAML_PIECES = st.sampled_from(
    ["kind: CronJob\n", "kind: List\n", "items:\n", "- ", "  ", "metadata:\n", "spec:\n",
     "schedule: 0 4 * * *\n", "containers:\n", "command: [a, 1]\n", "args: {a: 1}\n", "name: x\n",
     "jobTemplate:\n", "template:\n", "suspend: yes\n", "timeZone: 5\n", "[1]\n", "null\n",
     "---\n", "&a [1]\n", "*a\n", "'x'\n", "{}\n", "image: [x]\n", "securityContext:\n"]
)  # fmt: skip


@settings(max_examples=examples(80), deadline=None)
@given(pieces=st.lists(_YAML_PIECES, max_size=14))
def test_any_kubectl_text_is_an_answer_never_a_traceback(pieces: list[str]) -> None:
    """Whatever `kubectl` output holds, drift answers 0, 1 or 2, never with a traceback."""
    result = CliRunner().invoke(
        cli,
        ["drift", "--env", ENV, "--catalog", str(CATALOG), "--kubernetes", "-"],
        input="".join(pieces),
    )
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


_UNIT_LINES = st.sampled_from(
    ["[Timer]", "[Service]", "OnCalendar=", "OnCalendar=*-*-* 04:00:00", "OnCalendar=bogus",
     "Unit=", "Unit=x.service", "Unit=../x", "ExecStart=", "ExecStart=+/bin/true", "ExecStart=-",
     "ExecStart=\"unclosed", "User=", "  ", "#c", ";c", "Key", "A=b\\", "\r", "=x"]
)  # fmt: skip


@settings(max_examples=examples(40), deadline=None)
@given(timer=st.lists(_UNIT_LINES, max_size=8), service=st.lists(_UNIT_LINES, max_size=8))
def test_any_unit_text_is_an_answer_never_a_traceback(timer: list[str], service: list[str]) -> None:
    """Whatever a timer and its service hold, drift answers 0, 1 or 2, never a traceback."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "x.timer").write_text("\n".join(timer), "utf-8")
        (Path(tmp) / "x.service").write_text("\n".join(service), "utf-8")
        result = CliRunner().invoke(
            cli, ["drift", "--env", ENV, "--catalog", str(CATALOG), "--systemd", tmp]
        )
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def test_stdin_over_the_input_limit_is_refused() -> None:
    """`-` reads standard input with the same 64 MiB cap as a file: exit 2, located."""
    from generator.safebytes import MAX_INPUT_BYTES

    result = CliRunner().invoke(
        cli,
        ["drift", "--env", ENV, "--catalog", str(CATALOG), "--crontab", "-"],
        input=b"#" * (MAX_INPUT_BYTES + 1),
    )
    assert result.exit_code == 2
    assert "<stdin>: over the 67,108,864-byte limit" in result.stderr


def test_special_file_named_like_a_unit_is_refused(tmp_path: Path) -> None:
    """A FIFO named *.timer in the unit folder: exit 2 at once, naming it."""
    os.mkfifo(tmp_path / "wfgen-x.timer")
    result = CliRunner().invoke(
        cli, ["drift", "--env", ENV, "--catalog", str(CATALOG), "--systemd", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert f"{tmp_path / 'wfgen-x.timer'}: cannot read this unit: a FIFO" in result.stderr


def test_unreadable_drop_in_folder_is_a_located_error(built: Path, tmp_path: Path) -> None:
    """A drop-in folder that cannot be listed (a symbolic link loop): exit 2 naming it."""
    folder = tmp_path / "systemd"
    shutil.copytree(built / "systemd", folder)
    loop = folder / "wfgen-cleanup.timer.d"
    loop.symlink_to(loop)
    result = CliRunner().invoke(
        cli, ["drift", "--env", ENV, "--catalog", str(CATALOG), "--systemd", str(folder)]
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"wfgen: error: {loop}: cannot list this drop-in folder")


def test_service_no_timer_starts_is_listed(built: Path, tmp_path: Path) -> None:
    """A service of the folder that no timer starts is listed as not wfgen's, never silent;
    its workflow's timer gone, the workflow is missing."""
    units = tmp_path / "systemd"
    shutil.copytree(built / "systemd", units)
    (units / "wfgen-cleanup.timer").unlink()
    (units / "backup.service").write_text("[Service]\nExecStart=/usr/bin/backup\n", "utf-8")
    code, out = drift("--systemd", str(units), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert {(p["code"], p["id"]) for p in data["drift"]} == {("drift-missing", "cleanup")}
    assert sorted(p["message"] for p in data["not_written_by_wfgen"]) == [
        "not written by wfgen (systemd): backup.service (no timer starts it)",
        "not written by wfgen (systemd): wfgen-cleanup.service (no timer starts it)",
    ]


@pytest.fixture(scope="module")
def dialects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`wfgen build` of the accepted-dialects case: L, 5L, 1#2, windows over several cron
    lines and CronJobs, one environment per target kind."""
    out = tmp_path_factory.mktemp("dialects") / "out"
    code, text = run(
        *("build", "--catalog", str(DIALECTS), "--locales", str(LOCALES), "--locale", "en"),
        *("--out", str(out), "--quiet"),
    )
    assert code == 0, text
    return out


def test_outputs_of_every_dialect_are_in_sync(dialects: Path) -> None:
    """Each environment's outputs of the accepted-dialects case read back in sync."""
    checked = 0
    for env in sorted(p.stem for p in (DIALECTS / "environments").glob("*.yaml")):
        for target, path in TARGET_PATHS.items():
            if not (dialects / env / path).exists():
                continue
            option = OPTIONS.get(target, "--systemd")
            code, text = run(
                *("drift", "--env", env, "--catalog", str(DIALECTS)),
                *(option, str(dialects / env / path)),
            )
            assert code == 0, text
            checked += 1
    assert checked == 4
