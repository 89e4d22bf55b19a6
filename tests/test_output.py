"""The writer: atomic builds, the manifest, stale and foreign files, and the --check diff."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from generator.errors import InputError, UsageError
from generator.output import check_output, manifest_file, write_output
from generator.render.targets import RenderedFile


def _files(**contents: str) -> list[RenderedFile]:
    files = [
        RenderedFile(k.replace("__", "/"), v.encode(), ("catalog/x.yaml",))
        for k, v in contents.items()
    ]
    return [*files, manifest_file(files)]


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_write_then_check_matches(tmp_path: Path) -> None:
    """A fresh build writes every file plus the manifest, and --check then finds no difference."""
    out = tmp_path / "out"
    files = _files(a__crontab="x\n", docs__en__index_md="y\n")
    result = write_output(files, out_dir=out)
    assert sorted(result.written) == sorted(f.path for f in files)
    assert check_output(files, out_dir=out).diff == ""


def test_manifest_lists_hash_and_inputs(tmp_path: Path) -> None:
    """out/manifest.json names every generated file with its sha256 and its inputs."""
    out = tmp_path / "out"
    write_output(_files(a__crontab="x\n"), out_dir=out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"] == {
        "a/crontab": {"sha256": hashlib.sha256(b"x\n").hexdigest(), "inputs": ["catalog/x.yaml"]}
    }


@pytest.mark.parametrize("action", ["edit", "delete", "add"])
def test_check_names_the_differing_file(tmp_path: Path, action: str) -> None:
    """Editing, deleting or adding a file makes --check report a diff naming that file."""
    out = tmp_path / "out"
    files = _files(a__crontab="x\n", b__unit="y\n")
    write_output(files, out_dir=out)
    target = out / "a" / "crontab"
    if action == "edit":
        target.write_text("x\nhand edit\n")
    elif action == "delete":
        target.unlink()
    else:
        target = out / "a" / "extra"
        target.write_text("z\n")
    before = _tree(out)
    result = check_output(files, out_dir=out)
    assert result.differs
    assert f"out/a/{target.name}" in result.diff
    assert "out/b/unit" not in result.diff
    assert _tree(out) == before


def test_stale_owned_file_is_removed(tmp_path: Path) -> None:
    """A file the previous manifest lists and the new build no longer makes is removed."""
    out = tmp_path / "out"
    write_output(_files(a__crontab="x\n", a__old="o\n"), out_dir=out)
    result = write_output(_files(a__crontab="x\n"), out_dir=out)
    assert result.removed == ("a/old",)
    assert not (out / "a" / "old").exists()


def test_foreign_file_is_kept_and_reported(tmp_path: Path) -> None:
    """A file wfgen did not write is never deleted; it is reported as a warning."""
    out = tmp_path / "out"
    write_output(_files(a__crontab="x\n"), out_dir=out)
    (out / "a" / "notes.txt").write_text("mine\n")
    result = write_output(_files(a__crontab="x\n"), out_dir=out)
    assert result.foreign == ("a/notes.txt",)
    assert (out / "a" / "notes.txt").read_text() == "mine\n"
    assert [p.code for p in result.problems] == ["foreign-output"]


def test_foreign_file_is_never_overwritten(tmp_path: Path) -> None:
    """A generated file that would replace a different file wfgen did not write stops the build."""
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a" / "crontab").write_text("hand made\n")
    with pytest.raises(UsageError, match="a/crontab"):
        write_output(_files(a__crontab="x\n"), out_dir=out)
    assert (out / "a" / "crontab").read_text() == "hand made\n"


def test_failed_write_leaves_previous_out_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An I/O error half-way leaves the old out/ byte for byte and no temporary folder behind."""
    out = tmp_path / "out"
    write_output(_files(a__crontab="x\n", b__unit="y\n"), out_dir=out)
    before = _tree(out)
    calls = {"n": 0}
    real = Path.write_bytes

    def failing(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(InputError, match="unchanged"):
        write_output(_files(a__crontab="changed\n", b__unit="changed\n"), out_dir=out)
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary folder left


@pytest.mark.parametrize("path", ["../escape", "/etc/passwd", "a/../../b", "a//b", "a\\b"])
def test_paths_outside_out_are_refused(tmp_path: Path, path: str) -> None:
    """No rendered path can point outside the output folder."""
    with pytest.raises(UsageError, match="outside"):
        write_output([RenderedFile(path, b"x", ())], out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_unchanged_files_keep_their_time(tmp_path: Path) -> None:
    """A rebuild that changes nothing keeps modification times and reports files as unchanged."""
    out = tmp_path / "out"
    files = _files(a__crontab="x\n")
    write_output(files, out_dir=out)
    os.utime(out / "a" / "crontab", (1_000_000, 1_000_000))
    result = write_output(files, out_dir=out)
    assert result.written == ()
    assert (out / "a" / "crontab").stat().st_mtime == 1_000_000
