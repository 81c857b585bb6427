"""The engine's fast path (issue 19) against a slow, plain reference, and what keeps it fast.

The reference scores every pair with score_pair() (plain Python, no numpy scoring) and
assigns on the old square matrix with a "nobody" column per row; the engine scores with
numpy and assigns on the rectangle of mentees × places. Their totals must agree everywhere.
"""

import cProfile
import pstats
import tracemalloc
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from devdata.bench.matching import make_problem
from matching import engine
from matching.engine import (
    CAPACITY_EXHAUSTED,
    NO_FEASIBLE_MENTOR,
    Mentee,
    Mentor,
    Problem,
    assignment_matrix,
    score_pair,
    solve,
)

from .test_engine import check_constraints, problems


def reference_total(problem: Problem) -> int:
    """The largest total, the slow way: locks first, then every open mentee against every
    free place, scored pair by pair, on a square with a "nobody" column worth 0 per row."""
    mentees = {x.id: x for x in problem.mentees}
    mentors = {x.id: x for x in problem.mentors}
    remaining = {x.id: x.capacity for x in problem.mentors}
    total, locked = 0, set()
    for a, b in sorted(problem.locked):
        if a in mentees and b in mentors and a not in locked:
            excluded = (a, b) in problem.excluded
            total += score_pair(mentees[a], mentors[b], problem.weights, excluded=excluded).total
            locked.add(a)
            remaining[b] = max(remaining[b] - 1, 0)
    rows = [x for x in problem.mentees if x.id not in locked]
    places = [x for x in problem.mentors for _ in range(remaining[x.id])]
    if not rows or not places:
        return total
    gain = np.full((len(rows), len(places) + len(rows)), 0, dtype=np.int64)
    for i, mentee in enumerate(rows):
        for j, mentor in enumerate(places):
            excluded = (mentee.id, mentor.id) in problem.excluded
            score = score_pair(mentee, mentor, problem.weights, excluded=excluded)
            gain[i, j] = score.total if score.feasible else -1
    r, c = linear_sum_assignment(gain, maximize=True)
    return total + int(sum(gain[i, j] for i, j in zip(r, c, strict=True) if gain[i, j] > 0))


@st.composite
def bench_problems(draw):
    """make_problem's national-shaped instances, small (3 mentors at least: it draws three
    ranked choices), with some locks and exclusions."""
    problem = make_problem(
        draw(st.integers(1, 40)), draw(st.integers(3, 14)), seed=draw(st.integers(0, 10**6))
    )
    pair = st.tuples(
        st.sampled_from([x.id for x in problem.mentees]),
        st.sampled_from([x.id for x in problem.mentors]),
    )
    return replace(
        problem,
        locked=draw(st.frozensets(pair, max_size=3)),
        excluded=draw(st.frozensets(pair, max_size=6)),
    )


def check_unmatched_reasons(problem: Problem, result) -> None:
    _, feasible = engine.score_matrix(problem)
    row = {x.id: i for i, x in enumerate(problem.mentees)}
    for unmatched in result.unmatched:
        expected = CAPACITY_EXHAUSTED if feasible[row[unmatched.mentee_id]].any() else None
        assert unmatched.reason == (expected or NO_FEASIBLE_MENTOR)


@settings(max_examples=300, deadline=None)
@given(bench_problems())
def test_solve_equals_the_slow_reference_on_national_shaped_problems(problem):
    result = solve(problem)
    assert result.total == reference_total(problem)
    check_constraints(problem, result)
    check_unmatched_reasons(problem, result)


@settings(max_examples=300, deadline=None)
@given(problems(max_mentees=7, max_mentors=4, max_capacity=3))
def test_solve_equals_the_slow_reference_on_adversarial_problems(problem):
    result = solve(problem)
    assert result.total == reference_total(problem)
    check_constraints(problem, result)
    check_unmatched_reasons(problem, result)


@settings(max_examples=100, deadline=None)
@given(bench_problems())
def test_each_assignment_carries_the_pairs_own_score_and_reasons(problem):
    by_mentee = {x.id: x for x in problem.mentees}
    by_mentor = {x.id: x for x in problem.mentors}
    for a in solve(problem).assignments:
        excluded = (a.mentee_id, a.mentor_id) in problem.excluded
        expected = score_pair(
            by_mentee[a.mentee_id], by_mentor[a.mentor_id], problem.weights, excluded=excluded
        )
        assert a.score == expected


def test_solve_hands_the_solver_exactly_assignment_matrix(monkeypatch):
    problem = make_problem(120, 40, seed=3)
    handed = []

    def spy(matrix, maximize=False):
        handed.append((matrix, maximize))
        return linear_sum_assignment(matrix, maximize=maximize)

    monkeypatch.setattr(engine, "linear_sum_assignment", spy)
    solve(problem)
    [(matrix, maximize)] = handed
    assert maximize
    assert np.array_equal(matrix, assignment_matrix(problem))


@pytest.mark.parametrize(("n_mentees", "n_mentors"), [(400, 150), (60, 120)])
def test_the_matrix_is_the_bare_rectangle_smaller_side_as_rows(n_mentees, n_mentors):
    """No "nobody" columns, no place a mentor could never fill, nothing but float64."""
    problem = make_problem(n_mentees, n_mentors, seed=5)
    totals, feasible = engine.score_matrix(problem)
    candidates = int(feasible.any(axis=1).sum())
    places = sum(min(x.capacity, int(feasible[:, j].sum())) for j, x in enumerate(problem.mentors))
    matrix = assignment_matrix(problem)
    assert matrix.shape == (min(candidates, places), max(candidates, places))
    assert matrix.dtype == np.float64 and matrix.flags.c_contiguous
    assert set(np.unique(matrix)) <= {0.0} | {float(t) for t in np.unique(totals[feasible])}


def test_memory_stays_near_the_one_matrix_the_solver_needs():
    """The old square with "nobody" columns peaked at over 4× the bare rectangle."""
    problem = make_problem(1000, 300, seed=1)
    rectangle = assignment_matrix(problem).nbytes
    tracemalloc.start()
    try:
        solve(problem)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2.5 * rectangle, (peak, rectangle)


def _calls(function, *args) -> dict[str, int]:
    """Calls per function while function(*args) runs, by "module.function" (module: the
    file's name without .py; "~" for built-ins)."""
    profile = cProfile.Profile()
    profile.runcall(function, *args)
    counts: dict[str, int] = {}
    for (path, _, name), (_, calls, *_) in pstats.Stats(profile).stats.items():
        key = f"{Path(path).stem}.{name}"
        counts[key] = counts.get(key, 0) + calls
    return counts


def test_explaining_hundreds_of_pairs_translates_each_phrase_once():
    problem = make_problem(400, 150, seed=1)
    engine._texts_in.cache_clear()
    calls = _calls(solve, problem)
    phrases = len(engine._TEXTS) + len(engine.PREFERENCE_LABELS) + len(engine.ORDINALS)
    assert calls.get("trans_real.gettext", 0) <= phrases < 40
    assert calls.get("__init__.get_language", 0) <= 2
    # and so does the board's list of each mentee's best mentors (1,600 scores here)
    engine._texts_in.cache_clear()
    calls = _calls(engine.alternatives, problem, [x.id for x in problem.mentees], 4)
    assert calls.get("trans_real.gettext", 0) <= phrases
    assert calls.get("__init__.get_language", 0) <= 2
    # and scoring makes Python calls per person and preference, none per pair (60,000 here)
    assert sum(_calls(engine.score_matrix, problem).values()) < 5 * (400 + 150)


def test_reasons_follow_the_active_language():
    mentee = Mentee(1, languages=frozenset({"french"}))
    mentor = Mentor(100, languages=frozenset({"french"}))
    problem = Problem(mentees=(mentee,), mentors=(mentor,))
    with translation.override("en"):
        english = solve(problem).assignments[0].score.reasons
    with translation.override("fr"):
        french = solve(problem).assignments[0].score.reasons
        assert french == (translation.gettext("shares %(languages)s") % {"languages": "French"},)
    with translation.override("en"):
        assert solve(problem).assignments[0].score.reasons == english == ("shares French",)
    assert french != english
