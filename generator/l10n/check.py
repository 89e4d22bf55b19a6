"""``wfgen l10n check``: every PO entry against the current catalogue and the text checks."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Message as PoMessage

from ..errors import Location, Problem, Severity, sort_problems
from ..model import Catalog
from ..schedules import Schedule
from .generic import GENERIC_CHECKS, CheckConfig, GenericChecker, load_config
from .messages import UI_WORDS, Message, source_hash
from .po import available_locales, entry_hash, po_path, read_po_file
from .textchecks import CODES, check_text
from .tokens import ProtectedIds
from .update import L10nSettings, load_sources

__all__ = ["CHECK_CODES", "check_entry", "check_locales"]

# Every code `wfgen l10n check` can report: its own, then translate-toolkit's.
CHECK_CODES: tuple[str, ...] = (
    *CODES,
    "stale",
    "unknown-entry",
    "module-is-site-title",
    *GENERIC_CHECKS,
)


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
    generic: GenericChecker | None = None,
) -> list[Problem]:
    """Check one PO entry: stale source, then the text checks on its translation.

    ``protected`` is the catalogue's ids compiled once (built here when not given);
    ``generic`` runs translate-toolkit's checks for the locale (built here when not given).
    """
    string = entry.string if isinstance(entry.string, str) else ""
    # A PO entry starts at column 1 of its line; 0 would read as "unknown" to editors.
    location = Location.of(path, entry.lineno or 0, 1 if entry.lineno else 0)
    context = str(entry.context or "")
    generic = generic or GenericChecker(locale)
    if message is None:
        unknown = [
            Problem(
                location,
                f"entry {context!r} is not in the catalogue",
                Severity.WARNING,
                code="unknown-entry",
                hint="run `wfgen l10n update` to mark it obsolete",
                subject=context.partition("|")[0],
            )
        ]
        return [p for p in unknown if generic.config.is_on(p.code)]
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
            format_placeholders=False,
        )
    )
    problems.extend(
        generic.check(message.english, string, location=location, subject=message.subject)
    )
    return [p for p in problems if generic.config.is_on(p.code)]


@dataclass(frozen=True)
class _Shared:
    """What every locale's check reads: built once, before any worker starts."""

    catalog: Catalog
    by_context: dict[str, Message]
    protected: ProtectedIds
    config: CheckConfig


# Filled in the parent just before forking workers, which inherit it without pickling.
_SHARED: dict[str, _Shared] = {}
# Below this many bytes of PO files, starting processes costs more than it saves.
_PARALLEL_BYTES = 4_000_000


def _check_file(shared: _Shared, locale: str, path: Path) -> list[Problem]:
    problems: list[Problem] = []
    generic = GenericChecker(locale, shared.config)
    entries = list(read_po_file(path, locale))
    problems.extend(_named_as_site(entries, path, shared.config))
    for entry in entries:
        if entry.id and entry.context:
            problems.extend(
                check_entry(
                    entry,
                    shared.by_context.get(str(entry.context)),
                    catalog=shared.catalog,
                    locale=locale,
                    path=path,
                    protected=shared.protected,
                    generic=generic,
                )
            )
    return problems


def _named_as_site(entries: Sequence[PoMessage], path: Path, config: CheckConfig) -> list[Problem]:
    """Module names translated as the site's own title (a page title imported as a name)."""
    strings = {
        str(e.context): e.string
        for e in entries
        if e.context and isinstance(e.string, str) and e.string and not e.fuzzy
    }
    title = strings.get("ui|index-title") or UI_WORDS["index-title"]
    if not config.is_on("module-is-site-title"):
        return []
    return [
        Problem(
            Location.of(path, e.lineno or 0, 1 if e.lineno else 0),
            f"the module {e.id!r} is named {title!r}, the title of the whole site: its page "
            f"would read {title!r} twice in the breadcrumbs; the site shows the English name",
            Severity.WARNING,
            code="module-is-site-title",
            subject=str(e.context),
            hint="translate the module's own name (the product's, for a product page)",
        )
        for e in entries
        if str(e.context or "").startswith("module|")
        and strings.get(str(e.context)) == title
        and e.id != title
    ]


def _check_in_worker(job: tuple[str, Path]) -> list[Problem] | None:
    """A worker's share; None when it failed (the parent redoes it and reports the error)."""
    try:
        return _check_file(_SHARED["now"], *job)
    except Exception:  # the parent reruns the job and raises the error itself
        return None


def _workers(jobs: Sequence[tuple[str, Path]]) -> int:
    """How many processes to use: one per locale and CPU, only for large files and fork."""
    if len(jobs) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if sum(path.stat().st_size for _, path in jobs) < _PARALLEL_BYTES:
        return 1
    affinity = getattr(os, "sched_getaffinity", None)  # Linux: the CPUs this process may use
    cpus = len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)
    return max(1, min(len(jobs), cpus))


def check_locales(settings: L10nSettings, locales: Sequence[str] | None = None) -> list[Problem]:
    """Check every PO file (or those of ``locales``); all findings, sorted by file and line.

    Large sets of PO files are checked one locale per process (at most one per CPU).
    """
    catalog, msgs = load_sources(settings.catalog_dir)
    config = load_config(settings.catalog_dir.resolve(), known=CHECK_CODES)
    shared = _Shared(
        catalog,
        {m.context: m for m in msgs},
        ProtectedIds(w.id for w in catalog.workflows),
        config,
    )
    jobs = [
        (locale, po_path(settings.locales_dir, locale))
        for locale in sorted(locales or available_locales(settings.locales_dir))
    ]
    jobs = [(locale, path) for locale, path in jobs if path.is_file()]
    workers = _workers(jobs)
    results: list[list[Problem] | None] = [None] * len(jobs)
    if workers > 1:
        _SHARED["now"] = shared
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                results = list(pool.map(_check_in_worker, jobs))
        finally:
            _SHARED.clear()
    problems: list[Problem] = []
    for job, result in zip(jobs, results, strict=True):
        problems.extend(result if result is not None else _check_file(shared, *job))
    return sort_problems(problems)
