"""A mentee and a mentor fill in their surveys; the coordinator follows completion."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.testing import assert_accessible
from surveys.models import Survey
from surveys.questions import MENTEE_QUESTIONS, MENTOR_QUESTIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill(page, questions, skip=()):
    for question in questions:
        if question.key not in skip:
            page.get_by_label(re.compile(re.escape(str(question.text)))).fill(
                f"Answer: {question.key}"
            )


def test_mentee_and_mentor_fill_in_their_surveys(page_as, cast):
    mentee = page_as("mentee", viewport="phone")
    mentee.goto(reverse("accounts:forms"))
    assert_accessible(mentee)
    mentee.get_by_role("link", name="Mentee survey").click()
    expect(mentee.get_by_text("0 of 6 questions answered")).to_be_visible()
    assert_accessible(mentee)
    fill(mentee, MENTEE_QUESTIONS[:2])
    mentee.get_by_role("button", name="Save and finish later").click()
    expect(mentee.get_by_text("2 of 6 questions answered")).to_be_visible()
    fill(mentee, MENTEE_QUESTIONS, skip=("strengths",))
    mentee.get_by_label("Phone").fill("604-555")
    mentee.get_by_role("button", name="Submit my survey").click()
    expect(mentee.get_by_text("Please correct the following:")).to_be_visible()
    assert_accessible(mentee)
    assert (
        mentee.get_by_label(re.compile("Additional comments")).input_value() == "Answer: comments"
    )
    mentee.get_by_label(re.compile("two or three of your strengths")).fill("Patience; listening")
    mentee.get_by_label("Phone").fill("604-555-0123")
    mentee.get_by_label(re.compile("Local union")).fill("Local 2009")
    mentee.get_by_label(re.compile("Role in the union")).fill("Member")
    mentee.get_by_label("Prefer not to say").first.check()
    mentee.get_by_role("button", name="Submit my survey").click()
    expect(mentee.get_by_text("Thank you: your survey is submitted.")).to_be_visible()
    assert_accessible(mentee)

    mentor = page_as("mentor")
    mentor.goto(reverse("surveys:mine", args=[cast.program.slug]))
    fill(mentor, MENTOR_QUESTIONS)
    mentor.get_by_label(re.compile("Local union")).fill("Local 2009")
    mentor.get_by_label(re.compile("Role in the union")).fill("Chief steward")
    mentor.get_by_role("button", name="Submit my survey").click()
    expect(mentor.get_by_text("Thank you: your survey is submitted.")).to_be_visible()
    assert Survey.objects.filter(status="submitted").count() == 2

    coordinator = page_as("coordinator")
    coordinator.goto(reverse("surveys:completion", args=[cast.program.slug]))
    expect(coordinator.get_by_text("2 submitted, 0 in progress, 0 not started.")).to_be_visible()
    assert_accessible(coordinator)
    coordinator.get_by_role("link", name="Eddie Mentee", exact=True).click()
    expect(coordinator.get_by_role("heading", name="Personal information")).to_be_visible()
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="Reopen for changes").click()
    expect(
        coordinator.get_by_text("Eddie Mentee's survey is open again for changes.")
    ).to_be_visible()


def test_profile_pages(page_as):
    page = page_as("member", viewport="phone")
    page.goto(reverse("accounts:profile"))
    assert_accessible(page)
    page.get_by_label("Date of birth").fill("2999-01-01")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("The date of birth cannot be in the future.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Delete my profile data").click()
    assert_accessible(page)
