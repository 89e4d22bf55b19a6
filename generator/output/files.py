"""The one atomic file writer: every file wfgen writes outside out/ (PO files, pages, the
catalogue, a new project) is replaced in one step, keeping its mode, owner and group."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["copy_tree", "replace_all", "replace_keeping", "write_new"]


def replace_keeping(path: Path, data: bytes) -> None:
    """Replace the file at ``path`` (a symbolic link's target) by ``data`` in one step,
    keeping its mode, owner and group (``replace_all`` of one file).

    Raises:
        OSError: when the file cannot be written or kept as it was; ``strerror`` says why
            and the file is unchanged.
    """
    replace_all({path: data})


def replace_all(files: Mapping[Path, bytes]) -> None:
    """Replace each file (a symbolic link's target) by its bytes, keeping its mode, owner
    and group; every new text is on disk before any file is replaced.

    Each file's bytes go to a temporary file beside it, flushed to disk, given the old
    file's mode, owner and group; then each is renamed over its file: a reader or a kill
    sees the old file or the new one. A file with several names (hard links) is refused: a
    new file would leave the other names with the old text, and writing through the shared
    inode could be cut half-way. So is a file whose owner or group the caller cannot give
    back. A missing file is created (with the umask's mode), its folders too.

    Raises:
        OSError: when a file cannot be written or kept as it was; ``strerror`` says why and
            no file is replaced.
    """
    prepared: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            prepared.append(_prepared(path, data))
        for temp, target in prepared:
            temp.replace(target)
    except BaseException:
        for temp, _ in prepared:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
        raise
    for folder in sorted({target.parent for _, target in prepared}):
        with contextlib.suppress(OSError):
            handle = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)


def _prepared(path: Path, data: bytes) -> tuple[Path, Path]:
    """``data`` in a temporary file beside ``path``'s target, synced, with the target's
    mode, owner and group; returns (temporary file, target)."""
    target = path.resolve()
    try:
        old: os.stat_result | None = target.stat()
    except FileNotFoundError:
        old = None
    if old is not None and old.st_nlink > 1:
        raise OSError(
            errno.EMLINK,
            f"the file has {old.st_nlink} names (hard links); writing it would part them "
            "(copy it to a file of its own first, or edit it by hand)",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            if old is None:
                umask = os.umask(0)
                os.umask(umask)
                os.fchmod(out.fileno(), 0o666 & ~umask)  # mkstemp makes 0600
            else:
                _keep_owner(out.fileno(), old)
            os.fsync(out.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return temp, target


def _keep_owner(handle: int, old: os.stat_result) -> None:
    """Give the open file ``old``'s mode, owner and group."""
    os.fchmod(handle, old.st_mode & 0o7777)
    mine = os.fstat(handle)
    if (mine.st_uid, mine.st_gid) != (old.st_uid, old.st_gid):
        try:
            os.fchown(handle, old.st_uid, old.st_gid)
        except PermissionError:
            raise OSError(
                errno.EPERM,
                f"the file belongs to uid {old.st_uid}, gid {old.st_gid}; "
                "a rewritten file would belong to you (run as its owner)",
            ) from None
        # chown clears set-user-ID and set-group-ID bits: put them back.
        os.fchmod(handle, old.st_mode & 0o7777)


def write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet (its folders are made): a new project's files,
    a scratch copy for a reader that takes a path.

    Raises:
        OSError: when it exists (``FileExistsError``) or cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as out:
        out.write(data)


def copy_tree(source: Path, target: Path) -> None:
    """Copy the folder ``source`` to ``target`` (which must not exist): a scratch copy.

    Raises:
        OSError: when it cannot be copied.
    """
    shutil.copytree(source, target)
