"""The admin lists of the sessions' models open, and never show a feed's token."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from devdata.sessions_demo import seed_sessions_demo
from sessions import services

pytestmark = pytest.mark.django_db

MODELS = (
    "orientation",
    "groupsession",
    "worksheet",
    "goal",
    "meeting",
    "preparation",
    "sessionrecord",
    "actionitem",
    "calendarfeed",
)


def test_admin_lists_open_and_hide_the_token(cast):
    from devdata import demo

    demo.seed()
    seed_sessions_demo()
    feed = services.calendar_feed_regenerate(user=cast.mentee)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    for model in MODELS:
        response = client.get(reverse(f"admin:mentoring_sessions_{model}_changelist"))
        assert response.status_code == 200, model
        assert feed.token not in response.content.decode()
    change = reverse("admin:mentoring_sessions_calendarfeed_change", args=[feed.pk])
    assert feed.token not in client.get(change).content.decode()
