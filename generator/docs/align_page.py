"""What a page as a whole says, for the alignment: its module and product, the documented
order its rows follow, the votes of that order between rows, the rows it repeats."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ..model import PRODUCTS, Catalog, Module, Workflow
from . import evidence as ev
from .align_rows import module_order, workflow_label
from .model import Page
from .order import Vote, gap_votes, in_order, one_fewer

__all__ = [
    "agreed_order",
    "detect_module",
    "documented_sequence",
    "page_product",
    "page_products",
    "page_slug",
    "placed_rows",
    "repeated_rows",
    "row_places",
    "template_match",
    "votes_between",
]


def page_slug(page: str) -> str:
    stem = Path(page).stem
    return stem.split("_", 1)[1] if "_" in stem else stem


def detect_module(page: Page, catalog: Catalog) -> tuple[Module | None, list[str]]:
    """The module a page documents (None for list pages spanning modules), with the reasons."""
    exact = {r.documented_id for r in page.rows if catalog.get(r.documented_id)}
    by_anchor = {
        m.key
        for m in catalog.modules
        if page.anchor
        and (page.anchor == m.key or page.anchor in {page_slug(p.page) for p in m.pages})
    }
    by_title = {
        m.key for m in catalog.modules if page.title and ev.fold(page.title) == ev.fold(m.name)
    }
    if exact:
        # A workflow can be listed on several module pages: count membership in each page's order.
        ranked = []
        for module in catalog.modules:
            members = {wid for p in module.pages for wid in p.order}
            members |= {w.id for w in catalog.workflows_of(module.key)}
            count = len(exact & members)
            if count:
                named = module.key in by_anchor or module.key in by_title
                ranked.append((count, named, count / len(members), module))
        ranked.sort(key=lambda t: (-t[0], not t[1], -t[2], t[3].key))
        count, _, _, module = ranked[0]
        if count * 10 >= len(exact) * 7:
            return module, [f"{count} of {len(exact)} exact ids belong to module {module.key}"]
        return None, [f"exact ids span {len(ranked)} modules: a list page"]
    for found, why in ((by_anchor, "the page anchor"), (by_title, "the title")):
        if len(found) == 1:
            key = next(iter(found))
            return catalog.module(key), [f"{why} names module {key}"]
    return None, ["no module recognised"]


def page_product(page: Page, module: Module | None, catalog: Catalog) -> str | None:
    return page_products(page, module, catalog)[0]


def page_products(
    page: Page, module: Module | None, catalog: Catalog
) -> tuple[str | None, tuple[str, ...]]:
    """The page's product, and the other products its exact ids fit as well when the page
    does not say which it documents (the order of those must agree before it is evidence)."""
    pages = {p.product for p in module.pages} if module else set(PRODUCTS)
    if page.product in pages:
        return page.product, ()
    exact = [w for r in page.rows if (w := catalog.get(r.documented_id))]
    fitting = [
        product
        for product in PRODUCTS
        if product in pages and exact and all(product in w.products for w in exact)
    ]
    if len(fitting) > 1:
        # The page does not say its product and its exact ids fit several: the product whose
        # documented order accounts for the most rows between the exact ones is the page's.
        placed = {product: placed_rows(page, module, product, catalog) for product in fitting}
        chosen = max(fitting, key=lambda product: placed[product])
        return chosen, tuple(p for p in fitting if p != chosen)
    if fitting:
        return fitting[0], ()
    return (sorted(pages, key=PRODUCTS.index)[0] if module and pages else page.product), ()


def documented_sequence(module: Module | None, product: str | None, catalog: Catalog) -> list[str]:
    """The documented order of ``product``: the module's, or on a list page the English list
    page's alphabetical order of labels."""
    if module is not None:
        return module_order(module, product, catalog)
    return [
        w.id
        for w in sorted(
            (w for w in catalog.workflows if product is None or product in w.products),
            key=lambda w: (workflow_label(w, product).casefold(), w.id),
        )
    ]


def placed_rows(page: Page, module: Module | None, product: str, catalog: Catalog) -> int:
    """How many rows without an exact id the documented order of ``product`` places, gap by
    gap between the page's exact rows (``gap_votes`` without package evidence)."""
    sequence = documented_sequence(module, product, catalog)
    exact: dict[int, str] = {}
    for row in page.rows:
        workflow = catalog.by_spelling(row.documented_id)
        if workflow is not None and workflow.id not in exact.values():
            exact[row.index] = workflow.id
    votes, _ = votes_between(
        page,
        exact,
        sequence=sequence,
        catalog=catalog,
        module=module,
        repeated=repeated_rows(page),
    )
    return len(votes)


def votes_between(
    page: Page,
    settled: Mapping[int, str],
    *,
    sequence: Sequence[str],
    catalog: Catalog,
    module: Module | None,
    repeated: frozenset[int] = frozenset(),
) -> tuple[dict[int, Vote], dict[int, frozenset[str]]]:
    """``gap_votes`` for the rows not in ``settled`` (row index -> workflow id), with the
    settled rows that keep the documented order as anchors (no package evidence)."""
    anchors = in_order({i: sequence.index(wid) for i, wid in settled.items() if wid in sequence})
    listed = set(sequence)
    return gap_votes(
        [r for r in page.rows if r.index not in settled],
        rows=len(page.rows),
        sequence=sequence,
        anchors=anchors,
        taken=set(settled.values()),
        obsolete={w.id for w in catalog.workflows if w.obsolete},
        module_page=module is not None,
        repeated=repeated,
        unlisted=sum(1 for wid in settled.values() if wid not in listed),
    )


def repeated_rows(page: Page) -> frozenset[int]:
    """Rows that name what another row names: the same id as an earlier row, or as their id
    the text another row gives as its label (a translated id is its own row's label). Either
    the page documents one workflow twice or its ids and labels slipped a row: the order
    cannot count such a gap row by row."""
    first: set[str] = set()
    found: set[int] = set()
    for row in page.rows:
        if row.documented_id in first:
            found.add(row.index)
        first.add(row.documented_id)
    labels: dict[str, set[int]] = {}
    for row in page.rows:
        labels.setdefault(ev.fold(row.label), set()).add(row.index)
    for row in page.rows:
        echoed = labels.get(ev.fold(row.documented_id), set()) - {row.index}
        if echoed and ev.fold(row.documented_id):
            found |= echoed | {row.index}
    return frozenset(found)


def row_places(
    page: Page,
    settled: Mapping[int, str],
    *,
    sequence: Sequence[str],
    catalog: Catalog,
    repeated: frozenset[int],
) -> dict[int, tuple[str, str]]:
    """``one_fewer`` for the rows not in ``settled``, anchored like ``votes_between``."""
    anchors = in_order({i: sequence.index(wid) for i, wid in settled.items() if wid in sequence})
    return one_fewer(
        [r for r in page.rows if r.index not in settled],
        rows=len(page.rows),
        sequence=sequence,
        anchors=anchors,
        taken=set(settled.values()),
        obsolete={w.id for w in catalog.workflows if w.obsolete},
        repeated=repeated,
    )


def agreed_order(
    votes: Mapping[int, Vote],
    page: Page,
    settled: Mapping[int, str],
    *,
    module: Module | None,
    catalog: Catalog,
    others: Sequence[str],
    repeated: frozenset[int],
) -> dict[int, Vote]:
    """The votes that the documented order of every other product the page may document
    casts too: a vote that depends on which product a page that does not say it is, is a
    guess, not evidence."""
    kept = dict(votes)
    for product in others:
        theirs, _ = votes_between(
            page,
            settled,
            sequence=documented_sequence(module, product, catalog),
            catalog=catalog,
            module=module,
            repeated=repeated,
        )
        kept = {
            i: vote
            for i, vote in kept.items()
            if i in theirs and theirs[i].workflow == vote.workflow
        }
    return kept


def template_match(documented: str, catalog: Catalog) -> Workflow | None:
    """``mcSynch_<externt_kontonamn>`` is ``mcSynch_<external_account_name>``: a placeholder."""
    if "<" not in documented:
        return None
    prefix = documented.split("<", 1)[0]
    found = [w for w in catalog.workflows if w.is_template and w.id.split("<", 1)[0] == prefix]
    return found[0] if len(found) == 1 else None
