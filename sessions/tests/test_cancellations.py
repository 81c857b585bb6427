"""What the calendars hear when something ends: a match ended (by either side, a
coordinator or the final feedback) cancels the pair's meetings still to come, and a
coordinator can cancel a group session. Every file is read by icalendar and vobject
(`test_invitations.invitations`)."""

import datetime
import pathlib

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from evaluation import services as evaluation_services
from evaluation.tests.helpers import feedback_answers
from matching.models import Match
from sessions import ical
from sessions.models import Meeting
from sessions.tests.factories import MeetingFactory, SessionRecordFactory, at
from sessions.tests.test_invitations import addresses, from_address, invitations  # noqa: F401

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
    assert french["subject"].startswith("[Mentorship] Annulation")
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
