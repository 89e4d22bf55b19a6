"""Reading YAML safely and fast, and finding where a value sits when something is wrong.

The happy path uses yaml-rs (a Rust YAML 1.2 parser, about 15x faster than PyYAML's C
loader on large catalogues): no tags, duplicate keys and alias bombs are refused there.
Whenever it refuses a file, the file is read again with PyYAML's safe loader, configured
for YAML 1.2 scalars like yaml-rs, which reports *every* duplicate key, syntax error or
alias bomb with its line and column. Positions for reported problems come from ruamel.yaml's
round-trip parse, run only for files with problems; positions the happy path records
(environment overrides, sending-table rows) come from libyaml's node marks, at C speed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import Location, Problem, Severity
from ..safebytes import first_bidi, first_control, position_of_byte, read_input
from .locate import Locator, MarkLocator, Positions

yaml_rs: Any
try:  # optional accelerator; the PyYAML path below is complete on its own
    import yaml_rs
except ImportError:  # pragma: no cover - exercised only where no wheel exists
    yaml_rs = None

__all__ = [
    "MAX_NESTING",
    "MAX_YAML_DEPTH",
    "LoadedYaml",
    "Locator",
    "MarkLocator",
    "Positions",
    "duplicate_keys",
    "expanded_size",
    "load_yaml",
    "loader_class",
    "read_text",
]

MAX_EXPANDED_VALUES = 1_000_000
MAX_YAML_DEPTH = 64
"""Mappings and lists nested deeper are refused before any recursive reader (JSON Schema,
the position finder) sees them; a catalogue nests about six."""
# Far deeper than any real document; the composer and constructor recurse once per level.
MAX_NESTING = 200
_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\]}]+", re.MULTILINE)

_TAG = re.compile(r"(?:^|[\s\[{,:-])!", re.MULTILINE)

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def loader_class(duplicates: list[tuple[str, int, int]]) -> type[yaml.SafeLoader]:
    class Loader(_BaseLoader):  # type: ignore[misc, valid-type]
        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    if key in seen:
                        mark = key_node.start_mark
                        duplicates.append((str(key), mark.line + 1, mark.column + 1))
                    seen.add(key)
                except TypeError:  # unhashable key; the base class reports it properly
                    pass
            return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]

    # YAML 1.2 core scalars, as yaml-rs reads them: "02:00" is a string (not
    # the YAML 1.1 sexagesimal 120), yes/no are strings, dates stay text.
    Loader.yaml_implicit_resolvers = {}
    for tag, regexp, first in _YAML12_RESOLVERS:
        Loader.add_implicit_resolver(tag, regexp, first)
    return Loader


_YAML12_RESOLVERS = [
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    (
        "tag:yaml.org,2002:int",
        re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
        list("-+0123456789"),
    ),
    (
        "tag:yaml.org,2002:float",
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        list("-+0123456789."),
    ),
    ("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
]


@dataclass(frozen=True)
class LoadedYaml:
    """A parsed YAML file: its data (None when unusable), text and the problems found."""

    path: Path
    text: str
    data: Any
    problems: tuple[Problem, ...]


def read_text(path: Path) -> tuple[str, list[Problem]]:
    """Read a file as UTF-8, reporting (not raising) a BOM or undecodable bytes.

    Raises:
        OSError: when the file cannot be read at all.
    """
    raw = read_input(path)
    problems: list[Problem] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        problems.append(
            Problem(
                Location.of(path, 1, 1),
                "file starts with a UTF-8 byte-order mark",
                Severity.WARNING,
                code="yaml-bom",
                hint="save the file as UTF-8 without BOM",
            )
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line, col = position_of_byte(raw, err.start)
        problems.append(
            Problem(
                Location.of(path, line, col),
                f"file is not valid UTF-8 (byte 0x{raw[err.start]:02x})",
                code="yaml-encoding",
                hint="re-save the file as UTF-8",
            )
        )
        return "", problems
    # One located error for the first hidden character, control codes before bidi ones.
    for find, effect, hint in (
        (
            first_control,
            "; parsers would drop or cut the text there",
            "remove the character (a binary or corrupted file?)",
        ),
        (
            first_bidi,
            ", which reorders how the text around it is shown",
            "remove the character; ids, commands and labels must read as they run",
        ),
    ):
        found = find(text)
        if found is not None:
            line, col, name = found
            problems.append(
                Problem(
                    Location.of(path, line, col),
                    f"file holds a {name}{effect}",
                    code="yaml-control",
                    hint=hint,
                )
            )
            return "", problems
    return text, problems


def expanded_size(value: Any, memo: dict[int, int], limit: int) -> int:
    key = id(value)
    if key in memo:
        return memo[key]
    if isinstance(value, dict):
        total = 1
        for item in value.values():
            total += 1 + expanded_size(item, memo, limit)
            if total > limit:
                break
    elif isinstance(value, list):
        total = 1
        for item in value:
            total += expanded_size(item, memo, limit)
            if total > limit:
                break
    else:
        return 1
    memo[key] = total
    return total


def load_yaml(path: Path, *, max_values: int = MAX_EXPANDED_VALUES) -> LoadedYaml:  # noqa: PLR0911 - one return per way a YAML file is refused (fast path, then the careful path's exact problem)
    """Load one YAML file safely, collecting every problem instead of raising.

    Args:
        path: the file to read.
        max_values: how many values the document may expand to through aliases.

    Returns:
        The data (None when the file is unusable) and the problems found.

    Raises:
        OSError: when the file cannot be read.
    """
    text, problems = read_text(path)
    if any(p.severity is Severity.ERROR for p in problems):
        return LoadedYaml(path, text, None, tuple(problems))
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        problems.append(
            Problem(
                Location.of(path, 1, 1),
                "file is empty",
                code="yaml-empty",
                hint="a catalogue file holds `modules:`, or `module:` with `workflows:`",
            )
        )
        return LoadedYaml(path, text, None, tuple(problems))
    # yaml-rs drops some tags silently; any tag sends the file down the careful path.
    if yaml_rs is not None and not _TAG.search(text):
        try:
            data = yaml_rs.loads(
                text,
                parse_datetime=False,
                alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=max_values),
            )
        except Exception:
            pass
        else:
            if _too_deep(data):
                return _refuse_depth(path, text, problems)
            return _checked_top(path, text, data, problems)
    duplicates: list[tuple[str, int, int]] = []
    try:
        data = yaml.load(text, Loader=loader_class(duplicates))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = err.problem or str(err)
        hint = "YAML tags are not allowed in a catalogue" if "tag" in what else ""
        problems.append(
            Problem(Location.of(path, line, col), f"YAML: {what}", code="yaml-syntax", hint=hint)
        )
        return LoadedYaml(path, text, None, tuple(problems))
    except yaml.YAMLError as err:
        problems.append(Problem(Location.of(path, 1, 1), f"YAML: {err}", code="yaml-syntax"))
        return LoadedYaml(path, text, None, tuple(problems))
    except RecursionError:
        # PyYAML's composer recurses once per level: far past MAX_YAML_DEPTH.
        return _refuse_depth(path, text, problems)
    if _too_deep(data):
        return _refuse_depth(path, text, problems)
    problems.extend(duplicate_keys(path, duplicates))
    if _ALIAS.search(text) and expanded_size(data, {}, max_values) > max_values:
        match = _ALIAS.search(text)
        assert match is not None
        line = text.count("\n", 0, match.start()) + 1
        col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        if text[match.start()] != "*":
            col += 1
        problems.append(
            Problem(
                Location.of(path, line, col),
                f"YAML aliases expand to more than {max_values:,} values",
                code="yaml-alias-bomb",
                hint="write the values out, or use fewer nested aliases",
            )
        )
        return LoadedYaml(path, text, None, tuple(problems))
    return _checked_top(path, text, data, problems)


def _too_deep(data: Any) -> bool:
    """Whether mappings and lists nest deeper than MAX_YAML_DEPTH (an alias counts where used)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    seen: set[tuple[int, int]] = set()
    while stack:
        node, depth = stack.pop()
        if depth > MAX_YAML_DEPTH:
            return True
        if isinstance(node, dict):
            children: Iterable[Any] = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        # An aliased node is walked once per depth it is reached at, not once per use.
        if (id(node), depth) in seen:
            continue
        seen.add((id(node), depth))
        stack.extend((child, depth + 1) for child in children)
    return False


def duplicate_keys(path: Path | str, duplicates: list[tuple[str, int, int]]) -> list[Problem]:
    """One ``yaml-duplicate-key`` problem per (key, line, column) a loader recorded."""
    return [
        Problem(
            Location.of(path, line, col),
            f"duplicate key {key!r}",
            code="yaml-duplicate-key",
            hint="the later value would silently replace the earlier one; keep one",
        )
        for key, line, col in duplicates
    ]


def _refuse_depth(path: Path, text: str, problems: list[Problem]) -> LoadedYaml:
    """The file refused at the first collection nested deeper than MAX_YAML_DEPTH."""
    line, col = _deep_mark(text)
    problems.append(
        Problem(
            Location.of(path, line, col),
            f"YAML: mappings and lists nested more than {MAX_YAML_DEPTH} deep",
            code="yaml-depth",
            hint="a catalogue nests a few levels; is the file damaged?",
        )
    )
    return LoadedYaml(path, text, None, tuple(problems))


def _deep_mark(text: str) -> tuple[int, int]:
    """1-based line and column where nesting first passes MAX_YAML_DEPTH, from the parser's
    event stream (a state machine: no recursion); ``(1, 1)`` when it cannot be told."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                mark = event.start_mark
                if depth > MAX_YAML_DEPTH and mark is not None:
                    return mark.line + 1, mark.column + 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    return 1, 1


def _odd_value(data: Any, *, escapes: bool) -> tuple[tuple[Any, ...], str] | None:
    """The path of the first key that is not a string, or (with ``escapes``) of the first key
    or value holding a control or bidi character, and what is wrong there."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        parts, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if not isinstance(key, str):
                    shown = (
                        "a mapping or list" if isinstance(key, (tuple, dict, list)) else repr(key)
                    )
                    at = str(key).lower() if isinstance(key, bool) else key  # as written
                    return (*parts, at), f"key {shown} is not a string; quote it"
                if escapes and (found := _HIDDEN.search(key)):
                    return (*parts, key), _hidden_message(found.group())
                stack.append(((*parts, key), value))
        elif isinstance(node, list):
            stack.extend(((*parts, index), value) for index, value in enumerate(node))
        elif escapes and isinstance(node, str) and (found := _HIDDEN.search(node)):
            return parts, _hidden_message(found.group())
        elif isinstance(node, int) and node.bit_length() > 64:
            # Python cannot even print an integer of over 4,300 digits; no field wants one.
            return parts, "a number larger than 64 bits; quote it if it is text"
    return None


def _hidden_message(char: str) -> str:
    return f"a value holds U+{ord(char):04X}, a control or bidirectional character (an escape)"


# What a YAML escape ("\x1b", "\u202e") can put into a value that the raw text check cannot see.
_HIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def _second_document(text: str) -> int | None:
    """The 1-based line where a second YAML document starts, or None (one document)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for index, node in enumerate(yaml.compose_all(text, Loader=loader)):
            if index == 1 and node is not None:
                return int(node.start_mark.line)  # the `---` line is the one before
    except yaml.YAMLError:
        return None
    return None


def _checked_top(path: Path, text: str, data: Any, problems: list[Problem]) -> LoadedYaml:
    odd = _odd_value(data, escapes="\\" in text)
    if odd is not None:
        parts, message = odd
        line, col = MarkLocator(text).position(parts, key="not a string" in message)
        problems.append(
            Problem(
                Location.of(path, line, col),
                message,
                code="yaml-control"
                if "U+" in message
                else "yaml-number"
                if "64 bits" in message
                else "yaml-key",
                hint=""
                if "U+" in message or "64 bits" in message
                else "keys of a catalogue file are names",
            )
        )
        return LoadedYaml(path, text, None, tuple(problems))
    if not isinstance(data, dict):
        second = _second_document(text)
        if second is not None:
            problems.append(
                Problem(
                    Location.of(path, second, 1),
                    "a second YAML document starts here; a catalogue file holds one",
                    code="yaml-documents",
                    hint="remove the `---` line, or split the file in two",
                )
            )
            return LoadedYaml(path, text, None, tuple(problems))
        kind = type(data).__name__ if data is not None else "nothing"
        problems.append(
            Problem(
                Location.of(path, 1, 1),
                f"top level must be a mapping, not {kind}",
                code="yaml-not-mapping",
                hint="start the file with a key such as `module:`",
            )
        )
        return LoadedYaml(path, text, None, tuple(problems))
    return LoadedYaml(path, text, data, tuple(problems))
