"""The floors of docs/ARCHITECTURE.md hold: import-linter's layers contract (run by `make lint`)
passes on the tree and fails as soon as a lower floor imports a higher one."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the package and its contract, free to break."""
    shutil.copytree(
        ROOT / "generator",
        tmp_path / "generator",
        ignore=shutil.ignore_patterns("__pycache__", "templates", "schemas", "*.json"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_its_floors(tree: Path) -> None:
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line"),
    [
        # The schedule model reaching up to rendering, at module level ...
        ("generator/schedules/__init__.py", "from generator import render\n"),
        # ... or inside a function, as a lazy import would.
        ("generator/load/catalog.py", "def _up() -> None:\n    from ..sending import load_model\n"),
        # The one-way rule between the two reading packages: docs reads l10n, never back.
        ("generator/l10n/po.py", "from ..docs import read_page\n"),
    ],
)
def test_an_import_from_a_higher_floor_breaks_the_contract(
    tree: Path, module: str, line: str
) -> None:
    path = tree / module
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + line, encoding="utf-8")
    result = _lint(tree)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout


def _imports(path: Path) -> list[ast.ImportFrom]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]


def test_no_module_imports_a_private_name_of_another() -> None:
    """`from x import _name` would tie a module to another's insides: none does."""
    found = [
        f"{path.relative_to(ROOT)}: from {'.' * node.level}{node.module or ''} import {alias.name}"
        for path in sorted((ROOT / "generator").rglob("*.py"))
        for node in _imports(path)
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert found == []


def test_no_module_is_imported_by_a_string() -> None:
    """Imports the contract cannot see (importlib, __import__) are not used."""
    pattern = re.compile(r"\bimport_module\(|\b__import__\(")
    found = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "generator").rglob("*.py"))
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
