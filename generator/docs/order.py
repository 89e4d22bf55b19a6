"""What the documented order says about the rows between exact ones.

Exact rows that follow the catalogue's documented order anchor a table; each gap between two
of them (or a table edge) holds as many rows as the order has workflows there, or not. Where
it does, each row votes for its workflow in turn.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass

from .model import Row

__all__ = ["Vote", "gap_votes", "in_order", "one_fewer"]

_AGREED = 0.8  # the exact rows on both sides agree which workflow a row stands for
_AGREED_PACKAGE = 0.75  # the same, counting the workflows of each row's learnt package
_EDGE = 0.55  # the same, with the table's edge on one side of a complete table
_EDGE_PARTIAL = 0.35  # the table's edge on one side of a table that lacks workflows


@dataclass(frozen=True)
class Vote:
    """What the documented order says about one row: its workflow, how sure, and why."""

    workflow: str
    strength: float
    reason: str
    gap: int  # the gap's first row: one row vetoing breaks the whole gap's correspondence


def in_order(anchors: Mapping[int, int]) -> dict[int, int]:
    """The longest run of exact rows that follows the documented order; only these anchor.

    A workflow listed in another place (an older page, a moved row) leaves the run; the rest of
    the page keeps its order evidence.
    """
    items = sorted(anchors.items())
    length = [1] * len(items)
    back = [-1] * len(items)
    for i, (_, pos) in enumerate(items):
        for j in range(i):
            if items[j][1] < pos and length[j] + 1 > length[i]:
                length[i], back[i] = length[j] + 1, j
    if not items:
        return {}
    k = max(range(len(items)), key=lambda i: (length[i], -i))
    kept: dict[int, int] = {}
    while k >= 0:
        kept[items[k][0]] = items[k][1]
        k = back[k]
    # A table mostly out of the documented order was reordered: its order says nothing.
    return kept if len(kept) * 3 >= len(items) * 2 else {}


def gap_votes(
    pending: Sequence[Row],
    *,
    rows: int,
    sequence: Sequence[str],
    anchors: Mapping[int, int],
    taken: set[str],
    obsolete: set[str],
    module_page: bool,
    row_packages: Mapping[int, str] | None = None,
    package_of: Callable[[str], str] | None = None,
    repeated: Set[int] = frozenset(),
    unlisted: int = 0,
) -> tuple[dict[int, Vote], dict[int, frozenset[str]]]:
    """Votes of the documented order, gap by gap between the in-order exact rows.

    Where the exact rows on both sides of a gap leave as many workflows between them in the
    documented order as the page has rows, each row stands for its workflow in turn: strong
    evidence. A gap at the table's edge counts the same only on a complete table. Where the
    counts differ (a page version lists fewer workflows than the catalogue) but every row of a
    closed gap has a Package cell the page's exact rows have taught (``row_packages``), the
    counts may match package by package: each row stands for the next workflow of its package.
    Otherwise each row only learns which workflows fall between its neighbours.

    A row that repeats an id another row writes (``repeated``) is that row written twice, not
    its neighbour: its gap has one row too many for the order to say anything, so no row of
    that gap gets a vote. ``unlisted`` rows of the page are settled on workflows the order
    does not list.
    """
    bounds = [(-1, -1), *sorted(anchors.items()), (rows, len(sequence))]
    # Rows that name a workflow the order does not list (an obsolete one still documented)
    # take no place in it: the table is complete when the rest are as many as the order.
    complete = rows - unlisted in {
        len(sequence),
        len([w for w in sequence if w not in obsolete]),
    }
    votes: dict[int, Vote] = {}
    between: dict[int, frozenset[str]] = {}
    for (ra, pa), (rb, pb) in itertools.pairwise(bounds):
        gap = [r for r in pending if ra < r.index < rb]
        if not gap:
            continue
        every = [sequence[k] for k in range(pa + 1, pb) if sequence[k] not in taken]
        current = [w for w in every if w not in obsolete]
        for row in gap:
            between[row.index] = frozenset(every)
        if any(row.index in repeated for row in gap):
            continue
        pick = every if len(every) == len(gap) else current if len(current) == len(gap) else []
        closed = ra >= 0 and rb < rows
        by_package = (
            _by_package(gap, every, row_packages or {}, package_of)
            or _by_package(gap, current, row_packages or {}, package_of)
            if not pick and closed and package_of is not None
            else []
        )
        if not pick and not by_package:
            continue
        if by_package:
            pick = by_package
            why = (
                f"rows {ra + 1} and {rb + 1} name `{sequence[pa]}` and `{sequence[pb]}` exactly, "
                f"and between them the documented order has as many workflows of each package "
                f"as the page has rows of that package"
            )
            strength = _AGREED_PACKAGE
        elif closed:
            strength = _AGREED
            why = (
                f"rows {ra + 1} and {rb + 1} name `{sequence[pa]}` and `{sequence[pb]}` exactly, "
                f"and the documented order has {len(pick)} workflow(s) between them for the "
                f"page's {len(gap)} row(s)"
            )
        elif ra < 0 and rb >= rows:
            if not (module_page and complete):
                continue
            strength = _EDGE
            why = "the table has as many rows as the module has workflows"
        else:
            strength = _EDGE if complete else _EDGE_PARTIAL
            side = (
                f"row {rb + 1} (`{sequence[pb]}`)" if ra < 0 else f"row {ra + 1} (`{sequence[pa]}`)"
            )
            edge = "start" if ra < 0 else "end"
            why = (
                f"between the table's {edge} and {side} the documented order has "
                f"{len(pick)} workflow(s) for the page's {len(gap)} row(s)"
            )
        for row, wid in zip(gap, pick, strict=True):
            votes[row.index] = Vote(
                wid, strength, f"{why}: row {row.index + 1} is `{wid}`", gap[0].index
            )
    return votes, between


def one_fewer(
    pending: Sequence[Row],
    *,
    rows: int,
    sequence: Sequence[str],
    anchors: Mapping[int, int],
    taken: Set[str],
    obsolete: Set[str],
    repeated: Set[int] = frozenset(),
) -> dict[int, tuple[str, str]]:
    """The two places each row can take in a closed gap that holds one row fewer than the
    documented order has workflows there (a row removed, or a page version without one):
    the row at position p is the order's workflow p or p + 1. Only the row's own evidence can
    say which, so this is no vote.
    """
    bounds = [(-1, -1), *sorted(anchors.items()), (rows, len(sequence))]
    places: dict[int, tuple[str, str]] = {}
    for (ra, pa), (rb, pb) in itertools.pairwise(bounds):
        if ra < 0 or rb >= rows:
            continue
        gap = [r for r in pending if ra < r.index < rb]
        if not gap or len(gap) != rb - ra - 1 or any(r.index in repeated for r in gap):
            continue
        every = [sequence[k] for k in range(pa + 1, pb) if sequence[k] not in taken]
        for pick in (every, [w for w in every if w not in obsolete]):
            if len(pick) == len(gap) + 1:
                for position, row in enumerate(gap):
                    places[row.index] = (pick[position], pick[position + 1])
                break
    return places


def _by_package(
    gap: Sequence[Row],
    every: Sequence[str],
    row_packages: Mapping[int, str],
    package_of: Callable[[str], str],
) -> list[str]:
    """Each gap row's workflow when, package by package, the gap's rows and the documented
    order's workflows are as many (workflows of packages no row names are left out); else []."""
    if not gap or any(row.index not in row_packages for row in gap):
        return []
    wanted = Counter(row_packages[row.index] for row in gap)
    queues: dict[str, list[str]] = {}
    for wid in every:
        if package_of(wid) in wanted:
            queues.setdefault(package_of(wid), []).append(wid)
    if any(len(queues.get(p, [])) != n for p, n in wanted.items()):
        return []
    return [queues[row_packages[row.index]].pop(0) for row in gap]
