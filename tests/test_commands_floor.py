"""Every command's CLI function is a call into ``generator/commands/``: the CLI parses,
calls the one function of the command's module there, and formats what it returns."""

from __future__ import annotations

import ast
import importlib
import inspect

import pytest

from tests.cli_walk import command, commands

# `wfgen completion` prints click's own completion script: there is no use case behind it.
NO_USE_CASE = {("completion",)}


def commands_called(module_name: str, function: str) -> set[str]:
    """``module.function`` names of ``generator.commands`` that ``function`` of the CLI
    module ``module_name`` calls, itself or through the module's own helpers."""
    tree = ast.parse(inspect.getsource(importlib.import_module(module_name)))
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    imported: dict[str, str] = {}  # local name -> commands.<module>.<name>
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.level == 2
            and (node.module or "").startswith("commands.")
        ):
            for alias in node.names:
                imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    seen: set[str] = set()
    todo = [function]
    called: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        for node in ast.walk(functions[name]):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                callee = node.func.id
                if callee in imported and callee[:1].islower():
                    called.add(imported[callee])
                todo.append(callee)
    return called


COMMANDS = [p for p in commands() if p not in NO_USE_CASE]


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_each_command_calls_its_use_case_in_commands(path: tuple[str, ...]) -> None:
    """The command's function calls a function of generator.commands that exists there."""
    callback = command(path).callback
    assert callback is not None
    called = commands_called(callback.__module__, callback.__name__)
    assert called, f"wfgen {' '.join(path)} calls nothing in generator.commands"
    for name in called:
        module, _, function = name.rpartition(".")
        found = getattr(importlib.import_module(f"generator.{module}"), function, None)
        assert callable(found), name


def test_every_command_is_walked() -> None:
    """The walk finds every command (a new group's commands are checked too)."""
    assert len(COMMANDS) + len(NO_USE_CASE) == len(list(commands()))
    assert ("docs", "check") in COMMANDS and ("l10n", "glossary") in COMMANDS


def test_a_command_calling_the_library_directly_is_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The check itself: a CLI function calling a stage module, not commands/, is caught."""
    source = (
        "def helper():\n    from ..commands.build import build\n    return build\n"
        "def direct():\n    from ..load.catalog import load_catalog\n    load_catalog([])\n"
        "def through():\n    from ..commands.build import build\n    build(1)\n"
        "def outer():\n    through()\n"
    )
    monkeypatch.setattr(inspect, "getsource", lambda _module: source)
    assert commands_called("generator.cli.build", "direct") == set()
    assert commands_called("generator.cli.build", "helper") == set()
    assert commands_called("generator.cli.build", "outer") == {"commands.build.build"}
