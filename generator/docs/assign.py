"""Maximum-weight assignment of rows to workflows (Hungarian method, no dependencies), and
the margin of each pairing: how much the best table loses without it.

Tables have fewer than 60 rows, so the O(n^3) method is instant; a greedy pass row by row
would let an early row take the workflow a later row fits better.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

__all__ = ["assign", "assign_weights", "pair"]


def assign(scores: Sequence[Sequence[float]], *, floor: float) -> dict[int, int]:
    """Pair rows with columns to maximise the total score; a row is left unpaired where no
    pairing scores more than ``floor``, what leaving it unpaired is worth.

    Args:
        scores: ``scores[r][c]`` in [0, 1] for row ``r`` and column ``c``.
        floor: what leaving a row unpaired is worth.

    Returns:
        Row index -> column index for the rows that are paired.
    """
    rows = len(scores)
    cols = len(scores[0]) if rows else 0
    if rows == 0 or cols == 0:
        return {}
    # Leaving a row unpaired is worth ``floor``, so a pairing is worth what it gains over that:
    # the best table maximises the gains, and pairs that gain nothing are left out. Solved on
    # the shorter side (O(short^2 long)): a list page may have many rows for few workflows.
    # Costs are the gains' negatives, clipped at 0: every row of the shorter side is matched,
    # and one that gains nothing anywhere takes a column at no cost, to be dropped after.
    cost = [[min(0.0, floor - score) for score in line] for line in scores]
    if rows <= cols:
        found = list(enumerate(_hungarian(cost)))
    else:
        by_column = _hungarian([list(column) for column in zip(*cost, strict=True)])
        found = sorted((r, c) for c, r in enumerate(by_column))
    return {r: c for r, c in found if scores[r][c] > floor}


def _hungarian(cost: list[list[float]]) -> list[int]:  # noqa: PLR0912 - the textbook Hungarian algorithm, kept whole so it can be checked against its reference
    """Minimum-cost matching of every row on an n x m matrix (n <= m), in O(n^2 m); returns
    the column of each row."""
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    match = [0] * (m + 1)  # match[col] = row (1-based), 0 = free
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        match[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = match[j0]
            row = cost[i0 - 1]
            ui = u[i0]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                cur = row[j - 1] - ui - v[j]
                if cur < minv[j]:
                    minv[j] = cur
                    way[j] = j0
                if minv[j] < delta:
                    delta = minv[j]
                    j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while True:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
            if j0 == 0:
                break
    result = [0] * n
    for j in range(1, m + 1):
        if match[j]:
            result[match[j] - 1] = j - 1
    return result


def pair(
    weights: Sequence[Sequence[float]], *, decided: float
) -> tuple[dict[int, int], Callable[[int, int], float]]:
    """The best pairing under log-odds weights, and for each pair its margin: how much worse
    the best table is when that row may not take that column. A margin of ``decided`` or
    more is reported as a bound, not solved exactly.

    Only positive weights can be part of a best table, so the rows and columns they connect
    split into independent groups; each group is solved (and re-solved for a margin) alone,
    which keeps a 50-row list page fast.
    """
    rows = len(weights)
    parent = list(range(rows + (len(weights[0]) if rows else 0)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r, line in enumerate(weights):
        for c, w in enumerate(line):
            if w > 0:
                parent[find(r)] = find(rows + c)
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for r, line in enumerate(weights):
        if any(w > 0 for w in line):
            groups.setdefault(find(r), ([], []))[0].append(r)
    for c in range(len(parent) - rows):
        if find(rows + c) in groups:
            groups[find(rows + c)][1].append(c)
    pairs: dict[int, int] = {}
    group_of: dict[int, tuple[list[int], list[int], float]] = {}
    for members, cols in groups.values():
        sub = [[weights[r][c] for c in cols] for r in members]
        found = assign_weights(sub)
        for i, k in found.items():
            pairs[members[i]] = cols[k]
        best = _total(sub, found)
        for r in members:
            group_of[r] = (members, cols, best)

    def margin(r: int, k: int) -> float:
        # Bounds first: blocking (r, k) loses at most its weight, and at least its weight less
        # what r and k could each take instead; only an undecided margin is solved again.
        w = weights[r][k]
        others = max((x for c, x in enumerate(weights[r]) if c != k), default=0.0)
        rivals = max((weights[o][k] for o in range(rows) if o != r), default=0.0)
        if w < decided:
            return w
        if w - max(0.0, others) - max(0.0, rivals) >= decided:
            return w - max(0.0, others) - max(0.0, rivals)
        members, cols, best = group_of[r]
        sub = [[weights[m][c] for c in cols] for m in members]
        sub[members.index(r)][cols.index(k)] = -1.0e3
        return best - _total(sub, assign_weights(sub))

    return pairs, margin


def _total(weights: Sequence[Sequence[float]], pairs: Mapping[int, int]) -> float:
    return sum(weights[r][c] for r, c in pairs.items())


def assign_weights(weights: Sequence[Sequence[float]]) -> dict[int, int]:
    """Best pairing under log-odds weights; a pairing must beat leaving the row unpaired (0)."""
    if not weights or not weights[0]:
        return {}
    shift = max(0.0, -min(min(row) for row in weights))
    shifted = [[w + shift for w in row] for row in weights]
    pairs = assign(shifted, floor=shift)
    return {r: c for r, c in pairs.items() if weights[r][c] > 0}
