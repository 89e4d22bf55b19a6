"""Pages named on the command line: files as given, folders searched for file-name patterns.

A folder in which no file matches is an error the caller reports (exit 2): a CI job that
checks a folder of ``.txt`` pages with the default patterns must not pass having read nothing.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .batch import may_hold_table
from .results import PageError

__all__ = ["DEFAULT_PATTERNS", "FoundPages", "find_pages"]

DEFAULT_PATTERNS = ("*.md", "*.markdown")


@dataclass(frozen=True)
class FoundPages:
    """What the paths hold: the pages in order, those found in folders, and empty folders."""

    pages: tuple[Path, ...]
    found: frozenset[Path]  # found in a folder, not named: dropped when they hold no table
    empty: tuple[PageError, ...]  # one per folder where no file matches the patterns


def _matches(name: str, relative: str, patterns: Sequence[str]) -> bool:
    # A pattern with a slash is matched against the path below the folder, else the name.
    for pattern in patterns:
        if "/" in pattern:
            if fnmatch.fnmatchcase(relative, pattern):
                return True
        elif fnmatch.fnmatchcase(name.lower(), pattern.lower()):
            return True
    return False


def find_pages(paths: Iterable[Path], *, patterns: Sequence[str] = DEFAULT_PATTERNS) -> FoundPages:
    """Files as given; folders walked recursively (sorted, hidden folders skipped).

    Args:
        paths: files and folders, in the order the report keeps.
        patterns: file-name patterns (``fnmatch``, case-insensitive on the name; a pattern
            with a ``/`` is matched against the path below the folder).

    Returns:
        The pages, those found in folders, and an error for each folder with no file matching.
    """
    pages: list[Path] = []
    found: set[Path] = set()
    empty: list[PageError] = []
    for path in paths:
        if not path.is_dir():
            pages.append(path)
            continue
        matched = 0
        for folder, subfolders, files in os.walk(path):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in sorted(files):
                candidate = Path(folder) / name
                if not _matches(name, candidate.relative_to(path).as_posix(), patterns):
                    continue
                matched += 1
                if may_hold_table(candidate):
                    pages.append(candidate)
                    found.add(candidate)
        if not matched:
            searched = ", ".join(patterns)
            empty.append(
                PageError(
                    path,
                    f"{path}: no page found: no file in this folder or below matches "
                    f"{searched}; hint: name the pages' patterns with --glob "
                    "(e.g. --glob '*.txt'), or name the pages",
                )
            )
    return FoundPages(tuple(pages), frozenset(found), tuple(empty))
