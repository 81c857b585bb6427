"""The pair's page and a meeting's page, in a browser at desktop width and on a 360-px
phone: what is next comes first, nothing scrolls sideways, axe passes."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.testing import assert_accessible
from sessions.models import ActionItem
from sessions.tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    PreparationFactory,
    SessionRecordFactory,
    at,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
LONG = "We went through the grievance steps in article 12 and the timelines for each. " * 8


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_next_step_comes_first(page_as, match, today, size):
    held = MeetingFactory(match=match, starts_at=at(today - 2 * DAY))
    PreparationFactory(meeting=held, tried=LONG, want=LONG, questions=LONG)
    record = SessionRecordFactory(meeting=held, update=LONG, focus=LONG, checkin=LONG)
    ActionItemFactory(record=record, description="Draft the grievance letter")
    coming = MeetingFactory(match=match, starts_at=at(today + 3 * DAY))

    page = page_as("mentee")
    page.set_viewport_size(SIZES[size])
    page.goto(reverse("sessions:timeline", args=[match.program.slug, match.pk]))
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    upcoming = page.get_by_role("region", name="Coming up")
    prepare = upcoming.get_by_role("link", name="Prepare for this session")
    expect(prepare).to_be_visible()
    if size == "phone":  # the next step is on the first screen
        assert prepare.bounding_box()["y"] < SIZES["phone"]["height"]
    page.get_by_role("link", name="1 action is open").click()
    open_actions = page.get_by_role("region", name="Open actions")
    expect(open_actions.get_by_text("Draft the grievance letter", exact=True)).to_be_in_viewport()
    open_actions.get_by_role("button", name="Mark done").click()
    expect(page.get_by_text("is now done")).to_be_visible()
    assert page.url.split("#")[0].endswith(
        reverse("sessions:timeline", args=[match.program.slug, match.pk])
    )
    expect(page.get_by_text("No action is open.")).to_be_visible()
    assert ActionItem.objects.get().status == "done"
    assert_accessible(page)

    mentor = page_as("mentor")
    mentor.set_viewport_size(SIZES[size])
    mentor.goto(held.get_absolute_url())
    assert_accessible(mentor)
    assert mentor.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    edit = mentor.get_by_role("link", name="Edit the record")
    expect(edit).to_be_visible()
    # On a phone the record's button is on the first screen, above the long answers.
    assert edit.bounding_box()["y"] < SIZES["phone"]["height"]
    mentor.goto(coming.get_absolute_url())
    assert_accessible(mentor)
    expect(mentor.get_by_role("link", name="Reschedule")).to_be_in_viewport()
