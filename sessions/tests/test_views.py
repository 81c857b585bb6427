"""The pages: behaviour, who may do what (404 outside the pair, 403 inside without the
right), messages that name the problem, conflicts that keep both texts, POST only."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from core.concurrency import stamp
from core.testing import post_loaded
from matching.models import Match
from programs.models import Participant
from programs.tests.factories import ParticipantFactory
from sessions.models import ActionItem, Goal, GroupSession, Meeting, Orientation, Worksheet
from sessions.selectors import worksheet_values
from sessions.tests.factories import (
    ActionItemFactory,
    GroupSessionFactory,
    MeetingFactory,
    OrientationFactory,
    SessionRecordFactory,
    WorksheetFactory,
    at,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def url(name, match, *args):
    return reverse(f"sessions:{name}", args=[match.program.slug, match.pk, *args])


def texts(response) -> list[str]:
    """The messages this request added (earlier ones may still wait in the cookie)."""
    return [str(m) for m in get_messages(response.wsgi_request)._queued_messages]


def worksheet_post(today, **changes) -> dict:
    """The worksheet form as loaded now (its version token), with `changes`."""
    data = {
        "loaded_as": stamp(worksheet_values(Worksheet.objects.first())),
        "roles": "We are both learners.",
        "purpose": "Grievance handling.",
        "short_term_goals": "File a first grievance",
        "long_term_goals": "Run for steward",
        "starts_on": today.isoformat(),
        "target_end_on": (today + 270 * DAY).isoformat(),
        "midpoint_on": (today + 135 * DAY).isoformat(),
        "timeframe": "Nine months.",
        "meeting_plan": "Monthly, union hall.",
        "contingency_plan": "Text a day before.",
        "informal_interactions": "Drop-ins fine.",
        "feedback": "Direct.",
        "next_meeting_date": "",
        "next_meeting_time": "",
    }
    data.update({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in changes.items()})
    return data


def meeting_post(day, **changes) -> dict:
    data = {
        "date": day.isoformat(),
        "start_time": "18:30",
        "duration_minutes": 60,
        "mode": "in_person",
        "location": "Union hall",
        "video_link": "",
        "caller": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def stranger(program):
    """A mentee of the same program, in another pair: an outsider to this one."""
    participant = ParticipantFactory(program=program, role=Participant.Role.MENTEE)
    client = Client()
    client.force_login(participant.user)
    return client


# --- Access -----------------------------------------------------------------------------------


def test_another_pair_of_the_program_gets_404_everywhere(match, stranger, today):
    meeting = MeetingFactory(match=match, starts_at=at(today - DAY))
    WorksheetFactory(match=match)
    for name, args in [
        ("timeline", ()),
        ("worksheet", ()),
        ("worksheet_edit", ()),
        ("goals", ()),
        ("meeting_create", ()),
        ("meeting", (meeting.pk,)),
        ("meeting_preparation", (meeting.pk,)),
        ("meeting_record", (meeting.pk,)),
        ("meeting_ics", (meeting.pk,)),
    ]:
        assert stranger.get(url(name, match, *args)).status_code == 404, name
    response = stranger.post(url("worksheet_edit", match), worksheet_post(today))
    assert response.status_code == 404
    assert stranger.post(url("worksheet_agree", match), {"version": 1}).status_code == 404
    assert Worksheet.objects.get().roles == "We will both speak plainly."


def test_a_proposed_match_is_not_a_pair_yet(match, client_as):
    Match.objects.filter(pk=match.pk).update(status=Match.Status.PROPOSED)
    assert client_as("mentee").get(url("timeline", match)).status_code == 404
    assert client_as("coordinator").get(url("timeline", match)).status_code == 404


def test_a_match_of_another_program_is_404_under_this_one(match, client_as, cast):
    wrong = reverse("sessions:timeline", args=[cast.other_program.slug, match.pk])
    assert client_as("other_coordinator").get(wrong).status_code == 404


def test_coordinators_read_but_do_not_write(match, client_as, today):
    coordinator = client_as("coordinator")
    meeting = MeetingFactory(match=match, starts_at=at(today - DAY))
    assert coordinator.get(url("timeline", match)).status_code == 200
    assert coordinator.get(url("meeting", match, meeting.pk)).status_code == 200
    assert coordinator.get(url("worksheet_edit", match)).status_code == 403
    assert coordinator.get(url("meeting_record", match, meeting.pk)).status_code == 403
    assert coordinator.post(url("meeting_create", match), meeting_post(today)).status_code == 403


def test_only_the_mentee_prepares_and_only_the_mentor_records(match, client_as, today):
    meeting = MeetingFactory(match=match, starts_at=at(today - DAY))
    assert client_as("mentor").get(url("meeting_preparation", match, meeting.pk)).status_code == 403
    assert client_as("mentee").get(url("meeting_record", match, meeting.pk)).status_code == 403
    assert client_as("mentee").get(url("meeting_preparation", match, meeting.pk)).status_code == 200
    assert client_as("mentor").get(url("meeting_record", match, meeting.pk)).status_code == 200


def test_a_meeting_of_another_pair_is_404(match, program, client_as, today):
    other_pair = Match.objects.create(
        program=program,
        mentee=ParticipantFactory(program=program, role="mentee"),
        mentor=ParticipantFactory(program=program, role="mentor"),
        status="active",
    )
    theirs = MeetingFactory(match=other_pair)
    assert client_as("mentee").get(url("meeting", match, theirs.pk)).status_code == 404
    response = client_as("mentee").post(
        url("meeting_cancel", match, theirs.pk), {"reason": "not mine"}
    )
    assert response.status_code == 404
    assert Meeting.objects.get(pk=theirs.pk).status == "scheduled"


@pytest.mark.parametrize("name", ["worksheet_agree", "calendar_regenerate", "calendar_revoke"])
def test_changes_are_post_only(name, match, client_as, cast):
    target = url(name, match) if name == "worksheet_agree" else reverse(f"sessions:{name}")
    assert client_as("mentee").get(target).status_code == 405


def test_get_never_writes(match, client_as, today):
    client = client_as("mentee")
    for name in ("timeline", "worksheet", "worksheet_edit", "goals", "meeting_create"):
        client.get(url(name, match), {"date": today.isoformat(), "start_time": "10:00"})
    assert not Worksheet.objects.exists() and not Meeting.objects.exists()
    client.get(reverse("sessions:calendar"))
    from sessions.models import CalendarFeed

    assert not CalendarFeed.objects.exists()


# --- Worksheet --------------------------------------------------------------------------------


def test_the_pair_fills_in_the_worksheet_and_both_agree(match, client_as, today):
    mentee, mentor = client_as("mentee"), client_as("mentor")
    response = mentee.post(url("worksheet_edit", match), worksheet_post(today))
    assert response.status_code == 302
    assert texts(response) == ["The worksheet is saved."]
    worksheet = Worksheet.objects.get(match=match)
    assert worksheet.version == 1
    assert Goal.objects.filter(match=match).count() == 2

    response = mentee.post(url("worksheet_agree", match), {"version": 1})
    assert "waiting for Mona Mentor" in texts(response)[0]
    response = mentee.post(url("worksheet_agree", match), {"version": 1})
    assert response.status_code == 302  # agreeing twice is no error
    assert texts(response) == ["You had already agreed to this worksheet."]
    response = mentor.post(url("worksheet_agree", match), {"version": 1})
    assert "mentoring agreement" in texts(response)[0]
    worksheet.refresh_from_db()
    assert worksheet.agreed_by_both

    page = mentor.get(url("worksheet", match)).content.decode()
    assert "Eddie Mentee agreed on" in page and "Mona Mentor agreed on" in page
    assert "eddie@example.org" in page and "mona@example.org" in page  # section 9


def test_an_edit_after_agreement_asks_both_to_agree_again(match, client_as, today):
    WorksheetFactory(match=match)
    Worksheet.objects.update(
        mentee_agreed_at="2026-01-01T10:00Z", mentor_agreed_at="2026-01-02T10:00Z"
    )
    response = client_as("mentor").post(
        url("worksheet_edit", match), worksheet_post(today, purpose="Bargaining")
    )
    assert "both of you are asked to read it and agree again" in " ".join(texts(response))
    worksheet = Worksheet.objects.get()
    assert worksheet.mentee_agreed_at is None and worksheet.mentor_agreed_at is None
    page = client_as("mentee").get(url("worksheet", match)).content.decode()
    assert "I agree to this worksheet" in page


def test_a_stale_save_shows_both_texts_and_overwrites_nothing(match, client_as, today):
    mentee, mentor = client_as("mentee"), client_as("mentor")
    mentee.post(url("worksheet_edit", match), worksheet_post(today))
    opened = worksheet_post(today)  # the mentee's tab, loaded now
    mentor.post(
        url("worksheet_edit", match),
        worksheet_post(today, roles="MENTOR TEXT", purpose="MENTOR PURPOSE"),
    )
    response = mentee.post(url("worksheet_edit", match), {**opened, "roles": "MENTEE TEXT"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "MENTOR TEXT" in page and "MENTEE TEXT" in page
    assert Worksheet.objects.get().roles == "MENTOR TEXT"
    # The form holds the mentor's purpose (the mentee never touched it) and the mentee's
    # roles: one more Save must not undo the mentor's change (the audit's bug).
    form = response.context["form"]
    assert form["purpose"].value() == "MENTOR PURPOSE"
    assert form["roles"].value() == "MENTEE TEXT"
    response = mentee.post(
        url("worksheet_edit", match),
        {**worksheet_post(today, purpose="MENTOR PURPOSE", roles="MENTEE TEXT")},
    )
    assert response.status_code == 302
    saved = Worksheet.objects.get()
    assert (saved.roles, saved.purpose) == ("MENTEE TEXT", "MENTOR PURPOSE")


def test_a_missing_midpoint_is_named_and_nothing_typed_is_lost(match, client_as, today):
    response = client_as("mentee").post(
        url("worksheet_edit", match), worksheet_post(today, midpoint_on="", roles="KEEP ME")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Set the date of your mid-point check-in" in page
    assert "KEEP ME" in page
    assert not Worksheet.objects.exists()


def test_a_midpoint_outside_the_timeframe_is_refused(match, client_as, today):
    response = client_as("mentee").post(
        url("worksheet_edit", match), worksheet_post(today, midpoint_on=today + 400 * DAY)
    )
    assert "must fall between the start" in response.content.decode()
    assert not Worksheet.objects.exists()


def test_a_short_timeframe_is_saved_with_a_warning(match, client_as, today):
    response = client_as("mentee").post(
        url("worksheet_edit", match),
        worksheet_post(today, target_end_on=today + 60 * DAY, midpoint_on=today + 30 * DAY),
    )
    assert response.status_code == 302
    assert any("six to twelve months" in t for t in texts(response))
    assert Worksheet.objects.exists()


def test_agreeing_to_an_old_version_is_refused_with_a_message(match, client_as):
    WorksheetFactory(match=match, version=2)
    response = client_as("mentee").post(url("worksheet_agree", match), {"version": 1})
    assert "Read it again" in texts(response)[0]
    assert Worksheet.objects.get().mentee_agreed_at is None


def test_goal_status_and_notes(match, client_as, cast, today):
    client_as("mentee").post(url("worksheet_edit", match), worksheet_post(today))
    goal = Goal.objects.get(term="short")
    response = client_as("mentor").post(
        url("goal_update", match, goal.pk),
        {f"goal-{goal.pk}-status": "in_progress", f"goal-{goal.pk}-progress_notes": "Drafted"},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "in_progress" and goal.progress_notes == "Drafted"
    page = client_as("coordinator").get(url("goals", match)).content.decode()
    assert "Drafted" in page and "In progress" in page


# --- Meetings -----------------------------------------------------------------------------------


def test_scheduling_a_meeting(
    match, client_as, today, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("mentee").post(
            url("meeting_create", match), meeting_post(today + 3 * DAY)
        )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert "Both of you have been sent an invitation" in texts(response)[0]
    assert len(mailoutbox) == 2


def test_double_submission_schedules_one_meeting(match, client_as, today):
    client = client_as("mentee")
    client.post(url("meeting_create", match), meeting_post(today + 3 * DAY))
    response = client.post(url("meeting_create", match), meeting_post(today + 3 * DAY))
    assert response.status_code == 302
    assert texts(response) == ["This meeting was already scheduled."]
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"duration_minutes": "-30"}, "cannot end before it starts"),
        ({"duration_minutes": "0"}, "cannot end before it starts"),
        ({"duration_minutes": "600"}, "at most 8 hours"),
        ({"day": -100}, "is outside the program, which runs from"),
        ({"day": 400}, "is outside the program, which runs from"),
        ({"date": ""}, "Choose a date."),
        ({"mode": "video"}, "Give the link of a video meeting."),
        ({"mode": "phone"}, "Say who calls whom for a phone meeting."),
    ],
)
def test_bad_meetings_show_the_problem_and_keep_what_was_typed(
    match, client_as, today, changes, message
):
    day = today + changes.pop("day", 3) * DAY
    data = meeting_post(day, location="Hall KEEP", **changes)
    response = client_as("mentee").post(url("meeting_create", match), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Hall KEEP" in page
    assert "There is a problem to fix before saving" in page
    assert not Meeting.objects.exists()


def test_rescheduling_and_cancelling(match, client_as, today, mailoutbox):
    meeting = MeetingFactory(match=match)
    client = client_as("mentor")
    response = client.post(
        url("meeting_reschedule", match, meeting.pk),
        meeting_post(today + 10 * DAY, start_time="19:00"),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    response = client.post(url("meeting_cancel", match, meeting.pk), {"reason": ""})
    assert "Give a reason for cancelling." in response.content.decode()
    response = client.post(url("meeting_cancel", match, meeting.pk), {"reason": "Strike vote"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.cancel_reason == "Strike vote"
    response = client.post(url("meeting_cancel", match, meeting.pk), {"reason": "Again"})
    assert texts(response) == ["This meeting was already cancelled."]


def test_the_mentees_preparation_is_read_by_the_mentor(match, client_as, today):
    meeting = MeetingFactory(match=match)
    response = post_loaded(
        client_as("mentee"),
        url("meeting_preparation", match, meeting.pk),
        {"tried": "I spoke at a shift meeting.", "questions": "How do I start a grievance?"},
    )
    assert response.status_code == 302
    page = client_as("mentor").get(url("meeting", match, meeting.pk)).content.decode()
    assert "How do I start a grievance?" in page
    assert "What questions do I have for my mentor?" in page


def test_an_empty_preparation_is_refused(match, client_as):
    meeting = MeetingFactory(match=match)
    response = post_loaded(client_as("mentee"), url("meeting_preparation", match, meeting.pk), {})
    assert "Answer at least one question" in response.content.decode()


def record_post(**changes) -> dict:
    data = {
        "update": "Read article 12.",
        "checkin": "",
        "focus": "First grievance",
        "requests_offers": "",
        "actions_agreements": "",
        "next_logistics": "",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "30",
    }
    data.update(changes)
    return data


def test_an_action_agreed_in_one_record_is_checked_in_at_the_next(match, client_as, today):
    first = MeetingFactory(match=match, starts_at=at(today - 10 * DAY))
    second = MeetingFactory(match=match, starts_at=at(today - DAY))
    mentor = client_as("mentor")
    response = post_loaded(
        mentor,
        url("meeting_record", match, first.pk),
        record_post(
            **{
                "actions-0-description": "Draft the grievance letter",
                "actions-0-owner": "mentee",
                "actions-0-due_on": (today + 5 * DAY).isoformat(),
                "actions-0-stretch": "on",
            }
        ),
    )
    assert response.status_code == 302
    action = ActionItem.objects.get()
    assert action.stretch and action.owner == "mentee"
    page = mentor.get(url("meeting_record", match, second.pk)).content.decode()
    assert "Draft the grievance letter" in page
    response = post_loaded(
        mentor,
        url("meeting_record", match, second.pk),
        record_post(**{f"checkin-{action.pk}-status": "done", f"checkin-{action.pk}-note": "Sent"}),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    # The second record still shows it, as it stood at that session.
    assert (
        "Draft the grievance letter"
        in mentor.get(url("meeting", match, second.pk)).content.decode()
    )


def test_a_record_with_a_bad_action_keeps_everything_typed(match, client_as, today):
    meeting = MeetingFactory(match=match, starts_at=at(today - DAY))
    response = post_loaded(
        client_as("mentor"),
        url("meeting_record", match, meeting.pk),
        record_post(
            update="KEEP THIS UPDATE",
            **{"actions-0-description": "Call the steward", "actions-0-owner": ""},
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say who will take this action." in page and "Give the date this action is due." in page
    assert "KEEP THIS UPDATE" in page and "Call the steward" in page
    assert not ActionItem.objects.exists()


def test_a_future_meeting_cannot_be_recorded_yet(match, client_as):
    meeting = MeetingFactory(match=match)
    response = client_as("mentor").post(url("meeting_record", match, meeting.pk), record_post())
    assert "once the meeting has started" in response.content.decode()
    assert not hasattr(Meeting.objects.get(), "record") or not Meeting.objects.get().record


def test_the_lost_time_field_shows_only_in_a_lost_time_phase(match, client_as, program, today):
    meeting = MeetingFactory(match=match, starts_at=at(today - DAY))
    page = client_as("mentor").get(url("meeting_record", match, meeting.pk)).content.decode()
    assert "lost_time_hours" not in page
    program.phases.filter(name="Part One").update(lost_time=True)
    page = client_as("mentor").get(url("meeting_record", match, meeting.pk)).content.decode()
    assert 'name="lost_time_hours"' in page


def test_marking_an_action_done_and_dropped(match, client_as, today):
    action = ActionItemFactory(
        record=SessionRecordFactory(meeting=MeetingFactory(match=match, starts_at=at(today - DAY)))
    )
    response = client_as("mentee").post(url("action_status", match, action.pk), {"status": "done"})
    assert response.status_code == 302
    assert ActionItem.objects.get().status == "done"
    client_as("mentee").post(url("action_status", match, action.pk), {"status": "dropped"})
    assert ActionItem.objects.get().status == "dropped"


def test_my_mentoring_leads_to_the_pair(match, client_as, program):
    response = client_as("mentee").get(reverse("sessions:mine", args=[program.slug]))
    assert response["Location"] == url("timeline", match)
    response = client_as("coordinator").get(reverse("sessions:mine", args=[program.slug]))
    assert response["Location"] == reverse("sessions:pairs", args=[program.slug])


def test_unmatched_members_see_that_they_are_not_matched_yet(client_as, program):
    response = client_as("mentee").get(reverse("sessions:mine", args=[program.slug]))
    assert "You are not matched yet" in response.content.decode()


# --- Orientation and group sessions --------------------------------------------------------------


def orientation_post(today, **changes) -> dict:
    data = {
        "date": (today + 5 * DAY).isoformat(),
        "start_time": "18:00",
        "duration_minutes": "120",
        "location": "Union hall",
        "video_link": "",
        "accessibility_notes": "Step-free entrance",
        "child_care": "on",
        "agenda-TOTAL_FORMS": "1",
        "agenda-INITIAL_FORMS": "0",
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "20",
        "agenda-0-title": "Introductions",
        "agenda-0-minutes": "10",
        "agenda-0-description": "",
    }
    data.update(changes)
    return data


def test_the_orientation_form_starts_from_the_appendix(program, client_as):
    page = (
        client_as("coordinator")
        .get(reverse("sessions:orientation_edit", args=[program.slug]))
        .content.decode()
    )
    for title in (
        "Introductions",
        "Overview of the mentoring program",
        "Getting acquainted",
        "Completing work plan and timeline",
        "Wrap up",
    ):
        assert f'value="{title}"' in page
    assert "why they are interested in the mentoring program." in page


def test_an_agenda_that_does_not_add_up_is_saved_with_a_warning(program, client_as, today):
    response = post_loaded(
        client_as("coordinator"),
        reverse("sessions:orientation_edit", args=[program.slug]),
        orientation_post(today),
    )
    assert response.status_code == 302
    assert any("adds up to 10 minutes but the orientation lasts 120" in t for t in texts(response))
    page = (
        client_as("coordinator")
        .get(reverse("sessions:orientation", args=[program.slug]))
        .content.decode()
    )
    assert "Total: 10 minutes" in page and "Step-free entrance" in page


def test_the_orientation_links_a_pair_to_each_others_surveys(program, match, client_as):
    OrientationFactory(program=program)
    page = (
        client_as("mentee")
        .get(reverse("sessions:orientation", args=[program.slug]))
        .content.decode()
    )
    assert reverse("surveys:detail", args=[program.slug, match.mentor.pk]) in page
    assert reverse("surveys:detail", args=[program.slug, match.mentee.pk]) not in page
    assert (
        client_as("mentee")
        .get(reverse("surveys:detail", args=[program.slug, match.mentor.pk]))
        .status_code
        == 200
    )


def test_attendance_is_taken_by_the_coordinator(program, client_as, cast):
    orientation = OrientationFactory(program=program)
    mentee = program.participants.get(user=cast.mentee)
    target = reverse("sessions:orientation_attendance", args=[program.slug])
    assert client_as("mentor").post(target, {"attendees": [mentee.pk]}).status_code == 403
    response = client_as("coordinator").post(target, {"attendees": [mentee.pk]})
    assert "1 of 2 attended" in texts(response)[0]
    assert list(orientation.attendees.all()) == [mentee]


def test_a_group_session_outside_the_program_is_refused(program, client_as, today):
    data = {
        "kind": "class",
        "title": "Class 1",
        "description": "",
        "date": (today + 500 * DAY).isoformat(),
        "start_time": "10:00",
        "duration_minutes": "180",
        "location": "Hall",
        "video_link": "",
        "rotation_note": "",
        "accessibility_notes": "",
    }
    target = reverse("sessions:group_session_create", args=[program.slug])
    response = client_as("coordinator").post(target, data)
    assert "is outside the program" in response.content.decode()
    data["date"] = (today + 5 * DAY).isoformat()
    response = client_as("coordinator").post(target, {**data, "food": "on"})
    session = GroupSession.objects.get()
    assert response["Location"] == session.get_absolute_url() and session.food


def test_group_sessions_are_listed_for_participants(program, client_as):
    GroupSessionFactory(program=program, title="Bargaining 101", child_care=True)
    page = (
        client_as("mentee")
        .get(reverse("sessions:group_sessions", args=[program.slug]))
        .content.decode()
    )
    assert "Bargaining 101" in page and "Child care" in page
    assert (
        client_as("mentee")
        .get(reverse("sessions:group_session_create", args=[program.slug]))
        .status_code
        == 403
    )


def test_no_orientation_yet(program, client_as):
    page = client_as("mentee").get(reverse("sessions:orientation", args=[program.slug]))
    assert "has not been scheduled yet" in page.content.decode()
    assert (
        client_as("mentee")
        .get(reverse("sessions:orientation_ics", args=[program.slug]))
        .status_code
        == 404
    )
    assert not Orientation.objects.exists()


# --- Links and privacy ----------------------------------------------------------------------------


def test_the_program_page_and_home_link_here(program, client_as):
    detail = reverse("programs:detail", args=[program.slug])
    mentee_page = client_as("mentee").get(detail).content.decode()
    assert reverse("sessions:mine", args=[program.slug]) in mentee_page
    coordinator_page = client_as("coordinator").get(detail).content.decode()
    for name in ("orientation", "pairs", "group_sessions"):
        assert reverse(f"sessions:{name}", args=[program.slug]) in coordinator_page
    assert reverse("sessions:pairs", args=[program.slug]) not in mentee_page
    home = client_as("member").get(reverse("accounts:home")).content.decode()
    assert reverse("sessions:calendar") in home


def test_the_worksheet_shows_contacts_but_never_demographics(match, client_as):
    from accounts.models import Profile

    Profile.objects.create(
        user=match.mentee.user,
        phone="604-555-0199",
        gender="two_spirit",
        race_ethnicity=["southeast_asian"],
        date_of_birth=datetime.date(1977, 3, 14),
    )
    WorksheetFactory(match=match)
    page = client_as("mentor").get(url("worksheet", match)).content.decode()
    assert "604-555-0199" in page
    for shown in ("Two-Spirit", "Southeast Asian", "1977"):
        assert shown not in page
