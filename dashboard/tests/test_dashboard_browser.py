"""The dashboard in a real browser: from a number to its list, on a desktop and a phone."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.testing import assert_accessible
from intake.tests.factories import ApplicationFactory
from matching.models import Match
from matching.tests.factories import MatchFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_goes_from_a_number_to_the_people_behind_it(page_as, cast):
    ApplicationFactory(program=cast.program, status="submitted", applicant__name="Ana Applicant")
    MatchFactory(
        program=cast.program,
        status=Match.Status.ACTIVE,
        started_at=timezone.now() - datetime.timedelta(days=60),
    )
    page = page_as("coordinator")
    page.goto("/")  # a coordinator's home is the dashboard
    expect(page.get_by_role("heading", name="Coordinator dashboard", level=1)).to_be_visible()
    quiet = page.get_by_role("link", name="Pairs with no meeting in 30 days", exact=True)
    expect(quiet).to_be_visible()
    expect(page.get_by_role("link", name="1 Pairs with no meeting in 30 days")).to_be_visible()
    assert_accessible(page)
    # One program's waiting applications open its review list, ready to decide in bulk.
    page.get_by_role("link", name="Applications waiting").first.click()
    expect(page.get_by_role("heading", name="Applications", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Ana Applicant", exact=True)).to_be_visible()
    expect(page.get_by_label("Status")).to_have_value("submitted")


def test_the_program_dashboard_on_a_phone(page_as, cast):
    page = page_as("coordinator", viewport="phone")
    page.goto(reverse("dashboard:program", args=[cast.program.slug]))
    expect(page.get_by_role("heading", name=f"Dashboard: {cast.program.name}")).to_be_visible()
    expect(page.get_by_role("figure", name="Pipeline: people at each step")).to_be_visible()
    assert_accessible(page)
