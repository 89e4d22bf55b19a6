"""Align every row of a page with the canonical catalogue, as one assignment over the table.

Exact ids anchor the table. The remaining rows and workflows are scored from independent
evidence (documented order between anchors, the locale's labels, identifier shape, schedule
numbers, shared names) and paired by a maximum-weight assignment. A row whose best pairing
lacks confidence or a clear margin is ``unresolved``: never a confident wrong answer.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from ..model import PRODUCT_NAMES, PRODUCTS, Catalog, Module, Workflow
from . import evidence as ev
from .assign import pair
from .model import Page, Row
from .order import Vote, gap_votes, in_order, one_fewer
from .results import PageReport, RowResult

__all__ = ["CONFIDENT", "LOGIT_MARGIN", "ORDER_ONLY", "align", "detect_module"]

CONFIDENT = 0.5  # below this a pairing is a guess, reported as unresolved
LOGIT_MARGIN = 1.0  # the best table must beat the best table without this pairing (log-odds)
ORDER_ONLY = 0.6  # the most a row mapped by the documented order alone is trusted
_ONE_PLACE = 0.6  # a row of a one-fewer gap whose own evidence fits one of its two places
_FLOOR = 0.2  # pairings weaker than this are not worth making at all
_MODULE_PRIOR = 0.1  # a row on a module page most likely documents that module's workflows


def _slug(page: str) -> str:
    stem = Path(page).stem
    return stem.split("_", 1)[1] if "_" in stem else stem


def detect_module(page: Page, catalog: Catalog) -> tuple[Module | None, list[str]]:
    """The module a page documents (None for list pages spanning modules), with the reasons."""
    exact = {r.documented_id for r in page.rows if catalog.get(r.documented_id)}
    by_anchor = {
        m.key
        for m in catalog.modules
        if page.anchor and (page.anchor == m.key or page.anchor in {_slug(p.page) for p in m.pages})
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


def _product(page: Page, module: Module | None, catalog: Catalog) -> str | None:
    return _products(page, module, catalog)[0]


def _products(
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
        placed = {product: _placed(page, module, product, catalog) for product in fitting}
        chosen = max(fitting, key=lambda product: placed[product])
        return chosen, tuple(p for p in fitting if p != chosen)
    if fitting:
        return fitting[0], ()
    return (sorted(pages, key=PRODUCTS.index)[0] if module and pages else page.product), ()


def _sequence(module: Module | None, product: str | None, catalog: Catalog) -> list[str]:
    """The documented order of ``product``: the module's, or on a list page the English list
    page's alphabetical order of labels."""
    if module is not None:
        return _order(module, product, catalog)
    return [
        w.id
        for w in sorted(
            (w for w in catalog.workflows if product is None or product in w.products),
            key=lambda w: (_label(w, product).casefold(), w.id),
        )
    ]


def _placed(page: Page, module: Module | None, product: str, catalog: Catalog) -> int:
    """How many rows without an exact id the documented order of ``product`` places, gap by
    gap between the page's exact rows (``gap_votes`` without package evidence)."""
    sequence = _sequence(module, product, catalog)
    exact: dict[int, str] = {}
    for row in page.rows:
        workflow = catalog.by_spelling(row.documented_id)
        if workflow is not None and workflow.id not in exact.values():
            exact[row.index] = workflow.id
    votes, _ = _votes_between(
        page,
        exact,
        sequence=sequence,
        catalog=catalog,
        module=module,
        repeated=_repeated(page),
    )
    return len(votes)


def _votes_between(
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


def _repeated(page: Page) -> frozenset[int]:
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


def _places(
    page: Page,
    settled: Mapping[int, str],
    *,
    sequence: Sequence[str],
    catalog: Catalog,
    repeated: frozenset[int],
) -> dict[int, tuple[str, str]]:
    """``one_fewer`` for the rows not in ``settled``, anchored like ``_votes_between``."""
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


def _agreed(
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
        theirs, _ = _votes_between(
            page,
            settled,
            sequence=_sequence(module, product, catalog),
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


def _template_match(documented: str, catalog: Catalog) -> Workflow | None:
    """``mcSynch_<externt_kontonamn>`` is ``mcSynch_<external_account_name>``: a placeholder."""
    if "<" not in documented:
        return None
    prefix = documented.split("<", 1)[0]
    found = [w for w in catalog.workflows if w.is_template and w.id.split("<", 1)[0] == prefix]
    return found[0] if len(found) == 1 else None


def align(
    page: Page,
    catalog: Catalog,
    *,
    known_labels: Mapping[str, str] | None = None,
    learned: Mapping[str, Sequence[str]] | None = None,
) -> PageReport:
    """Map every row of ``page`` to a canonical workflow, or say it cannot.

    The page is aligned on its own evidence first (its rows, the catalogue, the locale's PO
    labels). What other pages of the run taught (``learned``) may then settle a row the page
    leaves unresolved, never change a row the page settles: so a page gets the same answer
    alone and in any batch, or ``unresolved`` alone where a batch resolves it.

    Args:
        page: a page from ``read_page``.
        catalog: the canonical catalogue.
        known_labels: canonical id -> the page locale's label; English pages use the
            catalogue's own labels when this is None.
        learned: canonical id -> labels other pages of the same language give it
            (``learn.learn_labels``).

    Returns:
        The page's verdicts, row by row, and the module's workflows the page lacks.
    """
    own = _align_once(page, catalog, known_labels=known_labels)
    if not learned or not any(r.status == "unresolved" for r in own.rows):
        return own
    helped = _align_once(page, catalog, known_labels=known_labels, learned=learned)
    return _with_learned(own, helped, page=page, catalog=catalog, learned=learned)


def _with_learned(
    own: PageReport,
    helped: PageReport,
    *,
    page: Page,
    catalog: Catalog,
    learned: Mapping[str, Sequence[str]],
) -> PageReport:
    """``own`` with the unresolved rows that ``helped`` (aligned with the run's labels) settles
    where that is safe: the row's label is a label the run gives that one workflow only, the
    workflow falls where the page's own settled rows leave room for it in the documented
    order, and no row of ``own`` has it already."""
    settled = {
        r.row.index: r.canonical_id for r in own.rows if r.canonical_id and r.status != "unresolved"
    }
    module = catalog.module(own.module) if own.module else None
    sequence = _sequence(module, own.product, catalog)
    votes, between = _votes_between(
        page,
        settled,
        sequence=sequence,
        catalog=catalog,
        module=module,
        repeated=_repeated(page),
    )
    taken = set(settled.values())
    rows = list(own.rows)
    changed = False
    for k, result in enumerate(own.rows):
        other = helped.rows[k]
        wid = other.canonical_id
        if result.status != "unresolved" or other.status == "unresolved" or wid is None:
            continue
        # Only the very text: "close" labels share a product name as often as a meaning.
        said = {ev.fold(result.row.label), ev.fold(result.row.documented_id)} - {""}
        owners = {
            candidate
            for candidate, texts in learned.items()
            if said & {ev.fold(text) for text in texts}
        }
        vote = votes.get(result.row.index)
        in_order = (vote is not None and vote.workflow == wid) or wid in between.get(
            result.row.index, frozenset()
        )
        if owners != {wid} or not in_order or wid in taken:
            why = (
                "the run's labels fit other workflows too"
                if owners - {wid}
                else "no label the run learnt fits the row"
                if not owners
                else "the page's documented order has no room for it here"
                if not in_order
                else "another row of the page is it"
            )
            rows[k] = RowResult(
                result.row,
                None,
                "unresolved",
                result.confidence,
                (*result.evidence, f"other pages of the run suggest `{wid}`, but {why}"),
            )
            changed = True
            continue
        taken.add(wid)
        rows[k] = replace(
            other,
            evidence=(
                *(e for e in other.evidence if not e.startswith("replace `")),
                f"settled by a label other pages of the run give `{wid}` only, where the "
                "page's documented order has room for it",
                *(e for e in other.evidence if e.startswith("replace `")),
            ),
        )
        changed = True
    if not changed:
        return own
    matched = {r.canonical_id for r in rows if r.canonical_id}
    return PageReport(
        path=own.path,
        locale=own.locale,
        module=own.module,
        product=own.product,
        layout=own.layout,
        rows=tuple(rows),
        missing=tuple(wid for wid in own.missing if wid not in matched),
        notes=own.notes,
    )


def _align_once(
    page: Page,
    catalog: Catalog,
    *,
    known_labels: Mapping[str, str] | None = None,
    learned: Mapping[str, Sequence[str]] | None = None,
) -> PageReport:
    """One alignment of ``page`` with these labels (``align`` without its safeguards)."""
    module, notes = detect_module(page, catalog)
    product, others = _products(page, module, catalog)
    labels = dict(known_labels or {})
    if not labels and page.locale.split("_")[0] == "en":
        labels = {w.id: _label(w, product) for w in catalog.workflows}
    label_sets: dict[str, tuple[str, ...]] = {wid: (text,) for wid, text in labels.items()}
    for wid, texts in (learned or {}).items():
        label_sets[wid] = tuple(dict.fromkeys((*label_sets.get(wid, ()), *texts)))
    order = _order(module, product, catalog)
    # A list page keeps the English page's alphabetical order of labels, translated or not.
    list_order = [] if module else _sequence(None, product, catalog)
    verdicts: dict[int, RowResult] = {}

    # Exact ids anchor the table; a repeated id stays with the row whose label fits it best.
    by_id: dict[str, list[Row]] = {}
    for row in page.rows:
        workflow = (
            catalog.by_spelling(row.documented_id)
            or _template_match(row.documented_id, catalog)
            or catalog.by_spelling(_unpunctuated(row.documented_id))
        )
        if workflow is not None:
            by_id.setdefault(workflow.id, []).append(row)
    duplicates: dict[int, str] = {}
    for wid, rows in by_id.items():
        keeper = max(rows, key=lambda r: (_label_fit(r, labels.get(wid, "")), -r.index))
        verdicts[keeper.index] = _exact(keeper, catalog.get(wid))  # type: ignore[arg-type]
        for other in rows:
            if other is keeper:
                continue
            if _other_package(other, keeper):
                # One workflow installed by two packages is listed once under each.
                found = _exact(other, catalog.get(wid))  # type: ignore[arg-type]
                verdicts[other.index] = RowResult(
                    other,
                    found.canonical_id,
                    found.status,
                    found.confidence,
                    (
                        *found.evidence,
                        f"row {keeper.index + 1} lists `{wid}` under package "
                        f"{keeper.package!r}, this row under {other.package!r}",
                    ),
                    obsolete=found.obsolete,
                    replaced_by=found.replaced_by,
                )
            else:
                duplicates[other.index] = (
                    f"`{wid}` is already documented by row {keeper.index + 1} "
                    f"({keeper.label!r}); this row repeats the id"
                )
    first_of: dict[str, Row] = {}
    for row in page.rows:
        first = first_of.setdefault(row.documented_id, row)
        if first is not row and row.index not in verdicts and row.index not in duplicates:
            duplicates[row.index] = (
                f"`{row.documented_id}` is also written in row {first.index + 1} ({first.label!r})"
            )
    sequence = order or list_order
    anchors = in_order(
        {
            i: sequence.index(v.canonical_id)
            for i, v in verdicts.items()
            if v.canonical_id in sequence
        }
    )
    packages = _package_names(page, verdicts, catalog, product)
    taken = {v.canonical_id for v in verdicts.values() if v.canonical_id}
    pending = [r for r in page.rows if r.index not in verdicts]
    candidates = [w for w in catalog.workflows if w.id not in taken and not w.is_template]
    if pending and candidates:
        votes, between = gap_votes(
            pending,
            rows=len(page.rows),
            sequence=sequence,
            anchors=anchors,
            taken=taken,
            obsolete={w.id for w in catalog.workflows if w.obsolete},
            module_page=module is not None,
            row_packages={
                r.index: packages[ev.fold(r.package)]
                for r in pending
                if r.package and ev.fold(r.package) in packages
            },
            package_of=lambda wid: _package(catalog.get(wid), product),  # type: ignore[arg-type]
            repeated=frozenset(duplicates) | _repeated(page),
            unlisted=sum(1 for v in verdicts.values() if v.canonical_id not in sequence),
        )
        votes = _agreed(
            votes,
            page,
            {i: v.canonical_id for i, v in verdicts.items() if v.canonical_id},
            module=module,
            catalog=catalog,
            others=others,
            repeated=frozenset(duplicates) | _repeated(page),
        )

        def solve(
            votes: Mapping[int, Vote],
            between: Mapping[int, frozenset[str]],
            places: Mapping[int, tuple[str, str]],
        ) -> Mapping[int, RowResult]:
            return _solve(
                pending,
                candidates,
                page=page,
                order=order,
                votes=votes,
                between=between,
                places={} if others else places,
                labels=label_sets,
                given=labels,
                duplicates=duplicates,
                packages=packages,
                product=product,
            )

        exact = {i: v.canonical_id for i, v in verdicts.items() if v.canonical_id}
        verdicts.update(
            solve(
                votes,
                between,
                _places(
                    page,
                    exact,
                    sequence=sequence,
                    catalog=catalog,
                    repeated=frozenset(duplicates) | _repeated(page),
                ),
            )
        )
        # Rows settled by their own evidence (a label, the id's letters) anchor the order as
        # exact rows do: a row left alone between two of them is placed by the order, whatever
        # script its translated id is written in.
        while again := _order_again(
            pending,
            verdicts,
            page=page,
            sequence=sequence,
            catalog=catalog,
            module=module,
            solve=solve,
            repeated=frozenset(duplicates) | _repeated(page),
            others=others,
        ):
            verdicts.update(again)
    for row in pending:
        if row.index not in verdicts:
            verdicts[row.index] = RowResult(
                row, None, "unresolved", 0.0, (*tuple(_extra(row, duplicates)), "no candidate left")
            )
    matched = {v.canonical_id for v in verdicts.values() if v.canonical_id}
    missing = (
        tuple(
            wid
            for wid in order
            if wid not in matched and (w := catalog.get(wid)) is not None and not w.obsolete
        )
        if module
        else ()
    )
    return PageReport(
        path=page.path,
        locale=page.locale,
        module=module.key if module else None,
        product=product,
        layout=page.layout,
        rows=tuple(verdicts[i] for i in sorted(verdicts)),
        missing=missing,
        notes=tuple(notes),
    )


def _order_again(
    pending: Sequence[Row],
    verdicts: Mapping[int, RowResult],
    *,
    page: Page,
    sequence: Sequence[str],
    catalog: Catalog,
    module: Module | None,
    solve: Callable[
        [Mapping[int, Vote], Mapping[int, frozenset[str]], Mapping[int, tuple[str, str]]],
        Mapping[int, RowResult],
    ],
    repeated: frozenset[int],
    others: Sequence[str] = (),
) -> dict[int, RowResult]:
    """The unresolved rows that the documented order places once every mapped row (exact,
    or mapped by its label, its id's letters...) anchors it too; empty when none.

    Only a gap whose rows and workflows are as many votes (``gap_votes``, as for exact rows).
    ``solve`` scores the same rows and candidates as the first time with these votes: a row's
    own evidence can veto the vote, and the row stays unresolved unless the pairing is
    confident, clear, the order's workflow and backed by the vote itself.
    """
    settled = {
        i: v.canonical_id
        for i, v in verdicts.items()
        if v.canonical_id and v.status != "unresolved"
    }
    waiting = [r for r in pending if verdicts[r.index].status == "unresolved"]
    if not waiting:
        return {}
    votes, between = _votes_between(
        page, settled, sequence=sequence, catalog=catalog, module=module, repeated=repeated
    )
    votes = _agreed(
        votes, page, settled, module=module, catalog=catalog, others=others, repeated=repeated
    )
    open_votes = {r.index: votes[r.index] for r in waiting if r.index in votes}
    # The same table as before with only the order's new votes added: a row takes the voted
    # workflow when the vote survived its own evidence (no veto) and made the pairing sure. A
    # row without a vote is settled when its own evidence, now that its neighbours are known
    # and fewer workflows fall between them, makes it sure of one of those.
    places = _places(page, settled, sequence=sequence, catalog=catalog, repeated=repeated)
    found = solve(open_votes, between, places)
    return {
        i: result
        for i, result in found.items()
        if verdicts[i].status == "unresolved"
        and result.status != "unresolved"
        and (
            result.canonical_id == open_votes[i].workflow
            and open_votes[i].reason in result.evidence
            if i in open_votes
            else result.canonical_id in between.get(i, frozenset())
        )
    }


def _outside(workflow: Workflow, product: str | None, row: Row) -> str | None:
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


def _other_package(row: Row, keeper: Row) -> bool:
    """The same workflow listed again under another package: not a repeated id."""
    return bool(row.package and keeper.package and ev.fold(row.package) != ev.fold(keeper.package))


def _label(workflow: Workflow, product: str | None) -> str:
    variant = workflow.variant(product) if product else None
    return variant.label if variant and variant.label else workflow.label


def _order(module: Module | None, product: str | None, catalog: Catalog) -> list[str]:
    if module is None:
        return []
    order = list(module.order(product)) or list(module.order())
    return order or [w.id for w in catalog.workflows_of(module.key)]


def _label_fit(row: Row, known: str) -> float:
    return ev.combine(ev.label_match(row.label, known, canonical="", locale=""))


def _unpunctuated(documented: str) -> str:
    """The id without punctuation left at its ends (``tracking)``, ``(cleanup``, ``ids.``)."""
    start, end = 0, len(documented)
    while start < end and unicodedata.category(documented[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(documented[end - 1]).startswith("P"):
        end -= 1
    return documented[start:end]


def _exact(row: Row, workflow: Workflow) -> RowResult:
    stripped = _unpunctuated(row.documented_id)
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
        return _with_obsolete(result, workflow)
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
        return _with_obsolete(result, workflow)
    return _with_obsolete(RowResult(row, workflow.id, "ok", 1.0, tuple(found)), workflow)


def _with_obsolete(result: RowResult, workflow: Workflow) -> RowResult:
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


def _extra(row: Row, duplicates: Mapping[int, str]) -> list[str]:
    extra = [duplicates[row.index]] if row.index in duplicates else []
    return extra + ev.translated_id(row.documented_id, row.label)


def _package_names(
    page: Page, verdicts: Mapping[int, RowResult], catalog: Catalog, product: str | None
) -> dict[str, str]:
    """What each Package cell of a list page means, learnt from the rows with exact ids."""
    seen: dict[str, Counter[str]] = {}
    for verdict in verdicts.values():
        workflow = catalog.get(verdict.canonical_id or "")
        if workflow is None or not verdict.row.package:
            continue
        seen.setdefault(ev.fold(verdict.row.package), Counter())[_package(workflow, product)] += 1
    learnt: dict[str, str] = {}
    for cell, counts in seen.items():
        (package, count), *rest = counts.most_common()
        if count >= 2 and not rest:
            learnt[cell] = package
    return learnt


def _package(workflow: Workflow, product: str | None) -> str:
    variant = workflow.variant(product) if product else None
    return variant.package if variant and variant.package else workflow.package


def _solve(
    pending: Sequence[Row],
    candidates: Sequence[Workflow],
    *,
    page: Page,
    order: Sequence[str],
    votes: Mapping[int, Vote],
    between: Mapping[int, frozenset[str]],
    places: Mapping[int, tuple[str, str]],
    labels: Mapping[str, Sequence[str]],
    given: Mapping[str, str],
    duplicates: Mapping[int, str],
    packages: Mapping[str, str],
    product: str | None,
) -> dict[int, RowResult]:
    names = {w.id: ev.names_of(f"{w.label} {w.description} {w.id}") for w in candidates}
    rarity = Counter(n for found in names.values() for n in found)
    suffixes = Counter(ev.split_words(w.id)[-1] for w in candidates if ev.split_words(w.id))
    prefixes = Counter(ev.split_words(w.id)[0] for w in candidates if ev.split_words(w.id))
    module_left = [w.id for w in candidates if w.id in order]
    # On list pages the alphabetical order of labels is a weaker hint than a module's order.
    near = 0.3 if order else 0.2
    own_all: list[list[list[ev.Evidence]]] = []
    for row in pending:
        row_names = ev.names_of(f"{row.label} {row.description}")
        package = packages.get(ev.fold(row.package)) if row.package else None
        own: list[list[ev.Evidence]] = []
        for workflow in candidates:
            words = ev.split_words(workflow.id)
            items: list[ev.Evidence] = []
            items += ev.id_shape(
                row.documented_id,
                workflow.id,
                suffix_share=suffixes[words[-1]] if words else 1,
                prefix_share=prefixes[words[0]] if words else 1,
            )
            items += _labels_match(row, workflow.id, labels.get(workflow.id, ()), page.locale)
            items += ev.schedule_match(
                row.description,
                workflow.schedule_for([product] if product else []),
                locale=page.locale,
                canonical=workflow.id,
            )
            items += ev.shared_names(row_names, names[workflow.id], rarity, canonical=workflow.id)
            if package and _package(workflow, product) == package:
                items.append(
                    (
                        0.3,
                        f"rows whose package reads {row.package!r} are in package "
                        f"{package!r}, like `{workflow.id}`",
                    )
                )
            own.append(items)
        own_all.append(own)
    reliable_labels = _labels_reliable(page, labels, pending)
    vocabulary = {word for w in candidates for word in ev.split_words(w.id) if len(word) > 2}
    # One row that the order cannot stand for breaks its gap's row-by-row correspondence.
    broken = {
        vote.gap
        for row, own in zip(pending, own_all, strict=True)
        if (vote := votes.get(row.index)) is not None
        and _vetoed(
            row,
            vote,
            candidates,
            own,
            page.locale,
            labels=labels,
            given=given,
            reliable=reliable_labels,
            vocabulary=vocabulary,
        )
    }
    disputed = _disputed(pending, candidates, own_all, votes)
    placed = _placed_by_own(pending, candidates, own_all, places)
    found: list[list[list[ev.Evidence]]] = []
    for row, own in zip(pending, own_all, strict=True):
        vote = votes.get(row.index)
        if vote is not None and vote.gap in broken:
            vote = None
        per_row: list[list[ev.Evidence]] = []
        for workflow, mine in zip(candidates, own, strict=True):
            items = list(mine)
            # Order alone cannot tell a moved row from a deleted one, unless the exact rows on
            # both sides agree; otherwise it must be backed by something the row itself says.
            # A suffix many candidates share ("Mgt") does not single one out.
            telling = any(strength >= 0.3 for strength, _ in items)
            if vote is not None and vote.workflow == workflow.id:
                items.append((vote.strength, vote.reason))
            elif vote is None and placed.get(row.index) == workflow.id:
                items.append((_ONE_PLACE, _one_place_reason(places[row.index], workflow.id)))
            elif workflow.id in between.get(row.index, frozenset()):
                why = f"`{workflow.id}` falls between this row's neighbours in the documented order"
                items.append((near if telling else min(near, 0.15), why))
            if workflow.id in order:
                items.append((_MODULE_PRIOR, f"`{workflow.id}` belongs to the page's module"))
                if len(pending) == 1 and len(module_left) == 1:
                    items.append(
                        (
                            0.4,
                            f"`{workflow.id}` is the only workflow of the module the "
                            "page does not name exactly",
                        )
                    )
            elif product and product not in workflow.products and items:
                shipped = ", ".join(PRODUCT_NAMES[p] for p in workflow.products)
                items.append((0.0, f"`{workflow.id}` is documented for {shipped} only"))
            per_row.append(items)
        found.append(per_row)
    scores = [[round(ev.combine(items), 4) for items in per_row] for per_row in found]
    # Keep only columns some row could plausibly take: the assignment stays small and fast.
    columns = [c for c in range(len(candidates)) if any(s[c] >= _FLOOR for s in scores)]
    weights = [
        [_logit(scores[r][c]) - _logit(_FLOOR) for c in columns] for r in range(len(pending))
    ]
    pairs, margin_of = pair(weights, decided=LOGIT_MARGIN)
    results: dict[int, RowResult] = {}
    for r, row in enumerate(pending):
        extra = _extra(row, duplicates)
        if row.index in disputed:
            results[row.index] = disputed[row.index]
            continue
        k = pairs.get(r)
        if k is None:
            best = max(range(len(candidates)), key=lambda c: scores[r][c])
            guess = (
                f"best guess `{candidates[best].id}` ({scores[r][best]:.2f}) is too weak"
                if scores[r][best] > 0
                else "no workflow fits this row"
            )
            reasons = [why for _, why in found[r][best]] if scores[r][best] >= _FLOOR / 2 else []
            results[row.index] = RowResult(
                row, None, "unresolved", round(scores[r][best], 2), tuple(extra + reasons + [guess])
            )
            continue
        c = columns[k]
        workflow, score = candidates[c], scores[r][c]
        reasons = [why for _, why in found[r][c]]
        outside = _outside(workflow, product, row) or _repeats(
            row, workflow, duplicates, labels, page.locale
        )
        if outside is None and score >= CONFIDENT and margin_of(r, k) >= LOGIT_MARGIN:
            status = "ok" if workflow.id == row.documented_id else "mismatch"
            tail = [] if status == "ok" else [f"replace `{row.documented_id}` with `{workflow.id}`"]
            # Only the order names it: two rows that traded places would look the same.
            vote = votes.get(row.index)
            order_only = (
                status == "mismatch"
                and vote is not None
                and vote.workflow == workflow.id
                and not _singled_out(r, c, own_all, candidates, between.get(row.index))
            )
            if order_only:
                score = min(score, ORDER_ONLY)
                tail.insert(
                    0,
                    f"order only: nothing on the row itself names `{workflow.id}`; `docs fix` "
                    "leaves it unless --accept-order is given",
                )
            result = RowResult(
                row,
                workflow.id,
                status,
                round(score, 2),
                tuple(extra + reasons + tail),
                order_only=order_only,
            )
            results[row.index] = _with_obsolete(result, workflow)
            continue
        guess = outside or (
            f"best guess `{workflow.id}` ({score:.2f}) lacks confidence or a clear margin "
            "over the next best table"
        )
        results[row.index] = RowResult(
            row, None, "unresolved", round(score, 2), tuple(extra + reasons + [guess])
        )
    return results


def _placed_by_own(
    pending: Sequence[Row],
    candidates: Sequence[Workflow],
    own_all: Sequence[Sequence[Sequence[ev.Evidence]]],
    places: Mapping[int, tuple[str, str]],
) -> dict[int, str]:
    """Rows of a one-fewer gap whose own evidence fits one of their two places and not the
    other: that place is theirs."""
    index = {w.id: k for k, w in enumerate(candidates)}
    found: dict[int, str] = {}
    for row, own in zip(pending, own_all, strict=True):
        if row.index not in places:
            continue
        first, second = places[row.index]
        if first not in index or second not in index:
            continue
        a, b = own[index[first]], own[index[second]]
        telling_a = any(strength >= 0.3 for strength, _ in a)
        telling_b = any(strength >= 0.3 for strength, _ in b)
        score_a, score_b = ev.combine(a), ev.combine(b)
        if telling_a and score_a > score_b + 0.15:
            found[row.index] = first
        elif telling_b and score_b > score_a + 0.15:
            found[row.index] = second
    return found


def _one_place_reason(places: tuple[str, str], wid: str) -> str:
    first, second = places
    return (
        f"between its neighbours the documented order has one workflow more than the page has "
        f"rows, so this row is `{first}` or `{second}`; its own evidence fits only `{wid}`"
    )


def _repeats(
    row: Row,
    workflow: Workflow,
    duplicates: Mapping[int, str],
    labels: Mapping[str, Sequence[str]],
    locale: str,
) -> str | None:
    """Why a row that repeats another row's id may not be given ``workflow``, or None.

    The row is most likely the other row written twice; it is another workflow only when its
    label is that workflow's label in the page's language (a row whose id was copied from the
    row above), not on a shared word or package.
    """
    if row.index not in duplicates:
        return None
    fit = _labels_match(row, workflow.id, labels.get(workflow.id, ()), locale)
    if fit and fit[0][0] >= 0.72:
        return None
    return (
        f"the row repeats an id written on another row: the same workflow twice, or a copied "
        f"id; only its label being the label of `{workflow.id}` would make it that workflow"
    )


def _singled_out(
    r: int,
    c: int,
    own_all: Sequence[Sequence[Sequence[ev.Evidence]]],
    candidates: Sequence[Workflow],
    between: frozenset[str] | None,
) -> bool:
    """True when row ``r``'s own evidence tells candidate ``c`` from the other workflows the
    order puts between its neighbours (a package they all share tells none of them apart)."""
    own = own_all[r]
    mine = ev.combine(own[c])
    if not any(strength >= 0.3 for strength, _ in own[c]):
        return False
    rivals = [
        ev.combine(items)
        for k, (w, items) in enumerate(zip(candidates, own, strict=True))
        if k != c and (between is None or w.id in between)
    ]
    return mine > max(rivals, default=0.0) + 0.15


def _disputed(
    pending: Sequence[Row],
    candidates: Sequence[Workflow],
    own_all: Sequence[Sequence[Sequence[ev.Evidence]]],
    votes: Mapping[int, Vote],
) -> dict[int, RowResult]:
    """Rows whose own evidence (label, id letters, times and numbers) is sure of one workflow
    while the documented order names another: neither is trusted over the other, the row is
    unresolved with both. A row that writes the workflow's id in another case or spacing is
    not disputed: that is direct evidence."""
    found: dict[int, RowResult] = {}
    for row, own in zip(pending, own_all, strict=True):
        vote = votes.get(row.index)
        if vote is None or not own:
            continue
        scores = [ev.combine(items) for items in own]
        best = max(range(len(candidates)), key=lambda c: scores[c])
        workflow = candidates[best]
        voted = next(
            (s for w, s in zip(candidates, scores, strict=True) if w.id == vote.workflow), 0.0
        )
        # Evidence that fits the voted workflow as well (the same time of day) disputes nothing.
        if workflow.id == vote.workflow or scores[best] < CONFIDENT or scores[best] <= voted + 0.15:
            continue
        if ev.fold(row.documented_id) in {ev.fold(s) for s in workflow.spellings}:
            continue
        found[row.index] = RowResult(
            row,
            None,
            "unresolved",
            round(scores[best], 2),
            (
                *(why for _, why in own[best]),
                vote.reason,
                f"the row's own evidence points to `{workflow.id}`, the documented order to "
                f"`{vote.workflow}`: neither is taken over the other",
            ),
        )
    return found


def _labels_reliable(
    page: Page, labels: Mapping[str, Sequence[str]], pending: Sequence[Row]
) -> bool:
    """True when most exact rows of the page with a known label carry that label."""
    waiting = {row.index for row in pending}
    fits = [
        bool(_labels_match(row, row.documented_id, labels[row.documented_id], page.locale))
        for row in page.rows
        if row.index not in waiting and labels.get(row.documented_id)
    ]
    return len(fits) >= 3 and sum(fits) * 5 >= len(fits) * 4


def _labels_match(row: Row, wid: str, known: Sequence[str], locale: str) -> list[ev.Evidence]:
    """The best of the row's label (and a translated id) against the language's labels."""
    best: list[ev.Evidence] = []
    for text in known:
        for said in (row.label, row.documented_id):
            found = ev.label_match(said, text, canonical=wid, locale=locale)
            if found and (not best or found[0][0] > best[0][0]):
                best = found
    return best


def _vetoed(
    row: Row,
    vote: Vote,
    candidates: Sequence[Workflow],
    own: Sequence[Sequence[ev.Evidence]],
    locale: str,
    *,
    labels: Mapping[str, Sequence[str]],
    given: Mapping[str, str],
    reliable: bool,
    vocabulary: set[str],
) -> bool:
    """The row's own evidence overrules the order: its id, schedule, label or words say otherwise.

    A label the language is known to give the voted workflow must fit the row's label when
    the page's exact rows show its labels are those known ones (``reliable``). The label the
    locale's own files give it (``given``) must fit even a row that looks translated, unless
    its id has the voted id's shape or more than the package ties the row to it: a row whose
    id translates its own label, where the documented order lost a workflow, is most likely a
    workflow the catalogue lacks.
    """
    index = {w.id: i for i, w in enumerate(candidates)}
    if vote.workflow not in index:
        return True
    voted = candidates[index[vote.workflow]]
    if ev.foreign_identifier(row.documented_id, voted.id, vocabulary):
        return True
    if ev.schedule_conflict(
        row.description,
        [voted.schedule, *(v.schedule for v in voted.variants if v.has_schedule)],
        locale=locale,
    ):
        return True
    mine = ev.combine(own[index[vote.workflow]])
    # A row that does not look translated, whose label is not the one its language gives the
    # voted workflow, and that nothing else ties to it, is some other workflow's row.
    known = labels.get(voted.id, ())
    if (
        reliable
        and known
        and mine < 0.3
        and not ev.translated_id(row.documented_id, row.label)
        and not _labels_match(row, voted.id, known, locale)
    ):
        return True
    own_label = given.get(voted.id)
    if (
        reliable
        and own_label
        and mine < 0.5
        and not ev.id_shape(row.documented_id, voted.id)
        and not _labels_match(row, voted.id, (own_label,), locale)
    ):
        return True
    rival = max(
        (ev.combine(items) for w, items in zip(candidates, own, strict=True) if w is not voted),
        default=0.0,
    )
    return rival >= 0.5 and rival > mine + 0.15


def _logit(p: float) -> float:
    p = min(0.995, max(0.005, p))
    return math.log(p / (1.0 - p))
