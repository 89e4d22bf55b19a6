"""``wfgen catalog sync``: the catalogue follows the English documentation.

Per product, what the English pages list (:mod:`generator.sync.pages`) is compared with the
catalogue (:mod:`generator.sync.tree`, edited with ruamel.yaml's round trip):

- a workflow the pages list and the catalogue lacks is added (or the product is added to
  an entry that other products already have), with its schedule read from the sentence;
- a workflow the catalogue has for the product, on a module the pages cover, that no page
  lists any more is dropped: ``status: obsolete`` when the product was its only one, else
  the product leaves its ``products``;
- a label, description or schedule sentence the pages no longer say is replaced, on the
  product's variant when the entry serves other products too.

A sentence that cannot be read, or that disagrees with another page of the product, is
never turned into a schedule: the schedule stays (``null`` with a note for a new entry) and
the sentence is reported with its page and line. The result holds the edits; the caller
shows them (summary or diff) or writes them.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import CatalogError, InputError, Location, Severity
from ..model import PRODUCTS
from ..output import copy_tree, replace_all
from ..sync.plan import Finding, sync_product
from ..sync.sources import read_sources
from ..sync.tree import CatalogTree

__all__ = ["Finding", "SyncResult", "SyncSettings", "catalog_sync", "sync_catalog", "write_result"]


@dataclass(frozen=True)
class SyncSettings:
    """What ``catalog sync`` reads and against which catalogue."""

    sources: tuple[Path, ...]
    catalog: Path
    product: str | None = None
    rev: str | None = None
    write: bool = False  # write the edited files (``--write``); else only plan them


@dataclass
class SyncResult:
    """The findings, per product in PRODUCTS order, and the edited catalogue."""

    findings: list[Finding] = field(default_factory=list)
    tree: CatalogTree | None = None
    pages: int = 0
    written: list[Path] = field(default_factory=list)  # with ``write``: the files written

    @property
    def behind(self) -> bool:
        """True when the catalogue does not follow the pages (unread sentences aside)."""
        return any(f.kind != "unread" for f in self.findings)

    def diffs(self) -> list[tuple[Path, str | None, str]]:
        """Each file the edits change: path, old text (None when new), new text."""
        return list(self.tree.rendered()) if self.tree else []


def catalog_sync(settings: SyncSettings) -> SyncResult:
    """``wfgen catalog sync``: check the catalogue, plan the edits, and write them if asked.

    A catalogue with errors is not edited; one without workflows (a new project) is.

    Raises:
        CatalogError: when the catalogue has errors, or the edited one would have.
        InputError: when a page or a catalogue file cannot be read or written.
        UsageError: for a page without a product and no --product, or a bad --rev.
    """
    from ..load.catalog import validate_paths

    errors = [p for p in validate_paths([settings.catalog]) if p.severity is Severity.ERROR]
    if errors:
        raise CatalogError(errors)
    result = sync_catalog(settings)
    if settings.write:
        result.written = write_result(result)
    return result


def sync_catalog(settings: SyncSettings) -> SyncResult:
    """Compare the pages of ``settings.sources`` with the catalogue and plan the edits.

    Raises:
        InputError: when a page or a catalogue file cannot be read.
        UsageError: for a page without a product and no --product, or a bad --rev.
    """
    with tempfile.TemporaryDirectory(prefix="wfgen-sync-") as scratch:
        pages = read_sources(
            list(settings.sources),
            product=settings.product,
            rev=settings.rev,
            scratch=Path(scratch),
        )
        tree = CatalogTree.read(settings.catalog)
        result = SyncResult(tree=tree, pages=len(pages))
        for product in PRODUCTS:
            if any(p.product == product for p in pages):
                sync_product(tree, pages, product, result.findings)
    return result


def write_result(result: SyncResult) -> list[Path]:
    """Write the edited catalogue files, once a copy with the edits passes validation.

    Raises:
        CatalogError: when the edited catalogue would not be valid (nothing is written).
        InputError: when a file cannot be written (none is replaced then).
    """
    from ..load.catalog import validate_paths

    tree = result.tree
    if tree is None:
        return []
    edits = {path: new for path, _, new in tree.rendered()}
    if not edits:
        return []
    with tempfile.TemporaryDirectory(prefix="wfgen-sync-") as scratch:
        copy = Path(scratch) / "catalog"
        try:
            copy_tree(tree.root, copy)
            replace_all(
                {copy / path.relative_to(tree.root): new.encode() for path, new in edits.items()}
            )
        except OSError as err:
            raise InputError(
                f"cannot check the edits in a copy of the catalogue: {err.strerror or err}",
                location=Location.of(tree.root),
            ) from err
        # Reported at the catalogue's own files, not at the copy's.
        problems = [
            replace(
                p,
                location=replace(
                    p.location, file=p.location.file.replace(str(copy), str(tree.root), 1)
                ),
            )
            for p in validate_paths([copy])
            if p.severity is Severity.ERROR
        ]
    if problems:
        raise CatalogError(problems)
    return tree.write()
