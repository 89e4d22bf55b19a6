"""Reading localized documentation pages and aligning their rows to the catalogue."""

from __future__ import annotations

from .align import align, detect_module
from .check import check_pages, labels_from_po
from .model import Page, Row
from .reader import read_page
from .results import DocsReport, PageError, PageReport, RowResult

__all__ = [
    "DocsReport",
    "Page",
    "PageError",
    "PageReport",
    "Row",
    "RowResult",
    "align",
    "check_pages",
    "detect_module",
    "labels_from_po",
    "read_page",
]
