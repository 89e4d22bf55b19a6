"""The shape of the code: no function over 60 lines, and no lint exception, without a reason.

Ruff's long-function rules (too many statements, branches, returns) are on for the tree;
ruff has no rule on a function's length in lines, so this test holds that one: a function
over 60 lines carries a ``# long: <reason>`` comment on the line above it (or its
decorators), or the reason of its ``# noqa`` of those rules. Each such ``# noqa`` says why,
after `` - ``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

MAX_FUNCTION_LINES = 60
_LONG = re.compile(r"^\s*# long: (.*\S)")
_NOQA = re.compile(r"# noqa: (PLR09\d\d(?:, *[A-Z]+\d+)*)(.*)$")
_REASON = re.compile(r"^ - .{20,}")

SOURCES = sorted(
    [p for d in ("generator", "benchmarks", "lintrules") for p in (ROOT / d).rglob("*.py")],
    key=lambda p: p.as_posix(),
)


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def long_functions(path: Path) -> Iterator[tuple[str, int, int, str | None]]:
    """(name, line, length, reason or None) of each function of ``path`` over the limit, and
    of each function marked long (so a stale mark shows)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    for node in _functions(ast.parse(text)):
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        above = _LONG.match(lines[first - 2]) if first >= 2 else None
        signature = lines[node.lineno - 1 : node.body[0].lineno - 1]
        noqa = [m.group(2)[3:] for m in map(_NOQA.search, signature) if m]
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        if length > MAX_FUNCTION_LINES or above:
            reason = above.group(1) if above else (noqa[0] if noqa else None)
            yield node.name, node.lineno, length, reason


def _id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_a_function_over_60_lines_says_why(path: Path) -> None:
    """Each function over 60 lines has a reason above it, and only those are marked long."""
    for name, line, length, reason in long_functions(path):
        where = f"{_id(path)}:{line}: {name}"
        assert length <= MAX_FUNCTION_LINES or reason, f"{where} is {length} lines, no reason"
        assert length > MAX_FUNCTION_LINES, f"{where} is marked long at {length} lines"


@pytest.mark.parametrize("path", SOURCES, ids=_id)
def test_each_long_function_exception_gives_a_reason(path: Path) -> None:
    """A ``# noqa`` of ruff's long-function rules is followed by `` - <why>``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        found = _NOQA.search(line)
        if found:
            assert _REASON.match(found.group(2)), f"{_id(path)}:{number}: no reason given"


def test_the_check_finds_a_long_function_without_a_reason(tmp_path: Path) -> None:
    """The check itself: a 61-line function is found, with no reason; a marked one with it."""
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    source = tmp_path / "m.py"
    source.write_text(f"def plain():\n{body}\n\n# long: a reason given here\ndef marked():\n{body}")
    assert [(n, length, r) for n, _, length, r in long_functions(source)] == [
        ("plain", 61, None),
        ("marked", 61, "a reason given here"),
    ]


def test_the_long_function_rules_are_on() -> None:
    """pyproject.toml selects PL and ignores none of ruff's long-function rules for the tree."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]
    lint = config["lint"]
    assert "PL" in lint["select"]
    rules = {"PLR0911", "PLR0912", "PLR0915"}
    assert not rules & set(lint["ignore"])
    for ignored in lint.get("per-file-ignores", {}).values():
        assert not rules & set(ignored)


MAX_FILE_LINES = 450


@pytest.mark.parametrize("path", sorted((ROOT / "generator").rglob("*.py")), ids=_id)
def test_no_module_of_the_package_is_over_450_lines(path: Path) -> None:
    """A module past 450 lines is split by responsibility before it grows further."""
    length = len(path.read_text(encoding="utf-8").splitlines())
    assert length <= MAX_FILE_LINES, f"{_id(path)} is {length} lines"
