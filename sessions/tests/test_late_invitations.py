"""A member accepted after the orientation or a group session was scheduled is invited to
each still to come (REQUEST, the gathering's UID and SEQUENCE, them as the only attendee),
in their language, by the acceptance itself: one at a time or in bulk. Files read by
icalendar and vobject (`test_invitations.invitations`)."""

import datetime
import pathlib

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from intake.models import Application
from intake.tests.factories import ApplicationFactory
from programs.models import Program
from sessions import ical
from sessions.tests.factories import GroupSessionFactory, OrientationFactory, at
from sessions.tests.test_invitations import (  # noqa: F401 (from_address: an autouse fixture)
    addresses,
    from_address,
    invitations,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def selecting(program):
    """The cast's program while it still takes applications in, with its gatherings: the
    orientation and a class to come, a class held, a class cancelled."""
    program.status = Program.Status.SELECTING
    program.save()
    today = datetime.date.today()
    return {
        "orientation": OrientationFactory(
            program=program, starts_at=at(today + 9 * DAY), sequence=2
        ),
        "coming": GroupSessionFactory(
            program=program, title="Bargaining 101", starts_at=at(today + 5 * DAY)
        ),
        "held": GroupSessionFactory(
            program=program, title="Held already", starts_at=at(today - 5 * DAY)
        ),
        "cancelled": GroupSessionFactory(
            program=program,
            title="Called off",
            starts_at=at(today + 6 * DAY),
            cancel_reason="Strike",
            cancelled_at=at(today),
        ),
    }


def apply(program, name: str, email: str, language: str = "en") -> Application:
    return ApplicationFactory(
        program=program,
        applicant__name=name,
        applicant__email=email,
        applicant__language=language,
    )


def test_an_accepted_member_is_invited_to_what_is_still_to_come_in_their_language(
    program, selecting, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    application = apply(program, "Nadia Newcomer", "nadia@example.org", "fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("coordinator").post(
            reverse("intake:decide", args=[program.slug, application.pk]),
            {"decision": "accept", "note": ""},
        )
    assert response.status_code == 302
    calendar = invitations([m for m in mailoutbox if m.attachments])
    # Only the newcomer: those who took part already were invited when each was scheduled.
    assert {item["to"] for item in calendar} == {"nadia@example.org"}
    by_uid = {item["events"][0]["uid"]: item for item in calendar}
    orientation, coming = selecting["orientation"], selecting["coming"]
    assert set(by_uid) == {
        ical.uid("orientation", orientation.pk),
        ical.uid("group-session", coming.pk),
    }
    for item in calendar:
        assert item["method"] == ical.REQUEST
        assert addresses(item) == ["mailto:nadia@example.org"]
        assert item["subject"].startswith("[Mentorat] Invitation\xa0:")
    # The copy the others have: same UID, same SEQUENCE, so it is one event everywhere.
    assert by_uid[ical.uid("orientation", orientation.pk)]["events"][0]["sequence"] == 2
    assert by_uid[ical.uid("orientation", orientation.pk)]["events"][0]["summary"].startswith(
        "Séance d'orientation"
    )
    assert "Bargaining 101" in by_uid[ical.uid("group-session", coming.pk)]["events"][0]["summary"]
    # Her acceptance e-mail went too, and nothing else.
    assert len(mailoutbox) == 3


def test_bulk_acceptance_invites_each_newcomer_and_other_decisions_invite_nobody(
    program, selecting, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    accepted = [
        apply(program, "Nadia Newcomer", "nadia@example.org"),
        apply(program, "Omar Newcomer", "omar@example.org"),
    ]
    waitlisted = apply(program, "Pat Later", "pat@example.org")
    client = client_as("coordinator")
    url = reverse("intake:decide_many", args=[program.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"ids": [waitlisted.pk], "decision": "waitlist", "confirmed": "1"})
    assert [m for m in mailoutbox if m.attachments] == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"ids": [a.pk for a in accepted], "decision": "accept", "confirmed": "1"}
        )
    assert response.status_code == 302
    calendar = invitations([m for m in mailoutbox if m.attachments])
    assert sorted(item["to"] for item in calendar) == [
        "nadia@example.org",
        "nadia@example.org",
        "omar@example.org",
        "omar@example.org",
    ]
    assert all(addresses(item) == [f"mailto:{item['to']}"] for item in calendar)
    # Accepting a wait-listed member later invites them then; the same decision twice does not.
    mailoutbox.clear()
    decide = reverse("intake:decide", args=[program.slug, waitlisted.pk])
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(decide, {"decision": "accept", "note": ""})
    calendar = invitations([m for m in mailoutbox if m.attachments])
    assert sorted(item["to"] for item in calendar) == ["pat@example.org"] * 2


def test_only_the_dashboard_decisions_accept_applications():
    """intake's decisions do not invite (intake cannot reach sessions): every production
    caller goes through dashboard.services, which invites whoever joined."""
    root = pathlib.Path(django_settings.BASE_DIR)
    callers = set()
    for path in root.glob("*/**/*.py"):
        parts = path.relative_to(root).parts
        if parts[0].startswith(".") or "tests" in parts or "migrations" in parts:
            continue
        text = path.read_text()
        for name in ("application_decide(", "applications_decide_many("):
            if text.count(name) > text.count(f"def {name}"):
                callers.add("/".join(parts))
    assert callers == {"dashboard/services.py", "dashboard/decisions.py"}
