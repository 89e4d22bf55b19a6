"""Exit codes are mapped in one place for every command: Ctrl-C is exit 130 and one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.errors import InputError
from tests.cli_walk import command, commands
from tests.conftest import ROOT

COMMANDS = list(commands())


def _raising(error: BaseException) -> Any:
    def callback(**_: Any) -> None:
        raise error

    return callback


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_ctrl_c_in_any_command_is_exit_130_in_one_line(
    path: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the command is doing when Ctrl-C arrives, it ends with 130 and one line."""
    found = command(path)
    monkeypatch.setattr(found, "params", [])
    monkeypatch.setattr(found, "callback", _raising(KeyboardInterrupt()))
    result = CliRunner().invoke(cli, list(path))
    assert result.exit_code == 130, result.output
    assert result.stderr == "wfgen: interrupted\n"
    assert result.stdout == ""


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_a_library_error_no_command_caught_is_one_located_line(
    path: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library error reaching the group is mapped like any other: one line, its exit code."""
    found = command(path)
    monkeypatch.setattr(found, "params", [])
    monkeypatch.setattr(found, "callback", _raising(InputError("x.yaml:3:1: unreadable")))
    result = CliRunner().invoke(cli, list(path))
    assert result.exit_code == 2, result.output
    assert result.stderr == "wfgen: error: x.yaml:3:1: unreadable\n"


def test_a_real_ctrl_c_ends_the_process_with_130_and_no_traceback() -> None:
    """SIGINT to a running wfgen (drift waiting on stdin) ends it with 130 and one line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "drift", "--env", "staging", "--crontab", "-"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    try:
        # Interrupt once it waits on stdin: the command is parsed and running by then.
        wchan = Path(f"/proc/{process.pid}/wchan")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if wchan.read_text(encoding="ascii").endswith("pipe_read"):
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, err
    assert err == b"wfgen: interrupted\n"
    assert out == b""
