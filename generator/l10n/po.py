"""PO and POT files: read and write them through Babel with stable, deterministic output."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.catalog import Message as PoMessage
from babel.messages.pofile import read_po, unescape

from ..errors import InputError, Location, UsageError
from ..safebytes import decode_utf8, read_input
from .posyntax import PoSyntaxError, check_po_syntax

__all__ = [
    "DOMAIN",
    "FIXED_DATE",
    "HASH_PREFIX",
    "REVIEW_FLAG",
    "Translations",
    "available_locales",
    "entry_hash",
    "load_translations",
    "new_catalog",
    "parse_locale",
    "po_path",
    "pot_path",
    "read_po_file",
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
    lines, previous, comments = _split_previous(text.splitlines(keepends=True))
    try:
        catalog = read_po(lines, locale=locale, domain=DOMAIN, abort_invalid=True)
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    except Exception as err:  # Babel raises PoFileError and assorted ValueErrors
        line = getattr(err, "lineno", 0) or 0
        raise InputError(
            f"cannot parse PO file: {err}",
            location=Location.of(path, line),
            hint="fix the syntax (msgfmt --check shows it too)",
        ) from err
    written = _written_format_flags(text)
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
    locales_dir: Path, locale: str, *, english: Mapping[str, str] | None = None
) -> Translations:
    """Load the usable translations of ``locale`` (empty when it has no PO file).

    Args:
        locales_dir: folder of the PO files.
        locale: the locale to load.
        english: the catalogue's current English text by context; a translation whose
            msgid differs was made for another text and is reported as stale, not used.

    Raises:
        InputError: when the PO file exists but cannot be parsed.
    """
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
