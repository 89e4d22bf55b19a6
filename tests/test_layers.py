"""The floors of docs/ARCHITECTURE.md hold: import-linter's contracts (run by `make lint`) pass
on the tree and fail as soon as a lower floor imports a higher one, or a module other than
output/ writes a file."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The trees the contract is checked on: the package as it is, then with one import from a
# higher floor added to one module.
BREAKS = [
    # The schedule model reaching up to rendering, at module level ...
    ("generator/schedules/__init__.py", "from generator import render\n"),
    # ... or inside a function, as a lazy import would.
    ("generator/load/catalog.py", "def _up() -> None:\n    from ..sending import load_model\n"),
    # The one-way rule between the two reading packages: docs reads l10n, never back.
    ("generator/l10n/po.py", "from ..docs import read_page\n"),
    # A stage writing a file itself, not through output/ (the writers contract).
    ("generator/l10n/stats.py", "def _save(path):\n    path.write_text('x')\n"),
]

# `lint-imports --config TREE/pyproject.toml --no-cache` run in TREE for each tree in turn,
# in one process: importing import-linter is most of a run's time. Each run finds the
# package `generator` of its own tree afresh (nothing of the one before is kept imported).
_LINT_EACH = r"""
import contextlib, importlib, io, json, os, sys

from importlinter.cli import lint_imports_command

results = []
for tree in sys.argv[1:]:
    os.chdir(tree)
    sys.path.insert(0, tree)
    for name in [m for m in sys.modules if m == "generator" or m.startswith("generator.")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            lint_imports_command.main(
                args=["--config", os.path.join(tree, "pyproject.toml"), "--no-cache"],
                prog_name="lint-imports",
            )
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
    sys.path.remove(tree)
    results.append({"returncode": code, "stdout": out.getvalue(), "stderr": err.getvalue()})
print(json.dumps(results))
"""


def _tree(folder: Path) -> Path:
    """A copy of the package and its contract, free to break."""
    shutil.copytree(
        ROOT / "generator",
        folder / "generator",
        ignore=shutil.ignore_patterns("__pycache__", "templates", "schemas", "*.json"),
    )
    shutil.copytree(
        ROOT / "lintrules", folder / "lintrules", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", folder / "pyproject.toml")
    return folder


@pytest.fixture(scope="module")
def lints(tmp_path_factory: pytest.TempPathFactory) -> dict[str | None, dict[str, Any]]:
    """import-linter's result on the package as it is (key None) and on each broken copy
    (key: the module changed), from one process that checks the trees in turn."""
    trees: dict[str | None, Path] = {None: _tree(tmp_path_factory.mktemp("tree"))}
    for module, line in BREAKS:
        tree = trees[module] = _tree(tmp_path_factory.mktemp("broken"))
        path = tree / module
        path.write_text(path.read_text(encoding="utf-8") + "\n\n" + line, encoding="utf-8")
    ran = subprocess.run(
        [sys.executable, "-c", _LINT_EACH, *map(str, trees.values())],
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        capture_output=True,
        text=True,
        check=True,
        timeout=240,
    )
    return dict(zip(trees, json.loads(ran.stdout), strict=True))


def test_the_tree_keeps_its_floors(lints: dict[str | None, dict[str, Any]]) -> None:
    result = lints[None]
    assert result["returncode"] == 0, result["stdout"] + result["stderr"]
    assert "2 kept, 0 broken" in result["stdout"]


@pytest.mark.parametrize(("module", "line"), BREAKS)
def test_an_import_from_a_higher_floor_breaks_the_contract(
    lints: dict[str | None, dict[str, Any]], module: str, line: str
) -> None:
    result = lints[module]
    assert result["returncode"] != 0
    assert "BROKEN" in result["stdout"]
    assert "1 kept, 1 broken" in result["stdout"]


def _statements(nodes: list[Any]) -> Iterator[ast.stmt]:
    """Every statement in ``nodes`` and in the blocks within them, however deep.

    A statement stands only in a block (a list of statements, handlers or match cases),
    never inside an expression, so the expressions, most of a tree, are not visited.
    """
    for node in nodes:
        if isinstance(node, ast.stmt):
            yield node
        for _name, value in ast.iter_fields(node):
            if isinstance(value, list) and value and isinstance(value[0], _BLOCK):
                yield from _statements(value)


_BLOCK = (ast.stmt, ast.excepthandler, ast.match_case)


def _imports(path: Path) -> list[ast.ImportFrom]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in _statements(tree.body) if isinstance(node, ast.ImportFrom)]


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
