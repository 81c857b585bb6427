"""The .ics files parse back with icalendar, with the right start, end, place and text."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from sessions.models import Meeting
from sessions.tests.factories import GroupSessionFactory, MeetingFactory, OrientationFactory, at

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def events(content: bytes) -> list:
    return Calendar.from_ical(content).walk("VEVENT")


@pytest.fixture
def vancouver(settings):
    settings.TIME_ZONE = "America/Vancouver"
    return zoneinfo.ZoneInfo("America/Vancouver")


def test_a_meeting_downloads_with_its_start_end_place_and_description(
    match, client_as, today, vancouver
):
    meeting = MeetingFactory(
        match=match,
        starts_at=at(today + 3 * DAY, 18, 30),
        duration_minutes=90,
        location="Union hall, room B",
    )
    response = client_as("mentee").get(
        reverse("sessions:meeting_ics", args=[match.program.slug, match.pk, meeting.pk])
    )
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="meeting.ics"' in response["Content-Disposition"]
    (event,) = events(response.content)
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.tzinfo is not None and end.tzinfo is not None
    assert start == meeting.starts_at and end - start == datetime.timedelta(minutes=90)
    assert start.astimezone(vancouver).hour == 18 and start.astimezone(vancouver).minute == 30
    assert str(event["LOCATION"]) == "Union hall, room B"
    assert "Eddie Mentee and Mona Mentor" in str(event["SUMMARY"])
    description = str(event["DESCRIPTION"])
    assert "In person" in description and meeting.get_absolute_url() in description
    assert str(event["UID"]) == f"meeting-{meeting.pk}@127.0.0.1"
    assert Calendar.from_ical(response.content).walk("VTIMEZONE")  # named zone, not floating


def test_the_uid_is_stable_and_the_sequence_rises_on_a_reschedule(match, cast, today):
    from sessions import ical, services

    meeting = MeetingFactory(match=match)
    before = events(ical.calendar([ical.meeting_event(meeting)]))[0]
    services.meeting_reschedule(
        meeting=meeting,
        by=cast.mentee,
        data={
            "starts_at": at(today + 9 * DAY),
            "duration_minutes": 60,
            "mode": "video",
            "location": "",
            "video_link": "https://meet.example.org/abc",
            "caller": "",
        },
    )
    meeting.refresh_from_db()
    after = events(ical.calendar([ical.meeting_event(meeting)]))[0]
    assert str(before["UID"]) == str(after["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert str(after["LOCATION"]) == "https://meet.example.org/abc"


def test_a_cancelled_meeting_is_marked_cancelled(match, cast):
    from sessions import ical, services

    meeting = MeetingFactory(match=match)
    services.meeting_cancel(meeting=meeting, by=cast.mentor, reason="Shift change")
    meeting = Meeting.objects.get(pk=meeting.pk)
    (event,) = events(ical.calendar([ical.meeting_event(meeting)]))
    assert str(event["STATUS"]) == "CANCELLED"
    assert "Shift change" in str(event["DESCRIPTION"])


def test_the_orientation_downloads_with_its_agenda(program, client_as, today, vancouver):
    from sessions import services

    orientation = OrientationFactory(
        program=program, starts_at=at(today + 2 * DAY, 17), location="Union hall", child_care=True
    )
    services._save_agenda(orientation, [{"title": "Introductions", "minutes": 10}])
    response = client_as("mentor").get(reverse("sessions:orientation_ics", args=[program.slug]))
    (event,) = events(response.content)
    assert event.decoded("DTSTART") == orientation.starts_at
    assert event.decoded("DTEND") == orientation.starts_at + datetime.timedelta(minutes=120)
    assert str(event["LOCATION"]) == "Union hall"
    description = str(event["DESCRIPTION"])
    assert "Introductions (10 min)" in description and "Child care offered." in description


def test_a_group_session_downloads(program, client_as, today):
    session = GroupSessionFactory(
        program=program, location="", video_link="https://zoom.example.org/j/1", food=True
    )
    response = client_as("coordinator").get(
        reverse("sessions:group_session_ics", args=[program.slug, session.pk])
    )
    (event,) = events(response.content)
    assert event.decoded("DTSTART") == session.starts_at
    assert event.decoded("DTEND") == session.ends_at
    assert str(event["LOCATION"]) == "https://zoom.example.org/j/1"
    assert "Food provided." in str(event["DESCRIPTION"])
    assert str(event["UID"]) == f"group-session-{session.pk}@127.0.0.1"


def test_the_invitation_attachment_is_the_same_event(
    match, client_as, today, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_as("mentor").post(
            reverse("sessions:meeting_create", args=[match.program.slug, match.pk]),
            {
                "date": (today + 4 * DAY).isoformat(),
                "start_time": "12:15",
                "duration_minutes": "45",
                "mode": "phone",
                "caller": "mentor",
                "location": "",
                "video_link": "",
            },
        )
    meeting = Meeting.objects.get()
    for message in mailoutbox:
        _name, content, _kind = message.attachments[0]
        (event,) = events(content.encode() if isinstance(content, str) else content)
        assert event.decoded("DTSTART") == meeting.starts_at
        assert event.decoded("DTEND") == meeting.ends_at
        assert str(event["LOCATION"]) == "The mentor calls the mentee"
