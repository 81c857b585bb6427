"""The demo shows an invitation as e-mailed: the demo mentee's meeting-tomorrow reminder,
carrying the meeting's REQUEST, waits on the Reminders page under "E-mails not delivered";
"Try again now" sends it. A second run changes nothing."""

import email
import email.policy

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import with_totp
from core.models import OutboxMessage
from devdata import demo
from devdata.invitation_demo import seed_invitation_demo
from reminders.models import Reminder
from sessions import ical
from sessions.tests.test_invitations import read_both

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_meeting_invitation_on_the_reminders_page(
    mailoutbox, django_capture_on_commit_callbacks
):
    demo.seed()
    reminder = Reminder.objects.select_related("message", "program").get(kind="meeting_tomorrow")
    assert reminder.recipient.email == "mentee@example.org"
    meeting_id = int(reminder.subject_key.split(":")[1])
    (attachment,) = reminder.message.attachments.all()
    assert attachment.mimetype == ical.mime_type(ical.REQUEST)
    calendar = read_both(bytes(attachment.content))
    assert calendar["method"] == ical.REQUEST
    assert calendar["events"][0]["uid"] == ical.uid("meeting", meeting_id)
    assert len(calendar["events"][0]["attendees"]) == 2
    # Seeding again writes no second reminder or e-mail.
    messages = OutboxMessage.objects.count()
    assert seed_invitation_demo().pk == reminder.pk
    assert OutboxMessage.objects.count() == messages

    coordinator = with_totp(User.objects.get(email="coordinator@example.org"))
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("reminders:log", args=[reminder.program.slug])).content.decode()
    assert "E-mails not delivered" in page and "Not delivered yet: being tried again" in page
    retry = reverse("reminders:retry", args=[reminder.program.slug, reminder.pk])
    assert retry in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(retry)
    (sent,) = mailoutbox
    parsed = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    (part,) = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
