"""Disclosure control for every published count of people: one audit of all a viewer can reach.

A page publishes tables of counts, and its filters publish variants of them (the diversity
summary for all applicants, for mentees, for mentors). A reader combines them all, so they
are audited together, as one system:

- variables: the true counts of the finest groups a viewer can name (for the summary, the
  applications of one role and one decision, per answer), integers from 0 to the group size;
- public facts: what the viewer knows anyway, such as each group's size (the list of
  applications shows every role and status);
- every table cell is a sum of variables. A cell from 0 to k − 1 is hidden ("fewer than k"):
  zeros too, so that a hidden cell's bounds are 0..k − 1 and "0" never narrows the others
  down to 1..k − 1. A cell hidden only to protect another reads "hidden" and lies in k..∞.

For each hidden cell the smallest and largest values consistent with everything published,
the public facts and those bounds are found by linear programming. While one of them is a
single value, more cells are hidden. The next cell to hide is chosen by position only (the
next answer in the same column, then the same answer in the other columns and variants,
then any other), never by a count, so knowing the rule tells a reader nothing more than the
bounds. The results are kept per set of counts: a repeated view costs a dictionary look-up.
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.optimize import linprog

from .suppression import SUPPRESS_BELOW, Cell

# Counts are whole numbers: an LP bound within this of a whole number is that number.
EPSILON = 1e-6


@dataclass(frozen=True)
class Spec:
    """One published count: the sum of the system's variables at `terms`.

    `key` is (table, row, column); a row is (dimension, position): the same row means the
    same answer in every table of the system that has it.
    """

    key: tuple[Hashable, tuple[Hashable, int], int]
    terms: tuple[int, ...]


@dataclass(frozen=True)
class Fact:
    """Something the viewer knows anyway: lo ≤ the sum of the variables at `terms` ≤ hi."""

    terms: tuple[int, ...]
    lo: int
    hi: int


@dataclass(frozen=True)
class System:
    values: tuple[int, ...]  # the true counts of the finest groups
    upper: tuple[int, ...]  # each variable's public upper bound (its group's size)
    facts: tuple[Fact, ...]
    cells: tuple[Spec, ...]


def _value(system: System, spec: Spec) -> int:
    return sum(system.values[i] for i in spec.terms)


@dataclass(frozen=True)
class _Structure:
    cells: np.ndarray  # one row per cell over the variables, 1 where the cell sums it
    facts: np.ndarray
    counts: np.ndarray  # each cell's true count
    component: np.ndarray  # each variable's independent block


@lru_cache(maxsize=64)
def _structure(system: System) -> _Structure:
    n = len(system.values)
    cells = np.zeros((len(system.cells), n))
    for index, spec in enumerate(system.cells):
        cells[index, list(spec.terms)] = 1.0
    facts = np.zeros((len(system.facts), n))
    for index, fact in enumerate(system.facts):
        facts[index, list(fact.terms)] = 1.0
    counts = cells @ np.array(system.values, dtype=float)
    return _Structure(cells, facts, counts, _components(system))


def exposed(system: System, hidden: dict[int, bool], k: int = SUPPRESS_BELOW) -> list[int]:
    """The hidden cells whose value follows from everything published, as a sorted list.

    `hidden` maps a cell's index to True when it is a small count (0..k − 1) and False when
    it was hidden to protect another (k or more); published cells are equalities, the public
    facts and each variable's bounds hold too. A cell is fixed exactly when its sum lies in
    the span of the equalities the counts must meet, stated or implied: an inequality is an
    implied equality when no solution leaves it slack. The solutions are the true counts
    plus a direction in the cone where the equalities hold and the inequalities tight at the
    true counts do not grow; one linear program over that cone (maximise each tight
    inequality's slack, capped at 1) finds every implied equality at once, since the sum of
    two directions is a direction. Not two programs per hidden cell.
    """
    n = len(system.values)
    structure = _structure(system)
    equalities, inequalities, limits = [], [], []
    for index, row in enumerate(structure.cells):
        if index not in hidden:
            equalities.append((row, structure.counts[index]))
        elif hidden[index]:
            inequalities.append(row)
            limits.append(k - 1)
        else:
            inequalities.append(-row)
            limits.append(-k)
    for fact, row in zip(system.facts, structure.facts, strict=True):
        if fact.lo == fact.hi:
            equalities.append((row, fact.lo))
            continue
        inequalities += [row, -row]
        limits += [fact.hi, -fact.lo]
    identity = np.eye(n)
    g = np.vstack([np.array(inequalities).reshape(-1, n), identity, -identity])
    limits += list(system.upper) + [0] * n
    x = np.array(system.values, dtype=float)
    fixed_rows = [row for row, _b in equalities]
    # Every solution lies in a direction from the true counts that keeps the equalities and
    # the inequalities tight there: one LP finds which of those no direction can loosen.
    tight = np.flatnonzero(np.abs(g @ x - np.array(limits, dtype=float)) < EPSILON)
    if len(tight):
        t = len(tight)
        a_eq = None
        if fixed_rows:
            a_eq = np.hstack([np.array(fixed_rows), np.zeros((len(fixed_rows), t))])
        result = linprog(
            np.concatenate([np.zeros(n), -np.ones(t)]),
            A_ub=np.hstack([g[tight], np.eye(t)]),
            b_ub=np.zeros(t),
            A_eq=a_eq,
            b_eq=np.zeros(len(fixed_rows)) if fixed_rows else None,
            bounds=[(None, None)] * n + [(0, 1)] * t,
            method="highs",
        )
        if result.status != 0:  # zero is a direction: this cannot happen
            raise RuntimeError(f"Disclosure audit: the LP failed ({result.message})")
        fixed_rows += list(g[tight[result.x[n:] < EPSILON]])
    # The system falls apart into independent blocks (one per dimension, often less): a
    # basis per block keeps each decomposition small.
    component = structure.component
    fixed = np.array(fixed_rows) if fixed_rows else np.zeros((0, n))
    fixed = fixed[fixed.any(axis=1)]  # a sum of nothing (a stage nobody reached) fixes nothing
    block_of_row = np.array([component[int(np.flatnonzero(row)[0])] for row in fixed], dtype=int)
    bases: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    found = []
    for index in sorted(hidden):
        terms = system.cells[index].terms
        if not any(system.upper[t] for t in terms):
            continue  # a count of nobody is known before anything is published
        block = component[terms[0]]
        if block not in bases:
            columns = np.flatnonzero(component == block)
            rows = fixed[block_of_row == block][:, columns] if len(fixed) else fixed
            bases[block] = (columns, _row_basis(rows))
        columns, basis = bases[block]
        row = structure.cells[index][columns]
        residual = row - basis.T @ (basis @ row) if len(basis) else row
        if np.abs(residual).max() < 1e-7:
            found.append(index)
    return found


def _components(system: System) -> np.ndarray:
    """Each variable's block: variables linked by a cell or a fact share one."""
    parent = list(range(len(system.values)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for terms in [spec.terms for spec in system.cells] + [fact.terms for fact in system.facts]:
        for other in terms[1:]:
            parent[root(other)] = root(terms[0])
    return np.array([root(i) for i in range(len(parent))], dtype=int)


def _row_basis(matrix: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the rows' span: the eigenvectors of the small Gram matrix
    (as wide as the block) with a non-zero eigenvalue. (LAPACK's SVD of the tall matrix
    costs a hundred times more here.)"""
    if not len(matrix):
        return matrix
    values, vectors = np.linalg.eigh(matrix.T @ matrix)
    return vectors[:, values > 1e-9 * max(1.0, float(values.max()))].T


def _candidates(system: System, index: int) -> list[int]:
    """Where to look for the next cell to hide when cell `index` can be worked out: by
    position only. The next answers in the same column, then the same answer in the other
    columns and variants, then every other cell of the system."""
    (table, row, column) = system.cells[index].key
    structure = _structure(system)
    near = structure.cells[index] > 0
    if len(structure.facts):
        near |= structure.facts[(structure.facts[:, near] > 0).any(axis=1)].any(axis=0)
    linked = np.flatnonzero((structure.cells[:, near] > 0).any(axis=1)).tolist()
    same_column = sorted(
        (i for i in linked if system.cells[i].key[0] == table and system.cells[i].key[2] == column),
        key=lambda i: (system.cells[i].key[1][1] - row[1]) % 10_000,
    )
    same_row = [i for i in linked if system.cells[i].key[1] == row and i not in same_column]
    rest = [i for i in linked if i not in same_column and i not in same_row]
    return same_column + same_row + rest


@lru_cache(maxsize=512)
def disclose(system: System, k: int = SUPPRESS_BELOW) -> tuple[Cell, ...]:
    """The publishable view of every cell of `system`, audited together (kept per counts)."""
    values = [_value(system, spec) for spec in system.cells]
    same: dict[tuple[int, ...], list[int]] = {}
    for index, spec in enumerate(system.cells):
        same.setdefault(tuple(sorted(spec.terms)), []).append(index)

    def hide(index: int) -> None:
        # The same sum shown elsewhere (a filter that changes nothing) is hidden with it.
        for twin in same[tuple(sorted(system.cells[index].terms))]:
            hidden[twin] = values[twin] < k

    hidden: dict[int, bool] = {}
    for index, value in enumerate(values):
        if value < k:
            hide(index)
    while found := exposed(system, hidden, k):
        # One more cell per column with a cell worked out, then audit again: hiding the
        # fewest keeps the most published, and the next choice sees the previous one.
        columns_done = set()
        for index in found:
            table, _row_index, column = system.cells[index].key
            if (table, column) in columns_done:
                continue
            candidate = next((c for c in _candidates(system, index) if c not in hidden), None)
            if candidate is not None:
                hide(candidate)
                columns_done.add((table, column))
        if not columns_done:
            break  # every linked cell is hidden: what is left is known from the facts alone
    return tuple(Cell(value, index in hidden) for index, value in enumerate(values))


def partition_facts(groups: Sequence[Sequence[int]], sizes: Sequence[int]) -> list[Fact]:
    """One answer per person: the variables of each group add up to its size."""
    return [Fact(tuple(terms), size, size) for terms, size in zip(groups, sizes, strict=True)]


def several_answers_facts(
    groups: Sequence[Sequence[int]], sizes: Sequence[int], not_answered: int
) -> list[Fact]:
    """Several answers per person, "not answered" (at position `not_answered` of each group)
    only alone: each person counts at least once, and never both there and elsewhere."""
    facts = []
    for terms, size in zip(groups, sizes, strict=True):
        facts.append(Fact(tuple(terms), size, size * len(terms)))
        alone = terms[not_answered]
        facts += [Fact((alone, other), 0, size) for other in terms if other != alone]
    return facts
