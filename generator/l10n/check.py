"""``wfgen l10n check``: every PO entry against the current catalogue and the text checks."""

from __future__ import annotations

import os
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from babel.messages.catalog import Catalog as PoCatalog
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

__all__ = [
    "CHECK_CODES",
    "PUBLISH_CODES",
    "check_entry",
    "check_locales",
    "check_published",
    "describe_codes",
    "publish_config",
]

# Every code `wfgen l10n check` can report: its own, then translate-toolkit's.
CHECK_CODES: tuple[str, ...] = (
    *CODES,
    "stale",
    "unknown-entry",
    "module-is-site-title",
    *GENERIC_CHECKS,
)


# What `wfgen build` checks on the translations it publishes. ``brace-format``: what
# ``msgfmt --check`` refuses in a python-brace-format entry, an error; the text checks that
# catch a wrong fact (an id, a placeholder, a number or a time), warnings.
PUBLISH_CODES: tuple[str, ...] = (
    "brace-format",
    "identifier-changed",
    "placeholder-changed",
    "number-mismatch",
    "schedule-mismatch",
)
_FACT_CODES = frozenset(PUBLISH_CODES[1:])


def _brace_names(text: str) -> set[str] | None:
    """The argument names of a Python brace format string; None when it is not one."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return None
    names = set()
    for _, name, _, _ in fields:
        if name is not None:
            names.add(re.split(r"[.\[]", name, maxsplit=1)[0])
    return names


def _brace_problem(entry: PoMessage, message: Message, location: Location) -> Problem | None:
    """What ``msgfmt --check`` says of a python-brace-format entry: every argument of the
    msgid, and no other, in the msgstr (it checks the entry as if it were not fuzzy)."""
    if "python-brace-format" not in (set(entry.flags) | set(message.flags)):
        return None
    source = _brace_names(str(entry.id))
    if source is None:
        return None
    string_ = str(entry.string)
    found = _brace_names(string_)
    context = str(entry.context)
    hint = "write exactly the placeholders of the English text, e.g. " + (
        ", ".join(f"{{{name}}}" for name in sorted(source)) or "none"
    )
    if found is None:
        what = "the translation is not a valid brace format string (a lone { or })"
    elif found != source:
        parts = []
        if source - found:
            parts.append("missing " + ", ".join(f"{{{n}}}" for n in sorted(source - found)))
        if found - source:
            parts.append("unknown " + ", ".join(f"{{{n}}}" for n in sorted(found - source)))
        what = "placeholders differ from the English: " + "; ".join(parts)
    else:
        return None
    # msgfmt checks what the PO file flags; the catalogue knows the entry is a template.
    verdict = (
        "msgfmt --check refuses entry"
        if "python-brace-format" in entry.flags
        else "the pages cannot fill entry"
    )
    return Problem(
        location,
        f"{verdict} {context!r}: {what}",
        Severity.ERROR,
        code="brace-format",
        subject=message.subject,
        hint=hint,
    )


def check_published(
    path: Path,
    locale: str,
    *,
    catalog: Catalog,
    messages: Sequence[Message],
    config: CheckConfig | None = None,
    po: PoCatalog | None = None,
) -> list[Problem]:
    """Check the entries of one PO file that a build publishes (translated and made for the
    current English: not fuzzy, or fuzzy only to await review).

    A python-brace-format entry ``msgfmt --check`` refuses is an error (``brace-format``); an
    id, placeholder, number or time that differs from the English or the schedule is a
    warning at the entry's line. ``config`` (``[tool.wfgen.l10n]``, see
    :func:`publish_config`) can turn the warnings off. ``po`` is the file as read already.

    Raises:
        InputError: when the PO file cannot be read or parsed.
    """
    from .review import usable_under_review

    if po is None and not path.exists():
        return []
    config = config or CheckConfig()
    by_context = {m.context: m for m in messages}
    protected = ProtectedIds(w.id for w in catalog.workflows)
    problems: list[Problem] = []
    for entry in po if po is not None else read_po_file(path, locale):
        message = by_context.get(str(entry.context or ""))
        text = entry.string if isinstance(entry.string, str) else ""
        if message is None or not entry.id or not text or entry.id != message.english:
            continue
        if entry.fuzzy and not usable_under_review(entry):
            continue
        location = Location.of(path, entry.lineno or 0, 1 if entry.lineno else 0)
        refused = _brace_problem(entry, message, location)
        if refused is not None:
            problems.append(refused)
        found = check_text(
            source=message.english,
            translation=text,
            locale=locale,
            subject=message.subject,
            location=location,
            schedule=_schedule_of(catalog, message),
            protected=protected,
            format_placeholders=False,
        )
        problems.extend(
            replace(p, severity=Severity.WARNING)
            for p in found
            if p.code in _FACT_CODES and config.is_on(p.code or "")
        )
    return sort_problems(problems)


def describe_codes() -> dict[str, str]:
    """A sentence for each translation check code (SARIF rules' full descriptions): wfgen's
    own from :mod:`textchecks`, the generic ones from translate-toolkit's docstrings."""
    from translate.filters.checks import StandardChecker

    from . import textchecks

    out: dict[str, str] = {}
    for line in (textchecks.__doc__ or "").splitlines():
        parts = line.split(None, 2)
        if line.startswith("  ") and len(parts) == 3 and parts[0] in CODES:
            text = parts[2].replace("``", "")
            out[parts[0]] = f"{text[:1].upper()}{text[1:]}."
    for code in GENERIC_CHECKS:
        doc = getattr(StandardChecker, code).__doc__ or ""
        first = " ".join(doc.strip().split("\n\n")[0].split())
        if first:
            out[code] = f"{first} (translate-toolkit's pofilter test {code})"
    return out


def publish_config(catalog_dir: Path) -> CheckConfig:
    """The project's ``[l10n]`` settings, as ``wfgen l10n check`` reads them."""
    return load_config(catalog_dir.resolve(), known=CHECK_CODES)


def _schedule_of(catalog: Catalog, message: Message) -> Schedule | None:
    workflow = catalog.get(message.subject)
    return (
        workflow.schedule
        if workflow is not None and message.context.endswith("|description")
        else None
    )


# long: every check of one PO entry, each a line; the list is the documentation of the codes
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
    if len(jobs) < 2 or sum(path.stat().st_size for _, path in jobs) < _PARALLEL_BYTES:
        return 1
    # Imported here: small sets of PO files (and `wfgen build`, which imports this module
    # for check_published) never start a process.
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
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
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

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
