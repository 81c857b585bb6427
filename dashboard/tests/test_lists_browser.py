"""A dashboard list in a real browser: search, filter, axe-checked, on a desktop and a phone."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.testing import assert_accessible
from dashboard.tests.helpers import accepted
from matching.tests.factories import MatchFactory
from programs.tests.factories import ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_searches_and_filters_a_list(page_as, cast):
    ParticipantFactory(
        program=cast.other_program, user__name="Olga Outsider", user__email="olga@example.org"
    )
    # "Accepted" counts those taken in through an accepted application (the funnel's step).
    accepted(cast.mentee_participant)
    accepted(cast.mentor_participant)
    page = page_as("coordinator")
    page.goto(reverse("dashboard:list", args=["accepted"]))
    expect(page.get_by_role("heading", name="Accepted")).to_be_visible()
    table = page.get_by_role("table", name="Accepted")
    expect(table.get_by_role("cell", name="Eddie Mentee", exact=True)).to_be_visible()
    expect(table.get_by_role("cell", name="Mona Mentor", exact=True)).to_be_visible()
    expect(page.get_by_text("Olga Outsider")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Search by name or e-mail").fill("EDDIE")
    page.get_by_role("button", name="Filter").click()
    # After a click the next page may still be loading: expect() waits for it, is_visible()
    # would not (seen failing under CI's load).
    expect(page.get_by_text("1 person")).to_be_visible()
    expect(table.get_by_role("cell", name="Eddie Mentee", exact=True)).to_be_visible()
    expect(table.get_by_role("cell", name="Mona Mentor", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="People page for Eddie Mentee")).to_be_visible()

    page.get_by_label("Search by name or e-mail").fill("")
    page.get_by_label("Role").select_option("mentor")
    page.get_by_label("Program").select_option(cast.program.slug)
    page.get_by_role("button", name="Filter").click()
    expect(table.get_by_role("cell", name="Mona Mentor", exact=True)).to_be_visible()
    expect(table.get_by_role("cell", name="Eddie Mentee", exact=True)).to_have_count(0)
    csv_link = page.get_by_role("link", name="Download as CSV")
    assert "role=mentor" in csv_link.get_attribute("href")
    expect(page.get_by_role("link", name=f"Dashboard: {cast.program.name}")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Search by name or e-mail").fill("nobody here")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("Nothing on this list matches these filters.")).to_be_visible()
    assert_accessible(page)


def test_pairs_needing_attention_on_a_phone(page_as, cast):
    mentee = cast.program.participants.get(user=cast.mentee)
    mentor = cast.program.participants.get(user=cast.mentor)
    started = timezone.now() - datetime.timedelta(days=60)
    MatchFactory(
        program=cast.program, mentee=mentee, mentor=mentor, status="active", started_at=started
    )
    page = page_as("coordinator", viewport="phone")
    page.goto(reverse("dashboard:list", args=["worksheet"]))
    expect(page.get_by_role("heading", name="Worksheets not agreed")).to_be_visible()
    expect(page.get_by_text("Help the pair finish")).to_be_visible()
    page.get_by_label("Search by name or e-mail").fill("mona")
    page.get_by_role("button", name="Filter").click()
    link = page.get_by_role("link", name="Worksheet of Eddie Mentee and Mona Mentor")
    expect(link).to_have_count(1)
    assert_accessible(page)
