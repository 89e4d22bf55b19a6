"""The pages a command was given: folders walked for Markdown pages, each file once.

A page named twice (``page.md ./page.md``, a symlink and its target, two hard links) is one
page: it is checked, counted and written once, under the first name given.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..safebytes import files_below
from .batch import PAGE_SUFFIXES, may_hold_table

__all__ = ["find_pages", "unique_pages"]


def _identity(path: Path) -> tuple[int, int] | str:
    """What makes two names one file: device and inode, else the absolute normalised path."""
    try:
        info = path.stat()
    except OSError:
        return os.path.normpath(path.absolute())
    return info.st_dev, info.st_ino


def unique_pages(paths: Iterable[Path]) -> list[Path]:
    """``paths`` without the names of a file already named, in the order given."""
    seen: set[tuple[int, int] | str] = set()
    kept: list[Path] = []
    for path in paths:
        identity = _identity(path)
        if identity not in seen:
            seen.add(identity)
            kept.append(path)
    return kept


def find_pages(paths: Iterable[Path]) -> tuple[list[Path], frozenset[Path]]:
    """Files as given, folders walked (sorted, hidden folders skipped), each file once.

    The walk is :func:`safebytes.files_below` (no recursion; at most
    :data:`safebytes.MAX_FOLDER_DEPTH` levels); a subfolder that cannot be listed is left
    out, as a page found in a folder is only checked when it can be read.

    Returns:
        The pages in order, and those found in folders (not named): the caller drops them
        when they turn out to have no workflow table. Found files without any table are
        left out here already.

    Raises:
        InputError: when folders nest deeper than :data:`safebytes.MAX_FOLDER_DEPTH`.
    """
    pages: list[Path] = []
    found: set[Path] = set()
    for path in paths:
        if not path.is_dir():
            pages.append(path)
            continue
        for candidate in files_below(path, strict=False, skip_hidden_folders=True):
            if candidate.name.lower().endswith(PAGE_SUFFIXES) and may_hold_table(candidate):
                pages.append(candidate)
                found.add(candidate)
    unique = unique_pages(pages)
    return unique, frozenset(found.intersection(unique))
