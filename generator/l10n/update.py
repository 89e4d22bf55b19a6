"""Keep PO files in step with the catalogue: extract the template, create and merge locales."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.catalog import Message as PoMessage

from ..catalog import Catalog, load_catalog
from ..errors import UsageError
from .messages import Message, messages, source_hash
from .po import (
    HASH_PREFIX,
    available_locales,
    dump_po,
    entry_hash,
    new_catalog,
    parse_locale,
    po_path,
    pot_path,
    read_po_file,
    write_if_changed,
)

__all__ = [
    "L10nSettings",
    "WriteResult",
    "extract",
    "init_locale",
    "load_messages",
    "load_sources",
    "merge",
    "update_all",
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
        out.append(
            Message(message.context, message.english, message.comment, reference, message.module)
        )
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


def _fresh(message: Message, string: str = "") -> PoMessage:
    entry = PoMessage(
        message.english,
        string,
        locations=_locations(message),
        auto_comments=_comments(message, source_hash(message.english)),
        context=message.context,
    )
    entry.flags.discard("python-format")
    return entry


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
    entry.flags.discard("python-format")
    return entry


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
    for message in msgs:
        old = active.pop(message.context, None) or obsolete.pop(message.context, None)
        if locale is None:
            entry = _fresh(message)
        elif old is None:
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
            entry.flags.discard("python-format")
            catalog.obsolete[(str(old.id), context)] = entry
    return catalog


def extract(settings: L10nSettings, *, msgs: Sequence[Message] | None = None) -> WriteResult:
    """Write ``workflows.pot`` from the catalogue (or from its already enumerated ``msgs``)."""
    msgs = load_messages(settings.catalog_dir) if msgs is None else msgs
    path = pot_path(settings.locales_dir)
    changed = write_if_changed(path, dump_po(merge(None, msgs, locale=None)))
    return WriteResult(path, changed, len(msgs))


def init_locale(settings: L10nSettings, locale: str) -> WriteResult:
    """Create the PO file of a CLDR locale (nothing to do when it exists).

    Raises:
        UsageError: when CLDR does not know the locale.
    """
    code = str(parse_locale(locale))
    if code != locale.replace("-", "_"):
        raise UsageError(f"locale {locale!r} is not in canonical form", hint=f"use {code!r}")
    msgs = load_messages(settings.catalog_dir)
    path = po_path(settings.locales_dir, code)
    existing = read_po_file(path, code) if path.exists() else None
    changed = write_if_changed(path, dump_po(merge(existing, msgs, locale=code)))
    return WriteResult(path, changed, len(msgs))


def update_all(settings: L10nSettings) -> list[WriteResult]:
    """Refresh the template and merge the catalogue into every locale's PO file."""
    msgs = load_messages(settings.catalog_dir)
    results = [extract(settings, msgs=msgs)]
    for locale in available_locales(settings.locales_dir):
        path = po_path(settings.locales_dir, locale)
        existing = read_po_file(path, locale)
        changed = write_if_changed(path, dump_po(merge(existing, msgs, locale=locale)))
        results.append(WriteResult(path, changed, len(msgs)))
    return results
