"""PO and POT files: read and write them through Babel with stable, deterministic output."""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.catalog import Message as PoMessage
from babel.messages.pofile import escape, normalize, read_po, unescape, write_po
from babel.util import TextWrapper

from ..errors import InputError, Location, UsageError
from ..output import replace_keeping
from ..safebytes import decode_utf8, read_input
from .posyntax import PoSyntaxError, check_po_syntax

__all__ = [
    "DOMAIN",
    "FIXED_DATE",
    "HASH_PREFIX",
    "REVIEW_FLAG",
    "Translations",
    "available_locales",
    "dump_po",
    "entry_hash",
    "load_translations",
    "new_catalog",
    "parse_locale",
    "po_path",
    "pot_path",
    "read_po_file",
    "write_if_changed",
]

DOMAIN = "workflows"
WIDTH = 76
# Headers never carry the time of a run: a no-op write must change no byte.
FIXED_DATE = datetime(2024, 1, 1, tzinfo=UTC)
HASH_PREFIX = "source-hash: "
# Earlier flag of entries to review; now ``#, fuzzy`` plus a ``(review)`` comment (review.py).
REVIEW_FLAG = "review"
IMPORT_PREFIX = "imported from "


def po_path(locales_dir: Path, locale: str) -> Path:
    """Where the PO file of ``locale`` lives."""
    return locales_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def pot_path(locales_dir: Path) -> Path:
    """Where the template lives."""
    return locales_dir / f"{DOMAIN}.pot"


def parse_locale(code: str) -> Locale:
    """Validate a locale code against CLDR (``sv``, ``de_CH``, ``pt-BR``).

    Raises:
        UsageError: when CLDR does not know the code.
    """
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as err:
        raise UsageError(
            f"unknown locale {code!r}",
            hint="use a CLDR locale code such as sv, de, it or pt_BR",
        ) from err


def new_catalog(locale: str | None) -> PoCatalog:
    """An empty PO catalogue (POT when ``locale`` is None) with stable headers."""
    if locale is None:
        comment = "# Template of the translatable texts of the wfgen workflow catalogue.\n#"
        team = "none"
    else:
        name = parse_locale(locale).english_name or locale
        comment = f"# {name} texts of the wfgen workflow catalogue.\n#"
        team = f"{name} translators"
    return PoCatalog(
        locale=locale,
        domain=DOMAIN,
        header_comment=comment,
        project="wfgen",
        version="1",
        copyright_holder="wfgen",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        last_translator="wfgen translators",
        language_team=team,
        fuzzy=False,
    )


def read_po_file(path: Path, locale: str | None = None) -> PoCatalog:
    """Read a PO or POT file.

    Raises:
        InputError: when it cannot be read or parsed.
    """
    try:
        data = read_input(path)
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    text = decode_utf8(data, path=path, what="PO file", keep_bom=True)
    try:
        check_po_syntax(text)
    except PoSyntaxError as err:
        raise InputError(
            err.message,
            location=Location.of(path, err.line, err.col),
            hint="fix the PO file there; nothing was read from it or written to it",
        ) from err
    try:
        catalog = _parse(text, locale)
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    except Exception as err:  # Babel raises PoFileError and assorted ValueErrors
        line = getattr(err, "lineno", 0) or 0
        raise InputError(
            f"cannot parse PO file: {err}",
            location=Location.of(path, line),
            hint="fix the syntax (msgfmt --check shows it too)",
        ) from err
    return catalog


def _parse(text: str, locale: str | None) -> PoCatalog:
    """The catalogue Babel's ``read_po`` makes of ``text`` (a file check_po_syntax passed),
    with each entry's previous msgid, translator comments and format flags as written.

    One pass over the lines does what took four (wfgen's scan for previous msgids and
    comments, Babel's parser, the scan for format flags, the fix-ups): each line goes
    through the same tests, in the same order, as in those, so the catalogue is the same.
    Anything the pass does not know (plural forms, merge conflicts, isolates in a location,
    a keyword Babel refuses) is left to the passes themselves, which give the same
    catalogue, or the same error, as before.
    """
    try:
        return _one_pass(text, locale)
    except _Unusual:
        return _four_passes(text, locale)


class _Unusual(Exception):
    """A line the one-pass reader leaves to Babel's parser."""


_KEYWORDS = frozenset(("msgid", "msgctxt", "msgstr"))
_FORMATS = frozenset(("python-format", "python-brace-format"))


def _one_pass(text: str, locale: str | None) -> PoCatalog:
    catalog = PoCatalog(locale=locale, domain=DOMAIN)
    # wfgen's own reading: previous msgids (#|) and translator comments by msgid line.
    previous: dict[int, str] = {}
    comments: dict[int, list[str]] = {}
    written: dict[int, set[str]] = {}
    pending: list[str] = []
    said: list[str] = []
    flagged: set[str] | None = None
    # Babel's parser state (PoFileParser), one entry at a time.
    msgids: list[list[str]] = []
    strings: list[list[str]] = []
    context: list[str] | None = None
    locations: list[Any] = []  # (file, line or None), as Babel keeps them
    flags: list[str] = []
    autos: list[str] = []
    users: list[str] = []
    obsolete = in_msgid = in_msgstr = in_msgctxt = False
    offset = 0
    counter = 0

    def add() -> None:
        nonlocal context, locations, flags, autos, users, obsolete, counter
        nonlocal in_msgid, in_msgstr, in_msgctxt
        msgid = "".join(map(unescape, msgids[0])) if msgids[0] else ""
        body = strings[0]
        string = "".join(map(unescape, body)) if body else ""
        msgctxt = "".join(map(unescape, context)) if context else None
        message = PoMessage(
            msgid, string, locations, flags, autos, users, lineno=offset + 1, context=msgctxt
        )
        if obsolete:
            catalog.obsolete[catalog._key_for(msgid, msgctxt)] = message
        else:
            catalog[msgid] = message
        counter += 1
        msgids.clear()
        strings.clear()
        context, locations, flags, autos, users = None, [], [], [], []
        obsolete = in_msgid = in_msgstr = in_msgctxt = False

    def finish() -> None:
        if msgids:
            if not strings:
                raise _Unusual  # Babel's error: missing msgstr
            add()

    for number, raw in enumerate(text.splitlines()):
        line = raw.strip()
        if raw[:1] == '"':  # most lines: a string continued; none of the scans applies
            if in_msgid:
                msgids[-1].append(line)
            elif in_msgstr:
                strings[-1].append(line)
            elif in_msgctxt:
                assert context is not None
                context.append(line)
            else:
                raise _Unusual
            continue
        # wfgen's scan (_split_previous): previous msgids, comments; format flags.
        if not raw.startswith(_PLAIN_LINE):
            if line == "#" or line.startswith("# "):
                said.append(line[1:].strip())
            if line.startswith(("#|", "#~|")):
                pending.append(line.split("|", 1)[1].strip())
                continue  # blanked: Babel never sees it
            body = line[2:].lstrip() if line.startswith("#~") else line
            if body.startswith("msgid "):
                if pending:
                    previous[number + 1] = _join_previous(pending)
                if said:
                    comments[number + 1] = said
                pending, said = [], []
        if raw.startswith(("#,", "#~,")) and "python-" in raw:
            mentioned = {f.strip() for f in raw.split(",", 1)[1].split(",")} & _FORMATS
            flagged = mentioned if flagged is None else flagged | mentioned
        elif flagged is not None and raw.startswith(("msgid ", "#~ msgid ")):
            written[number + 1] = written.get(number + 1, set()) | flagged
            flagged = None
        # Babel's parser (PoFileParser.parse), on the stripped line.
        if not line:
            continue
        entry_obsolete = False
        if line[0] == "#":
            second = line[1:2]
            if second == "-":
                raise _Unusual
            if second != "~":
                finish()
                prefix = line[:2]
                if prefix == "#:":
                    if "\u2068" in line or "\u2069" in line:
                        raise _Unusual
                    for location in line[2:].lstrip().split():
                        a, colon, b = location.rpartition(":")
                        if colon:
                            try:
                                locations.append((a, int(b)))
                            except ValueError:
                                continue
                        else:
                            locations.append((location, None))
                elif prefix == "#,":
                    flags.extend(flag.strip() for flag in line[2:].lstrip().split(","))
                elif prefix == "#.":
                    comment = line[2:].strip()
                    if comment:
                        autos.append(comment)
                else:
                    users.append(line[1:].strip())
                continue
            line = line[2:].lstrip()
            entry_obsolete = True
            if not line:
                continue
        if line[0] == '"':
            if in_msgid:
                msgids[-1].append(line)
            elif in_msgstr:
                strings[-1].append(line)
            elif in_msgctxt:
                assert context is not None
                context.append(line)
            else:
                raise _Unusual
            continue
        keyword, _, arg = line.partition(" ")
        if keyword not in _KEYWORDS:
            raise _Unusual  # msgid_plural, msgstr[n], or a keyword Babel refuses
        if keyword != "msgstr":
            finish()
        obsolete = entry_obsolete
        if keyword == "msgid":
            offset = number
            in_msgctxt, in_msgid = False, True
            msgids.append([arg.strip()])
        elif keyword == "msgctxt":
            in_msgctxt = True
            context = [arg.strip()]
        else:
            if strings:
                raise _Unusual  # a second msgstr: Babel keeps the first
            in_msgid, in_msgstr = False, True
            strings.append([arg.strip()] if arg != '""' else [])
    finish()
    if not counter and (flags or users or autos):
        msgids.append([])
        strings.append([])
        add()
    _fix_up(catalog, previous, comments, written)
    return catalog


def _fix_up(
    catalog: PoCatalog,
    previous: Mapping[int, str],
    comments: Mapping[int, list[str]],
    written: Mapping[int, set[str]],
) -> None:
    for message in [*catalog, *catalog.obsolete.values()]:
        # Babel guesses format flags from the msgid; the file's own flags are the truth.
        message.flags -= {"python-format", "python-brace-format"} - written.get(
            message.lineno, set()
        )
        if message.lineno in previous:
            message.previous_id = [previous[message.lineno]]
        if message.id and message.lineno in comments:
            # Babel drops repeated comment lines; wrapped long comments can repeat a line.
            message.user_comments = comments[message.lineno]


def _four_passes(text: str, locale: str | None) -> PoCatalog:
    """The reading :func:`_one_pass` stands for: wfgen's scans around Babel's parser."""
    lines, previous, comments = _split_previous(text.splitlines(keepends=True))
    catalog = read_po(lines, locale=locale, domain=DOMAIN, abort_invalid=True)
    _fix_up(catalog, previous, comments, _written_format_flags(text))
    return catalog


# Lines that are neither a comment, a previous msgid nor a msgid: strings, flags, locations,
# extracted comments and msgstr.
_PLAIN_LINE = ('"', "#.", "#:", "#,", "msgstr")


def _split_previous(lines: list[str]) -> tuple[list[str], dict[int, str], dict[int, list[str]]]:
    """Take ``#| msgid`` lines out of the text; map each msgid's 1-based line to its previous id
    and to its translator comments, exactly as written.

    Babel reads previous msgids as translator comments and writes multi-line ones in a form
    it cannot read back, so wfgen reads and writes them itself. Lines are blanked, not
    removed, so Babel's line numbers stay true.
    """
    out: list[str] = []
    previous: dict[int, str] = {}
    pending: list[str] = []
    comments: dict[int, list[str]] = {}
    said: list[str] = []
    for number, line in enumerate(lines, start=1):
        if line.startswith(_PLAIN_LINE):  # most lines: none of the tests below applies
            out.append(line)
            continue
        stripped = line.strip()
        if stripped == "#" or stripped.startswith("# "):
            said.append(stripped[1:].strip())
        if stripped.startswith(("#|", "#~|")):
            pending.append(stripped.split("|", 1)[1].strip())
            out.append("\n")
            continue
        body = stripped[2:].lstrip() if stripped.startswith("#~") else stripped
        if body.startswith("msgid "):
            if pending:
                previous[number] = _join_previous(pending)
            if said:
                comments[number] = said
            pending, said = [], []
        out.append(line)
    return out, previous, comments


_FORMAT_FLAGS = re.compile(r"^#~?,[^\n]*python-[^\n]*$", re.MULTILINE)
_MSGID = re.compile(r"^(?:#~ )?msgid ", re.MULTILINE)


def _written_format_flags(text: str) -> dict[int, set[str]]:
    """The format flags each entry's ``#,`` line states, by the 1-based line of its msgid.

    Only the few flag lines naming a format are looked at, so this costs little.
    """
    out: dict[int, set[str]] = {}
    line, counted = 1, 0
    for match in _FORMAT_FLAGS.finditer(text):
        msgid = _MSGID.search(text, match.end())
        if msgid is None:
            continue
        flags = {f.strip() for f in match.group(0).split(",", 1)[1].split(",")}
        line += text.count("\n", counted, msgid.start())
        counted = msgid.start()
        out[line] = out.get(line, set()) | (flags & {"python-format", "python-brace-format"})
    return out


def _join_previous(parts: list[str]) -> str:
    text = ""
    for raw in parts:
        if raw.startswith("msgid_plural"):
            break
        part = raw[len("msgid ") :].strip() if raw.startswith("msgid ") else raw
        if part.startswith('"'):
            text += unescape(part)
    return text


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


def dump_po(catalog: PoCatalog) -> bytes:
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


def entry_hash(message: PoMessage) -> str | None:
    """The source hash recorded with an entry, if any."""
    for comment in message.auto_comments:
        if comment.startswith(HASH_PREFIX):
            return str(comment[len(HASH_PREFIX) :]).strip()
    return None


def available_locales(locales_dir: Path) -> list[str]:
    """Locales that have a PO file under ``locales_dir``, sorted."""
    if not locales_dir.is_dir():
        return []
    # exists(), not is_file(): a FIFO or a device in a PO file's place is refused when read,
    # not skipped without a word.
    return sorted(p.name for p in locales_dir.iterdir() if po_path(locales_dir, p.name).exists())


@dataclass(frozen=True)
class Translations:
    """The usable translations of one locale, by context: translated and not fuzzy, or
    fuzzy only to await review (``review.usable_under_review``).

    ``stale`` lists contexts translated from an English text the catalogue no longer has
    (the PO file predates ``wfgen l10n update``); they are not usable either.
    """

    locale: str
    entries: Mapping[str, str]
    stale: tuple[str, ...] = ()

    def get(self, msgctxt: str) -> str | None:
        """The translation for ``msgctxt``, or None when untranslated or fuzzy."""
        return self.entries.get(msgctxt)

    def __len__(self) -> int:
        return len(self.entries)

    def contexts(self) -> Iterable[str]:
        """Contexts that have a usable translation, sorted."""
        return sorted(self.entries)


def load_translations(
    locales_dir: Path,
    locale: str,
    *,
    english: Mapping[str, str] | None = None,
    po: PoCatalog | None = None,
) -> Translations:
    """Load the usable translations of ``locale`` (empty when it has no PO file).

    Args:
        locales_dir: folder of the PO files.
        locale: the locale to load.
        english: the catalogue's current English text by context; a translation whose
            msgid differs was made for another text and is reported as stale, not used.
        po: the PO file of ``locale`` as the caller already read it (read_po_file), so that
            one build reads each file once.

    Raises:
        InputError: when the PO file exists but cannot be parsed.
    """
    if po is not None:
        catalog = po
    else:
        path = po_path(locales_dir, locale)
        if not path.exists():
            return Translations(locale, {})
        catalog = read_po_file(path, locale)
    entries: dict[str, str] = {}
    stale: list[str] = []
    from .review import usable_under_review

    for m in catalog:
        if not (m.id and m.context and isinstance(m.string, str) and m.string):
            continue
        if m.fuzzy and not usable_under_review(m):
            continue
        context = str(m.context)
        if english is not None and context in english and english[context] != m.id:
            stale.append(context)
            continue
        entries[context] = str(m.string)
    return Translations(locale, entries, tuple(sorted(stale)))
