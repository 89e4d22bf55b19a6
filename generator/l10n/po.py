"""PO and POT files: read and write them through Babel with stable, deterministic output."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.catalog import Message as PoMessage

from ..errors import InputError, Location, UsageError
from ..safebytes import decode_utf8, read_input
from .po_parse import DOMAIN, parse_po
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
        catalog = parse_po(text, locale)
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
