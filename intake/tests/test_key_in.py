"""A coordinator keys in a paper application (the blank form says "hand it to your
program's coordinator"): for a member or a new one, saved as submitted and marked as keyed
in by that coordinator, with clear refusals that lose nothing and no double saves."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from intake import services
from intake.models import Application
from intake.tests.factories import ApplicationFactory
from programs.models import ActivityEntry, Program

pytestmark = pytest.mark.django_db


def paper(**changes) -> dict:
    data = {
        "email": "Rosa.Worker@Example.org",
        "name": "Rosa Worker",
        "language": "fr",
        "role": "mentee",
        "essay": "Je veux apprendre à défendre mes collègues.",
        "goals": "Devenir déléguée.",
        "union_role": "Membre",
        "local_unit": "Local 2009, Unit 4",
        "experience": "first_time",
        "availability": ["evenings"],
        "preferred_delivery": "either",
        "lost_time_release": "not_sure",
        "privacy_consent": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def url(program) -> str:
    return reverse("intake:key_in", args=[program.slug])


def test_a_new_member_is_made_and_the_application_saved_as_submitted(
    open_program, cast, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("coordinator").post(url(open_program), paper())
    application = Application.objects.get()
    assert response["Location"] == reverse(
        "intake:review_detail", args=[open_program.slug, application.pk]
    )
    rosa = application.applicant
    assert (rosa.email, rosa.name, rosa.language) == (
        "rosa.worker@example.org",
        "Rosa Worker",
        "fr",
    )
    assert not rosa.has_usable_password()
    assert EmailAddress.objects.get(user=rosa).verified is False
    assert application.status == Application.Status.SUBMITTED
    assert application.essay == "Je veux apprendre à défendre mes collègues."
    assert application.availability == ["evenings"]
    assert application.keyed_in_by == cast.coordinator
    assert application.keyed_in_at == application.submitted_at
    assert application.privacy_consent_at is not None
    # The applicant is told, in their language.
    assert [m.to for m in mailoutbox] == [["rosa.worker@example.org"]]
    page = client_as("coordinator").get(response["Location"]).content.decode()
    assert "Handed in on paper; keyed in by Alice Coordinator" in page
    assert application.record_code in page
    # On the program's append-only activity record, by URL name.
    assert ActivityEntry.objects.filter(
        program=open_program, actor=cast.coordinator, action="intake:key_in"
    ).exists()


def test_an_existing_member_gets_the_application_and_keeps_their_name(
    open_program, cast, client_as
):
    client_as("coordinator").post(
        url(open_program), paper(email="BOB@example.org", name="", role="mentor")
    )
    application = Application.objects.get()
    assert application.applicant == cast.member and application.role == "mentor"
    cast.member.refresh_from_db()
    assert cast.member.name == "Bob Member" and cast.member.language == "en"
    assert User.objects.count() == 5  # nobody new


def test_a_double_submission_creates_nothing_twice(
    open_program, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_as("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url(open_program), paper())
        second = client.post(url(open_program), paper(), follow=True)
    assert Application.objects.count() == 1
    assert User.objects.filter(email="rosa.worker@example.org").count() == 1
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "already has a submitted application as Mentee: nothing was added." in (
        second.content.decode()
    )
    assert len(mailoutbox) == 1


def test_missing_answers_are_refused_next_to_their_field_and_nothing_is_lost(
    open_program, client_as
):
    response = client_as("coordinator").post(
        url(open_program), paper(goals="", privacy_consent=None, name="")
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Application.objects.exists()
    assert "This answer is needed: ask the applicant if the paper leaves it blank." in page
    assert "Tick this only if the applicant ticked it on paper" in page
    assert "Je veux apprendre à défendre mes collègues." in page
    # Without an account, the name is needed: said next to the name, the rest kept.
    response = client_as("coordinator").post(url(open_program), paper(name=""))
    page = response.content.decode()
    assert "No member has this e-mail address yet: give their name." in page
    assert 'value="rosa.worker@example.org"' in page.lower()
    assert not User.objects.filter(email="rosa.worker@example.org").exists()
    response = client_as("coordinator").post(url(open_program), paper(email="not an address"))
    assert "Enter a valid email address." in response.content.decode()


def test_a_members_own_draft_is_never_replaced(open_program, cast, client_as):
    ApplicationFactory(
        program=open_program,
        applicant=cast.member,
        status=Application.Status.DRAFT,
        submitted_at=None,
        essay="My own words, not finished.",
    )
    response = client_as("coordinator").post(url(open_program), paper(email="bob@example.org"))
    assert "has a draft application as Mentee online" in response.content.decode()
    assert Application.objects.get().essay == "My own words, not finished."


def test_a_closed_account_or_a_program_past_selection_is_refused(open_program, cast, client_as):
    UserFactory(email="gone@example.org", is_active=False)
    response = client_as("coordinator").post(url(open_program), paper(email="gone@example.org"))
    assert "This member&#x27;s account is closed." in response.content.decode()
    open_program.status = Program.Status.RUNNING
    open_program.save(update_fields=["status"])
    assert "can be keyed in while the program is open" in (
        client_as("coordinator").get(url(open_program)).content.decode()
    )
    response = client_as("coordinator").post(url(open_program), paper())
    assert response.status_code == 200 and not Application.objects.exists()


def test_late_paper_is_keyed_in_while_selecting(open_program, cast):
    open_program.status = Program.Status.SELECTING
    open_program.save(update_fields=["status"])
    application, created = services.paper_application_key_in(
        program=open_program,
        by=cast.coordinator,
        email="late@example.org",
        name="Late Applicant",
        language="en",
        role="mentor",
        answers={"essay": "x", "goals": "y"},
        consent=True,
    )
    assert created and application.keyed_in_by == cast.coordinator


def test_only_the_programs_coordinators_key_in(open_program, cast, client_as):
    for role, status in (("mentee", 403), ("mentor", 403), ("member", 404)):
        assert client_as(role).post(url(open_program), paper()).status_code == status, role
    other = client_as("other_coordinator")
    assert other.post(url(open_program), paper()).status_code == 404
    assert not Application.objects.exists()
    assert not User.objects.filter(email="rosa.worker@example.org").exists()


def test_the_review_page_leads_to_it_in_french(open_program, cast, client_as):
    cast.coordinator.language = "fr"
    cast.coordinator.save(update_fields=["language"])
    page = client_as("coordinator").get(reverse("intake:review", args=[open_program.slug]))
    assert url(open_program) in page.content.decode()
    form = client_as("coordinator").get(url(open_program)).content.decode()
    assert "Saisir une candidature papier" in form


def test_the_record_code_written_on_the_paper_finds_the_application(open_program, cast, client_as):
    """The code the success message says to write on the paper leads back to the keyed-in
    application through the forms' record-code search; the page's own rules still apply."""
    client_as("coordinator").post(url(open_program), paper())
    application = Application.objects.get()
    search = reverse("printing:record")
    found = client_as("coordinator").get(search, {"code": application.record_code.lower()})
    assert found["Location"] == reverse(
        "intake:review_detail", args=[open_program.slug, application.pk]
    )
    outsider = client_as("member").get(search, {"code": application.record_code})
    assert client_as("member").get(outsider["Location"]).status_code == 404
    missing = client_as("coordinator").get(search, {"code": "A-999999"}, follow=True)
    assert "No form has this record code" in missing.content.decode()
