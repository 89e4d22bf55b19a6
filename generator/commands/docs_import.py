"""``wfgen docs import``: labels and descriptions of localized pages into the PO files,
under the canonical ids the pages align to (see ``docs.importer`` for what is taken)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog as PoCatalog

from ..docs.importer import (
    ImportEvent,
    Offer,
    apply_offer,
    page_offers,
    same_text,
    sending_offers,
    site_title,
)
from ..docs.model import Page
from ..errors import WfgenError
from ..l10n.po import po_path, read_po_file
from ..l10n.po_write import dump_po, write_if_changed
from ..l10n.update import WriteResult, load_sources, merge

__all__ = ["ImportEvent", "ImportResult", "ImportSettings", "import_pages"]


@dataclass(frozen=True)
class ImportSettings:
    """Options of ``wfgen docs import``."""

    pages: tuple[Path, ...]
    locale: str | None = None
    overwrite: bool = False
    catalog_dir: Path = Path("catalog")
    locales_dir: Path = Path("locales")


@dataclass(frozen=True)
class ImportResult:
    """Every event, the files written, and the pages that could not be read."""

    events: tuple[ImportEvent, ...]
    written: tuple[WriteResult, ...]
    errors: tuple[str, ...] = field(default=())

    def count(self, kind: str) -> int:
        """How many events of ``kind``."""
        return sum(1 for e in self.events if e.kind == kind)


# long: the use case in order: read, align, offer, apply, summarise
def import_pages(settings: ImportSettings) -> ImportResult:
    """Import every page's labels and descriptions into its locale's PO file.

    Raises:
        CatalogError: when the catalogue does not validate.
        UsageError: when a page's locale is not a CLDR locale.
    """
    catalog, msgs = load_sources(settings.catalog_dir)
    by_context = {m.context: m for m in msgs}
    events: list[ImportEvent] = []
    errors: list[str] = []
    per_locale: dict[str, list[Offer]] = {}
    from ..docs import read_page
    from ..docs.check import align_pages, labels_from_po
    from ..docs.folders import unique_pages

    # Pages with a workflow table are aligned together, exactly as `docs check` aligns them
    # (labels learnt across the pages, the PO labels as they are before this import).
    found: dict[Path, tuple[str, list[Offer]] | Page] = {}
    for path in unique_pages(settings.pages):  # the order given is the order of trust
        try:
            sending = sending_offers(path, locale=settings.locale, catalog_dir=settings.catalog_dir)
            found[path] = (
                sending if sending is not None else read_page(path, locale=settings.locale)
            )
        except WfgenError as err:
            errors.append(f"{path}: {err}")
    pages = [p for p in found.values() if isinstance(p, Page)]
    reports = align_pages(
        pages,
        catalog=catalog,
        labels_for=lambda loc: labels_from_po(po_path(settings.locales_dir, loc)),
    )
    by_page = {id(page): report for page, report in zip(pages, reports, strict=True)}
    for item in found.values():
        if isinstance(item, Page):
            locale, offers = page_offers(item, by_page[id(item)], catalog, events)
        else:
            locale, offers = item
        per_locale.setdefault(locale, []).extend(offers)
    written: list[WriteResult] = []
    for locale in sorted(per_locale):
        path = po_path(settings.locales_dir, locale)
        existing: PoCatalog | None = read_po_file(path, locale) if path.is_file() else None
        po = merge(existing, msgs, locale=locale)
        fresh: set[str] = set()
        title = site_title(po, per_locale[locale])
        for offer in per_locale[locale]:
            entry = po.get(by_context[offer.context].english, context=offer.context)
            if entry is None:
                continue
            if offer.context.startswith("module|") and title and same_text(offer.text, title):
                # A product's page titled as the whole reference ("Tekniska arbetsflöden" on
                # the Campaign Standard page): that title is not the module's name.
                events.append(
                    ImportEvent(
                        offer.page,
                        offer.line,
                        "skipped",
                        offer.context,
                        f"the page's title {offer.text!r} is the site's title, not the module's",
                    )
                )
                continue
            apply_offer(
                entry,
                offer,
                by_context[offer.context],
                fresh=fresh,
                overwrite=settings.overwrite,
                events=events,
            )
        changed = write_if_changed(path, dump_po(po))
        written.append(WriteResult(path, changed, len(msgs)))
    return ImportResult(tuple(events), tuple(written), tuple(errors))
