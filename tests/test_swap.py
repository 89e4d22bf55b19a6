"""out/ is replaced in one step, builds into one folder take turns, and whatever a kill leaves
behind is found, reported and cleaned by the next build. PO writes survive kills too."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.commands.build import BuildSettings, build
from generator.errors import UsageError
from generator.output import RenderedFile, lock_path, manifest_file, recover, write_output
from generator.output import swap as output_swap
from tests.conftest import CATALOG, LOCALES, ROOT, build_file_tree
from tests.test_build import SMALL

# A few dozen kills by default; WFGEN_KILLS raises it for a longer run.
KILLS = int(os.environ.get("WFGEN_KILLS", "8"))


def _files(**texts: str) -> list[RenderedFile]:
    files = [RenderedFile(k.replace("__", "/"), v.encode(), ()) for k, v in texts.items()]
    return [*files, manifest_file(files)]


def whole_build(out: Path) -> str:
    """The manifest's digest when ``out`` holds exactly one build's files, every one intact."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"]
    present = {
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() or p.is_symlink()
    }
    assert present == {*files, "manifest.json"}
    for name, entry in files.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"], name
    return hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest()


def test_exchange_swaps_in_one_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where renameat2 exists, the old and new folders trade places: no rename aside."""
    out = tmp_path / "out"
    write_output(_files(a__x="1\n"), out_dir=out)
    renames: list[str] = []
    real = Path.rename

    def spy(self: Path, target: str | os.PathLike[str]) -> Path:
        renames.append(self.name)
        return real(self, target)

    monkeypatch.setattr(Path, "rename", spy)
    write_output(_files(a__x="2\n"), out_dir=out)
    monkeypatch.undo()
    if output_swap._libc_renameat2() is not None:
        assert renames == []
    assert (out / "a" / "x").read_text() == "2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_without_renameat2_the_fallback_still_swaps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a system without renameat2 the two-rename swap is used and leaves nothing behind."""
    monkeypatch.setattr(output_swap, "_libc_renameat2", lambda: None)
    out = tmp_path / "out"
    write_output(_files(a__x="1\n"), out_dir=out)
    write_output(_files(a__x="2\n"), out_dir=out)
    assert (out / "a" / "x").read_text() == "2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_leftovers_are_put_back_or_removed_and_reported(tmp_path: Path) -> None:
    """An old out/ a kill left aside is put back; unfinished new folders are removed."""
    out = tmp_path / "out"
    write_output(_files(a__x="old\n"), out_dir=out)
    out.rename(tmp_path / ".out.old-abc123")
    (tmp_path / ".out.new-def456" / "a").mkdir(parents=True)
    (tmp_path / ".out.new-def456" / "a" / "x").write_text("half")
    (tmp_path / ".other.new-1").mkdir()  # another folder's: not ours to touch
    problems = recover(out)
    assert (out / "a" / "x").read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.new-1", "out"]
    assert [p.code for p in problems] == ["interrupted-build", "interrupted-build"]
    assert "put back" in problems[0].message or "put back" in problems[1].message


def test_a_symlinked_environment_folder_is_refused_not_moved(tmp_path: Path) -> None:
    """A symbolic link where wfgen writes a folder stops the build; the link target is untouched."""
    out = tmp_path / "out"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep").write_text("mine\n")
    out.mkdir()
    (out / "a").symlink_to(elsewhere)
    with pytest.raises(UsageError, match="a"):
        write_output(_files(a__x="1\n"), out_dir=out)
    assert (out / "a").is_symlink()
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep"]


def test_foreign_files_and_folders_keep_inode_mode_and_links(tmp_path: Path) -> None:
    """A file wfgen did not write stays the same file (inode, mode, hard links); an empty
    folder of the user's stays; out/ keeps its mode."""
    out = tmp_path / "out"
    write_output(_files(a__x="1\n"), out_dir=out)
    mine = out / "a" / "notes.txt"
    mine.write_text("mine\n")
    mine.chmod(0o600)
    os.link(mine, tmp_path / "second-link")
    (out / "empty").mkdir(mode=0o700)
    out.chmod(0o750)
    inode = mine.stat().st_ino
    write_output(_files(a__x="2\n"), out_dir=out)
    assert mine.stat().st_ino == inode
    assert mine.stat().st_mode & 0o777 == 0o600
    assert mine.stat().st_nlink == 2
    assert (out / "empty").is_dir() and (out / "empty").stat().st_mode & 0o777 == 0o700
    assert out.stat().st_mode & 0o777 == 0o750


# The commands killed below are forked from one process that imported wfgen once and ran a
# build and an update of its own (as a fork server does): each still runs the `wfgen` command
# line as its own process, without the second of interpreter start, imports, template
# compilation and CLDR loading that came before every kill. Each tells the test the instant
# it starts writing (out/, or the first PO file), so that every kill is aimed at the write,
# where an interrupted process could leave something half done.
_SERVER = r"""
import json, os, sys, traceback

import generator.commands.build
import generator.commands.l10n
from generator.cli import cli

CHANNEL = os.dup(1)
os.dup2(os.open(os.devnull, os.O_WRONLY), 1)


def send(message):
    os.write(CHANNEL, (json.dumps(message) + "\n").encode())  # one write: never interleaved


def announced(module, name):
    real = getattr(module, name)
    told = {os.getpid()}  # the server's own runs are not announced

    def call(*args, **kwargs):
        if os.getpid() not in told:
            told.add(os.getpid())
            send({"writes": os.getpid()})
        return real(*args, **kwargs)

    setattr(module, name, call)


announced(generator.commands.build, "OutputWriter")  # a build writes as it renders
announced(generator.commands.l10n, "write_if_changed")


def run(request):
    os.chdir(request["cwd"])
    stderr = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(stderr, 2)
    os.close(stderr)
    try:
        cli.main(args=request["args"], prog_name="wfgen")
        code = 0
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    except BaseException:
        traceback.print_exc()
        code = 70
    sys.stdout.flush()
    sys.stderr.flush()
    return code


for line in iter(sys.stdin.readline, ""):
    request = json.loads(line)
    if "wait" in request:
        _, status = os.waitpid(request["wait"], 0)
        send({"status": request["wait"], "returncode": os.waitstatus_to_exitcode(status)})
    elif request.get("here"):
        send({"ran": run(request)})
    else:
        pid = os.fork()
        if pid == 0:
            code = run(request)
            send({"done": os.getpid(), "code": code})
            os._exit(code)
        send({"pid": pid})
"""


class Forks:
    """A client of the fork server: start `wfgen ARGS`, learn when it writes, reap it."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._server = subprocess.Popen(
            [sys.executable, "-c", _SERVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        self._buffer = b""
        self._stderr: dict[int, Path] = {}

    def _next(self, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The next message ``wanted`` accepts; the others (a child's news) are dropped."""
        assert self._server.stdout is not None
        fd = self._server.stdout.fileno()
        deadline = time.monotonic() + 120
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                message = json.loads(line)
                if wanted(message):
                    return message
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, "the fork server gave no answer in 120 s"
            data = os.read(fd, 65536)
            assert data, "the fork server ended"
            self._buffer += data

    def _ask(self, request: dict[str, Any]) -> None:
        assert self._server.stdin is not None
        self._server.stdin.write((json.dumps(request) + "\n").encode())
        self._server.stdin.flush()

    def warm(self, cwd: Path, *args: str) -> None:
        """Run `wfgen ARGS` in the server itself: what its children need is then loaded."""
        stderr = self._folder / "stderr-server"
        self._ask({"cwd": str(cwd), "args": list(args), "stderr": str(stderr), "here": True})
        assert self._next(lambda m: "ran" in m)["ran"] == 0, stderr.read_text(encoding="utf-8")

    def start(self, cwd: Path, *args: str) -> int:
        """Fork `wfgen ARGS` in ``cwd``; its pid."""
        stderr = self._folder / f"stderr-{len(self._stderr)}"
        self._ask({"cwd": str(cwd), "args": list(args), "stderr": str(stderr)})
        pid = int(self._next(lambda m: "pid" in m)["pid"])
        self._stderr[pid] = stderr
        return pid

    def writes(self, pid: int) -> bool:
        """Wait until ``pid`` starts writing (True) or ends without writing (False)."""
        message = self._next(lambda m: pid in (m.get("writes"), m.get("done")))
        return "writes" in message

    def wait(self, pid: int) -> int:
        """Reap ``pid``: its exit code, or minus the signal that ended it."""
        self._ask({"wait": pid})
        return int(self._next(lambda m: m.get("status") == pid)["returncode"])

    def stderr(self, pid: int) -> str:
        """What ``pid`` wrote to its standard error."""
        return self._stderr[pid].read_text(encoding="utf-8")

    def close(self) -> None:
        """End the server (it ends when its input does)."""
        assert self._server.stdin is not None
        assert self._server.stdout is not None
        self._server.stdin.close()
        code = self._server.wait(timeout=60)
        self._server.stdout.close()
        assert code == 0


@pytest.fixture(scope="module")
def forks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Forks]:
    """One fork server for the module's tests, warmed by a build and an update of its own."""
    server = Forks(tmp_path_factory.mktemp("forks"))
    root = build_file_tree(tmp_path_factory.mktemp("warm"), SMALL)
    server.warm(root, "build", "--quiet", "--out", str(root / "out"), *_paths(root))
    server.warm(root, "l10n", "update", *_paths(root))
    yield server
    server.close()


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(CATALOG, root / "catalog")
    shutil.copytree(LOCALES, root / "locales")
    return root


def _toggle(path: Path, label: str, n: int) -> None:
    """Give one label in ``path`` a new text, so every run writes something new (a build
    whose inputs match out/ would write nothing)."""
    text, count = re.subn(
        rf"^(\s*label: {re.escape(label)})( \(v\d+\))?$",
        rf"\1 (v{n})",
        path.read_text(encoding="utf-8"),
        count=1,
        flags=re.MULTILINE,
    )
    assert count == 1, (path, label)
    path.write_text(text, encoding="utf-8")


def _paths(root: Path) -> list[str]:
    return ["--catalog", str(root / "catalog"), "--locales", str(root / "locales")]


def test_kill_at_any_instant_leaves_a_whole_out(tmp_path: Path, forks: Forks) -> None:
    """kill -9 of `wfgen build` at random instants of its write: out/ always holds one whole
    build, old or new; the next build cleans up what the kills left."""
    root = build_file_tree(tmp_path / "p", SMALL)
    out = root / "out"
    args = ["build", "--quiet", "--out", str(out), *_paths(root)]
    workflows = root / "catalog" / "workflows" / "deliveries.yaml"
    pid = forks.start(root, *args)
    assert forks.writes(pid), forks.stderr(pid)
    began = time.monotonic()
    assert forks.wait(pid) == 0, forks.stderr(pid)
    # From the start of the write to the end of the process, seen from here.
    window = (time.monotonic() - began) * 1.3
    last = whole_build(out)
    digests = {last}
    rng = random.Random(14)
    # A loaded machine can stretch every build past the first one's window: kills go on,
    # each later window a quarter longer, until one came after a swap (bounded).
    n = 0
    while n < KILLS or (len(digests) < 2 and n < KILLS * 6):
        n += 1
        _toggle(workflows, "Tracking", n)
        pid = forks.start(root, *args)
        assert forks.writes(pid), forks.stderr(pid)
        time.sleep(rng.uniform(0, window))
        os.kill(pid, signal.SIGKILL)
        assert forks.wait(pid) in (0, -signal.SIGKILL), forks.stderr(pid)
        assert out.is_dir(), f"kill {n}: no out/"
        digest = whole_build(out)
        if digest == last:  # this kill came before the swap (successive builds differ)
            window *= 1.25
        digests.add(digest)
        last = digest
    _toggle(workflows, "Tracking", n + 1)
    pid = forks.start(root, *args)
    assert forks.wait(pid) == 0, forks.stderr(pid)
    assert whole_build(out) not in digests
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".out")) == [".out.lock"]
    assert len(digests) >= 2  # some kills came after the swap


def test_kill_of_l10n_update_leaves_old_or_new_po_files(tmp_path: Path, forks: Forks) -> None:
    """kill -9 of `wfgen l10n update` at random instants of its writes: each PO file is the
    old or the new text, never a mix; an update after the kills completes the others and
    removes the temporary files they left."""
    root = _project(tmp_path)
    before = {p: p.read_bytes() for p in sorted((root / "locales").rglob("*.po*"))}
    _toggle(root / "catalog" / "workflows" / "campaign.yaml", "Cost calculation", 1)
    reference = tmp_path / "reference"
    shutil.copytree(root, reference)
    pid = forks.start(reference, "l10n", "update", *_paths(reference))
    assert forks.writes(pid), forks.stderr(pid)
    began = time.monotonic()
    assert forks.wait(pid) == 0, forks.stderr(pid)
    window = (time.monotonic() - began) * 1.2  # from the first write to the end
    after = {
        root / p.relative_to(reference): p.read_bytes()
        for p in sorted((reference / "locales").rglob("*.po*"))
    }
    assert after != before
    rng = random.Random(41)
    for _ in range(max(4, KILLS // 2)):
        for path, data in before.items():  # every kill meets an update with all to write
            path.write_bytes(data)
        pid = forks.start(root, "l10n", "update", *_paths(root))
        assert forks.writes(pid), forks.stderr(pid)
        time.sleep(rng.uniform(0, window))
        os.kill(pid, signal.SIGKILL)
        assert forks.wait(pid) in (0, -signal.SIGKILL), forks.stderr(pid)
        for path, data in before.items():
            assert path.read_bytes() in (data, after[path]), path
    pid = forks.start(root, "l10n", "update", *_paths(root))
    assert forks.wait(pid) == 0, forks.stderr(pid)
    assert {p: p.read_bytes() for p in before} == after
    assert not list((root / "locales").rglob("*.tmp"))


def test_concurrent_builds_take_turns(tmp_path: Path, forks: Forks) -> None:
    """Three builds into one folder at once: all succeed, out/ is one whole build."""
    root = build_file_tree(tmp_path / "p", SMALL)
    out = root / "out"
    pids = [
        forks.start(root, "build", "--quiet", "--out", str(out), *_paths(root)) for _ in range(3)
    ]
    for pid in pids:
        assert forks.wait(pid) == 0, forks.stderr(pid)
    whole_build(out)
    assert lock_path(out).is_file()


def test_build_reports_what_an_interrupted_build_left(tmp_path: Path) -> None:
    """A leftover folder beside out/ is removed by the next build and named in its warnings."""
    root = build_file_tree(tmp_path / "p", SMALL)
    settings = BuildSettings(
        catalog=root / "catalog", out=root / "out", locales_dir=root / "locales"
    )
    build(settings)
    (root / ".out.new-zzz").mkdir()
    result = build(settings)
    assert [p.code for p in result.warnings if p.code == "interrupted-build"] == [
        "interrupted-build"
    ]
    assert not (root / ".out.new-zzz").exists()
