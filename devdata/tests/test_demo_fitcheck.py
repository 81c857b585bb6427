"""The fit check's demo: a mentee's "Not a good fit" in the coordinator's Needs attention,
the partner and the demo mentor still asked, and a second run changes nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from dashboard import selectors as dashboard_selectors
from devdata import demo
from devdata.fitcheck_demo import seed_fitcheck_demo
from devdata.sessions_demo import PROGRAM_SLUG
from programs.models import Program
from sessions.models import FitCheck
from sessions.selectors import due_fit_check, with_fit_check_columns

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    demo.seed()


def test_a_not_a_good_fit_in_needs_attention(seeded, client):
    unfit = FitCheck.objects.get(answer="not_a_good_fit")
    assert unfit.match.mentee.user.email == "amira.haddad@example.org"
    assert unfit.note
    program = Program.objects.get(slug=PROGRAM_SLUG)
    assert dashboard_selectors.dashboard([program]).attention["not_a_good_fit"] == 1
    # The partner is still asked, and never reads the answer.
    match = with_fit_check_columns(unfit.match)
    assert due_fit_check(match, "mentor", timezone.localdate()) is not None
    client.force_login(User.objects.get(email="louise.gagnon@example.org"))
    page = client.get(reverse("sessions:timeline", args=[PROGRAM_SLUG, match.pk]))
    assert unfit.note not in page.content.decode()
    assert "data-fit-check=" in page.content.decode()  # her prompt (she reads French)
    assert "Manque de compatibilité" not in page.content.decode()


def test_the_demo_mentor_is_asked_on_their_home(seeded, client):
    client.force_login(User.objects.get(email="mentor@example.org"))
    assert "data-fit-check=" in client.get(reverse("accounts:home")).content.decode()


def test_running_it_twice_changes_nothing(seeded):
    first = sorted(map(repr, FitCheck.objects.values_list()))
    seed_fitcheck_demo()
    assert sorted(map(repr, FitCheck.objects.values_list())) == first


def test_the_demo_mentor_was_sent_the_fit_check_reminder_shown_in_the_log(
    seeded, client, mailoutbox
):
    """The demo mentor's open question was reminded once, and the reminders page lists it."""
    from reminders.models import Reminder

    mentor = User.objects.get(email="mentor@example.org")
    (reminder,) = Reminder.objects.filter(kind="fit_check_due", recipient=mentor)
    assert reminder.sent_at is not None and reminder.skipped == ""
    assert reminder.subject_key.endswith(":mentor:first")
    from accounts.tests.factories import with_totp

    client.force_login(with_totp(User.objects.get(email="coordinator@example.org")))
    response = client.get(reverse("reminders:log", args=[PROGRAM_SLUG]))
    assert response.status_code == 200
    row = f"<tr><td>How is the match going?</td><td>{mentor.name}</td>"
    assert row in response.content.decode()
    # Seeded again: nothing more.
    before = set(Reminder.objects.filter(kind="fit_check_due").values_list("pk", "sent_at"))
    demo.seed()
    assert set(Reminder.objects.filter(kind="fit_check_due").values_list("pk", "sent_at")) == before
