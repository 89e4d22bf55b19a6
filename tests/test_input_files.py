"""Inputs are regular files of a sane size with no hidden characters; anything else is one
located line and a documented exit code, never a hang or a traceback."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from click.testing import CliRunner, Result

from generator.cli import cli
from generator.safebytes import MAX_INPUT_BYTES, read_input
from tests.conftest import CATALOG, LOCALES, ROOT

# A FIFO used to hang every command for ever: no command may wait this long on an input.
PATIENCE = 60


def _project(tmp_path: Path) -> Path:
    shutil.copytree(CATALOG, tmp_path / "catalog")
    shutil.copytree(LOCALES, tmp_path / "locales")
    return tmp_path


class Hung(BaseException):
    """A command still waiting on its input after PATIENCE seconds (a BaseException, so no
    ``except Exception`` in wfgen or click can turn it into an ordinary error)."""


@contextmanager
def _watchdog() -> Iterator[None]:
    """Raise Hung in the waiting call (an open or read blocked on a FIFO) after PATIENCE s."""

    def fire(signum: int, frame: FrameType | None) -> None:
        raise Hung(f"no answer after {PATIENCE} s: the command waits on an input")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.alarm(PATIENCE)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _wfgen(cwd: Path, *args: str) -> Result:
    """``wfgen ARGS`` run in ``cwd``, in this process: the exit code and the separate
    stdout and stderr a terminal would show; a traceback fails the test (catch_exceptions
    is off) and a command that blocks on an input fails it after PATIENCE seconds."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        with _watchdog():
            return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def _wfgen_process(
    cwd: Path, *args: str, stdin: str | bytes | None = None
) -> subprocess.CompletedProcess[Any]:
    """``python -m generator ARGS`` as its own process, killed after PATIENCE seconds; its
    output is text, or bytes when ``stdin`` is given as bytes."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        input=stdin,
        capture_output=True,
        text=not isinstance(stdin, bytes),
        timeout=PATIENCE,
        check=False,
    )


def _special(kind: str, path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "fifo-link":
        os.mkfifo(path.with_name("pipe"))
        path.symlink_to(path.with_name("pipe"))
    elif kind == "urandom-link":
        path.symlink_to("/dev/urandom")
    else:  # a sparse file just over the limit: no disk space used
        with path.open("wb") as handle:
            handle.truncate(MAX_INPUT_BYTES + 1)


KINDS = ["fifo", "fifo-link", "urandom-link", "oversize"]
WORDS = {
    "fifo": "FIFO",
    "fifo-link": "FIFO",
    "urandom-link": "character device",
    "oversize": "limit",
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "command",
    [
        ["validate", "catalog"],
        ["build", "--quiet", "--out", "out"],
        ["schedule", "lint"],
    ],
    ids=["validate", "build", "schedule-lint"],
)
def test_special_catalogue_files_are_refused_quickly(
    tmp_path: Path, kind: str, command: list[str]
) -> None:
    """A FIFO, a link to one or to a device, or a huge file named *.yaml: exit 2, one line."""
    root = _project(tmp_path)
    _special(kind, root / "catalog" / "workflows" / "zz.yaml")
    result = _wfgen(root, *command)
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert WORDS[kind] in result.stderr
    assert "zz.yaml" in result.stderr
    assert not (root / "out").exists()


def test_a_fifo_does_not_hang_the_installed_command(tmp_path: Path) -> None:
    """`python -m generator build`, as its own process (the command a FIFO used to hang),
    refuses a FIFO named *.yaml at once: exit 2, one line, no traceback, no out/."""
    root = _project(tmp_path)
    _special("fifo", root / "catalog" / "workflows" / "zz.yaml")
    result = _wfgen_process(root, "build", "--quiet", "--out", "out")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "FIFO" in result.stderr and "zz.yaml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (root / "out").exists()


@pytest.mark.parametrize("kind", ["fifo", "urandom-link"])
def test_special_po_and_page_files_are_refused(tmp_path: Path, kind: str) -> None:
    """A PO file or a page that is a FIFO or a device: refused, not waited on."""
    root = _project(tmp_path)
    po = root / "locales" / "sv" / "LC_MESSAGES" / "workflows.po"
    po.unlink()
    _special(kind, po)
    result = _wfgen(root, "l10n", "update")
    assert result.exit_code == 2, result.stderr
    assert WORDS[kind] in result.stderr
    page = root / "page.md"
    _special(kind, page)
    checked = _wfgen(root, "docs", "check", str(page))
    assert checked.exit_code != 0
    assert WORDS[kind] in checked.stdout + checked.stderr
    assert "Traceback" not in checked.stderr


def test_read_input_reads_regular_files_and_names_what_it_refuses(tmp_path: Path) -> None:
    """Regular files read whole; the limit is checked before reading."""
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 1000)
    assert read_input(path) == b"x" * 1000
    with pytest.raises(OSError, match="limit"):
        read_input(path, limit=999)
    with pytest.raises(OSError, match="folder"):
        read_input(tmp_path)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ('    label: "Tracking\\x1b[31m"\n', "U+001B"),
        ('    label: "Tracking\\u202e"\n', "U+202E"),
        ("    label: Tracking\u202egnikcart\n", "U+202E"),
    ],
    ids=["escaped-control", "escaped-bidi", "raw-bidi"],
)
def test_hidden_characters_in_yaml_are_located(tmp_path: Path, text: str, word: str) -> None:
    """A control or bidi character, raw or written as a YAML escape, is an error at its line."""
    root = _project(tmp_path)
    path = root / "catalog" / "workflows" / "campaign.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.lstrip().startswith("label:"))
    lines[index] = text
    path.write_text("".join(lines), encoding="utf-8")
    result = _wfgen(root, "validate", "catalog")
    assert result.exit_code == 1, result.stdout + result.stderr
    found = [line for line in result.stdout.splitlines() if word in line]
    assert found and f"campaign.yaml:{index + 1}:" in found[0], result.stdout


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\u202e", "\u2066"])
def test_hidden_characters_in_a_page_are_located(tmp_path: Path, char: str) -> None:
    """docs check names a control or bidi character in a page at its line and column."""
    root = _project(tmp_path)
    page = root / "page.md"
    page.write_text(f"---\ntitle: x\n---\n# Title\n\nab{char}c\n", encoding="utf-8")
    result = _wfgen(root, "docs", "check", str(page))
    assert result.exit_code != 0
    assert "page.md:6:3:" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("extra", "line_offset", "word"),
    [("x:\n  1: x\n", 2, "key 1"), ("true: 1\n", 1, "key True"), ("2: [a]\n", 1, "key 2")],
)
def test_keys_that_are_not_strings_are_located(
    tmp_path: Path, extra: str, line_offset: int, word: str
) -> None:
    """A YAML key that is a number or a boolean is one located error, not a traceback."""
    root = _project(tmp_path)
    path = root / "catalog" / "workflows" / "campaign.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + extra, encoding="utf-8")
    result = _wfgen(root, "validate", "catalog")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    line = text.count("\n") + line_offset
    assert f"campaign.yaml:{line}:" in result.stdout and word in result.stdout, result.stdout


# --- event streams of `wfgen sending simulate` ----------------------------------------

EVENT_CASES = {
    "field-over-128k": "message_id,event,time\nm1,relayed," + "x" * 140_000 + "\n",
    "year-9999-offset": "message_id,event,time\nm1,relayed,9999-12-31T23:00:00-05:00\n",
    "year-1-offset": "message_id,event,time\nm1,relayed,0001-01-01T00:00:00+05:00\n",
    "deep-json": '{"message_id": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
    "lone-surrogate": '{"message_id": "m\\ud800", "event": "relayed", "time": "2024-05-01T10:00:00Z"}\n',
}


@pytest.mark.parametrize("case", sorted(EVENT_CASES))
def test_bad_events_are_located_and_skipped(tmp_path: Path, case: str) -> None:
    """Each bad event line is reported at its line and skipped (exit 1), never a traceback."""
    events = tmp_path / "events.txt"
    events.write_text(EVENT_CASES[case], encoding="utf-8")
    result = _wfgen(
        tmp_path, "sending", "simulate", str(events), "--model", str(CATALOG / "sending.yaml")
    )
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "events.txt:" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "events",
    [
        b"message_id,event,time\nm1,relayed,2024-05-01T10:00:00Z\nm2,rel\xe9ayed,2024-05-01T10:00:00Z\n",
        b'{"message_id": "m1", "event": "relayed", "time": "2024-05-01T10:00:00Z"}\n'
        b'{"message_id": "m\xe92", "event": "relayed", "time": "2024-05-01T10:00:00Z"}\n',
    ],
    ids=["csv", "jsonl"],
)
def test_an_event_line_that_is_not_utf8_is_located_and_skipped(
    tmp_path: Path, events: bytes
) -> None:
    """A byte that is not UTF-8 costs its line only: reported at its line with the byte,
    skipped (exit 1), and the other events are applied, from a file or from stdin."""
    path = tmp_path / "events.txt"
    path.write_bytes(events)
    model = str(CATALOG / "sending.yaml")
    result = _wfgen(tmp_path, "sending", "simulate", str(path), "--model", model)
    assert result.exit_code == 1, result.stdout + result.stderr
    bad_line = 3 if events.startswith(b"message_id") else 2
    assert f"events.txt:{bad_line}:1: " in result.stderr, result.stderr
    assert "not UTF-8 text (byte 0xe9)" in result.stderr
    assert "1 event(s) applied, 1 skipped" in result.stdout, result.stdout
    piped = _wfgen_process(tmp_path, "sending", "simulate", "-", "--model", model, stdin=events)
    assert piped.returncode == 1, piped.stderr
    assert b"not UTF-8 text (byte 0xe9)" in piped.stderr
    assert b"1 event(s) applied, 1 skipped" in piped.stdout


def test_events_with_a_bom_and_from_stdin(tmp_path: Path) -> None:
    """A CSV with a byte-order mark reads like one without; '-' reads standard input."""
    text = "message_id,event,time\nm1,relayed,2024-05-01T10:00:00Z\n"
    events = tmp_path / "events.csv"
    events.write_bytes(b"\xef\xbb\xbf" + text.encode())
    model = str(CATALOG / "sending.yaml")
    result = _wfgen(tmp_path, "sending", "simulate", str(events), "--model", model)
    assert result.exit_code == 0, result.stdout + result.stderr
    piped = _wfgen_process(tmp_path, "sending", "simulate", "-", "--model", model, stdin=text)
    assert piped.returncode == 0, piped.stderr
    assert "1 event(s) applied" in piped.stdout


def test_two_yaml_documents_are_named_as_such(tmp_path: Path) -> None:
    """A second `---` document is reported as one, at its line, not as 'not a mapping'."""
    root = _project(tmp_path)
    (root / "catalog" / "workflows" / "two.yaml").write_text("module: platform\n---\nmodule: x\n")
    result = _wfgen(root, "validate", "catalog")
    assert result.exit_code == 1
    assert "two.yaml:2:1: error yaml-documents" in result.stdout, result.stdout


def test_deep_frontmatter_is_a_located_error(tmp_path: Path) -> None:
    """Frontmatter nested thousands deep is one located error, not a RecursionError."""
    root = _project(tmp_path)
    page = root / "page.md"
    page.write_text("---\na: " + "[" * 5000 + "]" * 5000 + "\n---\n# T\n", encoding="utf-8")
    result = _wfgen(root, "docs", "check", str(page))
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr
    assert "page.md:2: " in result.stdout + result.stderr


# "Köp" then a Latin-1 byte: the error's column counts characters, as an editor does.
_NOT_UTF8 = "a: Köp ".encode() + b"\xe9t\xe9\n"


@pytest.mark.parametrize(
    ("target", "command"),
    [
        ("page.md", ["docs", "check", "page.md"]),
        ("locales/sv/LC_MESSAGES/workflows.po", ["l10n", "check"]),
        ("locales/sv/LC_MESSAGES/workflows.po", ["l10n", "update"]),
        ("locales/sv/LC_MESSAGES/workflows.po", ["build", "--quiet"]),
        ("deployed.cron", ["drift", "--env", "prod-marketing", "--crontab", "deployed.cron"]),
    ],
    ids=["page", "po-check", "po-update", "po-build", "crontab"],
)
def test_bytes_that_are_not_utf8_are_located(
    tmp_path: Path, target: str, command: list[str]
) -> None:
    """A page, a PO file or a deployed crontab that is not UTF-8: one line naming the file,
    the line and column of the first bad byte, and the byte; exit 2."""
    root = _project(tmp_path)
    path = root / target
    before = path.read_bytes().split(b"\n")[:3] if path.exists() else [b"# x", b"", b""]
    path.write_bytes(b"\n".join([*before, _NOT_UTF8]))
    result = _wfgen(root, *command)
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert f"{target}:4:8: " in lines[0] and "not UTF-8 text (byte 0xe9)" in lines[0], lines[0]


def test_a_catalogue_file_that_is_not_utf8_is_a_finding_at_the_byte(tmp_path: Path) -> None:
    """validate reports the first byte that is not UTF-8 at its line and character column."""
    root = _project(tmp_path)
    path = root / "catalog" / "modules.yaml"
    path.write_bytes(b"\n".join([*path.read_bytes().split(b"\n")[:3], _NOT_UTF8]))
    result = _wfgen(root, "validate")
    assert result.exit_code == 1, result.stdout + result.stderr
    found = [line for line in result.stdout.splitlines() if "not valid UTF-8" in line]
    assert len(found) == 1 and "modules.yaml:4:8:" in found[0], result.stdout
