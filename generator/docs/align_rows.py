"""What one row says against one workflow, for the alignment: its label and package, the
module's documented order, an exact id's result, the ids a row adds."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace

from ..model import PRODUCT_NAMES, Catalog, Module, Workflow
from . import evidence as ev
from .model import Page, Row
from .results import RowResult

__all__ = [
    "exact_result",
    "extra_ids",
    "label_fit",
    "module_order",
    "other_package",
    "outside_reason",
    "package_names",
    "unpunctuated",
    "with_obsolete",
    "workflow_label",
    "workflow_package",
]


def outside_reason(workflow: Workflow, product: str | None, row: Row) -> str | None:
    """Why ``row`` may not be given ``workflow`` without writing its id, or None when it may.

    A workflow the page's product does not ship, or an obsolete one, still takes part in the
    table (a row that is most likely it is no other workflow's), but only direct evidence,
    its id written on the row in another case or spacing, makes a row confidently it: never a
    learnt or PO label, a shared word or the order.
    """
    if ev.fold(row.documented_id) in {ev.fold(spelling) for spelling in workflow.spellings}:
        return None
    if workflow.obsolete:
        return f"`{workflow.id}` is obsolete: only its id written on the row can name it"
    if product is not None and product not in workflow.products:
        shipped = ", ".join(PRODUCT_NAMES[p] for p in workflow.products)
        return (
            f"`{workflow.id}` is documented for {shipped} only, not for the page's product "
            f"{PRODUCT_NAMES.get(product, product)}: only its id written on the row can name it"
        )
    return None


def other_package(row: Row, keeper: Row) -> bool:
    """The same workflow listed again under another package: not a repeated id."""
    return bool(row.package and keeper.package and ev.fold(row.package) != ev.fold(keeper.package))


def workflow_label(workflow: Workflow, product: str | None) -> str:
    variant = workflow.variant(product) if product else None
    return variant.label if variant and variant.label else workflow.label


def module_order(module: Module | None, product: str | None, catalog: Catalog) -> list[str]:
    if module is None:
        return []
    order = list(module.order(product)) or list(module.order())
    return order or [w.id for w in catalog.workflows_of(module.key)]


def label_fit(row: Row, known: str) -> float:
    return ev.combine(ev.label_match(row.label, known, canonical="", locale=""))


def unpunctuated(documented: str) -> str:
    """The id without punctuation left at its ends (``tracking)``, ``(cleanup``, ``ids.``)."""
    start, end = 0, len(documented)
    while start < end and unicodedata.category(documented[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(documented[end - 1]).startswith("P"):
        end -= 1
    return documented[start:end]


def exact_result(row: Row, workflow: Workflow) -> RowResult:
    stripped = unpunctuated(row.documented_id)
    if stripped != row.documented_id and stripped in workflow.spellings:
        # A stray character beside the id is punctuation: the row names its workflow exactly.
        result = RowResult(
            row,
            workflow.id,
            "mismatch",
            0.95,
            (
                f"`{row.documented_id}` is `{stripped}` with punctuation left beside it",
                f"replace `{row.documented_id}` with `{workflow.id}`",
            ),
        )
        return with_obsolete(result, workflow)
    found = [f"`{row.documented_id}` is a canonical id"]
    if row.documented_id in workflow.spellings[1:]:
        products = ", ".join(
            PRODUCT_NAMES[v.product] for v in workflow.variants if v.id == row.documented_id
        )
        found = [
            f"`{row.documented_id}` is how the {products} documentation writes `{workflow.id}`"
        ]
    elif row.documented_id != workflow.id:
        # A translated placeholder is a translated id: the page must write the canonical one.
        found = [
            f"`{row.documented_id}` is the template id `{workflow.id}` with its placeholder "
            "translated",
            f"replace `{row.documented_id}` with `{workflow.id}`",
        ]
        result = RowResult(row, workflow.id, "mismatch", 0.95, tuple(found))
        return with_obsolete(result, workflow)
    return with_obsolete(RowResult(row, workflow.id, "ok", 1.0, tuple(found)), workflow)


def with_obsolete(result: RowResult, workflow: Workflow) -> RowResult:
    if not workflow.obsolete:
        return result
    note = f"`{workflow.id}` is obsolete"
    if workflow.replaced_by:
        note += f"; replaced by `{workflow.replaced_by}`"
    if workflow.last_listed:
        listed = workflow.last_listed
        when = f" ({listed.date})" if listed.date else ""
        note += (
            f"; last listed by the {PRODUCT_NAMES.get(listed.product, listed.product)} page "
            f"{listed.page} at version {listed.version}{when}"
        )
    return replace(
        result, evidence=(*result.evidence, note), obsolete=True, replaced_by=workflow.replaced_by
    )


def extra_ids(row: Row, duplicates: Mapping[int, str]) -> list[str]:
    extra = [duplicates[row.index]] if row.index in duplicates else []
    return extra + ev.translated_id(row.documented_id, row.label)


def package_names(
    page: Page, verdicts: Mapping[int, RowResult], catalog: Catalog, product: str | None
) -> dict[str, str]:
    """What each Package cell of a list page means, learnt from the rows with exact ids."""
    seen: dict[str, Counter[str]] = {}
    for verdict in verdicts.values():
        workflow = catalog.get(verdict.canonical_id or "")
        if workflow is None or not verdict.row.package:
            continue
        seen.setdefault(ev.fold(verdict.row.package), Counter())[
            workflow_package(workflow, product)
        ] += 1
    learnt: dict[str, str] = {}
    for cell, counts in seen.items():
        (package, count), *rest = counts.most_common()
        if count >= 2 and not rest:
            learnt[cell] = package
    return learnt


def workflow_package(workflow: Workflow, product: str | None) -> str:
    variant = workflow.variant(product) if product else None
    return variant.package if variant and variant.package else workflow.package
