"""--out names wfgen's own folder or a new one; anything else exits 2 and changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.test_build import SMALL, FileTreeMaker


def _snapshot(root: Path) -> dict[str, tuple[int, int, bytes | None]]:
    """Every path under ``root`` with its mode, inode and content (None for folders)."""
    state = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        state[path.relative_to(root).as_posix()] = (info.st_mode, info.st_ino, data)
    return state


def _build(project: Path, out: str, *extra: str) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(cli, ["build", "--quiet", "--out", out, *extra])
    finally:
        os.chdir(old)
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "out",
    [".", "catalog", "catalog/workflows", "locales", "home", "someone", "notes.txt", "link"],
)
def test_out_refuses_folders_it_must_not_replace(
    file_tree: FileTreeMaker, monkeypatch: pytest.MonkeyPatch, out: str
) -> None:
    """The project, its inputs, a home folder, a folder of other files, a file: exit 2, no change."""
    project = file_tree(
        {
            **SMALL,
            "home": {".ssh": {"id": "secret"}, "notes": "x"},
            "someone": {"data.txt": "keep"},
            "notes.txt": "a file",
        }
    )
    (project / "home" / ".ssh").chmod(0o700)
    (project / "link").symlink_to(project / "notes.txt")
    monkeypatch.setenv("HOME", str(project / "home"))
    before = _snapshot(project)
    code, output = _build(project, out)
    assert code == 2, output
    assert "--out" in output or "wfgen manifest" in output
    assert _snapshot(project) == before


def test_out_refuses_the_root(file_tree: FileTreeMaker) -> None:
    """--out / exits 2 before reading anything."""
    project = file_tree(SMALL)
    code, output = _build(project, "/")
    assert code == 2, output
    assert "root" in output


def test_out_accepts_a_new_an_empty_and_its_own_folder(file_tree: FileTreeMaker) -> None:
    """A new folder, an empty one and one an earlier build wrote are all fine."""
    project = file_tree(SMALL)
    (project / "empty").mkdir()
    assert _build(project, "new") == (0, "")
    assert _build(project, "empty")[0] == 0
    (project / "new" / "docs" / "sv" / "deliveries.md").write_text("edited\n")
    assert _build(project, "new")[0] == 0


@pytest.mark.parametrize("catalog", ["empty", "notes"])
def test_a_catalog_without_workflows_is_refused_before_writing(
    file_tree: FileTreeMaker, catalog: str
) -> None:
    """--catalog naming an empty folder, or one with no workflow: exit 2, out/ unchanged."""
    project = file_tree({**SMALL, "empty": {}, "notes": {"modules.yaml": "modules: {}\n"}})
    assert _build(project, "out")[0] == 0
    before = _snapshot(project / "out")
    code, output = _build(project, "out", "--catalog", catalog)
    assert code == 2, output
    assert "no catalogue file" in output or "no workflow" in output
    assert _snapshot(project / "out") == before


def test_validate_of_an_empty_folder_is_an_error(file_tree: FileTreeMaker) -> None:
    """`wfgen validate empty/` is an error, not "ok: 0 file(s) valid"."""
    project = file_tree({"empty": {}})
    result = CliRunner().invoke(cli, ["validate", str(project / "empty")])
    assert result.exit_code == 2, result.output
    assert "no catalogue file" in result.output


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f"])
def test_a_control_character_in_yaml_is_a_located_error(
    file_tree: FileTreeMaker, char: str
) -> None:
    """A NUL (which the fast YAML path stops at) or other control is refused at its line:col."""
    project = file_tree(SMALL)
    path = project / "catalog" / "workflows" / "deliveries.yaml"
    text = path.read_text().replace("label: Tracking", f"label: Trac{char}king")
    path.write_text(text)
    line = text[: text.index(char)].count("\n") + 1
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code != 0, result.output
    assert f"deliveries.yaml:{line}:" in result.output
    assert "control character" in result.output
