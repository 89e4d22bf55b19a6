"""The row-to-workflow assignment: the best table, whichever side is longer."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.docs.assign import assign
from tests.conftest import examples

FLOOR = 0.2


def _best_total(scores: list[list[float]], floor: float) -> float:
    """By brute force: the best total over every partial pairing (unpaired rows are worth
    ``floor``)."""
    rows, cols = len(scores), len(scores[0])
    best = floor * rows
    for k in range(1, min(rows, cols) + 1):
        for chosen in itertools.combinations(range(rows), k):
            for taken in itertools.permutations(range(cols), k):
                total = floor * (rows - k) + sum(
                    scores[r][c] for r, c in zip(chosen, taken, strict=True)
                )
                best = max(best, total)
    return best


matrices = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: st.lists(
            st.lists(
                st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]), min_size=cols, max_size=cols
            ),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=examples(100), deadline=None)
@given(matrices)
def test_assign_finds_the_best_table(scores: list[list[float]]) -> None:
    """The pairing's total is the brute-force best; every pair beats leaving its row unpaired;
    no workflow is taken twice: with more rows than workflows too (a long list page)."""
    pairs = assign(scores, floor=FLOOR)
    assert len(set(pairs.values())) == len(pairs)
    assert all(scores[r][c] > FLOOR for r, c in pairs.items())
    total = FLOOR * (len(scores) - len(pairs)) + sum(scores[r][c] for r, c in pairs.items())
    assert abs(total - _best_total(scores, FLOOR)) < 1e-9


def test_a_pair_below_the_floor_does_not_cost_a_better_one() -> None:
    """Row 0 fits workflow 0 a little better than row 1 does; row 1 fits nothing else at all,
    row 0 nearly fits workflow 1. Matching every row (and dropping the weak pairs after) would
    give workflow 0 to row 1; the best table gives it to row 0. Square, and with more rows
    than workflows (solved by workflow)."""
    square = [[0.5, 0.19], [0.45, 0.0]]
    assert assign(square, floor=FLOOR) == {0: 0}
    tall = [*square, [0.0, 0.0]]
    assert assign(tall, floor=FLOOR) == {0: 0}
