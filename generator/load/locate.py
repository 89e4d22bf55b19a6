"""Where a value of a YAML file is: ruamel.yaml's round-trip positions (Locator, for
problems only) and libyaml's node marks (MarkLocator, for positions the happy path records)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

import yaml

__all__ = ["Locator", "MarkLocator", "Positions"]


class Positions(Protocol):
    """Anything that tells where a JSON path sits in a YAML text."""

    def position(self, parts: Iterable[str | int], *, key: bool = False) -> tuple[int, int]:
        """1-based line and column of the value (or key) at ``parts``."""
        ...


class Locator:
    """Find the line and column of a JSON path in a YAML text, to report a problem there.

    ruamel.yaml's round-trip parse keeps every key's and value's position (``.lc``); it is
    slow, so it runs lazily, once per file, and only when a problem needs a position.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: Any = None
        self._parsed = False

    def _tree(self) -> Any:
        if not self._parsed:
            from ruamel.yaml import YAML  # slow import, only needed when reporting

            rt = YAML(typ="rt")
            rt.allow_duplicate_keys = True
            try:
                self._root = rt.load(self._text)
            except Exception:
                self._root = None
            self._parsed = True
        return self._root

    def root(self) -> Any:
        """The text's node tree (a ``yaml.Node``, composed once), or None when it does not
        parse."""
        return self._tree()

    def position(self, parts: Iterable[str | int], *, key: bool = False) -> tuple[int, int]:
        """1-based line and column of the value at ``parts`` (or of its key when ``key``).

        Falls back to the deepest ancestor that exists, then to 1:1.
        """
        node = self._tree()
        line, col = 1, 1
        parts = list(parts)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            lc = getattr(node, "lc", None)
            if lc is None:
                break
            if isinstance(node, dict) and part in node:
                pos = lc.key(part) if (key and last) else lc.value(part)
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                pos = lc.item(part)
                node = node[part]
            else:
                break
            if pos and pos[0] is not None:
                line, col = pos[0] + 1, pos[1] + 1
        return line, col


class MarkLocator:
    """Find the line and column of a JSON path in a YAML text from libyaml's node marks.

    The composer runs in C, so positions are cheap enough to record on the happy path
    (environment overrides, sending-table rows, which messages cite later).
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: yaml.Node | None = None
        self._parsed = False

    def _tree(self) -> yaml.Node | None:
        if not self._parsed:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            try:
                self._root = yaml.compose(self._text, Loader=loader)
            except yaml.YAMLError:  # positions are best effort; the loader reported the error
                self._root = None
            self._parsed = True
        return self._root

    def root(self) -> Any:
        """The text's node tree (a ``yaml.Node``, composed once), or None when it does not
        parse."""
        return self._tree()

    def position(self, parts: Iterable[str | int], *, key: bool = False) -> tuple[int, int]:
        """1-based line and column of the value at ``parts`` (or of its key when ``key``).

        Falls back to the deepest ancestor that exists, then to 1:1. With duplicate keys
        the last one wins, as it does for the loaded data.
        """
        node = self._tree()
        line, col = 1, 1
        parts = list(parts)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            found: yaml.Node | None = None
            mark_node: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                        found = value_node
                        mark_node = key_node if (key and last) else value_node
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                found = mark_node = node.value[part]
            if found is None or mark_node is None:
                break
            line, col = mark_node.start_mark.line + 1, mark_node.start_mark.column + 1
            node = found
        return line, col
