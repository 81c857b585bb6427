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

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

import networkx as nx
import numpy as np
from django.utils.translation import gettext_lazy as _
from scipy.optimize import linear_sum_assignment


class Kind(StrEnum):
    WOMAN_MENTOR = "woman_mentor"
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


@dataclass(frozen=True)
class Mentor:
    id: int
    name: str = ""
    expertise: frozenset[str] = frozenset()  # union skills
    languages: frozenset[str] = frozenset()
    local: str = ""
    region: str = ""
    is_woman: bool = False  # from the mentor's optional gender answer; never shown
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
    Kind.SHARES_LANGUAGE: _("a mentor who shares a language"),
    Kind.SAME_LOCAL: _("a mentor from the same local"),
    Kind.DIFFERENT_LOCAL: _("a mentor from a different local"),
    Kind.INTERNAL_MENTOR: _("a mentor from within the union"),
    Kind.EXTERNAL_MENTOR: _("a mentor from outside the union"),
    Kind.SPECIFIC_MENTOR: _("a specific mentor"),
}
ORDINALS = {1: _("1st"), 2: _("2nd"), 3: _("3rd")}


def _same(a: str, b: str) -> bool:
    return bool(a) and a == b


def _place_and_language(a, b, weights: Weights, reasons: list[str]) -> int:
    """Points for a shared language, region and local, each explained in `reasons`."""
    fit = 0
    common = sorted(a.languages & b.languages)
    if common:
        fit += weights.language
        reasons.append(
            str(_("shares %(languages)s")) % {"languages": ", ".join(map(str.title, common))}
        )
    if _same(a.region, b.region):
        fit += weights.region
        reasons.append(str(_("same region (%(region)s)")) % {"region": b.region.title()})
    if _same(a.local, b.local):
        fit += weights.local
        reasons.append(str(_("same local")))
    return fit


def preference_met(pref: Preference, mentee: Mentee, mentor: Mentor) -> bool:
    match pref.kind:
        case Kind.WOMAN_MENTOR:
            return mentor.is_woman
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
    fit = 0
    reasons: list[str] = []
    broken: list[str] = []
    if mentee.id in mentor.excluded_mentees:
        broken.append(str(_("conflict of interest (the mentor asked not to mentor them)")))
    if excluded:
        broken.append(str(_("excluded by the coordinator")))

    if mentee.goals:
        shared = len(mentee.goals & mentor.expertise)
        fit += weights.goal * shared
        reasons.append(
            str(_("%(n)d of %(total)d goals match expertise"))
            % {"n": shared, "total": len(mentee.goals)}
        )
    fit += _place_and_language(mentee, mentor, weights, reasons)

    specific_musts = _specific_musts(mentee)
    if specific_musts and mentor.id not in specific_musts:
        broken.append(str(_("must: one of the mentors they chose — not met")))
    for pref in mentee.preferences:
        met = preference_met(pref, mentee, mentor)
        if pref.kind == Kind.SPECIFIC_MENTOR:
            if met:
                rank = min(pref.rank or 1, 3)
                fit += weights.ranked[rank - 1]
                reasons.append(str(_("their %(rank)s choice of mentor")) % {"rank": ORDINALS[rank]})
            continue
        label = PREFERENCE_LABELS[pref.kind]
        if pref.must and not met:
            broken.append(str(_("must: %(what)s — not met")) % {"what": label})
        elif pref.must:
            reasons.append(str(_("asked for %(what)s (must): met")) % {"what": label})
        elif met:
            fit += weights.preference
            reasons.append(str(_("asked for %(what)s: met")) % {"what": label})
        else:
            reasons.append(str(_("asked for %(what)s: not met")) % {"what": label})
    if mentee.priority:
        fit += weights.priority
        reasons.append(str(_("organisational priority")))

    feasible = not broken
    return Score(
        total=MATCH_BASE + fit if feasible else 0,
        feasible=feasible,
        reasons=tuple(reasons),
        broken=tuple(broken),
    )


# --- Scoring every pair at once (numpy: the same numbers, fast) -------------------------


def _incidence(sets: list[frozenset[str]], vocabulary: dict[str, int]) -> np.ndarray:
    matrix = np.zeros((len(sets), max(len(vocabulary), 1)), dtype=np.int32)
    for row, items in enumerate(sets):
        for item in items:
            matrix[row, vocabulary[item]] = 1
    return matrix


def _equal(a: list[str], b: list[str]) -> np.ndarray:
    left = np.array(a, dtype=object)[:, None]
    right = np.array(b, dtype=object)[None, :]
    return (left == right) & (left != "")


def score_matrix(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Totals (MATCH_BASE + fit, 0 where infeasible) and feasibility, mentees × mentors.

    Equal, pair by pair, to score_pair(): the tests hold the two together.
    """
    mentees, mentors, w = problem.mentees, problem.mentors, problem.weights
    n, m = len(mentees), len(mentors)
    skills = {s: i for i, s in enumerate(sorted({s for x in mentees for s in x.goals}))}
    languages = {
        lang: i
        for i, lang in enumerate(
            sorted({lang for x in (*mentees, *mentors) for lang in x.languages})
        )
    }
    goals = _incidence([x.goals for x in mentees], skills)
    expertise = _incidence([x.expertise & skills.keys() for x in mentors], skills)
    shared_goals = goals @ expertise.T
    shares_language = (
        _incidence([x.languages for x in mentees], languages)
        @ _incidence([x.languages for x in mentors], languages).T
    ) > 0
    same_region = _equal([x.region for x in mentees], [x.region for x in mentors])
    same_local = _equal([x.local for x in mentees], [x.local for x in mentors])

    fit = w.goal * shared_goals + w.language * shares_language
    fit = fit + w.region * same_region + w.local * same_local
    feasible = np.ones((n, m), dtype=bool)

    mentor_ids = np.array([x.id for x in mentors])
    column = {mentor_id: j for j, mentor_id in enumerate(mentor_ids)}
    row = {x.id: i for i, x in enumerate(mentees)}
    is_woman = np.array([x.is_woman for x in mentors], dtype=bool)
    internal = np.array([x.internal for x in mentors], dtype=bool)

    for i, mentee in enumerate(mentees):
        if mentee.priority:
            fit[i] += w.priority
        musts = _specific_musts(mentee)
        if musts:
            feasible[i] &= np.isin(mentor_ids, list(musts))
        for pref in mentee.preferences:
            if pref.kind == Kind.SPECIFIC_MENTOR:
                j = column.get(pref.mentor_id)
                if j is not None:
                    fit[i, j] += w.ranked[min(pref.rank or 1, 3) - 1]
                continue
            met = {
                Kind.WOMAN_MENTOR: is_woman,
                Kind.SHARES_LANGUAGE: shares_language[i],
                Kind.SAME_LOCAL: same_local[i],
                Kind.DIFFERENT_LOCAL: ~same_local[i],
                Kind.INTERNAL_MENTOR: internal,
                Kind.EXTERNAL_MENTOR: ~internal,
            }[pref.kind]
            if pref.must:
                feasible[i] &= met
            else:
                fit[i] += w.preference * met
    for j, mentor in enumerate(mentors):
        for mentee_id in mentor.excluded_mentees:
            if mentee_id in row:
                feasible[row[mentee_id], j] = False
    for mentee_id, mentor_id in problem.excluded:
        if mentee_id in row and mentor_id in column:
            feasible[row[mentee_id], column[mentor_id]] = False
    totals = np.where(feasible, MATCH_BASE + fit, 0)
    return totals, feasible


# --- Assignment ----------------------------------------------------------------------------

NO_FEASIBLE_MENTOR = "no_feasible_mentor"
CAPACITY_EXHAUSTED = "capacity_exhausted"


def _assign(
    totals: np.ndarray, feasible: np.ndarray, candidates: list[int], slots: list[int]
) -> dict[int, int]:
    """Mentee row -> mentor column maximizing the sum, each slot used at most once.

    The smaller side (mentees or capacity slots) forms the rows; each row also gets a
    "nobody" column worth 0, so any row may stay unassigned and an infeasible pair
    (worth -1) is never chosen. This is exact, and puts the solver on the smaller
    square, which is several times faster when places are scarce.
    """
    block = totals[np.ix_(candidates, slots)].astype(np.int64)
    block[~feasible[np.ix_(candidates, slots)]] = -1
    mentees_are_rows = len(candidates) <= len(slots)
    gain = block if mentees_are_rows else block.T
    gain = np.concatenate([gain, np.zeros((gain.shape[0], gain.shape[0]), np.int64)], axis=1)
    rows, cols = linear_sum_assignment(gain, maximize=True)
    chosen = {}
    width = block.shape[1] if mentees_are_rows else block.shape[0]
    for r, c in zip(rows, cols, strict=True):
        if c < width and gain[r, c] > 0:
            mentee, slot = (r, c) if mentees_are_rows else (c, r)
            chosen[candidates[mentee]] = slots[slot]
    return chosen


def solve(problem: Problem) -> Result:
    """The assignment with the largest total score (see the module docstring)."""
    mentees, mentors, weights = problem.mentees, problem.mentors, problem.weights
    by_mentee = {x.id: x for x in mentees}
    by_mentor = {x.id: x for x in mentors}
    assignments: list[Assignment] = []
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
            assignments.append(Assignment(mentee_id, mentor_id, score, locked=True))
            locked_mentees.add(mentee_id)
            remaining[mentor_id] = max(remaining[mentor_id] - 1, 0)

    totals, feasible = score_matrix(problem)
    open_rows = [i for i, x in enumerate(mentees) if x.id not in locked_mentees]
    any_feasible = feasible.any(axis=1)
    candidates = [i for i in open_rows if any_feasible[i]]
    slots = [j for j, x in enumerate(mentors) for _ in range(remaining[x.id])]
    chosen: dict[int, int] = {}
    if candidates and slots:
        chosen = _assign(totals, feasible, candidates, slots)
    for i, j in sorted(chosen.items()):
        mentee, mentor = mentees[i], mentors[j]
        assignments.append(Assignment(mentee.id, mentor.id, score_pair(mentee, mentor, weights)))
    unmatched = tuple(
        Unmatched(mentees[i].id, CAPACITY_EXHAUSTED if any_feasible[i] else NO_FEASIBLE_MENTOR)
        for i in open_rows
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
    for i, mentee in enumerate(mentees):
        order = [j for j in best[i] if feasible[i, j]]
        found[mentee.id] = [
            (problem.mentors[j].id, score_pair(mentee, problem.mentors[j], problem.weights))
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
    fit += _place_and_language(a, b, weights, reasons)
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
