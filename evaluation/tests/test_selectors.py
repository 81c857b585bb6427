import datetime

import pytest

from accounts.models import Profile
from evaluation import models, selectors, services
from evaluation.selectors import released_rounds
from intake.tests.factories import ApplicationFactory
from matching.tests.factories import MatchFactory
from programs.models import SuccessMeasure
from programs.tests.factories import ParticipantFactory, ProgramFactory

from .helpers import add_participants, evaluation_answers, feedback_answers, respond

pytestmark = pytest.mark.django_db


# --- Which rounds may be shown ----------------------------------------------------------------


def test_rounds_are_shown_only_in_steps_of_the_threshold():
    assert released_rounds({1: 4}, open_round=None, threshold=5) == frozenset()
    assert released_rounds({1: 5}, open_round=None, threshold=5) == {1}
    # A straggler's round waits for more, so two reports never differ by one person.
    assert released_rounds({1: 6, 2: 1}, open_round=None, threshold=5) == {1}
    assert released_rounds({1: 6, 2: 1, 3: 4}, open_round=None, threshold=5) == {1, 2, 3}
    # Small rounds add up before the first release.
    assert released_rounds({1: 3, 2: 2}, open_round=None, threshold=5) == {1, 2}


def test_a_round_still_open_is_never_shown():
    assert released_rounds({1: 9}, open_round=1, threshold=5) == frozenset()
    assert released_rounds({1: 6, 2: 7}, open_round=2, threshold=5) == {1}


# --- Evaluation results ------------------------------------------------------------------------


def results_for(program, role="mentee"):
    return next(r for r in selectors.evaluation_results(program) if r.role == role)


def close(cast):
    services.evaluation_window_close(program=cast.program, by=cast.coordinator)


def test_below_the_threshold_nothing_but_the_count(cast, open_window):
    respond(add_participants(cast.program, "mentee", 4))
    close(cast)
    results = results_for(cast.program)
    assert results.received == 4 and not results.visible
    assert results.helpfulness == [] and results.charts == [] and results.suggestions == []


def test_at_the_threshold_aggregates_but_no_free_text(cast, open_window):
    respond(add_participants(cast.program, "mentee", 5))
    close(cast)
    results = results_for(cast.program)
    assert results.visible and not results.texts_visible
    assert [t.count for t in results.helpfulness] == [0, 5, 0, 0, 0]
    assert results.average == 2
    assert {t.label: t.count for t in results.recommend} == {"No": 0, "Maybe": 0, "Yes": 5}
    assert results.suggestions == [] and results.useful_aspects == []
    assert [c.key for c in results.charts] == [
        "mentee-helpfulness",
        "mentee-recommend",
        "mentee-effects",
    ]


def test_above_the_threshold_free_text_too(cast, open_window):
    people = add_participants(cast.program, "mentee", 6)
    for number, participant in enumerate(people):
        services.evaluation_submit(
            participant=participant,
            answers=evaluation_answers(
                "mentee", suggestions=f"Idea {number}", helpfulness=1 + number % 5
            ),
        )
    close(cast)
    results = results_for(cast.program)
    assert results.texts_visible
    assert sorted(results.suggestions) == [f"Idea {n}" for n in range(6)]
    effects = {t.label: t.count for t in results.effects}
    assert effects["Helped you learn new skills?"] == 6
    assert effects["Improved your job performance overall?"] == 0


def test_results_wait_for_the_window_to_close(cast, open_window):
    respond(add_participants(cast.program, "mentee", 6))
    assert not results_for(cast.program).visible
    close(cast)
    assert results_for(cast.program).visible


def test_mentors_form_is_counted_apart_with_its_own_question(cast, open_window):
    respond(add_participants(cast.program, "mentor", 5), mentor_again="maybe")
    respond(add_participants(cast.program, "mentee", 2))
    close(cast)
    mentors, mentees = results_for(cast.program, "mentor"), results_for(cast.program)
    assert mentors.visible and not mentees.visible
    assert {t.label: t.count for t in mentors.mentor_again}["Maybe"] == 5
    assert mentors.charts[-1].key == "mentor-again"


@pytest.mark.parametrize("setting", [3, 7])
def test_the_threshold_follows_the_setting(cast, open_window, settings, setting):
    settings.EVALUATION_MIN_GROUP = setting
    respond(add_participants(cast.program, "mentee", 5))
    close(cast)
    assert results_for(cast.program).visible is (setting <= 5)


def test_a_threshold_below_three_is_not_used(cast, open_window, settings):
    settings.EVALUATION_MIN_GROUP = 1
    respond(add_participants(cast.program, "mentee", 2))
    close(cast)
    assert not results_for(cast.program).visible


def test_response_counts_are_numbers_not_names(cast, mentee, open_window):
    respond([mentee])
    counts = {c.role: (c.asked, c.responded) for c in selectors.response_counts(cast.program)}
    assert counts == {"mentee": (1, 1), "mentor": (1, 0)}


# --- Participation and the equity funnel ---------------------------------------------------------


def person(program, role, *, gender="", races=()):
    participant = ParticipantFactory(program=program, role=role)
    Profile.objects.create(user=participant.user, gender=gender, race_ethnicity=list(races))
    ApplicationFactory(program=program, applicant=participant.user, role=role, status="accepted")
    return participant


def test_participation_counts_each_stage(cast):
    program = ProgramFactory()
    mentors = [person(program, "mentor", gender="man") for _ in range(3)]
    mentees = [person(program, "mentee", gender="woman") for _ in range(6)]
    ApplicationFactory(program=program, status="declined", role="mentee")
    ApplicationFactory(program=program, status="draft", role="mentee")  # not counted
    endings = ["completed", "completed", "completed", "not_a_good_fit", None, None]
    for index, (mentee, reason) in enumerate(zip(mentees, endings, strict=True)):
        mentor = mentors[index % 3]
        if reason is None:
            MatchFactory(program=program, mentee=mentee, mentor=mentor, status="active")
        else:
            MatchFactory(
                program=program, mentee=mentee, mentor=mentor, status="ended", end_reason=reason
            )
    rows = {row.key: row for row in selectors.participation(selectors.funnel_people(program))}
    assert (rows["applied"].mentees, rows["applied"].mentors, rows["applied"].total) == (7, 3, 10)
    assert (rows["accepted"].mentees, rows["accepted"].total) == (6, 9)
    assert (rows["matched"].mentees, rows["matched"].mentors) == (6, 3)
    assert (rows["completed"].mentees, rows["completed"].mentors) == (3, 3)
    # The mentee whose one match did not work out; their mentor completed another pair.
    assert (rows["ended_early"].mentees, rows["ended_early"].mentors) == (1, 0)


def test_funnel_suppresses_small_cells_and_their_complements():
    program = ProgramFactory()
    for _ in range(8):
        person(program, "mentee", gender="woman", races=["white"])
    for _ in range(2):
        person(program, "mentee", gender="non_binary", races=["black", "white"])
    for _ in range(6):
        person(program, "mentee", gender="man")
    gender, race = selectors.equity_funnel(selectors.funnel_people(program))
    cells = {row.label: [str(c) for c in row.cells] for row in gender.rows}
    # Zeros read "fewer than 5" too: 2 = 16 − 8 − 6 is spread over five hidden cells.
    assert cells["Non-binary"][:2] == ["fewer than 5", "fewer than 5"]
    assert cells["Prefer not to say"][:2] == ["fewer than 5", "fewer than 5"]
    assert cells["Man"][:2] == ["6", "6"]
    assert cells["Woman"][:2] == ["8", "8"]
    assert gender.totals[:2] == [16, 16]
    races = {row.label: [str(c) for c in row.cells] for row in race.rows}
    assert races["White"][0] == "10"
    assert races["Black"][0] == "fewer than 5"
    # The six men gave no answer: with every other answer hidden, 6 gives nothing away.
    assert races["Not answered"][0] == "6"
    assert "several answers" in race.note


def test_funnel_counts_people_never_names(cast):
    text = str(
        [table.rows for table in selectors.equity_funnel(selectors.funnel_people(cast.program))]
    )
    assert cast.mentee.name not in text and cast.mentee.email not in text


# --- Outcomes -----------------------------------------------------------------------------


def test_mentees_who_became_mentors_in_a_later_program(cast, mentee):
    later = ProgramFactory(year=cast.program.year + 1)
    earlier = ProgramFactory(year=cast.program.year - 1)
    ParticipantFactory(program=later, user=cast.mentee, role="mentor")
    assert list(selectors.became_mentors(cast.program)) == [mentee]
    # A mentor the year before does not count, nor a mentee again.
    other = ParticipantFactory(program=cast.program, role="mentee")
    ParticipantFactory(program=earlier, user=other.user, role="mentor")
    third = ParticipantFactory(program=cast.program, role="mentee")
    ParticipantFactory(program=later, user=third.user, role="mentee")
    assert list(selectors.became_mentors(cast.program)) == [mentee]


def test_same_year_counts_when_the_later_program_starts_later(cast, mentee):
    cast.program.starts_on = datetime.date(2026, 1, 10)
    cast.program.save()
    circle = ProgramFactory(year=cast.program.year, starts_on=datetime.date(2026, 9, 1))
    ParticipantFactory(program=circle, user=cast.mentee, role="mentor")
    assert selectors.outcomes_summary(cast.program).became_mentors == 1


def test_outcomes_summary_counts_people_per_role(cast, mentee, mentor):
    day = datetime.date(2026, 9, 1)
    models.LaterRole.objects.create(participant=mentee, kind="steward", started_on=day)
    models.LaterRole.objects.create(participant=mentee, kind="committee", started_on=day)
    models.LaterRole.objects.create(participant=mentor, kind="officer", started_on=day)
    measure = SuccessMeasure.objects.create(program=cast.program, label="Ran for office")
    services.measure_results_save(
        participant=mentee, by=cast.coordinator, results={measure.pk: (True, "")}
    )
    summary = selectors.outcomes_summary(cast.program)
    roles = {r.label: (r.mentees, r.mentors) for r in summary.roles}
    assert roles["Steward"] == (1, 0) and roles["Officer"] == (0, 1)
    assert (summary.any_role.mentees, summary.any_role.mentors) == (1, 1)
    assert summary.measures == [
        selectors.MeasureCount("Ran for office", achieved=1, not_achieved=0, not_recorded=1)
    ]


# --- Feedback visibility and what is due -------------------------------------------------


def test_partners_feedback_is_shown_only_once_both_have_submitted(match, mentee, mentor):
    services.feedback_save(match=match, author=mentor, data=feedback_answers(), submit=True)
    view = selectors.feedback_view(selectors.matches_of(mentee).get(), mentee)
    assert view.partner_submitted and view.theirs is None
    services.feedback_save(match=match, author=mentee, data=feedback_answers(), submit=False)
    view = selectors.feedback_view(selectors.matches_of(mentee).get(), mentee)
    assert view.theirs is None  # a draft is not enough
    services.feedback_save(match=match, author=mentee, data=feedback_answers(), submit=True)
    view = selectors.feedback_view(selectors.matches_of(mentee).get(), mentee)
    assert view.theirs.author == mentor
    headings = [s.heading for s in view.their_sections()]
    assert headings[1] == "Feedback for my mentee:"
    assert [s.heading for s in view.my_sections()][1] == "Feedback for my mentor:"


def test_forms_due_lists_feedback_and_the_evaluation(cast, match, mentee):
    labels = lambda: {(i.label, i.status) for i in selectors.forms_due(mentee)}  # noqa: E731
    assert labels() == {("Final feedback with Mona Mentor", "At your final session")}
    cast.program.status = "closing"
    cast.program.save()
    services.evaluation_window_open(program=cast.program, by=cast.coordinator)
    assert ("Mentees’ Program Evaluation Form", "To do") in labels()
    assert ("Final feedback with Mona Mentor", "To do") in labels()
    assert ("My testimonial", "Optional") in labels()
    respond([mentee])
    assert ("Mentees’ Program Evaluation Form", "Sent, thank you") in labels()


def test_nothing_due_before_the_program_runs(cast, mentee):
    cast.program.status = "matching"
    cast.program.save()
    assert selectors.forms_due(mentee) == []
