"""Maximum-weight assignment of rows to workflows (Hungarian method, no dependencies).

Tables have fewer than 60 rows, so the O(n^3) method is instant; a greedy pass row by row
would let an early row take the workflow a later row fits better.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["assign"]


def assign(scores: Sequence[Sequence[float]], *, floor: float) -> dict[int, int]:
    """Pair rows with columns to maximise the total score; pairs scoring below ``floor`` are left
    unpaired (each row may instead take a private "no match" column worth ``floor``).

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
    # Each row may instead take its own "unpaired" column worth ``floor``; other rows may not.
    big = 1.0e6
    cost = []
    for r in range(rows):
        line = [-scores[r][c] for c in range(cols)]
        line.extend(-floor if k == r else big for k in range(rows))
        cost.append(line)
    pairs = _hungarian(cost)
    return {r: c for r, c in enumerate(pairs) if c < cols and scores[r][c] >= floor}


def _hungarian(cost: list[list[float]]) -> list[int]:
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
