"""A mentee gives final feedback and the program evaluation; the coordinator reads the report.

In a real browser, on a phone for the mentee, with axe-core on every page.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.testing import assert_accessible
from evaluation import models, services
from matching.tests.factories import MatchFactory

from .helpers import add_participants, feedback_answers, respond

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def closing(cast):
    """The final sessions: the mentor has given feedback, the evaluation is open."""
    program = cast.program
    program.status = "closing"
    program.save()
    mentee = program.participants.get(user=cast.mentee)
    mentor = program.participants.get(user=cast.mentor)
    match = MatchFactory(program=program, mentee=mentee, mentor=mentor, status="active")
    services.feedback_save(
        match=match,
        author=mentor,
        data=feedback_answers(partner_so_far="You chaired the June meeting with confidence."),
        submit=True,
    )
    services.evaluation_window_open(program=program, by=cast.coordinator)
    respond(add_participants(program, "mentee", 4))
    return match


def test_mentee_gives_feedback_and_evaluation_and_the_coordinator_reads_the_report(
    page_as, cast, closing
):
    page = page_as("mentee", viewport="phone")
    page.goto(reverse("accounts:forms"))
    assert_accessible(page)
    page.get_by_role("link", name="Final feedback with Mona Mentor").click()
    expect(page.get_by_role("heading", name="Mentoring Feedback Form")).to_be_visible()
    expect(page.get_by_text("Mona has submitted their feedback.")).to_be_visible()
    assert_accessible(page)

    # Submitting half a form: the errors are summarised at the top, the answers kept.
    page.get_by_label(re.compile("What worked well during the mentoring")).fill(
        "Meeting right after the membership meeting."
    )
    page.get_by_role("button", name="Submit my feedback").click()
    expect(page.get_by_text("Please correct the following:")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("What did I learn/gain")).fill("How to prepare a grievance.")
    page.get_by_label(re.compile("What did not work as well")).fill("Meeting in the spring.")
    page.get_by_label(re.compile("I felt you were most effective when")).fill(
        "You let me lead the step-one meeting."
    )
    page.get_by_label(re.compile("I feel you could be even more effective if")).fill(
        "We planned the practical work earlier."
    )
    page.get_by_label("Celebrate and complete your relationship").check()
    page.get_by_role("button", name="Submit my feedback").click()
    expect(page.get_by_text("Thank you: your feedback is submitted.")).to_be_visible()
    # Both have submitted: the mentor's words for the mentee are there now.
    expect(page.get_by_text("You chaired the June meeting with confidence.")).to_be_visible()
    assert_accessible(page)

    # The program evaluation, from the forms page.
    page.goto(reverse("accounts:forms"))
    page.get_by_role("link", name="Mentees’ Program Evaluation Form").click()
    expect(page.get_by_text("How your answers stay confidential")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send my evaluation").click()
    expect(page.get_by_text("Please correct the following:")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("1 – extremely helpful").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Helped you learn new skills?").check()
    page.get_by_label("Increased your interest in taking on new leadership positions?").check()
    page.get_by_label("What suggestions do you have for improving the program?").fill(
        "Offer child care at the Saturday classes."
    )
    page.get_by_role("button", name="Send my evaluation").click()
    expect(
        page.get_by_text("Thank you: your evaluation is sent, without your name.")
    ).to_be_visible()
    assert_accessible(page)
    assert models.EvaluationResponse.objects.count() == 5
    assert models.Feedback.objects.filter(status="submitted").count() == 2

    # The coordinator: the pair's choices differ, so the match is theirs to decide.
    coordinator = page_as("coordinator")
    coordinator.goto(reverse("programs:detail", args=[cast.program.slug]))
    coordinator.get_by_role("link", name="Evaluations").click()
    expect(coordinator.get_by_text("Needs your decision")).to_be_visible()
    expect(coordinator.get_by_text("5 of 5 mentees have responded")).to_be_visible()
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="Close the evaluation").click()
    expect(coordinator.get_by_text("The program evaluation is closed.")).to_be_visible()
    coordinator.get_by_role("link", name="Report").first.click()
    expect(
        coordinator.get_by_role("heading", name="Mentees’ Program Evaluation Form")
    ).to_be_visible()
    charts = coordinator.locator("svg[role=img]")
    expect(charts).to_have_count(3)
    expect(coordinator.get_by_text("Based on 5 responses.")).to_be_visible()
    assert_accessible(coordinator)

    # And on a phone, the charts still fit the screen.
    phone = page_as("coordinator", viewport="phone")
    phone.goto(reverse("evaluation:report", args=[cast.program.slug]))
    box = phone.locator("svg[role=img]").first.bounding_box()
    assert box["width"] <= 390
    assert_accessible(phone)
