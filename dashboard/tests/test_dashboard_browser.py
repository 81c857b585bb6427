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


NARROW = {"width": 360, "height": 740}


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth"), f"{page.url} is {width} px wide"


def funnel_data(cast) -> None:
    """Three programs in the pipeline and a large closed one folded away."""
    from intake.tests.factories import ApplicationFactory as Applications
    from programs.tests.factories import ParticipantFactory, ProgramFactory

    for name in ("A Fairly Long Program Name 2026", "Second Cohort Of The Year"):
        program = ProgramFactory(name=name, coordinators=[cast.coordinator], status="running")
        for _ in range(3):
            applied = Applications(program=program, status="accepted")
            ParticipantFactory(program=program, user=applied.applicant)
    closed = ProgramFactory(name="Closed Cohort", coordinators=[cast.coordinator], status="closed")
    for _ in range(12):
        applied = Applications(program=closed, status="accepted")
        ParticipantFactory(program=closed, user=applied.applicant)


@pytest.mark.parametrize("viewport", ["desktop", "narrow"])
def test_the_dashboard_reads_at_a_glance_on_a_desktop_and_at_360_px(page_as, cast, viewport):
    funnel_data(cast)
    page = page_as("coordinator")
    if viewport == "narrow":
        page.set_viewport_size(NARROW)
    page.goto(reverse("dashboard:home"))
    funnel = page.get_by_role("figure", name="Pipeline: people at each step").first
    expect(funnel).to_be_visible()
    expect(funnel.get_by_role("columnheader", name="Second Cohort Of The Year")).to_be_visible()
    expect(funnel.get_by_role("columnheader", name="Closed Cohort")).to_have_count(0)
    expect(page.get_by_text("Closed program (1)")).to_be_visible()
    expect(
        page.get_by_text("No lost-time hours recorded in the last twelve months.")
    ).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    # The closed program is one click away, in a funnel of its own.
    page.get_by_text("Closed program (1)").click()
    closed = page.get_by_role("region", name="Pipeline: people at each step").nth(1)
    expect(closed.get_by_role("columnheader", name="Closed Cohort")).to_be_visible()
    expect(closed.get_by_role("link", name="12 Accepted, Closed Cohort")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    # Each number opens its list, for its program alone.
    closed.get_by_role("link", name="12 Accepted, Closed Cohort").click()
    expect(page.get_by_role("heading", name="Accepted", level=1)).to_be_visible()
    expect(page.get_by_text("12 people")).to_be_visible()


def test_the_program_dashboard_on_a_phone(page_as, cast):
    page = page_as("coordinator", viewport="phone")
    page.set_viewport_size(NARROW)
    page.goto(reverse("dashboard:program", args=[cast.program.slug]))
    expect(page.get_by_role("heading", name=f"Dashboard: {cast.program.name}")).to_be_visible()
    expect(page.get_by_role("figure", name="Pipeline: people at each step")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
