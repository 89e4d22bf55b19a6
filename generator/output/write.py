"""The only writer: rendered files -> out/, atomically, with a manifest; or a diff for --check.

A build renders everything into a temporary folder beside out/ and then swaps it into place,
so a failed build leaves the previous out/ as it was. A file that is no longer generated is
removed only when the previous manifest says wfgen wrote it; any other file is kept and
reported, because it is someone's work.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from ..errors import InputError, Location, Problem, Severity, UsageError
from .check import plan_files
from .folder import read_or_none, walk
from .swap import swap_in
from .values import RenderedFile, WriteResult

__all__ = ["write_output"]


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
    wanted, existing, owned = plan_files(files, out_dir)
    folders = {str(PurePosixPath(key).parent) for key in wanted}
    folders |= {str(p) for key in folders for p in PurePosixPath(key).parents}
    clashes = sorted(
        key
        for key in existing
        if (
            key in wanted
            and key not in owned
            and read_or_none(existing[key]) != wanted[key].content
        )
        # a file or a symbolic link where wfgen writes a folder (it would be moved into itself)
        or (key in folders and (key not in owned or existing[key].is_symlink()))
    )
    if clashes:
        raise UsageError(
            f"{len(clashes)} file(s) in {out_dir} were not written by wfgen and would be overwritten: "
            + ", ".join(clashes),
            hint="move them away (or delete them) and build again",
        )
    parent = out_dir.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=parent))
    except OSError as err:
        raise InputError(
            f"{parent}: cannot create a temporary folder: {err.strerror or err}"
        ) from err
    try:
        result = _fill(temp, wanted, existing, owned, out_dir)
        swap_in(temp, out_dir.resolve() if out_dir.exists() else parent / out_dir.name)
    except OSError as err:
        shutil.rmtree(temp, ignore_errors=True)
        raise InputError(
            f"{out_dir}: cannot write: {err.strerror or err}; out/ is unchanged"
        ) from err
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return result


def _fill(
    temp: Path,
    wanted: dict[str, RenderedFile],
    existing: dict[str, Path],
    owned: set[str],
    out_dir: Path,
) -> WriteResult:
    written, unchanged = [], []
    made: set[Path] = set()
    for key in sorted(wanted):
        target = temp / key
        if target.parent not in made:  # one mkdir per folder, not per file
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        content = wanted[key].content
        if key in existing and read_or_none(existing[key]) == content:
            # Keep the old file so its modification time survives: make and rsync stay quiet.
            _keep(existing[key], target)
            unchanged.append(key)
        else:
            target.write_bytes(content)
            written.append(key)
    removed, foreign, problems = [], [], []
    for key in sorted(set(existing) - set(wanted)):
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
        written=tuple(written),
        unchanged=tuple(unchanged),
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
