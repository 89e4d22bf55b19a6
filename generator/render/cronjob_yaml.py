"""The CronJobs file's YAML: PyYAML's own bytes, assembled per shape (fast with many jobs)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import yaml

# RenderedFile and the bundled templates' folder live with the writer, which needs them
# without loading Jinja2 (an unchanged rebuild stops before rendering).

if TYPE_CHECKING:
    pass

__all__ = ["dump_documents"]


_DUMP_OPTIONS: dict[str, Any] = {
    "sort_keys": False,
    "allow_unicode": True,
    "default_flow_style": False,
    "width": 4096,
}


_SLOT = "wfgenslot{}x"


_SLOTS = re.compile(r"wfgenslot(\d+)x")


# A value emitted on one line and this short can never reach the width, so its text is the
# same wherever in a document it stands.
_SHORT = 1024


_YAML_BREAK = re.compile("[\n\r\x85\u2028\u2029]")  # what YAML reads as a line break


def dump_documents(docs: Sequence[Mapping[str, Any]]) -> str:
    """``yaml.dump_all(docs, explicit_start=True)`` with the emitter's own bytes, made faster.

    The CronJobs share a few shapes (the same keys, nesting and list lengths). Each shape is
    emitted once by PyYAML with placeholders for its values, and the distinct values once, in
    one list, as the emitter writes a block list item (as it writes a block mapping value). A
    value that does not come out short and on one line (where the emitter could wrap or
    indent it) sends the whole file through the emitter instead.
    """
    assembled = _assembled(docs)
    if assembled is None:
        return str(yaml.dump_all(docs, Dumper=_PlainDumper, explicit_start=True, **_DUMP_OPTIONS))
    return assembled


def _assembled(docs: Sequence[Mapping[str, Any]]) -> str | None:
    """The documents from their shapes' and values' texts; None when that cannot be exact."""
    shaped: list[tuple[Any, list[Any]]] = []
    distinct: dict[tuple[type, Any], Any] = {}
    try:
        for doc in docs:
            if type(doc) is not dict:
                return None
            leaves: list[Any] = []
            shaped.append((_shape(doc, leaves), leaves))
            for leaf in leaves:
                distinct.setdefault((type(leaf), leaf), leaf)
    except TypeError:  # a value that cannot be a key (a set, say): the emitter's own way
        return None
    texts = _emitted(list(distinct.values()))
    if texts is None:
        return None
    values = dict(zip(distinct, texts, strict=True))
    templates: dict[Any, list[str | int]] = {}
    parts: list[str] = []
    for (shape, leaves), doc in zip(shaped, docs, strict=True):
        template = templates.get(shape)
        if template is None:
            template = templates[shape] = _template(doc)
            if [p for p in template if isinstance(p, int)] != list(range(len(leaves))):
                return None  # a key that reads like a placeholder
        for piece in template:
            if isinstance(piece, str):
                parts.append(piece)
            else:
                leaf = leaves[piece]
                parts.append(values[type(leaf), leaf])
    return "".join(parts)


def _shape(node: Any, leaves: list[Any]) -> Any:
    """The keys, nesting and list lengths of ``node``; its scalars appended to ``leaves``.

    A scalar stands as its key (in a mapping) or as None (in a list); a mapping or a list as
    a tuple, so no two shapes read alike.
    """
    out: list[Any] = []
    if type(node) is dict:
        for key, value in node.items():
            kind = type(value)
            if kind is dict or kind is list:
                out.append((key, _shape(value, leaves)))
            else:
                leaves.append(value)
                out.append(key)
        return ("map", *out)
    for value in node:
        kind = type(value)
        if kind is dict or kind is list:
            out.append(_shape(value, leaves))
        else:
            leaves.append(value)
            out.append(None)
    return ("list", *out)


def _template(doc: Mapping[str, Any]) -> list[str | int]:
    """The document as the emitter writes it, cut at its values: text, value index, text..."""
    count = 0

    def slots(node: Any) -> Any:
        nonlocal count
        if type(node) is dict:
            return {key: slots(value) for key, value in node.items()}
        if type(node) is list:
            return [slots(value) for value in node]
        count += 1
        return _SLOT.format(count - 1)

    text = yaml.dump(slots(doc), Dumper=_PlainDumper, explicit_start=True, **_DUMP_OPTIONS)
    pieces: list[str | int] = []
    for index, piece in enumerate(_SLOTS.split(text)):
        pieces.append(int(piece) if index % 2 else piece)
    return pieces


def _emitted(values: list[Any]) -> list[str] | None:
    """How the emitter writes each value as a block list item; None when the text of one
    could depend on where it stands (more than one line, or long enough to be wrapped)."""
    if not values:
        return []
    text = str(yaml.dump(values, Dumper=_PlainDumper, **_DUMP_OPTIONS))
    lines = text.split("\n")
    if lines.pop() != "" or len(lines) != len(values):
        return None
    out = []
    for line in lines:
        if not line.startswith("- ") or _YAML_BREAK.search(line) or len(line) > _SHORT:
            return None
        out.append(line[2:])
    return out


# libyaml's emitter writes the same bytes as PyYAML's pure-Python one, about 10x faster;
# with 10,000 workflows the CronJobs file is most of a build's time without it.
_SafeDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _PlainDumper(_SafeDumper):  # type: ignore[misc]
    """Never writes anchors and aliases: each CronJob must read on its own."""

    def ignore_aliases(self, data: Any) -> bool:
        return True
