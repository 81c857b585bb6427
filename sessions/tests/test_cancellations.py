"""What the calendars hear when something ends: a match ended (by either side, a
coordinator or the final feedback) cancels the pair's meetings still to come, and a
coordinator can cancel a group session. Every file is read by icalendar and vobject
(`test_invitations.invitations`)."""

import datetime
import pathlib

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dashboard import selectors as dashboard_selectors
from evaluation import services as evaluation_services
from evaluation.tests.helpers import feedback_answers
from matching.models import Match
from sessions import ical, services
from sessions.models import Meeting
from sessions.tests.factories import (
    GroupSessionFactory,
    MeetingFactory,
    SessionRecordFactory,
    at,
)
from sessions.tests.test_invitations import (  # noqa: F401 (from_address: an autouse fixture)
    addresses,
    from_address,
    invitations,
    read_both,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
PAIR = {"eddie@example.org", "mona@example.org"}


def _reloaded(items) -> list:
    return [type(item).objects.get(pk=item.pk) for item in items]


def calendar_mails(mailoutbox) -> list:
    return [message for message in mailoutbox if message.attachments]


@pytest.fixture
def meetings(match, today):
    """Two meetings to come, one held (recorded), one already cancelled."""
    coming = [
        MeetingFactory(match=match, starts_at=at(today + 3 * DAY), sequence=1),
        MeetingFactory(match=match, starts_at=at(today + 10 * DAY)),
    ]
    held = MeetingFactory(match=match, starts_at=at(today - 3 * DAY))
    SessionRecordFactory(meeting=held)
    cancelled = MeetingFactory(
        match=match,
        starts_at=at(today + 5 * DAY),
        status=Meeting.Status.CANCELLED,
        cancel_reason="Shift change",
        cancelled_at=at(today - DAY),
        sequence=4,
    )
    return {"coming": coming, "held": held, "cancelled": cancelled}


def test_ending_a_match_cancels_its_coming_meetings_in_both_calendars(
    match, cast, meetings, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    cast.mentee.language = "fr"
    cast.mentee.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("mentor").post(
            reverse("matching:end", args=[match.program.slug, match.pk]),
            {"reason": Match.EndReason.NOT_A_GOOD_FIT, "note": ""},
        )
    assert response.status_code == 302
    sent = invitations(calendar_mails(mailoutbox))
    by_uid: dict[str, list] = {}
    for item in sent:
        assert item["method"] == ical.CANCEL
        (event,) = item["events"]
        by_uid.setdefault(event["uid"], []).append(item)
    assert set(by_uid) == {ical.uid("meeting", meeting.pk) for meeting in meetings["coming"]}
    for meeting in meetings["coming"]:
        meeting.refresh_from_db()
        items = by_uid[ical.uid("meeting", meeting.pk)]
        # Both of the pair, the one who ended it too: it is in both calendars.
        assert {item["to"] for item in items} == PAIR
        for item in items:
            assert item["events"][0]["sequence"] == meeting.sequence
            assert addresses(item) == sorted(f"mailto:{address}" for address in PAIR)
        # Kept, cancelled with a reason, as any cancelled meeting is.
        assert meeting.status == Meeting.Status.CANCELLED
        assert meeting.cancel_reason == "The pair's match ended."
        assert meeting.cancelled_by == cast.mentor and meeting.cancelled_at is not None
    assert [m.sequence for m in meetings["coming"]] == [2, 1]
    french = next(item for item in sent if item["to"] == "eddie@example.org")
    english = next(item for item in sent if item["to"] == "mona@example.org")
    assert french["subject"].startswith("[Mentorat] Annulation\xa0:")
    assert "a pris fin" in french["mail"].body
    assert "has ended, so their mentoring meeting" in english["mail"].body
    assert "Schedule a new meeting" not in english["mail"].body
    # The held and the already cancelled meetings are left as they were.
    for name in ("held", "cancelled"):
        before = meetings[name]
        after = Meeting.objects.get(pk=before.pk)
        assert (after.status, after.sequence, after.cancel_reason) == (
            before.status,
            before.sequence,
            before.cancel_reason,
        )


def test_a_coordinator_ending_the_match_cancels_too(
    match, meetings, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_as("coordinator").post(
            reverse("matching:end", args=[match.program.slug, match.pk]),
            {"reason": Match.EndReason.OTHER, "note": "Moved locals."},
        )
    assert len(invitations(calendar_mails(mailoutbox))) == 4
    assert [m.status for m in _reloaded(meetings["coming"])] == [Meeting.Status.CANCELLED] * 2


def test_the_final_feedback_ending_the_match_cancels_its_coming_meetings(
    match, cast, meetings, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for author in (cast.mentee_participant, cast.mentor_participant):
            evaluation_services.feedback_save(
                match=match,
                author=author,
                data=feedback_answers(whats_next="complete"),
                submit=True,
            )
    match.refresh_from_db()
    assert match.status == Match.Status.ENDED
    sent = invitations(calendar_mails(mailoutbox))
    assert {item["method"] for item in sent} == {ical.CANCEL}
    assert len(sent) == 4
    assert not any(
        m.status == Meeting.Status.SCHEDULED
        for m in Meeting.objects.filter(pk__in=[m.pk for m in meetings["coming"]])
    )


def test_only_the_sessions_service_ends_a_match():
    """matching.services.match_end leaves the meetings (matching cannot reach them): every
    production caller goes through sessions.services.match_end_with_meetings."""
    root = pathlib.Path(django_settings.BASE_DIR)
    callers = []
    for path in root.glob("*/**/*.py"):
        parts = path.relative_to(root).parts
        if parts[0].startswith(".") or "tests" in parts or "migrations" in parts:
            continue
        text = path.read_text()
        if "match_end(" in text.replace("def match_end(", ""):
            callers.append("/".join(parts))
    assert callers == ["sessions/services.py"]


# --- A coordinator cancels a group session --------------------------------------------------


@pytest.fixture
def session(program, today):
    return GroupSessionFactory(
        program=program, title="Bargaining 101", starts_at=at(today + 4 * DAY)
    )


def cancel_url(session) -> str:
    return reverse("sessions:group_session_cancel", args=[session.program.slug, session.pk])


def test_a_coordinator_cancels_a_session_after_confirming_and_everyone_invited_hears(
    session, cast, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    cast.mentor.language = "fr"
    cast.mentor.save()
    client = client_as("coordinator")
    page = client.get(session.get_absolute_url()).content.decode()
    assert cancel_url(session) in page  # the button, to the confirmation
    confirm = client.get(cancel_url(session))
    assert confirm.status_code == 200 and "Everyone invited is e-mailed" in confirm.content.decode()
    # Without a reason: refused, nothing cancelled, nobody told.
    response = client.post(cancel_url(session), {"reason": "  "})
    assert (
        response.status_code == 200 and "Give a reason for cancelling." in response.content.decode()
    )
    session.refresh_from_db()
    assert not session.is_cancelled and mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(session), {"reason": "Hall flooded; sorry"}, follow=True)
    assert response.redirect_chain == [(session.get_absolute_url(), 302)]
    assert "Everyone invited has been told why." in response.content.decode()
    session.refresh_from_db()
    assert session.is_cancelled and session.cancel_reason == "Hall flooded; sorry"
    assert session.cancelled_by == cast.coordinator and session.sequence == 1
    sent = invitations(mailoutbox)
    assert {item["to"] for item in sent} == PAIR
    for item in sent:
        assert item["method"] == ical.CANCEL
        (event,) = item["events"]
        assert event["uid"] == ical.uid("group-session", session.pk)
        assert event["sequence"] == 1
        assert addresses(item) == [f"mailto:{item['to']}"]  # nobody else named
    by_address = {item["to"]: item for item in sent}
    french, english = by_address["mona@example.org"], by_address["eddie@example.org"]
    assert english["subject"].startswith("[Mentorship] Cancelled")
    assert "Why: Hall flooded; sorry" in english["mail"].body
    assert french["subject"].startswith("[Mentorat] Annulation\xa0:")
    assert "Motif" in french["mail"].body and "Hall flooded; sorry" in french["mail"].body
    assert "Hall flooded\\; sorry" in french["raw"]
    # The page says so; no edit, no second cancel.
    page = client.get(session.get_absolute_url()).content.decode()
    assert "This session was cancelled on" in page
    assert cancel_url(session) not in page
    assert (
        reverse("sessions:group_session_edit", args=[session.program.slug, session.pk]) not in page
    )
    # A second submission (another tab) changes and sends nothing.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(session), {"reason": "Again"}, follow=True)
    assert "already cancelled" in response.content.decode()
    assert mailoutbox == []
    session.refresh_from_db()
    assert session.cancel_reason == "Hall flooded; sorry" and session.sequence == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [("mentee", 403), ("mentor", 403), ("other_coordinator", 404), ("member", 404)],
)
def test_only_the_programs_coordinators_can_cancel(session, client_as, mailoutbox, role, status):
    response = client_as(role).post(cancel_url(session), {"reason": "Not mine to cancel"})
    assert response.status_code == status
    session.refresh_from_db()
    assert not session.is_cancelled and mailoutbox == []


def test_a_session_that_has_begun_cannot_be_cancelled(program, cast, today, mailoutbox):
    begun = GroupSessionFactory(
        program=program, starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    with pytest.raises(ValidationError, match="begun or taken place"):
        services.group_session_cancel(session=begun, by=cast.coordinator, reason="Too late")
    begun.refresh_from_db()
    assert not begun.is_cancelled and mailoutbox == []


def test_a_cancelled_session_stays_listed_marked_leaves_the_dashboard_and_the_feed_says_so(
    session, program, cast, client_as, today
):
    services.group_session_cancel(session=session, by=cast.coordinator, reason="Strike")
    listing = client_as("mentee").get(reverse("sessions:group_sessions", args=[program.slug]))
    assert "Bargaining 101" in listing.content.decode() and "Cancelled" in listing.content.decode()
    coming = dashboard_selectors._coming_up([program], today)
    assert "Bargaining 101" not in [item.title for item in coming]
    token = services.calendar_feed_regenerate(user=cast.mentee).token
    feed = read_both(Client().get(reverse("sessions:feed", args=[token])).content)
    (event,) = [e for e in feed["events"] if e["uid"] == ical.uid("group-session", session.pk)]
    assert event["status"] == "CANCELLED" and event["sequence"] == 1
    assert event["description"].startswith("Cancelled: Strike")
    # A cancelled session cannot be changed, and deleting it later sends no second CANCEL.
    with pytest.raises(ValidationError, match="cancelled"):
        services.group_session_save(
            program=program,
            by=cast.coordinator,
            session=session,
            data={"starts_at": at(today + 6 * DAY), "duration_minutes": 60, "location": "Hall"},
        )


def test_deleting_a_cancelled_session_sends_nothing_more(
    session, cast, mailoutbox, django_capture_on_commit_callbacks
):
    services.group_session_cancel(session=session, by=cast.coordinator, reason="Strike")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.gathering_delete(item=session)
    assert mailoutbox == []
