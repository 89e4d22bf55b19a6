"""A stream of YAML documents (``kubectl get -o yaml`` output), each document checked as
``load_yaml`` checks a file: size, depth, duplicate keys and odd nodes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import Location, Problem
from .yamlio import (
    MAX_EXPANDED_VALUES,
    MAX_NESTING,
    duplicate_keys,
    expanded_size,
    loader_class,
)

__all__ = ["load_documents"]


# The tags a safe loader gives nodes of its own accord; any other was written in the text.
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")
)


def load_documents(
    text: str,
    *,
    path: Path | str,
    max_values: int = MAX_EXPANDED_VALUES,
    max_depth: int = MAX_NESTING,
) -> tuple[list[tuple[Any, Any]], list[Problem]]:
    """Every document of a YAML stream (JSON too), each with its node for positions.

    Read as :func:`load_yaml` reads a catalogue file (PyYAML's safe loader, YAML 1.2
    scalars), with the same refusals: a tag other than the plain ones, nesting deeper than
    ``max_depth`` and aliases expanding past ``max_values`` are refused, located, before any
    value is built. libyaml composes the nodes (and stops past 1,000 levels itself); they
    are then walked without recursion, each shared node once.

    Returns:
        ``(data, node)`` per document, or no documents and the problems (errors) found.
    """
    problems: list[Problem] = []

    def refuse(mark: Any, message: str, code: str, hint: str = "") -> None:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problems.append(Problem(Location.of(path, line, col), message, code=code, hint=hint))

    duplicates: list[tuple[str, int, int]] = []
    loader = loader_class(duplicates)(text)
    out: list[tuple[Any, Any]] = []
    try:
        nodes: list[yaml.Node] = []
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                nodes.append(node)
        for node in nodes:
            odd = _odd_node(node, max_depth)
            if odd is not None:
                bad, message, code = odd
                refuse(bad.start_mark, message, code)
                return [], problems
        for node in nodes:
            out.append((loader.construct_document(node), node))
    except yaml.MarkedYAMLError as err:
        refuse(err.problem_mark or err.context_mark, f"YAML: {err.problem or err}", "yaml-syntax")
        return [], problems
    except yaml.YAMLError as err:  # pragma: no cover - every libyaml error carries a mark
        refuse(None, f"YAML: {err}", "yaml-syntax")
        return [], problems
    finally:
        loader.dispose()
    problems.extend(duplicate_keys(path, duplicates))
    memo: dict[int, int] = {}
    for data, node in out:
        if expanded_size(data, memo, max_values) > max_values:
            refuse(
                node.start_mark,
                f"YAML aliases expand to more than {max_values:,} values",
                "yaml-alias-bomb",
                "write the values out, or use fewer nested aliases",
            )
    return ([], problems) if problems else (out, problems)


def _odd_node(root: yaml.Node, max_depth: int) -> tuple[yaml.Node, str, str] | None:
    """The first node with a tag written in the text or deeper than ``max_depth``, what is
    wrong with it and its code; None when there is none."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if node.tag not in _PLAIN_TAGS:
            return node, f"YAML tag {node.tag} is not allowed", "yaml-syntax"
        if isinstance(node, yaml.ScalarNode) or id(node) in seen:
            continue
        seen.add(id(node))
        if depth > max_depth:
            return node, f"YAML nests deeper than {max_depth} levels", "yaml-depth"
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        else:
            stack.extend((child, depth + 1) for child in node.value)
    return None
