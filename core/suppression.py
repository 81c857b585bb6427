"""Small-cell suppression for published counts, so that nobody can be picked out of a table.

Counts from 1 to 4 are hidden. A table also publishes sums: a column's total, or a stage
that is the sum of others (matched = completed + ended early + still matched). From those
sums a reader could work a hidden cell back out: alone in its sum by simple subtraction,
or by combining several sums. So more cells are hidden (complementary suppression) until
no hidden cell can be solved for from the published sums.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext

# Counts below this are shown as "fewer than 5": a small cell could point at a person.
SUPPRESS_BELOW = 5

Position = tuple[int, int]


@dataclass(frozen=True)
class Cell:
    count: int
    suppressed: bool

    def __str__(self) -> str:
        if not self.suppressed:
            return str(self.count)
        if self.count < SUPPRESS_BELOW:
            return gettext("fewer than %(n)d") % {"n": SUPPRESS_BELOW}
        # A larger count hidden so that a lone small one cannot be found by subtraction.
        return gettext("hidden")


def _solvable(hidden: list[Position], groups: list[tuple[Position, ...]]) -> list[Position]:
    """The hidden cells whose value follows from the published sums.

    Each sum, less its visible cells, is a linear equation in the hidden cells; a cell is
    determined when its unit vector lies in the span of those equations (exact arithmetic).
    """
    index = {position: i for i, position in enumerate(hidden)}
    basis: list[tuple[int, list[Fraction]]] = []  # (pivot column, row), reduced

    def reduce(row: list[Fraction]) -> list[Fraction]:
        for pivot, base in basis:
            if row[pivot]:
                factor = row[pivot]
                row = [a - factor * b for a, b in zip(row, base, strict=True)]
        return row

    for group in groups:
        row = [Fraction(0)] * len(hidden)
        for position in group:
            if position in index:
                row[index[position]] = Fraction(1)
        row = reduce(row)
        pivot = next((i for i, value in enumerate(row) if value), None)
        if pivot is None:
            continue
        row = [value / row[pivot] for value in row]
        basis = [(p, [a - b[pivot] * c for a, c in zip(b, row, strict=True)]) for p, b in basis]
        basis.append((pivot, row))
    solvable = []
    for position, i in index.items():
        unit = [Fraction(int(j == i)) for j in range(len(hidden))]
        if not any(reduce(unit)):
            solvable.append(position)
    return solvable


def suppress_table(
    table: Sequence[Sequence[int]], sums: Iterable[Sequence[Position]]
) -> list[list[Cell]]:
    """Hide small cells of `table`, then complements until none can be solved for.

    `sums` lists the groups of (row, column) positions whose total a reader can know. The
    complement comes from a sum the exposed cell is in: its smallest count that is not
    zero, a zero only when there is nothing else (hiding it still leaves two unknowns).
    """
    groups = [tuple(group) for group in sums]
    hidden = {
        (r, c) for r, row in enumerate(table) for c, n in enumerate(row) if 0 < n < SUPPRESS_BELOW
    }

    def rank(position: Position) -> tuple[bool, int, Position]:
        count = table[position[0]][position[1]]
        return (count == 0, count, position)

    while True:
        exposed = _solvable(sorted(hidden), groups)
        candidates = [p for cell in exposed for group in groups if cell in group for p in group]
        candidates = [p for p in candidates if p not in hidden]
        if not candidates:
            break
        # One at a time, smallest first: the fewest and least telling cells get hidden.
        hidden.add(min(candidates, key=rank))
    return [[Cell(n, (r, c) in hidden) for c, n in enumerate(row)] for r, row in enumerate(table)]


def suppress(counts: list[int]) -> list[Cell]:
    """One column whose total is published."""
    column = suppress_table([[n] for n in counts], [[(r, 0) for r in range(len(counts))]])
    return [row[0] for row in column]
