"""Matching engine: scoring and assignment time for a cohort and for a national union."""

import random
import statistics
import time

from matching.engine import (
    Kind,
    Mentee,
    Mentor,
    Preference,
    Problem,
    alternatives,
    score_matrix,
    solve,
)
from matching.models import UnionSkill

SKILLS = list(UnionSkill.values)
LANGUAGES = ["french", "punjabi", "spanish", "tagalog", "mandarin", "arabic", "cree", "hindi"]
REGIONS = [f"region {n}" for n in range(10)]
LOCALS = [f"local {n}" for n in range(20)]


def make_problem(n_mentees: int, n_mentors: int, seed: int = 1) -> Problem:
    rng = random.Random(seed)
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
        )
        for i in range(n_mentees)
    )
    return Problem(mentees=mentees, mentors=mentors)


def run(repeat: int = 5) -> list[str]:
    lines = []
    for n_mentees, n_mentors in ((200, 60), (2000, 500)):
        problem = make_problem(n_mentees, n_mentors)
        scoring, total, board = [], [], []
        everyone = [x.id for x in problem.mentees]
        for _ in range(repeat):
            start = time.perf_counter()
            score_matrix(problem)
            scoring.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = solve(problem)
            total.append(time.perf_counter() - start)
            start = time.perf_counter()
            alternatives(problem, everyone, k=4)  # what the board shows beside each mentee
            board.append(time.perf_counter() - start)
        slots = sum(m.capacity for m in problem.mentors)
        lines.append(
            f"matching {n_mentees} mentees x {n_mentors} mentors ({slots} places): "
            f"scoring {statistics.median(scoring) * 1000:.0f} ms, "
            f"scoring + assignment {statistics.median(total) * 1000:.0f} ms, "
            f"the board's alternatives {statistics.median(board) * 1000:.0f} ms "
            f"(median of {repeat}); matched {len(result.assignments)}, "
            f"unmatched {len(result.unmatched)}"
        )
    return lines
