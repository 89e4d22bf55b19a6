"""How a catalogue folder is listed: every YAML file in it, and no folder skipped silently."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.errors import InputError
from generator.load.catalog import discover
from tests.test_build import SMALL, FileTreeMaker


def test_discover_lists_yaml_files_in_every_subfolder(file_tree: FileTreeMaker) -> None:
    """`.yaml` and `.yml` files at any depth, sorted; other files and folders are not."""
    root = file_tree(
        {
            "a.yaml": "x: 1\n",
            "notes.txt": "",
            "sub": {"b.yml": "x: 1\n", "deeper": {"c.yaml": "x: 1\n", "d.yaml.bak": ""}},
            "folder.yaml": {},
        }
    )
    found = [p.relative_to(root).as_posix() for p in discover([root])]
    assert found == ["a.yaml", "sub/b.yml", "sub/deeper/c.yaml"]


@pytest.fixture
def unlistable(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Folders whose names are put in the list cannot be listed (as without read permission,
    which root, running CI, is never refused)."""
    names: list[str] = []
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(path).name in names:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    yield names


def test_a_folder_that_cannot_be_listed_is_an_error(
    file_tree: FileTreeMaker, unlistable: list[str]
) -> None:
    """discover() names the folder it cannot list instead of leaving its workflows out."""
    root = file_tree({"a.yaml": "x: 1\n", "locked": {"b.yaml": "x: 1\n"}})
    unlistable.append("locked")
    with pytest.raises(InputError) as caught:
        discover([root])
    assert str(caught.value).startswith(f"{root / 'locked'}: cannot list this folder")
    assert "Permission denied" in str(caught.value)


def test_build_with_an_unlistable_workflows_folder_leaves_out_alone(
    file_tree: FileTreeMaker, unlistable: list[str]
) -> None:
    """`wfgen build`: exit 2, one line naming the folder, and out/ as it was: a build
    without that folder's workflows would have deleted their outputs."""
    project = file_tree(SMALL)
    old = Path.cwd()
    os.chdir(project)
    try:
        assert CliRunner().invoke(cli, ["build", "--quiet"]).exit_code == 0
        before = sorted(p.as_posix() for p in Path("out").rglob("*"))
        unlistable.append("workflows")
        result = CliRunner().invoke(cli, ["build", "--quiet"])
        after = sorted(p.as_posix() for p in Path("out").rglob("*"))
    finally:
        os.chdir(old)
    assert result.exit_code == 2, result.output
    message = result.output.strip().splitlines()
    assert len(message) == 1, message
    assert "workflows: cannot list this folder (Permission denied)" in message[0]
    assert after == before


def test_an_unlistable_folder_outside_the_catalogue_does_not_stop_a_build(
    file_tree: FileTreeMaker, unlistable: list[str]
) -> None:
    """Only the catalogue is listed strictly: a subfolder of locales/ that the build never
    reads (a translator's scratch folder) may be unreadable, first build and rebuild alike."""
    project = file_tree({**SMALL, "locales": {**SMALL["locales"], "scratch": {"x.po": ""}}})
    unlistable.append("scratch")
    old = Path.cwd()
    os.chdir(project)
    try:
        results = [CliRunner().invoke(cli, ["build", "--quiet"]) for _ in range(2)]
    finally:
        os.chdir(old)
    assert [r.exit_code for r in results] == [0, 0], [r.output for r in results]
