"""The stored funnel columns cannot drift: every service that moves a person keeps them as
the steps' definitions say (programs/funnel.py, dashboard/funnel.py).

Unlike the dashboard's own tests, nothing here stores the columns on the tests' behalf:
after each service (and each admin change) every participant's stored columns are compared
with a fresh computation from the definitions, and each step's stored filter with the
definition's filter, at that moment.
"""

import datetime
import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from dashboard import funnel, selectors
from dashboard.tasks import recompute_funnel
from dashboard.tests.helpers import drift
from evaluation import services as evaluation_services
from evaluation.models import EvaluationRequest
from evaluation.tests.helpers import evaluation_answers
from intake import services as intake_services
from intake.models import Application
from intake.tests.factories import ApplicationFactory
from matching import services as matching_services
from matching.models import Match
from members import services as members_services
from programs import funnel as programs_funnel
from programs.models import Participant, Program
from programs.tests.factories import ParticipantFactory
from sessions import services as sessions_services
from sessions.models import Meeting, Side, Worksheet
from sessions.tests.factories import OrientationFactory, at, worksheet_data
from surveys import services as survey_services
from surveys.models import Survey
from surveys.tests.factories import full_answers

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def reached(participant: Participant, key: str, now=None) -> bool:
    q = selectors.participant_filter(key, now or timezone.now())
    return Participant.objects.filter(q, pk=participant.pk).exists()


def set_status(program: Program, status: str) -> None:
    Program.objects.filter(pk=program.pk).update(status=status)
    program.refresh_from_db()


def meeting_data(when: datetime.datetime) -> dict:
    return {
        "starts_at": when,
        "duration_minutes": 60,
        "mode": Meeting.Mode.IN_PERSON,
        "location": "Union hall",
        "video_link": "",
        "caller": "",
    }


def changed_in_admin(model, obj, request) -> None:
    """What the admin's change form does once its form is valid: save, then the related."""
    model_admin = admin.site._registry[model]
    model_admin.save_model(request, obj, form=None, change=True)
    model_admin.save_related(
        request, SimpleNamespace(instance=obj, save_m2m=lambda: None), [], True
    )


@pytest.fixture
def superuser_request():
    request = RequestFactory().post("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    return request


def test_every_service_that_moves_a_person_keeps_the_stored_columns(cast, superuser_request):
    """The whole life of a program through its services, the columns checked after each."""
    program, coordinator = cast.program, cast.coordinator
    eddie, mona = cast.mentee_participant, cast.mentor_participant
    today = timezone.localdate()
    assert drift() == []

    # intake: accepted one at a time (a new participant) and many at once (existing ones).
    set_status(program, Program.Status.SELECTING)
    ann_application = ApplicationFactory(program=program, role="mentee")
    intake_services.application_decide(
        application=ann_application, decision="accept", note="", by=coordinator
    )
    ann = program.participants.get(user=ann_application.applicant)
    assert reached(ann, "accepted") and drift() == []
    waiting = [
        ApplicationFactory(program=program, applicant=person.user, role=person.role)
        for person in (eddie, mona)
    ]
    intake_services.applications_decide_many(
        program=program, ids=[a.pk for a in waiting], decision="accept", by=coordinator
    )
    assert reached(eddie, "accepted") and reached(mona, "accepted") and drift() == []
    declined = ApplicationFactory(program=program)
    intake_services.application_decide(
        application=declined, decision="decline", note="", by=coordinator
    )
    withdrawn = ApplicationFactory(program=program, status="submitted", submitted_at=timezone.now())
    intake_services.application_withdraw(application=withdrawn, by=withdrawn.applicant)
    assert drift() == []

    # surveys: submitted, reopened, submitted again.
    for person in (eddie, mona, ann):
        survey_services.survey_save(
            participant=person, answers=full_answers(person.role), profile_data={}, submit=True
        )
        assert drift() == []
    survey_services.survey_reopen(survey=Survey.objects.get(participant=mona), by=coordinator)
    assert not reached(mona, "surveyed") and drift() == []
    survey_services.survey_save(
        participant=mona, answers=full_answers("mentor"), profile_data={}, submit=True
    )
    assert reached(mona, "surveyed") and drift() == []

    # matching: proposed (nothing moves), then published.
    set_status(program, Program.Status.MATCHING)
    proposal = matching_services.match_set(
        program=program, mentee=eddie, mentor=mona, by=coordinator, override_note="Checked."
    )
    assert not reached(eddie, "matched") and drift() == []
    (match,) = matching_services.matching_publish(program=program, by=coordinator)
    assert match.pk == proposal.pk
    assert reached(eddie, "matched") and reached(mona, "matched") and drift() == []

    # sessions: attendance at the orientation, marked and unmarked.
    orientation = OrientationFactory(program=program, starts_at=at(today - 3 * DAY))
    sessions_services.attendance_set(item=orientation, participant_ids=[eddie.pk, mona.pk, ann.pk])
    assert reached(eddie, "oriented") and drift() == []
    sessions_services.attendance_set(item=orientation, participant_ids=[eddie.pk, mona.pk])
    assert drift() == []

    # The worksheet: agreed by both, changed (both agreements cleared), agreed again.
    set_status(program, Program.Status.RUNNING)
    worksheet, _changed = sessions_services.worksheet_save(
        match=match, by=cast.mentee, data=worksheet_data(today)
    )
    for side in (Side.MENTEE, Side.MENTOR):
        sessions_services.worksheet_agree(worksheet=worksheet, side=side, version=worksheet.version)
        assert drift() == []
    assert reached(eddie, "agreed")
    worksheet, _changed = sessions_services.worksheet_save(
        match=match, by=cast.mentor, data=worksheet_data(today, purpose="Steward training")
    )
    assert not reached(eddie, "agreed") and drift() == []
    for side in (Side.MENTEE, Side.MENTOR):
        sessions_services.worksheet_agree(worksheet=worksheet, side=side, version=worksheet.version)
    assert reached(mona, "agreed") and drift() == []

    # Meetings: one to come (not met yet), moved, cancelled; then one held.
    soon, _new = sessions_services.meeting_schedule(
        match=match, by=cast.mentee, data=meeting_data(at(today + 2 * DAY))
    )
    assert not reached(eddie, "meeting") and drift() == []
    assert reached(eddie, "meeting", now=at(today + 3 * DAY))
    assert drift(now=at(today + 3 * DAY)) == []
    sessions_services.meeting_reschedule(
        meeting=soon, by=cast.mentor, data=meeting_data(at(today + 5 * DAY))
    )
    assert not reached(eddie, "meeting", now=at(today + 3 * DAY))
    assert drift(now=at(today + 3 * DAY)) == [] and drift(now=at(today + 6 * DAY)) == []
    sessions_services.meeting_cancel(meeting=soon, by=cast.mentor, reason="Sick")
    assert not reached(eddie, "meeting", now=at(today + 6 * DAY))
    assert drift(now=at(today + 6 * DAY)) == []
    sessions_services.meeting_schedule(
        match=match, by=cast.mentee, data=meeting_data(timezone.now() - DAY)
    )
    assert reached(eddie, "meeting") and reached(mona, "meeting") and drift() == []

    # The match ends as completed; the evaluation is answered.
    matching_services.match_end(match=match, by=coordinator, reason=Match.EndReason.COMPLETED)
    assert reached(eddie, "completed") and drift() == []
    evaluation_services.evaluation_window_open(program=program, by=coordinator)
    evaluation_services.evaluation_submit(participant=eddie, answers=evaluation_answers("mentee"))
    assert reached(eddie, "evaluated") and not reached(mona, "evaluated") and drift() == []

    # The orientation deleted: nobody is oriented by it any more.
    sessions_services.gathering_delete(item=orientation)
    assert not reached(eddie, "oriented") and drift() == []

    # A member deleting their account keeps their rows' statuses: nothing moves.
    members_services.account_delete(user=ann.user)
    assert drift() == []

    # The admin: a changed application, deleted evaluation request, meeting and match.
    application = Application.objects.get(program=program, applicant=cast.mentor)
    application.status = Application.Status.DECLINED
    changed_in_admin(Application, application, superuser_request)
    assert not reached(mona, "accepted") and drift() == []
    admin.site._registry[EvaluationRequest].delete_queryset(
        superuser_request, EvaluationRequest.objects.filter(participant=eddie)
    )
    assert drift() == []
    admin.site._registry[Meeting].delete_queryset(superuser_request, match.meetings.all())
    assert not reached(eddie, "meeting") and drift() == []
    admin.site._registry[Match].delete_model(superuser_request, match)
    assert not reached(eddie, "matched") and drift() == []


def test_the_admin_keeps_the_columns_of_a_match_moved_to_another_mentee(cast, superuser_request):
    match = cast.pair()
    for person in (cast.mentee_participant, cast.mentor_participant):
        ApplicationFactory(program=cast.program, applicant=person.user, role=person.role)
    programs_funnel.funnel_changed(participants=Participant.objects.all())
    other = ParticipantFactory(program=cast.program, role="mentee")
    Survey.objects.create(participant=other, status="submitted", submitted_at=timezone.now())
    match.mentee = other
    changed_in_admin(Match, match, superuser_request)
    assert drift() == []


def test_attendance_in_the_admin_keeps_the_columns(cast, superuser_request):
    orientation = OrientationFactory(program=cast.program)
    model_admin = admin.site._registry[type(orientation)]
    model_admin.save_model(superuser_request, orientation, form=None, change=True)
    orientation.attendees.add(cast.mentee_participant)  # what the form's save_m2m does
    form = SimpleNamespace(instance=orientation, save_m2m=lambda: None)
    model_admin.save_related(superuser_request, form, [], True)
    assert drift() == []
    model_admin.delete_model(superuser_request, orientation)
    assert drift() == []


def agreed_pair(cast) -> Match:
    """The cast's pair at "agreed", every step before it reached (rows written directly,
    then the columns stored as a service would)."""
    match = cast.pair()
    for person in (cast.mentee_participant, cast.mentor_participant):
        ApplicationFactory(
            program=cast.program, applicant=person.user, role=person.role, status="accepted"
        )
        Survey.objects.create(participant=person, status="submitted", submitted_at=timezone.now())
    orientation = OrientationFactory(program=cast.program)
    orientation.attendees.add(cast.mentee_participant, cast.mentor_participant)
    today = timezone.localdate()
    Worksheet.objects.create(
        match=match,
        starts_on=today,
        target_end_on=today + 100 * DAY,
        midpoint_on=today + 50 * DAY,
        mentee_agreed_at=timezone.now(),
        mentor_agreed_at=timezone.now(),
    )
    programs_funnel.funnel_changed(participants=Participant.objects.all())
    return match


def test_a_meeting_to_come_counts_as_met_when_its_time_comes_without_any_write(cast):
    match = agreed_pair(cast)
    mentee = cast.mentee_participant
    assert reached(mentee, "agreed") and drift() == []
    start = (timezone.now() + 2 * DAY).replace(microsecond=0)
    sessions_services.meeting_schedule(match=match, by=cast.mentee, data=meeting_data(start))
    assert Participant.objects.get(pk=mentee.pk).funnel_met_at == start
    assert not reached(mentee, "meeting")
    assert not reached(mentee, "meeting", now=start - datetime.timedelta(seconds=1))
    assert reached(mentee, "meeting", now=start)
    with time_machine.travel(start + DAY, tick=False):
        assert reached(mentee, "meeting") and drift() == []
        data = selectors.dashboard([cast.program])
    assert data.steps["meeting"] == 2


def test_ending_a_match_cancels_its_meeting_to_come_and_the_pair_never_counts_as_met(cast):
    """`sessions.services.match_end_with_meetings` cancels the meetings to come after
    matching has ended the match: the stored first meeting must go with them, or the pair
    would count as "met" when the cancelled meeting's time comes."""
    match = agreed_pair(cast)
    start = (timezone.now() + 2 * DAY).replace(microsecond=0)
    sessions_services.meeting_schedule(match=match, by=cast.mentee, data=meeting_data(start))
    assert Participant.objects.get(pk=cast.mentee_participant.pk).funnel_met_at == start
    sessions_services.match_end_with_meetings(
        match=match, by=cast.coordinator, reason=Match.EndReason.NOT_A_GOOD_FIT
    )
    for person in (cast.mentee_participant, cast.mentor_participant):
        assert Participant.objects.get(pk=person.pk).funnel_met_at is None
        assert not reached(person, "meeting", now=start + DAY)
    assert drift(now=start + DAY) == []


def test_a_write_without_the_computation_installed_is_refused(cast, monkeypatch):
    monkeypatch.setattr(programs_funnel, "_installed", [])
    with pytest.raises(Exception, match="No funnel computation installed"):
        programs_funnel.funnel_changed(participants=[cast.mentee_participant.pk])


def test_the_dashboard_installs_the_computation():
    assert programs_funnel._installed == [funnel.refresh]


def test_the_recompute_corrects_what_drifted_and_says_how_many(cast):
    # Rows written directly, as a script would: both partners' columns are behind.
    Meeting.objects.create(
        match=cast.pair(), starts_at=timezone.now() - DAY, duration_minutes=60, mode="phone"
    )
    assert drift() != []
    out = StringIO()
    call_command("funnel_recompute", stdout=out)
    assert out.getvalue().strip() == "2 participant(s) corrected."
    assert drift() == []
    assert recompute_funnel() == 0  # the beat task: nothing left to correct
    Participant.objects.update(funnel_depth=3, funnel_evaluated=True)
    assert recompute_funnel() == 2 and drift() == []


def test_beat_runs_the_recompute(settings):
    from mentorship.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["recompute-funnel"]
    assert entry["task"] == "dashboard.recompute_funnel" == recompute_funnel.name
    assert entry["task"] in app.tasks


def test_the_migration_fills_the_columns_as_the_definitions_say(cast):
    """The data migration's frozen copy of the definitions, on a program at every step."""
    match = cast.pair()
    for person in (cast.mentee_participant, cast.mentor_participant):
        ApplicationFactory(
            program=cast.program, applicant=person.user, role=person.role, status="accepted"
        )
        Survey.objects.create(participant=person, status="submitted", submitted_at=timezone.now())
    OrientationFactory(program=cast.program).attendees.add(cast.mentor_participant)
    Worksheet.objects.create(
        match=match,
        starts_on=timezone.localdate(),
        target_end_on=timezone.localdate() + 100 * DAY,
        midpoint_on=timezone.localdate() + 50 * DAY,
        mentee_agreed_at=timezone.now(),
        mentor_agreed_at=timezone.now(),
    )
    Meeting.objects.create(
        match=match, starts_at=timezone.now() - DAY, duration_minutes=60, mode="phone"
    )
    Meeting.objects.create(
        match=match,
        starts_at=timezone.now() - 5 * DAY,
        duration_minutes=60,
        mode="phone",
        status="cancelled",
        cancel_reason="Sick",
        cancelled_at=timezone.now(),
    )
    Match.objects.filter(pk=match.pk).update(status="ended", end_reason="completed")
    # Ended early, and proposed: neither is "completed" nor "matched".
    early = ParticipantFactory(program=cast.program, role="mentee")
    Match.objects.create(
        program=cast.program,
        mentee=early,
        mentor=cast.mentor_participant,
        status="ended",
        end_reason="not_a_good_fit",
    )
    proposed_only = ParticipantFactory(program=cast.program, role="mentee")
    ApplicationFactory(program=cast.program, applicant=proposed_only.user, status="accepted")
    Survey.objects.create(
        participant=proposed_only, status="submitted", submitted_at=timezone.now()
    )
    Match.objects.create(program=cast.program, mentee=proposed_only, mentor=early)
    EvaluationRequest.objects.create(participant=cast.mentor_participant, responded=True)
    EvaluationRequest.objects.create(participant=early, responded=False)
    assert drift() != []
    migration = importlib.import_module("programs.migrations.0009_participant_funnel_fill")
    migration.fill(apps, schema_editor=None)
    assert drift() == []
    assert reached(cast.mentor_participant, "evaluated")


def test_a_refresh_of_many_is_cut_into_compiled_pieces_that_miss_nobody(cast, monkeypatch):
    """Five participants through UPDATEs of four, then of two naming the last one twice."""
    monkeypatch.setattr(funnel, "REFRESH_SIZES", (2, 4))
    match = agreed_pair(cast)
    for _ in range(3):
        person = ParticipantFactory(program=cast.program)
        ApplicationFactory(
            program=cast.program, applicant=person.user, role=person.role, status="accepted"
        )
    Meeting.objects.create(
        match=match, starts_at=timezone.now() - DAY, duration_minutes=60, mode="phone"
    )
    Participant.objects.update(funnel_depth=0, funnel_evaluated=True)
    assert funnel.refresh(Participant.objects.all()) == 5
    assert drift() == []
    assert Participant.objects.filter(funnel_depth=1).count() == 3


def test_the_stored_row_is_the_funnels_steps_before_the_clock():
    """`funnel_depth` counts the steps before "meeting", the first one the clock decides."""
    from programs.models import FUNNEL_IN_A_ROW

    assert ("applied", *selectors.FUNNEL_STEPS) == selectors.STEP_KEYS
    assert selectors.FUNNEL_STEPS[FUNNEL_IN_A_ROW] == "meeting"
