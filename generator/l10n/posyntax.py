"""The PO grammar as GNU msgfmt reads it, checked before Babel sees a file.

Babel reads much that msgfmt refuses (an unterminated string, a second msgstr, a msgctxt
with no msgid, an unknown escape, text after a string) and quietly keeps a damaged value,
which ``l10n update`` would then write back. This checker follows gettext's ``po-lex.c``
and ``po-gram-gen.y`` for the parts a catalogue's PO file uses and stops at the first
fault with its line and column, so a file is read only when msgfmt would read it the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..safebytes import first_control
from .plural import plural_forms_problem

__all__ = ["PoSyntaxError", "check_po_syntax"]

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[\s\"]|$)")
# C escapes msgfmt accepts inside a string.
_ESCAPE = re.compile(r"\\(?:[\\\"'?abfnrtv]|[0-7]{1,3}|x[0-9A-Fa-f]+)")
# Text msgfmt would accept but that wfgen's pages must never show: controls other than tab,
# newline and carriage return, and the bidirectional overrides and isolates that reorder
# what a reader sees.
_HIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


class PoSyntaxError(Exception):
    """The first fault of a PO file: 1-based line and column, and what is wrong."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(f"{line}:{col}: {message}")
        self.line = line
        self.col = col
        self.message = message


@dataclass
class _Entry:
    line: int
    obsolete: bool
    state: str = "start"  # start, msgctxt, msgid, msgid_plural, msgstr
    context: str | None = None
    msgid: str = ""
    plural: bool = False
    last: str = ""  # the keyword the next continuation string belongs to
    forms: int = 0
    msgstr: str = ""  # kept for the header entry only


def _unescape(body: str, line: int, col: int) -> str:
    """The value of a string's ``body``, which starts at 1-based column ``col`` of ``line``.

    An escape naming no Unicode character (a hex escape past U+10FFFF, or a surrogate) is a
    fault at its column: such a value could not be written back as UTF-8.
    """

    def one(found: re.Match[str]) -> str:
        code = found.group()[1:]
        simple = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
        if code in simple:
            return simple[code]
        if code[0] == "x":
            point = int(code[1:], 16)
            if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:
                raise PoSyntaxError(
                    line, col + found.start(), f"escape \\{code} names no Unicode character"
                )
            return chr(point)
        if code[0].isdigit():
            return chr(int(code, 8))
        return code

    return _ESCAPE.sub(one, body)


_STRING_BODY = r'((?:[^"\\]++|\\(?:[\\"\'?abfnrtv]|[0-7]{1,3}|x[0-9A-Fa-f]+))*+)'
_STRING = re.compile(f'"{_STRING_BODY}"')
# A whole line of the usual form: `msgctxt|msgid|msgstr "..."` or a continuation `"..."`.
_SIMPLE_LINE = re.compile(f'(?:(msgctxt|msgid|msgstr) )?"{_STRING_BODY}"\\Z')
# Characters Python's splitlines() (and so Babel) takes for a line break, msgfmt does not.
_ODD_BREAK = re.compile(r"[\x85\u2028\u2029]|\r(?!\n)")
_ODD_CHARS = ("\r", "\x85", "\u2028", "\u2029")
_BIDI_CHARS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _string(text: str, start: int, line: int) -> tuple[str, int]:
    """The value of the C string starting at ``text[start]`` (a quote) and where it ends."""
    found = _STRING.match(text, start)
    if found is not None:
        body = found.group(1)
        return (_unescape(body, line, start + 2) if "\\" in body else body), found.end()
    index = start + 1  # a fault: walk the string to name it
    while index < len(text):
        ch = text[index]
        if ch == '"':
            return _unescape(text[start + 1 : index], line, start + 2), index + 1
        if ch == "\\":
            found = _ESCAPE.match(text, index)
            if found is None:
                raise PoSyntaxError(line, index + 1, "invalid escape sequence in a string")
            index = found.end()
            continue
        index += 1
    raise PoSyntaxError(line, len(text) + 1, "end of line within a string (no closing quote)")


def _after_string(text: str, end: int, line: int) -> None:
    rest = text[end:]
    if rest.strip():
        col = end + len(rest) - len(rest.lstrip()) + 1
        raise PoSyntaxError(line, col, "text after the closing quote")


def check_po_syntax(text: str) -> None:
    """Check ``text`` (a whole PO file, decoded) against the grammar msgfmt accepts.

    Also refused, though msgfmt takes them: a byte-order mark, control characters (tab, newline and
    carriage return excepted; raw or escaped), bidirectional override and isolate characters, and a
    plural entry (the catalogue has none).

    Raises:
        PoSyntaxError: at the first fault.
    """
    if text.startswith("\ufeff"):
        raise PoSyntaxError(1, 1, "the file starts with a byte-order mark, which msgfmt refuses")
    control = first_control(text)
    if control is not None:
        line, col, name = control
        raise PoSyntaxError(line, col, f"{name} in the file")
    # str's own search for each character first: the regular expression scans slowly.
    odd = _ODD_BREAK.search(text) if any(ch in text for ch in _ODD_CHARS) else None
    if odd is not None:
        before = text[: odd.start()]
        line, col = before.count("\n") + 1, odd.start() - before.rfind("\n")
        raise PoSyntaxError(
            line, col, f"U+{ord(odd.group()):04X}, which some readers take for a line break"
        )
    # Raw controls are refused above, so a string without escapes can hold a hidden
    # character only when the file has a bidirectional one somewhere.
    bidi = any(ch in text for ch in _BIDI_CHARS)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    seen: dict[tuple[bool, str | None, str], int] = {}
    entry: _Entry | None = None

    def finish(current: _Entry | None, line: int) -> None:
        if current is None:
            return
        if current.state in ("msgctxt", "msgid", "msgid_plural"):
            what = {"msgctxt": "msgid", "msgid": "msgstr", "msgid_plural": "msgstr[0]"}
            raise PoSyntaxError(
                line, 1, f"the entry started at line {current.line} has no {what[current.state]}"
            )
        key = (current.obsolete, current.context, current.msgid)
        if not current.obsolete and key in seen:
            first = seen[key]
            raise PoSyntaxError(
                current.line,
                1,
                f"duplicate message: the same msgctxt and msgid as the entry at line {first}",
            )
        seen.setdefault(key, current.line)
        if key == (False, None, ""):
            _check_header(current.msgstr, text)

    for number, line_text in enumerate(lines, start=1):
        raw = line_text.removesuffix("\r")
        # Fast paths for the lines a written file is made of (no indent, one space after the
        # keyword, nothing after the string): each does exactly what the general path below
        # does for such a line, without its slicing and searching.
        head = raw[:1]
        if head == "#":
            if raw[1:2] != "~" or raw[2:3] == "|":
                if entry is not None:
                    if entry.state != "msgstr":
                        raise PoSyntaxError(
                            number, 1, "a comment inside an entry, before its msgstr"
                        )
                    entry.last = ""
                continue
        elif head in {"m", '"'}:
            simple = _SIMPLE_LINE.match(raw)
            if simple is not None:
                keyword, body = simple.group(1, 2)
                escaped = "\\" in body
                value = _unescape(body, number, simple.start(2) + 1) if escaped else body
                hidden = escaped or bidi
                if not keyword:
                    if entry is None or not entry.last:
                        raise PoSyntaxError(number, 1, "a string with no keyword before it")
                    if entry.obsolete:
                        raise PoSyntaxError(number, 1, "inconsistent use of #~ within one entry")
                    _record(entry, entry.last, value, number, 0, hidden=hidden)
                    continue
                if keyword != "msgstr" and (entry is None or entry.state == "msgstr"):
                    finish(entry, number)
                    entry = _Entry(number, False)
                if entry is None:
                    raise PoSyntaxError(number, 1, f"{keyword} outside an entry")
                if entry.obsolete:
                    raise PoSyntaxError(number, 1, "inconsistent use of #~ within one entry")
                _advance(entry, keyword, None, number, 0)
                _record(entry, keyword, value, number, 0, hidden=hidden)
                continue
        elif not raw:
            continue
        stripped = raw.lstrip()
        indent = len(raw) - len(stripped)
        obsolete = False
        if stripped.startswith("#~") and not stripped.startswith("#~|"):
            obsolete = True
            body = stripped[2:]
            indent += 2 + len(body) - len(body.lstrip())
            stripped = body.lstrip()
        elif not stripped:
            continue
        elif stripped.startswith("#"):
            # A comment may only stand between entries.
            if entry is not None and entry.state != "msgstr":
                raise PoSyntaxError(
                    number, indent + 1, "a comment inside an entry, before its msgstr"
                )
            if entry is not None:
                entry.last = ""  # a comment ends the entry: no string may continue it (msgfmt)
            continue
        if stripped.startswith('"'):
            if entry is None or not entry.last:
                raise PoSyntaxError(number, indent + 1, "a string with no keyword before it")
            if entry.obsolete != obsolete:
                raise PoSyntaxError(number, 1, "inconsistent use of #~ within one entry")
            value, end = _string(raw, indent, number)
            _after_string(raw, end, number)
            _record(entry, entry.last, value, number, indent)
            continue
        found = _KEYWORD.match(stripped)
        if found is None:
            word = stripped.split(maxsplit=1)[0] if stripped else ""
            raise PoSyntaxError(number, indent + 1, f"unknown keyword {word!r}")
        keyword = found.group(1)
        rest_at = indent + found.end()
        quote = len(raw[rest_at:]) - len(raw[rest_at:].lstrip()) + rest_at
        if quote >= len(raw) or raw[quote] != '"':
            raise PoSyntaxError(number, quote + 1, f"{keyword} must be followed by a string")
        value, end = _string(raw, quote, number)
        _after_string(raw, end, number)
        kind = "msgstr" if keyword.startswith("msgstr") else keyword
        if kind in ("msgctxt", "msgid") and (entry is None or entry.state == "msgstr"):
            finish(entry, number)
            entry = _Entry(number, obsolete)
        if entry is None:
            raise PoSyntaxError(number, indent + 1, f"{keyword} outside an entry")
        if entry.obsolete != obsolete:
            raise PoSyntaxError(number, 1, "inconsistent use of #~ within one entry")
        _advance(entry, keyword, found.group(2), number, indent)
        _record(entry, kind, value, number, indent)
    finish(entry, len(lines) + 1)


def _check_header(header: str, text: str) -> None:
    """Refuse plural forms msgfmt --check would refuse (see ``plural``), at their line."""
    problem = plural_forms_problem(header)
    if problem is None:
        return
    at = text.find("Plural-Forms:")
    if at < 0:
        at = text.find("plural=")
    line = text.count("\n", 0, at) + 1 if at >= 0 else 1
    col = at - text.rfind("\n", 0, at) if at >= 0 else 1
    raise PoSyntaxError(line, col, f"Plural-Forms: {problem} (msgfmt --check refuses it)")


_NEXT = {
    "start": ("msgctxt", "msgid"),
    "msgctxt": ("msgid",),
    "msgid": ("msgid_plural", "msgstr"),
    "msgid_plural": ("msgstr",),
    "msgstr": (),
}


def _advance(entry: _Entry, keyword: str, index: str | None, line: int, col: int) -> None:
    kind = "msgstr" if keyword.startswith("msgstr") else keyword
    if kind == "msgstr" and entry.state == "msgstr":
        if not entry.plural or index is None:
            raise PoSyntaxError(line, col + 1, "a second msgstr in one entry")
    elif kind not in _NEXT[entry.state]:
        before = "msgid" if kind in ("msgstr", "msgid_plural") else "msgstr"
        raise PoSyntaxError(line, col + 1, f"{keyword} where {before} was expected")
    if kind == "msgid_plural":
        raise PoSyntaxError(
            line, col + 1, "a plural entry (msgid_plural): catalogue texts have no plural forms"
        )
    if kind == "msgstr":
        if entry.plural != (index is not None):
            raise PoSyntaxError(line, col + 1, f"{keyword} does not match the entry's msgid")
        entry.forms += 1
    entry.state = kind
    entry.last = kind


def _record(
    entry: _Entry, kind: str, value: str, line: int, col: int, *, hidden: bool = True
) -> None:
    """Add a string to ``entry``; ``hidden=False`` when it cannot hold a hidden character."""
    hidden_char = _HIDDEN.search(value) if hidden else None
    if hidden_char is not None:
        name = f"U+{ord(hidden_char.group()):04X}"
        what = (
            "a bidirectional control character"
            if hidden_char.group() >= "\u2000"
            else "a control character"
        )
        raise PoSyntaxError(line, col + 1, f"{kind} holds {what} ({name})")
    if kind == "msgstr" and not entry.msgid and entry.context is None and not entry.obsolete:
        entry.msgstr += value
    if kind == "msgctxt":
        entry.context = (entry.context or "") + value
    elif kind == "msgid":
        entry.msgid += value
