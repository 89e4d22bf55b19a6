"""What an input file may be and hold, checked before any parser sees it.

Inputs are read only from regular files: a FIFO, a device or a socket (or a symbolic link to
one) named like an input is refused without blocking on it, and so is a file over
:data:`MAX_INPUT_BYTES`. A parser may stop at NUL without a word (the fast YAML path does), so
a file with NUL or another C0 control (tab, newline and carriage return excepted) or DEL is
refused, located; so are bidirectional override controls where text reaches a page or a
scheduler file.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError, Location

__all__ = [
    "MAX_FOLDER_DEPTH",
    "MAX_INPUT_BYTES",
    "decode_utf8",
    "files_below",
    "first_bidi",
    "first_control",
    "position_of_byte",
    "read_input",
    "systemd_program_problem",
]

# Far above any real catalogue (10,000 workflows are about 5 MB), far below what hurts.
MAX_INPUT_BYTES = 64 * 1024 * 1024

_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def read_input(path: Path, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of ``path``, read only when it is a regular file of at most ``limit`` bytes.

    The file is opened with ``O_NONBLOCK`` (opening a FIFO never waits for a writer) and
    checked with ``fstat`` on the open descriptor, so a symbolic link to a FIFO or to
    ``/dev/urandom`` is refused too, and nothing can be swapped in between check and read.

    Raises:
        OSError: when the file cannot be opened, is not a regular file, or is too large;
            ``strerror`` says which, in words.
    """
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
            raise OSError(
                errno.EINVAL, f"{kind}, not a regular file; refusing to read it", str(path)
            )
        if info.st_size > limit:
            raise OSError(
                errno.EFBIG,
                f"{info.st_size:,} bytes, over the {limit:,}-byte limit for an input",
                str(path),
            )
        os.set_blocking(handle, True)
        chunks = []
        total = 0
        while chunk := os.read(handle, 1 << 20):
            total += len(chunk)
            if total > limit:  # the file grew while being read
                raise OSError(errno.EFBIG, f"over the {limit:,}-byte limit for an input", str(path))
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


MAX_FOLDER_DEPTH = 64
"""Folders nested deeper below a walked folder are refused: a real tree nests a handful."""


def files_below(
    folder: Path, *, strict: bool = True, skip_hidden_folders: bool = False
) -> Iterator[Path]:
    """Every name under ``folder`` that is not a folder, at any depth up to
    :data:`MAX_FOLDER_DEPTH`; symbolic links to folders are not entered.

    Names come sorted, a folder's files before its subfolders' (depth first), so callers
    get a stable order. The walk keeps its own stack: ``os.walk`` recurses in Python 3.11
    and a tree of 1,500 nested folders raised ``RecursionError``. Unlike ``Path.rglob``, a
    subfolder that cannot be listed is an error when ``strict``: skipping it would build a
    catalogue without its workflows and delete their outputs.

    Args:
        folder: the folder to walk.
        strict: whether a folder that cannot be listed is an error (else it is skipped).
        skip_hidden_folders: whether to leave out folders whose name starts with a dot.

    Raises:
        InputError: when ``strict`` and a folder cannot be listed, naming it; when folders
            nest deeper than :data:`MAX_FOLDER_DEPTH`, naming the first too deep.
    """
    stack: list[tuple[str, int]] = [(os.fspath(folder), 0)]
    while stack:
        top, depth = stack.pop()
        if depth > MAX_FOLDER_DEPTH:
            raise InputError(
                f"folders are nested more than {MAX_FOLDER_DEPTH} deep below {folder}",
                location=Location.of(top),
                hint="a loop of bind mounts, or a generated tree? point wfgen at a shallower folder",
            )
        try:
            with os.scandir(top) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except OSError as err:
            if strict:
                raise InputError(
                    f"{err.filename or top}: cannot list this folder ({err.strerror or err})",
                    hint="make it readable, or move it out of the catalogue",
                ) from err
            continue
        subfolders: list[str] = []
        for entry in listed:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if not is_folder:
                yield Path(entry.path)
            elif not entry.is_symlink() and not (skip_hidden_folders and entry.name[:1] == "."):
                subfolders.append(entry.path)
        stack.extend((path, depth + 1) for path in reversed(subfolders))


def position_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of byte ``offset`` in ``data``; the column counts the
    characters before it on its line (an undecodable byte counts as one), as an editor does."""
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", errors="replace")) + 1


def decode_utf8(
    data: bytes, *, path: Path | str, what: str = "file", keep_bom: bool = False
) -> str:
    """``data`` as text; a leading UTF-8 byte-order mark is dropped unless ``keep_bom``.

    Raises:
        InputError: at the line and column (in characters) of the first byte that is not
            UTF-8, naming the byte: ``page.md:14:28: page is not UTF-8 text (byte 0xb6)``.
    """
    try:
        return data.decode("utf-8" if keep_bom else "utf-8-sig")
    except UnicodeDecodeError as err:
        where = Location.of(path, *position_of_byte(data, err.start))
        raise InputError(
            f"{what} is not UTF-8 text (byte 0x{data[err.start]:02x})",
            location=where,
            hint=f"save the {what} as UTF-8",
        ) from err


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def first_control(text: str) -> tuple[int, int, str] | None:
    """The 1-based line and column of the first forbidden control character, and its name."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    before = text[: found.start()]
    line = before.count("\n") + 1
    col = found.start() - (before.rfind("\n") + 1) + 1
    char = found.group()
    name = "NUL" if char == "\x00" else "DEL" if char == "\x7f" else f"U+{ord(char):04X}"
    return line, col, f"control character {name}"


_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def first_bidi(text: str) -> tuple[int, int, str] | None:
    """The 1-based line and column of the first bidirectional override or isolate control
    (U+202A-U+202E, U+2066-U+2069), which reorder how text is shown, and its name."""
    found = _BIDI.search(text)
    if found is None:
        return None
    before = text[: found.start()]
    line = before.count("\n") + 1
    col = found.start() - (before.rfind("\n") + 1) + 1
    return line, col, f"bidirectional control U+{ord(found.group()):04X}"


def systemd_program_problem(program: str) -> str | None:
    """Why systemd cannot run ``program`` as ``ExecStart=``'s first word, or None.

    systemd reads a leading ``+ - @ : ! |`` as a prefix even inside quotes or as ``\\x2b``
    (``+`` runs the job with full privileges, ignoring ``User=``), searches its own path for
    a bare name, and refuses quotes and backslashes in the executable's name; an absolute
    path without them is read exactly as written.
    """
    if not program.startswith("/"):
        return "is not an absolute path, as systemd's ExecStart= needs"
    if any(ch in program for ch in "\"'\\") or _CONTROL.search(program):
        return "holds a quote, a backslash or a control character, which systemd refuses"
    if program.endswith("/"):
        return "names a folder"
    return None
