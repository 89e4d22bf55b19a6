"""wfgen's benchmarks, side by side with the tools users would otherwise run.

    python benchmarks/run.py [--quick] [--regenerate] [--data DIR] [--only-docs]

Everything runs in this one process tree. Each comparison alternates the two sides
(A B A B ...) so that the machine's drift falls on both, and is printed as the median ratio
with its min and max over the rounds, plus both medians in seconds. Progress goes to stderr;
the tables (Markdown, as in docs/benchmarks.md) go to stdout at the end.

Commands are whole processes (wall time, and peak memory of that very child from
``os.wait4``); schedule sentences are timed in this process, both sides the same way.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402 - benchmarks/generate.py, beside this file

BIN = Path(sys.executable).parent
SCHEMA = ROOT / "generator" / "schemas" / "catalog.schema.json"
BUILD_LOCALES = ("en", "sv", "de", "it")
# One build of this many workflows, for its peak memory only (inputs in <data>/memory/).
MEMORY_SIZE = 50_000
SENTENCE_LOCALES = {"en": "en_US", "sv": "sv_SE", "de": "de_DE", "it": "it_IT"}
STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        sys.exit(
            f"benchmarks: {path} is missing; run `make bench` (pip install -e '.[test,bench]')"
        )
    return str(path)


@dataclass(frozen=True)
class Run:
    """One whole-process run: wall time in seconds and peak resident memory in MB; CPU time
    (user + system) of the command and the processes it waited for."""

    seconds: float
    peak_mb: float
    cpu: float = 0.0


# A small, fresh parent for every measured command: on Linux a child's peak memory starts
# from its parent's at fork, so measuring from this (large) process would overstate it.
_WRAPPER = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = child.stderr.read()
_, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - start
sys.stderr.buffer.write(err)
cpu = usage.ru_utime + usage.ru_stime
print(seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status), cpu)
"""


def run(argv: Sequence[str], *, cwd: Path = ROOT, ok: Sequence[int] = (0,)) -> Run:
    """Run a command to completion: its wall time and its own peak memory."""
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _WRAPPER, *argv],
        cwd=cwd,
        capture_output=True,
        check=False,
    )
    try:
        seconds, peak_kb, code, cpu = done.stdout.split()
    except ValueError:
        sys.exit(f"benchmarks: cannot run {' '.join(argv)}: {done.stderr.decode(errors='replace')}")
    if int(code) not in ok:
        sys.exit(
            f"benchmarks: {' '.join(argv)} exited {int(code)}:\n"
            f"{done.stderr.decode(errors='replace')[-2000:]}"
        )
    return Run(float(seconds), int(peak_kb) / 1024, float(cpu))


@dataclass
class Pair:
    """A comparison: ``a`` (wfgen) against ``b`` (the peer), round by round."""

    name: str
    a_label: str
    b_label: str
    a: list[float] = field(default_factory=list)
    b: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def ratios(self) -> list[float]:
        """How many times faster wfgen was, per round (peer time / wfgen time)."""
        return [b / a for a, b in zip(self.a, self.b, strict=True)]

    def row(self) -> str:
        r = self.ratios
        return (
            f"| {self.name} | {self.a_label} | {self.b_label} "
            f"| {med(self.a):.3f} | {med(self.b):.3f} "
            f"| **{med(r):.2f}x** ({min(r):.2f}-{max(r):.2f}) | {len(r)} |"
        )


def med(values: Sequence[float]) -> float:
    return statistics.median(values)


def interleave(
    pair: Pair,
    a: Callable[[], float],
    b: Callable[[], float],
    *,
    rounds: int,
    setup: Callable[[], None] | None = None,
) -> Pair:
    """A B A B ...: ``rounds`` timings of each side, alternating."""
    for index in range(rounds):
        if setup:
            setup()
        pair.a.append(a())
        if setup:
            setup()
        pair.b.append(b())
        log(f"  {pair.name}: round {index + 1}/{rounds}: {pair.a[-1]:.3f}s vs {pair.b[-1]:.3f}s")
    return pair


# --- inputs -----------------------------------------------------------------------------


def ensure_data(data: Path, *, regenerate: bool, sizes: Sequence[int]) -> None:
    """Generate the inputs once; again only when generate.py changed (or when asked)."""
    stamp = data / ".stamp"
    digest = hashlib.sha256(
        Path(generate.__file__).read_bytes() + repr(sorted(sizes)).encode()
    ).hexdigest()
    if not regenerate and stamp.is_file() and stamp.read_text() == digest:
        log(f"inputs: {data} (already generated)")
        return
    log(f"inputs: generating {', '.join(map(str, sizes))} workflows into {data}")
    generate.generate(data, tuple(sizes), log=log)
    stamp.write_text(digest)


def catalog_files(catalog: Path) -> list[str]:
    return [
        str(catalog / "modules.yaml"),
        *sorted(str(p) for p in (catalog / "workflows").glob("*.yaml")),
    ]


def compile_package() -> None:
    """Byte-compile wfgen's own modules, as installing the wheel does.

    The benchmarks run the editable install, whose modules Python compiles on first import
    and caches in __pycache__; with PYTHONDONTWRITEBYTECODE set (as on some CI and developer
    machines) it never caches them, and every measured command would compile wfgen's sources
    again while the peers' installed modules load compiled.
    """
    import compileall

    log("compiling wfgen's modules (as a wheel install does)")
    if not compileall.compile_dir(str(ROOT / "generator"), quiet=1):
        sys.exit("benchmarks: cannot byte-compile generator/")


# --- benchmarks -------------------------------------------------------------------------

DOCS_PAGES = HERE / "docs-pages"


@dataclass
class DocsRun:
    """`wfgen docs check` over a folder of real pages, as whole processes."""

    pages: int
    rows: int
    runs: list[Run] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.pages / med([r.seconds for r in self.runs])


def bench_docs(rounds: int, pages: Path = DOCS_PAGES) -> DocsRun:
    """`wfgen docs check FOLDER` (every core): pages per second, start-up included."""
    import json

    argv = [tool("wfgen"), "docs", "check", str(pages), "--format", "json"]
    done = subprocess.run(argv, capture_output=True, check=False, cwd=ROOT)
    if done.returncode not in (0, 1):
        sys.exit(f"benchmarks: docs check exited {done.returncode}: {done.stderr[-2000:]!r}")
    data = json.loads(done.stdout)
    result = DocsRun(len(data["pages"]), sum(len(p["rows"]) for p in data["pages"]))
    log(f"docs check: {result.pages} pages, {result.rows} rows in {pages}")
    for index in range(rounds):
        # Findings fail the command (exit 1); the time is what counts here.
        result.runs.append(run(argv, ok=(0, 1)))
        log(f"  docs check: round {index + 1}/{rounds}: {result.runs[-1].seconds:.3f}s")
    return result


def docs_target(docs: DocsRun) -> list[str]:
    rate = docs.per_second
    cores = os.cpu_count() or 1
    idle = docs.pages / med([r.cpu for r in docs.runs]) * cores
    return [
        f"Target: docs check >= 100 pages/s (whole process): {rate:.0f} {verdict(rate >= 100)}"
        f" (from CPU time, about {idle:.0f} pages/s on {cores} idle cores)"
    ]


def docs_rows(docs: DocsRun | None) -> list[str]:
    if docs is None:
        return []
    seconds = med([r.seconds for r in docs.runs])
    cpu = med([r.cpu for r in docs.runs])
    peak = max(r.peak_mb for r in docs.runs)
    return [
        "### Documentation pages (`wfgen docs check benchmarks/docs-pages`, every core)",
        "",
        "CPU s is user + system time of the command and its worker processes. On a machine",
        "shared with other work the wall time says little; CPU s divided by the cores is the",
        "wall time to expect on idle cores.",
        "",
        "| pages | rows | median s (whole process) | pages/s | median CPU s | pages per CPU s "
        "| peak MB (main process) | rounds |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {docs.pages} | {docs.rows:,} | {seconds:.2f} | {docs.per_second:.0f} | {cpu:.2f} "
        f"| {docs.pages / cpu:.0f} | {peak:.0f} | {len(docs.runs)} |",
        "",
    ]


def bench_help(rounds: int) -> Pair:
    log("CLI start-up: wfgen --help vs check-jsonschema --help")
    pair = Pair("CLI start-up (`--help`)", "`wfgen --help`", "`check-jsonschema --help`")
    return interleave(
        pair,
        lambda: run([tool("wfgen"), "--help"]).seconds,
        lambda: run([tool("check-jsonschema"), "--help"]).seconds,
        rounds=rounds,
    )


def bench_validate(data: Path, n: int, rounds: int) -> Pair:
    files = catalog_files(data / f"n{n}" / "catalog")
    size = sum(Path(f).stat().st_size for f in files) / 1e6
    log(f"validate: {n} workflows ({len(files)} files, {size:.1f} MB)")
    pair = Pair(
        f"validate {n:,} workflows ({len(files)} files, {size:.1f} MB)",
        "`wfgen validate`",
        "`check-jsonschema --schemafile`",
    )
    return interleave(
        pair,
        lambda: run([tool("wfgen"), "validate", *files]).seconds,
        lambda: run([tool("check-jsonschema"), "--schemafile", str(SCHEMA), *files]).seconds,
        rounds=rounds,
    )


def bench_bundled(rounds: int, scratch: Path) -> Pair:
    log("bundled catalogue: full wfgen build vs check-jsonschema on the catalogue alone")
    out = scratch / "bundled-out"
    files = catalog_files(ROOT / "catalog")
    envs = len(list((ROOT / "catalog" / "environments").glob("*.yaml")))
    locales = 1 + len(list((ROOT / "locales").glob("*/LC_MESSAGES/workflows.po")))
    pair = Pair(
        f"bundled catalogue: full build ({envs} environments x {locales} locales) "
        "vs validation alone",
        "`wfgen build`",
        "`check-jsonschema --schemafile`",
    )
    return interleave(
        pair,
        lambda: run([tool("wfgen"), "build", "--out", str(out), "-q"]).seconds,
        lambda: run([tool("check-jsonschema"), "--schemafile", str(SCHEMA), *files]).seconds,
        rounds=rounds,
        setup=lambda: (shutil.rmtree(out, ignore_errors=True), os.sync()),
    )


def bench_po_update(data: Path, n: int, rounds: int, scratch: Path, *, fuzzy: bool) -> Pair:
    folder = data / f"n{n}"
    source = folder / "locales"
    # The template of the current catalogue, written by this wfgen: both sides merge the same POT.
    run(
        [
            tool("wfgen"),
            "l10n",
            "extract",
            "--catalog",
            str(folder / "catalog"),
            "--locales",
            str(source),
        ]
    )
    pot = source / "workflows.pot"
    entries = pot.read_text(encoding="utf-8").count("\nmsgctxt ")
    work = scratch / "locales"
    mode = "default (fuzzy matching)" if fuzzy else "`--no-fuzzy-matching`"
    log(
        f"PO update: {n} workflows, {entries} entries x {len(generate.LOCALES)} locales, "
        f"pybabel {mode}"
    )
    pair = Pair(
        f"PO update, {n:,} workflows ({entries:,} entries x {len(generate.LOCALES)} locales); "
        f"pybabel {mode}",
        "`wfgen l10n update`",
        "`pybabel update`",
    )

    def fresh() -> None:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(source, work)

    babel = [tool("pybabel"), "update", "-i", str(pot), "-d", str(work), "-D", "workflows"]
    if not fuzzy:
        babel.append("--no-fuzzy-matching")
    return interleave(
        pair,
        lambda: (
            run(
                [
                    tool("wfgen"),
                    "l10n",
                    "update",
                    "--catalog",
                    str(folder / "catalog"),
                    "--locales",
                    str(work),
                ]
            ).seconds
        ),
        lambda: run(babel).seconds,
        rounds=rounds,
        setup=fresh,
    )


def bench_l10n_check(data: Path, n: int, rounds: int, scratch: Path) -> Pair:
    """`wfgen l10n check` against translate-toolkit's `pofilter` on the same PO files."""
    folder = data / f"n{n}"
    source = folder / "locales"
    files = sorted(source.glob("*/LC_MESSAGES/workflows.po"))
    entries = sum(p.read_text(encoding="utf-8").count("\nmsgctxt ") for p in files)
    log(f"l10n check: {n} workflows, {entries} entries in {len(files)} locales, vs pofilter")
    pair = Pair(
        f"l10n check, {n:,} workflows ({entries:,} entries in {len(files)} locales)",
        "`wfgen l10n check`",
        "`pofilter`",
    )
    out = scratch / "pofilter-out"

    def fresh() -> None:
        shutil.rmtree(out, ignore_errors=True)

    ours = [
        tool("wfgen"),
        "l10n",
        "check",
        "--catalog",
        str(folder / "catalog"),
        "--locales",
        str(source),
    ]
    return interleave(
        pair,
        # Findings fail the command (exit 1); the time is what counts here.
        lambda: run(ours, ok=(0, 1)).seconds,
        lambda: (
            run([tool("pofilter"), "--progress=none", "-i", str(source), "-o", str(out)]).seconds
        ),
        rounds=rounds,
        setup=fresh,
    )


@dataclass(frozen=True)
class SentenceSet:
    schedules: list[object]
    crons: list[str]


def sentence_set(n: int) -> SentenceSet:
    """``n`` timed schedules that one cron line says exactly, and that line."""
    from generator.schedules import Schedule, to_cron_lines

    schedules, crons = [], []
    for mapping in generate.schedules(n * 2):
        schedule = Schedule.from_mapping(mapping)
        lines = to_cron_lines(schedule, nightly="01:30")
        if len(lines) == 1:
            schedules.append(schedule)
            crons.append(lines[0])
        if len(schedules) == n:
            break
    return SentenceSet(schedules, crons)


# long: both engines timed and their sentences sampled side by side, one measurement
def bench_sentences(data: Path, n: int, rounds: int) -> tuple[Pair, list[tuple[str, str, str]]]:
    from cron_descriptor import Options, get_description

    from generator.l10n.phrases import sentence
    from generator.l10n.po import load_translations

    cases = sentence_set(n)
    locales = data / f"n{n}" / "locales"
    gettexts = {
        loc: (None if loc == "en" else load_translations(locales, loc).get)
        for loc in SENTENCE_LOCALES
    }
    options = {}
    for loc, code in SENTENCE_LOCALES.items():
        options[loc] = Options()
        options[loc].locale_code = code
        options[loc].use_24hour_time_format = True
    total = len(cases.schedules) * len(SENTENCE_LOCALES)
    log(
        f"schedule sentences: {len(cases.schedules)} schedules x {len(SENTENCE_LOCALES)} locales, "
        "in process"
    )

    def ours() -> float:
        start = time.perf_counter()
        for loc, gettext in gettexts.items():
            for schedule in cases.schedules:
                sentence(schedule, locale=loc, gettext=gettext, nightly="01:30")
        return time.perf_counter() - start

    def theirs() -> float:
        start = time.perf_counter()
        for loc in SENTENCE_LOCALES:
            for expression in cases.crons:
                get_description(expression, options[loc])
        return time.perf_counter() - start

    ours(), theirs()  # warm both: locale data, gettext catalogues
    pair = Pair(
        f"schedule sentences, {len(cases.schedules):,} schedules x {len(SENTENCE_LOCALES)} locales "
        f"({total:,} sentences, in process)",
        "`phrases.sentence`",
        "`cron_descriptor.get_description`",
    )
    interleave(pair, ours, theirs, rounds=rounds)
    pair.note = f"{total / med(pair.a):,.0f} vs {total / med(pair.b):,.0f} sentences/s"

    from generator.schedules import Schedule, to_cron

    samples = []
    for loc, mapping in (
        ("sv", {"kind": "weekly", "weekday": "monday", "at": "02:00"}),
        ("de", {"kind": "monthly", "day": 25, "at": "06:00"}),
        ("it", {"kind": "weekly", "weekday": "friday", "at": "22:30"}),
        ("de", {"kind": "cron", "expression": "30 1 * * 1-5"}),
    ):
        schedule = Schedule.from_mapping(mapping)
        expression = str(to_cron(schedule))
        samples.append(
            (
                f"{loc} `{expression}`",
                sentence(schedule, locale=loc, gettext=gettexts[loc]).text,
                get_description(expression, options[loc]),
            )
        )
    return pair, samples


@dataclass
class Scale:
    n: int
    full: list[Run] = field(default_factory=list)
    noop: list[Run] = field(default_factory=list)
    files: int = 0


def bench_scaling(
    data: Path, sizes: Sequence[int], rounds: dict[int, int], scratch: Path
) -> list[Scale]:
    out: list[Scale] = []
    for n in sizes:
        folder = data / f"n{n}"
        target = scratch / f"out-{n}"
        argv = [
            tool("wfgen"),
            "build",
            "--catalog",
            str(folder / "catalog"),
            "--locales",
            str(folder / "locales"),
            "--templates",
            str(ROOT / "generator" / "templates"),
            "--out",
            str(target),
            "-q",
        ]
        for loc in BUILD_LOCALES:
            argv += ["--locale", loc]
        log(
            f"scaling: {n} workflows x {len(BUILD_LOCALES)} locales x 2 environments, "
            "full then no-op"
        )
        scale = Scale(n)
        targets = []
        for index in range(rounds[n]):
            # Each round builds into a new folder and the folders are deleted only after the
            # last round: deleting 25,000 files keeps this machine's disk busy for many
            # seconds, and a build started meanwhile pays for it (20 s instead of 10 s).
            target = scratch / f"out-{n}-{index}"
            targets.append(target)
            argv[argv.index("--out") + 1] = str(target)
            os.sync()
            scale.full.append(run(argv, cwd=folder))
            scale.noop.append(run(argv, cwd=folder))
            log(
                f"  {n}: round {index + 1}/{rounds[n]}: full {scale.full[-1].seconds:.2f}s "
                f"({scale.full[-1].peak_mb:.0f} MB), no-op {scale.noop[-1].seconds:.2f}s"
            )
        scale.files = sum(1 for p in targets[-1].rglob("*") if p.is_file())
        for done in targets:
            shutil.rmtree(done, ignore_errors=True)
        out.append(scale)
    return out


ONE_PAGE = DOCS_PAGES / "de-DE" / "campaign" / "de8db9d97fb5_deliveries.md"


def bench_one_page(rounds: int) -> Pair:
    """`wfgen docs check` of one page (what a pre-commit hook runs) beside `wfgen validate`
    of the bundled catalogue: both whole processes, start-up included."""
    log("docs check of one page vs validate of the bundled catalogue")
    pair = Pair(
        "docs check of one page (a pre-commit hook) vs validate of the bundled catalogue",
        "`wfgen docs check PAGE`",
        "`wfgen validate`",
    )
    return interleave(
        pair,
        lambda: run([tool("wfgen"), "docs", "check", str(ONE_PAGE)], ok=(0, 1)).seconds,
        lambda: run([tool("wfgen"), "validate"]).seconds,
        rounds=rounds,
    )


def bench_bundled_noop(rounds: int, scratch: Path) -> Pair:
    """A no-op rebuild of the bundled catalogue against a full build of it (into a new
    folder each round): the share the unchanged-rebuild check leaves."""
    log("bundled catalogue: no-op rebuild vs full build")
    noop_out = scratch / "bundled-noop"
    full_out = scratch / "bundled-full"
    argv = [tool("wfgen"), "build", "-q", "--out"]
    run([*argv, str(noop_out)])
    pair = Pair("bundled catalogue: no-op rebuild vs full build", "no-op rebuild", "full build")
    return interleave(
        pair,
        lambda: run([*argv, str(noop_out)]).seconds,
        lambda: run([*argv, str(full_out)]).seconds,
        rounds=rounds,
        setup=lambda: shutil.rmtree(full_out, ignore_errors=True),
    )


def bench_bundled_check(rounds: int, scratch: Path) -> Pair:
    """`wfgen l10n check` of the bundled locales against `pofilter` on the same PO files."""
    source = ROOT / "locales"
    files = sorted(source.glob("*/LC_MESSAGES/workflows.po"))
    entries = sum(p.read_text(encoding="utf-8").count("\nmsgctxt ") for p in files)
    log(f"l10n check: bundled locales ({entries} entries in {len(files)} locales), vs pofilter")
    pair = Pair(
        f"l10n check, bundled catalogue ({entries:,} entries in {len(files)} locales)",
        "`wfgen l10n check`",
        "`pofilter`",
    )
    out = scratch / "pofilter-bundled"
    return interleave(
        pair,
        lambda: run([tool("wfgen"), "l10n", "check"], ok=(0, 1)).seconds,
        lambda: (
            run([tool("pofilter"), "--progress=none", "-i", str(source), "-o", str(out)]).seconds
        ),
        rounds=rounds,
        setup=lambda: shutil.rmtree(out, ignore_errors=True),
    )


def _build_argv(folder: Path, target: Path) -> list[str]:
    argv = [
        tool("wfgen"),
        "build",
        *("--catalog", str(folder / "catalog"), "--locales", str(folder / "locales")),
        *("--templates", str(ROOT / "generator" / "templates"), "--out", str(target), "-q"),
    ]
    for loc in BUILD_LOCALES:
        argv += ["--locale", loc]
    return argv


def bench_big_build(data: Path, n: int, rounds: int, scratch: Path) -> tuple[Pair, list[Run]]:
    """The full build of ``n`` workflows (4 locales x 2 environments) against check-jsonschema
    validating the same catalogue files alone; each build into a new folder."""
    folder = data / f"n{n}"
    files = catalog_files(folder / "catalog")
    log(f"{n} workflows: full build vs check-jsonschema on the same files")
    pair = Pair(
        f"{n:,} workflows: full build ({len(BUILD_LOCALES)} locales x 2 environments) "
        "vs validation alone",
        "`wfgen build`",
        "`check-jsonschema --schemafile`",
    )
    runs: list[Run] = []
    targets: list[Path] = []

    def build() -> float:
        target = scratch / f"big-{n}-{len(targets)}"
        targets.append(target)
        os.sync()
        runs.append(run(_build_argv(folder, target), cwd=folder))
        return runs[-1].seconds

    interleave(
        pair,
        build,
        lambda: run([tool("check-jsonschema"), "--schemafile", str(SCHEMA), *files]).seconds,
        rounds=rounds,
    )
    for done in targets:
        shutil.rmtree(done, ignore_errors=True)
    return pair, runs


def bench_memory(data: Path, n: int, scratch: Path) -> Run:
    """One full build of ``n`` workflows: its peak memory (and time)."""
    folder = data / f"n{n}"
    target = scratch / f"memory-{n}"
    log(f"peak memory: one full build of {n} workflows")
    done = run(_build_argv(folder, target), cwd=folder)
    log(f"  {n}: {done.seconds:.1f}s, peak {done.peak_mb:.0f} MB")
    shutil.rmtree(target, ignore_errors=True)
    return done


# --- report -----------------------------------------------------------------------------


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, ValueError, IndexError):
        pass
    names = (
        "wfgen",
        "Babel",
        "Jinja2",
        "PyYAML",
        "yaml-rs",
        "jsonschema-rs",
        "jsonschema",
        "click",
        "check-jsonschema",
        "cron-descriptor",
    )
    versions = []
    for name in names:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return [
        f"- Machine: {os.cpu_count()} CPU(s), {cpu}, {ram} RAM, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; {', '.join(versions)}",
    ]


def loadavg() -> str:
    """The machine's load average (1, 5 and 15 minutes): others' work shares these cores."""
    try:
        return ", ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def verdict(met: bool) -> str:
    return "met" if met else "**not met**"


@dataclass
class Stream:
    events: int
    runs: list[Run] = field(default_factory=list)


def bench_sending(counts: Sequence[int], rounds: int) -> list[Stream]:
    """The sending simulator over generated event streams, as whole processes."""
    out = []
    for count in counts:
        log(f"sending simulator: {count:,} events")
        stream = Stream(count)
        for _ in range(rounds):
            script = str(ROOT / "benchmarks" / "sending_bench.py")
            stream.runs.append(run([sys.executable, script, "--events", str(count)]))
        out.append(stream)
    return out


def sending_rows(streams: Sequence[Stream]) -> list[str]:
    lines = [
        "### Sending simulator (`wfgen sending simulate`'s engine, a generated stream)",
        "",
        "| events | messages | median s (whole process) | events/s | peak MB |",
        "|---:|---:|---:|---:|---:|",
    ]
    points = []
    for s in streams:
        seconds = med([r.seconds for r in s.runs])
        peak = max(r.peak_mb for r in s.runs)
        messages = s.events * 4 // 11
        points.append((messages, peak))
        lines.append(
            f"| {s.events:,} | {messages:,} | {seconds:.2f} | {s.events / seconds:,.0f} "
            f"| {peak:.0f} |"
        )
    if len(points) > 1:
        (m0, p0), (m1, p1) = points[0], points[-1]
        per = (p1 - p0) * 2**20 / (m1 - m0)
        lines += [
            "",
            f"Peak memory grows by about {per:,.0f} bytes per message; events stream through.",
        ]
    return [*lines, ""]


def report(  # noqa: PLR0912, PLR0915 - the benchmark tables printed in the order docs/benchmarks.md shows them
    pairs: dict[str, Pair],
    samples: list[tuple[str, str, str]],
    scales: list[Scale],
    wall: float,
    streams: Sequence[Stream] = (),
    *,
    docs: DocsRun | None = None,
    memory: dict[int, Run] | None = None,
    load: tuple[str, str] = ("", ""),
) -> str:
    lines = [
        "### Machine",
        "",
        *machine(),
        "",
        f"- Load average (1, 5, 15 min) at the start: {load[0]}; at the end: {load[1]}",
        "",
        "### Side by side",
        "",
        "Ratio = peer time / wfgen time per round (above 1: wfgen is faster); median (min-max).",
        "",
        "| comparison | wfgen | peer | wfgen median s | peer median s | ratio | rounds |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    lines += [p.row() for p in pairs.values()]
    notes = [f"- {p.name}: {p.note}" for p in pairs.values() if p.note]
    if notes:
        lines += ["", *notes]
    lines += [
        "",
        "### Scaling: full build and no-op rebuild (4 locales x 2 environments)",
        "",
        "| workflows | files | full build s (median) | per workflow ms | peak MB "
        "| no-op rebuild s | no-op / full |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scales:
        full, noop = med([r.seconds for r in s.full]), med([r.seconds for r in s.noop])
        peak = max(r.peak_mb for r in s.full + s.noop)
        lines.append(
            f"| {s.n:,} | {s.files:,} | {full:.2f} | {1000 * full / s.n:.2f} | {peak:.0f} "
            f"| {noop:.2f} | {100 * noop / full:.0f} % |"
        )
    if memory:
        lines += [
            "",
            "Peak memory of one full build (4 locales x 2 environments): "
            + ", ".join(
                f"{n:,} workflows {r.peak_mb:.0f} MB ({r.seconds:.1f} s)"
                for n, r in sorted(memory.items())
            )
            + ".",
        ]
    lines += [
        "",
        *sending_rows(streams),
        *docs_rows(docs),
        "### cron-descriptor next to wfgen (one sample each)",
        "",
        "| locale, cron | wfgen | cron-descriptor |",
        "|---|---|---|",
    ]
    lines += [f"| {where} | {ours} | {theirs} |" for where, ours, theirs in samples]

    lines += ["", "### Targets", ""]
    checks: list[tuple[str, bool, str]] = []
    if "validate" in pairs:
        r = med(pairs["validate"].ratios)
        checks.append(
            ("validate 10,000 workflows >= 5x faster than check-jsonschema", r >= 5, f"{r:.1f}x")
        )
    if "bundled" in pairs:
        r = med(pairs["bundled"].ratios)
        checks.append(
            (
                "full build of the bundled catalogue >= 1.5x check-jsonschema on it alone",
                r >= 1.5,
                f"{r:.2f}x",
            )
        )
    if "bundled-noop" in pairs:
        share = med([1 / r for r in pairs["bundled-noop"].ratios])
        checks.append(
            (
                "no-op rebuild <= 10 % of a full build (bundled)",
                share <= 0.1,
                f"{100 * share:.0f} %",
            )
        )
    if "check-bundled" in pairs:
        r = med(pairs["check-bundled"].ratios)
        checks.append(("`l10n check` of the bundled locales >= 2x pofilter", r >= 2, f"{r:.2f}x"))
    if "build-big" in pairs:
        r = med(pairs["build-big"].ratios)
        checks.append(
            (
                "10,000-workflow build >= 1.5x check-jsonschema on the same files",
                r >= 1.5,
                f"{r:.2f}x",
            )
        )
    for n, done in sorted((memory or {}).items()):
        if n >= 50_000:
            checks.append(
                (
                    f"peak memory of the {n:,}-workflow build < 250 MiB",
                    done.peak_mb < 250,
                    f"{done.peak_mb:.0f} MB",
                )
            )
    if "po" in pairs:
        r = med(pairs["po"].ratios)
        checks.append(
            (
                "`l10n update` 10,000 workflows >= 1x pybabel update (--no-fuzzy-matching)",
                r >= 1,
                f"{r:.2f}x",
            )
        )
    if "one-page" in pairs:
        seconds = med(pairs["one-page"].a)
        checks.append(
            (
                "`docs check` of one page (whole process) < 0.2 s",
                seconds < 0.2,
                f"{seconds:.3f} s ({med(pairs['one-page'].b):.3f} s validate)",
            )
        )
    if "help" in pairs:
        ms = 1000 * med(pairs["help"].a)
        checks.append(("`wfgen --help` < 150 ms", ms < 150, f"{ms:.0f} ms"))
    big = next((s for s in scales if s.n == 10_000), None)
    if big is not None:
        full = med([r.seconds for r in big.full])
        peak = max(r.peak_mb for r in big.full + big.noop)
        checks.append(
            ("10,000 workflows x 4 locales x 2 environments < 15 s", full < 15, f"{full:.1f} s")
        )
        checks.append(("... and < 600 MB peak memory", peak < 600, f"{peak:.0f} MB"))
    for s in scales:
        share = med([r.seconds for r in s.noop]) / med([r.seconds for r in s.full])
        checks.append(
            (
                f"no-op rebuild < 20 % of a full build ({s.n:,} workflows)",
                share < 0.2,
                f"{100 * share:.0f} %",
            )
        )
    if "check-big" in pairs:
        seconds = med(pairs["check-big"].a)
        r = med(pairs["check-big"].ratios)
        checks.append(
            ("`l10n check` 10,000 workflows x 4 locales < 10 s", seconds < 10, f"{seconds:.1f} s")
        )
        checks.append(("... and no slower than pofilter on the same files", r >= 1, f"{r:.2f}x"))
    if "sentences" in pairs:
        r = med(pairs["sentences"].ratios)
        checks.append(
            ("schedule sentences >= 2x cron-descriptor's throughput", r >= 2, f"{r:.1f}x")
        )
    if docs is not None:
        rate = docs.per_second
        checks.append(("docs check >= 100 pages/s (whole process)", rate >= 100, f"{rate:.0f}"))
    lines += ["| target | measured | |", "|---|---:|---|"]
    lines += [f"| {name} | {value} | {verdict(ok)} |" for name, ok, value in checks]
    lines += ["", f"`make bench` took {wall / 60:.1f} min."]
    return "\n".join(lines)


# long: every comparison run in turn from the command line's choices, then the report
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=generate.DEFAULT_OUT, help="inputs folder")
    parser.add_argument("--regenerate", action="store_true", help="generate the inputs again")
    parser.add_argument(
        "--quick", action="store_true", help="fewer rounds and no 10,000 build (a smoke run)"
    )
    parser.add_argument(
        "--only-docs", action="store_true", help="only `docs check` pages per second"
    )
    args = parser.parse_args(argv)
    if args.only_docs:
        docs = bench_docs(3 if args.quick else 5)
        print("\n".join([*docs_rows(docs), *docs_target(docs)]))
        return 0

    started_load = loadavg()
    sizes = (100, 1_000) if args.quick else generate.SIZES
    big = max(sizes)
    compile_package()
    ensure_data(
        args.data, regenerate=args.regenerate, sizes=generate.SIZES if not args.quick else sizes
    )
    few, some, many = (1, 2, 3) if args.quick else (5, 10, 20)
    pairs: dict[str, Pair] = {}
    with tempfile.TemporaryDirectory(prefix="wfgen-bench-") as name:
        scratch = Path(name)
        pairs["help"] = bench_help(many)
        pairs["one-page"] = bench_one_page(many)
        pairs["validate"] = bench_validate(args.data, big, few)
        pairs["bundled"] = bench_bundled(some, scratch)
        pairs["bundled-noop"] = bench_bundled_noop(some, scratch)
        pairs["check-bundled"] = bench_bundled_check(few, scratch)
        memory: dict[int, Run] = {}
        if not args.quick:
            pairs["build-big"], big_runs = bench_big_build(args.data, big, 3, scratch)
            memory[big] = max(big_runs, key=lambda r: r.peak_mb)
            ensure_data(args.data / "memory", regenerate=args.regenerate, sizes=(MEMORY_SIZE,))
            memory[MEMORY_SIZE] = bench_memory(args.data / "memory", MEMORY_SIZE, scratch)
        pairs["po"] = bench_po_update(
            args.data, big, 3 if not args.quick else 1, scratch, fuzzy=False
        )
        pairs["po-fuzzy"] = bench_po_update(args.data, 1_000, few, scratch, fuzzy=True)
        if not args.quick:
            # pybabel's default fuzzy matching grows much faster than the file: at 10,000
            # workflows one round takes over a minute, so one round it is.
            pairs["po-fuzzy-big"] = bench_po_update(args.data, big, 1, scratch, fuzzy=True)
        pairs["check"] = bench_l10n_check(args.data, 1_000, few, scratch)
        if not args.quick:
            pairs["check-big"] = bench_l10n_check(args.data, big, 3, scratch)
        pairs["sentences"], samples = bench_sentences(args.data, big, few)
        rounds = {100: some, 1_000: few, 10_000: 3} if not args.quick else dict.fromkeys(sizes, 1)
        scales = bench_scaling(args.data, sizes, rounds, scratch)
        streams = bench_sending((100_000, 1_000_000) if not args.quick else (100_000,), few)
        docs = bench_docs(few)
    load = (started_load, loadavg())
    print(
        report(
            pairs,
            samples,
            scales,
            time.perf_counter() - STARTED,
            streams,
            docs=docs,
            memory=memory,
            load=load,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
