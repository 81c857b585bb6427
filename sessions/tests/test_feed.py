"""The personal calendar feed: a secret address, made, remade or turned off by its member."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from matching.models import Match
from matching.tests.factories import MatchFactory
from programs.models import Participant
from programs.tests.factories import ParticipantFactory
from sessions import services
from sessions.models import CalendarFeed, Meeting
from sessions.tests.factories import (
    GroupSessionFactory,
    MeetingFactory,
    OrientationFactory,
    WorksheetFactory,
    at,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def feed_url(token: str) -> str:
    return reverse("sessions:feed", args=[token])


def test_the_feed_holds_the_members_meetings_orientation_and_group_sessions(
    match, program, cast, today
):
    meeting = MeetingFactory(match=match)
    orientation = OrientationFactory(program=program)
    session = GroupSessionFactory(program=program)
    GroupSessionFactory(program=cast.other_program, title="Not theirs")
    token = services.calendar_feed_regenerate(user=cast.mentee).token
    response = Client().get(feed_url(token))  # no log-in: calendar programs cannot log in
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Referrer-Policy"] == "no-referrer"
    uids = {
        str(e["UID"]).split("@")[0] for e in Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert uids == {
        f"meeting-{meeting.pk}",
        f"orientation-{orientation.pk}",
        f"group-session-{session.pk}",
    }


def test_the_feed_marks_cancelled_meetings_and_leaves_out_unpublished_pairs(
    match, program, cast, today
):
    """Cancelled meetings stay in the feed (so calendars remove them), marked CANCELLED;
    a proposed match's meetings are not the member's yet."""
    kept = MeetingFactory(match=match, starts_at=at(today + DAY))
    cancelled = MeetingFactory(
        match=match,
        starts_at=at(today + 2 * DAY),
        status=Meeting.Status.CANCELLED,
        cancel_reason="Strike vote that evening",
        cancelled_at=timezone.now(),
    )
    proposal = MatchFactory(
        program=program,
        mentee=ParticipantFactory(program=program, role=Participant.Role.MENTEE),
        mentor=cast.mentor_participant,
        status=Match.Status.PROPOSED,
    )
    MeetingFactory(match=proposal, starts_at=at(today + 3 * DAY))
    token = services.calendar_feed_regenerate(user=cast.mentor).token
    calendar = Calendar.from_ical(Client().get(feed_url(token)).content)
    statuses = {str(e["UID"]).split("@")[0]: str(e["STATUS"]) for e in calendar.walk("VEVENT")}
    assert statuses == {
        f"meeting-{kept.pk}": "CONFIRMED",
        f"meeting-{cancelled.pk}": "CANCELLED",
    }
    match.status = Match.Status.ENDED
    match.end_reason = Match.EndReason.COMPLETED
    match.ended_at = timezone.now()
    match.save()
    calendar = Calendar.from_ical(Client().get(feed_url(token)).content)
    assert {str(e["UID"]).split("@")[0] for e in calendar.walk("VEVENT")} == set(statuses)


def test_an_unknown_or_revoked_token_is_404_without_a_login_redirect(cast):
    token = services.calendar_feed_regenerate(user=cast.mentee).token
    assert Client().get(feed_url("not-a-token")).status_code == 404
    services.calendar_feed_revoke(user=cast.mentee)
    assert Client().get(feed_url(token)).status_code == 404


def test_a_new_address_stops_the_old_one(client_as, cast):
    client = client_as("mentee")
    client.post(reverse("sessions:calendar_regenerate"))
    old = CalendarFeed.objects.get(user=cast.mentee).token
    response = client.post(reverse("sessions:calendar_regenerate"))
    assert response.status_code == 302
    new = CalendarFeed.objects.get(user=cast.mentee).token
    assert new != old
    assert Client().get(feed_url(old)).status_code == 404
    assert Client().get(feed_url(new)).status_code == 200


def test_turning_the_address_off(client_as, cast):
    client = client_as("mentee")
    client.post(reverse("sessions:calendar_regenerate"))
    token = CalendarFeed.objects.get().token
    client.post(reverse("sessions:calendar_revoke"))
    assert not CalendarFeed.objects.exists()
    assert Client().get(feed_url(token)).status_code == 404


def test_an_inactive_member_has_no_feed(cast):
    token = services.calendar_feed_regenerate(user=cast.mentee).token
    cast.mentee.is_active = False
    cast.mentee.save()
    assert Client().get(feed_url(token)).status_code == 404


def test_the_token_is_shown_on_the_calendar_page_only(match, program, client_as, cast, today):
    token = services.calendar_feed_regenerate(user=cast.mentee).token
    WorksheetFactory(match=match)
    meeting = MeetingFactory(match=match, starts_at=at(today - DAY))
    OrientationFactory(program=program)
    client = client_as("mentee")
    page = client.get(reverse("sessions:calendar"))
    assert token in page.content.decode()
    assert page["Cache-Control"] == "no-store, private"
    slug = program.slug
    for other in (
        reverse("accounts:home"),
        reverse("programs:detail", args=[slug]),
        reverse("sessions:timeline", args=[slug, match.pk]),
        reverse("sessions:worksheet", args=[slug, match.pk]),
        reverse("sessions:meeting", args=[slug, match.pk, meeting.pk]),
        reverse("sessions:orientation", args=[slug]),
        reverse("sessions:meeting_ics", args=[slug, match.pk, meeting.pk]),
    ):
        assert token not in client.get(other).content.decode(), other


def test_the_admin_never_shows_the_token(cast):
    feed = services.calendar_feed_regenerate(user=cast.mentee)
    assert feed.token not in str(feed)
