"""JSON Schema checks, pure: data in, findings with JSON paths out (no I/O beyond package data)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["SchemaFinding", "check", "json_path", "load_schema", "schema_path"]


@dataclass(frozen=True)
class SchemaFinding:
    """A schema violation at a JSON path; ``key`` is true when the key itself is at fault."""

    parts: tuple[str | int, ...]
    message: str
    key: bool = False


def schema_path(name: str) -> str:
    """Filesystem path of a bundled schema, e.g. ``catalog`` -> .../catalog.schema.json."""
    return str(resources.files("generator") / "schemas" / f"{name}.schema.json")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Load a bundled JSON Schema by name (``catalog``, ``environment``, ``sending``)."""
    text = (resources.files("generator") / "schemas" / f"{name}.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _fast_validator(name: str) -> Any:
    try:  # jsonschema-rs answers "valid?" ~100x faster; jsonschema explains the failures
        import jsonschema_rs
    except ImportError:  # pragma: no cover - exercised only where no wheel exists
        return None
    return jsonschema_rs.validator_for(load_schema(name))


@cache
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(name))


def json_path(parts: tuple[str | int, ...]) -> str:
    """``("workflows", 3, "id")`` -> ``$.workflows[3].id``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            out += f".{part}"
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


_HHMM = "^([01][0-9]|2[0-3]):[0-5][0-9]$"


def _time_sentence(value: Any) -> str:
    """A time-of-day pattern failure as a sentence, with the fix when one is plain."""
    text = f"time {value!r} must be HH:MM, 00:00 to 23:59"
    match = re.fullmatch(r"\s*(\d{1,2})[:.h](\d{2})\s*", str(value))
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return f"{text}; write '{int(match.group(1)):02d}:{match.group(2)}'"
    return text


def _leaves(error: Any) -> list[Any]:
    """Descend into if/then and allOf wrappers so the message names the real fault."""
    if error.context:
        best: list[Any] = []
        for sub in error.context:
            best.extend(_leaves(sub))
        return best
    return [error]


def _extra_keys(error: Any) -> list[str]:
    """The keys an ``additionalProperties: false`` refuses, read from the error's schema and
    instance (the keys neither ``properties`` nor ``patternProperties`` allow), in file order."""
    if error.validator_value is not False or not isinstance(error.instance, dict):
        return []
    named = error.schema.get("properties", {})
    patterns = error.schema.get("patternProperties", {})
    return [
        key
        for key in error.instance
        if key not in named and not any(re.search(pattern, key) for pattern in patterns)
    ]


def _missing_keys(error: Any) -> list[str]:
    """The names a ``required`` lists that the instance lacks."""
    if not isinstance(error.instance, dict):
        return []
    return [name for name in error.validator_value if name not in error.instance]


def check(data: Any, name: str) -> list[SchemaFinding]:
    """Validate ``data`` against bundled schema ``name``; every violation, none skipped."""
    fast = _fast_validator(name)
    if fast is not None and fast.is_valid(data):
        return []
    findings: list[SchemaFinding] = []
    for error in _validator(name).iter_errors(data):
        for leaf in _leaves(error):
            parts = tuple(leaf.absolute_path)
            if leaf.validator == "additionalProperties":
                extras = _extra_keys(leaf)
                for extra in extras:
                    findings.append(
                        SchemaFinding((*parts, extra), f"unknown key {extra!r}", key=True)
                    )
                if extras:
                    continue
            if leaf.validator == "required":
                # One error per missing name, all alike: each names every missing one,
                # and the duplicates fold below.
                findings.extend(
                    SchemaFinding(parts, f"missing required field {missing!r}")
                    for missing in _missing_keys(leaf)
                )
                continue
            if "propertyNames" in leaf.absolute_schema_path and isinstance(leaf.instance, str):
                findings.append(
                    SchemaFinding((*parts, leaf.instance), f"key {leaf.message}", key=True)
                )
                continue
            if leaf.validator == "pattern" and leaf.validator_value == _HHMM:
                findings.append(SchemaFinding(parts, _time_sentence(leaf.instance)))
                continue
            findings.append(SchemaFinding(parts, leaf.message))
    unique = {(f.parts, f.message): f for f in findings}
    return list(unique.values())
