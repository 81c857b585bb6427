"""Group sessions with an audience ("training for mentors only"): only the audience is
invited, sees the session (pages, calendar file, feed) and is on its attendance list;
a change of audience invites the newcomers and cancels for those it leaves out."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from programs.models import Participant
from programs.tests.factories import ParticipantFactory
from sessions import ical, selectors, services
from sessions.models import GroupSession
from sessions.tests.factories import GroupSessionFactory, at
from sessions.tests.test_invitations import (  # noqa: F401 (from_address: autouse)
    from_address,
    invitations,
    read_both,
    session_data,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
MENTORS = GroupSession.Audience.MENTORS
MENTEES = GroupSession.Audience.MENTEES


def save(program, cast, day, **changes):
    return services.group_session_save(
        program=program, by=cast.coordinator, data=session_data(day, **changes)
    )[0]


def test_the_audience_is_the_one_selector_everything_asks(program, cast):
    second_mentor = ParticipantFactory(program=program, role=Participant.Role.MENTOR)
    for audience, expected in (
        (GroupSession.Audience.EVERYONE, {cast.mentor, cast.mentee, second_mentor.user}),
        (MENTORS, {cast.mentor, second_mentor.user}),
        (MENTEES, {cast.mentee}),
    ):
        session = GroupSessionFactory(program=program, audience=audience)
        assert {p.user for p in selectors.group_session_audience(session)} == expected
        assert set(services.gathering_invitees(session)) == set(
            selectors.group_session_audience(session)
        )
    assert selectors.audiences_for("mentor") == ["everyone", "mentors"]
    assert selectors.audiences_for("mentee") == ["everyone", "mentees"]


def test_a_mentors_only_session_invites_mentors_only(
    program, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        save(program, cast, today + 5 * DAY, audience=MENTORS, title="Coaching skills")
    sent = invitations(mailoutbox)
    assert [item["to"] for item in sent] == ["mona@example.org"]
    assert sent[0]["method"] == ical.REQUEST
    assert "Mentors only" in sent[0]["events"][0]["description"]


def test_widening_the_audience_invites_the_newcomers_only(
    program, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    session = save(program, cast, today + 5 * DAY, audience=MENTORS)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.group_session_save(
            program=program,
            by=cast.coordinator,
            data=session_data(today + 5 * DAY, audience="everyone"),
            session=session,
        )
    sent = invitations(mailoutbox)
    assert [(item["to"], item["method"]) for item in sent] == [("eddie@example.org", "REQUEST")]
    assert sent[0]["events"][0]["sequence"] == 1


def test_narrowing_the_audience_cancels_for_those_left_out(
    program, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    session = save(program, cast, today + 5 * DAY)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.group_session_save(
            program=program,
            by=cast.coordinator,
            data=session_data(today + 5 * DAY, audience=MENTEES),
            session=session,
        )
    sent = invitations(mailoutbox)
    assert [(item["to"], item["method"]) for item in sent] == [("mona@example.org", "CANCEL")]
    assert sent[0]["events"][0]["uid"] == ical.uid("group-session", session.pk)


def test_a_member_outside_the_audience_never_sees_the_session(program, cast, client_as):
    theirs = GroupSessionFactory(program=program, audience=MENTORS, title="Mentors' training")
    everyone = GroupSessionFactory(program=program, title="Open class")
    urls = [
        reverse(name, args=[program.slug, theirs.pk])
        for name in ("sessions:group_session", "sessions:group_session_ics")
    ]
    listing = reverse("sessions:group_sessions", args=[program.slug])
    for role, sees in (("mentee", False), ("mentor", True), ("coordinator", True)):
        client = client_as(role)
        for url in urls:
            assert client.get(url).status_code == (200 if sees else 404), (role, url)
        page = client.get(listing).content.decode()
        assert ("Mentors&#x27; training" in page) is sees, role
        assert "Open class" in page
        token = services.calendar_feed_regenerate(user=cast.user(role)).token
        feed = read_both(Client().get(reverse("sessions:feed", args=[token])).content)
        uids = {event["uid"] for event in feed["events"]}
        assert (ical.uid("group-session", theirs.pk) in uids) is sees, role
        assert ical.uid("group-session", everyone.pk) in uids


def test_the_attendance_list_is_the_audience(program, cast, client_as):
    session = GroupSessionFactory(program=program, audience=MENTORS)
    target = reverse("sessions:group_session_attendance", args=[program.slug, session.pk])
    page = client_as("coordinator").get(target).content.decode()
    assert "Mona Mentor" in page and "Eddie Mentee" not in page
    mentee = program.participants.get(user=cast.mentee)
    mentor = program.participants.get(user=cast.mentor)
    # A forged list with someone outside the audience is refused; they are never present.
    refused = client_as("coordinator").post(target, {"attendees": [mentee.pk, mentor.pk]})
    assert refused.status_code == 200 and not session.attendees.exists()
    client_as("coordinator").post(target, {"attendees": [mentor.pk]})
    assert list(session.attendees.all()) == [mentor]
    assert services.attendance_set(item=session, participant_ids=[mentee.pk]) == 0


def test_the_coordinator_chooses_the_audience_in_the_form(program, cast, client_as, today):
    data = {
        "kind": "class",
        "audience": "mentors",
        "title": "Coaching skills",
        "description": "",
        "date": (today + 5 * DAY).isoformat(),
        "start_time": "10:00",
        "duration_minutes": "120",
        "location": "Hall",
        "video_link": "",
        "rotation_note": "",
        "accessibility_notes": "",
    }
    target = reverse("sessions:group_session_create", args=[program.slug])
    form = client_as("coordinator").get(target).content.decode()
    assert 'value="mentors"' in form and 'value="mentees"' in form
    assert re.search(r'<input[^>]*value="everyone"[^>]*checked', form)
    refused = client_as("coordinator").post(target, {**data, "audience": "stewards"})
    assert refused.status_code == 200 and not GroupSession.objects.exists()
    assert "Select a valid choice" in refused.content.decode()
    response = client_as("coordinator").post(target, data)
    session = GroupSession.objects.get()
    assert response["Location"] == session.get_absolute_url()
    assert session.audience == MENTORS
    page = client_as("mentor").get(session.get_absolute_url()).content.decode()
    assert "Mentors only" in page
    cast.mentor.language = "fr"
    cast.mentor.save(update_fields=["language"])
    page = client_as("mentor").get(session.get_absolute_url()).content.decode()
    assert "Mentors seulement" in page


def test_a_form_without_the_choice_means_everyone(program, client_as, today):
    data = {
        "kind": "class",
        "title": "Class 1",
        "description": "",
        "date": (today + 5 * DAY).isoformat(),
        "start_time": "10:00",
        "duration_minutes": "120",
        "location": "Hall",
        "video_link": "",
        "rotation_note": "",
        "accessibility_notes": "",
    }
    client_as("coordinator").post(
        reverse("sessions:group_session_create", args=[program.slug]), data
    )
    assert GroupSession.objects.get().audience == GroupSession.Audience.EVERYONE


def test_the_database_refuses_an_unknown_audience(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupSession.objects.create(
            program=program,
            title="x",
            starts_at=at(datetime.date.today() + DAY),
            duration_minutes=60,
            audience="stewards",
        )


def test_a_peer_program_offers_no_mentors_only_session(program, client_as, today):
    """Everyone in a peer program takes part as a mentee: a session for mentors only would
    invite nobody, so the form does not offer it and the service refuses it."""
    program.format = program.Format.PEER
    program.save(update_fields=["format"])
    target = reverse("sessions:group_session_create", args=[program.slug])
    form = client_as("coordinator").get(target).content.decode()
    assert 'value="mentors"' not in form and 'value="everyone"' in form
    data = {
        "kind": "circle",
        "audience": "mentors",
        "title": "Peer circle",
        "description": "",
        "date": (today + 5 * DAY).isoformat(),
        "start_time": "10:00",
        "duration_minutes": "60",
        "location": "Hall",
        "video_link": "",
        "rotation_note": "",
        "accessibility_notes": "",
    }
    refused = client_as("coordinator").post(target, data)
    assert refused.status_code == 200 and not GroupSession.objects.exists()
    assert "Peer circle" in refused.content.decode()  # what was typed is kept
    with pytest.raises(ValidationError) as refusal:
        services.group_session_save(
            program=program,
            by=program.coordinators.first(),
            data={
                "kind": "circle",
                "audience": "mentors",
                "title": "Peer circle",
                "starts_at": at(today + 5 * DAY),
                "duration_minutes": 60,
                "location": "Hall",
            },
        )
    assert "audience" in refusal.value.message_dict
    assert not GroupSession.objects.exists()
