"""The only writer: rendered files -> out/, atomically, with a manifest; or a diff for --check.

A build renders everything into a temporary folder beside out/ and then swaps it into place,
so a failed build leaves the previous out/ as it was. A file that is no longer generated is
removed only when the previous manifest says wfgen wrote it; any other file is kept and
reported, because it is someone's work.
"""

from __future__ import annotations

import contextlib
import ctypes
import difflib
import errno
import fcntl
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import InputError, Location, Problem, Severity, UsageError

__all__ = [
    "BUNDLED_TEMPLATES",
    "MANIFEST",
    "OutputWriter",
    "RenderedFile",
    "WriteResult",
    "Written",
    "check_output",
    "lock_path",
    "locked",
    "manifest_file",
    "manifest_of",
    "read_manifest",
    "recover",
    "replace_keeping",
    "unified_diff",
    "up_to_date",
    "write_output",
]

BUNDLED_TEMPLATES = Path(__file__).resolve().parent / "templates"
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


def _safe_path(path: str) -> PurePosixPath:
    """A relative path that stays inside out/ (no absolute paths, no ``..``, no empty parts)."""
    pure = PurePosixPath(path)
    parts = path.split("/")
    if pure.is_absolute() or any(p in ("", ".", "..") for p in parts) or "\\" in path:
        raise UsageError(f"refusing to write {path!r}: outside the output folder")
    return pure


def manifest_file(
    files: Sequence[RenderedFile], *, fingerprint: str = "", warnings: Sequence[Problem] = ()
) -> RenderedFile:
    """out/manifest.json: every generated file with its sha256 and the inputs it came from.

    ``fingerprint`` (of every input and of wfgen itself) and the build's ``warnings`` let an
    unchanged rebuild stop early (:func:`up_to_date`) and still report what it reported.
    """
    written = [Written(f.path, hashlib.sha256(f.content).hexdigest(), f.inputs) for f in files]
    return manifest_of(written, fingerprint=fingerprint, warnings=warnings)


def manifest_of(
    files: Sequence[Written], *, fingerprint: str = "", warnings: Sequence[Problem] = ()
) -> RenderedFile:
    """:func:`manifest_file` from what :class:`OutputWriter` recorded of each file written."""
    entries = {
        f.path: {"sha256": f.sha256, "inputs": sorted(set(f.inputs))}
        for f in sorted(files, key=lambda f: f.path)
    }
    data: dict[str, object] = {"generator": "wfgen", "format": MANIFEST_FORMAT}
    if fingerprint:
        data["fingerprint"] = fingerprint
        data["warnings"] = [p.to_json() for p in warnings]
    data["files"] = entries
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    inputs = sorted({i for f in files for i in f.inputs})
    return RenderedFile(MANIFEST, text.encode("utf-8"), tuple(inputs))


def read_manifest(out_dir: Path) -> set[str]:
    """Paths the previous build recorded as its own (empty when there is no usable manifest)."""
    path = out_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set()
    except (OSError, ValueError):
        # An unreadable manifest proves nothing: treat every old file as someone else's.
        return set()
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return set()
    return {str(p) for p in files} | {MANIFEST}


def up_to_date(
    out_dir: Path, fingerprint: str
) -> tuple[tuple[str, ...], tuple[Problem, ...]] | None:
    """When out/ holds exactly what a build with ``fingerprint`` wrote, untouched since:
    its files and the warnings that build reported. None when anything differs.

    Every file's sha256 is checked, so a hand edit or a deleted file is always noticed.
    """
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not fingerprint or data.get("fingerprint") != fingerprint:
        return None
    files = data.get("files")
    if not isinstance(files, dict) or set(_existing(out_dir)) != {*files, MANIFEST}:
        return None
    for name, entry in files.items():
        content = _read(out_dir / name)
        if content is None or hashlib.sha256(content).hexdigest() != entry.get("sha256"):
            return None
    warnings = tuple(
        _problem(item) for item in data.get("warnings") or () if isinstance(item, dict)
    )
    return (*sorted(files), MANIFEST), warnings


def _problem(item: dict[str, Any]) -> Problem:
    return Problem(
        Location(str(item.get("file", "")), int(item.get("line", 0)), int(item.get("col", 0))),
        str(item.get("message", "")),
        Severity(str(item.get("severity", "warning"))),
        code=str(item.get("code", "")),
        json_path=str(item.get("path", "")),
        hint=str(item.get("hint", "")),
        subject=str(item.get("id", "")),
    )


def _walk(top: Path) -> Iterator[tuple[str, list[str], list[str]]]:
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


def _existing(out_dir: Path) -> dict[str, Path]:
    """Every file and symlink under out/, by POSIX path; symlinks are not followed."""
    found: dict[str, Path] = {}
    if not out_dir.is_dir():
        return found
    for root, dirs, names in _walk(out_dir):
        base = Path(root)
        for name in sorted(names) + [d for d in dirs if (base / d).is_symlink()]:
            path = base / name
            found[path.relative_to(out_dir).as_posix()] = path
    return found


def _read(path: Path) -> bytes | None:
    if path.is_symlink() or not path.is_file():
        return None
    return path.read_bytes()


_FINGERPRINT = re.compile(rb'^  "fingerprint": "[0-9a-f]*",\n', re.MULTILINE)


def _same_manifest(old: bytes | None, new: bytes) -> bool:
    """Whether two manifests differ at most in their fingerprint. The fingerprint is the
    unchanged-rebuild check's key (it covers wfgen's own code and inputs that change no
    output, such as a comment in the catalogue), not an output: ``--check`` compares what
    was generated, so another wfgen release that writes the same files passes it."""
    return old is not None and _FINGERPRINT.sub(b"", old, count=1) == _FINGERPRINT.sub(
        b"", new, count=1
    )


def _lines(data: bytes | None) -> list[str]:
    if data is None:
        return []
    return data.decode("utf-8", errors="replace").splitlines(keepends=True)


# The manifest's lines that only repeat what the other files' diffs show (their sha256) or
# that --check does not compare (the fingerprint): left out of its diff.
_HASH_LINES = re.compile(rb'^ *"(?:sha256|fingerprint)": "[0-9a-f]*",?\n', re.MULTILINE)


def _manifest_diff(name: str, old: bytes | None, new: bytes | None) -> str:
    """The manifest's diff without its hash lines: which files and inputs changed."""
    text = _diff(
        name,
        _HASH_LINES.sub(b"", old) if old is not None else None,
        _HASH_LINES.sub(b"", new) if new is not None else None,
    )
    if text.startswith("Binary or unreadable"):  # only hashes differ
        return f"{name}: only the sha256 of files differ (their diffs are above or below)\n"
    return text


def _diff(name: str, old: bytes | None, new: bytes | None) -> str:
    before = f"a/{name}" if old is not None else "/dev/null"
    after = f"b/{name}" if new is not None else "/dev/null"
    text = "".join(difflib.unified_diff(_lines(old), _lines(new), before, after))
    if text and not text.endswith("\n"):
        text += "\n\\ No newline at end of file\n"
    return text or f"Binary or unreadable file {name} differs\n"


def _plan(
    files: Sequence[RenderedFile], out_dir: Path
) -> tuple[dict[str, RenderedFile], dict[str, Path], set[str]]:
    wanted: dict[str, RenderedFile] = {}
    for f in files:
        key = _safe_path(f.path).as_posix()
        if key in wanted:
            raise UsageError(f"two outputs would be written to {key}")
        wanted[key] = f
    return wanted, _existing(out_dir), read_manifest(out_dir)


def check_output(files: Sequence[RenderedFile], *, out_dir: Path) -> WriteResult:
    """Compare out/ with what would be generated; write nothing.

    Args:
        files: the rendered files, manifest included.
        out_dir: the output folder.

    Returns:
        The unified diff of every added, changed or removed file (empty when out/ matches).
    """
    wanted, existing, _owned = _plan(files, out_dir)
    parts: list[str] = []
    written, unchanged, added = [], [], []
    for key in sorted(wanted):
        new = wanted[key].content
        old = _read(existing[key]) if key in existing else None
        if old == new or (key == MANIFEST and _same_manifest(old, new)):
            unchanged.append(key)
            continue
        written.append(key)
        if key not in existing:
            added.append(key)
        show = _manifest_diff if key == MANIFEST else _diff
        parts.append(show(f"{out_dir.name}/{key}", old, new))
    extra = sorted(set(existing) - set(wanted))
    parts.extend(_diff(f"{out_dir.name}/{key}", _read(existing[key]) or b"", None) for key in extra)
    return WriteResult(
        written=tuple(written),
        unchanged=tuple(unchanged),
        removed=tuple(extra),
        diff="".join(parts),
        added=tuple(added),
    )


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


@dataclass(frozen=True)
class Written:
    """What the manifest records of a file once its bytes are on disk."""

    path: str
    sha256: str
    inputs: tuple[str, ...]


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
        self._existing = _existing(out_dir)
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
        key = _safe_path(file.path).as_posix()
        if key in self._keys:
            raise UsageError(f"two outputs would be written to {key}")
        self._keys.add(key)
        content = file.content
        self.entries.append(Written(key, hashlib.sha256(content).hexdigest(), file.inputs))
        old = self._existing.get(key)
        same = old is not None and _read(old) == content
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
            _swap(
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
    for root, dirs, _names in _walk(temp):
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
    for root, dirs, names in _walk(out_dir):
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


def unified_diff(old: bytes, new: bytes, *, before: str, after: str, context: int = 3) -> str:
    """A unified diff of two UTF-8 texts that ``git apply`` and ``patch`` accept.

    Lines are split at ``\\n`` only (``str.splitlines`` also splits at U+2028, a form feed
    or a lone CR, cutting one line of the file in two in the patch); a last line without a
    newline is marked ``\\ No newline at end of file``. Empty when the texts are equal.

    Raises:
        UnicodeDecodeError: when either text is not UTF-8.
    """
    a, b = _split_lines(old), _split_lines(new)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        out.append(f"@@ -{_hunk_range(first[1], last[2])} +{_hunk_range(first[3], last[4])} @@\n")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                out.extend(_diff_line(" ", line) for line in a[a1:a2])
                continue
            out.extend(_diff_line("-", line) for line in a[a1:a2])
            out.extend(_diff_line("+", line) for line in b[b1:b2])
    if not out:
        return ""
    return f"--- {before}\n+++ {after}\n" + "".join(out)


def _split_lines(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    lines = text.split("\n")
    ended = [line + "\n" for line in lines[:-1]]
    return [*ended, lines[-1]] if lines[-1] else ended


def _diff_line(mark: str, line: str) -> str:
    if line.endswith("\n"):
        return mark + line
    return f"{mark}{line}\n\\ No newline at end of file\n"


def _hunk_range(start: int, stop: int) -> str:
    """``start,length`` of a hunk as diff writes it (1-based; one line: no length)."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start if length == 0 else start + 1},{length}"


def replace_keeping(path: Path, data: bytes) -> None:
    """Replace the file at ``path`` (a symbolic link's target) by ``data`` in one step,
    keeping its mode, owner and group.

    The bytes go to a temporary file beside the target, flushed to disk, given the old
    file's mode, owner and group, then renamed over it: a reader or a kill sees the old file
    or the new one. A file with several names (hard links) is refused: a new file would
    leave the other names with the old text, and writing through the shared inode could be
    cut half-way. So is a file whose owner or group the caller cannot give back.

    Raises:
        OSError: when the file cannot be written or kept as it was; ``strerror`` says why
            and the file is unchanged.
    """
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
                os.fchmod(out.fileno(), old.st_mode & 0o7777)
                mine = os.fstat(out.fileno())
                if (mine.st_uid, mine.st_gid) != (old.st_uid, old.st_gid):
                    try:
                        os.fchown(out.fileno(), old.st_uid, old.st_gid)
                    except PermissionError:
                        raise OSError(
                            errno.EPERM,
                            f"the file belongs to uid {old.st_uid}, gid {old.st_gid}; "
                            "a rewritten file would belong to you (run as its owner)",
                        ) from None
                    # chown clears set-user-ID and set-group-ID bits: put them back.
                    os.fchmod(out.fileno(), old.st_mode & 0o7777)
            os.fsync(out.fileno())
        temp.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    with contextlib.suppress(OSError):
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


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


def _swap(temp: Path, out_dir: Path) -> None:
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
