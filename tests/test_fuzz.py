"""Fuzz: hostile bytes in a catalogue file, a profile, a PO file, a page or an event stream.

Whatever the bytes, every command ends with exit 0, 1 or 2, says what it says without a
traceback, and touches no file outside what it is meant to write (out/ for build, the PO
files for l10n update).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import cli
from tests.conftest import CATALOG, FIXTURES, LOCALES, build_file_tree, examples
from tests.test_build import SMALL

# Bytes and snippets that broke readers before: NUL and other controls, a BOM, bidi
# overrides, line separators, cron's % and \, YAML's tags, aliases and deep nesting, a second
# document, PO quotes and escapes, a surrogate's UTF-8-like bytes, Markdown table syntax.
SNIPPETS = [
    b"\x00",
    b"\x1b[31m",
    b"\x7f",
    b"\xef\xbb\xbf",
    "\u202e".encode(),
    "\u2066".encode(),
    "\u2028".encode(),
    b"\xed\xa0\x80",
    b"\xff\xfe",
    b"%",
    b"\\%",
    b"\\",
    b'"',
    b"'",
    b"\n",
    b"\r",
    b"\t",
    b": ",
    b"- ",
    b"!!python/object:os.system ",
    b"&a [*a, *a]",
    b"[" * 200,
    b"{" * 200,
    b"\n---\n",
    b"1: x\n",
    b"? [a, b]\n",
    b'msgid "',
    b'msgctxt "x"\n',
    b'\\q"',
    b"| a | b |\n|---|---|\n",
    b"<script>",
    b"9999-12-31T23:00:00+14:00",
    b",,,,",
]

HOSTILE = st.lists(
    st.one_of(st.sampled_from(SNIPPETS), st.binary(min_size=1, max_size=8)),
    min_size=1,
    max_size=6,
)


def _mutate(data: bytes, where: float, pieces: list[bytes], mode: int) -> bytes:
    at = int(len(data) * where)
    payload = b"".join(pieces)
    if mode == 0:  # insert
        return data[:at] + payload + data[at:]
    if mode == 1:  # overwrite
        return data[:at] + payload + data[at + len(payload) :]
    return data[:at] + payload  # cut, then garbage


@pytest.fixture(scope="module")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SMALL with a Swedish PO file, a page and an event stream."""
    root = build_file_tree(tmp_path_factory.mktemp("fuzz"), SMALL)
    shutil.copytree(LOCALES / "sv", root / "locales" / "sv", dirs_exist_ok=True)
    shutil.copy(FIXTURES / "events" / "sample.csv", root / "events.csv")
    seed = sorted((FIXTURES / "pages" / "seeds").glob("*"))[0]
    shutil.copy(seed, root / "page.md")
    shutil.copy(CATALOG / "sending.yaml", root / "sending.yaml")
    return root


TARGETS = {
    "catalogue": ("catalog/workflows/deliveries.yaml", [["validate", "catalog"], ["build"]]),
    "sending-model": (
        "sending.yaml",
        [["sending", "simulate", "events.csv", "--model", "sending.yaml"]],
    ),
    "profile": ("catalog/environments/prod.yaml", [["build"], ["schedule", "lint"]]),
    "po": ("locales/sv/LC_MESSAGES/workflows.po", [["build"], ["l10n", "update"]]),
    "page": ("page.md", [["docs", "check", "page.md"]]),
    "events": ("events.csv", [["sending", "simulate", "events.csv", "--model", "sending.yaml"]]),
}


def _snapshot(root: Path, *, skip: tuple[str, ...]) -> dict[str, str]:
    state = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if name.startswith(skip) or path.is_dir() or path.is_symlink():
            continue
        if not path.is_file():  # a FIFO would hang a reader: its name is enough
            state[name] = "special"
            continue
        state[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


def _run(root: Path, args: list[str]) -> tuple[int, str, BaseException | None]:
    if args == ["build"]:
        args = ["build", "--quiet", "--out", "out"]
    old = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli, args)
    finally:
        os.chdir(old)
    return result.exit_code, result.output, result.exception


@pytest.mark.parametrize("target", sorted(TARGETS))
@settings(
    max_examples=int(os.environ.get("WFGEN_FUZZ_EXAMPLES", "0")) or examples(12),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    where=st.floats(min_value=0, max_value=1),
    pieces=HOSTILE,
    mode=st.integers(min_value=0, max_value=2),
)
def test_hostile_bytes_end_in_a_documented_exit(
    template_project: Path,
    tmp_path_factory: pytest.TempPathFactory,
    target: str,
    where: float,
    pieces: list[bytes],
    mode: int,
) -> None:
    """Exit 0, 1 or 2, no traceback, nothing outside the command's own output changed."""
    root = tmp_path_factory.mktemp("case")
    shutil.copytree(template_project, root, dirs_exist_ok=True)
    name, commands = TARGETS[target]
    path = root / name
    path.write_bytes(_mutate(path.read_bytes(), where, pieces, mode))
    for args in commands:
        writes = ("out", ".out") if args == ["build"] else ()
        if args[:2] == ["l10n", "update"]:
            writes = ("locales",)
        before = _snapshot(root, skip=("out", ".out", *writes))
        code, output, exception = _run(root, args)
        assert code in (0, 1, 2), (args, code, output, exception)
        assert exception is None or isinstance(exception, SystemExit), (args, repr(exception))
        assert "Traceback" not in output
        assert _snapshot(root, skip=("out", ".out", *writes)) == before, args


# Constructs that made a reader recurse, backtrack or balloon before, each repeated into a
# flood: brackets and link starts (markup stripping), unclosed comments and links, nested
# HTML tables, pipe-table rows, YAML block and flow nesting, quotes and escapes for the
# PO and CSV readers, and long runs of spaces between two patterns' quantifiers.
FLOODS = [
    b"[",
    b"[a](",
    b"![",
    b"[!UICONTROL ",
    b"{#",
    b"<!--",
    b"<a href='x'>",
    b"<table><tr><td>",
    b"<strong>a</strong>  ",
    b"| a | b | c |\n",
    b"- ",
    b"  - x\n",
    b"{",
    b'"',
    b"\\",
    b" ",
    b"\t",
    b"\r\n",
    b"9",
    b"1.",
]
# What a flood is measured against: a Python loop over every byte of the input. The
# quadratic readers took 10,000 and more of these on a 100 KB flood.
_BOUND_PASSES = 400
_BOUND_SLACK_S = 3.0


def _linear_pass(data: bytes) -> float:
    began = time.perf_counter()
    count = 0
    for byte in data:
        count += byte == 10
    return time.perf_counter() - began


def _flood_case(
    template_project: Path, root: Path, target: str, where: float, flood: bytes, size: int
) -> None:
    shutil.copytree(template_project, root, dirs_exist_ok=True)
    name, commands = TARGETS[target]
    path = root / name
    data = path.read_bytes()
    at = int(len(data) * where)
    path.write_bytes(data[:at] + flood * (size // len(flood) + 1) + data[at:])
    unit = _linear_pass(path.read_bytes())
    for args in commands:
        began = time.perf_counter()
        code, output, exception = _run(root, args)
        elapsed = time.perf_counter() - began
        assert code in (0, 1, 2), (args, code, output, exception)
        assert exception is None or isinstance(exception, SystemExit), (args, repr(exception))
        assert "Traceback" not in output
        assert elapsed < _BOUND_PASSES * unit + _BOUND_SLACK_S, (args, flood, size, elapsed)


@pytest.mark.parametrize("flood", FLOODS, ids=[repr(f)[2:-1] for f in FLOODS])
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_flood_in_every_reader_ends_in_a_documented_exit_within_the_bound(
    template_project: Path, tmp_path: Path, target: str, flood: bytes
) -> None:
    """Every reader, fed 40 KB of a construct that once made one slow or deep, in the middle
    of its file: exit 0, 1 or 2 without a traceback, within a bound relative to a linear
    pass over the bytes."""
    _flood_case(template_project, tmp_path, target, 0.5, flood, 40_000)


@pytest.mark.parametrize("target", sorted(TARGETS))
@settings(
    max_examples=int(os.environ.get("WFGEN_FUZZ_EXAMPLES", "0")) or examples(4),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    where=st.floats(min_value=0, max_value=1),
    flood=st.sampled_from(FLOODS),
    size=st.sampled_from([1_000, 10_000, 100_000]),
)
def test_floods_anywhere_end_in_a_documented_exit_within_the_bound(
    template_project: Path,
    tmp_path_factory: pytest.TempPathFactory,
    target: str,
    where: float,
    flood: bytes,
    size: int,
) -> None:
    """The same, at any place in the file and up to 100 KB."""
    _flood_case(template_project, tmp_path_factory.mktemp("flood"), target, where, flood, size)
