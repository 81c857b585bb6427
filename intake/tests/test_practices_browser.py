"""In a browser, axe-checked at desktop and phone width: a coordinator keys in a paper
application (an error first, nothing lost, then saved), and a visitor reads past
participants' words on the open program's page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.testing import assert_accessible
from evaluation import services as evaluation_services
from intake.models import Application
from programs.models import Participant, Program
from programs.tests.factories import ParticipantFactory, ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_coordinator_keys_in_a_paper_application(page_as, open_program, answers, viewport):
    page = page_as("coordinator", viewport=viewport)
    page.goto(reverse("intake:review", args=[open_program.slug]))
    page.get_by_role("link", name="Key in a paper application").click()
    expect(page.get_by_role("heading", name="Key in a paper application")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Applicant's e-mail address").fill("rosa.worker@example.org")
    page.get_by_label("Mentee", exact=True).check()
    page.get_by_label(re.compile("Why do you want to take part")).fill(answers["essay"])
    page.get_by_role("button", name="Save the application as submitted").click()
    expect(page.get_by_role("heading", name="Please correct the following:").first).to_be_visible()
    assert_accessible(page)
    assert (
        page.get_by_label(re.compile("Why do you want to take part")).input_value()
        == (answers["essay"])
    )
    page.get_by_label("Applicant's full name").fill("Rosa Worker")
    page.get_by_label(re.compile("What goals would you like")).fill(answers["goals"])
    page.get_by_label(re.compile("What is your role in the union")).fill("Member")
    page.get_by_label(re.compile("Your local and unit")).fill("Local 2009")
    page.get_by_label("I am new to union activism").check()
    page.get_by_label("Evenings").check()
    page.get_by_label("Either").check()
    page.get_by_label(re.compile("The applicant ticked")).check()
    page.get_by_role("button", name="Save the application as submitted").click()
    expect(page.get_by_text(re.compile("Handed in on paper; keyed in by Alice"))).to_be_visible()
    assert_accessible(page)
    assert Application.objects.get().keyed_in_at is not None


def test_a_visitor_reads_past_participants_on_the_open_programs_page(page_as, open_program, cast):
    past = ProgramFactory(name="2024 Mentorship Program", status=Program.Status.CLOSED)
    participant = ParticipantFactory(
        program=past, role=Participant.Role.MENTEE, user__name="Rosa Parks"
    )
    testimonial = evaluation_services.testimonial_save(
        participant=participant, text="It made me run for steward.", show_name=True, consent=True
    )
    evaluation_services.testimonial_review(
        testimonial=testimonial, by=cast.coordinator, approve=True
    )
    for role, viewport in (("anonymous", "phone"), ("member", "desktop")):
        page = page_as(role, viewport=viewport)
        page.goto(reverse("programs:detail", args=[open_program.slug]))
        expect(page.get_by_role("heading", name="What past participants say")).to_be_visible()
        expect(page.get_by_text("It made me run for steward.")).to_be_visible()
        assert_accessible(page)
