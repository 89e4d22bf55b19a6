"""What the check found, per row and per page, and its stable JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem
from .model import Row

__all__ = [
    "STATUSES",
    "UNKNOWN_HINT",
    "DocsReport",
    "PageError",
    "PageReport",
    "RowResult",
]

STATUSES = ("ok", "mismatch", "unresolved", "unknown")
UNKNOWN_HINT = "add the workflow to the catalogue, or run `wfgen catalog sync`"


@dataclass(frozen=True)
class RowResult:
    """The verdict on one row: which canonical workflow it documents, and why we think so."""

    row: Row
    canonical_id: str | None
    status: str  # "ok" | "mismatch" | "unresolved" | "unknown" (an id no catalogue has)
    confidence: float
    evidence: tuple[str, ...]
    obsolete: bool = False
    replaced_by: str | None = None
    order_only: bool = False  # mapped by the documented order alone: nothing on the row names it

    @property
    def label(self) -> str:
        """The row's label as the page writes it."""
        return self.row.label

    @property
    def documented_id(self) -> str:
        """The row's identifier as the page writes it."""
        return self.row.documented_id

    def to_json(self) -> dict[str, Any]:
        """The row object of the documented JSON contract."""
        data: dict[str, Any] = {
            "row": self.row.index + 1,
            "line": self.row.line,
            "label": self.row.label,
            "documented_id": self.row.documented_id,
            "canonical_id": self.canonical_id,
            "status": self.status,
            "confidence": self.confidence,
            "evidence": list(self.evidence),
        }
        if self.obsolete:
            data["obsolete"] = True
            data["replaced_by"] = self.replaced_by
        if self.order_only:
            data["order_only"] = True
        return data


@dataclass(frozen=True)
class PageReport:
    """Every row of one page aligned to the catalogue."""

    path: Path
    locale: str
    module: str | None
    product: str | None
    layout: str
    rows: tuple[RowResult, ...]
    missing: tuple[str, ...]
    findings: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every row documents its canonical id."""
        return all(r.status == "ok" for r in self.rows)

    def to_json(self) -> dict[str, Any]:
        """The page object of the documented JSON contract."""
        return {
            "path": str(self.path),
            "locale": self.locale,
            "module": self.module,
            "product": self.product,
            "layout": self.layout,
            "rows": [r.to_json() for r in self.rows],
            "missing": list(self.missing),
            "findings": [p.to_json() for p in self.findings],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class PageError:
    """A page that could not be checked, and why."""

    path: Path
    message: str

    def to_json(self) -> dict[str, str]:
        """The error object of the JSON report."""
        return {"path": str(self.path), "message": self.message}


@dataclass(frozen=True)
class DocsReport:
    """The result of checking several pages."""

    pages: tuple[PageReport, ...]
    errors: tuple[PageError, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True when every row of every page is ok (errors aside)."""
        return all(p.ok for p in self.pages)

    def to_json(self) -> dict[str, Any]:
        """The documented, stable JSON document of ``wfgen docs check --format json``."""
        return {
            "pages": [p.to_json() for p in self.pages],
            "errors": [e.to_json() for e in self.errors],
        }
