"""From reading an open program to being accepted, in a real browser, axe-checked."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.testing import assert_accessible
from intake.models import Application
from intake.tests.factories import ApplicationFactory
from programs.models import Participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_signs_up_applies_and_is_accepted(page_as, open_program, mailoutbox, answers):
    # An anonymous visitor reads the open program, on a phone.
    page = page_as("anonymous", viewport="phone")
    page.goto(reverse("programs:list"))
    assert_accessible(page)
    page.get_by_role("link", name=open_program.name).click()
    expect(page.get_by_role("heading", name="Applications are open")).to_be_visible()
    assert_accessible(page)

    # Applying needs an account: sign up from the log-in page, then confirm the address.
    page.get_by_role("link", name="Apply as mentee").click()
    assert "/accounts/login/" in page.url
    page.get_by_role("main").get_by_role("link", name="sign up").click()
    page.get_by_label("Full name").fill("Nadia Benali")
    page.get_by_label("Email").fill("nadia@example.org")
    page.locator("#id_password1").fill("a long union password")
    page.locator("#id_password2").fill("a long union password")
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mailoutbox[-1].body).group(1)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()

    # The application: a draft first, then an error, then the submission.
    page.goto(reverse("intake:apply", args=[open_program.slug, "mentee"]))
    assert_accessible(page)
    page.get_by_label(re.compile("Why do you want to take part")).fill(answers["essay"])
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft has been saved.")).to_be_visible()
    page.get_by_label(re.compile("What goals would you like")).fill(answers["goals"])
    page.get_by_label(re.compile("What is your role in the union")).fill("Member")
    page.get_by_label(re.compile("Your local and unit")).fill("Local 2009")
    page.get_by_label("I am new to union activism").check()
    page.get_by_label("Evenings").check()
    page.get_by_label("Video", exact=True).check()
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_text("Please agree to the privacy notice to submit.").first).to_be_visible()
    assert page.get_by_label(re.compile("Your local and unit")).input_value() == "Local 2009"
    assert_accessible(page)
    page.get_by_label("I have read the privacy notice and agree to it.").check()
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_role("heading", name="My application as a mentee")).to_be_visible()
    assert_accessible(page)
    application = Application.objects.get(applicant__email="nadia@example.org")
    assert application.status == "submitted"

    # The coordinator accepts the application.
    coordinator = page_as("coordinator")
    coordinator.goto(reverse("intake:review", args=[open_program.slug]))
    expect(coordinator.get_by_role("heading", name="Diversity of the class")).to_be_visible()
    assert_accessible(coordinator)
    coordinator.get_by_role("link", name="Nadia Benali").click()
    assert_accessible(coordinator)
    coordinator.get_by_label("Accept").check()
    coordinator.get_by_label("Note to the applicant (optional)").fill("Welcome aboard!")
    coordinator.get_by_role("button", name="Record the decision and tell them").click()
    expect(coordinator.get_by_text("Nadia Benali: Accepted.")).to_be_visible()
    assert Participant.objects.get(user=application.applicant).role == "mentee"
    assert "Welcome aboard!" in mailoutbox[-1].body


def test_nominate_and_withdraw_pages(page_as, open_program, cast):
    page = page_as("mentor")
    page.goto(reverse("intake:nominate", args=[open_program.slug]))
    assert_accessible(page)
    page.get_by_label("Their name").fill("Nadia Benali")
    page.get_by_label("Their e-mail address").fill("nadia@example.org")
    page.get_by_label("Mentee").check()
    page.get_by_label("Why are you nominating them?").fill("She already runs our unit meetings.")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("We sent Nadia Benali an invitation to apply.")).to_be_visible()

    application = ApplicationFactory(program=open_program, applicant=cast.member)
    member = page_as("member")
    member.goto(reverse("intake:my_application", args=[open_program.slug, application.pk]))
    member.get_by_role("link", name="Withdraw my application").click()
    assert_accessible(member)
    member.get_by_role("button", name="Yes, withdraw it").click()
    expect(member.get_by_text("Your application has been withdrawn.")).to_be_visible()

    coordinator = page_as("coordinator")
    coordinator.goto(reverse("intake:nominations", args=[open_program.slug]))
    expect(coordinator.get_by_role("cell", name=re.compile("Nadia Benali"))).to_be_visible()
    assert_accessible(coordinator)
