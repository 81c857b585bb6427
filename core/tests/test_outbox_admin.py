"""The outbox's admin list: opens, shows no bodies, and retries what failed."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_staff_see_deliveries_without_bodies_and_retry_failed_ones(
    mailoutbox, django_capture_on_commit_callbacks
):
    failed = OutboxMessage.objects.create(
        to="member@example.org",
        subject="SECRET SUBJECT",
        text="SECRET BODY",
        message_id="<admin@example.org>",
        status="failed",
        attempts=8,
    )
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    changelist = reverse("admin:core_outboxmessage_changelist")
    page = client.get(changelist).content.decode()
    detail = client.get(reverse("admin:core_outboxmessage_change", args=[failed.pk]))
    for shown in (page, detail.content.decode()):
        assert "SECRET BODY" not in shown and "SECRET SUBJECT" not in shown
    assert detail.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist, {"action": "retry_now", "_selected_action": [failed.pk]}, follow=True
        )
    assert "1 e-mail will be sent again now." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == "sent"
    assert [m.body for m in mailoutbox] == ["SECRET BODY"]
