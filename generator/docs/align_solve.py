"""One gap of a table solved: the rows between exact anchors paired with the workflows left,
from each pairing's evidence and the documented order's votes, with the margins and vetoes
that leave a row unresolved rather than wrong."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

from ..model import PRODUCT_NAMES, Workflow
from . import evidence as ev
from .align_rows import extra_ids, outside_reason, with_obsolete, workflow_package
from .assign import pair
from .model import Page, Row
from .order import Vote
from .results import RowResult

__all__ = [
    "CONFIDENT",
    "FLOOR",
    "LOGIT_MARGIN",
    "MODULE_PRIOR",
    "ONE_PLACE",
    "ORDER_ONLY",
    "disputed_rows",
    "labels_match",
    "labels_reliable",
    "logit",
    "one_place_reason",
    "placed_by_own",
    "repeats_of",
    "singled_out",
    "solve_gap",
    "vetoed",
]

CONFIDENT = 0.5  # below this a pairing is a guess, reported as unresolved
LOGIT_MARGIN = 1.0  # the best table must beat the best table without this pairing (log-odds)
ORDER_ONLY = 0.6  # the most a row mapped by the documented order alone is trusted
ONE_PLACE = 0.6  # a row of a one-fewer gap whose own evidence fits one of its two places
FLOOR = 0.2  # pairings weaker than this are not worth making at all
MODULE_PRIOR = 0.1  # a row on a module page most likely documents that module's workflows


def solve_gap(  # noqa: PLR0912, PLR0915 - the assignment's search over one gap, its bounds and tie rules kept together
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
            items += labels_match(row, workflow.id, labels.get(workflow.id, ()), page.locale)
            items += ev.schedule_match(
                row.description,
                workflow.schedule_for([product] if product else []),
                locale=page.locale,
                canonical=workflow.id,
            )
            items += ev.shared_names(row_names, names[workflow.id], rarity, canonical=workflow.id)
            if package and workflow_package(workflow, product) == package:
                items.append(
                    (
                        0.3,
                        f"rows whose package reads {row.package!r} are in package "
                        f"{package!r}, like `{workflow.id}`",
                    )
                )
            own.append(items)
        own_all.append(own)
    reliable_labels = labels_reliable(page, labels, pending)
    vocabulary = {word for w in candidates for word in ev.split_words(w.id) if len(word) > 2}
    # One row that the order cannot stand for breaks its gap's row-by-row correspondence.
    broken = {
        vote.gap
        for row, own in zip(pending, own_all, strict=True)
        if (vote := votes.get(row.index)) is not None
        and vetoed(
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
    disputed = disputed_rows(pending, candidates, own_all, votes)
    placed = placed_by_own(pending, candidates, own_all, places)
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
                items.append((ONE_PLACE, one_place_reason(places[row.index], workflow.id)))
            elif workflow.id in between.get(row.index, frozenset()):
                why = f"`{workflow.id}` falls between this row's neighbours in the documented order"
                items.append((near if telling else min(near, 0.15), why))
            if workflow.id in order:
                items.append((MODULE_PRIOR, f"`{workflow.id}` belongs to the page's module"))
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
    columns = [c for c in range(len(candidates)) if any(s[c] >= FLOOR for s in scores)]
    weights = [[logit(scores[r][c]) - logit(FLOOR) for c in columns] for r in range(len(pending))]
    pairs, margin_of = pair(weights, decided=LOGIT_MARGIN)
    results: dict[int, RowResult] = {}
    for r, row in enumerate(pending):
        extra = extra_ids(row, duplicates)
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
            reasons = [why for _, why in found[r][best]] if scores[r][best] >= FLOOR / 2 else []
            results[row.index] = RowResult(
                row, None, "unresolved", round(scores[r][best], 2), tuple(extra + reasons + [guess])
            )
            continue
        c = columns[k]
        workflow, score = candidates[c], scores[r][c]
        reasons = [why for _, why in found[r][c]]
        outside = outside_reason(workflow, product, row) or repeats_of(
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
                and not singled_out(r, c, own_all, candidates, between.get(row.index))
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
            results[row.index] = with_obsolete(result, workflow)
            continue
        guess = outside or (
            f"best guess `{workflow.id}` ({score:.2f}) lacks confidence or a clear margin "
            "over the next best table"
        )
        results[row.index] = RowResult(
            row, None, "unresolved", round(score, 2), tuple(extra + reasons + [guess])
        )
    return results


def placed_by_own(
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


def one_place_reason(places: tuple[str, str], wid: str) -> str:
    first, second = places
    return (
        f"between its neighbours the documented order has one workflow more than the page has "
        f"rows, so this row is `{first}` or `{second}`; its own evidence fits only `{wid}`"
    )


def repeats_of(
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
    fit = labels_match(row, workflow.id, labels.get(workflow.id, ()), locale)
    if fit and fit[0][0] >= 0.72:
        return None
    return (
        f"the row repeats an id written on another row: the same workflow twice, or a copied "
        f"id; only its label being the label of `{workflow.id}` would make it that workflow"
    )


def singled_out(
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


def disputed_rows(
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


def labels_reliable(
    page: Page, labels: Mapping[str, Sequence[str]], pending: Sequence[Row]
) -> bool:
    """True when most exact rows of the page with a known label carry that label."""
    waiting = {row.index for row in pending}
    fits = [
        bool(labels_match(row, row.documented_id, labels[row.documented_id], page.locale))
        for row in page.rows
        if row.index not in waiting and labels.get(row.documented_id)
    ]
    return len(fits) >= 3 and sum(fits) * 5 >= len(fits) * 4


def labels_match(row: Row, wid: str, known: Sequence[str], locale: str) -> list[ev.Evidence]:
    """The best of the row's label (and a translated id) against the language's labels."""
    best: list[ev.Evidence] = []
    for text in known:
        for said in (row.label, row.documented_id):
            found = ev.label_match(said, text, canonical=wid, locale=locale)
            if found and (not best or found[0][0] > best[0][0]):
                best = found
    return best


def vetoed(
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
        and not labels_match(row, voted.id, known, locale)
    ):
        return True
    own_label = given.get(voted.id)
    if (
        reliable
        and own_label
        and mine < 0.5
        and not ev.id_shape(row.documented_id, voted.id)
        and not labels_match(row, voted.id, (own_label,), locale)
    ):
        return True
    rival = max(
        (ev.combine(items) for w, items in zip(candidates, own, strict=True) if w is not voted),
        default=0.0,
    )
    return rival >= 0.5 and rival > mine + 0.15


def logit(p: float) -> float:
    p = min(0.995, max(0.005, p))
    return math.log(p / (1.0 - p))
