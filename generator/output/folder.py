"""out/ as it stands: its files (never following a link out of it), each read once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from ..errors import UsageError

__all__ = ["existing_files", "read_or_none", "safe_path", "walk"]


def safe_path(path: str) -> PurePosixPath:
    """A relative path that stays inside out/ (no absolute paths, no ``..``, no empty parts)."""
    pure = PurePosixPath(path)
    parts = path.split("/")
    if pure.is_absolute() or any(p in ("", ".", "..") for p in parts) or "\\" in path:
        raise UsageError(f"refusing to write {path!r}: outside the output folder")
    return pure


def walk(top: Path) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk(top)`` top-down without following links, on an explicit stack: ``os.walk``
    recurses in Python 3.11, and a deep folder a user put in out/ would overflow it."""
    stack = [os.fspath(top)]
    while stack:
        root = stack.pop()
        dirs: list[str] = []
        names: list[str] = []
        entered: list[str] = []
        try:
            with os.scandir(root) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    (dirs if is_dir else names).append(entry.name)
                    if is_dir and not entry.is_symlink():
                        entered.append(entry.path)
        except OSError:
            continue
        dirs.sort()
        yield root, dirs, names
        stack.extend(sorted(entered, reverse=True))


def existing_files(out_dir: Path) -> dict[str, Path]:
    """Every file and symlink under out/, by POSIX path; symlinks are not followed."""
    found: dict[str, Path] = {}
    if not out_dir.is_dir():
        return found
    for root, dirs, names in walk(out_dir):
        base = Path(root)
        for name in sorted(names) + [d for d in dirs if (base / d).is_symlink()]:
            path = base / name
            found[path.relative_to(out_dir).as_posix()] = path
    return found


def read_or_none(path: Path) -> bytes | None:
    if path.is_symlink() or not path.is_file():
        return None
    return path.read_bytes()
