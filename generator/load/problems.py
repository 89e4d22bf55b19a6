"""JSON paths -> located problems: the one place that turns a path in a YAML file into
``file:line:col``, for schema findings and semantic checks of every YAML kind."""

from __future__ import annotations

from ..errors import Location, Problem, Severity
from . import schema
from .yamlio import LoadedYaml, Positions

__all__ = ["located_problem", "schema_problems"]


def located_problem(
    loaded: LoadedYaml,
    locator: Positions,
    parts: tuple[str | int, ...],
    message: str,
    *,
    key: bool = False,
    severity: Severity = Severity.ERROR,
    code: str = "schema",
    hint: str = "",
    subject: str = "",
) -> Problem:
    """A problem at the value (or with ``key``, the key) that ``parts`` names in ``loaded``."""
    line, col = locator.position(parts, key=key)
    return Problem(
        Location.of(loaded.path, line, col),
        message,
        severity,
        code=code,
        json_path=schema.json_path(parts),
        hint=hint,
        subject=subject,
    )


def schema_problems(loaded: LoadedYaml, locator: Positions, schema_name: str) -> list[Problem]:
    """The file's data checked against the bundled schema ``schema_name``, located."""
    return [
        located_problem(loaded, locator, f.parts, f.message, key=f.key)
        for f in schema.check(loaded.data, schema_name)
    ]
