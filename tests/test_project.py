"""Projects: wfgen.toml / [tool.wfgen] found upward from the current folder, and `wfgen init`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import cli
from generator.commands.init import init_project
from generator.config import find_config, load_project
from generator.errors import UsageError
from tests.conftest import CATALOG, ROOT, FileTree


def wfgen(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One project written by `wfgen init`, copied by the tests that change it."""
    root = tmp_path_factory.mktemp("init") / "proj"
    init_project(root)
    return root


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(template, tmp_path / "proj"))


# --- discovery --------------------------------------------------------------------------


def test_nearest_project_file_wins_and_other_pyprojects_are_skipped(
    file_tree: Callable[[FileTree], Path],
) -> None:
    root = file_tree(
        {
            "wfgen.toml": "",
            "a": {
                "pyproject.toml": "[project]\nname = 'x'\n",
                "b": {
                    "pyproject.toml": "[tool.wfgen]\nout = 'site'\n",
                    "c": {"d": {}},
                },
            },
            "e": {"wfgen.toml": "", "pyproject.toml": "[tool.wfgen]\n", "f": {}},
        }
    )
    assert find_config(root / "a") == root / "wfgen.toml"
    assert find_config(root / "a" / "b" / "c" / "d") == root / "a" / "b" / "pyproject.toml"
    assert find_config(root / "e" / "f") == root / "e" / "wfgen.toml"


def test_paths_are_relative_to_the_project_file_and_seen_from_the_current_folder(
    file_tree: Callable[[FileTree], Path],
) -> None:
    root = file_tree(
        {
            "wfgen.toml": 'catalog = "data/cat"\ntemplates = "tpl"\nenv = ["prod"]\nlocale = ["en", "sv"]\n',
            "data": {"cat": {"workflows": {}}},
        }
    )
    found = load_project(root / "data" / "cat" / "workflows")
    assert found.root == root
    assert found.catalog == Path("..")
    assert found.locales == Path("../../../locales")
    assert found.out == Path("../../../out")
    assert found.templates == Path("../../../tpl")
    assert (found.environments, found.build_locales) == (("prod",), ("en", "sv"))
    at_root = load_project(root)
    assert (at_root.catalog, at_root.out, at_root.templates) == (
        Path("data/cat"),
        Path("out"),
        Path("tpl"),
    )


def test_without_a_project_file_the_current_folder_has_the_default_layout(tmp_path: Path) -> None:
    found = load_project(tmp_path)
    assert found.config is None
    assert (found.root, found.catalog, found.locales, found.out) == (
        tmp_path,
        Path("catalog"),
        Path("locales"),
        Path("out"),
    )


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('catalog = "c"\ncolour = "blue"\n', ":2:1:", "unknown key 'colour'"),
        ("catalog = 3\n", ":1:1:", "catalog must be a folder path"),
        ('out = ""\n', ":1:1:", "out must be a folder path"),
        ('env = "prod"\n', ":1:1:", "env must be a list of names"),
        ("locale = [1]\n", ":1:1:", "locale must be a list of names"),
        ('catalog = "c"\nout = \n', ":2:7:", "invalid TOML"),
        ('catalog = "c"\nlocales = [\n', ":3:1:", "invalid TOML: Invalid value at the end"),
        ('catalog = "c"\nenv = ["a"', ":2:11:", "invalid TOML: Unclosed array at the end"),
        (
            'catalog = "c"\n# \xe9t\xe9\nout = "\udcff"\n',
            ":3:8:",
            "file is not UTF-8 text (byte 0xff)",
        ),
    ],
)
def test_a_bad_project_file_is_a_usage_error_with_its_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, where: str, message: str
) -> None:
    (tmp_path / "wfgen.toml").write_bytes(text.encode("utf-8", errors="surrogateescape"))
    with pytest.raises(UsageError) as caught:
        load_project(tmp_path)
    assert f"{tmp_path / 'wfgen.toml'}{where}" in str(caught.value)
    assert message in str(caught.value)
    monkeypatch.chdir(tmp_path)
    result = wfgen("validate")
    assert result.exit_code == 2
    assert result.output.startswith(f"wfgen: error: {tmp_path / 'wfgen.toml'}{where}")
    assert result.output.count("\n") == 1


def test_a_bad_tool_table_in_pyproject_is_located_in_that_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nout = 1\n\n[tool.wfgen]\ncatalog = "c"\nout = 1\n', "utf-8"
    )
    with pytest.raises(UsageError, match=r"pyproject\.toml:7:1: out must be a folder path"):
        load_project(tmp_path)


def test_no_project_and_no_catalogue_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if find_config(tmp_path) is not None:
        pytest.skip(f"the temporary folder lies in a wfgen project: {find_config(tmp_path)}")
    monkeypatch.chdir(tmp_path)
    for args in (["validate"], ["build"], ["l10n", "stats"], ["schedule", "lint"]):
        result = wfgen(*args)
        assert result.exit_code == 2, args
        assert "no wfgen.toml" in result.output
        assert "wfgen init" in result.output
        assert not (tmp_path / "out").exists()


# --- commands run from anywhere in a project --------------------------------------------


def test_this_repository_validates_from_a_subfolder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CATALOG / "workflows")
    result = wfgen("validate")
    assert result.exit_code == 0, result.output
    files = sum(1 for _ in CATALOG.rglob("*.yaml"))
    assert result.output.endswith(f"ok: {files} file(s) valid\n")
    assert load_project().root == ROOT


def test_every_setting_is_a_default_and_options_win(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "catalog").rename(project / "cat")
    (project / "catalog-elsewhere").mkdir()
    (project / "wfgen.toml").write_text(
        'catalog = "cat"\nout = "public"\nlocale = ["en"]\nenv = ["prod"]\n', "utf-8"
    )
    monkeypatch.chdir(project / "cat" / "workflows")
    result = wfgen("build", "--quiet")
    assert result.exit_code == 0, result.output
    manifest = json.loads((project / "public" / "manifest.json").read_text("utf-8"))
    assert any(name.startswith("prod/") for name in manifest["files"])
    assert not (project / "out").exists()
    # An option names a path from the current folder, as the shell does.
    result = wfgen("build", "--quiet", "--out", "../../site")
    assert result.exit_code == 0, result.output
    assert (project / "site" / "manifest.json").is_file()
    result = wfgen("build", "--quiet", "--env", "staging")
    assert result.exit_code == 2
    assert "staging" in result.output
    result = wfgen("validate", "--format", "json", "../../catalog-elsewhere")
    assert result.exit_code == 2


# --- wfgen init -------------------------------------------------------------------------


def test_init_writes_a_project_that_validates_and_builds(tmp_path: Path) -> None:
    target = tmp_path / "new" / "proj"
    result = wfgen("init", str(target))
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == [
        "catalog",
        "catalog/environments",
        "catalog/environments/prod.yaml",
        "catalog/modules.yaml",
        "catalog/workflows",
        "catalog/workflows/deliveries.yaml",
        "locales",
        "wfgen.toml",
    ]
    found = load_project(target / "catalog")
    assert found.config == target / "wfgen.toml"
    assert (found.catalog, found.locales, found.out) == (
        Path(),
        Path("../locales"),
        Path("../out"),
    )


def test_init_project_validates_and_builds_from_inside(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "catalog" / "environments")
    result = wfgen("validate", "--strict")
    assert result.exit_code == 0, result.output
    result = wfgen("build", "--quiet")
    assert result.exit_code == 0, result.output
    assert (project / "out" / "prod" / "crontab").is_file()
    assert (project / "out" / "docs" / "en" / "deliveries.md").is_file()
    result = wfgen("build", "--check", "--quiet")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("existing", ["wfgen.toml", "catalog", "locales"])
def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).write_text("mine\n", encoding="utf-8")
    before = sorted(tmp_path.rglob("*"))
    result = wfgen("init", str(tmp_path))
    assert result.exit_code == 2
    assert result.output == (
        f"wfgen: error: {tmp_path / existing}: already exists; "
        "init writes a new project only, nothing written\n"
    )
    assert sorted(tmp_path.rglob("*")) == before
    assert (tmp_path / existing).read_text(encoding="utf-8") == "mine\n"


def test_init_into_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x", encoding="utf-8")
    result = wfgen("init", str(tmp_path / "f"))
    assert result.exit_code == 2
    assert "is not a folder" in result.output


def test_init_defaults_to_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = wfgen("init")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "wfgen.toml").is_file()
    assert load_project().config == tmp_path / "wfgen.toml"
