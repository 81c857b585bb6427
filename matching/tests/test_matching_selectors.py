"""From the database to the engine's plain problem, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing import assert_constant_queries
from matching import engine, selectors
from matching.models import Exclusion, Match, MatchingProfile, MatchingSettings, Preference
from matching.tests.factories import MatchFactory, add_mentee, add_mentor
from programs.models import Program
from programs.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return ProgramFactory(status=Program.Status.MATCHING)


def test_people_become_the_engines_plain_data(program):
    mentee = add_mentee(
        program,
        "Ana",
        goals=["grievances"],
        languages=["  French ", "Cree"],
        local="Local  2009 Unit 4",
        region="Kamloops",
        priority=True,
    )
    mentor = add_mentor(
        program,
        "Rosa",
        skills=["grievances", "bargaining"],
        languages=["FRENCH"],
        local="local 2009 unit 4",
        region=" kamloops",
        gender="woman",
        capacity=3,
        internal=False,
    )
    data = selectors.matching_data(program)
    problem = data.problem
    assert problem.mentees == (
        engine.Mentee(
            id=mentee.pk,
            name="Ana",
            goals=frozenset({"grievances"}),
            languages=frozenset({"french", "cree"}),
            local="local 2009 unit 4",
            region="kamloops",
            priority=True,
        ),
    )
    assert problem.mentors == (
        engine.Mentor(
            id=mentor.pk,
            name="Rosa",
            expertise=frozenset({"grievances", "bargaining"}),
            languages=frozenset({"french"}),
            local="local 2009 unit 4",
            region="kamloops",
            is_woman=True,
            internal=False,
            capacity=3,
        ),
    )
    assert problem.weights == engine.Weights()


@pytest.mark.parametrize("gender", ["man", "non_binary", "prefer_not", ""])
def test_only_a_woman_answer_makes_a_woman_mentor(program, gender):
    add_mentor(program, gender=gender)
    assert selectors.matching_data(program).problem.mentors[0].is_woman is False


def test_preferences_exclusions_and_locks(program):
    ana = add_mentee(program, "Ana")
    ben = add_mentee(program, "Ben")
    rosa = add_mentor(program, "Rosa")
    karl = add_mentor(program, "Karl")
    Preference.objects.create(participant=ana, kind="woman_mentor", strength="must")
    Preference.objects.create(
        participant=ana, kind="specific_mentor", strength="nice", mentor=karl, rank=1
    )
    Exclusion.objects.create(program=program, mentor=rosa, mentee=ben, source="mentor")
    Exclusion.objects.create(program=program, mentor=karl, mentee=ben, source="coordinator")
    MatchFactory(program=program, mentee=ana, mentor=karl, locked=True)
    problem = selectors.matching_data(program).problem
    by_id = {m.id: m for m in problem.mentees}
    assert set(by_id[ana.pk].preferences) == {
        engine.Preference(kind=engine.Kind.WOMAN_MENTOR, must=True),
        engine.Preference(kind=engine.Kind.SPECIFIC_MENTOR, mentor_id=karl.pk, rank=1),
    }
    mentors = {m.id: m for m in problem.mentors}
    assert mentors[rosa.pk].excluded_mentees == {ben.pk}
    assert mentors[karl.pk].excluded_mentees == frozenset()
    assert problem.excluded == {(ben.pk, karl.pk)}
    assert problem.locked == {(ana.pk, karl.pk)}


def test_active_matches_take_mentees_out_and_use_capacity(program):
    ana = add_mentee(program, "Ana")
    ben = add_mentee(program, "Ben")
    rosa = add_mentor(program, "Rosa", capacity=2)
    MatchFactory(program=program, mentee=ana, mentor=rosa, status=Match.Status.ACTIVE)
    MatchFactory(program=program, mentee=ben, mentor=rosa, status=Match.Status.PROPOSED)
    data = selectors.matching_data(program)
    assert [m.id for m in data.problem.mentees] == [ben.pk]
    assert data.problem.mentors[0].capacity == 1
    assert data.capacity[rosa.pk] == 2
    assert data.taken(rosa.pk) == 2
    assert data.taken(rosa.pk, ignoring_mentee=ben.pk) == 1


def test_a_full_mentor_stays_with_no_room(program):
    ana = add_mentee(program, "Ana")
    rosa = add_mentor(program, "Rosa", capacity=1)
    MatchFactory(program=program, mentee=ana, mentor=rosa, status=Match.Status.ACTIVE)
    add_mentee(program, "Ben")
    assert selectors.matching_data(program).problem.mentors[0].capacity == 0


def test_ended_matches_steer_rematching(program):
    done = add_mentee(program, "Done")
    again = add_mentee(program, "Again")
    rosa = add_mentor(program, "Rosa")
    MatchFactory(program=program, mentee=done, mentor=rosa, status="ended", end_reason="completed")
    MatchFactory(
        program=program, mentee=again, mentor=rosa, status="ended", end_reason="not_a_good_fit"
    )
    data = selectors.matching_data(program)
    assert [m.id for m in data.problem.mentees] == [again.pk]
    assert data.problem.excluded == {(again.pk, rosa.pk)}
    assert data.finished == {done.pk}


def test_capacity_comes_from_the_program_then_the_mentor_database(program):
    own = add_mentor(program, "Own", capacity=2)
    MatchingProfile.objects.create(participant=own, capacity=4)
    database = add_mentor(program, "Database", capacity=3)
    capacity = selectors.matching_data(program).capacity
    assert (capacity[own.pk], capacity[database.pk]) == (4, 3)


def test_circles_use_the_circle_size(program):
    program.format = Program.Format.CIRCLE
    program.save()
    MatchingSettings.objects.create(program=program, circle_size=6)
    mentor = add_mentor(program, capacity=1)
    assert selectors.matching_data(program).capacity[mentor.pk] == 6


def test_peer_programs_have_no_mentors(program):
    program.format = Program.Format.PEER
    program.save()
    add_mentor(program)
    add_mentee(program)
    data = selectors.matching_data(program)
    assert data.problem.mentors == ()
    assert len(data.problem.mentees) == 1


def test_the_programs_weights_are_used(program):
    MatchingSettings.objects.create(program=program, goal=30, ranked_second=1)
    weights = selectors.matching_data(program).problem.weights
    assert (weights.goal, weights.ranked) == (30, (12, 1, 4))


def test_board_shows_unplaced_reasons(program):
    must = add_mentee(program, "Must")
    Preference.objects.create(participant=must, kind="external_mentor", strength="must")
    waiting = add_mentee(program, "Waiting")
    add_mentor(program, "Rosa", internal=True)
    board = selectors.matching_board(selectors.matching_data(program))
    reasons = {row.mentee.pk: row.unplaced for row in board.rows}
    assert reasons[must.pk] == selectors.Unplaced.NO_FEASIBLE_MENTOR
    assert reasons[waiting.pk] == selectors.Unplaced.NOT_RUN


def test_board_alternatives_leave_out_the_proposed_mentor(program):
    ana = add_mentee(program, "Ana", goals=["grievances"])
    rosa = add_mentor(program, "Rosa", skills=["grievances"])
    karl = add_mentor(program, "Karl", skills=["organizing"])
    MatchFactory(program=program, mentee=ana, mentor=rosa)
    board = selectors.matching_board(selectors.matching_data(program))
    (row,) = board.rows
    assert row.proposal.mentor_id == rosa.pk
    assert row.score.reasons[0] == "1 of 1 goals match expertise"
    assert [o.mentor.pk for o in row.alternatives] == [karl.pk]


def test_matching_data_takes_five_queries_whatever_the_size(program):
    def grow(n):
        for _ in range(n):
            mentee = add_mentee(program, goals=["grievances"], languages=["French"])
            mentor = add_mentor(program)
            Preference.objects.create(participant=mentee, kind="shares_language")
            Exclusion.objects.create(program=program, mentor=mentor, mentee=mentee, source="mentor")
            MatchFactory(program=program, mentee=mentee, mentor=mentor, status="ended")

    def fetch():
        data = selectors.matching_data(program)
        selectors.matching_board(data)

    count = assert_constant_queries(fetch, grow)
    # settings, participants with profiles, preferences, exclusions, matches
    assert count == 5


def test_the_board_itself_runs_no_query(program):
    for _ in range(3):
        add_mentee(program)
        add_mentor(program)
    data = selectors.matching_data(program)
    with CaptureQueriesContext(connection) as captured:
        selectors.matching_board(data)
    assert len(captured) == 0


def test_a_column_matching_leaves_unread_costs_one_query_for_the_whole_cohort(program):
    """matching_data reads only the columns it uses (selectors.PARTICIPANT_FIELDS); a page
    that reads another one gets it for every participant at once, never one query each."""
    for i in range(4):
        add_mentee(program, f"Mentee {i}", goals=["grievances"], languages=["French"])
        add_mentor(program, f"Mentor {i}", skills=["grievances"])
    data = selectors.matching_data(program)
    people = list(data.participants.values())
    with CaptureQueriesContext(connection) as participants:
        assert all(p.joined_at is not None for p in people)  # not among the fields read
    with CaptureQueriesContext(connection) as profiles:
        assert all(p.user.date_joined is not None for p in people)
    assert (len(participants), len(profiles)) == (1, 1)
