"""A coordinator's change appears on the Activity page, in a real browser, with axe checks."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.testing import assert_accessible
from programs.activity import record_activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_coordinators_change_is_on_the_activity_page(page_as, cast, viewport):
    record_activity(
        actor_id=cast.coordinator.pk,
        program_id=cast.program.pk,
        action="matching:publish",
        target={"slug": cast.program.slug},
        changes=[{"model": "matching.match", "operation": "changed", "fields": ["status"]}],
        at=timezone.now() - datetime.timedelta(days=3),
    )
    page = page_as("coordinator", viewport=viewport)
    page.goto(cast.program.get_absolute_url())
    page.get_by_role("button", name="Start closing").click()
    expect(page.get_by_text("is now: Closing")).to_be_visible()

    page.get_by_role("link", name="Activity").click()
    expect(page.get_by_role("heading", name="Activity", level=1)).to_be_visible()
    rows = page.locator("[data-entry]:visible")  # a table, or one block each on phones
    expect(rows).to_have_count(2)
    newest = rows.first
    expect(newest.get_by_text("Changed the program's status")).to_be_visible()
    expect(newest.get_by_text("Alice Coordinator")).to_be_visible()
    expect(newest.get_by_text("changed: status")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Action").select_option(label="Published matches")
    page.get_by_role("button", name="Filter").click()
    shown = page.locator("[data-entry]:visible")
    expect(shown).to_have_count(1)
    expect(shown.get_by_text("Published matches")).to_be_visible()
    expect(page.get_by_role("link", name="Download as CSV")).to_be_visible()
    assert_accessible(page)
