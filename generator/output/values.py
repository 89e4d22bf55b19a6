"""The values the writer takes and gives: rendered files, what a build did to out/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem

__all__ = [
    "BUNDLED_TEMPLATES",
    "MANIFEST",
    "MANIFEST_FORMAT",
    "RenderedFile",
    "WriteResult",
    "Written",
]


BUNDLED_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


MANIFEST = "manifest.json"


@dataclass(frozen=True)
class RenderedFile:
    """One output file: its path under out/ (POSIX), its bytes and the inputs it came from."""

    path: str
    content: bytes
    inputs: tuple[str, ...]


MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class WriteResult:
    """What a build did to out/, or (with --check) what it would do."""

    written: tuple[str, ...] = ()  # added or changed
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    foreign: tuple[str, ...] = ()
    diff: str = ""
    problems: tuple[Problem, ...] = field(default=())
    added: tuple[str, ...] = ()  # --check: those of ``written`` that out/ lacks

    @property
    def differs(self) -> bool:
        """True when out/ does not match what would be generated."""
        return bool(self.diff)


@dataclass(frozen=True)
class Written:
    """What the manifest records of a file once its bytes are on disk."""

    path: str
    sha256: str
    inputs: tuple[str, ...]
