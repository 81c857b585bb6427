"""bench/mentor_match_compare.py: the comparison with mentor-match is a fair one.

mentor-match is a bench-only dependency (requirements-bench.txt); without it these tests
skip, saying so.
"""

import importlib.metadata
import random
import sys
from dataclasses import replace

import pytest

from devdata.bench.matching import make_problem
from matching.engine import score_pair, solve

try:
    importlib.metadata.distribution("mentor-match")
except importlib.metadata.PackageNotFoundError:
    pytest.skip(
        "mentor-match is not installed (bench-only: pip install -r requirements-bench.txt)",
        allow_module_level=True,
    )

from bench import mentor_match_compare as compare_module


def test_both_tools_solve_the_same_problem_to_the_same_total():
    found = compare_module.compare(40, 12, repeat=2, seed=4, mentor_match_repeat=1)
    assert found["engine_errors"] == [] and found["mentor_match_errors"] == []
    assert found["engine_score"] == found["mentor_match_score"] > 0
    assert found["engine_pairs"] == found["mentor_match_pairs"] > 0
    assert (len(found["engine_ms"]), len(found["mentor_match_ms"])) == (2, 1)
    assert found["mentor_match_version"] == "7.0.1"


def test_loading_mentor_match_leaves_this_projects_matching_app_in_place():
    mm = compare_module._mentor_match()
    assert "site-packages" in mm.path
    assert hasattr(sys.modules["matching"], "engine") or "matching.engine" in sys.modules
    assert sys.modules["matching.engine"].solve is solve
    assert not any(
        "site-packages" in (getattr(module, "__file__", "") or "")
        for name, module in sys.modules.items()
        if name == "matching" or name.startswith("matching.")
    )


@pytest.mark.parametrize("seed", range(6))
def test_mentor_match_rules_give_every_pair_our_score(seed):
    """The translation is exact: mentor-match's own score of each pair is score_pair()'s."""
    rng = random.Random(seed)
    problem = make_problem(25, 8, seed=seed)
    pairs = [(rng.choice(problem.mentees).id, rng.choice(problem.mentors).id) for _ in range(5)]
    problem = replace(problem, excluded=frozenset(pairs))
    mm = compare_module._mentor_match()
    mentors, mentees = compare_module._participants(problem, mm)
    rules = compare_module._rules(problem, mm)
    by_mentee = {x.id: x for x in problem.mentees}
    by_mentor = {x.id: x for x in problem.mentors}
    for row in mm.process.generate_match_matrix(mentors, mentees, rules):
        for match in row:
            a, b = match.mentee.mentee_id, match.mentor.mentor_id
            ours = score_pair(
                by_mentee[a], by_mentor[b], problem.weights, excluded=(a, b) in problem.excluded
            )
            assert (match.score, not match.disallowed) == (ours.total, ours.feasible)


def test_the_feasibility_check_names_each_broken_rule():
    problem = make_problem(30, 6, seed=2)
    good = [(a.mentee_id, a.mentor_id) for a in solve(problem).assignments]
    assert compare_module.feasibility_errors(problem, good) == []
    mentee, mentor = good[0]
    small = next(x for x in problem.mentors if x.capacity == 1)
    errors = compare_module.feasibility_errors
    assert errors(problem, [*good, (mentee, mentor)])  # a mentee twice
    assert errors(problem, [(1, small.id), (2, small.id)])  # over capacity
    assert errors(problem, [(mentee, 999_999)])  # someone not in the problem
    excluded = replace(problem, excluded=frozenset({(mentee, mentor)}))
    assert errors(excluded, good)  # a pair breaking a hard constraint
    locked = replace(problem, locked=frozenset({(mentee, mentor)}))
    assert errors(locked, good[1:])  # a lock not kept
    assert compare_module.score(problem, good) == solve(problem).total
