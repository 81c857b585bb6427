"""Matching engine: solve() at three sizes, each beside its floor, and against mentor-match.

The floor is SciPy's `linear_sum_assignment` alone on the gain matrix solve() hands it, for
the same problem: what no engine built on it can beat. The ratio says how much solve()
adds (scoring, building the matrix, reading the answer) on top of the solver.
"""

import importlib
import random

from scipy.optimize import linear_sum_assignment

from devdata.bench.figures import Figure, count_queries, interleaved
from matching import engine
from matching.engine import Kind, Mentee, Mentor, Preference, Problem, solve
from matching.models import UnionSkill

SKILLS = list(UnionSkill.values)
LANGUAGES = ["french", "punjabi", "spanish", "tagalog", "mandarin", "arabic", "cree", "hindi"]
REGIONS = [f"region {n}" for n in range(10)]
LOCALS = [f"local {n}" for n in range(20)]
RACE_ETHNICITY = ["indigenous", "black", "east_asian", "south_asian", "latin_american", "white"]


def make_problem(n_mentees: int, n_mentors: int, seed: int = 1) -> Problem:
    rng = random.Random(seed)
    # Race/ethnicity answers come from a stream of their own, so the other draws stay as
    # they were before the engine compared them; a third of people leave it blank.
    answers = random.Random(f"race-ethnicity-{seed}")

    def race_ethnicity() -> frozenset[str]:
        return frozenset(answers.sample(RACE_ETHNICITY, 1) if answers.random() < 0.67 else [])

    mentors = tuple(
        Mentor(
            id=10_000 + j,
            expertise=frozenset(rng.sample(SKILLS, rng.randint(2, 6))),
            languages=frozenset(rng.sample(LANGUAGES, rng.randint(0, 2))),
            local=rng.choice(LOCALS),
            region=rng.choice(REGIONS),
            is_woman=rng.random() < 0.45,
            internal=rng.random() < 0.85,
            capacity=rng.randint(1, 4),
            excluded_mentees=frozenset(
                rng.sample(range(n_mentees), 1) if rng.random() < 0.05 else []
            ),
            race_ethnicity=race_ethnicity(),
        )
        for j in range(n_mentors)
    )

    def preferences():
        prefs = []
        if rng.random() < 0.3:
            kind = rng.choice([k for k in Kind if k != Kind.SPECIFIC_MENTOR])
            prefs.append(Preference(kind, must=rng.random() < 0.1))
        if rng.random() < 0.2:
            for rank, mentor in enumerate(rng.sample(mentors, 3), start=1):
                prefs.append(Preference(Kind.SPECIFIC_MENTOR, mentor_id=mentor.id, rank=rank))
        return tuple(prefs)

    mentees = tuple(
        Mentee(
            id=i,
            goals=frozenset(rng.sample(SKILLS, rng.randint(1, 4))),
            languages=frozenset(rng.sample(LANGUAGES, rng.randint(0, 1))),
            local=rng.choice(LOCALS),
            region=rng.choice(REGIONS),
            priority=rng.random() < 0.2,
            preferences=preferences(),
            race_ethnicity=race_ethnicity(),
        )
        for i in range(n_mentees)
    )
    return Problem(mentees=mentees, mentors=mentors)


SIZES = ((400, 150), (2000, 500), (4000, 1000))
# Engine against mentor-match 7.0.1, which solves in pure Python (munkres): one of its runs
# at 1000x300 takes tens of seconds, at 2000x500 minutes, so it runs once per size here and
# `python bench/mentor_match_compare.py 2000x500` measures the larger size on demand.
COMPARED = ((400, 150), (1000, 300))


def run(repeat: int | None = None) -> list[Figure]:
    repeat = repeat or 5
    figures = []
    for n_mentees, n_mentors in SIZES:
        problem = make_problem(n_mentees, n_mentors)
        matrix = engine.assignment_matrix(problem)
        samples, floors = interleaved(
            lambda problem=problem: solve(problem),
            lambda matrix=matrix: linear_sum_assignment(matrix, maximize=True),
            repeat,
        )
        result = solve(problem)
        figures.append(
            Figure(
                name=f"matching {n_mentees}×{n_mentors}: solve()",
                group=f"matching_{n_mentees}x{n_mentors}",
                samples_ms=samples,
                floor="linear_sum_assignment",
                floor_samples_ms=floors,
                queries=count_queries(lambda problem=problem: solve(problem)),
                extra={
                    "places": sum(m.capacity for m in problem.mentors),
                    "matrix": list(matrix.shape),
                    "matched": len(result.assignments),
                    "unmatched": len(result.unmatched),
                    "total_score": result.total,
                },
            )
        )
    return figures


def compare_run(repeat: int | None = None) -> list[Figure]:
    """Our engine against mentor-match 7.0.1 on the same instances (bench/mentor_match_compare.py).

    The comparison is imported only here: without it (or without mentor-match, a bench-only
    dependency: requirements-bench.txt) the figure fails and says why.
    """
    try:
        compare = importlib.import_module("bench.mentor_match_compare").compare
    except ImportError as error:
        return [
            Figure(
                name="matching: engine against mentor-match",
                group="mentor_match",
                samples_ms=[],
                error=f"bench/mentor_match_compare.py could not be imported: {error}",
            )
        ]
    figures = []
    for n_mentees, n_mentors in COMPARED:
        found = compare(n_mentees, n_mentors, repeat=repeat or 3, seed=1, mentor_match_repeat=1)
        figures.append(
            Figure(
                name=f"matching {n_mentees}×{n_mentors}: engine against mentor-match",
                group="mentor_match",
                samples_ms=list(found["engine_ms"]),
                floor="mentor-match 7.0.1",
                floor_samples_ms=list(found["mentor_match_ms"]),
                extra={
                    "engine_score": found["engine_score"],
                    "mentor_match_score": found["mentor_match_score"],
                },
            )
        )
    return figures
