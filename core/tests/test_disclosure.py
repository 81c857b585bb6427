"""The disclosure-control layer: no hidden count can be pinned down, checked by brute force.

The checks enumerate every whole-number table consistent with what is published, the public
facts and the bounds a reader knows from the rule ("fewer than 5" is 0..4, "hidden" is 5 or
more); they share no code with the layer's linear programs.
"""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from core.disclosure import Spec, System, disclose, partition_facts
from core.suppression import SUPPRESS_BELOW

K = SUPPRESS_BELOW


def column(counts: list[int]) -> System:
    """One group of people, one answer each, one published column with its total known."""
    cells = tuple(Spec((0, (0, i), 0), (i,)) for i in range(len(counts)))
    facts = partition_facts([list(range(len(counts)))], [sum(counts)])
    return System(tuple(counts), (sum(counts),) * len(counts), tuple(facts), cells)


def shown(system: System) -> list[str]:
    return [str(cell) for cell in disclose(system)]


def compositions(total: int, parts: int):
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in compositions(total - first, parts - 1):
            yield (first, *rest)


def pinned(system: System, width: int, sizes: list[int]) -> list[int]:
    """Brute force: the hidden cells (of groups with people) that take one value only.

    Left out: a cell pinned by the labels alone, with every number of the table hidden: a
    group of 5 or more who all gave one answer reads "hidden" (5 or more) there and "fewer
    than 5" elsewhere, which tells what showing the 5 would (allowed by the rule).
    """
    exempt = _pinned(system, width, sizes, disclose(system), everything_hidden=True)
    return [i for i in _pinned(system, width, sizes, disclose(system)) if i not in exempt]


def _pinned(system, width, sizes, cells, everything_hidden=False) -> list[int]:
    seen: dict[int, set[int]] = {i: set() for i, cell in enumerate(cells) if cell.suppressed}
    for parts in itertools.product(*(compositions(size, width) for size in sizes)):
        x = [n for part in parts for n in part]
        fits = True
        for spec, cell in zip(system.cells, cells, strict=True):
            value = sum(x[t] for t in spec.terms)
            if not cell.suppressed:
                fits = everything_hidden or value == cell.count
            elif cell.count < K:
                fits = value < K
            else:
                fits = value >= K
            if not fits:
                break
        if fits:
            for i in seen:
                seen[i].add(sum(x[t] for t in system.cells[i].terms))
    # A count of nobody (its groups are empty) is known before anything is published.
    return [
        i
        for i, values in seen.items()
        if len(values) < 2 and any(system.upper[t] for t in system.cells[i].terms)
    ]


def test_small_counts_and_zeros_read_fewer_than_five():
    # 3 + 0 = 3 between two hidden cells: each lies in 0..3, nothing more to hide.
    assert shown(column([12, 3, 0, 7])) == ["12", "fewer than 5", "fewer than 5", "7"]
    assert pinned(column([12, 3, 0, 7]), 4, [22]) == []


def test_a_total_of_two_over_two_hidden_cells_says_nothing_more():
    """The audit: 'Ended early' Woman 0, Man 1, Prefer not 1, Not answered 0, Total 2. With
    zeros shown, each hidden cell was 1..4, so both were 1; hidden too, each is 0..2."""
    counts = [0, 1, 1, 0]
    assert shown(column(counts)) == ["fewer than 5"] * 4
    assert pinned(column(counts), 4, [2]) == []


def test_a_lone_small_count_takes_the_next_answer_as_complement_not_the_smallest():
    # 3 alone is 31 − 12 − 9 − 7. The complement is the next answer (9), by position:
    # choosing the smallest (7) would tell a reader the hidden 9 is 7 or more.
    assert shown(column([12, 3, 9, 7])) == ["12", "fewer than 5", "hidden", "7"]
    assert pinned(column([12, 3, 9, 7]), 4, [31]) == []


def test_hidden_cells_that_add_up_to_nothing_get_a_complement():
    # Shown 11 and 12 of 23 would prove the three hidden answers empty.
    result = shown(column([11, 12, 0, 0, 0]))
    assert result == ["hidden", "12", "fewer than 5", "fewer than 5", "fewer than 5"]
    assert pinned(column([11, 12, 0, 0, 0]), 5, [23]) == []


def test_a_count_of_nobody_is_not_worth_hiding_more_for():
    # An empty group's cells are 0, known before anything is published: no complement.
    system = System((0, 0), (0, 0), tuple(partition_facts([[0, 1]], [0])), column([0, 0]).cells)
    assert shown(system) == ["fewer than 5", "fewer than 5"]


def variants(a: list[int], b: list[int]) -> System:
    """Two groups (say mentees and mentors), one answer each, and three published columns:
    everyone, the first group, the second group (the summary's role filter)."""
    width = len(a)
    values = tuple(a + b)
    sizes = [sum(a), sum(b)]
    cells = []
    for column_index, members in enumerate(([0, 1], [0], [1])):
        for c in range(width):
            terms = tuple(g * width + c for g in members)
            cells.append(Spec((column_index, (0, c), 0), terms))
    facts = partition_facts([list(range(width)), list(range(width, 2 * width))], sizes)
    upper = tuple(size for size in sizes for _c in range(width))
    return System(values, upper, tuple(facts), tuple(cells))


def test_a_filter_cannot_undo_the_suppression_of_another():
    """The audit: everyone Woman 6, mentees Woman 6 gave the two mentors away as men."""
    system = variants([6, 5, 2], [0, 2, 0])
    cells = disclose(system)
    everyone, mentees = cells[:3], cells[3:6]
    # The women shown for both would prove no mentor is a woman: one of them is hidden.
    assert everyone[0].suppressed or mentees[0].suppressed
    assert pinned(system, 3, [13, 2]) == []


@settings(max_examples=120, deadline=None, derandomize=True)
@given(
    st.lists(st.integers(0, 7), min_size=3, max_size=3),
    st.lists(st.integers(0, 5), min_size=3, max_size=3),
)
def test_no_hidden_cell_can_be_pinned_down(a, b):
    system = variants(a, b)
    cells = disclose(system)
    for cell, spec in zip(cells, system.cells, strict=True):
        assert cell.count == sum(system.values[t] for t in spec.terms)
        if cell.count < K:
            assert cell.suppressed
    assert pinned(system, 3, [sum(a), sum(b)]) == []


def test_a_column_that_sums_nobody_is_hidden_and_costs_no_complement():
    """A funnel stage nobody reached is a sum of no groups at all: 0, known to everyone.
    Treated as a pinned cell, it would have the 6 hidden for nothing."""
    base = column([6, 2, 0])
    system = System(base.values, base.upper, base.facts, (*base.cells, Spec((1, (0, 0), 0), ())))
    cells = disclose(system)
    assert [str(cell) for cell in cells] == ["6", "fewer than 5", "fewer than 5", "fewer than 5"]
