"""A mentee's wish for a mentor who shares their race or ethnicity (handbook III.4).

Weighed like the wish for a woman mentor: "nice to have" earns the preference's points,
"must" is a hard constraint, and neither outweighs a conflict of interest, a coordinator's
exclusion, another "must", or a mentor's capacity.
"""

import numpy as np

from matching.engine import (
    MATCH_BASE,
    Kind,
    Mentee,
    Mentor,
    Preference,
    Problem,
    Weights,
    score_matrix,
    score_pair,
    solve,
)

BLACK = frozenset({"black"})
WHITE = frozenset({"white"})


def asks(must: bool = False, race=BLACK, **more) -> Mentee:
    return Mentee(
        1,
        race_ethnicity=race,
        preferences=(Preference(Kind.SAME_RACE_ETHNICITY, must=must),),
        **more,
    )


def pairs(problem: Problem) -> set[tuple[int, int]]:
    return {(a.mentee_id, a.mentor_id) for a in solve(problem).assignments}


def test_it_changes_the_match_when_it_should():
    # Without the wish the mentee goes to 100 (a shared local); with it, to 101.
    plain = Mentee(1, local="local 9", race_ethnicity=BLACK)
    mentors = (
        Mentor(100, local="local 9", race_ethnicity=WHITE),
        Mentor(101, race_ethnicity=frozenset({"black", "indigenous"})),
    )
    assert pairs(Problem(mentees=(plain,), mentors=mentors)) == {(1, 100)}
    wish = asks(local="local 9")
    assert pairs(Problem(mentees=(wish,), mentors=mentors)) == {(1, 101)}
    score = score_pair(wish, mentors[1], Weights())
    assert score.total == MATCH_BASE + Weights().preference
    assert "asked for a mentor who shares their race or ethnicity: met" in score.reasons
    missed = score_pair(wish, mentors[0], Weights())
    assert "asked for a mentor who shares their race or ethnicity: not met" in missed.reasons


def test_only_an_answer_in_common_meets_it():
    assert (
        not score_pair(asks(), Mentor(100, race_ethnicity=WHITE), Weights())
        .reasons[0]
        .endswith(": met")
    )
    # A mentee who gave no answer cannot have it met, whatever the mentor answered.
    nothing = asks(race=frozenset())
    assert score_pair(nothing, Mentor(100, race_ethnicity=BLACK), Weights()).total == MATCH_BASE
    assert score_pair(asks(), Mentor(100), Weights()).total == MATCH_BASE


def test_must_is_a_hard_constraint():
    mentors = (Mentor(100, race_ethnicity=WHITE),)
    result = solve(Problem(mentees=(asks(must=True),), mentors=mentors))
    assert result.assignments == () and result.unmatched[0].reason == "no_feasible_mentor"
    score = score_pair(asks(must=True), mentors[0], Weights())
    assert not score.feasible
    assert score.broken == ("must: a mentor who shares their race or ethnicity — not met",)


def test_nice_to_have_never_outweighs_a_hard_constraint():
    shares = Mentor(100, race_ethnicity=BLACK, excluded_mentees=frozenset({1}))
    other = Mentor(101, race_ethnicity=WHITE)
    # The mentor's conflict of interest wins over the wish, even worth many points.
    heavy = Weights(preference=1000)
    problem = Problem(mentees=(asks(),), mentors=(shares, other), weights=heavy)
    assert pairs(problem) == {(1, 101)}
    # So does a coordinator's exclusion, and another "must".
    free = Mentor(100, race_ethnicity=BLACK)
    excluded = Problem(
        mentees=(asks(),), mentors=(free, other), weights=heavy, excluded=frozenset({(1, 100)})
    )
    assert pairs(excluded) == {(1, 101)}
    woman_must = Mentee(
        1,
        race_ethnicity=BLACK,
        preferences=(
            Preference(Kind.SAME_RACE_ETHNICITY),
            Preference(Kind.WOMAN_MENTOR, must=True),
        ),
    )
    woman = Mentor(101, race_ethnicity=WHITE, is_woman=True)
    assert pairs(Problem(mentees=(woman_must,), mentors=(free, woman), weights=heavy)) == {(1, 101)}


def test_it_never_leaves_someone_unmatched_for_a_better_fit():
    # One mentor who shares it, two mentees: the wish decides who gets which mentor, but
    # both are matched (each match carries the base), as with the woman-mentor wish.
    wish = asks()
    other = Mentee(2, race_ethnicity=WHITE)
    mentors = (Mentor(100, race_ethnicity=BLACK), Mentor(101, race_ethnicity=WHITE))
    assert pairs(Problem(mentees=(wish, other), mentors=mentors)) == {(1, 100), (2, 101)}
    # A "nice to have" with no mentor to meet it still gets a mentor.
    assert pairs(Problem(mentees=(wish,), mentors=(mentors[1],))) == {(1, 101)}


def test_the_matrix_scores_it_as_pair_by_pair_scoring():
    mentees = (
        asks(),
        Mentee(2, race_ethnicity=WHITE, preferences=(Preference(Kind.SAME_RACE_ETHNICITY),)),
        Mentee(3, race_ethnicity=BLACK),  # did not ask: their answer plays no part
        Mentee(
            4,
            race_ethnicity=frozenset({"black", "white"}),
            preferences=(Preference(Kind.SAME_RACE_ETHNICITY, must=True),),
        ),
    )
    mentors = (
        Mentor(100, race_ethnicity=BLACK),
        Mentor(101, race_ethnicity=WHITE),
        Mentor(102),
    )
    problem = Problem(mentees=mentees, mentors=mentors)
    totals, feasible = score_matrix(problem)
    expected = [[score_pair(a, b, Weights()) for b in mentors] for a in mentees]
    assert totals.tolist() == [[s.total for s in row] for row in expected]
    assert feasible.tolist() == [[s.feasible for s in row] for row in expected]
    assert np.array_equal(totals[:3], [[108, 100, 100], [100, 108, 100], [100, 100, 100]])
    assert feasible[3].tolist() == [True, True, False]
