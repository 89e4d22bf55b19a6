"""PO files written as every wfgen command writes them: Babel's layout without its slow
paths, previous msgids kept, and each file replaced in one step (``output.replace_keeping``)."""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import re
from collections.abc import Iterator
from glob import escape as glob_escape
from pathlib import Path

from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.catalog import Message as PoMessage
from babel.messages.pofile import escape, normalize, write_po
from babel.util import TextWrapper

from ..errors import InputError
from ..output import replace_keeping
from .po import WIDTH
from .posyntax import PoSyntaxError, check_po_syntax

__all__ = ["LONG_LINE", "dump_po", "write_if_changed"]


def _insert_previous(data: str, catalog: PoCatalog, heads: list[str] | None = None) -> str:
    """Write previous msgids the way GNU gettext does (``#| msgid ""`` then ``#| "..."``),
    and each entry's ``heads`` line (its comments and location, see ``_entry_heads``) first
    in its entry, before the flags."""
    ordered = [*catalog, *catalog.obsolete.values()]
    lines = data.splitlines(keepends=True)
    starts: list[int] = []
    after_context = False
    for index, line in enumerate(lines):
        body = line[3:] if line.startswith("#~ ") else line
        if body.startswith("msgctxt "):
            starts.append(index)
            after_context = True
        elif body.startswith("msgid "):
            if not after_context:
                starts.append(index)
            after_context = False
    inserts: dict[int, str] = {}
    for index, (start, message) in enumerate(zip(starts, ordered, strict=False)):
        if heads and heads[index]:
            at = start - 1 if start and lines[start - 1].startswith("#,") else start
            inserts[at] = inserts.get(at, "") + heads[index]
        if message.previous_id:
            prefix = "#~| " if lines[start].startswith("#~") else "#| "
            previous = str(message.previous_id[0])
            text = (
                _normalize_long(previous, prefix)
                if _has_long_line(previous)
                else normalize(previous, prefix=prefix, width=WIDTH)
            )
            inserts[start] = inserts.get(start, "") + f"{prefix}msgid {text}\n"
    return "".join(inserts.get(i, "") + line for i, line in enumerate(lines))


# Babel wraps a line by splitting it with a regular expression that backtracks on a long run
# without spaces: a 20,000-character translation took 19 s and 40,000 took 141 s. Lines this
# long (no real entry comes near) are wrapped here instead, at spaces only, in linear time.
LONG_LINE = 2000


def dump_po(catalog: PoCatalog) -> bytes:  # noqa: PLR0912 - the PO writer's fields in the order gettext writes them
    """Serialise a catalogue exactly as every wfgen command writes it (in linear time)."""
    from .review import normalise_review

    for message in [*catalog, *catalog.obsolete.values()]:
        # Babel guesses python-format from a "%" in the msgid; wfgen's texts are not
        # printf formats. python-brace-format is set by ``update.merge`` where it applies.
        message.flags.discard("python-format")
        normalise_review(message)
    long_texts: dict[str, tuple[str, str]] = {}
    restore: list[tuple[PoMessage, str, object]] = []
    obsolete = set(map(id, catalog.obsolete.values()))
    for message in [*catalog, *catalog.obsolete.values()]:
        for attr in ("id", "string", "context"):
            value = getattr(message, attr)
            if message.id and isinstance(value, str) and _has_long_line(value):
                token = f"wfgen-long-text-{len(long_texts)}-{os.getpid()}"
                long_texts[token] = (value, "#~ " if id(message) in obsolete else "")
                restore.append((message, attr, value))
                setattr(message, attr, token)
    heads = _entry_heads(catalog)
    if heads is not None:
        # Babel wraps every comment with TextWrapper, most of its writing time; these lines
        # are written here instead, as Babel would write them.
        for message in catalog:
            if message.id:
                restore.append((message, "auto_comments", message.auto_comments))
                message.auto_comments = []
        for message in [*catalog, *catalog.obsolete.values()]:
            if message.id:
                restore.append((message, "user_comments", message.user_comments))
                message.user_comments = []
    buffer = io.BytesIO()
    try:
        write_po(
            buffer,
            catalog,
            width=WIDTH,
            no_location=heads is not None,
            sort_output=False,
            include_previous=False,
            ignore_obsolete=False,
        )
    finally:
        for message, attr, value in restore:
            setattr(message, attr, value)
    text = buffer.getvalue().decode("utf-8")
    for token, (value, prefix) in long_texts.items():
        text = text.replace(f'"{token}"', _normalize_long(value, prefix), 1)
    text = _insert_previous(text, catalog, heads)
    # Babel stamps its own version into the header; another Babel must not change the file.
    text = _GENERATED_BY.sub(lambda _: '"Generated-By: wfgen\\n"', text, count=1)
    try:
        check_po_syntax(text)  # never write what the next read would refuse
    except PoSyntaxError as err:
        raise InputError(f"refusing to write a PO file msgfmt would not read: {err}") from err
    return text.encode("utf-8")


def _entry_heads(catalog: PoCatalog) -> list[str] | None:
    """The comment and location lines Babel writes at the head of each entry of
    ``[*catalog, *catalog.obsolete.values()]``, or None when an entry has two locations or
    one whose name Babel encloses in isolates.

    Babel writes translator comments (``#``), extracted comments (``#.``) and the location
    (``#:``) in that order, each wrapped by its comment wrapper; of an obsolete entry, only
    its translator comments.
    """
    heads: list[str] = []
    for message in catalog:
        if not message.id:  # the header: Babel writes its comment itself
            heads.append("")
            continue
        if len(message.locations) > 1:
            return None
        where: list[str] = []
        for filename, lineno in message.locations:
            location = filename.replace(os.sep, "/")
            if " " in location or "\t" in location or not isinstance(lineno, int | None):
                return None  # Babel encloses the name in isolates or formats the line itself
            where.append(f"{location}:{lineno:d}" if lineno else location)
        heads.append(
            "".join(
                [
                    *(_comment(c, "") for c in message.user_comments),
                    *(_comment(c, ".") for c in message.auto_comments),
                    *(_comment(c, ":") for c in where),
                ]
            )
        )
    heads.extend(
        "".join(_comment(c, "") for c in message.user_comments)
        for message in catalog.obsolete.values()
    )
    return heads


_COMMENT_WRAPPER = TextWrapper(width=WIDTH, break_long_words=False)  # write_po's own


_REWRAPPED = re.compile(r"[\t\n\x0b\x0c\r]")  # what the wrapper turns into spaces


def _comment(comment: str, prefix: str) -> str:
    """A comment as Babel's ``write_po`` writes it: wrapped, each line stripped.

    Most comments fit on a line and hold no tab or line break for the wrapper to replace nor
    whitespace at either end to drop: the wrapper would give them back unchanged.
    """
    if (
        0 < len(comment) <= WIDTH
        and not comment[0].isspace()
        and not comment[-1].isspace()
        and _REWRAPPED.search(comment) is None
    ):
        return f"#{prefix} {comment}\n"
    return "".join(f"#{prefix} {line.strip()}\n" for line in _COMMENT_WRAPPER.wrap(comment))


_GENERATED_BY = re.compile(r'^"Generated-By: [^"\n]*"$', re.MULTILINE)


def _has_long_line(text: str) -> bool:
    return len(text) > LONG_LINE and any(len(line) > LONG_LINE for line in text.splitlines())


def _normalize_long(text: str, prefix: str) -> str:
    """Babel's ``normalize`` (same layout) splitting at whitespace only, in linear time."""
    lines: list[str] = []
    for line in text.splitlines(True):
        if len(escape(line)) + len(prefix) <= WIDTH:
            lines.append(line)
            continue
        chunks = [chunk for chunk in re.split(r"(\s+)", line) if chunk]
        chunks.reverse()
        while chunks:
            buf: list[str] = []
            size = 2
            while chunks:
                length = len(escape(chunks[-1])) - 2 + len(prefix)
                if size + length < WIDTH:
                    buf.append(chunks.pop())
                    size += length
                else:
                    if not buf:
                        buf.append(chunks.pop())
                    break
            lines.append("".join(buf))
    if len(lines) <= 1:
        return str(escape(text))
    return '""\n' + "\n".join(prefix + escape(line) for line in lines)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` unless the file already holds it; True when written.

    A file whose lines all end in CRLF keeps CRLF; its mode, owner and group are kept, and
    a file with hard links is refused (``output.replace_keeping``).

    The bytes go to a temporary file of a unique name beside ``path``, flushed to disk, then
    renamed over it: a reader, a kill or a second writer at any instant sees the old file or
    the new one, never a mix, and two writers never share a temporary file. Writers of one
    folder take turns (a lock on the folder), so the temporary files of ``path`` found there
    were left by a writer that was killed: they are removed.

    Raises:
        InputError: when the folder cannot be written; ``path`` is then unchanged.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _folder_locked(path.parent):
            for leftover in _leftovers(path):
                leftover.unlink(missing_ok=True)
            old = path.read_bytes() if path.exists() else None
            if old is not None:
                data = _like_line_ends(old, data)
            if old == data:
                return False
            _replace(path, data)
    except OSError as err:
        raise InputError(
            f"{path}: cannot write: {err.strerror or err}; the file is unchanged"
        ) from err
    return True


def _like_line_ends(old: bytes, data: bytes) -> bytes:
    """``data`` (written with LF) with CRLF line ends when every line of ``old`` had them:
    a file kept with Windows line ends stays so, and a no-op run changes no byte."""
    lines = old.count(b"\n")
    if lines and old.count(b"\r\n") == lines and b"\r\n" not in data:
        return data.replace(b"\n", b"\r\n")
    return data


def _leftovers(path: Path) -> list[Path]:
    """Temporary files of ``path`` (``.<name>.<random>.tmp``) beside it."""
    return [p for p in path.parent.glob(f".{glob_escape(path.name)}.*.tmp") if p.is_file()]


@contextlib.contextmanager
def _folder_locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` itself (no lock file to leave behind)."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _replace(path: Path, data: bytes) -> None:
    # Mode, owner and group kept; a hard-linked file refused (``output.replace_keeping``).
    replace_keeping(path, data)
