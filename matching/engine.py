"""The matching engine: a pure function over plain data (no ORM), so it can be tested
against brute force and benchmarked alone.

Every feasible pair is worth MATCH_BASE points plus its fit (shared goals, languages,
region, local, preferences met, the program's priorities). The engine assigns mentees
to mentor capacity slots so that the total is as large as possible, subject to the
hard constraints: conflicts of interest and coordinator exclusions, "must" preferences,
locked pairs and each mentor's capacity. Because each match carries the base, the
optimum matches as many mentees as the constraints allow before it improves fit.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

import networkx as nx
import numpy as np
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from scipy.optimize import linear_sum_assignment


class Kind(StrEnum):
    WOMAN_MENTOR = "woman_mentor"
    SAME_RACE_ETHNICITY = "same_race_ethnicity"
    SHARES_LANGUAGE = "shares_language"
    SAME_LOCAL = "same_local"
    DIFFERENT_LOCAL = "different_local"
    INTERNAL_MENTOR = "internal_mentor"
    EXTERNAL_MENTOR = "external_mentor"
    SPECIFIC_MENTOR = "specific_mentor"


@dataclass(frozen=True)
class Preference:
    """A mentee's wish about their mentor; `must` makes it a hard constraint."""

    kind: Kind
    must: bool = False
    mentor_id: int | None = None  # SPECIFIC_MENTOR only
    rank: int | None = None  # SPECIFIC_MENTOR only: 1, 2 or 3


@dataclass(frozen=True)
class Mentee:
    id: int
    name: str = ""
    goals: frozenset[str] = frozenset()  # union skills the mentee wants to learn
    languages: frozenset[str] = frozenset()  # casefolded, other than English
    local: str = ""  # casefolded
    region: str = ""  # casefolded
    priority: bool = False  # an organisational priority set by the coordinator
    preferences: tuple[Preference, ...] = ()
    # The mentee's own optional race/ethnicity answers: used only to meet their wish for a
    # mentor who shares one, and never shown (special-category data).
    race_ethnicity: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Mentor:
    id: int
    name: str = ""
    expertise: frozenset[str] = frozenset()  # union skills
    languages: frozenset[str] = frozenset()
    local: str = ""
    region: str = ""
    is_woman: bool = False  # from the mentor's optional gender answer; never shown
    race_ethnicity: frozenset[str] = frozenset()  # optional answers; never shown
    internal: bool = True
    capacity: int = 1
    excluded_mentees: frozenset[int] = frozenset()  # conflicts of interest: always hard


@dataclass(frozen=True)
class Weights:
    """Points per criterion; set per program by the coordinator."""

    goal: int = 10  # per goal the mentor has expertise in
    language: int = 6  # at least one language in common
    region: int = 4
    local: int = 2
    preference: int = 8  # per "nice to have" preference met
    ranked: tuple[int, int, int] = (12, 8, 4)  # mentee's 1st, 2nd, 3rd choice of mentor
    priority: int = 15  # a priority mentee's claim on scarce mentors


MATCH_BASE = 100


@dataclass(frozen=True)
class Problem:
    mentees: tuple[Mentee, ...]
    mentors: tuple[Mentor, ...]
    weights: Weights = field(default_factory=Weights)
    locked: frozenset[tuple[int, int]] = frozenset()  # (mentee id, mentor id): kept as is
    excluded: frozenset[tuple[int, int]] = frozenset()  # (mentee id, mentor id): never


@dataclass(frozen=True)
class Score:
    total: int  # MATCH_BASE + fit; 0 when infeasible
    feasible: bool
    reasons: tuple[str, ...]  # plain words, already in the active language
    broken: tuple[str, ...] = ()  # hard constraints this pair breaks


@dataclass(frozen=True)
class Assignment:
    mentee_id: int
    mentor_id: int
    score: Score
    locked: bool = False


@dataclass(frozen=True)
class Unmatched:
    mentee_id: int
    reason: str  # "no_feasible_mentor" or "capacity_exhausted"


@dataclass(frozen=True)
class Result:
    assignments: tuple[Assignment, ...]
    unmatched: tuple[Unmatched, ...]

    @property
    def total(self) -> int:
        return sum(a.score.total for a in self.assignments)


# --- Scoring one pair (plain Python: explains itself) ---------------------------------

PREFERENCE_LABELS = {
    Kind.WOMAN_MENTOR: _("a woman mentor"),
    Kind.SAME_RACE_ETHNICITY: _("a mentor who shares their race or ethnicity"),
    Kind.SHARES_LANGUAGE: _("a mentor who shares a language"),
    Kind.SAME_LOCAL: _("a mentor from the same local"),
    Kind.DIFFERENT_LOCAL: _("a mentor from a different local"),
    Kind.INTERNAL_MENTOR: _("a mentor from within the union"),
    Kind.EXTERNAL_MENTOR: _("a mentor from outside the union"),
    Kind.SPECIFIC_MENTOR: _("a specific mentor"),
}
ORDINALS = {1: _("1st"), 2: _("2nd"), 3: _("3rd")}


# The reasons' words, each translated once per language rather than once per pair: a
# solve() explains every pair it makes, and gettext's lookups were most of that time.
_TEXTS = {
    "conflict": _("conflict of interest (the mentor asked not to mentor them)"),
    "excluded": _("excluded by the coordinator"),
    "goals": _("%(n)d of %(total)d goals match expertise"),
    "languages": _("shares %(languages)s"),
    "region": _("same region (%(region)s)"),
    "local": _("same local"),
    "chosen_not_met": _("must: one of the mentors they chose — not met"),
    "choice": _("their %(rank)s choice of mentor"),
    "must_not_met": _("must: %(what)s — not met"),
    "must_met": _("asked for %(what)s (must): met"),
    "met": _("asked for %(what)s: met"),
    "not_met": _("asked for %(what)s: not met"),
    "priority": _("organisational priority"),
}


@functools.lru_cache(maxsize=32)
def _texts_in(language: str | None) -> dict:
    texts = {key: str(text) for key, text in _TEXTS.items()}
    texts.update({kind: str(label) for kind, label in PREFERENCE_LABELS.items()})
    texts.update({rank: str(ordinal) for rank, ordinal in ORDINALS.items()})
    return texts


def _texts() -> dict:
    """The reasons' words in the active language."""
    return _texts_in(get_language())


def _same(a: str, b: str) -> bool:
    return bool(a) and a == b


def _place_and_language(a, b, weights: Weights, reasons: list[str], texts: dict) -> int:
    """Points for a shared language, region and local, each explained in `reasons`."""
    fit = 0
    common = sorted(a.languages & b.languages)
    if common:
        fit += weights.language
        reasons.append(texts["languages"] % {"languages": ", ".join(map(str.title, common))})
    if _same(a.region, b.region):
        fit += weights.region
        reasons.append(texts["region"] % {"region": b.region.title()})
    if _same(a.local, b.local):
        fit += weights.local
        reasons.append(texts["local"])
    return fit


def preference_met(pref: Preference, mentee: Mentee, mentor: Mentor) -> bool:
    match pref.kind:
        case Kind.WOMAN_MENTOR:
            return mentor.is_woman
        case Kind.SAME_RACE_ETHNICITY:
            return bool(mentee.race_ethnicity & mentor.race_ethnicity)
        case Kind.SHARES_LANGUAGE:
            return bool(mentee.languages & mentor.languages)
        case Kind.SAME_LOCAL:
            return _same(mentee.local, mentor.local)
        case Kind.DIFFERENT_LOCAL:
            return not _same(mentee.local, mentor.local)
        case Kind.INTERNAL_MENTOR:
            return mentor.internal
        case Kind.EXTERNAL_MENTOR:
            return not mentor.internal
        case Kind.SPECIFIC_MENTOR:
            return pref.mentor_id == mentor.id
    raise ValueError(pref.kind)


def _specific_musts(mentee: Mentee) -> frozenset[int]:
    return frozenset(
        p.mentor_id for p in mentee.preferences if p.kind == Kind.SPECIFIC_MENTOR and p.must
    )


def score_pair(
    mentee: Mentee, mentor: Mentor, weights: Weights, *, excluded: bool = False
) -> Score:
    """The pair's score with its breakdown in plain words."""
    return _score_pair(mentee, mentor, weights, excluded, _texts())


def _score_pair(
    mentee: Mentee, mentor: Mentor, weights: Weights, excluded: bool, texts: dict
) -> Score:
    fit = 0
    reasons: list[str] = []
    broken: list[str] = []
    if mentee.id in mentor.excluded_mentees:
        broken.append(texts["conflict"])
    if excluded:
        broken.append(texts["excluded"])

    if mentee.goals:
        shared = len(mentee.goals & mentor.expertise)
        fit += weights.goal * shared
        reasons.append(texts["goals"] % {"n": shared, "total": len(mentee.goals)})
    fit += _place_and_language(mentee, mentor, weights, reasons, texts)

    specific_musts = _specific_musts(mentee)
    if specific_musts and mentor.id not in specific_musts:
        broken.append(texts["chosen_not_met"])
    for pref in mentee.preferences:
        met = preference_met(pref, mentee, mentor)
        if pref.kind == Kind.SPECIFIC_MENTOR:
            if met:
                rank = min(pref.rank or 1, 3)
                fit += weights.ranked[rank - 1]
                reasons.append(texts["choice"] % {"rank": texts[rank]})
            continue
        label = texts[pref.kind]
        if pref.must and not met:
            broken.append(texts["must_not_met"] % {"what": label})
        elif pref.must:
            reasons.append(texts["must_met"] % {"what": label})
        elif met:
            fit += weights.preference
            reasons.append(texts["met"] % {"what": label})
        else:
            reasons.append(texts["not_met"] % {"what": label})
    if mentee.priority:
        fit += weights.priority
        reasons.append(texts["priority"])

    feasible = not broken
    return Score(
        total=MATCH_BASE + fit if feasible else 0,
        feasible=feasible,
        reasons=tuple(reasons),
        broken=tuple(broken),
    )


# --- Scoring every pair at once (numpy: the same numbers, fast) -------------------------
#
# Python loops here run over participants, preferences and exclusions (each a few per
# person), never over pairs: every mentees x mentors step is one numpy operation.


def _incidence(sets: list[frozenset[str]], vocabulary: dict[str, int]) -> np.ndarray:
    """One row per set, one column per word: 1.0 where the set holds the word (float32,
    so that products of these matrices run on BLAS; counts this small are exact)."""
    rows = [row for row, items in enumerate(sets) for item in items if item in vocabulary]
    cols = [vocabulary[item] for items in sets for item in items if item in vocabulary]
    matrix = np.zeros((len(sets), max(len(vocabulary), 1)), dtype=np.float32)
    matrix[rows, cols] = 1
    return matrix


def _distinct(items: list) -> tuple[list, np.ndarray]:
    """The distinct items, in order of first appearance, and each item's index among them."""
    distinct = list(dict.fromkeys(items))
    index = {item: i for i, item in enumerate(distinct)}
    return distinct, np.array([index[item] for item in items], dtype=np.intp)


def _codes(a: list[str], b: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Both lists as integer codes of one vocabulary; the empty string is -1."""
    vocabulary = {word: code for code, word in enumerate(sorted({*a, *b} - {""}))}
    vocabulary[""] = -1
    return (
        np.array([vocabulary[x] for x in a], dtype=np.int32),
        np.array([vocabulary[x] for x in b], dtype=np.int32),
    )


def _equal(a: list[str], b: list[str]) -> np.ndarray:
    left, right = _codes(a, b)
    return (left[:, None] == right[None, :]) & (left >= 0)[:, None]


def score_matrix(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Totals (MATCH_BASE + fit, 0 where infeasible; int32) and feasibility, mentees × mentors.

    Equal, pair by pair, to score_pair(): the tests hold the two together.
    """
    mentees, mentors, w = problem.mentees, problem.mentors, problem.weights
    n, m = len(mentees), len(mentors)
    # Language, region and local depend on a person's "place" only, and far fewer places
    # than people exist: they are scored once per pair of places (with the base), then
    # spread over people by two takes, instead of several passes over mentees x mentors.
    mentee_places, mentee_place = _distinct([(x.languages, x.region, x.local) for x in mentees])
    mentor_places, mentor_place = _distinct([(x.languages, x.region, x.local) for x in mentors])
    languages = {
        lang: i
        for i, lang in enumerate(
            sorted({lang for place in (*mentee_places, *mentor_places) for lang in place[0]})
        )
    }
    place_shares_language = (
        _incidence([place[0] for place in mentee_places], languages)
        @ _incidence([place[0] for place in mentor_places], languages).T
    ) > 0
    place_same_region = _equal([p[1] for p in mentee_places], [p[1] for p in mentor_places])
    place_same_local = _equal([p[2] for p in mentee_places], [p[2] for p in mentor_places])
    place_points = (
        MATCH_BASE
        + w.language * place_shares_language.astype(np.int32)
        + w.region * place_same_region
        + w.local * place_same_local
    ).astype(np.int32)
    fit = place_points.take(mentee_place, axis=0).take(mentor_place, axis=1)
    # Shared goals: a float32 product on BLAS, exact (at most len(skills) x w.goal points).
    skills = {s: i for i, s in enumerate(sorted({s for x in mentees for s in x.goals}))}
    goals = _incidence([x.goals for x in mentees], skills)
    expertise = _incidence([x.expertise for x in mentors], skills)
    if skills:
        np.add(fit, goals @ (expertise.T * np.float32(w.goal)), out=fit, casting="unsafe")
    feasible = np.ones((n, m), dtype=bool)

    def shares_language(rows: np.ndarray) -> np.ndarray:
        return place_shares_language.take(mentee_place[rows], axis=0).take(mentor_place, axis=1)

    def same_local(rows: np.ndarray) -> np.ndarray:
        return place_same_local.take(mentee_place[rows], axis=0).take(mentor_place, axis=1)

    def shares_race_ethnicity(rows: np.ndarray) -> np.ndarray:
        # Only the few mentees who asked: their answers against every mentor's, one product.
        wanted = [mentees[i].race_ethnicity for i in rows.tolist()]
        words = {w: k for k, w in enumerate(sorted({w for x in wanted for w in x}))}
        if not words:
            return np.zeros((rows.size, m), dtype=bool)
        theirs = _incidence([x.race_ethnicity for x in mentors], words)
        return (_incidence(wanted, words) @ theirs.T) > 0

    column = {x.id: j for j, x in enumerate(mentors)}
    row = {x.id: i for i, x in enumerate(mentees)}
    is_woman = np.array([x.is_woman for x in mentors], dtype=bool)[None, :]
    internal = np.array([x.internal for x in mentors], dtype=bool)[None, :]
    met = {
        Kind.WOMAN_MENTOR: lambda rows: is_woman,
        Kind.SAME_RACE_ETHNICITY: shares_race_ethnicity,
        Kind.SHARES_LANGUAGE: shares_language,
        Kind.SAME_LOCAL: same_local,
        Kind.DIFFERENT_LOCAL: lambda rows: ~same_local(rows),
        Kind.INTERNAL_MENTOR: lambda rows: internal,
        Kind.EXTERNAL_MENTOR: lambda rows: ~internal,
    }

    # Per mentee: how many "nice to have" preferences of each kind, which "musts", and the
    # (row, column, points) of each mentor they ranked.
    nice = {kind: np.zeros(n, dtype=np.int32) for kind in met}
    must = {kind: np.zeros(n, dtype=bool) for kind in met}
    ranked_rows, ranked_cols, ranked_points = [], [], []
    chosen_rows, chosen_cols, choosers = [], [], set()
    for i, mentee in enumerate(mentees):
        for pref in mentee.preferences:
            if pref.kind != Kind.SPECIFIC_MENTOR:
                if pref.must:
                    must[pref.kind][i] = True
                else:
                    nice[pref.kind][i] += 1
                continue
            j = column.get(pref.mentor_id)
            if pref.must:
                choosers.add(i)
            if j is not None:
                ranked_rows.append(i)
                ranked_cols.append(j)
                ranked_points.append(w.ranked[min(pref.rank or 1, 3) - 1])
                if pref.must:
                    chosen_rows.append(i)
                    chosen_cols.append(j)

    priority_rows = [i for i, x in enumerate(mentees) if x.priority]
    if priority_rows:
        fit[priority_rows] += w.priority
    for kind, test in met.items():
        rows = np.flatnonzero(nice[kind])
        if rows.size:
            fit[rows] += w.preference * nice[kind][rows, None] * test(rows)
        rows = np.flatnonzero(must[kind])
        if rows.size:
            feasible[rows] &= test(rows)
    np.add.at(fit, (ranked_rows, ranked_cols), ranked_points)
    if choosers:
        # A "must" on specific mentors: only the ones they chose (none, if all are gone).
        rows = sorted(choosers)
        chosen = np.zeros((n, m), dtype=bool)
        chosen[chosen_rows, chosen_cols] = True
        feasible[rows] &= chosen[rows]
    conflicts = [
        (row[mentee_id], j)
        for j, mentor in enumerate(mentors)
        for mentee_id in mentor.excluded_mentees
        if mentee_id in row
    ] + [
        (row[mentee_id], column[mentor_id])
        for mentee_id, mentor_id in problem.excluded
        if mentee_id in row and mentor_id in column
    ]
    if conflicts:
        feasible[tuple(np.array(conflicts).T)] = False
    np.multiply(fit, feasible, out=fit)  # 0 where infeasible
    return fit, feasible


# --- Assignment ----------------------------------------------------------------------------

NO_FEASIBLE_MENTOR = "no_feasible_mentor"
CAPACITY_EXHAUSTED = "capacity_exhausted"


@dataclass(frozen=True)
class _Plan:
    """What solve() hands to linear_sum_assignment, and how to read its answer."""

    locked: tuple[Assignment, ...]
    open_rows: np.ndarray  # mentees not locked (row numbers in problem.mentees)
    any_feasible: np.ndarray  # per mentee: at least one feasible mentor
    candidates: np.ndarray  # open mentees with a feasible mentor (rows in problem.mentees)
    slots: np.ndarray  # the mentor (column in problem.mentors) of each place
    mentees_are_rows: bool  # the smaller side forms the gain's rows
    gain: np.ndarray  # candidates × slots (or its transpose): the pair's total, 0: infeasible


def _plan(problem: Problem) -> _Plan:
    mentees, mentors, weights = problem.mentees, problem.mentors, problem.weights
    by_mentee = {x.id: x for x in mentees}
    by_mentor = {x.id: x for x in mentors}
    locked: list[Assignment] = []
    remaining = {x.id: x.capacity for x in mentors}
    locked_mentees = set()
    for mentee_id, mentor_id in sorted(problem.locked):
        if mentee_id in by_mentee and mentor_id in by_mentor and mentee_id not in locked_mentees:
            score = score_pair(
                by_mentee[mentee_id],
                by_mentor[mentor_id],
                weights,
                excluded=(mentee_id, mentor_id) in problem.excluded,
            )
            locked.append(Assignment(mentee_id, mentor_id, score, locked=True))
            locked_mentees.add(mentee_id)
            remaining[mentor_id] = max(remaining[mentor_id] - 1, 0)

    totals, feasible = score_matrix(problem)
    any_feasible = feasible.any(axis=1)
    is_open = np.array([x.id not in locked_mentees for x in mentees], dtype=bool)
    open_rows = np.flatnonzero(is_open)
    candidates = np.flatnonzero(is_open & any_feasible)
    # Each mentor is as many columns as places it can still use: its remaining capacity,
    # but never more than the candidates it may take (extra columns could only stay empty).
    usable = feasible[candidates].sum(axis=0) if candidates.size else np.zeros(len(mentors))
    places = np.minimum([remaining[x.id] for x in mentors], usable).astype(np.intp)
    slots = np.repeat(np.arange(len(mentors)), places)
    # No "nobody" columns: linear_sum_assignment takes the rectangle as it is and pairs every
    # row of its smaller side. A pair worth 0 (infeasible) in the answer is read as "nobody",
    # which is exact: from any best set of feasible pairs, the rows it leaves free can take
    # the columns left free at 0 or more, so the best full pairing is worth as much.
    # The smaller side forms the rows, C-contiguous, so the solver need not transpose it.
    # Built in few passes over memory: the candidates' rows are clipped in place (int32, a
    # quarter of the gain's size), converted to the float64 the solver needs once, and when
    # places form the rows, laid out mentor by mentor first, so that each place's row is a
    # block copy rather than a strided gather across the whole matrix.
    mentees_are_rows = candidates.size <= slots.size
    rows = totals.take(candidates, axis=0)  # candidates × mentors
    np.maximum(rows, 0, out=rows)
    if mentees_are_rows:
        gain = rows.astype(np.float64).take(slots, axis=1)
    else:
        gain = np.ascontiguousarray(rows.T, dtype=np.float64).take(slots, axis=0)
    return _Plan(tuple(locked), open_rows, any_feasible, candidates, slots, mentees_are_rows, gain)


def assignment_matrix(problem: Problem) -> np.ndarray:
    """The gain matrix solve() hands to linear_sum_assignment(gain, maximize=True).

    Open mentees × mentor places (a mentor is as many columns as places it can fill), or
    its transpose when places are fewer: float64, exact for these integers, 0 where a pair
    is infeasible. The bench times the solver alone on it: the engine's floor.
    """
    return _plan(problem).gain


def solve(problem: Problem) -> Result:
    """The assignment with the largest total score (see the module docstring)."""
    mentees, mentors, weights = problem.mentees, problem.mentors, problem.weights
    plan = _plan(problem)
    chosen: dict[int, int] = {}
    if plan.gain.size:
        rows, cols = linear_sum_assignment(plan.gain, maximize=True)
        kept = plan.gain[rows, cols] > 0
        mentee, slot = (rows, cols) if plan.mentees_are_rows else (cols, rows)
        chosen = dict(
            zip(
                plan.candidates[mentee[kept]].tolist(),
                plan.slots[slot[kept]].tolist(),
                strict=True,
            )
        )
    assignments = list(plan.locked)
    texts = _texts()
    for i, j in sorted(chosen.items()):
        mentee, mentor = mentees[i], mentors[j]
        score = _score_pair(mentee, mentor, weights, False, texts)
        assignments.append(Assignment(mentee.id, mentor.id, score))
    unmatched = tuple(
        Unmatched(mentees[i].id, CAPACITY_EXHAUSTED if plan.any_feasible[i] else NO_FEASIBLE_MENTOR)
        for i in plan.open_rows.tolist()
        if i not in chosen
    )
    return Result(assignments=tuple(assignments), unmatched=unmatched)


def alternatives(
    problem: Problem, mentee_ids: Iterable[int], k: int = 5
) -> dict[int, list[tuple[int, Score]]]:
    """The k best feasible mentors of each of these mentees (capacity ignored), best first.

    One score matrix for all of them: a board of 2,000 mentees is one matrix, not 2,000.
    """
    wanted = set(mentee_ids)
    mentees = tuple(x for x in problem.mentees if x.id in wanted)
    totals, feasible = score_matrix(replace(problem, mentees=mentees))
    # Infeasible pairs sort after every feasible one; ties keep the mentors' order.
    best = np.argsort(-np.where(feasible, totals, -1), axis=1, kind="stable")[:, :k]
    found = {}
    texts = _texts()
    for i, mentee in enumerate(mentees):
        order = [j for j in best[i] if feasible[i, j]]
        found[mentee.id] = [
            (
                problem.mentors[j].id,
                _score_pair(mentee, problem.mentors[j], problem.weights, False, texts),
            )
            for j in order
        ]
    return found


# --- Peer mentoring -------------------------------------------------------------------------


def score_peers(a: Mentee, b: Mentee, weights: Weights) -> Score:
    """Two mentees learning together: shared goals, a shared language, region, local."""
    fit = 0
    reasons: list[str] = []
    shared = len(a.goals & b.goals)
    if shared:
        fit += weights.goal * shared
        reasons.append(str(_("%(n)d goals in common")) % {"n": shared})
    fit += _place_and_language(a, b, weights, reasons, _texts())
    return Score(total=MATCH_BASE + fit, feasible=True, reasons=tuple(reasons))


def solve_peers(mentees: tuple[Mentee, ...], weights: Weights) -> list[tuple[int, int, Score]]:
    """Pairs of mentees with the largest total score (maximum-weight matching)."""
    graph = nx.Graph()
    for index, a in enumerate(mentees):
        for b in mentees[index + 1 :]:
            graph.add_edge(a.id, b.id, weight=score_peers(a, b, weights).total)
    by_id = {x.id: x for x in mentees}
    pairs = []
    for a_id, b_id in nx.max_weight_matching(graph, maxcardinality=False):
        first, second = sorted((a_id, b_id))
        pairs.append((first, second, score_peers(by_id[first], by_id[second], weights)))
    return sorted(pairs)
