"""Findings for CI: SARIF 2.1.0 (code scanning) and GitHub Actions workflow commands.

Both take the same :class:`~generator.errors.Problem` values every ``--format json`` prints;
paths are written relative to the current folder when they lie under it, as CI checkouts
expect, and lines and columns stay 1-based.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .errors import Problem, Severity

__all__ = ["SARIF_SCHEMA", "github_annotations", "sarif_log"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _relative(file: str) -> str:
    path = Path(file)
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def _uri(file: str) -> str:
    relative = _relative(file)
    if relative.startswith("/"):
        return Path(relative).as_uri()
    return "/".join(part.replace("%", "%25").replace(" ", "%20") for part in relative.split("/"))


def sarif_log(problems: Sequence[Problem], *, command: str, version: str) -> dict[str, object]:
    """A SARIF 2.1.0 log with one run of ``wfgen <command>``; one rule per finding code."""
    codes = sorted({p.code or "wfgen" for p in problems})
    rules = [
        {
            "id": code,
            "name": code.replace("-", " ").title().replace(" ", ""),
            "shortDescription": {"text": f"wfgen {code}"},
        }
        for code in codes
    ]
    results = []
    for problem in problems:
        code = problem.code or "wfgen"
        text = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
        result: dict[str, object] = {
            "ruleId": code,
            "ruleIndex": codes.index(code),
            "level": _LEVELS[problem.severity],
            "message": {"text": text},
        }
        if problem.location.file:
            physical: dict[str, object] = {"artifactLocation": {"uri": _uri(problem.location.file)}}
            if problem.location.line >= 1:
                region: dict[str, int] = {"startLine": problem.location.line}
                if problem.location.col >= 1:
                    region["startColumn"] = problem.location.col
                physical["region"] = region
            result["locations"] = [{"physicalLocation": physical}]
        properties = {
            k: v for k, v in problem.to_json().items() if k in ("id", "path") or k in problem.extra
        }
        if properties:
            result["properties"] = properties
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "wfgen",
                        "semanticVersion": version,
                        "version": version,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": f"wfgen/{command.replace(' ', '-')}/"},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(problems: Sequence[Problem]) -> list[str]:
    """One ``::error file=...,line=...,col=...,title=...::message`` line per finding."""
    lines = []
    for problem in problems:
        props = []
        if problem.location.file:
            props.append(f"file={_escape_property(_relative(problem.location.file))}")
            if problem.location.line >= 1:
                props.append(f"line={problem.location.line}")
                if problem.location.col >= 1:
                    props.append(f"col={problem.location.col}")
        props.append(
            f"title={_escape_property('wfgen ' + (problem.code or str(problem.severity)))}"
        )
        text = problem.message + (f"; hint: {problem.hint}" if problem.hint else "")
        lines.append(f"::{_COMMANDS[problem.severity]} {','.join(props)}::{_escape_data(text)}")
    return lines


def dumps(data: object) -> str:
    """JSON as every report prints it."""
    return json.dumps(data, indent=2, ensure_ascii=False)
