"""The member's home and program page with the next step first, in a real browser: desktop,
phone, and a 360 × 740 screen with no sideways scroll; the axe check on each."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.testing import assert_accessible
from intake.tests.factories import ApplicationFactory
from programs.models import Program
from sessions.models import ActionItem
from sessions.tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    SessionRecordFactory,
    WorksheetFactory,
)
from surveys.tests.factories import SurveyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)
SCREENS = ["desktop", "phone", "360"]


def open_page(page_as, role: str, screen: str):
    page = page_as(role, viewport="desktop" if screen == "desktop" else "phone")
    if screen == "360":
        page.set_viewport_size({"width": 360, "height": 740})
    return page


def assert_no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{page.url} scrolls sideways at {page.viewport_size}"
    )


def first_after_heading(page) -> str:
    """The `data-next-step` of the element right after <main>'s heading."""
    return page.evaluate(
        "(() => { const h = document.querySelector('main h1');"
        " const next = h && h.nextElementSibling;"
        " return next ? next.getAttribute('data-next-step') || next.tagName : ''; })()"
    )


@pytest.mark.parametrize("screen", SCREENS)
def test_home_leads_with_the_next_step_then_meeting_then_actions(page_as, cast, screen):
    match = cast.pair()
    SurveyFactory(
        participant=cast.mentee_participant, status="submitted", submitted_at=timezone.now()
    )
    WorksheetFactory(match=match, mentee_agreed_at=timezone.now(), mentor_agreed_at=timezone.now())
    past = MeetingFactory(match=match, starts_at=timezone.now() - 3 * DAY)
    action = ActionItemFactory(
        record=SessionRecordFactory(meeting=past), description="Read article 12 of the agreement"
    )
    MeetingFactory(match=match, starts_at=timezone.now() + 2 * DAY)
    page = open_page(page_as, "mentee", screen)
    page.goto(reverse("accounts:home"))
    step = page.get_by_role("region", name="Your next step")
    expect(step).to_contain_text("Prepare for your meeting with Mona Mentor")
    expect(step.get_by_role("link", name="Prepare")).to_be_visible()
    assert first_after_heading(page) == "prepare"
    meeting = page.get_by_role("region", name="Your next meeting")
    expect(meeting.get_by_role("link", name="Add to my calendar (.ics)")).to_be_visible()
    expect(meeting.get_by_role("link", name="Prepare")).to_be_visible()
    actions = page.get_by_role("region", name="Open actions")
    expect(actions).to_contain_text("You, due")
    expect(actions.get_by_role("link", name="1 action is open with Mona Mentor")).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    # Chromium names it "Done : Read…": the hidden words are a separate run of text.
    actions.get_by_role("button", name=re.compile(r"^Done\W+Read article 12")).click()
    expect(page.get_by_text("“Read article 12 of the agreement” is now done.")).to_be_visible()
    expect(page.get_by_role("region", name="Open actions")).to_have_count(0)
    assert page.url.endswith(reverse("accounts:home"))
    action.refresh_from_db()
    assert action.status == ActionItem.Status.DONE


@pytest.mark.parametrize("screen", SCREENS)
def test_applicant_sees_their_status_not_apply_buttons(page_as, cast, screen):
    Program.objects.filter(pk=cast.program.pk).update(status=Program.Status.OPEN)
    ApplicationFactory(program=cast.program, applicant=cast.member, role="mentee")
    page = open_page(page_as, "member", screen)
    page.goto(reverse("accounts:home"))
    expect(page.get_by_role("region", name="Your next step")).to_contain_text(
        "Your application as a mentee is being reviewed"
    )
    assert first_after_heading(page) == "review"
    expect(page.get_by_text("You are not taking part")).to_have_count(0)
    assert_no_sideways_scroll(page)
    assert_accessible(page)

    page.goto(cast.program.get_absolute_url())
    expect(page.get_by_role("region", name="Your next step")).to_contain_text("being reviewed")
    expect(page.get_by_role("link", name="Apply as mentee")).to_have_count(0)
    expect(page.get_by_role("link", name="Apply as a mentor too")).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_accessible(page)
