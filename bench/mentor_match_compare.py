"""Our matching engine against the peer package mentor-match 7.0.1, on the same instances.

    python bench/mentor_match_compare.py              # the table: 400x150, 1000x300, 2000x500
    python bench/mentor_match_compare.py 400x150 --repeat 5 --mentor-match-repeat 1

It takes minutes: mentor-match's Hungarian algorithm is pure Python (at 2000x500 one run
took 113 s of CPU on this project's 2-core machine, under load).

Importable too: `compare(n_mentees, n_mentors, repeat=3, seed=1)` (manage.py bench calls it).

The instances are devdata.bench.matching.make_problem's. mentor-match (MIT, bench-only:
requirements-bench.txt) scores each mentor x mentee pair with a list of rules and pairs them
with the Hungarian algorithm (the `munkres` package, pure Python). Translated faithfully:
  - each of a mentor's places is one mentor-match Mentor (same attributes), all matched in
    one round, so both tools solve the same problem: mentees x places, largest total;
  - our scoring becomes mentor-match rules (its Generic and Disqualify classes): the base
    points, one rule per skill, language, region, local, each "nice to have" preference,
    each ranked choice, priority; conflicts of interest, "must" preferences and exclusions
    disqualify the pair.
Both answers are then scored by ONE function, our engine's score_pair() on the pairs each
tool produced, and each answer's feasibility is checked (one mentor per mentee, capacities,
no pair breaking a hard constraint). Times cover the matching call only (the instance is
built beforehand for both): solve(problem) against mentor-match's process_data(...).

mentor-match installs a top-level package named `matching`, this project's matching app's
own name: it is loaded here under that name only while its modules import, then put aside,
so neither shadows the other (see _mentor_match()).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import importlib.util
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: this project's packages first

MENTOR_MATCH_VERSION = "7.0.1"
SIZES = ((400, 150), (1000, 300), (2000, 500))


def _django() -> None:
    """The instances' generator reads the union's skills from the matching app's models."""
    from django.apps import apps

    if not apps.ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
        import django

        django.setup()


_LOADED: SimpleNamespace | None = None


def _mentor_match() -> SimpleNamespace:
    """mentor-match's modules, imported from its installed files under their own name
    `matching` and then set aside, this project's `matching` app restored in sys.modules."""
    global _LOADED
    if _LOADED is not None:
        return _LOADED
    distribution = importlib.metadata.distribution("mentor-match")
    if distribution.version != MENTOR_MATCH_VERSION:
        raise ImportError(
            f"mentor-match {distribution.version} is installed; this comparison is written "
            f"for {MENTOR_MATCH_VERSION} (pip install -r requirements-bench.txt)"
        )
    package = Path(distribution.locate_file("matching"))

    def ours(name: str) -> bool:
        return name == "matching" or name.startswith("matching.")

    saved = {name: module for name, module in sys.modules.items() if ours(name)}
    for name in saved:
        del sys.modules[name]
    try:
        spec = importlib.util.spec_from_file_location(
            "matching", package / "__init__.py", submodule_search_locations=[str(package)]
        )
        root = importlib.util.module_from_spec(spec)
        sys.modules["matching"] = root
        spec.loader.exec_module(root)
        loaded = SimpleNamespace(
            process=importlib.import_module("matching.process"),
            rule=importlib.import_module("matching.rules.rule"),
            Mentor=importlib.import_module("matching.mentor").Mentor,
            Mentee=importlib.import_module("matching.mentee").Mentee,
            path=str(package),
        )
    finally:
        for name in [name for name in sys.modules if ours(name)]:
            del sys.modules[name]
        sys.modules.update(saved)
    _LOADED = loaded
    return loaded


# --- The instance in mentor-match's terms ---------------------------------------------------


def _same(a: str, b: str) -> bool:
    return bool(a) and a == b


def _rules(problem, mm) -> list:
    """Our scoring as mentor-match rules, evaluated by mentor-match on its own objects."""
    from matching.engine import MATCH_BASE, Kind

    w, rule = problem.weights, mm.rule
    skills = sorted({s for x in problem.mentees for s in x.goals})
    always = {True: MATCH_BASE, False: MATCH_BASE}
    rules = [rule.Generic(always, lambda match: True)]
    rules += [
        rule.Generic(
            {True: w.goal, False: 0},
            lambda match, skill=skill: (
                skill in match.mentee.goals and skill in match.mentor.expertise
            ),
        )
        for skill in skills
    ]
    rules += [
        rule.Generic(
            {True: w.language, False: 0},
            lambda match: bool(match.mentee.languages & match.mentor.languages),
        ),
        rule.Generic(
            {True: w.region, False: 0},
            lambda match: _same(match.mentee.region, match.mentor.region),
        ),
        rule.Generic(
            {True: w.local, False: 0},
            lambda match: _same(match.mentee.local, match.mentor.local),
        ),
        rule.Generic({True: w.priority, False: 0}, lambda match: match.mentee.priority),
    ]
    met = {
        Kind.WOMAN_MENTOR: lambda match: match.mentor.is_woman,
        Kind.SAME_RACE_ETHNICITY: lambda match: bool(
            match.mentee.race_ethnicity & match.mentor.race_ethnicity
        ),
        Kind.SHARES_LANGUAGE: lambda match: bool(match.mentee.languages & match.mentor.languages),
        Kind.SAME_LOCAL: lambda match: _same(match.mentee.local, match.mentor.local),
        Kind.DIFFERENT_LOCAL: lambda match: not _same(match.mentee.local, match.mentor.local),
        Kind.INTERNAL_MENTOR: lambda match: match.mentor.internal,
        Kind.EXTERNAL_MENTOR: lambda match: not match.mentor.internal,
    }
    most = max((len(x.preferences) for x in problem.mentees), default=0)
    for p in range(most):  # the mentee's p-th preference, whatever it is

        def nice(match, p=p):
            prefs = match.mentee.preferences
            return (
                p < len(prefs)
                and prefs[p].kind != Kind.SPECIFIC_MENTOR
                and not prefs[p].must
                and met[prefs[p].kind](match)
            )

        def must_not_met(match, p=p):
            prefs = match.mentee.preferences
            return (
                p < len(prefs)
                and prefs[p].kind != Kind.SPECIFIC_MENTOR
                and prefs[p].must
                and not met[prefs[p].kind](match)
            )

        def ranked(match, p=p):
            prefs = match.mentee.preferences
            if (
                p < len(prefs)
                and prefs[p].kind == Kind.SPECIFIC_MENTOR
                and prefs[p].mentor_id == match.mentor.mentor_id
            ):
                return min(prefs[p].rank or 1, 3)
            return 0

        rules.append(rule.Generic({True: w.preference, False: 0}, nice))
        rules.append(rule.Disqualify(must_not_met))
        for rank in (1, 2, 3):
            rules.append(
                rule.Generic(
                    {True: w.ranked[rank - 1], False: 0},
                    lambda match, ranked=ranked, rank=rank: ranked(match) == rank,
                )
            )
    rules += [
        rule.Disqualify(lambda match: match.mentee.mentee_id in match.mentor.excluded_mentees),
        rule.Disqualify(
            lambda match: (match.mentee.mentee_id, match.mentor.mentor_id) in problem.excluded
        ),
        rule.Disqualify(
            lambda match: (
                bool(match.mentee.chosen) and match.mentor.mentor_id not in match.mentee.chosen
            )
        ),
    ]
    return rules


def _participants(problem, mm) -> tuple[list, list]:
    """Fresh mentor-match objects (matching records itself on them): one Mentor per place."""
    from matching.engine import Kind

    mentors = []
    for x in problem.mentors:
        for place in range(x.capacity):
            mentor = mm.Mentor(grade=0, email=f"mentor-{x.id}-{place}@bench.invalid")
            mentor.mentor_id, mentor.expertise, mentor.languages = x.id, x.expertise, x.languages
            mentor.region, mentor.local, mentor.is_woman = x.region, x.local, x.is_woman
            mentor.internal, mentor.excluded_mentees = x.internal, x.excluded_mentees
            mentor.race_ethnicity = x.race_ethnicity
            mentors.append(mentor)
    mentees = []
    for x in problem.mentees:
        mentee = mm.Mentee(grade=0, email=f"mentee-{x.id}@bench.invalid")
        mentee.mentee_id, mentee.goals, mentee.languages = x.id, x.goals, x.languages
        mentee.region, mentee.local, mentee.priority = x.region, x.local, x.priority
        mentee.preferences, mentee.race_ethnicity = x.preferences, x.race_ethnicity
        mentee.chosen = frozenset(
            p.mentor_id for p in x.preferences if p.kind == Kind.SPECIFIC_MENTOR and p.must
        )
        mentees.append(mentee)
    return mentors, mentees


def _mentor_match_pairs(mentors: list) -> list[tuple[int, int]]:
    return [(mentee.mentee_id, mentor.mentor_id) for mentor in mentors for mentee in mentor.mentees]


# --- One scoring, one feasibility check for both ---------------------------------------------


def score(problem, pairs: list[tuple[int, int]]) -> int:
    """The total our engine gives these (mentee id, mentor id) pairs: score_pair(), summed."""
    from matching.engine import score_pair

    mentees = {x.id: x for x in problem.mentees}
    mentors = {x.id: x for x in problem.mentors}
    return sum(
        score_pair(
            mentees[a], mentors[b], problem.weights, excluded=(a, b) in problem.excluded
        ).total
        for a, b in pairs
    )


def feasibility_errors(problem, pairs: list[tuple[int, int]]) -> list[str]:
    """Every way these pairs break the problem: a mentee twice, a mentor over capacity, a pair
    breaking a hard constraint (conflict, exclusion, a "must"), a lock not kept."""
    from matching.engine import score_pair

    mentees = {x.id: x for x in problem.mentees}
    mentors = {x.id: x for x in problem.mentors}
    errors = []
    seen = Counter(a for a, _ in pairs)
    errors += [f"mentee {a} matched {n} times" for a, n in seen.items() if n > 1]
    load = Counter(b for _, b in pairs)
    errors += [
        f"mentor {b} has {n} mentees for {mentors[b].capacity} places"
        for b, n in load.items()
        if b in mentors and n > mentors[b].capacity
    ]
    for a, b in pairs:
        if a not in mentees or b not in mentors:
            errors.append(f"pair ({a}, {b}) names someone not in the problem")
        elif (a, b) not in problem.locked and not score_pair(
            mentees[a], mentors[b], problem.weights, excluded=(a, b) in problem.excluded
        ).feasible:
            errors.append(f"pair ({a}, {b}) breaks a hard constraint")
    errors += [f"locked pair {pair} not kept" for pair in problem.locked if pair not in pairs]
    return errors


# --- The comparison ---------------------------------------------------------------------------


def compare(
    n_mentees: int,
    n_mentors: int,
    *,
    repeat: int = 3,
    seed: int = 1,
    mentor_match_repeat: int | None = None,
) -> dict:
    """Both tools on make_problem(n_mentees, n_mentors, seed), `repeat` times each (mentor-match
    `mentor_match_repeat` times if given: at 2000x500 one of its runs takes minutes).

    Returns the samples in ms ("engine_ms", "mentor_match_ms"), the floor of the engine
    (linear_sum_assignment alone on engine.assignment_matrix: "floor_ms"), each answer's total
    by our one scoring ("engine_score", "mentor_match_score"), its feasibility errors (lists,
    empty when feasible), its number of pairs, and the median speed-up.
    """
    _django()
    from scipy.optimize import linear_sum_assignment

    from devdata.bench.matching import make_problem
    from matching import engine

    mm = _mentor_match()
    problem = make_problem(n_mentees, n_mentors, seed=seed)
    rules = _rules(problem, mm)
    matrix = engine.assignment_matrix(problem)

    engine_ms, floor_ms, mentor_match_ms = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        result = engine.solve(problem)
        engine_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        linear_sum_assignment(matrix, maximize=True)
        floor_ms.append((time.perf_counter() - start) * 1000)
    for _ in range(repeat if mentor_match_repeat is None else mentor_match_repeat):
        mentors, mentees = _participants(problem, mm)
        start = time.perf_counter()
        mm.process.process_data(mentors, mentees, [rules])
        mentor_match_ms.append((time.perf_counter() - start) * 1000)

    ours = [(a.mentee_id, a.mentor_id) for a in result.assignments]
    theirs = _mentor_match_pairs(mentors)
    return {
        "n_mentees": n_mentees,
        "n_mentors": n_mentors,
        "places": sum(x.capacity for x in problem.mentors),
        "seed": seed,
        "engine_ms": engine_ms,
        "floor_ms": floor_ms,
        "mentor_match_ms": mentor_match_ms,
        "engine_score": float(score(problem, ours)),
        "mentor_match_score": float(score(problem, theirs)),
        "engine_pairs": len(ours),
        "mentor_match_pairs": len(theirs),
        "engine_errors": feasibility_errors(problem, ours),
        "mentor_match_errors": feasibility_errors(problem, theirs),
        "speedup": statistics.median(mentor_match_ms) / statistics.median(engine_ms),
        "mentor_match_version": MENTOR_MATCH_VERSION,
    }


def table(rows: list[dict]) -> str:
    head = (
        "| size | places | engine ms (median) | floor ms | mentor-match ms (median) | speed-up "
        "| engine score | mentor-match score | feasible (engine / mentor-match) |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for r in rows:
        lines.append(
            f"| {r['n_mentees']}×{r['n_mentors']} | {r['places']} "
            f"| {statistics.median(r['engine_ms']):.1f} | {statistics.median(r['floor_ms']):.1f} "
            f"| {statistics.median(r['mentor_match_ms']):.0f} | {r['speedup']:.0f}× "
            f"| {r['engine_score']:.0f} | {r['mentor_match_score']:.0f} "
            f"| {'yes' if not r['engine_errors'] else 'NO'} / "
            f"{'yes' if not r['mentor_match_errors'] else 'NO'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", help="MENTEESxMENTORS (default: the three sizes)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--mentor-match-repeat", type=int, help="mentor-match's runs (default: --repeat)"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = [tuple(map(int, s.lower().split("x"))) for s in args.sizes] or SIZES
    rows = []
    for n_mentees, n_mentors in sizes:
        rows.append(
            compare(
                n_mentees,
                n_mentors,
                repeat=args.repeat,
                seed=args.seed,
                mentor_match_repeat=args.mentor_match_repeat,
            )
        )
        print(f"measured {n_mentees}×{n_mentors}", file=sys.stderr, flush=True)
    print(table(rows))
    bad = [r for r in rows if r["engine_errors"] or r["engine_score"] < r["mentor_match_score"]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
