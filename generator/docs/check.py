"""Check several pages: read, align, run the text checks; one bad page never stops the rest."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ..catalog import Catalog
from ..errors import Location, Problem, WfgenError
from .align import align
from .learn import LearnedLabels, learn_from_reports, learn_labels
from .model import Page
from .reader import read_page
from .results import DocsReport, PageError, PageReport

__all__ = ["align_pages", "check_page", "check_pages", "labels_from_po"]


def labels_from_po(path: Path) -> dict[str, str]:
    """Canonical id -> translated label from a PO file (``msgctxt "<id>|label"``, not fuzzy,
    or fuzzy only to await review).

    Returns an empty mapping when the file does not exist.
    """
    if not path.is_file():
        return {}
    from babel.messages.pofile import read_po

    from ..l10n.review import usable_under_review

    with path.open("rb") as handle:
        catalog = read_po(handle)
    labels: dict[str, str] = {}
    for message in catalog:
        context = message.context or ""
        # Entries awaiting review are fuzzy but made for the current English (l10n/review.py).
        usable = not message.fuzzy or usable_under_review(message)
        if context.endswith("|label") and message.string and usable:
            labels[context.removesuffix("|label")] = str(message.string)
    return labels


def check_pages(
    paths: Sequence[Path],
    *,
    catalog: Catalog,
    locale: str | None = None,
    labels_for: Callable[[str], Mapping[str, str]] | None = None,
) -> DocsReport:
    """Read every page, learn each language's labels from all of them, then align each one.

    Args:
        paths: the pages, reported in the order given.
        catalog: the canonical catalogue.
        locale: the pages' locale; inferred per page when None.
        labels_for: locale -> known labels (canonical id -> label) of that locale.

    Returns:
        One PageReport per readable page and one PageError per unreadable one.
    """
    pages: list[Page] = []
    errors: list[PageError] = []
    for path in paths:
        try:
            pages.append(read_page(path, locale=locale))
        except WfgenError as err:
            errors.append(PageError(path, str(err)))
    reports = align_pages(pages, catalog=catalog, labels_for=labels_for)
    return DocsReport(pages=tuple(reports), errors=tuple(errors))


def align_pages(
    pages: Sequence[Page],
    *,
    catalog: Catalog,
    labels_for: Callable[[str], Mapping[str, str]] | None = None,
    learned: LearnedLabels | None = None,
) -> list[PageReport]:
    """The one alignment of a run, shared by ``docs check`` and ``docs import``.

    Labels are learnt from all ``pages`` together (``learn_labels``) unless ``learned`` is
    given (a caller that read the pages in several processes learns once, then checks pages
    anywhere with ``check_page``).
    """
    if learned is None:
        learned = learn_labels(pages, catalog)
    cache: dict[str, Mapping[str, str]] = {}

    def check(page: Page, labels: LearnedLabels) -> PageReport:
        if labels_for is not None and page.locale not in cache:
            cache[page.locale] = labels_for(page.locale)
        return check_page(
            page, catalog=catalog, known_labels=cache.get(page.locale), learned=labels
        )

    reports = [check(page, learned) for page in pages]
    # Rows mapped with confidence teach their label and translated id; pages that still have
    # unresolved rows are aligned once more with what the whole run taught.
    more = learn_from_reports(reports, catalog, learned=learned)
    return [
        check(page, more) if _worth_again(report, learned, more) else report
        for page, report in zip(pages, reports, strict=True)
    ]


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
        from ..l10n.textchecks import check_text
    except ImportError:
        # The text checks ship separately; without them the page is aligned but not proofread.
        return []
    problems: list[Problem] = []
    # An English page is itself the source: compare it with nothing, only proofread it.
    english = report.locale.split("_")[0] == "en"
    for line, text in prose:
        problems.extend(
            check_text(
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
                check_text(
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
