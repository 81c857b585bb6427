"""Remind everyone missing a survey from the dashboard, in a real browser: clicks counted."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.models import OutboxMessage
from core.testing import assert_accessible
from programs.tests.factories import ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOST_CLICKS = 4  # issue 18: "remind everyone missing a survey", at most 4 clicks


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth"), f"{page.url} scrolls sideways: {width}px"


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_remind_everyone_missing_a_survey_from_the_dashboard(page_as, cast, viewport):
    ParticipantFactory.create_batch(3, program=cast.program)
    page = page_as("coordinator", viewport=viewport)
    if viewport == "phone":
        page.set_viewport_size({"width": 360, "height": 740})
    clicks = 0

    def click(locator) -> None:
        nonlocal clicks
        locator.click()
        clicks += 1

    page.goto(reverse("dashboard:home"))
    click(page.get_by_role("link", name="Surveys missing", exact=True).first)
    expect(page.get_by_role("heading", name="Surveys missing")).to_be_visible()
    no_sideways_scroll(page)
    click(page.get_by_role("link", name="Remind everyone on this list"))
    expect(page.get_by_role("heading", name="Remind everyone missing a survey")).to_be_visible()
    for name in ("Eddie Mentee", "Mona Mentor"):
        expect(page.get_by_label(f"{name}: Survey not started", exact=False)).to_be_checked()
    no_sideways_scroll(page)
    assert_accessible(page)
    click(page.get_by_role("button", name="Send the reminders"))
    expect(page.get_by_text("Reminded 5 members.")).to_be_visible()
    expect(page.get_by_role("heading", name="Surveys missing")).to_be_visible()
    expect(page.get_by_text("Reminded on").first).to_be_visible()
    assert page.get_by_text("Not reminded yet").count() == 0
    assert OutboxMessage.objects.count() == 5
    print(f"\nClicks from the dashboard to everyone missing a survey reminded: {clicks}")
    assert clicks <= MOST_CLICKS
    assert_accessible(page)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_reminders_page_says_what_is_due_and_that_nothing_sends_by_itself(page_as, cast, viewport):
    page = page_as("coordinator", viewport=viewport)
    if viewport == "phone":
        page.set_viewport_size({"width": 360, "height": 740})
    page.goto(reverse("reminders:log", args=[cast.program.slug]))
    expect(page.get_by_role("heading", name="Automatic reminders")).to_be_visible()
    expect(page.get_by_text("Not running: no automatic check has run yet.")).to_be_visible()
    # The cast joined today: their surveys fall due within the fortnight.
    expect(page.get_by_role("heading", name="Due in the next 14 days")).to_be_visible()
    expect(page.get_by_role("heading", name="Survey to fill in (2)")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name="Remind everyone missing a survey").click()
    page.get_by_label("Eddie Mentee: Survey not started", exact=False).uncheck()
    page.get_by_role("button", name="Send the reminders").click()
    expect(page.get_by_text("Reminded 1 member.")).to_be_visible()
    expect(page.get_by_role("heading", name="Reminders", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Mona Mentor")).to_be_visible()


def test_completion_page_single_reminder_comes_back_to_the_row(page_as, cast):
    # Mona comes among other mentors, down the list, on a page of the filtered list.
    for name in ("Aaron", "Abby", "Adam", "Alma", "Ann", "Avi", "Bea", "Ben", "Cal", "Dee"):
        ParticipantFactory(program=cast.program, role="mentor", user__name=f"{name} Mentor")
    page = page_as("coordinator", viewport="phone")
    page.set_viewport_size({"width": 360, "height": 740})
    completion = reverse("surveys:completion", args=[cast.program.slug]) + "?role=mentor"
    page.goto(completion)
    expect(page.get_by_role("link", name="Remind everyone missing a survey (12)")).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_role("button", name="Send a reminder Mona Mentor").click()
    expect(page.get_by_text("A reminder was sent to Mona Mentor.")).to_be_visible()
    # Back on the filtered list, at Mona's row, which now says when she was reminded.
    assert page.url.endswith(f"{completion}#participant-{cast.mentor_participant.pk}")
    row = page.locator(f"#participant-{cast.mentor_participant.pk}")
    expect(row).to_be_in_viewport()
    expect(row.get_by_role("cell").nth(4)).not_to_have_text("—")
    assert_accessible(page)
