"""Deleting one's account: password first, then a tick; personal data gone, the partner's
records kept as "Former member", counts unchanged, no way back in."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from accounts.tests.factories import PASSWORD, UserFactory, with_totp
from core.mail import mail_member
from core.models import OutboxMessage
from evaluation import models as evaluation_models
from evaluation.models import EvaluationResponse, Feedback
from evaluation.selectors import funnel_people, participation
from intake.models import Application
from intake.tests.factories import ApplicationFactory
from matching.models import Match, MentorProfile
from members.selectors import member_data
from programs.models import Program
from programs.selectors import role_counts
from sessions.models import Goal, SessionRecord, Worksheet
from sessions.tests.factories import MeetingFactory, SessionRecordFactory, WorksheetFactory
from surveys.models import Survey
from surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

DELETE = "accounts:account_delete"


def reauthenticated(user) -> Client:
    client = Client()
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, "the password was not accepted"
    return client


def mentee_with_history(cast):
    """The cast's mentee with something in every place that keeps data about them."""
    mentee = cast.mentee
    Profile.objects.create(user=mentee, phone="604-555-0199", gender="woman")
    MentorProfile.objects.create(user=mentee, background="Eddie's own background")
    ApplicationFactory(
        program=cast.program,
        applicant=mentee,
        role="mentee",
        status=Application.Status.ACCEPTED,
        essay="Eddie's private essay",
    )
    SurveyFactory(
        participant=cast.mentee_participant,
        status=Survey.Status.SUBMITTED,
        submitted_at=timezone.now(),
        answers={"expectations": "Eddie's survey answer"},
    )
    match = cast.pair()
    WorksheetFactory(match=match, purpose="Our shared purpose")
    SessionRecordFactory(meeting=MeetingFactory(match=match), focus="Our shared focus")
    Goal.objects.create(match=match, description="Our shared goal")
    Feedback.objects.create(
        match=match, author=cast.mentee_participant, worked_well="Eddie's feedback"
    )
    evaluation_models.Testimonial.objects.create(
        participant=cast.mentee_participant,
        text="Eddie's testimonial",
        show_name=True,
        consented_at=timezone.now(),
    )
    return match


def test_the_page_asks_for_the_password_first(client_as, cast):
    client = client_as("mentee")
    response = client.get(reverse(DELETE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    # A forged POST without the password again deletes nothing.
    response = client.post(reverse(DELETE), {"confirm": "on"})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    cast.mentee.refresh_from_db()
    assert cast.mentee.is_active and cast.mentee.name == "Eddie Mentee"


def test_after_the_password_a_tick_is_still_needed(cast):
    client = reauthenticated(cast.mentee)
    page = client.get(reverse(DELETE)).content.decode()
    assert "Delete your account?" in page
    response = client.post(reverse(DELETE))
    assert response.status_code == 200 and "Tick the box to confirm." in response.content.decode()
    cast.mentee.refresh_from_db()
    assert cast.mentee.is_active


def test_deleting_erases_the_person_and_keeps_the_pair_and_the_counts(cast):
    match = mentee_with_history(cast)
    EvaluationResponse.objects.create(
        program=cast.program, role="mentee", round=1, helpfulness=1, recommend="yes"
    )
    counts_before = role_counts(cast.program)
    stages_before = participation(funnel_people(cast.program))
    other_session = Client()
    other_session.force_login(cast.mentee)

    client = reauthenticated(cast.mentee)
    response = client.post(reverse(DELETE), {"confirm": "on"}, follow=True)
    assert "Your account and your personal data have been deleted." in response.content.decode()

    user = get_user_model().objects.get(pk=cast.mentee.pk)
    assert user.name == "Former member" and "eddie" not in user.email
    assert not user.is_active and not user.has_usable_password()
    assert not user.emailaddress_set.exists()
    assert not Profile.objects.filter(user=user).exists()
    assert not MentorProfile.objects.filter(user=user).exists()
    assert Application.objects.get(applicant=user).essay == ""
    survey = Survey.objects.get(participant__user=user)
    assert survey.answers == {} and survey.status == Survey.Status.SUBMITTED
    assert Feedback.objects.get(author__user=user).worked_well == ""
    assert not evaluation_models.Testimonial.objects.filter(participant__user=user).exists()
    # The partner's side stays whole.
    assert Match.objects.filter(pk=match.pk, status=Match.Status.ACTIVE).exists()
    assert Worksheet.objects.get(match=match).purpose == "Our shared purpose"
    assert SessionRecord.objects.get(meeting__match=match).focus == "Our shared focus"
    assert Goal.objects.get(match=match).description == "Our shared goal"
    # Counts in reports, and the anonymous evaluations, are unchanged.
    assert role_counts(cast.program) == counts_before
    assert participation(funnel_people(cast.program)) == stages_before
    assert EvaluationResponse.objects.filter(program=cast.program).count() == 1
    # A last e-mail went to the old address, through the outbox.
    assert OutboxMessage.objects.filter(
        to="eddie@example.org", subject__contains="Your account has been deleted"
    ).exists()
    # Logged out here and everywhere; no way back in.
    assert client.get(reverse("accounts:home")).status_code == 302
    assert other_session.get(reverse("accounts:home")).status_code == 302
    assert not Client().login(email="eddie@example.org", password=PASSWORD)
    # Nothing more is written to the placeholder address (a meeting mail, a reminder...).
    written = OutboxMessage.objects.count()
    assert mail_member(user, "account_deleted", {}) is None
    assert OutboxMessage.objects.count() == written


def test_the_partner_pages_still_work_and_show_former_member(client_as, cast):
    match = mentee_with_history(cast)
    reauthenticated(cast.mentee).post(reverse(DELETE), {"confirm": "on"})
    mentor = client_as("mentor")
    for name in ("sessions:timeline", "sessions:worksheet", "sessions:goals"):
        response = mentor.get(reverse(name, args=[cast.program.slug, match.pk]))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "Eddie" not in html, name
    assert (
        "Former member"
        in mentor.get(
            reverse("sessions:timeline", args=[cast.program.slug, match.pk])
        ).content.decode()
    )
    assert member_data(cast.mentor)["matches"][0]["partner"] == "Former member"


def test_nothing_of_theirs_is_in_anyones_download(cast):
    mentee_with_history(cast)
    reauthenticated(cast.mentee).post(reverse(DELETE), {"confirm": "on"})
    for user in get_user_model().objects.all():
        dumped = json.dumps(member_data(user))
        for trace in (
            "Eddie",
            "eddie@example.org",
            "604-555-0199",
            "private essay",
            "survey answer",
            "own background",
        ):
            assert trace not in dumped, (user, trace)


def test_the_only_coordinator_of_a_running_program_is_refused(cast):
    client = reauthenticated(cast.coordinator)
    page = client.get(reverse(DELETE)).content.decode()
    assert "You are the only coordinator of 2026 Mentorship Program" in page
    client.post(reverse(DELETE), {"confirm": "on"})
    cast.coordinator.refresh_from_db()
    assert cast.coordinator.is_active and cast.coordinator.name == "Alice Coordinator"


def test_a_coordinator_with_a_colleague_or_a_closed_program_may_leave(cast):
    colleague = with_totp(UserFactory())
    cast.program.coordinators.add(colleague)
    Program.objects.filter(pk=cast.other_program.pk).update(status=Program.Status.CLOSED)
    cast.other_program.coordinators.add(cast.coordinator)
    reauthenticated(cast.coordinator).post(reverse(DELETE), {"confirm": "on"})
    cast.coordinator.refresh_from_db()
    assert not cast.coordinator.is_active
    assert list(cast.program.coordinators.all()) == [colleague]


def test_the_refusal_shows_a_hostile_program_name_as_text(cast):
    Program.objects.filter(pk=cast.program.pk).update(name="<script>alert(1)</script>")
    page = reauthenticated(cast.coordinator).get(reverse(DELETE)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
