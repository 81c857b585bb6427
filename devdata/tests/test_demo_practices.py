"""The demo shows the practices of issue 20, item 5 (part B): a keyed-in paper application,
a mentors-only group session, and a meeting with each side's travel time; seeding twice
changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from devdata import demo
from devdata.practices_demo import MENTORS_ONLY_TITLE, PAPER_APPLICANT, seed_practices_demo
from intake.models import Application
from sessions.models import GroupSession, Meeting

pytestmark = pytest.mark.django_db


def counts() -> tuple:
    return (
        Application.objects.filter(keyed_in_at__isnull=False).count(),
        GroupSession.objects.filter(audience="mentors").count(),
        Meeting.objects.filter(mentee_travel_minutes__isnull=False).count(),
    )


def test_the_demo_shows_each_practice_once():
    demo.seed()
    coordinator = User.objects.get(email="coordinator@example.org")
    paper = Application.objects.get(applicant__email=PAPER_APPLICANT[0])
    assert paper.keyed_in_by == coordinator and paper.status == Application.Status.SUBMITTED
    session = GroupSession.objects.get(title=MENTORS_ONLY_TITLE)
    assert session.audience == GroupSession.Audience.MENTORS
    meeting = Meeting.objects.get(mentee_travel_minutes__isnull=False)
    assert (meeting.mentee_travel_minutes, meeting.mentor_travel_minutes) == (45, 10)
    assert counts() == (1, 1, 1)
    seed_practices_demo(coordinator=coordinator)
    demo.seed()
    assert counts() == (1, 1, 1)
    # The demo mentee does not see the mentors' training; the demo mentor does.
    url = reverse("sessions:group_session", args=[session.program.slug, session.pk])
    for email, status in (("mentee@example.org", 404), ("mentor@example.org", 200)):
        client = Client()
        client.force_login(User.objects.get(email=email))
        assert client.get(url).status_code == status, email
