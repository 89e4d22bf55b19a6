"""``wfgen l10n check``: every PO entry against the current catalogue and the text checks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from babel.messages.catalog import Message as PoMessage

from ..catalog import Catalog
from ..errors import Location, Problem, Severity, sort_problems
from ..schedules import Schedule
from .messages import Message, source_hash
from .po import available_locales, entry_hash, po_path, read_po_file
from .textchecks import ProtectedIds, check_text
from .update import L10nSettings, load_sources

__all__ = ["check_entry", "check_locales"]


def _schedule_of(catalog: Catalog, message: Message) -> Schedule | None:
    workflow = catalog.get(message.subject)
    return (
        workflow.schedule
        if workflow is not None and message.context.endswith("|description")
        else None
    )


def check_entry(
    entry: PoMessage,
    message: Message | None,
    *,
    catalog: Catalog,
    locale: str,
    path: Path,
    protected: ProtectedIds | None = None,
) -> list[Problem]:
    """Check one PO entry: stale source, then the text checks on its translation.

    ``protected`` is the catalogue's ids compiled once (built here when not given).
    """
    string = entry.string if isinstance(entry.string, str) else ""
    # A PO entry starts at column 1 of its line; 0 would read as "unknown" to editors.
    location = Location.of(path, entry.lineno or 0, 1 if entry.lineno else 0)
    context = str(entry.context or "")
    if message is None:
        return [
            Problem(
                location,
                f"entry {context!r} is not in the catalogue",
                Severity.WARNING,
                code="unknown-entry",
                hint="run `wfgen l10n update` to mark it obsolete",
                subject=context.partition("|")[0],
            )
        ]
    if not string:
        return []
    problems: list[Problem] = []
    if not entry.fuzzy:
        recorded = entry_hash(entry)
        if entry.id != message.english or (recorded and recorded != source_hash(message.english)):
            problems.append(
                Problem(
                    location,
                    "the English source changed since this entry was translated",
                    Severity.ERROR,
                    code="stale",
                    subject=message.subject,
                    hint="run `wfgen l10n update`, review the translation, then clear the fuzzy flag",
                )
            )
    schedule = _schedule_of(catalog, message)
    problems.extend(
        check_text(
            source=message.english,
            translation=string,
            locale=locale,
            subject=message.subject,
            location=location,
            schedule=schedule,
            protected=protected or ProtectedIds(w.id for w in catalog.workflows),
        )
    )
    return problems


def check_locales(settings: L10nSettings, locales: Sequence[str] | None = None) -> list[Problem]:
    """Check every PO file (or those of ``locales``); all findings, sorted by file and line."""
    catalog, msgs = load_sources(settings.catalog_dir)
    by_context = {m.context: m for m in msgs}
    problems: list[Problem] = []
    protected = ProtectedIds(w.id for w in catalog.workflows)
    for locale in sorted(locales or available_locales(settings.locales_dir)):
        path = po_path(settings.locales_dir, locale)
        if not path.is_file():
            continue
        po = read_po_file(path, locale)
        for entry in po:
            if entry.id and entry.context:
                problems.extend(
                    check_entry(
                        entry,
                        by_context.get(str(entry.context)),
                        catalog=catalog,
                        locale=locale,
                        path=path,
                        protected=protected,
                    )
                )
    return sort_problems(problems)
