"""An import-linter contract: only the writer package opens files for writing.

import-linter sees imports; whether a module writes a file is in its calls. This contract
reads each module of the root package (its source, with ``ast``) and reports, outside the
modules named in ``writers``, every call that opens a file for writing: ``open`` (builtin,
``Path.open``, ``os.fdopen``, ``io.open``) with a mode that writes, ``write_text`` and
``write_bytes``, ``os.open`` with a flag that writes or creates, the ``tempfile`` files, and
``shutil``'s copies and moves. Everything else reaches the disk through the writers.

Configured in pyproject.toml (``contract_types`` and a contract of type ``writers``).
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck

__all__ = ["Write", "WritersContract", "writes_in"]

_WRITE_MODES = frozenset("wax+")
_WRITE_FLAGS = frozenset({"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"})
_TEMP_FILES = frozenset({"mkstemp", "NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile"})
_COPIES = frozenset({"copy", "copy2", "copyfile", "copytree", "move"})


@dataclass(frozen=True)
class Write:
    """One call that writes a file: where it is and what it is."""

    line: int
    what: str


def _text(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _mode(call: ast.Call, position: int) -> str | None:
    """The mode string of an ``open``-like call: keyword ``mode``, else positional."""
    for keyword in call.keywords:
        if keyword.arg == "mode":
            return _text(keyword.value) or "?"  # a computed mode may write
    if len(call.args) > position:
        return _text(call.args[position]) or "?"
    return None


def _names(node: ast.AST) -> set[str]:
    return {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)} | {
        n.id for n in ast.walk(node) if isinstance(n, ast.Name)
    }


def _write_of(call: ast.Call) -> str | None:  # noqa: PLR0911 - one return per kind of call that writes a file
    """What ``call`` writes, or None when it writes no file."""
    func = call.func
    owner = (
        func.value.id
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
        else ""
    )
    name = (
        func.attr
        if isinstance(func, ast.Attribute)
        else func.id
        if isinstance(func, ast.Name)
        else ""
    )
    if name in ("write_text", "write_bytes") and isinstance(func, ast.Attribute):
        return f"{name}()"
    if name == "open" and owner == "os":
        flags = _names(call.args[1]) if len(call.args) > 1 else set()
        return "os.open() for writing" if flags & _WRITE_FLAGS else None
    if name in ("open", "fdopen"):
        # open(file, mode), io.open(file, mode), os.fdopen(fd, mode); path.open(mode)
        position = 0 if isinstance(func, ast.Attribute) and owner not in ("io", "os") else 1
        mode = _mode(call, position)
        if mode is not None and (mode == "?" or set(mode) & _WRITE_MODES):
            return f"{name}() with mode {mode!r}"
        return None
    if name in _TEMP_FILES and owner in ("tempfile", ""):
        return f"tempfile.{name}()"
    if name in _COPIES and owner == "shutil":
        return f"shutil.{name}()"
    return None


def writes_in(source: str) -> list[Write]:
    """Every call of ``source`` that opens a file for writing, in order."""
    found = [
        Write(node.lineno, what)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and (what := _write_of(node)) is not None
    ]
    return sorted(found, key=lambda w: w.line)


class WritersContract(Contract):
    """Only the modules of ``writers`` (and their submodules) open files for writing."""

    writers = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        allowed = tuple(str(w) for w in self.writers)
        broken: list[tuple[str, str, int, str]] = []
        for module in sorted(graph.modules):
            if any(module == w or module.startswith(f"{w}.") for w in allowed):
                continue
            spec = importlib.util.find_spec(module)
            if spec is None or not spec.origin or not spec.origin.endswith(".py"):
                continue
            path = Path(spec.origin)
            for write in writes_in(path.read_text(encoding="utf-8")):
                broken.append((module, str(path), write.line, write.what))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for module, path, line, what in check.metadata["broken"]:
            output.print_error(f"{path}:{line}: {module} writes a file ({what})", bold=False)
            output.new_line()
        output.print("Write through the writers instead: " + ", ".join(map(str, self.writers)))
