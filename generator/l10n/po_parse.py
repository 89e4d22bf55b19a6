"""A PO file's text read as Babel's ``read_po`` reads it, in one pass (with wfgen's previous
msgids, translator comments and written format flags), or through Babel's own parser for the
unusual lines; the grammar was checked before (``posyntax``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.catalog import Message as PoMessage
from babel.messages.pofile import read_po, unescape

__all__ = ["DOMAIN", "parse_po"]

DOMAIN = "workflows"


def parse_po(text: str, locale: str | None) -> PoCatalog:
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


def _one_pass(text: str, locale: str | None) -> PoCatalog:  # noqa: PLR0912, PLR0915 - one pass over the lines of gettext's grammar: a state machine reads best whole, and is timed
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
