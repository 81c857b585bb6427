"""Travel time in a meeting's logistics (handbook IV: "consider women's travel time when
scheduling the mentoring sessions"): each side's own trip, one way, for a meeting in
person; shown on the meeting page and in the calendar event's description, never moving
its start."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from sessions import ical, services
from sessions.models import Meeting
from sessions.tests.factories import MeetingFactory, at
from sessions.tests.test_invitations import (  # noqa: F401 (from_address: autouse)
    from_address,
    invitations,
    meeting_data,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def post(day, **changes) -> dict:
    return {
        "date": day.isoformat(),
        "start_time": "18:30",
        "duration_minutes": 60,
        "mode": "in_person",
        "location": "Union hall",
        "video_link": "",
        "caller": "",
        **changes,
    }


def create_url(match) -> str:
    return reverse("sessions:meeting_create", args=[match.program.slug, match.pk])


def test_each_sides_travel_time_is_saved_and_shown(
    match, client_as, today, mailoutbox, django_capture_on_commit_callbacks
):
    form = client_as("mentee").get(create_url(match)).content.decode()
    assert "Travel time for Eddie Mentee (minutes, one way)" in form
    assert "Travel time for Mona Mentor (minutes, one way)" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("mentee").post(
            create_url(match),
            post(today + 3 * DAY, mentee_travel_minutes="45", mentor_travel_minutes="10"),
        )
    meeting = Meeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    assert (meeting.mentee_travel_minutes, meeting.mentor_travel_minutes) == (45, 10)
    page = client_as("mentor").get(meeting.get_absolute_url()).content.decode()
    assert "Travel time, one way" in page
    assert "Mentee: 45 minutes" in page and "Mentor: 10 minutes" in page
    sent = invitations(mailoutbox)
    assert len(sent) == 2
    for item in sent:
        event = item["events"][0]
        assert "Travel time, one way, for Eddie Mentee: 45 minutes" in event["description"]
        assert "Travel time, one way, for Mona Mentor: 10 minutes" in event["description"]
        # The event starts when the meeting does: travel is before it, not in it.
        assert event["start"] == at(today + 3 * DAY, 18, 30)


def test_no_travel_time_says_nothing(match, client_as, today):
    client_as("mentee").post(create_url(match), post(today + 3 * DAY))
    meeting = Meeting.objects.get()
    assert not meeting.has_travel
    page = client_as("mentor").get(meeting.get_absolute_url()).content.decode()
    assert "Travel time" not in page
    assert "Travel time" not in ical.meeting_event(meeting).description


def test_only_a_meeting_in_person_has_travel_time(match, cast, today):
    meeting, _new = services.meeting_schedule(
        match=match,
        by=cast.mentee,
        data=meeting_data(
            today + 3 * DAY,
            mode="video",
            video_link="https://meet.example.org/x",
            mentee_travel_minutes=30,
        ),
    )
    assert meeting.mentee_travel_minutes is None
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(mentor_travel_minutes=20)


def test_a_travel_time_out_of_range_is_refused_and_nothing_typed_is_lost(match, client_as, today):
    response = client_as("mentee").post(
        create_url(match),
        post(today + 3 * DAY, location="Hall B, 2nd floor", mentee_travel_minutes="900"),
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert "Travel time is from 0 to 480 minutes (8 hours), one way." in page
    assert 'value="900"' in page and "Hall B, 2nd floor" in page
    response = client_as("mentee").post(
        create_url(match), post(today + 3 * DAY, mentor_travel_minutes="-5")
    )
    assert response.status_code == 200 and not Meeting.objects.exists()


def test_changing_the_travel_time_updates_the_calendar_copy(
    match, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(match=match, starts_at=at(today + 3 * DAY), location="Hall")
    data = meeting_data(today + 3 * DAY, location="Hall", mentor_travel_minutes=25)
    data["starts_at"] = meeting.starts_at
    data["duration_minutes"] = meeting.duration_minutes
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_reschedule(meeting=meeting, by=cast.mentor, data=data)
    meeting.refresh_from_db()
    assert meeting.mentor_travel_minutes == 25 and meeting.sequence == 1
    (first, _second) = invitations(mailoutbox)
    assert first["events"][0]["sequence"] == 1
    assert "Mona Mentor: 25 minutes" in first["events"][0]["description"]


def test_the_meeting_page_and_calendar_in_french(match, cast, client_as, today):
    meeting = MeetingFactory(
        match=match, starts_at=at(today + 3 * DAY), location="Hall", mentee_travel_minutes=40
    )
    cast.mentee.language = "fr"
    cast.mentee.save(update_fields=["language"])
    page = client_as("mentee").get(meeting.get_absolute_url()).content.decode()
    assert "Temps de déplacement, aller simple" in page
    token = services.calendar_feed_regenerate(user=cast.mentee).token
    feed = client_as("mentee").get(reverse("sessions:feed", args=[token])).content.decode()
    assert "pour Eddie Mentee\u00a0: 40 minutes" in feed.replace("\r\n ", "")
