"""The one path every YAML kind takes: read, safe YAML, schema, located problems, checks.

Catalogue files, environment profiles and the sending model are all read here. A
:class:`Documents` store keeps what one command has read, so a build parses each file once
however many stages ask for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, Severity
from .problems import schema_problems
from .yamlio import LoadedYaml, Locator, load_yaml

__all__ = ["Check", "Document", "Documents", "kind_of", "read_document", "read_yaml"]

Check = Callable[[LoadedYaml, Locator], list[Problem]]


def kind_of(data: dict[str, Any], path: Path) -> str:
    """Which kind of YAML file this is: ``sending``, ``environment`` or ``catalog``."""
    if "sending" in data:
        return "sending"
    if "environment" in data or path.parent.name == "environments":
        return "environment"
    return "catalog"


class Documents:
    """The YAML files one command has read, each parsed once (keyed by resolved path)."""

    def __init__(self) -> None:
        self._loaded: dict[Path, LoadedYaml] = {}

    def get(self, path: Path) -> LoadedYaml | None:
        """The file as parsed before, or None."""
        return self._loaded.get(path.resolve())

    def add(self, loaded: LoadedYaml) -> None:
        """Remember a parsed file."""
        self._loaded[loaded.path.resolve()] = loaded


def read_yaml(path: Path, documents: Documents | None = None, *, hint: str = "") -> LoadedYaml:
    """Read and parse ``path`` (or take it from ``documents``, when read before).

    Raises:
        InputError: when the file cannot be read.
    """
    if documents is not None:
        found = documents.get(path)
        if found is not None:
            return found
    try:
        loaded = load_yaml(path)
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}", hint=hint) from err
    if documents is not None:
        documents.add(loaded)
    return loaded


@dataclass(frozen=True)
class Document:
    """A file read and checked: its parse, a locator, and every problem found (sorted later)."""

    loaded: LoadedYaml
    locator: Locator
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """True when no problem is an error (the data may be built into model values)."""
        return self.loaded.data is not None and not any(
            p.severity is Severity.ERROR for p in self.problems
        )


def read_document(
    path: Path,
    *,
    schema_name: str,
    check: Check | None = None,
    documents: Documents | None = None,
    hint: str = "",
) -> Document:
    """Read ``path``, check it against ``schema_name`` and, when that passes, ``check`` it.

    Raises:
        InputError: when the file cannot be read.
    """
    loaded = read_yaml(path, documents, hint=hint)
    locator = Locator(loaded.text)
    problems = list(loaded.problems)
    if loaded.data is not None:
        found = schema_problems(loaded, locator, schema_name)
        problems.extend(found)
        if not found and check is not None:
            problems.extend(check(loaded, locator))
    return Document(loaded, locator, tuple(problems))
