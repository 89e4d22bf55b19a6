"""out/ swapped in whole under its lock; what a killed build left, recovered."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, Problem, Severity

__all__ = ["lock_path", "locked", "recover", "swap_in"]


_AT_FDCWD = -100


_RENAME_NOREPLACE = 1


_RENAME_EXCHANGE = 2


def _renameat2(source: Path, target: Path, flags: int) -> bool:
    """Linux renameat2(2); False when the system or file system does not offer it."""
    function = _libc_renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(target))


@functools.cache
def _libc_renameat2() -> Any:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


def swap_in(temp: Path, out_dir: Path) -> None:
    """Put ``temp`` where ``out_dir`` is, in one step where the system allows it.

    On Linux the two folders trade places in one ``renameat2(RENAME_EXCHANGE)``: at every
    instant ``out_dir`` holds the old build or the new one, whole. Elsewhere the old folder
    is renamed aside first; a kill between the two renames leaves it as ``.<out>.old-*``,
    which the next build puts back (see :func:`recover`).
    """
    try:
        mode = out_dir.stat().st_mode & 0o7777  # out/ keeps the mode its owner gave it
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o777 & ~umask  # mkdtemp makes 0700; a new out/ gets the usual mode
    temp.chmod(mode)
    if not out_dir.exists():
        if not _renameat2(temp, out_dir, _RENAME_NOREPLACE):
            temp.rename(out_dir)
        return
    if _renameat2(temp, out_dir, _RENAME_EXCHANGE):
        shutil.rmtree(temp, ignore_errors=True)  # now the old build
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    old.rmdir()
    out_dir.replace(old)
    try:
        temp.replace(out_dir)
    except OSError:
        old.replace(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def lock_path(out_dir: Path) -> Path:
    """The lock file of an output folder: ``.<name>.lock`` beside it (out/ itself is swapped)."""
    target = out_dir.resolve()
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def locked(out_dir: Path, *, wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock: two builds into one folder take turns.

    Args:
        out_dir: the output folder (its parent is created when missing).
        wait: called once when another build holds the lock and this one waits.

    Raises:
        InputError: when the lock file cannot be created.
    """
    path = lock_path(out_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
    except OSError as err:
        raise InputError(f"{path}: cannot create the lock file: {err.strerror or err}") from err
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if wait is not None:
                wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def recover(out_dir: Path) -> list[Problem]:
    """Find what an interrupted build left beside ``out_dir``, put back or remove it, and say so.

    Call with the lock held (:func:`locked`): then no other build is writing, so every
    ``.<out>.new-*`` folder is an unfinished or superseded build, and an ``.<out>.old-*``
    folder is a previous out/ that a kill separated from its place.
    """
    target = out_dir.resolve()
    parent = target.parent
    if not parent.is_dir():
        return []
    found = sorted(
        p
        for pattern in (f".{target.name}.new-*", f".{target.name}.old-*")
        for p in parent.glob(pattern)
        if p.is_dir() and not p.is_symlink()
    )
    problems: list[Problem] = []
    olds = [p for p in found if ".old-" in p.name]
    if olds and not target.exists():
        newest = max(olds, key=lambda p: p.stat().st_mtime)
        newest.rename(target)
        found.remove(newest)
        problems.append(
            _leftover(target, f"put back from {newest.name}, left by an interrupted build")
        )
    for path in found:
        shutil.rmtree(path, ignore_errors=True)
        problems.append(_leftover(path, "removed: an interrupted build left it"))
    return problems


def _leftover(path: Path, message: str) -> Problem:
    return Problem(
        Location.of(path),
        message,
        Severity.WARNING,
        code="interrupted-build",
        hint="a build was stopped before it finished; this one completed it",
    )
