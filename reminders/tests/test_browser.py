"""The coordinator's reminder log in a real browser, axe-checked."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.testing import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_reminds_by_hand_and_reads_the_log(page_as, cast):
    page = page_as("coordinator")
    page.goto(reverse("surveys:completion", args=[cast.program.slug]))
    page.get_by_role("button", name="Send a reminder Eddie Mentee").click()
    expect(page.get_by_text("A reminder was sent to Eddie Mentee.")).to_be_visible()
    page.get_by_role("link", name="Reminders sent Eddie Mentee").click()
    expect(page.get_by_role("heading", name="Reminders sent to Eddie Mentee")).to_be_visible()
    expect(page.get_by_role("cell", name="Survey to fill in").first).to_be_visible()
    assert_accessible(page)


def test_coordinator_changes_when_reminders_go_out(page_as, cast):
    page = page_as("coordinator")
    page.goto(reverse("reminders:log", args=[cast.program.slug]))
    page.get_by_role("link", name="Change when reminders go out").click()
    field = page.get_by_label("Survey not submitted")
    field.fill("0")
    page.get_by_role("button", name="Save the settings").click()
    assert page.get_by_role("alert").get_by_text("greater than or equal to 1").is_visible()
    assert_accessible(page)
    page.get_by_label("Survey not submitted").fill("5")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.get_by_text("The reminder settings are saved.")).to_be_visible()
    assert cast.program.reminder_settings.survey_after_days == 5
