"""out/ written: rendered files -> a new folder beside out/, swapped in whole.

A build writes each file into a temporary folder beside out/ and then swaps it into place,
so a failed build leaves the previous out/ as it was. A file that is no longer generated is
removed only when the previous manifest says wfgen wrote it; any other file is kept and
reported, because it is someone's work.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath

from ..errors import InputError, Location, Problem, Severity, UsageError
from .folder import existing_files, read_or_none, safe_path, walk
from .manifest import read_manifest
from .swap import swap_in
from .values import RenderedFile, WriteResult, Written

__all__ = ["OutputWriter", "write_output"]


def write_output(files: Sequence[RenderedFile], *, out_dir: Path) -> WriteResult:
    """Write ``files`` to ``out_dir`` atomically; remove only stale files wfgen wrote before.

    Args:
        files: the rendered files, manifest included.
        out_dir: the output folder (created when missing).

    Returns:
        Which files were written, unchanged, removed, and which foreign files were kept.

    Raises:
        UsageError: when a generated file would overwrite a file wfgen did not write.
        InputError: on I/O errors; out/ is then left as it was.
    """
    with OutputWriter(out_dir) as writer:
        for file in files:
            writer.add(file)
        return writer.commit()


class OutputWriter:
    """out/ written as the build renders: each file goes into a temporary folder beside out/
    as it comes, hashed on the way, and is not kept in memory; :meth:`commit` swaps the
    folder into place. Leaving the ``with`` block without a commit (an error, a finding
    that fails the build) removes the temporary folder: out/ is then as it was.

    The checks :func:`write_output` makes are the same: a path given twice, a file wfgen did
    not write that would be overwritten (all such files are named, at commit, before the swap).
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.entries: list[Written] = []
        self._existing = existing_files(out_dir)
        self._owned = read_manifest(out_dir)
        self._keys: set[str] = set()
        self._made: set[Path] = set()
        self._written: list[str] = []
        self._unchanged: list[str] = []
        self._clashes: list[str] = []
        self._temp: Path | None = None

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._temp is not None:  # not committed
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = None

    def _folder(self) -> Path:
        if self._temp is None:
            parent = self.out_dir.resolve().parent
            try:
                parent.mkdir(parents=True, exist_ok=True)
                self._temp = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.new-", dir=parent))
            except OSError as err:
                raise InputError(
                    f"{parent}: cannot create a temporary folder: {err.strerror or err}"
                ) from err
        return self._temp

    def add(self, file: RenderedFile) -> None:
        """Write one file into the temporary folder (or keep the unchanged one from out/).

        Raises:
            UsageError: when ``file.path`` leaves out/ or was given before.
            InputError: on I/O errors.
        """
        key = safe_path(file.path).as_posix()
        if key in self._keys:
            raise UsageError(f"two outputs would be written to {key}")
        self._keys.add(key)
        content = file.content
        self.entries.append(Written(key, hashlib.sha256(content).hexdigest(), file.inputs))
        old = self._existing.get(key)
        same = old is not None and read_or_none(old) == content
        if old is not None and key not in self._owned and not same:
            self._clashes.append(key)
            return  # refused at commit, with every other such file
        target = self._folder() / key
        try:
            if target.parent not in self._made:  # one mkdir per folder, not per file
                target.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(target.parent)
            if old is not None and same:
                # Keep the old file so its modification time survives: make and rsync stay quiet.
                _keep(old, target)
                self._unchanged.append(key)
            else:
                target.write_bytes(content)
                self._written.append(key)
        except OSError as err:
            raise InputError(
                f"{self.out_dir}: cannot write: {err.strerror or err}; out/ is unchanged"
            ) from err

    def commit(self) -> WriteResult:
        """Keep what must stay of out/, then swap the new folder into place.

        Raises:
            UsageError: when generated files would overwrite files wfgen did not write.
            InputError: on I/O errors; out/ is then left as it was.
        """
        existing, wanted = self._existing, self._keys
        folders = {str(PurePosixPath(key).parent) for key in wanted}
        folders |= {str(p) for key in folders for p in PurePosixPath(key).parents}
        clashes = sorted(
            {
                *self._clashes,
                # a file or a symbolic link where wfgen writes a folder (it would be moved
                # into itself)
                *(
                    key
                    for key in existing
                    if key in folders and (key not in self._owned or existing[key].is_symlink())
                ),
            }
        )
        if clashes:
            raise UsageError(
                f"{len(clashes)} file(s) in {self.out_dir} were not written by wfgen and would "
                "be overwritten: " + ", ".join(clashes),
                hint="move them away (or delete them) and build again",
            )
        temp = self._folder()
        try:
            result = _fill(temp, wanted, existing, self._owned, self.out_dir)
            swap_in(
                temp,
                self.out_dir.resolve()
                if self.out_dir.exists()
                else temp.parent / self.out_dir.name,
            )
        except OSError as err:
            raise InputError(
                f"{self.out_dir}: cannot write: {err.strerror or err}; out/ is unchanged"
            ) from err
        self._temp = None  # swapped: out/ now, or the old out/ moved aside and removed
        return replace(
            result, written=tuple(sorted(self._written)), unchanged=tuple(sorted(self._unchanged))
        )


def _fill(
    temp: Path,
    wanted: set[str],
    existing: dict[str, Path],
    owned: set[str],
    out_dir: Path,
) -> WriteResult:
    """What stays of out/ beside the new files: foreign files and empty folders kept,
    files wfgen wrote before and no longer generates left out (removed)."""
    removed, foreign, problems = [], [], []
    for key in sorted(set(existing) - wanted):
        if key in owned:
            removed.append(key)
            continue
        target = temp / key
        target.parent.mkdir(parents=True, exist_ok=True)
        # A hard link, not a copy: the file keeps its inode, owner, mode and other links.
        _keep(existing[key], target)
        foreign.append(key)
        problems.append(
            Problem(
                Location.of(out_dir / key),
                "not written by wfgen; kept in place",
                Severity.WARNING,
                code="foreign-output",
                hint="remove it by hand if it is no longer needed",
            )
        )
    for key in _empty_folders(out_dir):
        # wfgen never makes an empty folder: this one is someone's, and stays.
        target = temp / key
        if not target.exists():
            target.mkdir(parents=True)
            shutil.copystat(out_dir / key, target, follow_symlinks=False)
    problems.extend(_keep_folders(temp, out_dir))
    return WriteResult(
        removed=tuple(removed),
        foreign=tuple(foreign),
        problems=tuple(problems),
    )


def _keep_folders(temp: Path, out_dir: Path) -> list[Problem]:
    """Give each folder of the new build the mode, owner and group its old self had.

    The new build's folders are made afresh; without this a user's 0700 folder inside out/
    would come back 0755 and owned by whoever built. An owner only root may give is kept
    where the build runs as root, and reported otherwise.
    """
    problems: list[Problem] = []
    if not out_dir.is_dir():
        return problems
    for root, dirs, _names in walk(temp):
        for name in dirs:
            made = Path(root, name)
            if made.is_symlink():
                continue  # a kept link to a folder, not a folder of the build
            key = made.relative_to(temp)
            try:
                old = os.lstat(out_dir / key)
            except OSError:
                continue  # a folder this build adds
            mine = os.lstat(made)
            if (old.st_uid, old.st_gid) != (mine.st_uid, mine.st_gid):
                try:
                    os.chown(made, old.st_uid, old.st_gid, follow_symlinks=False)
                except PermissionError:
                    problems.append(
                        Problem(
                            Location.of(out_dir / key),
                            f"folder was owned by uid {old.st_uid}, gid {old.st_gid}; "
                            "only root can give it back",
                            Severity.WARNING,
                            code="foreign-owner",
                            hint="build as its owner, or chown it back",
                        )
                    )
            made.chmod(old.st_mode & 0o7777)
    return problems


def _empty_folders(out_dir: Path) -> list[str]:
    found: list[str] = []
    if not out_dir.is_dir():
        return found
    for root, dirs, names in walk(out_dir):
        if not dirs and not names and Path(root) != out_dir:
            found.append(Path(root).relative_to(out_dir).as_posix())
    return sorted(found)


def _keep(old: Path, target: Path) -> None:
    """Put an unchanged file into the new folder: a hard link (the temporary folder is beside
    out/, so on the same file system), else a copy with its times."""
    try:
        os.link(old, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(old, target, follow_symlinks=False)
