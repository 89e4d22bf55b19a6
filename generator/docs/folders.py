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

from ..safebytes import files_below
from .batch import may_hold_table
from .results import PageError

__all__ = ["DEFAULT_PATTERNS", "FoundPages", "find_pages", "unique_pages"]

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
    """Files as given; folders walked (sorted, hidden folders skipped); each file once.

    Args:
        paths: files and folders, in the order the report keeps.
        patterns: file-name patterns (``fnmatch``, case-insensitive on the name; a pattern
            with a ``/`` is matched against the path below the folder).

    Returns:
        The pages, those found in folders, and an error for each folder with no file matching.

    Raises:
        InputError: when folders nest deeper than :data:`safebytes.MAX_FOLDER_DEPTH`.
    """
    pages: list[Path] = []
    found: set[Path] = set()
    empty: list[PageError] = []
    for path in paths:
        if not path.is_dir():
            pages.append(path)
            continue
        matched = 0
        # Sorted, a folder's files before its subfolders', on files_below's own stack (os.walk
        # recurses in Python 3.11: 1,500 nested folders raised RecursionError).
        for candidate in files_below(path, strict=False, skip_hidden_folders=True):
            if not _matches(candidate.name, candidate.relative_to(path).as_posix(), patterns):
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
    unique = unique_pages(pages)
    return FoundPages(tuple(unique), frozenset(found.intersection(unique)), tuple(empty))


def _identity(path: Path) -> tuple[int, int] | str:
    """What makes two names one file: device and inode, else the absolute normalised path."""
    try:
        info = path.stat()
    except OSError:
        return os.path.normpath(path.absolute())
    return info.st_dev, info.st_ino


def unique_pages(paths: Iterable[Path]) -> list[Path]:
    """``paths`` without the names of a file already named (``page.md ./page.md``, a
    symlink, a hard link), in the order given: one file is one page."""
    seen: set[tuple[int, int] | str] = set()
    kept: list[Path] = []
    for path in paths:
        identity = _identity(path)
        if identity not in seen:
            seen.add(identity)
            kept.append(path)
    return kept
