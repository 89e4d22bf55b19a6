"""Check several pages: read, align, run the text checks; one bad page never stops the rest."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, WfgenError
from ..model import Catalog
from .align import align
from .batch import Pool
from .learn import LearnedLabels, learn_from_reports, learn_labels
from .model import Page
from .reader import read_page, workflow_layout
from .results import DocsReport, PageError, PageReport

__all__ = ["align_pages", "check_page", "check_pages", "labels_from_po"]


def labels_from_po(path: Path) -> dict[str, str]:
    """Canonical id -> translated label from a PO file (``msgctxt "<id>|label"``).

    A fuzzy entry counts only when it awaits review of what the documentation says (as the
    build uses it), not when its English changed. Returns an empty mapping when the file does
    not exist.
    """
    if not path.is_file():
        return {}
    return dict(_labels_in(path.read_bytes()))


# The labels depend on the file's bytes only; a process that checks pages again and again
# (docs check, then docs import, over the same locales) parses each distinct PO text once.
@lru_cache(maxsize=16)
def _labels_in(data: bytes) -> tuple[tuple[str, str], ...]:
    from babel.messages.pofile import read_po

    from ..l10n.review import usable_under_review

    labels: dict[str, str] = {}
    for message in read_po(io.BytesIO(data)):
        context = message.context or ""
        usable = not message.fuzzy or usable_under_review(message)
        if context.endswith("|label") and message.string and usable:
            labels[context.removesuffix("|label")] = str(message.string)
    return tuple(labels.items())


def check_pages(
    paths: Sequence[Path],
    *,
    catalog: Catalog,
    locale: str | None = None,
    labels_for: Callable[[str], Mapping[str, str]] | None = None,
    jobs: int = 1,
    optional: Collection[Path] = (),
) -> DocsReport:
    """Read every page, learn each language's labels from all of them, then align each one.

    Every page is read before any is aligned (both on ``jobs`` cores), so what all the pages
    say together can inform the alignment of each.

    Args:
        paths: the pages, reported in the order given.
        catalog: the canonical catalogue.
        locale: the pages' locale; inferred per page when None.
        labels_for: locale -> known labels (canonical id -> label) of that locale.
        jobs: worker processes (1: all in this process).
        optional: pages found in folders rather than named: left out of the report when
            they have no table of workflows.

    Returns:
        One PageReport per readable page and one PageError per unreadable one.
    """
    skip = frozenset(optional)
    with Pool(shared=catalog, jobs=jobs) as pool:
        read = pool.map(_read, [(path, locale, path in skip) for path in paths])
        pages = [r for r in read if isinstance(r, Page)]
        reports = iter(align_pages(pages, catalog=catalog, labels_for=labels_for, pool=pool))
    found = [next(reports) if isinstance(r, Page) else r for r in read if r is not None]
    return DocsReport(
        pages=tuple(r for r in found if isinstance(r, PageReport)),
        errors=tuple(r for r in found if isinstance(r, PageError)),
    )


def _read(_: Catalog, item: tuple[Path, str | None, bool]) -> Page | PageError | None:
    path, locale, optional = item
    try:
        page = read_page(path, locale=locale)
    except WfgenError as err:
        # A page found in a folder that documents no workflow is not this command's business.
        return None if optional and workflow_layout(path) == "none" else PageError(path, str(err))
    return None if optional and page.layout == "none" else page


def align_pages(
    pages: Sequence[Page],
    *,
    catalog: Catalog,
    labels_for: Callable[[str], Mapping[str, str]] | None = None,
    learned: LearnedLabels | None = None,
    pool: Pool[Catalog] | None = None,
) -> list[PageReport]:
    """The one alignment of a run, shared by ``docs check`` and ``docs import``.

    Labels are learnt from all ``pages`` together (``learn_labels``) unless ``learned`` is
    given; then each page is checked (``check_page``), on the ``pool``'s workers when given
    (its shared value must be ``catalog``).
    """
    if learned is None:
        learned = learn_labels(pages, catalog)
    known: dict[str, Mapping[str, str]] = {}
    if labels_for is not None:
        for page_locale in sorted({p.locale for p in pages}):
            known[page_locale] = labels_for(page_locale)
    runner = pool if pool is not None else Pool(shared=catalog, jobs=1)

    def check_all(items: Sequence[tuple[Page, LearnedLabels]]) -> list[PageReport]:
        # Each worker gets only its page's language of what was learnt.
        return runner.map(
            _check,
            [
                (
                    page,
                    known.get(page.locale),
                    LearnedLabels({page.locale: labels.for_locale(page.locale)}),
                )
                for page, labels in items
            ],
        )

    reports = check_all([(page, learned) for page in pages])
    # Rows mapped with confidence teach their label and translated id; pages that still have
    # unresolved rows are aligned once more with what the whole run taught.
    more = learn_from_reports(reports, catalog, learned=learned)
    again = [i for i, report in enumerate(reports) if _worth_again(report, learned, more)]
    for index, report in zip(again, check_all([(pages[i], more) for i in again]), strict=True):
        reports[index] = report
    return [_with_unknown(report, catalog) for report in reports]


# An id written as an untranslated identifier: ASCII letters and digits, `_`, `-`, `.`.
_PLAIN_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
# Below this, the best guess rests on where the row stands (the page's module, the order
# between exact rows) and on nothing the row itself says: no translation evidence.
_TELLING = 0.3


def _fold(text: str) -> str:
    """Lower case without accents: ``Cálculo`` -> ``calculo``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_ID_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def _translates_label(documented: str, label: str) -> bool:
    """Whether the id is made of the row's label's words (``calculoNocturno`` for "Cálculo
    nocturno", ``fakturering`` for "Fakturering"): translated with the label, so it may
    stand for a workflow the catalogue has."""
    if not label:
        return False
    folded = _fold(label)
    letters = "".join(c for c in folded if c.isalnum())
    if "".join(c for c in _fold(documented) if c.isalnum()) == letters:
        return True
    words = set(re.findall(r"\w+", folded))
    return any(
        (len(w) >= 3 and w in words) or (len(w) >= 5 and w in letters)
        for w in (_fold(m) for m in _ID_WORD.findall(documented))
    )


def _with_unknown(report: PageReport, catalog: Catalog) -> PageReport:
    """Unresolved rows whose id no catalogue has, and nothing says is translated: ``unknown``.

    Such a row names a workflow the catalogue lacks (a small project catalogue, a newer
    page): saying "unresolved" would send the reader looking for a translation that is not
    there. A non-ASCII id, an id made of the row's label's words, a catalogue id (any
    status) or a telling best guess keep the row ``unresolved``.
    """
    rows = list(report.rows)
    changed = False
    for index, result in enumerate(rows):
        documented = result.documented_id
        if (
            result.status == "unresolved"
            and _PLAIN_ID.fullmatch(documented)
            and catalog.by_spelling(documented) is None
            and result.confidence < _TELLING
            and not _translates_label(documented, result.label)
        ):
            rows[index] = replace(
                result,
                status="unknown",
                evidence=(
                    *result.evidence,
                    f"`{documented}` is in no catalogue, and nothing on the row says it "
                    "translates an id that is",
                ),
            )
            changed = True
    return replace(report, rows=tuple(rows)) if changed else report


def _check(
    catalog: Catalog, item: tuple[Page, Mapping[str, str] | None, LearnedLabels]
) -> PageReport:
    page, known, learned = item
    return check_page(page, catalog=catalog, known_labels=known, learned=learned)


def _worth_again(report: PageReport, before: LearnedLabels, after: LearnedLabels) -> bool:
    return (
        report.locale.split("_")[0] != "en"
        and any(r.status == "unresolved" for r in report.rows)
        and before.for_locale(report.locale) != after.for_locale(report.locale)
    )


def check_page(
    page: Page,
    *,
    catalog: Catalog,
    known_labels: Mapping[str, str] | None = None,
    learned: LearnedLabels | None = None,
) -> PageReport:
    """Align one page already read and proofread its text (pure; safe in a worker process).

    Args:
        page: a page from ``read_page``.
        catalog: the canonical catalogue.
        known_labels: the page locale's labels from its PO file, if any.
        learned: labels learnt from the run's pages (``learn_labels``).
    """
    report = align(
        page,
        catalog,
        known_labels=known_labels,
        learned=learned.for_locale(page.locale) if learned else None,
    )
    findings = _text_findings(report, catalog, page.prose)
    if not findings:
        return report
    return PageReport(
        path=report.path,
        locale=report.locale,
        module=report.module,
        product=report.product,
        layout=report.layout,
        rows=report.rows,
        missing=report.missing,
        findings=tuple(findings),
        notes=report.notes,
    )


def _text_findings(
    report: PageReport, catalog: Catalog, prose: Sequence[tuple[int, str]]
) -> list[Problem]:
    """Encoding damage, leftover entities, translated identifiers... in each row's text."""
    try:
        from ..l10n import textchecks  # noqa: F401 - only whether they are installed
    except ImportError:
        # The text checks ship separately; without them the page is aligned but not proofread.
        return []
    problems: list[Problem] = []
    # An English page is itself the source: compare it with nothing, only proofread it.
    english = report.locale.split("_")[0] == "en"
    for line, text in prose:
        problems.extend(
            _check_text(
                source=None,
                translation=text,
                locale=report.locale,
                subject="page",
                location=Location.of(report.path, line),
                markup=True,
            )
        )
    for result in report.rows:
        row = result.row
        workflow = catalog.get(result.canonical_id) if result.canonical_id else None
        location = Location.of(report.path, row.line)
        for field, text, source in (
            ("label", row.raw_label or row.label, workflow.label if workflow else None),
            (
                "description",
                row.raw_description or row.description,
                workflow.description if workflow else None,
            ),
        ):
            compared = None if english else source
            subject = f"{result.canonical_id or row.documented_id}|{field}"
            problems.extend(
                _check_text(
                    source=compared,
                    translation=text,
                    locale=report.locale,
                    subject=subject,
                    location=location,
                    schedule=(
                        workflow.schedule_for([report.product] if report.product else [])
                        if workflow and field == "description" and not english
                        else None
                    ),
                    markup=True,
                )
            )
    return problems


def _check_text(*, location: Location, **key: Any) -> list[Problem]:
    """``check_text`` at ``location``; page versions repeat most texts, so the findings of
    each distinct text are computed once per process."""
    try:
        found = _checked_text(**key)
    except TypeError:  # an unhashable argument: no cache
        found = _checked_text.__wrapped__(**key)
    return [replace(p, location=location) for p in found]


_NOWHERE = Location.of(Path("-"))


@lru_cache(maxsize=1 << 15)
def _checked_text(**key: Any) -> tuple[Problem, ...]:
    from ..l10n.textchecks import check_text

    return tuple(check_text(location=_NOWHERE, **key))
