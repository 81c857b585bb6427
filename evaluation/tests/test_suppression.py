"""Small-cell suppression with complements: no hidden count can be worked back out."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from core.suppression import SUPPRESS_BELOW, suppress, suppress_table
from evaluation.selectors import STAGE_KEYS, funnel_sums


def shown(cells) -> list[str]:
    return [str(cell) for cell in cells]


def solvable_cells(table, sums, cells) -> set[tuple[int, int]]:
    """Independently of the code under test: hidden cells that the published sums pin down.

    A hidden cell is determined when dropping it from the system of sums lowers its rank.
    """
    hidden = [
        (r, c) for r, row in enumerate(cells) for c, cell in enumerate(row) if cell.suppressed
    ]
    if not hidden:
        return set()
    matrix = np.array([[1.0 if p in group else 0.0 for p in hidden] for group in sums])
    full = np.linalg.matrix_rank(matrix)
    return {
        p
        for i, p in enumerate(hidden)
        if np.linalg.matrix_rank(np.delete(matrix, i, axis=1)) < full
    }


def test_a_small_count_alone_is_hidden_with_the_next_smallest():
    # 3 alone would be the total minus the rest, so 7 (not 12) is hidden too.
    assert shown(suppress([12, 3, 0, 7])) == ["12", "fewer than 5", "0", "hidden"]


def test_two_small_counts_protect_each_other():
    assert shown(suppress([12, 3, 2, 7])) == ["12", "fewer than 5", "fewer than 5", "7"]


def test_nothing_small_nothing_hidden():
    assert shown(suppress([5, 6, 0])) == ["5", "6", "0"]


def test_when_only_zeros_are_left_a_zero_is_hidden():
    # Total 3: shown zeros would say everyone is in the first row.
    assert shown(suppress([3, 0, 0])) == ["fewer than 5", "fewer than 5", "0"]


def test_subtraction_along_a_funnel_row_is_blocked():
    """Matched − completed = ended early in a closed program: a row sum, not just columns."""
    # Stages: applied, accepted, matched, completed, ended early.
    table = [
        [20, 15, 12, 9, 3],  # women: 3 ended early
        [18, 14, 11, 5, 6],  # men
    ]
    cells = suppress_table(table, funnel_sums(2))
    women, men = ([str(c) for c in row] for row in cells)
    assert women[4] == "fewer than 5"
    # With the column rule alone, 12 − 9 would give the 3 back: completed is hidden too.
    assert women[3] == "hidden"
    # ... and then the completed column needs a second hidden cell, as does ended early.
    assert men[3] == "hidden" and men[4] == "hidden"
    assert women[:3] == ["20", "15", "12"] and men[:3] == ["18", "14", "11"]
    assert solvable_cells(table, funnel_sums(2), cells) == set()


def test_a_cell_is_not_left_to_a_combination_of_sums():
    """Each sum has two hidden cells or more, yet a + b, b + c and a + c give a back."""
    table = [[3, 2, 4, 10]]
    a, b, c, d = ((0, i) for i in range(4))
    sums = [[a, b], [b, c], [a, c, d]]
    cells = suppress_table(table, sums)[0]
    # A rule that only counts hidden cells per sum would stop at a, b and c.
    assert [cell.suppressed for cell in cells] == [True, True, True, True]
    assert solvable_cells(table, sums, [cells]) == set()


def test_a_three_category_funnel_leaves_nothing_to_solve():
    table = [
        [30, 25, 20, 18, 2],
        [30, 25, 20, 12, 8],
        [30, 25, 20, 19, 1],
    ]
    cells = suppress_table(table, funnel_sums(3))
    assert solvable_cells(table, funnel_sums(3), cells) == set()
    assert cells[0][4].suppressed and cells[2][4].suppressed


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=25), min_size=len(STAGE_KEYS), max_size=5),
        min_size=1,
        max_size=6,
    )
)
def test_no_small_count_shows_and_none_can_be_solved_for(table):
    sums = funnel_sums(len(table))
    cells = suppress_table(table, sums)
    for row, cell_row in zip(table, cells, strict=True):
        for count, cell in zip(row, cell_row, strict=True):
            assert cell.count == count
            if 0 < count < SUPPRESS_BELOW:
                assert cell.suppressed
    exposed = solvable_cells(table, sums, cells)
    # The only cells left solvable are those whose every sum is already fully hidden,
    # e.g. a one-row table where the stage totals are the cells themselves.
    for position in exposed:
        groups = [g for g in sums if position in g]
        assert all(cells[r][c].suppressed for g in groups for r, c in g)
