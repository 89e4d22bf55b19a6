"""One exception root, and the problems the library collects before it fails once.

Every message reads ``file:line:col: what is wrong`` and, where it helps, ends with
``hint: what to do next``. Lines and columns are 1-based, as editors show them.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "FIX_KEY",
    "CatalogError",
    "InputError",
    "Location",
    "Problem",
    "Severity",
    "UsageError",
    "WfgenError",
    "escape_controls",
    "format_problem",
    "sort_problems",
]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file; ``line`` and ``col`` are 1-based, 0 when unknown."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line and self.col:
            return f"{self.file}:{self.line}:{self.col}"
        if self.line:
            return f"{self.file}:{self.line}"
        return self.file

    @classmethod
    def of(cls, path: Path | str, line: int = 0, col: int = 0) -> Location:
        """Build a location from a path and 1-based line and column."""
        return cls(str(path), line, col)


class Severity(enum.StrEnum):
    """How bad a problem is; errors fail a command, warnings do not."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# A problem's ``extra["fix"]``: one replacement (line, col, end_col, new) on its file, which
# SARIF reports as a fix.
FIX_KEY = "fix"


@dataclass(frozen=True)
class Problem:
    """One finding: where, what, how bad, and what to do about it."""

    location: Location
    message: str
    severity: Severity = Severity.ERROR
    code: str = ""
    json_path: str = ""
    hint: str = ""
    subject: str = ""  # canonical workflow id (or other entity) the finding is about
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> dict[str, object]:
        """The stable machine-readable form used by every ``--format json``."""
        data: dict[str, object] = {
            "file": self.location.file,
            "line": self.location.line,
            "col": self.location.col,
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
        }
        if self.json_path:
            data["path"] = self.json_path
        if self.subject:
            data["id"] = self.subject
        if self.hint:
            data["hint"] = self.hint
        data.update(self.extra)
        return data


# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators: in a file
# name or a message they would start a new line, or rewrite the terminal, in a report.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x0a``): one line."""
    return _CONTROLS.sub(_escaped, text)


def format_problem(problem: Problem) -> str:
    """Render a problem as one line: ``file:line:col: severity: message [at path] (hint)``.

    A control character anywhere (a file named with a newline, say) is escaped, so one
    finding is always one line.
    """
    text = f"{problem.location}: {problem.severity}"
    if problem.code:
        text += f" {problem.code}"
    text += f": {problem.message}"
    if problem.json_path:
        text += f" [at {problem.json_path}]"
    if problem.hint:
        text += f"; hint: {problem.hint}"
    return escape_controls(text)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Sort by file, line, column, then message, so reports are stable."""
    return sorted(problems, key=lambda p: (p.location, p.message))


class WfgenError(Exception):
    """Root of every error the library raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, *, location: Location | None = None, hint: str = "") -> None:
        self.location = location
        self.hint = hint
        text = f"{location}: {message}" if location else message
        if hint:
            text += f"; hint: {hint}"
        super().__init__(text)


class UsageError(WfgenError):
    """The command was asked for something it cannot do (exit 2)."""


class InputError(WfgenError):
    """A file could not be read or parsed at all (exit 2)."""


class CatalogError(WfgenError):
    """Validation found problems; carries all of them (exit 1)."""

    exit_code = 1

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sort_problems(problems)
        errors = sum(1 for p in self.problems if p.severity is Severity.ERROR)
        super().__init__(f"{errors} error(s) in the catalogue")
