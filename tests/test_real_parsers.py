"""Every generated schedule through the schedulers' own parsers.

- Debian cron: ``crontab -n`` (dry run: parse, do not install), from Debian's ``cron``.
- python-crontab, a second, independent crontab reader.
- Kubernetes: robfig/cron v3, the library the API server and the CronJob controller parse
  ``spec.schedule`` with, from Debian's ``golang-github-robfig-cron-dev``, compiled here with
  Debian's ``golang-go`` into a small checker; its ``Next()`` also gives the controller's
  fire times on daylight-saving days, held against :func:`scheduler_runs`.
- systemd: ``systemd-analyze calendar`` for every ``OnCalendar=``.

``make test`` installs the three Debian packages (see the Makefile's system packages).
Outputs come from the bundled catalogue and from tests/cases/dialects/accepted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import cli
from generator.schedules import Schedule, scheduler_runs
from tests.conftest import CASES, CATALOG, LOCALES

ROBFIG_SRC = Path("/usr/share/gocode/src/github.com/robfig/cron")

CHECKER = """package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/robfig/cron"
)

// check: one schedule a line on stdin, "ok" or the parser's error for each.
// next SCHEDULE ZONE AFTER COUNT: the next fire times, as the CronJob controller computes them.
func main() {
	if len(os.Args) > 1 && os.Args[1] == "next" {
		loc, err := time.LoadLocation(os.Args[3])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		sched, err := cron.ParseStandard(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		t, err := time.Parse(time.RFC3339, os.Args[4])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		n, _ := strconv.Atoi(os.Args[5])
		t = t.In(loc)
		for i := 0; i < n; i++ {
			t = sched.Next(t)
			fmt.Println(t.Format(time.RFC3339))
		}
		return
	}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if _, err := cron.ParseStandard(sc.Text()); err != nil {
			fmt.Printf("%s\\t%v\\n", sc.Text(), err)
		} else {
			fmt.Printf("%s\\tok\\n", sc.Text())
		}
	}
}
"""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """out/ folders of the bundled catalogue and of the accepted dialect case."""
    built = []
    for name, catalog in (("bundled", CATALOG), ("accepted", CASES / "dialects" / "accepted")):
        out = tmp_path_factory.mktemp(name) / "out"
        result = CliRunner().invoke(
            cli,
            [
                *("build", "--catalog", str(catalog), "--locales", str(LOCALES)),
                *("--locale", "en", "--out", str(out), "--quiet"),
            ],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        built.append(out)
    return built


def _cron_entries(path: Path, *, user_field: bool) -> list[str]:
    """Entry lines, with the user field of cron.d dropped (crontab -n reads user crontabs)."""
    out = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "=" in line.split()[0]:
            continue
        fields = line.split()
        if user_field:
            fields = fields[:5] + fields[6:]
        out.append(" ".join(fields))
    return out


def _crontabs(outputs: list[Path]) -> list[tuple[Path, bool]]:
    found = [(p, False) for out in outputs for p in sorted(out.glob("*/crontab"))]
    found += [(p, True) for out in outputs for p in sorted(out.glob("*/cron.d/wfgen"))]
    assert len(found) >= 4
    return found


@pytest.mark.skipif(
    shutil.which("crontab") is None, reason="Debian's cron not installed (make test installs it)"
)
def test_debian_crontab_accepts_every_crontab(outputs: list[Path], tmp_path: Path) -> None:
    """``crontab -n`` (Debian cron 3.0) parses every generated crontab and cron.d entry."""
    for path, user_field in _crontabs(outputs):
        entries = _cron_entries(path, user_field=user_field)
        assert entries
        if user_field:  # the same entries without the user field, as a user crontab
            checked = tmp_path / f"{path.parent.parent.name}.crontab"
            checked.write_text("\n".join(entries) + "\n", "utf-8")
        else:
            checked = path
        result = subprocess.run(
            ["crontab", "-n", str(checked)], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, (path, result.stdout, result.stderr)


def test_debian_crontab_refuses_what_validate_refuses(tmp_path: Path) -> None:
    """The constructs validate refuses for cron are the ones Debian's crontab refuses."""
    if shutil.which("crontab") is None:
        pytest.skip("Debian's cron not installed (make test installs it)")
    for expression in ("0 0 L * *", "0 0 LW * *", "0 22 * * 5L", "5/20 * * * *"):
        tab = tmp_path / "tab"
        tab.write_text(f"{expression} /bin/true\n", "utf-8")
        result = subprocess.run(["crontab", "-n", str(tab)], capture_output=True, check=False)
        assert result.returncode != 0, expression


def test_python_crontab_reads_every_entry(outputs: list[Path]) -> None:
    """python-crontab parses every entry as valid, with the same five fields and command."""
    from crontab import CronTab

    for path, user_field in _crontabs(outputs):
        tab = CronTab(tabfile=str(path), user=False if user_field else None)
        jobs = list(tab)
        entries = _cron_entries(path, user_field=user_field)
        assert len(jobs) == len(entries), path
        for job, entry in zip(jobs, entries, strict=True):
            assert job.is_valid(), (path, entry)
            fields = [job.slices[i].render() for i in range(5)]
            assert fields == entry.split()[:5], (path, entry)
            assert job.command == " ".join(entry.split()[5:])


@pytest.fixture(scope="module")
def robfig(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The robfig/cron checker, compiled from Debian's packaged source."""
    if shutil.which("go") is None or not ROBFIG_SRC.is_dir():
        pytest.skip("golang-go and golang-github-robfig-cron-dev not installed (make test)")
    folder = tmp_path_factory.mktemp("robfig")
    (folder / "main.go").write_text(CHECKER, "utf-8")
    # Go's build cache is kept with the environment between runs, as Python's bytecode is
    # (.venv/pycache): the checker is still built from the packaged source every run, and
    # what changed (that source, the toolchain) is compiled again, Go's cache being keyed by
    # content. Where the environment cannot be written, a fresh cache.
    cache = Path(sys.prefix) / "go-build-cache"
    if not os.access(sys.prefix, os.W_OK):
        cache = folder / "cache"
    env = {
        **os.environ,
        "GO111MODULE": "off",
        "GOPATH": "/usr/share/gocode",
        "GOCACHE": str(cache),
    }
    subprocess.run(
        ["go", "build", "-o", str(folder / "check"), str(folder / "main.go")],
        check=True,
        env=env,
        capture_output=True,
    )
    return folder / "check"


def _cronjobs(outputs: list[Path]) -> list[dict[str, object]]:
    jobs = []
    for out in outputs:
        for path in sorted(out.glob("*/kubernetes/cronjobs.yaml")):
            jobs.extend(d for d in yaml.safe_load_all(path.read_text("utf-8")) if d)
    assert jobs
    return jobs


def test_robfig_accepts_every_cronjob_schedule(outputs: list[Path], robfig: Path) -> None:
    """Kubernetes' parser accepts every spec.schedule written."""
    schedules = sorted({job["spec"]["schedule"] for job in _cronjobs(outputs)})  # type: ignore[index]
    result = subprocess.run(
        [str(robfig)], input="\n".join(schedules) + "\n", capture_output=True, text=True, check=True
    )
    verdicts = dict(line.split("\t", 1) for line in result.stdout.splitlines())
    assert verdicts == dict.fromkeys(schedules, "ok")


def test_robfig_refuses_what_validate_refuses(robfig: Path) -> None:
    """The constructs validate refuses for Kubernetes are the ones robfig/cron refuses."""
    refused = ["0 0 L * *", "0 0 LW * *", "0 22 * * 5L", "0 6 * * 1#2", "0 4 * * 7"]
    result = subprocess.run(
        [str(robfig)], input="\n".join(refused) + "\n", capture_output=True, text=True, check=True
    )
    assert all(not line.endswith("\tok") for line in result.stdout.splitlines())


@pytest.mark.parametrize(
    ("schedule", "after"),
    [
        (Schedule(kind="daily", at="02:00"), "2026-03-27T00:00:00Z"),
        (Schedule(kind="daily", at="02:30"), "2026-10-23T00:00:00Z"),
        (Schedule(kind="hourly", minute=30), "2026-10-24T20:00:00Z"),
        (Schedule(kind="hourly", minute=15), "2026-03-28T20:00:00Z"),
        (Schedule(kind="cron", expression="*/20 1-3 * * *"), "2026-10-24T20:00:00Z"),
    ],
)
def test_kubernetes_runs_on_dst_days_match_robfig(
    schedule: Schedule, after: str, robfig: Path
) -> None:
    """scheduler_runs(kubernetes) gives robfig's Next() times across a clock change."""
    from generator.schedules import to_cron

    when = datetime.fromisoformat(after.replace("Z", "+00:00"))
    ours = scheduler_runs(
        schedule, scheduler="kubernetes", after=when, count=12, timezone="Europe/Stockholm"
    )
    result = subprocess.run(
        [str(robfig), "next", to_cron(schedule), "Europe/Stockholm", after, "12"],
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = [datetime.fromisoformat(x) for x in result.stdout.split()]
    assert [r.astimezone(UTC) for r in ours] == [r.astimezone(UTC) for r in theirs]


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze not installed (make test installs it)",
)
def test_systemd_analyze_reads_every_calendar(outputs: list[Path]) -> None:
    """systemd-analyze calendar normalizes every OnCalendar= written (L, 5L, 1#2 included)."""
    values = sorted(
        {
            line.split("=", 1)[1]
            for out in outputs
            for timer in out.glob("*/systemd/*.timer")
            for line in timer.read_text("utf-8").splitlines()
            if line.startswith("OnCalendar=")
        }
    )
    assert any("~" in v for v in values)  # the accepted case's L and 5L are among them
    result = subprocess.run(
        ["systemd-analyze", "calendar", *values], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# `wfgen drift` reads a deployed CronJob's schedule as the controller does: one robfig/cron
# refuses is never in sync, and one it accepts is in sync exactly when it fires when the
# catalogue's does (robfig's Next() times against the catalogue's `0 4 * * *`).
DRIFT_SCHEDULES = [
    "0 4 * * *",
    "0 04 * * 0-6",
    "0 4 1-31 * *",
    "0 4 * 1-12 *",
    "0 4 * * MON-SUN",
    "0 4 * * 7",
    "60 4 * * *",
    "0 4 * *",
    "0 4 * * * *",
    "0 5 * * *",
    "0 4 * * 1-5",
    "@daily",
    "*/60 4 * * *",
]


def test_drift_reads_cronjob_schedules_as_robfig(
    robfig: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A deployed schedule robfig refuses drifts; one it accepts is in sync iff it fires
    at the catalogue's times."""
    from tests.bundled_build import bundled_build

    built = bundled_build(tmp_path_factory, env="prod-marketing", locale="en") / "prod-marketing"
    text = (built / "kubernetes" / "cronjobs.yaml").read_text("utf-8")
    docs = text.split("---\n")
    (index,) = [i for i, d in enumerate(docs) if "wfgen.dev/workflow-id: cleanup\n" in d]
    assert "  schedule: 0 4 * * *\n" in docs[index]
    checked = subprocess.run(
        [str(robfig)],
        input="\n".join(DRIFT_SCHEDULES) + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    after = "2026-03-20T00:00:00Z"  # over the clock change of 2026-03-29

    def fires(schedule: str) -> str:
        return subprocess.run(
            [str(robfig), "next", schedule, "Europe/Stockholm", after, "40"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    wanted = fires("0 4 * * *")
    for schedule, verdict in zip(DRIFT_SCHEDULES, checked, strict=True):
        edited = list(docs)
        edited[index] = docs[index].replace("schedule: 0 4 * * *", f"schedule: '{schedule}'")
        result = CliRunner().invoke(
            cli,
            ["drift", "--env", "prod-marketing", "--catalog", str(CATALOG), "--kubernetes", "-"],
            input="---\n".join(edited),
        )
        accepted = verdict.endswith("\tok")
        in_sync = accepted and fires(schedule) == wanted
        assert result.exit_code == (0 if in_sync else 1), (schedule, verdict, result.output)


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze not installed (make test installs it)",
)
def test_drift_merges_the_drop_ins_systemd_loads(tmp_path: Path) -> None:
    """The unit files `wfgen drift` merges, and their order, are the ones `systemd-analyze
    verify` loads: each drop-in names itself by an unknown key systemd warns about."""
    from generator.drift.systemd import unit_files

    folder = tmp_path / "units"
    folder.mkdir()
    (folder / "wfgen-a-b.timer").write_text(
        "[Timer]\nOnCalendar=*-*-* 04:00:00\nUnit=wfgen-a-b.service\n", "utf-8"
    )
    (folder / "wfgen-a-b.service").write_text(
        "[Service]\nType=oneshot\nExecStart=/bin/true\n", "utf-8"
    )
    drop_ins = [
        "timer.d/50-type.conf",
        "wfgen-.timer.d/10-prefix.conf",
        "wfgen-a-.timer.d/20-longer.conf",
        "wfgen-a-b.timer.d/override.conf",
        "wfgen-a-b.timer.d/05-first.conf",
        "wfgen-a-b.timer.d/not-a-drop-in.txt",
        "timer.d/override.conf",  # the same name in a less specific folder: not loaded
        "wfgen-a-b.service.d/user.conf",
        "service.d/10-all.conf",
    ]
    for index, name in enumerate(drop_ins):
        path = folder / name
        path.parent.mkdir(exist_ok=True)
        section = "Service" if ".service" in name or "service.d" in name else "Timer"
        path.write_text(f"[{section}]\nX{index}=1\n", "utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(folder / "wfgen-a-b.timer")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SYSTEMD_UNIT_PATH": str(folder)},
    )
    loaded: list[str] = []
    for line in result.stderr.splitlines():
        if "Unknown key" in line and line.startswith(str(folder)):
            name = line.split(":", 1)[0].removeprefix(f"{folder}/")
            if name not in loaded:
                loaded.append(name)
    files = {str(p.relative_to(folder)): "" for p in folder.rglob("*") if p.is_file()}
    ours = [*unit_files(files, "wfgen-a-b.timer")[1:], *unit_files(files, "wfgen-a-b.service")[1:]]
    assert len(ours) == 7 and loaded == ours, (loaded, ours)
