"""``wfgen docs fix``: translated ids replaced by canonical ones in localized source pages,
each page planned from ``docs check``'s own alignment and written whole or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..docs.fix import PageFix
    from ..docs.results import PageError

__all__ = ["DocsFixResult", "DocsFixSettings", "docs_fix"]


@dataclass(frozen=True)
class DocsFixSettings:
    """Options of ``wfgen docs fix``."""

    pages: tuple[Path, ...]
    catalog: Path
    locales_dir: Path
    locale: str | None = None
    english: Path | None = None
    write: bool = False  # write the fixed pages; else only plan them
    repair_text: bool = False
    patterns: tuple[str, ...] = ()  # file-name patterns of pages in folders (default: Markdown)
    accept_order: bool = False


@dataclass(frozen=True)
class DocsFixResult:
    """Every page's planned fix (written when ``write``), and the pages that could not be
    read or the folders that held none."""

    pages: tuple[PageFix, ...]
    errors: tuple[PageError, ...]
    written: tuple[Path, ...] = ()


def docs_fix(settings: DocsFixSettings) -> DocsFixResult:
    """Plan every page's fix, and with ``write`` write each page that changes.

    Raises:
        CatalogError: when the catalogue has errors.
        InputError: when a fixed page cannot be written (the page is left as it was).
    """
    from ..docs import labels_from_po
    from ..docs.fix import fix_pages, write_atomically
    from ..docs.folders import DEFAULT_PATTERNS, find_pages
    from ..load.catalog import load_catalog

    catalog, _ = load_catalog([settings.catalog])

    def labels_for(locale: str) -> dict[str, str]:
        return labels_from_po(settings.locales_dir / locale / "LC_MESSAGES" / "workflows.po")

    refine = None
    if settings.english is not None:
        from ..docs.english import english_refiner

        refine = english_refiner(settings.english, catalog)
    found = find_pages(settings.pages, patterns=settings.patterns or DEFAULT_PATTERNS)
    result = fix_pages(
        list(found.pages),
        optional=found.found,
        catalog=catalog,
        locale=settings.locale,
        labels_for=labels_for,
        refine=refine,
        repair_text=settings.repair_text,
        accept_order=settings.accept_order,
    )
    written: list[Path] = []
    if settings.write:
        for page in result.pages:
            if page.changed:
                write_atomically(page.path, page.fixed)
                written.append(page.path)
    return DocsFixResult(
        pages=result.pages, errors=(*found.empty, *result.errors), written=tuple(written)
    )
