"""The engine against brute force, and its hard constraints, on random instances."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from devdata.bench.matching import make_problem
from matching.engine import (
    CAPACITY_EXHAUSTED,
    MATCH_BASE,
    NO_FEASIBLE_MENTOR,
    Kind,
    Mentee,
    Mentor,
    Preference,
    Problem,
    Weights,
    alternatives,
    preference_met,
    score_matrix,
    score_pair,
    score_peers,
    solve,
    solve_peers,
)

SKILLS = ["grievances", "bargaining", "meetings", "organizing"]
LANGS = ["french", "punjabi", "spanish"]
PLACES = ["", "north", "south"]
GROUPS = ["black", "latin_american", "white"]

skills = st.frozensets(st.sampled_from(SKILLS), max_size=3)
langs = st.frozensets(st.sampled_from(LANGS), max_size=2)
place = st.sampled_from(PLACES)
groups = st.frozensets(st.sampled_from(GROUPS), max_size=2)


@st.composite
def problems(draw, max_mentees=5, max_mentors=3, max_capacity=2):
    mentor_ids = list(range(100, 100 + draw(st.integers(1, max_mentors))))
    mentee_ids = list(range(1, 1 + draw(st.integers(1, max_mentees))))
    preference = st.one_of(
        st.builds(
            Preference,
            kind=st.sampled_from([k for k in Kind if k != Kind.SPECIFIC_MENTOR]),
            must=st.booleans(),
        ),
        st.builds(
            Preference,
            kind=st.just(Kind.SPECIFIC_MENTOR),
            must=st.booleans(),
            mentor_id=st.sampled_from(mentor_ids),
            rank=st.integers(1, 3),
        ),
    )
    mentees = tuple(
        Mentee(
            id=i,
            goals=draw(skills),
            languages=draw(langs),
            local=draw(place),
            region=draw(place),
            priority=draw(st.booleans()),
            preferences=tuple(draw(st.lists(preference, max_size=2))),
            race_ethnicity=draw(groups),
        )
        for i in mentee_ids
    )
    mentors = tuple(
        Mentor(
            id=j,
            expertise=draw(skills),
            languages=draw(langs),
            local=draw(place),
            region=draw(place),
            is_woman=draw(st.booleans()),
            internal=draw(st.booleans()),
            capacity=draw(st.integers(1, max_capacity)),
            excluded_mentees=draw(st.frozensets(st.sampled_from(mentee_ids), max_size=1)),
            race_ethnicity=draw(groups),
        )
        for j in mentor_ids
    )
    excluded = draw(
        st.frozensets(
            st.tuples(st.sampled_from(mentee_ids), st.sampled_from(mentor_ids)), max_size=2
        )
    )
    return Problem(mentees=mentees, mentors=mentors, weights=Weights(), excluded=excluded)


def brute_force(problem: Problem) -> int:
    """The best total by trying every assignment (each mentee: a mentor or nobody)."""
    totals, feasible = score_matrix(problem)
    capacity = [m.capacity for m in problem.mentors]

    def best(i: int) -> int:
        if i == len(problem.mentees):
            return 0
        result = best(i + 1)  # mentee i stays unmatched
        for j in range(len(problem.mentors)):
            if feasible[i, j] and capacity[j] > 0:
                capacity[j] -= 1
                result = max(result, int(totals[i, j]) + best(i + 1))
                capacity[j] += 1
        return result

    return best(0)


def check_constraints(problem: Problem, result) -> None:
    by_mentee = {m.id: m for m in problem.mentees}
    by_mentor = {m.id: m for m in problem.mentors}
    assert len({a.mentee_id for a in result.assignments}) == len(result.assignments)
    load = Counter(a.mentor_id for a in result.assignments)
    for mentor_id, n in load.items():
        locked = sum(1 for a in result.assignments if a.mentor_id == mentor_id and a.locked)
        assert n <= max(by_mentor[mentor_id].capacity, locked)
    for a in result.assignments:
        if a.locked:
            continue
        mentee, mentor = by_mentee[a.mentee_id], by_mentor[a.mentor_id]
        assert a.mentee_id not in mentor.excluded_mentees
        assert (a.mentee_id, a.mentor_id) not in problem.excluded
        musts = {
            p.mentor_id for p in mentee.preferences if p.must and p.kind == Kind.SPECIFIC_MENTOR
        }
        assert not musts or mentor.id in musts
        for pref in mentee.preferences:
            if pref.must and pref.kind != Kind.SPECIFIC_MENTOR:
                assert preference_met(pref, mentee, mentor), pref
        assert a.score.feasible and a.score.total >= MATCH_BASE
    placed = {a.mentee_id for a in result.assignments} | {u.mentee_id for u in result.unmatched}
    assert placed == set(by_mentee)


@settings(max_examples=300, deadline=None)
@given(problems())
def test_matrix_equals_pair_by_pair_scoring(problem):
    totals, feasible = score_matrix(problem)
    for i, mentee in enumerate(problem.mentees):
        for j, mentor in enumerate(problem.mentors):
            excluded = (mentee.id, mentor.id) in problem.excluded
            score = score_pair(mentee, mentor, problem.weights, excluded=excluded)
            assert (int(totals[i, j]), bool(feasible[i, j])) == (score.total, score.feasible)


@settings(max_examples=400, deadline=None)
@given(problems())
def test_total_equals_brute_force_and_no_hard_constraint_is_broken(problem):
    result = solve(problem)
    assert result.total == brute_force(problem)
    check_constraints(problem, result)


@settings(max_examples=200, deadline=None)
@given(problems(), st.data())
def test_locked_pairs_are_kept_and_the_rest_is_optimal(problem, data):
    mentee = data.draw(st.sampled_from(problem.mentees))
    mentor = data.draw(st.sampled_from(problem.mentors))
    locked = Problem(
        mentees=problem.mentees,
        mentors=problem.mentors,
        weights=problem.weights,
        excluded=problem.excluded,
        locked=frozenset({(mentee.id, mentor.id)}),
    )
    result = solve(locked)
    pinned = [a for a in result.assignments if a.locked]
    assert [(a.mentee_id, a.mentor_id) for a in pinned] == [(mentee.id, mentor.id)]
    check_constraints(locked, result)
    # The others are placed optimally in what the lock leaves.
    rest = Problem(
        mentees=tuple(m for m in problem.mentees if m.id != mentee.id),
        mentors=tuple(
            m if m.id != mentor.id else Mentor(**{**m.__dict__, "capacity": max(m.capacity - 1, 0)})
            for m in problem.mentors
        ),
        weights=problem.weights,
        excluded=problem.excluded,
    )
    assert result.total - pinned[0].score.total == brute_force(rest)


def test_unmatched_reasons():
    wants_french = Mentee(1, preferences=(Preference(Kind.SHARES_LANGUAGE, must=True),))
    a, b = Mentee(2), Mentee(3)
    mentor = Mentor(100, capacity=1)
    result = solve(Problem(mentees=(wants_french, a, b), mentors=(mentor,)))
    reasons = {u.mentee_id: u.reason for u in result.unmatched}
    assert reasons[1] == NO_FEASIBLE_MENTOR
    assert sorted(reasons.values()) == [CAPACITY_EXHAUSTED, NO_FEASIBLE_MENTOR]
    assert len(result.assignments) == 1


def test_a_high_fit_beats_two_low_fits_when_that_is_the_larger_total():
    weights = Weights(goal=200)
    skilled = Mentee(1, goals=frozenset({"bargaining"}))
    other = Mentee(2, preferences=(Preference(Kind.SPECIFIC_MENTOR, must=True, mentor_id=100),))
    mentors = (Mentor(100, expertise=frozenset({"bargaining"})), Mentor(101))
    result = solve(Problem(mentees=(skilled, other), mentors=mentors, weights=weights))
    # One match worth 300 beats two worth 112 + 100: the total is what counts.
    assert {(a.mentee_id, a.mentor_id) for a in result.assignments} == {(1, 100)}
    assert result.total == MATCH_BASE + 200


def test_reasons_read_in_plain_words():
    mentee = Mentee(
        1,
        goals=frozenset({"grievances", "bargaining", "meetings", "organizing"}),
        languages=frozenset({"french"}),
        preferences=(Preference(Kind.WOMAN_MENTOR),),
    )
    mentor = Mentor(
        100,
        expertise=frozenset({"grievances", "bargaining", "meetings"}),
        languages=frozenset({"french"}),
        is_woman=True,
    )
    score = score_pair(mentee, mentor, Weights())
    assert score.reasons == (
        "3 of 4 goals match expertise",
        "shares French",
        "asked for a woman mentor: met",
    )
    assert score.total == MATCH_BASE + 3 * 10 + 6 + 8


def test_conflict_of_interest_is_always_hard():
    mentee = Mentee(1)
    mentor = Mentor(100, excluded_mentees=frozenset({1}))
    score = score_pair(mentee, mentor, Weights())
    assert not score.feasible and score.total == 0
    assert "conflict of interest" in score.broken[0]
    assert solve(Problem(mentees=(mentee,), mentors=(mentor,))).assignments == ()


def test_alternatives_are_the_best_feasible_mentors_first():
    mentee = Mentee(1, goals=frozenset({"bargaining"}))
    mentors = (
        Mentor(100),
        Mentor(101, expertise=frozenset({"bargaining"})),
        Mentor(102, excluded_mentees=frozenset({1})),
    )
    ranked = alternatives(Problem(mentees=(mentee,), mentors=mentors), [1])[1]
    assert [mentor_id for mentor_id, _ in ranked] == [101, 100]


def test_alternatives_of_many_mentees_are_each_mentees_own():
    problem = make_problem(40, 12, seed=7)
    ids = [x.id for x in problem.mentees[::3]]
    together = alternatives(problem, ids, k=4)
    assert set(together) == set(ids)
    for mentee in problem.mentees[::3]:
        # Pair by pair: feasible mentors, best first, ties in the mentors' order.
        scored = [(score_pair(mentee, m, problem.weights), m.id) for m in problem.mentors]
        best = sorted((pair for pair in scored if pair[0].feasible), key=lambda p: -p[0].total)
        assert together[mentee.id] == [(mentor_id, score) for score, mentor_id in best[:4]]


def test_priority_mentee_gets_the_scarce_mentor():
    ordinary, priority = Mentee(1), Mentee(2, priority=True)
    result = solve(Problem(mentees=(ordinary, priority), mentors=(Mentor(100),)))
    assert [a.mentee_id for a in result.assignments] == [2]


def test_circle_is_a_mentor_with_capacity_for_the_circle():
    mentees = tuple(Mentee(i) for i in range(1, 6))
    result = solve(Problem(mentees=mentees, mentors=(Mentor(100, capacity=4),)))
    assert len(result.assignments) == 4 and len(result.unmatched) == 1


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(skills, langs, place), min_size=1, max_size=6))
def test_peer_pairs_are_optimal(rows):
    mentees = tuple(
        Mentee(i, goals=g, languages=lang, region=r) for i, (g, lang, r) in enumerate(rows, start=1)
    )
    pairs = solve_peers(mentees, Weights())
    used = [x for a, b, _ in pairs for x in (a, b)]
    assert len(used) == len(set(used))

    def best(left: tuple[Mentee, ...]) -> int:
        if len(left) < 2:
            return 0
        first, rest = left[0], left[1:]
        result = best(rest)
        for k, other in enumerate(rest):
            result = max(
                result, score_peers(first, other, Weights()).total + best(rest[:k] + rest[k + 1 :])
            )
        return result

    assert sum(score.total for _, _, score in pairs) == best(mentees)
