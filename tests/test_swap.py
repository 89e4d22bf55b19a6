"""out/ is replaced in one step, builds into one folder take turns, and whatever a kill leaves
behind is found, reported and cleaned by the next build. PO writes survive kills too."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import output
from generator.build import BuildSettings, build
from generator.errors import UsageError
from generator.output import RenderedFile, lock_path, recover, write_output
from tests.conftest import CATALOG, LOCALES, ROOT, build_file_tree
from tests.test_build import SMALL

# A few dozen kills by default; WFGEN_KILLS raises it for a longer run.
KILLS = int(os.environ.get("WFGEN_KILLS", "8"))


def _files(**texts: str) -> list[RenderedFile]:
    files = [RenderedFile(k.replace("__", "/"), v.encode(), ()) for k, v in texts.items()]
    return [*files, output.manifest_file(files)]


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
    if output._libc_renameat2() is not None:
        assert renames == []
    assert (out / "a" / "x").read_text() == "2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_without_renameat2_the_fallback_still_swaps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a system without renameat2 the two-rename swap is used and leaves nothing behind."""
    monkeypatch.setattr(output, "_libc_renameat2", lambda: None)
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


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(CATALOG, root / "catalog")
    shutil.copytree(LOCALES, root / "locales")
    return root


def _toggle(root: Path, n: int) -> None:
    """Change one label, so every build writes a different out/."""
    path = root / "catalog" / "workflows" / "campaign.yaml"
    text = path.read_text(encoding="utf-8")
    old, new = "label: Cost calculation", "label: Cost calculation (v)"
    text = text.replace(new, old) if n % 2 == 0 else text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def _wfgen(root: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "generator",
        *args,
        "--catalog",
        str(root / "catalog"),
        "--locales",
        str(root / "locales"),
    ]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_kill_at_any_instant_leaves_a_whole_out(tmp_path: Path) -> None:
    """kill -9 of `wfgen build` at random instants: out/ always holds one whole build, old
    or new; the next build cleans up and reports what the kills left."""
    root = _project(tmp_path)
    out = root / "out"
    command = [*_wfgen(root, "build", "--quiet"), "--out", str(out)]
    start = time.monotonic()
    subprocess.run(command, check=True, env=_env(), cwd=root, capture_output=True)
    duration = time.monotonic() - start
    last = whole_build(out)
    digests = {last}
    rng = random.Random(14)
    # A loaded machine builds slower than the first measured build: every kill that came
    # before the swap widens the window, so some kills still land after it.
    window = duration * 1.3
    for n in range(KILLS):
        _toggle(root, n + 1)
        process = subprocess.Popen(command, env=_env(), cwd=root, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, window))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert out.is_dir(), f"kill {n}: no out/"
        digest = whole_build(out)
        if digest == last:  # this kill came before the swap (successive builds differ)
            window *= 1.25
        digests.add(digest)
        last = digest
    finished = subprocess.run(
        command, check=False, env=_env(), cwd=root, capture_output=True, text=True
    )
    assert finished.returncode == 0, finished.stderr
    whole_build(out)
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".out")) == [".out.lock"]
    assert len(digests) >= 2  # some kills came after the swap


def test_kill_of_l10n_update_leaves_old_or_new_po_files(tmp_path: Path) -> None:
    """kill -9 of `wfgen l10n update` at random instants: each PO file is the old or the new
    text, never a mix, and no temporary file is left once an update completes."""
    root = _project(tmp_path)
    before = {p: p.read_bytes() for p in sorted((root / "locales").rglob("*.po*"))}
    _toggle(root, 1)
    reference = tmp_path / "reference"
    shutil.copytree(root, reference)
    start = time.monotonic()
    subprocess.run(_wfgen(reference, "l10n", "update"), check=True, env=_env(), capture_output=True)
    duration = time.monotonic() - start
    after = {
        root / p.relative_to(reference): p.read_bytes()
        for p in sorted((reference / "locales").rglob("*.po*"))
    }
    assert after != before
    rng = random.Random(41)
    for _ in range(max(4, KILLS // 2)):
        process = subprocess.Popen(
            _wfgen(root, "l10n", "update"), env=_env(), stdout=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.05, duration * 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        for path, data in before.items():
            assert path.read_bytes() in (data, after[path]), path
    subprocess.run(_wfgen(root, "l10n", "update"), check=True, env=_env(), capture_output=True)
    assert {p: p.read_bytes() for p in before} == after


def test_concurrent_builds_take_turns(tmp_path: Path) -> None:
    """Three builds into one folder at once: all succeed, out/ is one whole build."""
    root = build_file_tree(tmp_path / "p", SMALL)
    out = root / "out"
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "generator",
                "build",
                "--quiet",
                "--out",
                str(out),
                "--catalog",
                str(root / "catalog"),
                "--locales",
                str(root / "locales"),
            ],
            env=_env(),
            cwd=root,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
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
