"""Keep PO files in step with the catalogue: the entries of the template and of each locale,
merged with what a PO file has (the use cases that write them are ``commands.l10n``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.catalog import Message as PoMessage

from ..load.catalog import Catalog, load_catalog
from .messages import Message, messages, source_hash
from .po import (
    HASH_PREFIX,
    entry_hash,
    new_catalog,
)

__all__ = [
    "L10nSettings",
    "WriteResult",
    "load_messages",
    "load_sources",
    "merge",
]


@dataclass(frozen=True)
class L10nSettings:
    """Where the catalogue and the locale files are."""

    catalog_dir: Path = Path("catalog")
    locales_dir: Path = Path("locales")


@dataclass(frozen=True)
class WriteResult:
    """One file a command considered, and whether it changed."""

    path: Path
    changed: bool
    entries: int


def load_messages(catalog_dir: Path) -> list[Message]:
    """Load the catalogue under ``catalog_dir`` and enumerate its messages."""
    return load_sources(catalog_dir)[1]


def load_sources(catalog_dir: Path) -> tuple[Catalog, list[Message]]:
    """Load the catalogue under ``catalog_dir`` and enumerate its messages.

    References are written relative to the catalogue folder's parent, so they read
    ``catalog/workflows/x.yaml`` wherever the command runs.

    Raises:
        CatalogError: when the catalogue does not validate.
    """
    catalog, _ = load_catalog([catalog_dir])
    root = catalog_dir.resolve().parent
    names: dict[str, str] = {}  # every message of a file names it: resolve each file once

    def name_of(file: str) -> str:
        if file not in names:
            path = Path(file).resolve()
            names[file] = (
                path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
            )
        return names[file]

    out: list[Message] = []
    for message in messages(catalog):
        reference = message.reference
        if reference is not None:
            reference = (name_of(reference[0]), reference[1])
        out.append(replace(message, reference=reference))
    return catalog, out


def _comments(message: Message, digest: str) -> list[str]:
    # One fact per line: Babel wraps long comments, and tools grep for these prefixes.
    head, sep, tail = message.comment.partition(". Canonical id: ")
    lines = [f"{head}.", f"Canonical id: {tail}"] if sep else [message.comment]
    return [*lines, f"{HASH_PREFIX}{digest}"]


def _locations(message: Message) -> list[tuple[str, int]]:
    return [message.reference] if message.reference else []


def _phrase_seed(locale: str) -> dict[str, str]:
    # Native schedule sentences written with phrases.py; optional until they land.
    try:
        text = resources.files("generator.l10n").joinpath("phrase_seed.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return {}
    data = json.loads(text)
    language = locale.split("_", maxsplit=1)[0]
    found = data.get(locale) or data.get(language) or {}
    return {str(k): str(v) for k, v in found.items()}


def _format_flags(entry: PoMessage, message: Message) -> PoMessage:
    # Babel guesses format flags from the msgid; the message says which apply.
    entry.flags -= {"python-format", "python-brace-format"}
    entry.flags |= set(message.flags)
    return entry


def _fresh(message: Message, string: str = "") -> PoMessage:
    entry = PoMessage(
        message.english,
        string,
        locations=_locations(message),
        auto_comments=_comments(message, source_hash(message.english)),
        context=message.context,
    )
    return _format_flags(entry, message)


def _carry(message: Message, old: PoMessage) -> PoMessage:
    """Carry an existing entry over to the current English source."""
    string = old.string if isinstance(old.string, str) else ""
    flags = set(old.flags) - {"python-format"}
    previous = list(old.previous_id) if old.previous_id else []
    if old.id != message.english and string:
        # The translation was made for other English: review it, and show what changed.
        flags.add("fuzzy")
        basis = entry_hash(old) or source_hash(str(old.id))
        if not ("fuzzy" in old.flags and previous):
            previous = [str(old.id)]
    elif "fuzzy" in flags and string:
        basis = entry_hash(old) or source_hash(message.english)
    else:
        # Untranslated, or reviewed and unflagged: the current English is the basis now.
        flags.discard("fuzzy")
        previous = []
        basis = source_hash(message.english)
    entry = PoMessage(
        message.english,
        string,
        locations=_locations(message),
        flags=sorted(flags),
        auto_comments=_comments(message, basis),
        user_comments=list(old.user_comments),
        previous_id=previous,
        context=message.context,
    )
    entry.user_comments = list(old.user_comments)  # the constructor would drop repeated lines
    return _format_flags(entry, message)


def _move_ordinal_forms(catalog: PoCatalog, created: set[str]) -> None:
    """Move ``{nth}`` translations of count phrases to their ordinal phrase.

    Files written before the ordinal phrases existed said "var {nth} timme" for
    "every {n} hours", which msgfmt rejects; the same text belongs to "every {nth} hour".
    """
    by_context = {str(m.context): m for m in catalog if m.id and m.context}
    for context, entry in by_context.items():
        name = context.removeprefix("phrase|")
        if not name.startswith(("every_minutes", "every_hours")) or "{nth}" not in str(
            entry.string or ""
        ):
            continue
        target = by_context.get(
            "phrase|"
            + name.replace("every_minutes", "every_nth_minute").replace(
                "every_hours", "every_nth_hour"
            )
        )
        if target is None:
            continue
        if not target.string or str(target.context) in created:
            target.string = entry.string
            target.flags.discard("fuzzy")
        entry.string = ""
        entry.flags.discard("fuzzy")


def merge(existing: PoCatalog | None, msgs: Sequence[Message], *, locale: str | None) -> PoCatalog:
    """Build the catalogue of ``locale`` for ``msgs``, keeping every bit of existing work.

    Changed English makes a translated entry fuzzy and keeps the previous msgid; entries
    whose message is gone become obsolete; translator comments survive.
    """
    catalog = new_catalog(locale)
    if existing is not None:
        # The header is the translator's (msgmerge keeps it too): the plural rule they chose
        # stays, even when a newer CLDR counts the locale's plural forms differently.
        for attr in ("creation_date", "revision_date", "last_translator", "language_team"):
            setattr(catalog, attr, getattr(existing, attr))
        if existing._num_plurals is not None and existing._plural_expr is not None:
            catalog._num_plurals = existing._num_plurals
            catalog._plural_expr = existing._plural_expr
    active = {str(m.context): m for m in existing or () if m.id and m.context}
    obsolete = {
        str(m.context): m for m in (existing.obsolete.values() if existing else ()) if m.context
    }
    seed = _phrase_seed(locale) if locale else {}
    created: set[str] = set()
    for message in msgs:
        old = active.pop(message.context, None) or obsolete.pop(message.context, None)
        if locale is None:
            entry = _fresh(message)
        elif old is None:
            created.add(message.context)
            entry = _fresh(
                message,
                seed.get(message.context.partition("|")[2], "")
                if message.context.startswith("phrase|")
                else "",
            )
        else:
            entry = _carry(message, old)
            if not entry.string and message.context.startswith("phrase|"):
                entry.string = seed.get(message.context.partition("|")[2], "")
        catalog[entry.id] = entry
    if locale is not None:
        _move_ordinal_forms(catalog, created)
        gone = {**obsolete, **active}
        for context in sorted(gone):
            old = gone[context]
            entry = PoMessage(
                old.id,
                old.string,
                flags=sorted(set(old.flags) - {"python-format"}),
                auto_comments=list(old.auto_comments),
                user_comments=list(old.user_comments),
                previous_id=list(old.previous_id) if old.previous_id else [],
                context=context,
            )
            entry.user_comments = list(old.user_comments)
            entry.flags -= {"python-format", "python-brace-format"}
            catalog.obsolete[(str(old.id), context)] = entry
    return catalog
