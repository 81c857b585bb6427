"""The fit check: after the first recorded meeting, and at the mid-point, each side says
privately how the match is going. The partner never sees it; the coordinators do, and
"Not a good fit" puts the pair in Needs attention with the end-match form one click away."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from matching.models import Match
from sessions import services
from sessions.models import FitCheck, Side
from sessions.selectors import MIDPOINT_EARLY_DAYS, due_fit_check, with_fit_check_columns
from sessions.tests.factories import MeetingFactory, SessionRecordFactory, WorksheetFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
NOTE = "Mona keeps cancelling; please call me. #private-note-7731"


def first_meeting(match, *, recorded: bool = True):
    meeting = MeetingFactory(match=match, starts_at=timezone.now() - 2 * DAY)
    SessionRecordFactory(meeting=meeting, status="recorded" if recorded else "draft")
    return meeting


def fit_url(match, stage: str = "first") -> str:
    return reverse("sessions:fit_check", args=[match.program.slug, match.pk, stage])


def due(match, side: str):
    return due_fit_check(with_fit_check_columns(match), side, timezone.localdate())


# --- When it is asked ------------------------------------------------------------------------


def test_nothing_is_asked_before_a_recorded_meeting(cast_pair):
    assert due(cast_pair, Side.MENTEE) is None
    first_meeting(cast_pair, recorded=False)  # a draft is not a recorded meeting
    assert due(cast_pair, Side.MENTEE) is None


def test_both_sides_are_asked_after_the_first_recorded_meeting(cast_pair):
    first_meeting(cast_pair)
    assert due(cast_pair, Side.MENTEE) == FitCheck.Stage.FIRST
    assert due(cast_pair, Side.MENTOR) == FitCheck.Stage.FIRST
    services.fit_check_answer(match=cast_pair, side=Side.MENTEE, stage="first", answer="going_well")
    assert due(cast_pair, Side.MENTEE) is None
    assert due(cast_pair, Side.MENTOR) == FitCheck.Stage.FIRST


def test_the_midpoint_question_opens_with_the_checkin_window(cast_pair):
    first_meeting(cast_pair)
    services.fit_check_answer(match=cast_pair, side=Side.MENTOR, stage="first", answer="not_sure")
    today = timezone.localdate()
    worksheet = WorksheetFactory(
        match=cast_pair,
        starts_on=today - 60 * DAY,
        midpoint_on=today + (MIDPOINT_EARLY_DAYS + 1) * DAY,
        target_end_on=today + 200 * DAY,
    )
    assert due(cast_pair, Side.MENTOR) is None
    worksheet.midpoint_on = today + MIDPOINT_EARLY_DAYS * DAY
    worksheet.save()
    assert due(cast_pair, Side.MENTOR) == FitCheck.Stage.MIDPOINT
    # One question at a time: the unanswered first one gives way to the mid-point's.
    assert due(cast_pair, Side.MENTEE) == FitCheck.Stage.MIDPOINT


def test_ended_pairs_and_closing_programs_are_not_asked(cast, cast_pair):
    first_meeting(cast_pair)
    cast.program.status = "closing"
    cast.program.save()
    assert due(cast_pair, Side.MENTEE) is None
    cast.program.status = "running"
    cast.program.save()
    Match.objects.filter(pk=cast_pair.pk).update(
        status="ended", end_reason="completed", ended_at=timezone.now()
    )
    assert due(cast_pair, Side.MENTEE) is None


# --- Answering ---------------------------------------------------------------------------------


def test_a_question_not_open_cannot_be_answered(cast_pair):
    with pytest.raises(ValidationError):
        services.fit_check_answer(
            match=cast_pair, side=Side.MENTEE, stage="first", answer="going_well"
        )
    first_meeting(cast_pair)
    with pytest.raises(ValidationError):
        services.fit_check_answer(
            match=cast_pair, side=Side.MENTEE, stage="midpoint", answer="going_well"
        )
    with pytest.raises(ValidationError):
        services.fit_check_answer(match=cast_pair, side=Side.MENTEE, stage="first", answer="meh")
    assert not FitCheck.objects.exists()


def test_the_member_answers_on_a_small_form(
    cast, cast_pair, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    first_meeting(cast_pair)
    client = client_as("mentee")
    page = client.get(fit_url(cast_pair))
    assert page.status_code == 200
    assert "How is your match with Mona Mentor going?" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(fit_url(cast_pair), {"answer": "not_a_good_fit", "note": NOTE})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "sessions:timeline", args=[cast.program.slug, cast_pair.pk]
    )
    check = FitCheck.objects.get()
    assert (check.side, check.stage, check.answer, check.note) == (
        "mentee",
        "first",
        "not_a_good_fit",
        NOTE,
    )
    # The coordinators hear of it at once; the mentor hears nothing.
    assert [mail.to for mail in mailoutbox] == [[cast.coordinator.email]]
    assert NOTE not in mailoutbox[0].body
    assert "Eddie Mentee, the mentee" in mailoutbox[0].body
    # A second submission (a double click, another tab) creates nothing.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(fit_url(cast_pair), {"answer": "going_well", "note": "changed"})
    assert again.status_code == 302
    assert FitCheck.objects.count() == 1
    assert FitCheck.objects.get().answer == "not_a_good_fit"
    assert len(mailoutbox) == 1


def test_bad_input_keeps_what_was_typed(cast_pair, client_as):
    first_meeting(cast_pair)
    response = client_as("mentor").post(fit_url(cast_pair), {"note": NOTE})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Choose how the match is going." in text
    assert NOTE in text
    too_long = client_as("mentor").post(
        fit_url(cast_pair), {"answer": "going_well", "note": "x" * (FitCheck.NOTE_MAX + 1)}
    )
    assert too_long.status_code == 200
    assert not FitCheck.objects.exists()


def test_a_question_not_open_sends_the_member_back(cast_pair, client_as):
    response = client_as("mentee").get(fit_url(cast_pair))
    assert response.status_code == 302
    assert client_as("mentee").get(fit_url(cast_pair, "someday")).status_code == 404


def test_the_form_in_french(cast, cast_pair, client_as):
    first_meeting(cast_pair)
    cast.mentee.language = "fr"
    cast.mentee.save()
    client = client_as("mentee")
    text = client.get(fit_url(cast_pair), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Comment se passe votre jumelage avec Mona Mentor" in text


# --- E-mails, in each recipient's language ----------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "asks each of you one private question: how is the match going?"),
        ("fr", "pose aussi à chacun et chacune une question privée"),
    ],
)
def test_the_midpoint_reminder_asks_the_question(
    cast, cast_pair, mailoutbox, django_capture_on_commit_callbacks, language, expected
):
    from reminders.models import Reminder
    from reminders.services import reminder_send

    today = timezone.localdate()
    worksheet = WorksheetFactory(
        match=cast_pair,
        starts_on=today - 60 * DAY,
        midpoint_on=today + 3 * DAY,
        target_end_on=today + 200 * DAY,
    )
    cast.mentee.language = language
    cast.mentee.save()
    reminder = Reminder.objects.create(
        kind="midpoint_coming",
        recipient=cast.mentee,
        program=cast.program,
        subject_key=f"midpoint:{cast_pair.pk}:{worksheet.midpoint_on.isoformat()}",
        due_on=today,
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminder_send(reminder_id=reminder.pk)
    assert expected in " ".join(mailoutbox[0].body.split())


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", 'Eddie Mentee, the mentee, answered "Not a good fit"'),
        ("fr", "Eddie Mentee, personne mentorée, a répondu «\u00a0Manque de compatibilité\u00a0»"),
    ],
)
def test_the_coordinators_are_told_in_their_language(
    cast, cast_pair, mailoutbox, django_capture_on_commit_callbacks, language, expected
):
    first_meeting(cast_pair)
    cast.coordinator.language = language
    cast.coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.fit_check_answer(
            match=cast_pair, side=Side.MENTEE, stage="first", answer="not_a_good_fit", note=NOTE
        )
    (mail,) = mailoutbox
    assert mail.to == [cast.coordinator.email]
    assert expected in mail.body
    assert NOTE not in mail.body
