import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from evaluation import models, services
from evaluation.services import Outcome, next_step_outcome
from matching.models import Match
from matching.tests.factories import MatchFactory
from programs.models import SuccessMeasure
from programs.tests.factories import ParticipantFactory

from .helpers import add_participants, evaluation_answers, feedback_answers, respond

pytestmark = pytest.mark.django_db

Feedback = models.Feedback
EvaluationRequest = models.EvaluationRequest
EvaluationResponse = models.EvaluationResponse


# --- Final feedback ----------------------------------------------------------------------------


def test_a_draft_needs_nothing_and_can_be_finished_later(match, mentee):
    feedback, submitted = services.feedback_save(
        match=match, author=mentee, data={"worked_well": "  Meeting monthly. "}, submit=False
    )
    assert not submitted
    assert feedback.status == Feedback.Status.DRAFT
    assert feedback.worked_well == "Meeting monthly."
    feedback, submitted = services.feedback_save(
        match=match, author=mentee, data=feedback_answers(), submit=True
    )
    assert submitted and feedback.is_submitted and feedback.submitted_at
    assert Feedback.objects.count() == 1


def test_submitting_needs_every_answer_and_other_needs_its_words(match, mentee):
    with pytest.raises(ValidationError) as error:
        services.feedback_save(
            match=match, author=mentee, data=feedback_answers(learned=""), submit=True
        )
    assert set(error.value.message_dict) == {"learned"}
    with pytest.raises(ValidationError) as error:
        services.feedback_save(
            match=match, author=mentee, data=feedback_answers(whats_next="other"), submit=True
        )
    assert set(error.value.message_dict) == {"whats_next_other"}
    assert not Feedback.objects.filter(status="submitted").exists()


def test_submitted_feedback_is_locked(match, mentee):
    services.feedback_save(match=match, author=mentee, data=feedback_answers(), submit=True)
    feedback, submitted = services.feedback_save(
        match=match, author=mentee, data=feedback_answers(learned="changed"), submit=True
    )
    assert not submitted
    assert feedback.learned == feedback_answers()["learned"]


def test_only_the_two_people_of_the_match_give_feedback(cast, match):
    stranger = ParticipantFactory(program=cast.program)
    with pytest.raises(ValidationError):
        services.feedback_save(match=match, author=stranger, data=feedback_answers(), submit=True)


def test_a_proposed_match_has_no_feedback_yet(cast, mentee, mentor):
    proposed = MatchFactory(program=cast.program, mentee=mentee, mentor=mentor)
    with pytest.raises(ValidationError):
        services.feedback_save(match=proposed, author=mentee, data=feedback_answers(), submit=False)


@pytest.mark.parametrize(
    ("mentee_choice", "mentor_choice", "outcome"),
    [
        ("", "complete", Outcome.WAITING),
        ("continue_formal", "continue_formal", Outcome.CONTINUE),
        ("informal", "complete", Outcome.END),
        ("complete", "complete", Outcome.END),
        ("informal", "informal", Outcome.END),
        ("continue_formal", "complete", Outcome.DECIDE),
        ("other", "other", Outcome.DECIDE),
        ("complete", "other", Outcome.DECIDE),
    ],
)
def test_next_step_outcome(mentee_choice, mentor_choice, outcome):
    assert next_step_outcome(mentee_choice, mentor_choice) is outcome
    assert next_step_outcome(mentor_choice, mentee_choice) is outcome


def test_both_moving_on_ends_the_match_as_completed(cast, match, mentee, mentor):
    services.feedback_save(
        match=match, author=mentee, data=feedback_answers(whats_next="informal"), submit=True
    )
    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE  # one party alone decides nothing
    services.feedback_save(
        match=match, author=mentor, data=feedback_answers(whats_next="complete"), submit=True
    )
    match.refresh_from_db()
    assert match.status == Match.Status.ENDED
    assert match.end_reason == Match.EndReason.COMPLETED
    assert match.ended_by == cast.mentor
    assert "Transition to informal/situational meeting" in match.end_note


@pytest.mark.parametrize(
    ("mentee_choice", "mentor_choice"),
    [
        ("continue_formal", "continue_formal"),
        ("continue_formal", "complete"),
        ("other", "informal"),
    ],
)
def test_otherwise_the_match_stays_for_the_coordinator(
    match, mentee, mentor, mentee_choice, mentor_choice
):
    services.feedback_save(
        match=match,
        author=mentee,
        data=feedback_answers(whats_next=mentee_choice, whats_next_other="A circle"),
        submit=True,
    )
    services.feedback_save(
        match=match,
        author=mentor,
        data=feedback_answers(whats_next=mentor_choice, whats_next_other="A circle"),
        submit=True,
    )
    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE


def test_feedback_on_a_match_already_ended_leaves_it_alone(match, mentee, mentor, cast):
    from matching.services import match_end

    match_end(match=match, by=cast.coordinator, reason="left_program", note="")
    match.refresh_from_db()
    for author in (mentee, mentor):
        services.feedback_save(
            match=match, author=author, data=feedback_answers(whats_next="complete"), submit=True
        )
    match.refresh_from_db()
    assert match.end_reason == "left_program"


def test_one_feedback_per_party_is_a_database_rule(match, mentee):
    Feedback.objects.create(match=match, author=mentee)
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(match=match, author=mentee)


def test_a_submitted_feedback_without_a_choice_is_refused_by_the_database(match, mentee):
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(
            match=match, author=mentee, status="submitted", submitted_at=timezone.now()
        )


# --- The evaluation window ------------------------------------------------------------------------


def test_opening_asks_every_participant_once_and_counts_the_rounds(cast):
    window = services.evaluation_window_open(program=cast.program, by=cast.coordinator)
    assert window.is_open and window.round == 1 and window.changed_by == cast.coordinator
    assert EvaluationRequest.objects.filter(participant__program=cast.program).count() == 2
    # Opening an open window changes nothing.
    assert services.evaluation_window_open(program=cast.program, by=cast.coordinator).round == 1
    services.evaluation_window_close(program=cast.program, by=cast.coordinator)
    ParticipantFactory(program=cast.program)
    window = services.evaluation_window_open(program=cast.program, by=cast.coordinator)
    assert window.round == 2
    assert EvaluationRequest.objects.filter(participant__program=cast.program).count() == 3


def test_closing_a_window_that_is_not_open_is_refused(cast):
    with pytest.raises(ValidationError):
        services.evaluation_window_close(program=cast.program, by=cast.coordinator)


@pytest.mark.parametrize("status", ["draft", "open", "selecting", "matching"])
def test_the_window_opens_only_once_the_program_runs(cast, status):
    cast.program.status = status
    cast.program.save()
    with pytest.raises(ValidationError):
        services.evaluation_window_open(program=cast.program, by=cast.coordinator)


@pytest.mark.parametrize("status", ["running", "closing", "closed"])
def test_the_window_opens_while_running_closing_or_closed(cast, status):
    cast.program.status = status
    cast.program.save()
    assert services.evaluation_window_open(program=cast.program, by=cast.coordinator).is_open


# --- Submitting an evaluation ------------------------------------------------------------------


def test_an_evaluation_is_stored_apart_from_who_sent_it(cast, mentee, open_window):
    result = services.evaluation_submit(participant=mentee, answers=evaluation_answers("mentee"))
    assert result is None  # nothing comes back that could be kept next to the participant
    response = EvaluationResponse.objects.get()
    assert response.role == "mentee" and response.round == 1
    assert response.helpfulness == 2 and response.effects == ["skills", "confidence"]
    assert EvaluationRequest.objects.get(participant=mentee).responded


def test_a_second_evaluation_is_refused_and_nothing_more_is_stored(mentee, open_window):
    services.evaluation_submit(participant=mentee, answers=evaluation_answers("mentee"))
    with pytest.raises(services.AlreadyResponded):
        services.evaluation_submit(participant=mentee, answers=evaluation_answers("mentee"))
    assert EvaluationResponse.objects.count() == 1


def test_no_evaluation_while_the_window_is_closed(cast, mentee, open_window):
    services.evaluation_window_close(program=cast.program, by=cast.coordinator)
    with pytest.raises(ValidationError):
        services.evaluation_submit(participant=mentee, answers=evaluation_answers("mentee"))
    assert not EvaluationResponse.objects.exists()
    assert not EvaluationRequest.objects.filter(responded=True).exists()


def test_a_participant_who_joined_after_opening_can_answer(cast, open_window):
    late = ParticipantFactory(program=cast.program, role="mentor")
    services.evaluation_submit(participant=late, answers=evaluation_answers("mentor"))
    assert EvaluationRequest.objects.get(participant=late).responded


def test_a_mentee_form_keeps_no_mentor_question(mentee, open_window):
    services.evaluation_submit(
        participant=mentee, answers=evaluation_answers("mentee", mentor_again="yes")
    )
    assert EvaluationResponse.objects.get().mentor_again == ""


def test_answers_outside_the_form_are_refused(mentee, mentor, open_window):
    with pytest.raises(ValidationError):
        services.evaluation_submit(
            participant=mentee, answers=evaluation_answers("mentee", effects=["growth"])
        )
    with pytest.raises(ValidationError):
        services.evaluation_submit(
            participant=mentor, answers=evaluation_answers("mentor", helpfulness=6)
        )
    with pytest.raises(ValidationError):
        services.evaluation_submit(
            participant=mentor, answers=evaluation_answers("mentor", mentor_again="")
        )
    # The refusals rolled back: neither is marked as having responded.
    assert not EvaluationRequest.objects.filter(responded=True).exists()


def test_one_request_per_participant_is_a_database_rule(mentee, open_window):
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationRequest.objects.create(participant=mentee)


def test_the_scale_is_checked_by_the_database(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationResponse.objects.create(
            program=cast.program, role="mentee", round=1, helpfulness=0, recommend="yes"
        )


def test_the_round_is_the_window_opening(cast, open_window):
    first = add_participants(cast.program, "mentee", 2)
    respond(first[:1])
    services.evaluation_window_close(program=cast.program, by=cast.coordinator)
    services.evaluation_window_open(program=cast.program, by=cast.coordinator)
    respond(first[1:])
    assert sorted(EvaluationResponse.objects.values_list("round", flat=True)) == [1, 2]


# --- Outcomes and testimonials --------------------------------------------------------------------


def test_a_later_role_is_added_and_removed(cast, mentee):
    role = services.later_role_add(
        participant=mentee,
        by=cast.mentee,
        data={"kind": "steward", "title": " Unit 4 ", "started_on": datetime.date(2026, 9, 1)},
    )
    assert role.title == "Unit 4" and role.entered_by == cast.mentee
    with pytest.raises(ValidationError):
        services.later_role_add(
            participant=mentee,
            by=cast.mentee,
            data={
                "kind": "officer",
                "started_on": datetime.date(2026, 9, 1),
                "ended_on": datetime.date(2026, 1, 1),
            },
        )
    services.later_role_delete(role=role)
    assert not models.LaterRole.objects.exists()


def test_success_measures_are_recorded_changed_and_cleared(cast, mentee):
    measure = SuccessMeasure.objects.create(program=cast.program, label="Ran for office")
    services.measure_results_save(
        participant=mentee, by=cast.coordinator, results={measure.pk: (True, "Treasurer")}
    )
    result = models.MeasureResult.objects.get()
    assert result.achieved and result.note == "Treasurer"
    services.measure_results_save(
        participant=mentee, by=cast.coordinator, results={measure.pk: (False, "")}
    )
    assert not models.MeasureResult.objects.get().achieved
    services.measure_results_save(
        participant=mentee, by=cast.coordinator, results={measure.pk: (None, "")}
    )
    assert not models.MeasureResult.objects.exists()


def test_another_programs_measure_is_refused(cast, mentee):
    other = SuccessMeasure.objects.create(program=cast.other_program, label="Elsewhere")
    with pytest.raises(ValidationError):
        services.measure_results_save(
            participant=mentee, by=cast.coordinator, results={other.pk: (True, "")}
        )


def test_a_testimonial_needs_consent_and_waits_for_approval_after_each_change(cast, mentee):
    with pytest.raises(ValidationError):
        services.testimonial_save(participant=mentee, text="Great", show_name=True, consent=False)
    testimonial = services.testimonial_save(
        participant=mentee, text="Great program.", show_name=True, consent=True
    )
    assert testimonial.status == "pending" and testimonial.consented_at
    services.testimonial_review(testimonial=testimonial, by=cast.coordinator, approve=True)
    testimonial.refresh_from_db()
    assert testimonial.status == "approved" and testimonial.reviewed_by == cast.coordinator
    testimonial = services.testimonial_save(
        participant=mentee, text="Changed.", show_name=False, consent=True
    )
    assert testimonial.status == "pending" and testimonial.reviewed_at is None
    assert services.testimonial_withdraw(participant=mentee)
    assert not services.testimonial_withdraw(participant=mentee)
