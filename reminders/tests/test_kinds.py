"""The pair, close-out and digest kinds: due logic at fixed dates, once, and skipped when done.

Each test runs the scan for one kind only (the others are left out of `KINDS`), so the
cast's surveys and the coordinators' digest do not mix into the mailbox.
"""

import datetime
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.test import TestCase
from django.utils import timezone

from core.testing import assert_constant_queries
from evaluation import services as evaluation_services
from evaluation.models import EvaluationRequest, EvaluationWindow, Feedback
from evaluation.tests.helpers import evaluation_answers
from matching.models import Match
from matching.tests.factories import MatchFactory
from programs.models import Participant
from reminders import services
from reminders.kinds import KINDS
from reminders.models import Reminder
from reminders.services import reminder_send
from reminders.tasks import reminders_scan
from sessions import ical
from sessions.models import ActionItem, FitCheck, Meeting, Side
from sessions.tests import test_invitations as invitation_checks
from sessions.tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    OrientationFactory,
    PreparationFactory,
    SessionRecordFactory,
    WorksheetFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
NOON = datetime.time(12, 0)


def at(day: datetime.date, time: datetime.time = NOON) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


@pytest.fixture
def run(mailoutbox, django_capture_on_commit_callbacks):
    """`run(kind, day)`: scan for that kind only, at noon that day; the e-mails it sent."""

    def scan(kind: str, day: datetime.date) -> list:
        before = len(mailoutbox)
        with (
            mock.patch.dict(KINDS, {kind: KINDS[kind]}, clear=True),
            time_machine.travel(at(day), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            reminders_scan(now=at(day))
        return mailoutbox[before:]

    return scan


def queue_then_send(kind: str, day: datetime.date, meanwhile) -> list[Reminder]:
    """Scan without queueing, do `meanwhile()`, then send what was recorded."""
    with mock.patch.dict(KINDS, {kind: KINDS[kind]}, clear=True):
        services.reminders_record_due(now=at(day))
    meanwhile()
    reminders = list(Reminder.objects.filter(kind=kind))
    assert reminders, "nothing was due"
    # The e-mails go through the outbox after commit: run what commit would run.
    with time_machine.travel(at(day), tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        for reminder in reminders:
            reminder_send(reminder_id=reminder.pk)
    return list(Reminder.objects.filter(kind=kind).order_by("pk"))


def recipients(mails) -> list[str]:
    return sorted(address for mail in mails for address in mail.to)


@pytest.fixture
def mentee(cast) -> Participant:
    return cast.mentee_participant


@pytest.fixture
def mentor(cast) -> Participant:
    return cast.mentor_participant


@pytest.fixture
def match(cast_pair) -> Match:
    """The cast's pair, active since 1 March 2026."""
    cast_pair.started_at = at(D(2026, 3, 1))
    cast_pair.save(update_fields=["started_at"])
    return cast_pair


@pytest.fixture
def meeting(match) -> Meeting:
    """Scheduled for 10 March 2026 at 18:00."""
    return MeetingFactory(match=match, starts_at=at(D(2026, 3, 10), datetime.time(18)))


BOTH = ["eddie@example.org", "mona@example.org"]
MENTEE = ["eddie@example.org"]
MENTOR = ["mona@example.org"]


# --- Worksheet not agreed ---------------------------------------------------------------------


def test_worksheet_not_agreed_is_due_fourteen_days_after_orientation(cast, match, run):
    OrientationFactory(program=cast.program, starts_at=at(D(2026, 3, 5)))
    WorksheetFactory(match=match, starts_on=D(2026, 3, 1), mentee_agreed_at=at(D(2026, 3, 6)))
    assert run("worksheet_not_agreed", D(2026, 3, 18)) == []
    sent = run("worksheet_not_agreed", D(2026, 3, 19))
    assert recipients(sent) == MENTOR  # the mentee has agreed
    assert f"/programs/2026-mentorship/pairs/{match.pk}/worksheet/" in sent[0].body
    assert "Eddie Mentee" in sent[0].body
    assert run("worksheet_not_agreed", D(2026, 3, 25)) == []


def test_worksheet_not_agreed_counts_from_the_match_start_without_orientation(match, run):
    assert run("worksheet_not_agreed", D(2026, 3, 14)) == []
    sent = run("worksheet_not_agreed", D(2026, 3, 15))
    assert recipients(sent) == BOTH  # no worksheet yet: neither has agreed
    assert "not started your planning worksheet" in sent[0].body


def test_worksheet_agreed_meanwhile_is_skipped(match, mailoutbox):
    def agree():
        WorksheetFactory(
            match=match,
            starts_on=D(2026, 3, 1),
            mentee_agreed_at=timezone.now(),
            mentor_agreed_at=timezone.now(),
        )

    reminders = queue_then_send("worksheet_not_agreed", D(2026, 3, 20), agree)
    assert [r.skipped for r in reminders] == ["no_longer_due", "no_longer_due"]
    assert mailoutbox == []


# --- Meeting tomorrow -------------------------------------------------------------------------


def test_meeting_tomorrow_reminds_both_with_the_invitation_itself(meeting, run, settings):
    """The reminder carries the invitation's REQUEST, same UID and SEQUENCE, read alike by
    icalendar and vobject: it refreshes the event the invitation made, never adds one."""
    settings.DEFAULT_FROM_EMAIL = f"Union Mentorship <{invitation_checks.FROM}>"
    Meeting.objects.filter(pk=meeting.pk).update(sequence=2)  # moved twice since
    meeting.refresh_from_db()
    cast_mentor = meeting.match.mentor.user
    cast_mentor.language = "fr"
    cast_mentor.save()
    assert run("meeting_tomorrow", D(2026, 3, 8)) == []
    sent = run("meeting_tomorrow", D(2026, 3, 9))
    assert recipients(sent) == BOTH
    by_address = {item["to"]: item for item in invitation_checks.invitations(sent)}
    english, french = by_address["eddie@example.org"], by_address["mona@example.org"]
    assert "tomorrow" in english["subject"] and "demain" in french["subject"]
    assert meeting.get_absolute_url() in english["mail"].body
    invited = invitation_checks.read_both(
        ical.invitation(
            ical.meeting_event(meeting),
            attendees=[ical.attendee(meeting.match.mentee.user), ical.attendee(cast_mentor)],
        )
    )
    for item in (english, french):
        assert item["method"] == ical.REQUEST
        (event,) = item["events"]
        assert event["uid"] == invited["events"][0]["uid"] == ical.uid("meeting", meeting.pk)
        assert event["sequence"] == invited["events"][0]["sequence"] == 2
        assert event["attendees"] == invited["events"][0]["attendees"]
        assert event["start"] == meeting.starts_at and event["end"] == meeting.ends_at
    assert french["events"][0]["summary"].startswith("Rencontre de mentorat")
    assert run("meeting_tomorrow", D(2026, 3, 9)) == []
    assert run("meeting_tomorrow", D(2026, 3, 10)) == []


def test_meeting_cancelled_meanwhile_is_skipped(meeting, mailoutbox):
    def cancel():
        Meeting.objects.filter(pk=meeting.pk).update(
            status=Meeting.Status.CANCELLED,
            cancel_reason="Strike vote",
            cancelled_at=at(D(2026, 3, 9)),
        )

    reminders = queue_then_send("meeting_tomorrow", D(2026, 3, 9), cancel)
    assert {r.skipped for r in reminders} == {"no_longer_due"}
    assert mailoutbox == []


def test_meeting_moved_meanwhile_is_skipped(meeting, mailoutbox):
    def move():
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=at(D(2026, 3, 17)))

    reminders = queue_then_send("meeting_tomorrow", D(2026, 3, 9), move)
    assert {r.skipped for r in reminders} == {"no_longer_due"}


def test_cancelled_meetings_are_not_reminded(match, run):
    MeetingFactory(
        match=match,
        starts_at=at(D(2026, 3, 10)),
        status=Meeting.Status.CANCELLED,
        cancel_reason="Shift change",
        cancelled_at=at(D(2026, 3, 1)),
    )
    assert run("meeting_tomorrow", D(2026, 3, 9)) == []


# --- Preparation due --------------------------------------------------------------------------


def test_preparation_is_due_for_the_mentee_two_days_before(meeting, run):
    assert run("preparation_due", D(2026, 3, 7)) == []
    sent = run("preparation_due", D(2026, 3, 8))
    assert recipients(sent) == MENTEE
    assert f"/meetings/{meeting.pk}/preparation/" in sent[0].body
    assert run("preparation_due", D(2026, 3, 9)) == []


def test_preparation_written_meanwhile_is_skipped(meeting, mailoutbox):
    reminders = queue_then_send(
        "preparation_due", D(2026, 3, 8), lambda: PreparationFactory(meeting=meeting)
    )
    assert [r.skipped for r in reminders] == ["no_longer_due"]
    assert mailoutbox == []


def test_a_prepared_meeting_is_not_reminded(meeting, run):
    PreparationFactory(meeting=meeting)
    assert run("preparation_due", D(2026, 3, 8)) == []


# --- Record due -------------------------------------------------------------------------------


def test_record_is_due_for_the_mentor_the_day_after(meeting, run):
    assert run("record_due", D(2026, 3, 10)) == []
    sent = run("record_due", D(2026, 3, 11))
    assert recipients(sent) == MENTOR
    assert f"/meetings/{meeting.pk}/record/" in sent[0].body
    assert run("record_due", D(2026, 3, 12)) == []


def test_record_written_meanwhile_is_skipped(meeting, mailoutbox):
    reminders = queue_then_send(
        "record_due", D(2026, 3, 11), lambda: SessionRecordFactory(meeting=meeting)
    )
    assert [r.skipped for r in reminders] == ["no_longer_due"]
    assert mailoutbox == []


def test_a_draft_record_is_still_due(meeting, run):
    """Only "Record the session" records it: a draft (saved by Enter, say) is not enough."""
    SessionRecordFactory(meeting=meeting, status="draft")
    sent = run("record_due", D(2026, 3, 11))
    assert recipients(sent) == MENTOR


def test_a_record_recorded_meanwhile_is_skipped_but_a_draft_is_not(meeting, mailoutbox):
    reminders = queue_then_send(
        "record_due", D(2026, 3, 11), lambda: SessionRecordFactory(meeting=meeting, status="draft")
    )
    assert [r.skipped for r in reminders] == [""]
    assert len(mailoutbox) == 1


def test_old_meetings_without_record_are_not_reminded(meeting, run):
    assert run("record_due", D(2026, 5, 1)) == []  # beyond the catch-up days


# --- Action due -------------------------------------------------------------------------------


@pytest.fixture
def action(meeting) -> ActionItem:
    record = SessionRecordFactory(meeting=meeting)
    return ActionItemFactory(record=record, owner=Side.MENTOR, due_on=D(2026, 3, 20))


def test_action_is_due_for_its_owner_on_its_date(action, meeting, run):
    assert run("action_due", D(2026, 3, 19)) == []
    sent = run("action_due", D(2026, 3, 20))
    assert recipients(sent) == MENTOR
    assert action.description in sent[0].body
    assert meeting.get_absolute_url() in sent[0].body
    assert run("action_due", D(2026, 3, 21)) == []


def test_action_done_meanwhile_is_skipped(action, mailoutbox):
    def done():
        ActionItem.objects.filter(pk=action.pk).update(status="done", closed_at=timezone.now())

    reminders = queue_then_send("action_due", D(2026, 3, 20), done)
    assert [r.skipped for r in reminders] == ["no_longer_due"]
    assert mailoutbox == []


# --- Mid-point check-in coming ----------------------------------------------------------------


@pytest.fixture
def worksheet(match):
    return WorksheetFactory(
        match=match,
        starts_on=D(2026, 3, 1),
        midpoint_on=D(2026, 6, 10),
        target_end_on=D(2026, 11, 30),
    )


def test_midpoint_reminds_both_three_days_before(worksheet, match, run):
    assert run("midpoint_coming", D(2026, 6, 6)) == []
    sent = run("midpoint_coming", D(2026, 6, 7))
    assert recipients(sent) == BOTH
    assert f"/pairs/{match.pk}/" in sent[0].body
    assert run("midpoint_coming", D(2026, 6, 9)) == []
    assert run("midpoint_coming", D(2026, 6, 12)) == []


def test_midpoint_moved_meanwhile_is_skipped(worksheet, mailoutbox):
    def move():
        type(worksheet).objects.filter(pk=worksheet.pk).update(midpoint_on=D(2026, 7, 1))

    reminders = queue_then_send("midpoint_coming", D(2026, 6, 7), move)
    assert {r.skipped for r in reminders} == {"no_longer_due"}
    assert mailoutbox == []


# --- Fit check: "How is the match going?" -----------------------------------------------------

FIT = "fit_check_due"
PRIVATE_NOTE = "Mona never shows up #partner-note-5521"


def recorded_meeting(match, day: datetime.date) -> Meeting:
    meeting = MeetingFactory(match=match, starts_at=at(day, datetime.time(18)))
    SessionRecordFactory(meeting=meeting, status="recorded")
    return meeting


def answer(match, side: str, stage: str, value: str = "going_well", note: str = "") -> FitCheck:
    return FitCheck.objects.create(match=match, side=side, stage=stage, answer=value, note=note)


def test_fit_check_reminds_each_side_once_after_the_first_recorded_meeting(match, run):
    meeting = MeetingFactory(match=match, starts_at=at(D(2026, 3, 5), datetime.time(18)))
    assert run(FIT, D(2026, 3, 6)) == []  # held, not recorded: nothing is asked yet
    SessionRecordFactory(meeting=meeting, status="recorded")
    sent = run(FIT, D(2026, 3, 8))
    assert recipients(sent) == BOTH
    for mail in sent:
        assert f"/pairs/{match.pk}/fit-check/first/" in mail.body
    # Run again the same day, the next days: nothing more.
    assert run(FIT, D(2026, 3, 8)) == []
    assert run(FIT, D(2026, 3, 9)) == []
    keys = set(Reminder.objects.filter(kind=FIT).values_list("subject_key", "due_on"))
    assert keys == {
        (f"fit_check:{match.pk}:mentee:first", D(2026, 3, 5)),
        (f"fit_check:{match.pk}:mentor:first", D(2026, 3, 5)),
    }


def test_fit_check_is_not_sent_to_a_side_that_answered(match, run):
    recorded_meeting(match, D(2026, 3, 5))
    answer(match, Side.MENTEE, "first")
    assert recipients(run(FIT, D(2026, 3, 6))) == MENTOR


def test_fit_check_answered_meanwhile_is_skipped(match, mailoutbox):
    recorded_meeting(match, D(2026, 3, 5))
    reminders = queue_then_send(
        FIT,
        D(2026, 3, 6),
        lambda: (answer(match, Side.MENTEE, "first"), answer(match, "mentor", "first")),
    )
    assert [r.skipped for r in reminders] == ["no_longer_due", "no_longer_due"]
    assert mailoutbox == []


def test_fit_check_ended_pairs_and_closing_programs_are_not_reminded(cast, match, run):
    recorded_meeting(match, D(2026, 3, 5))
    cast.program.status = "closing"
    cast.program.save()
    assert run(FIT, D(2026, 3, 6)) == []
    cast.program.status = "running"
    cast.program.save()
    Match.objects.filter(pk=match.pk).update(status="ended", ended_at=at(D(2026, 3, 6)))
    assert run(FIT, D(2026, 3, 7)) == []


def test_fit_check_midpoint_is_its_own_stage_reminded_once_even_if_the_midpoint_moves(
    match, worksheet, run
):
    recorded_meeting(match, D(2026, 3, 5))
    assert recipients(run(FIT, D(2026, 3, 6))) == BOTH  # the first question
    assert run(FIT, D(2026, 6, 2)) == []  # mid-point 10 June: its question opens on 3 June
    sent = run(FIT, D(2026, 6, 3))
    assert recipients(sent) == BOTH
    assert all(f"/pairs/{match.pk}/fit-check/midpoint/" in mail.body for mail in sent)
    # The coordinator moves the mid-point by two days: its question opens on another day,
    # but each side was already reminded of this stage.
    type(worksheet).objects.filter(pk=worksheet.pk).update(midpoint_on=D(2026, 6, 12))
    assert run(FIT, D(2026, 6, 6)) == []
    assert Reminder.objects.filter(kind=FIT).count() == 4


def test_fit_check_once_per_side_and_stage_is_the_databases(match):
    """Two scans at once, or a due date computed differently, cannot make a second row."""
    from django.db import IntegrityError, transaction

    key = f"fit_check:{match.pk}:mentee:first"
    Reminder.objects.create(
        kind=FIT, recipient=match.mentee.user, subject_key=key, due_on=D(2026, 3, 5)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            kind=FIT, recipient=match.mentee.user, subject_key=key, due_on=D(2026, 3, 6)
        )
    # Other kinds keep their once-per-due-moment rule (a reopened evaluation is new).
    for day in (D(2026, 3, 5), D(2026, 3, 6)):
        Reminder.objects.create(
            kind="evaluation_due",
            recipient=match.mentee.user,
            subject_key="evaluation:1",
            due_on=day,
        )


def test_fit_check_scan_run_twice_records_one_row_per_side(match):
    recorded_meeting(match, D(2026, 3, 5))
    with mock.patch.dict(KINDS, {FIT: KINDS[FIT]}, clear=True):
        services.reminders_record_due(now=at(D(2026, 3, 6)))
        # The first record is rewritten as a later meeting's: another "opened" day.
        Meeting.objects.filter(match=match).update(starts_at=at(D(2026, 3, 6), datetime.time(8)))
        services.reminders_record_due(now=at(D(2026, 3, 7)))
    assert Reminder.objects.filter(kind=FIT).count() == 2


def test_fit_check_never_tells_the_partners_answer(match, mailoutbox):
    """The mentee's e-mail is the same whether or not the mentor said "Not a good fit"."""
    recorded_meeting(match, D(2026, 3, 5))

    def mentees_mail(meanwhile) -> str:
        Reminder.objects.filter(kind=FIT).delete()
        mailoutbox.clear()
        queue_then_send(FIT, D(2026, 3, 6), meanwhile)
        (mail,) = [m for m in mailoutbox if m.to == MENTEE]
        return mail.subject + mail.body

    before = mentees_mail(lambda: None)
    after = mentees_mail(
        lambda: answer(match, Side.MENTOR, "first", "not_a_good_fit", PRIVATE_NOTE)
    )
    assert after == before
    assert PRIVATE_NOTE not in after and "Not a good fit" not in after


@pytest.mark.parametrize(
    ("language", "subject", "text"),
    [
        ("en", "How is your match going?", "Only the program's coordinators read your answer"),
        (
            "fr",
            "Comment se passe votre jumelage",
            "Seule la coordination du programme lit votre réponse",
        ),
    ],
)
def test_fit_check_is_written_in_the_members_language(match, run, language, subject, text):
    match.mentee.user.language = language
    match.mentee.user.save()
    recorded_meeting(match, D(2026, 3, 5))
    (mail,) = [m for m in run(FIT, D(2026, 3, 6)) if m.to == MENTEE]
    assert subject in mail.subject
    assert text in " ".join(mail.body.split())
    assert "Mona Mentor" in mail.body


def test_fit_check_link_leads_to_the_question_and_get_writes_nothing(match, run, client_as):
    recorded_meeting(match, D(2026, 3, 5))
    (mail,) = [m for m in run(FIT, D(2026, 3, 6)) if m.to == MENTEE]
    link = next(word for word in mail.body.split() if "/fit-check/" in word)
    assert link.startswith(settings.SITE_URL)
    path = link.removeprefix(settings.SITE_URL)
    with time_machine.travel(at(D(2026, 3, 6)), tick=False):
        page = client_as("mentee").get(path)
    assert page.status_code == 200
    assert "How is your match with Mona Mentor going?" in page.content.decode()
    assert not FitCheck.objects.exists()


# --- Feedback due -----------------------------------------------------------------------------


def submit_feedback(match, author):
    Feedback.objects.create(
        match=match,
        author=author,
        status=Feedback.Status.SUBMITTED,
        submitted_at=timezone.now(),
        whats_next=Feedback.NextStep.COMPLETE,
    )


def test_feedback_is_due_when_the_program_is_closing(cast, match, mentee, run):
    assert run("feedback_due", D(2026, 9, 1)) == []  # running, match active
    cast.program.status = "closing"
    cast.program.save()
    submit_feedback(match, mentee)
    sent = run("feedback_due", D(2026, 9, 2))
    assert recipients(sent) == MENTOR  # the mentee has submitted
    assert f"/programs/2026-mentorship/matches/{match.pk}/feedback/" in sent[0].body
    assert run("feedback_due", D(2026, 9, 3)) == []
    assert run("feedback_due", D(2026, 9, 20)) == []
    assert Reminder.objects.get(kind="feedback_due").due_on == D(2026, 9, 2)


def test_feedback_is_due_when_a_match_ends(match, run):
    assert run("feedback_due", D(2026, 5, 14)) == []
    Match.objects.filter(pk=match.pk).update(
        status=Match.Status.ENDED, ended_at=at(D(2026, 5, 15)), end_reason="not_a_good_fit"
    )
    assert recipients(run("feedback_due", D(2026, 5, 15))) == BOTH
    assert run("feedback_due", D(2026, 5, 16)) == []
    assert set(Reminder.objects.values_list("due_on", flat=True)) == {D(2026, 5, 15)}


def test_feedback_submitted_meanwhile_is_skipped(cast, match, mentee, mentor, mailoutbox):
    cast.program.status = "closing"
    cast.program.save()
    reminders = queue_then_send(
        "feedback_due", D(2026, 9, 2), lambda: submit_feedback(match, mentee)
    )
    skipped = {r.recipient_id: r.skipped for r in reminders}
    assert skipped == {mentee.user_id: "no_longer_due", mentor.user_id: ""}
    assert recipients(mailoutbox) == MENTOR


# --- Evaluation due ---------------------------------------------------------------------------


@pytest.fixture
def window(cast):
    with time_machine.travel(at(D(2026, 9, 1)), tick=False):
        return evaluation_services.evaluation_window_open(program=cast.program, by=cast.coordinator)


def test_evaluation_is_due_three_days_after_opening_to_those_who_have_not_answered(
    window, mentor, run
):
    evaluation_services.evaluation_submit(participant=mentor, answers=evaluation_answers("mentor"))
    assert run("evaluation_due", D(2026, 9, 3)) == []
    sent = run("evaluation_due", D(2026, 9, 4))
    assert recipients(sent) == MENTEE
    assert "/programs/2026-mentorship/evaluation/" in sent[0].body
    assert "confidential" in sent[0].body
    assert run("evaluation_due", D(2026, 9, 10)) == []


def test_evaluation_answered_or_closed_meanwhile_is_skipped(cast, window, mentee, mailoutbox):
    def answer_and_close():
        evaluation_services.evaluation_submit(
            participant=mentee, answers=evaluation_answers("mentee")
        )
        EvaluationWindow.objects.filter(pk=window.pk).update(is_open=False)

    reminders = queue_then_send("evaluation_due", D(2026, 9, 4), answer_and_close)
    assert {r.skipped for r in reminders} == {"no_longer_due"}
    assert mailoutbox == []


def test_evaluation_reopened_is_a_new_due_moment(cast, window, run):
    assert len(run("evaluation_due", D(2026, 9, 4))) == 2
    with time_machine.travel(at(D(2026, 10, 1)), tick=False):
        evaluation_services.evaluation_window_close(program=cast.program, by=cast.coordinator)
        evaluation_services.evaluation_window_open(program=cast.program, by=cast.coordinator)
    assert run("evaluation_due", D(2026, 10, 3)) == []
    assert len(run("evaluation_due", D(2026, 10, 4))) == 2


# --- The weekly digest's pairs and overdue forms ----------------------------------------------


def digest_body(run, day):
    [mail] = run("coordinator_digest", day)
    return mail.body


def test_digest_counts_pairs_without_meetings_and_overdue_forms(cast, match, run):
    monday = D(2026, 4, 6)
    body = digest_body(run, monday)
    assert "1 pair with no meeting in 30 days" in body  # none since 1 March
    assert "1 planning worksheet not agreed by both" in body
    assert "session record" not in body


def test_digest_a_recent_meeting_without_record(cast, match, run):
    MeetingFactory(match=match, starts_at=at(D(2026, 3, 20)))
    WorksheetFactory(
        match=match,
        starts_on=D(2026, 3, 1),
        mentee_agreed_at=at(D(2026, 3, 2)),
        mentor_agreed_at=at(D(2026, 3, 2)),
    )
    body = digest_body(run, D(2026, 4, 6))
    assert "no meeting" not in body
    assert "1 session record overdue" in body
    assert "planning worksheet" not in body


def test_digest_counts_a_draft_record_as_overdue(cast, match, run):
    meeting = MeetingFactory(match=match, starts_at=at(D(2026, 3, 20)))
    SessionRecordFactory(meeting=meeting, status="draft")
    assert "1 session record overdue" in digest_body(run, D(2026, 4, 6))


# --- Query counts -----------------------------------------------------------------------------


def test_scan_queries_do_not_grow_with_pairs_and_meetings(cast):
    """Every kind finds something for every pair, and the number of queries stays put."""
    day = D(2026, 3, 10)
    program = cast.program
    program.status = "closing"
    program.save()
    EvaluationWindow.objects.create(
        program=program, is_open=True, round=1, opened_at=at(D(2026, 3, 1))
    )

    def grow(n):
        for _ in range(n):
            match = MatchFactory(
                program=program, status=Match.Status.ACTIVE, started_at=at(D(2026, 2, 1))
            )
            EvaluationRequest.objects.bulk_create(
                [
                    EvaluationRequest(participant=match.mentee),
                    EvaluationRequest(participant=match.mentor),
                ]
            )
            WorksheetFactory(
                match=match,
                starts_on=D(2026, 2, 1),
                midpoint_on=D(2026, 3, 13),
                target_end_on=D(2026, 9, 1),
            )
            MeetingFactory(match=match, starts_at=at(D(2026, 3, 11)))
            held = MeetingFactory(match=match, starts_at=at(D(2026, 3, 9)))
            ActionItemFactory(record=SessionRecordFactory(meeting=held), due_on=day)
            MeetingFactory(match=match, starts_at=at(D(2026, 3, 8)))  # no record

    count = assert_constant_queries(
        lambda: (Reminder.objects.all().delete(), services.reminders_record_due(now=at(day))),
        grow,
    )
    kinds = set(Reminder.objects.values_list("kind", flat=True))
    # A closing program asks no fit check (test_fit_check_scan_queries_do_not_grow covers it).
    left_out = {"application_closing", "mentor_profile_refresh", "survey_due", "fit_check_due"}
    assert kinds >= set(KINDS) - left_out
    # The delete, the intervals, every range kind's candidates in one UNION ALL, the
    # feedback's two, the fit check's one, the digest's (pair states among them), the
    # insert, the pending list.
    assert count == 15


def test_fit_check_scan_queries_do_not_grow_with_pairs(cast):
    """Every pair has a side to ask: one query finds them all, whatever their number."""
    day = D(2026, 3, 10)

    def grow(n):
        for _ in range(n):
            match = MatchFactory(
                program=cast.program, status=Match.Status.ACTIVE, started_at=at(D(2026, 2, 1))
            )
            recorded_meeting(match, D(2026, 3, 2))
            recorded_meeting(match, D(2026, 3, 9))
            answer(match, Side.MENTOR, "first")

    def scan():
        Reminder.objects.all().delete()
        with mock.patch.dict(KINDS, {FIT: KINDS[FIT]}, clear=True):
            services.reminders_record_due(now=at(day))

    count = assert_constant_queries(scan, grow)
    assert Reminder.objects.filter(kind=FIT).count() == Match.objects.count()  # the mentees
    # The delete, the intervals, the pairs with their questions, the insert, the pending list.
    assert count == 5
