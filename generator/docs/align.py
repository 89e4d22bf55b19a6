"""Align every row of a page with the canonical catalogue, as one assignment over the table.

Exact ids anchor the table. The remaining rows and workflows are scored from independent
evidence (documented order between anchors, the locale's labels, identifier shape, schedule
numbers, shared names) and paired by a maximum-weight assignment. A row whose best pairing
lacks confidence or a clear margin is ``unresolved``: never a confident wrong answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from ..model import Catalog, Module
from . import evidence as ev
from .align_page import (
    agreed_order,
    detect_module,
    documented_sequence,
    page_products,
    repeated_rows,
    row_places,
    template_match,
    votes_between,
)
from .align_rows import (
    exact_result,
    extra_ids,
    label_fit,
    module_order,
    other_package,
    package_names,
    unpunctuated,
    workflow_label,
    workflow_package,
)
from .align_solve import CONFIDENT, LOGIT_MARGIN, ORDER_ONLY, solve_gap
from .model import Page, Row
from .order import Vote, gap_votes, in_order
from .results import PageReport, RowResult

__all__ = ["CONFIDENT", "LOGIT_MARGIN", "ORDER_ONLY", "align", "detect_module"]


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


# long: one decision per row kind over the learnt labels; the cases read best side by side
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
    sequence = documented_sequence(module, own.product, catalog)
    votes, between = votes_between(
        page,
        settled,
        sequence=sequence,
        catalog=catalog,
        module=module,
        repeated=repeated_rows(page),
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
    return replace(
        own,
        rows=tuple(rows),
        missing=tuple(wid for wid in own.missing if wid not in matched),
    )


def _align_once(  # noqa: PLR0912 - one table's assignment: exact rows, votes, pairing and margins share the table's state
    page: Page,
    catalog: Catalog,
    *,
    known_labels: Mapping[str, str] | None = None,
    learned: Mapping[str, Sequence[str]] | None = None,
) -> PageReport:
    """One alignment of ``page`` with these labels (``align`` without its safeguards)."""
    module, notes = detect_module(page, catalog)
    product, others = page_products(page, module, catalog)
    labels = dict(known_labels or {})
    if not labels and page.locale.split("_")[0] == "en":
        labels = {w.id: workflow_label(w, product) for w in catalog.workflows}
    label_sets: dict[str, tuple[str, ...]] = {wid: (text,) for wid, text in labels.items()}
    for wid, texts in (learned or {}).items():
        label_sets[wid] = tuple(dict.fromkeys((*label_sets.get(wid, ()), *texts)))
    order = module_order(module, product, catalog)
    # A list page keeps the English page's alphabetical order of labels, translated or not.
    list_order = [] if module else documented_sequence(None, product, catalog)
    verdicts: dict[int, RowResult] = {}

    # Exact ids anchor the table; a repeated id stays with the row whose label fits it best.
    by_id: dict[str, list[Row]] = {}
    for row in page.rows:
        workflow = (
            catalog.by_spelling(row.documented_id)
            or template_match(row.documented_id, catalog)
            or catalog.by_spelling(unpunctuated(row.documented_id))
        )
        if workflow is not None:
            by_id.setdefault(workflow.id, []).append(row)
    duplicates: dict[int, str] = {}
    for wid, rows in by_id.items():
        keeper = max(rows, key=lambda r: (label_fit(r, labels.get(wid, "")), -r.index))
        verdicts[keeper.index] = exact_result(keeper, catalog.get(wid))  # type: ignore[arg-type]
        for other in rows:
            if other is keeper:
                continue
            if other_package(other, keeper):
                # One workflow installed by two packages is listed once under each.
                found = exact_result(other, catalog.get(wid))  # type: ignore[arg-type]
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
    packages = package_names(page, verdicts, catalog, product)
    taken = {v.canonical_id for v in verdicts.values() if v.canonical_id}
    pending = [r for r in page.rows if r.index not in verdicts]
    candidates = [w for w in catalog.workflows if w.id not in taken and not w.is_template]
    if pending and candidates:
        repeated = frozenset(duplicates) | repeated_rows(page)
        exact = {i: v.canonical_id for i, v in verdicts.items() if v.canonical_id}
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
            package_of=lambda wid: workflow_package(catalog.get(wid), product),  # type: ignore[arg-type]
            repeated=repeated,
            unlisted=sum(1 for v in verdicts.values() if v.canonical_id not in sequence),
        )
        votes = agreed_order(
            votes,
            page,
            exact,
            module=module,
            catalog=catalog,
            others=others,
            repeated=repeated,
        )

        def solve(
            votes: Mapping[int, Vote],
            between: Mapping[int, frozenset[str]],
            places: Mapping[int, tuple[str, str]],
        ) -> Mapping[int, RowResult]:
            return solve_gap(
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

        places = row_places(page, exact, sequence=sequence, catalog=catalog, repeated=repeated)
        verdicts.update(solve(votes, between, places))
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
            repeated=repeated,
            others=others,
        ):
            verdicts.update(again)
    for row in pending:
        if row.index not in verdicts:
            verdicts[row.index] = RowResult(
                row,
                None,
                "unresolved",
                0.0,
                (*tuple(extra_ids(row, duplicates)), "no candidate left"),
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
    votes, between = votes_between(
        page, settled, sequence=sequence, catalog=catalog, module=module, repeated=repeated
    )
    votes = agreed_order(
        votes, page, settled, module=module, catalog=catalog, others=others, repeated=repeated
    )
    open_votes = {r.index: votes[r.index] for r in waiting if r.index in votes}
    # The same table as before with only the order's new votes added: a row takes the voted
    # workflow when the vote survived its own evidence (no veto) and made the pairing sure. A
    # row without a vote is settled when its own evidence, now that its neighbours are known
    # and fewer workflows fall between them, makes it sure of one of those.
    places = row_places(page, settled, sequence=sequence, catalog=catalog, repeated=repeated)
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
