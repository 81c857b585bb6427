"""A coordinator cancels a group session in a browser, at desktop and phone width: the
button, the confirmation (a reason first), the message, the session marked cancelled.
Axe on every page."""

import datetime

import pytest
from playwright.sync_api import expect

from core.testing import assert_accessible
from sessions.models import GroupSession
from sessions.tests.factories import GroupSessionFactory, at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_coordinator_cancels_a_group_session(page_as, program, today, viewport):
    session = GroupSessionFactory(
        program=program, title="Bargaining 101", starts_at=at(today + datetime.timedelta(days=4))
    )
    page = page_as("coordinator", viewport=viewport)
    page.goto(session.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Cancel this session").click()
    expect(page.get_by_role("heading", name="Cancel this session")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Cancel this session").click()  # no reason yet
    expect(page.get_by_text("Give a reason for cancelling.").first).to_be_visible()
    assert_accessible(page)  # with the error shown
    assert not GroupSession.objects.get(pk=session.pk).is_cancelled

    page.get_by_label("Why is the session cancelled?").fill("The hall is flooded.")
    page.get_by_role("button", name="Cancel this session").click()
    expect(page.get_by_text("The group session is cancelled.")).to_be_visible()
    expect(page.get_by_text("This session was cancelled on")).to_be_visible()
    expect(page.get_by_role("link", name="Cancel this session")).to_have_count(0)
    assert_accessible(page)
    assert GroupSession.objects.get(pk=session.pk).cancel_reason == "The hall is flooded."

    page.get_by_role("link", name="Group sessions").first.click()
    expect(page.get_by_role("row", name="Bargaining 101")).to_contain_text("Cancelled")
    assert_accessible(page)
