"""The write rules: worksheets and agreements, goals, meetings, records and actions."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from core.concurrency import EditConflict, Loaded
from matching.models import Match
from sessions import services
from sessions.models import (
    ActionItem,
    CalendarFeed,
    Goal,
    GroupSession,
    Meeting,
    Orientation,
    Side,
    Worksheet,
    add_months,
)
from sessions.selectors import worksheet_values
from sessions.tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    SessionRecordFactory,
    WorksheetFactory,
    at,
    worksheet_data,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def meeting_data(day, **changes) -> dict:
    data = {
        "starts_at": at(day),
        "duration_minutes": 60,
        "mode": Meeting.Mode.IN_PERSON,
        "location": "Union hall",
        "video_link": "",
        "caller": "",
    }
    data.update(changes)
    return data


# --- Worksheet ---------------------------------------------------------------------------------


def test_worksheet_first_save_creates_version_1_and_goal_rows(match, cast, today):
    worksheet, changed = services.worksheet_save(
        match=match, by=cast.mentee, data=worksheet_data(today)
    )
    assert changed and worksheet.version == 1
    goals = {(g.term, g.description) for g in Goal.objects.filter(match=match)}
    assert goals == {
        ("short", "File a first grievance"),
        ("short", "Chair a unit meeting"),
        ("long", "Run for steward"),
    }


def test_a_stale_version_is_a_conflict_and_overwrites_nothing(match, cast, today):
    services.worksheet_save(match=match, by=cast.mentee, data=worksheet_data(today))
    opened = Loaded.from_values(worksheet_values(Worksheet.objects.get(match=match)))
    services.worksheet_save(
        match=match, by=cast.mentor, data=worksheet_data(today, roles="Mentor's text")
    )
    with pytest.raises(EditConflict) as conflict:
        services.worksheet_save(
            match=match, by=cast.mentee, data=worksheet_data(today, roles="Mentee's"), loaded=opened
        )
    assert conflict.value.current["roles"] == "Mentor's text"
    assert conflict.value.saved_by == cast.mentor.name
    assert Worksheet.objects.get(match=match).roles == "Mentor's text"


def test_two_first_saves_at_once_keep_the_first(match, cast, today):
    """Two tabs opened before any worksheet existed: the second save is a conflict."""
    opened = Loaded.from_values(None)
    services.worksheet_save(
        match=match, by=cast.mentor, data=worksheet_data(today, roles="First"), loaded=opened
    )
    with pytest.raises(EditConflict):
        services.worksheet_save(
            match=match, by=cast.mentee, data=worksheet_data(today, roles="Second"), loaded=opened
        )
    assert Worksheet.objects.get(match=match).roles == "First"


def test_the_same_form_sent_twice_is_no_conflict_and_no_change(match, cast, today):
    data = worksheet_data(today)
    services.worksheet_save(match=match, by=cast.mentee, data=data)
    worksheet, changed = services.worksheet_save(match=match, by=cast.mentee, data=data)
    assert not changed and worksheet.version == 1


def test_an_edit_after_agreement_clears_both_and_asks_the_partner_again(
    match, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    worksheet, _ = services.worksheet_save(match=match, by=cast.mentee, data=worksheet_data(today))
    assert services.worksheet_agree(worksheet=worksheet, side=Side.MENTEE, version=1)
    assert services.worksheet_agree(worksheet=worksheet, side=Side.MENTOR, version=1)
    worksheet.refresh_from_db()
    assert worksheet.agreed_by_both
    with django_capture_on_commit_callbacks(execute=True):
        worksheet, changed = services.worksheet_save(
            match=match, by=cast.mentee, data=worksheet_data(today, purpose="New")
        )
    assert changed and worksheet.version == 2
    assert worksheet.mentee_agreed_at is None and worksheet.mentor_agreed_at is None
    assert [m.to for m in mailoutbox] == [[cast.mentor.email]]
    assert "agree" in mailoutbox[0].subject


def test_agreeing_twice_changes_nothing(match, cast, today):
    worksheet = WorksheetFactory(match=match)
    assert services.worksheet_agree(worksheet=worksheet, side=Side.MENTOR, version=1)
    first = Worksheet.objects.get(pk=worksheet.pk).mentor_agreed_at
    assert not services.worksheet_agree(worksheet=worksheet, side=Side.MENTOR, version=1)
    assert Worksheet.objects.get(pk=worksheet.pk).mentor_agreed_at == first


def test_agreeing_to_a_version_one_has_not_read_is_refused(match):
    worksheet = WorksheetFactory(match=match)
    with pytest.raises(ValidationError, match="changed since you opened it"):
        services.worksheet_agree(worksheet=worksheet, side=Side.MENTEE, version=2)


@pytest.mark.parametrize(
    ("midpoint", "end", "field"),
    [
        (0, 270, "midpoint_on"),
        (270, 270, "midpoint_on"),
        (300, 270, "midpoint_on"),
        (5, -1, "target_end_on"),
    ],
)
def test_the_midpoint_falls_strictly_between_start_and_end(
    match, cast, today, midpoint, end, field
):
    data = worksheet_data(
        today, midpoint_on=today + midpoint * DAY, target_end_on=today + end * DAY
    )
    with pytest.raises(ValidationError) as error:
        services.worksheet_save(match=match, by=cast.mentee, data=data)
    assert field in error.value.message_dict
    assert not Worksheet.objects.exists()


@pytest.mark.parametrize(
    ("months", "warned"), [(5, True), (6, False), (9, False), (12, False), (13, True)]
)
def test_a_target_outside_six_to_twelve_months_is_a_warning_not_a_refusal(match, months, warned):
    start = datetime.date(2026, 1, 31)
    worksheet = WorksheetFactory(
        match=match,
        starts_on=start,
        target_end_on=add_months(start, months),
        midpoint_on=start + 20 * DAY,
    )
    assert bool(worksheet.timeframe_warning()) is warned


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 8, 15), 6) == datetime.date(2027, 2, 15)


def test_goals_follow_the_worksheet_but_tracked_ones_are_kept(match, cast, today):
    services.worksheet_save(match=match, by=cast.mentee, data=worksheet_data(today))
    tracked = Goal.objects.get(description="File a first grievance")
    services.goal_update(goal=tracked, status=Goal.Status.IN_PROGRESS, progress_notes="Drafted")
    data = worksheet_data(today, short_term_goals="Chair a unit meeting\nRead the agreement")
    services.worksheet_save(match=match, by=cast.mentor, data=data)
    short = set(Goal.objects.filter(term="short").values_list("description", "status"))
    assert short == {
        ("File a first grievance", "in_progress"),  # reworded away, but its progress is kept
        ("Chair a unit meeting", "not_started"),
        ("Read the agreement", "not_started"),
    }


def test_an_ended_match_cannot_be_changed(match, cast, today):
    Match.objects.filter(pk=match.pk).update(status=Match.Status.ENDED, end_reason="completed")
    match.refresh_from_db()
    with pytest.raises(ValidationError, match="has ended"):
        services.worksheet_save(match=match, by=cast.mentee, data=worksheet_data(today))
    with pytest.raises(ValidationError, match="has ended"):
        services.meeting_schedule(match=match, by=cast.mentee, data=meeting_data(today))


# --- Meetings ------------------------------------------------------------------------------------


def test_scheduling_invites_both_with_the_meeting_attached(
    match, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting, created = services.meeting_schedule(
            match=match, by=cast.mentee, data=meeting_data(today + 3 * DAY)
        )
    assert created
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.mentee.email, cast.mentor.email])
    for message in mailoutbox:
        # The invitation is the message's calendar part and, for mail programs that do
        # not read that, an attached file (sessions/tests/test_invitations.py checks both).
        (name, content, kind) = message.attachments[0]
        assert name == "meeting.ics" and kind == "application/ics"
        assert f"UID:meeting-{meeting.pk}@" in content.decode()
        (_html, _html_kind), (calendar, calendar_kind) = message.alternatives
        assert calendar_kind == "text/calendar" and "METHOD:REQUEST" in calendar


def test_scheduling_the_same_meeting_twice_creates_one(match, cast, today, mailoutbox):
    data = meeting_data(today + 3 * DAY)
    first, created = services.meeting_schedule(match=match, by=cast.mentee, data=data)
    again, created_again = services.meeting_schedule(match=match, by=cast.mentor, data=data)
    assert created and not created_again and again == first
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"duration_minutes": 0}, "duration_minutes", "cannot end before it starts"),
        ({"duration_minutes": -30}, "duration_minutes", "cannot end before it starts"),
        ({"duration_minutes": 481}, "duration_minutes", "at most 8 hours"),
        ({"starts_at": None, "day": -61}, "date", "outside the program"),
        ({"starts_at": None, "day": 241}, "date", "outside the program"),
        ({"location": ""}, "location", "place of an in-person meeting"),
        ({"mode": "video"}, "video_link", "link of a video meeting"),
        ({"mode": "phone"}, "caller", "who calls whom"),
    ],
)
def test_bad_meetings_are_refused_with_the_reason(match, cast, today, changes, field, message):
    day = today + changes.pop("day", 3) * DAY
    data = meeting_data(day, **{k: v for k, v in changes.items() if k != "starts_at"})
    with pytest.raises(ValidationError) as error:
        services.meeting_schedule(match=match, by=cast.mentee, data=data)
    assert message in " ".join(error.value.message_dict[field])
    assert not Meeting.objects.exists()


def test_the_program_dates_are_inclusive(match, cast, program):
    for day in (program.starts_on, program.ends_on):
        services.meeting_schedule(match=match, by=cast.mentee, data=meeting_data(day))
    assert Meeting.objects.count() == 2


def test_rescheduling_raises_the_sequence_and_tells_both(
    match, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(match=match)
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.meeting_reschedule(
            meeting=meeting, by=cast.mentor, data=meeting_data(today + 9 * DAY, duration_minutes=90)
        )
    meeting.refresh_from_db()
    assert changed and meeting.sequence == 1 and meeting.duration_minutes == 90
    assert len(mailoutbox) == 2 and "New time" in mailoutbox[0].subject
    assert not services.meeting_reschedule(
        meeting=meeting, by=cast.mentor, data=meeting_data(today + 9 * DAY, duration_minutes=90)
    )


def test_cancelling_needs_a_reason_and_is_idempotent(match, cast):
    meeting = MeetingFactory(match=match)
    with pytest.raises(ValidationError, match="reason"):
        services.meeting_cancel(meeting=meeting, by=cast.mentee, reason="  ")
    assert services.meeting_cancel(meeting=meeting, by=cast.mentee, reason="Shift change")
    assert not services.meeting_cancel(meeting=meeting, by=cast.mentee, reason="Again")
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.cancel_reason == "Shift change"


def test_a_recorded_meeting_cannot_be_moved_or_cancelled(match, cast, today):
    meeting = MeetingFactory(match=match, starts_at=at(today - 2 * DAY))
    SessionRecordFactory(meeting=meeting)
    with pytest.raises(ValidationError, match="took place"):
        services.meeting_cancel(meeting=meeting, by=cast.mentee, reason="x")
    with pytest.raises(ValidationError, match="took place"):
        services.meeting_reschedule(meeting=meeting, by=cast.mentee, data=meeting_data(today))


# --- Records and actions ------------------------------------------------------------------------


def test_a_record_waits_for_the_meeting_to_start(match, cast):
    meeting = MeetingFactory(match=match)  # next week
    with pytest.raises(ValidationError, match="once the meeting has started"):
        services.record_save(meeting=meeting, by=cast.mentor, data={"update": "x"})


def test_record_actions_are_created_once_even_when_sent_twice(match, cast, today):
    meeting = MeetingFactory(match=match, starts_at=at(today - DAY))
    row = {"owner": Side.MENTEE, "description": "Read article 12", "due_on": today + 14 * DAY}
    for _ in range(2):
        services.record_save(meeting=meeting, by=cast.mentor, data={"focus": "x"}, actions=[row])
    assert ActionItem.objects.filter(description="Read article 12").count() == 1


def test_an_action_cannot_be_due_before_its_meeting(match, cast, today):
    meeting = MeetingFactory(match=match, starts_at=at(today - DAY))
    row = {"owner": Side.MENTEE, "description": "Late", "due_on": today - 5 * DAY}
    with pytest.raises(ValidationError, match="cannot be before the meeting"):
        services.record_save(meeting=meeting, by=cast.mentor, data={"focus": "x"}, actions=[row])


def test_checkins_close_earlier_actions(match, cast, today):
    first = MeetingFactory(match=match, starts_at=at(today - 20 * DAY))
    action = ActionItemFactory(record=SessionRecordFactory(meeting=first))
    second = MeetingFactory(match=match, starts_at=at(today - DAY))
    services.record_save(
        meeting=second,
        by=cast.mentor,
        data={"checkin": "Done well"},
        checkins=[(action, ActionItem.Status.DONE, "Filed it")],
    )
    action.refresh_from_db()
    assert action.status == "done" and action.closed_at and action.status_note == "Filed it"


def test_action_status_round_trip(match, today):
    action = ActionItemFactory(
        record=SessionRecordFactory(meeting=MeetingFactory(match=match, starts_at=at(today - DAY)))
    )
    assert services.action_set_status(action=action, status="dropped")
    assert not services.action_set_status(action=action, status="dropped")
    assert services.action_set_status(action=action, status="open")
    action.refresh_from_db()
    assert action.is_open and action.closed_at is None


def test_lost_time_hours_are_kept_only_in_a_lost_time_phase(match, cast, program, today):
    meeting = MeetingFactory(match=match, starts_at=at(today - DAY))
    data = {"focus": "x", "lost_time_hours": Decimal("3.5")}
    record = services.record_save(meeting=meeting, by=cast.mentor, data=data)
    assert record.lost_time_hours is None  # Part One is not on lost time
    program.phases.filter(name="Part One").update(lost_time=True)
    record = services.record_save(meeting=meeting, by=cast.mentor, data=data)
    assert record.lost_time_hours == Decimal("3.5")


# --- Orientation, group sessions, calendar feed -----------------------------------------------


def test_a_new_orientation_gets_the_appendix_agenda_and_invites_participants(
    program, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    data = {
        "starts_at": at(today + 5 * DAY),
        "duration_minutes": 120,
        "location": "Union hall",
        "video_link": "",
        "child_care": True,
        "food": True,
        "accessibility_notes": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        orientation, created = services.orientation_save(
            program=program, by=cast.coordinator, data=data
        )
    assert created
    assert [(i.display_title, i.minutes) for i in orientation.agenda.all()] == [
        ("Introductions", 10),
        ("Overview of the mentoring program", 20),
        ("Getting acquainted", 50),
        ("Completing work plan and timeline", 30),
        ("Wrap up", 10),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.mentee.email, cast.mentor.email])
    assert mailoutbox[0].attachments[0][0] == "orientation.ics"
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _, created = services.orientation_save(
            program=program, by=cast.coordinator, data={**data, "food": False}
        )
    assert not created and mailoutbox == []  # the time and place did not change
    assert Orientation.objects.count() == 1


def test_a_group_session_sent_twice_is_created_once(program, cast, today):
    data = {
        "starts_at": at(today + 5 * DAY, 10),
        "duration_minutes": 180,
        "location": "Kamloops hall",
        "video_link": "",
        "child_care": True,
        "food": False,
        "accessibility_notes": "",
        "kind": GroupSession.Kind.CLASS,
        "title": "Class 1",
        "description": "",
        "rotation_note": "",
    }
    first, created = services.group_session_save(program=program, by=cast.coordinator, data=data)
    again, created_again = services.group_session_save(
        program=program, by=cast.coordinator, data=data
    )
    assert created and not created_again and first == again


def test_a_gathering_needs_a_place_or_a_link(program, cast, today):
    data = {"starts_at": at(today), "duration_minutes": 60, "location": "", "video_link": ""}
    with pytest.raises(ValidationError, match="a place, a video link"):
        services.orientation_save(program=program, by=cast.coordinator, data=data)


def test_attendance_only_counts_the_programs_participants(program, cast):
    from sessions.tests.factories import OrientationFactory

    orientation = OrientationFactory(program=program)
    other = cast.other_program.participants.create(user=cast.member, role="mentee")
    ids = [*program.participants.values_list("pk", flat=True), other.pk]
    assert services.attendance_set(item=orientation, participant_ids=ids) == 2


def test_a_new_feed_token_replaces_the_old(cast):
    first = services.calendar_feed_regenerate(user=cast.mentee).token
    second = services.calendar_feed_regenerate(user=cast.mentee).token
    assert first != second and len(second) >= 40
    assert list(CalendarFeed.objects.values_list("token", flat=True)) == [second]
    assert services.calendar_feed_revoke(user=cast.mentee)
    assert not services.calendar_feed_revoke(user=cast.mentee)


def test_a_group_session_for_a_big_program_writes_its_mail_and_sends_none_itself(
    program, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    """The audit's 58.6 s page: with a broker, the request only writes rows (one insert)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import tasks
    from core.models import OutboxMessage
    from mentorship.celery import app
    from programs.tests.factories import ParticipantFactory

    ParticipantFactory.create_batch(60, program=program)
    members = program.participants.count()
    data = {
        "starts_at": at(today + 5 * DAY, 10),
        "duration_minutes": 120,
        "location": "Union hall",
        "video_link": "",
        "child_care": False,
        "food": False,
        "accessibility_notes": "",
        "kind": GroupSession.Kind.CLASS,
        "title": "Class 2",
        "description": "",
        "rotation_note": "",
    }
    app.conf.task_always_eager = False  # as in production: tasks go to the broker
    try:
        with (
            mock.patch.object(tasks.send_outbox, "apply_async") as queued,
            django_capture_on_commit_callbacks(execute=True),
            CaptureQueriesContext(connection) as queries,
        ):
            services.group_session_save(program=program, by=cast.coordinator, data=data)
    finally:
        app.conf.task_always_eager = True
    assert mailoutbox == []  # the mail backend was not called in the request
    assert OutboxMessage.objects.count() == members
    assert queued.call_count == members
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "core_outboxmessage"')]
    assert len(inserts) == 1
