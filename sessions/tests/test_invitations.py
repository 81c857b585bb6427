"""E-mailed invitations are iTIP (RFC 5546) REQUESTs and CANCELs; downloads and the feed
are PUBLISH. Every file is read by two independent parsers (icalendar and vobject), and
checked against the RFC 5545 rules a mail or calendar program relies on."""

import datetime
import email
import email.policy

import pytest
import vobject
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from core.urls import STAND_IN
from programs.models import Participant
from programs.tests.factories import ParticipantFactory
from sessions import ical, services
from sessions.models import GroupSession, Meeting
from sessions.tests.factories import GroupSessionFactory, MeetingFactory, OrientationFactory, at

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
FROM = "noreply@mentoring.example.org"


@pytest.fixture(autouse=True)
def from_address(settings):
    settings.DEFAULT_FROM_EMAIL = f"Union Mentorship <{FROM}>"


# --- Reading and checking ------------------------------------------------------------------


def check_rfc5545(content: bytes) -> None:
    """CRLF line ends, lines folded at 75 octets, UTF-8."""
    assert content.endswith(b"\r\n")
    assert content.count(b"\n") == content.count(b"\r\n"), "a line ends without CR"
    assert b"\r" not in content.replace(b"\r\n", b""), "a bare CR"
    lines = content.split(b"\r\n")[:-1]
    too_long = [line for line in lines if len(line) > 75]
    assert not too_long, too_long[:1]
    content.decode("utf-8")  # folding never split a character


def read_both(content: bytes) -> dict:
    """The file as icalendar and vobject read it; both must agree on every property."""
    check_rfc5545(content)
    by_icalendar = Calendar.from_ical(content)
    by_vobject = vobject.readOne(content.decode())
    method = str(by_icalendar["METHOD"])
    assert by_vobject.method.value == method
    events = []
    vevents = by_vobject.contents.get("vevent", [])
    assert len(vevents) == len(by_icalendar.walk("VEVENT"))
    for mine, theirs in zip(by_icalendar.walk("VEVENT"), vevents, strict=True):
        attendees = mine.get("ATTENDEE", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        event = {
            "uid": str(mine["UID"]),
            "sequence": int(mine["SEQUENCE"]),
            "start": mine.decoded("DTSTART"),
            "end": mine.decoded("DTEND"),
            "stamp": mine.decoded("DTSTAMP"),
            "summary": str(mine["SUMMARY"]),
            "description": str(mine.get("DESCRIPTION", "")),
            "location": str(mine.get("LOCATION", "")),
            "status": str(mine.get("STATUS", "")),
            "organizer": str(mine.get("ORGANIZER", "")),
            "attendees": sorted(str(person) for person in attendees),
        }
        assert theirs.uid.value == event["uid"]
        assert int(theirs.sequence.value) == event["sequence"]
        assert theirs.dtstart.value == event["start"]
        assert theirs.dtend.value == event["end"]
        assert theirs.dtstamp.value == event["stamp"]
        assert theirs.summary.value == event["summary"]
        if event["description"]:
            assert theirs.description.value == event["description"]
        if event["location"]:
            assert theirs.location.value == event["location"]
        assert theirs.status.value == event["status"]
        assert theirs.organizer.value == event["organizer"]
        their_attendees = sorted(a.value for a in theirs.contents.get("attendee", []))
        assert their_attendees == event["attendees"]
        events.append(event)
    calendar_uid = by_icalendar.get("UID")
    if calendar_uid is not None:
        assert by_vobject.uid.value == str(calendar_uid)
    return {
        "method": method,
        "uid": str(calendar_uid) if calendar_uid else None,
        "events": events,
        "raw": content.decode().replace("\r\n ", ""),  # unfolded
    }


def check_itip(calendar: dict) -> None:
    """RFC 5546's rules for the methods used here (sections 3.2.1, 3.2.2 and 3.2.5)."""
    for event in calendar["events"]:
        assert event["uid"] and event["stamp"] and event["start"], event
        assert event["organizer"] == f"mailto:{FROM}", event
        if calendar["method"] == ical.REQUEST:
            assert event["attendees"], "a REQUEST has at least one ATTENDEE"
            assert event["status"] == "CONFIRMED"
        elif calendar["method"] == ical.CANCEL:
            assert event["attendees"], "a CANCEL names who it cancels for"
            assert event["status"] == "CANCELLED"
        else:
            assert calendar["method"] == ical.PUBLISH
            assert not event["attendees"], "a published file names no attendee"


def invitations(mailoutbox) -> list[dict]:
    """Each e-mail as it goes over the wire: its calendar part's method, the attached file
    read by both parsers, and the message."""
    found = []
    for message in mailoutbox:
        parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
        parts = [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]
        files = [part for part in parsed.walk() if part.get_filename("").endswith(".ics")]
        assert len(parts) == 1 and len(files) == 1, [p.get_content_type() for p in parsed.walk()]
        content = files[0].get_payload(decode=True)
        calendar = read_both(content)
        check_itip(calendar)
        # The calendar part and the attached file are the same file.
        assert parts[0].get_content().replace("\r\n", "\n") == content.decode().replace(
            "\r\n", "\n"
        )
        assert parts[0].get_param("method") == calendar["method"], "Content-Type and METHOD"
        assert parts[0].get_content_charset() == "utf-8"
        found.append({**calendar, "to": message.to[0], "subject": message.subject, "mail": message})
    return found


def meeting_data(day: datetime.date, **changes) -> dict:
    return {
        "starts_at": at(day, 18, 30),
        "duration_minutes": 60,
        "mode": "in_person",
        "location": "Union hall, room B; second floor",
        "video_link": "",
        "caller": "",
        **changes,
    }


def session_data(day: datetime.date, **changes) -> dict:
    return {
        "starts_at": at(day, 10),
        "duration_minutes": 120,
        "location": "Union hall",
        "video_link": "",
        "child_care": True,
        "food": False,
        "accessibility_notes": "",
        "kind": GroupSession.Kind.CLASS,
        "title": "Bargaining 101",
        "description": "",
        "rotation_note": "",
        **changes,
    }


def addresses(calendar: dict) -> list[str]:
    return calendar["events"][0]["attendees"]


# --- Meetings -------------------------------------------------------------------------------


def test_a_meeting_is_a_request_to_the_pair_each_in_their_language(
    match, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    cast.mentee.language = "fr"
    cast.mentee.save()
    with django_capture_on_commit_callbacks(execute=True):
        meeting, _new = services.meeting_schedule(
            match=match, by=cast.mentor, data=meeting_data(today + 3 * DAY)
        )
    sent = {item["to"]: item for item in invitations(mailoutbox)}
    assert set(sent) == {"eddie@example.org", "mona@example.org"}
    for item in sent.values():
        assert item["method"] == ical.REQUEST
        (event,) = item["events"]
        assert event["uid"] == ical.uid("meeting", meeting.pk)
        assert event["sequence"] == 0
        assert event["start"] == meeting.starts_at and event["end"] == meeting.ends_at
        assert event["location"] == "Union hall, room B; second floor"
        # The pair see each other: both are attendees, and nobody else.
        assert addresses(item) == ["mailto:eddie@example.org", "mailto:mona@example.org"]
        assert 'CN="Eddie Mentee"' in item["raw"] and 'CN="2026 Mentorship Program"' in item["raw"]
    french, english = sent["eddie@example.org"], sent["mona@example.org"]
    assert french["events"][0]["summary"].startswith("Rencontre de mentorat")
    assert french["events"][0]["summary"].endswith("Eddie Mentee et Mona Mentor")
    assert english["events"][0]["summary"] == "Mentoring meeting: Eddie Mentee and Mona Mentor"
    assert "Rencontre de mentorat" in french["subject"]
    assert "Mentoring meeting" in english["subject"]


def test_a_moved_meeting_is_a_new_request_then_a_cancel_with_the_same_uid(
    match, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting, _new = services.meeting_schedule(
            match=match, by=cast.mentor, data=meeting_data(today + 3 * DAY)
        )
    (first, _other) = invitations(mailoutbox)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_reschedule(
            meeting=meeting,
            by=cast.mentee,
            data=meeting_data(
                today + 4 * DAY, mode="video", location="", video_link="https://meet.example.org/x"
            ),
        )
    moved = invitations(mailoutbox)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, by=cast.mentor, reason="Strike vote, sorry")
    cancelled = invitations(mailoutbox)

    uid = first["events"][0]["uid"]
    assert {item["method"] for item in moved} == {ical.REQUEST}
    assert {item["method"] for item in cancelled} == {ical.CANCEL}
    for later, earlier in ((moved, first), (cancelled, moved[0])):
        for item in later:
            (event,) = item["events"]
            assert event["uid"] == uid
            assert event["sequence"] > earlier["events"][0]["sequence"]
            assert event["stamp"] >= earlier["events"][0]["stamp"]
    assert moved[0]["events"][0]["location"] == "https://meet.example.org/x"
    # Sent to the same people as the invitation, naming the same attendees.
    assert {item["to"] for item in cancelled} == {"eddie@example.org", "mona@example.org"}
    assert all(addresses(item) == addresses(first) for item in cancelled)
    assert "Strike vote\\, sorry" in cancelled[0]["raw"]
    meeting.refresh_from_db()
    assert meeting.sequence == cancelled[0]["events"][0]["sequence"] == 2


def test_a_deactivated_partner_is_neither_mailed_nor_an_attendee(
    match, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    cast.mentee.is_active = False
    cast.mentee.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_schedule(match=match, by=cast.mentor, data=meeting_data(today + DAY))
    (only,) = invitations(mailoutbox)
    assert only["to"] == "mona@example.org"
    assert addresses(only) == ["mailto:mona@example.org"]


# --- Orientation and group sessions -------------------------------------------------------


def test_each_participant_is_the_only_attendee_of_their_copy(
    program, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    """Who else takes part in a program is for its coordinators: a participant's copy
    names nobody else, anywhere in the file."""
    ParticipantFactory(
        program=program,
        role=Participant.Role.MENTEE,
        user__name="Nadia Newcomer",
        user__email="nadia@example.org",
        user__language="fr",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.group_session_save(program=program, by=cast.coordinator, data=session_data(today))
    sent = invitations(mailoutbox)
    everyone = {"eddie@example.org", "mona@example.org", "nadia@example.org"}
    assert {item["to"] for item in sent} == everyone
    for item in sent:
        assert item["method"] == ical.REQUEST
        assert addresses(item) == [f"mailto:{item['to']}"]
        for other in everyone - {item["to"]}:
            assert other not in item["raw"], (item["to"], other)
        assert "Mona" not in item["raw"] or item["to"] == "mona@example.org"
    by_address = {item["to"]: item for item in sent}
    assert "Service de garde offert." in by_address["nadia@example.org"]["raw"]
    assert "Child care offered." in by_address["mona@example.org"]["raw"]
    assert by_address["nadia@example.org"]["subject"].startswith("[Mentorat] Invitation")


def test_the_orientation_is_a_request_and_its_move_a_higher_sequence(
    program, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    data = session_data(today + 2 * DAY)
    data = {field: data[field] for field in services.GATHERING_FIELDS}
    with django_capture_on_commit_callbacks(execute=True):
        orientation, _created = services.orientation_save(
            program=program, by=cast.coordinator, data=data
        )
    (first, _second) = invitations(mailoutbox)
    assert first["events"][0]["uid"] == ical.uid("orientation", orientation.pk)
    assert first["events"][0]["sequence"] == 0
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.orientation_save(
            program=program,
            by=cast.coordinator,
            data={**data, "starts_at": at(today + 3 * DAY, 9)},
        )
    for item in invitations(mailoutbox):
        assert item["method"] == ical.REQUEST
        assert item["events"][0]["uid"] == first["events"][0]["uid"]
        assert item["events"][0]["sequence"] == 1


def test_every_change_the_calendar_shows_raises_the_sequence(
    program, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    """Time and place are e-mailed again; a new title, agenda or note is not, but the feed
    and the downloads carry a higher SEQUENCE so calendars take the new copy."""
    session, _new = services.group_session_save(
        program=program, by=cast.coordinator, data=session_data(today)
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.group_session_save(
            program=program,
            by=cast.coordinator,
            session=session,
            data=session_data(today, title="Bargaining 101 (new room)", food=True),
        )
    assert mailoutbox == []
    session.refresh_from_db()
    assert session.sequence == 1
    # The same data again changes nothing.
    services.group_session_save(
        program=program,
        by=cast.coordinator,
        session=session,
        data=session_data(today, title="Bargaining 101 (new room)", food=True),
    )
    session.refresh_from_db()
    assert session.sequence == 1

    data = session_data(today + DAY)
    data = {field: data[field] for field in services.GATHERING_FIELDS}
    orientation, _created = services.orientation_save(
        program=program, by=cast.coordinator, data=data
    )
    agenda = [{"title": "Introductions", "minutes": 10}]
    services.orientation_save(program=program, by=cast.coordinator, data=data, agenda=agenda)
    orientation.refresh_from_db()
    assert orientation.sequence == 1
    services.orientation_save(program=program, by=cast.coordinator, data=data, agenda=agenda)
    orientation.refresh_from_db()
    assert orientation.sequence == 1
    (event,) = read_both(ical.calendar([ical.orientation_event(orientation)]))["events"]
    assert event["sequence"] == 1 and "Introductions (10 min)" in event["description"]


def test_deleting_a_coming_session_sends_a_cancel_a_past_one_nothing(
    program, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    coming = GroupSessionFactory(program=program, starts_at=at(today + 5 * DAY), sequence=3)
    past = GroupSessionFactory(program=program, starts_at=at(today - 5 * DAY))
    admin = cast.coordinator
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:mentoring_sessions_groupsession_delete", args=[coming.pk]),
            {"post": "yes"},
        )
    assert response.status_code == 302
    assert not GroupSession.objects.filter(pk=coming.pk).exists()
    sent = invitations(mailoutbox)
    assert {item["to"] for item in sent} == {"eddie@example.org", "mona@example.org"}
    for item in sent:
        assert item["method"] == ical.CANCEL
        (event,) = item["events"]
        assert event["uid"] == ical.uid("group-session", coming.pk)
        assert event["sequence"] == 4
        assert addresses(item) == [f"mailto:{item['to']}"]
        assert "is cancelled" in item["mail"].body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:mentoring_sessions_groupsession_changelist"),
            {"action": "delete_selected", "_selected_action": [past.pk], "post": "yes"},
        )
    assert not GroupSession.objects.filter(pk=past.pk).exists()
    assert mailoutbox == []


def test_a_cancellation_reaches_french_readers_in_french(
    program, cast, today, mailoutbox, django_capture_on_commit_callbacks
):
    cast.mentor.language = "fr"
    cast.mentor.save()
    session = GroupSessionFactory(program=program, starts_at=at(today + 5 * DAY))
    with django_capture_on_commit_callbacks(execute=True):
        services.gathering_delete(item=session)
    by_address = {item["to"]: item for item in invitations(mailoutbox)}
    french, english = by_address["mona@example.org"], by_address["eddie@example.org"]
    assert french["subject"].startswith("[Mentorat] Annulation")
    assert "est annulé" in french["mail"].body
    assert english["subject"].startswith("[Mentorship] Cancelled")


# --- Downloads and the feed ----------------------------------------------------------------


def test_the_feed_is_published_with_stable_uids_and_no_attendees(match, program, cast, today):
    meeting = MeetingFactory(match=match, starts_at=at(today + DAY))
    MeetingFactory(
        match=match,
        starts_at=at(today + 2 * DAY),
        status=Meeting.Status.CANCELLED,
        cancel_reason="Shift change",
        cancelled_at=at(today),
    )
    OrientationFactory(program=program)
    GroupSessionFactory(program=program)
    token = services.calendar_feed_regenerate(user=cast.mentee).token
    url = reverse("sessions:feed", args=[token])
    first, second = (Client().get(url).content for _ in range(2))
    assert first == second  # nothing random: calendar programs see no change
    calendar = read_both(first)
    check_itip(calendar)
    assert calendar["method"] == ical.PUBLISH
    assert calendar["uid"] == ical.feed_uid(cast.mentee.pk)
    assert "mona@example.org" not in calendar["raw"] and "eddie@example.org" not in calendar["raw"]
    assert len(calendar["events"]) == 4
    assert ical.uid("meeting", meeting.pk) in {event["uid"] for event in calendar["events"]}
    assert {event["status"] for event in calendar["events"]} == {"CONFIRMED", "CANCELLED"}
    # A new address is the same calendar.
    token = services.calendar_feed_regenerate(user=cast.mentee).token
    again = read_both(Client().get(reverse("sessions:feed", args=[token])).content)
    assert again["uid"] == calendar["uid"]
    assert [e["uid"] for e in again["events"]] == [e["uid"] for e in calendar["events"]]


def test_a_download_is_published_and_the_same_each_time(match, client_as, today):
    meeting = MeetingFactory(match=match, starts_at=at(today + DAY))
    url = reverse("sessions:meeting_ics", args=[match.program.slug, match.pk, meeting.pk])
    client = client_as("mentor")
    first, second = client.get(url).content, client.get(url).content
    assert first == second
    calendar = read_both(first)
    check_itip(calendar)
    assert calendar["method"] == ical.PUBLISH and calendar["uid"] is None


def test_long_and_awkward_text_folds_and_reads_back_exactly(match, cast, today, settings):
    """Accents cut at a fold, separators and line breaks: both parsers read back what
    was typed, and the TZID'd times and the VTIMEZONE survive."""
    settings.TIME_ZONE = "America/Toronto"
    place = "Salle « Solidarité », 2e étage; porte B\\C\nEntrée par la cour " + "é" * 120 + "🙂"
    meeting = MeetingFactory(match=match, starts_at=at(today + DAY), location=place)
    cast.mentee.name = 'Eddie "The Steward" Mentée, Jr; local 2009'
    cast.mentee.save()
    meeting = Meeting.objects.select_related("match__mentee__user").get(pk=meeting.pk)
    with translation.override("fr"):
        content = ical.invitation(
            ical.meeting_event(meeting), attendees=[ical.attendee(cast.mentee)]
        )
    calendar = read_both(content)
    check_itip(calendar)
    (event,) = calendar["events"]
    assert event["location"] == place
    assert 'Eddie "The Steward" Mentée, Jr; local 2009' in event["summary"]
    assert event["start"] == meeting.starts_at
    assert "TZID=America/Toronto" in calendar["raw"] and "BEGIN:VTIMEZONE" in calendar["raw"]
    vobject_event = vobject.readOne(content.decode()).vevent
    (person,) = vobject_event.contents["attendee"]
    assert person.params["CN"] == ["Eddie 'The Steward' Mentée, Jr; local 2009"]


def test_the_writers_rules_hold_on_their_own():
    assert ical.text("a,b;c\\d\ne\r\nf\x00g") == "a\\,b\\;c\\\\d\\ne\\nfg"
    assert ical.param('Say "hi"\n') == "\"Say 'hi' \""
    line = "DESCRIPTION:" + "é" * 100
    folded = ical.fold(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert ical.mime_type(ical.CANCEL) == "text/calendar; method=CANCEL; charset=utf-8"
    with pytest.raises(ValueError, match="attendee"):
        ical.invitation(object(), attendees=[])  # type: ignore[arg-type]


def test_the_spliced_urls_are_the_routes_own(match, program, cast, today):
    """The feed reverses a route once per pair and splices each id in: the same URLs as
    reverse() gives, even when the slug holds the probe's digits."""
    meetings = [MeetingFactory(match=match, starts_at=at(today + n * DAY)) for n in (1, 2)]
    sessions = [GroupSessionFactory(program=program) for _ in range(2)]
    token = services.calendar_feed_regenerate(user=cast.mentee).token
    for slug in (program.slug, f"local-{STAND_IN}"):
        program.slug = slug
        program.save()
        feed = read_both(Client().get(reverse("sessions:feed", args=[token])).content)
        descriptions = {event["uid"]: event["description"] for event in feed["events"]}
        for meeting in meetings:
            url = reverse("sessions:meeting", args=[slug, match.pk, meeting.pk])
            assert f"{settings.SITE_URL}{url}" in descriptions[ical.uid("meeting", meeting.pk)]
        for session in sessions:
            url = reverse("sessions:group_session", args=[slug, session.pk])
            assert url in descriptions[ical.uid("group-session", session.pk)]


def test_a_coordinators_feed_holds_their_programs_gatherings_only(program, cast, today):
    mine = GroupSessionFactory(program=program)
    orientation = OrientationFactory(program=program)
    GroupSessionFactory(program=cast.other_program, title="Not theirs")
    token = services.calendar_feed_regenerate(user=cast.coordinator).token
    feed = read_both(Client().get(reverse("sessions:feed", args=[token])).content)
    assert {event["uid"] for event in feed["events"]} == {
        ical.uid("group-session", mine.pk),
        ical.uid("orientation", orientation.pk),
    }
