"""The fit check in a browser, at phone and desktop width: the mentee finds the question on
their home, answers "Not a good fit" with a note (a first try without an answer keeps the
note), and the coordinator finds the pair in Needs attention and ends the match from there.
Axe on every page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.testing import assert_accessible
from matching.models import Match
from sessions.models import FitCheck
from sessions.tests.factories import MeetingFactory, SessionRecordFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "We never manage to meet; could you call me?"


def test_a_mentee_answers_and_the_coordinator_ends_the_match(page_as, cast):
    match = cast.pair()
    meeting = MeetingFactory(match=match, starts_at=timezone.now() - datetime.timedelta(days=2))
    SessionRecordFactory(meeting=meeting)

    mentee = page_as("mentee", viewport="phone")
    mentee.goto(reverse("accounts:home"))
    expect(
        mentee.get_by_role("heading", name="How is your match with Mona Mentor going?")
    ).to_be_visible()
    assert_accessible(mentee)
    mentee.get_by_role("link", name="Answer the question").click()
    expect(mentee.get_by_role("button", name="Send my answer")).to_be_visible()
    assert_accessible(mentee)
    mentee.get_by_label("Anything the coordinators should know? (optional)").fill(NOTE)
    mentee.get_by_role("button", name="Send my answer").click()
    expect(mentee.get_by_text("Choose how the match is going.").first).to_be_visible()
    assert (
        mentee.get_by_label("Anything the coordinators should know? (optional)").input_value()
        == NOTE
    )
    assert_accessible(mentee)  # with the errors shown
    mentee.get_by_label("Not a good fit").check()
    mentee.get_by_role("button", name="Send my answer").click()
    expect(mentee.get_by_text("The program's coordinators have your answer")).to_be_visible()
    expect(
        mentee.get_by_text("Your private answer (After the first meeting): Not a good fit.")
    ).to_be_visible()
    assert_accessible(mentee)
    assert FitCheck.objects.get().note == NOTE

    for viewport in ("phone", "desktop"):
        coordinator = page_as("coordinator", viewport=viewport)
        coordinator.goto(reverse("dashboard:home"))
        coordinator.get_by_role("link", name="Pairs that may not be a good fit", exact=True).click()
        expect(
            coordinator.get_by_role("heading", name="Pairs that may not be a good fit")
        ).to_be_visible()
        assert_accessible(coordinator)
        coordinator.get_by_role("link", name="Pair of Eddie Mentee and Mona Mentor").click()
        expect(coordinator.get_by_text(NOTE)).to_be_visible()
        assert_accessible(coordinator)
    coordinator.get_by_role("link", name="End the match as not a good fit").click()
    expect(coordinator.get_by_label("Not a good fit")).to_be_checked()
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="End the match").click()
    expect(coordinator.get_by_text("has ended")).to_be_visible()
    assert Match.objects.get(pk=match.pk).end_reason == "not_a_good_fit"
