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


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_coordinator_retries_an_undelivered_reminder(page_as, cast, viewport):
    import datetime

    from core.models import OutboxMessage
    from reminders.models import Reminder

    message = OutboxMessage.objects.create(
        to=cast.mentee.email,
        subject="[Mentorship] Your survey",
        text="Please fill in your survey.",
        message_id="<browser@example.org>",
        status=OutboxMessage.Status.FAILED,
        attempts=8,
    )
    Reminder.objects.create(
        kind="survey_due",
        recipient=cast.mentee,
        program=cast.program,
        subject_key=f"survey:{cast.mentee_participant.pk}",
        due_on=datetime.date(2026, 3, 1),
        message=message,
    )
    page = page_as("coordinator", viewport=viewport)
    page.goto(reverse("reminders:log", args=[cast.program.slug]))
    expect(page.get_by_role("heading", name="E-mails not delivered")).to_be_visible()
    expect(page.get_by_text("Not delivered after 8 attempts.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Try again now Eddie Mentee").click()
    expect(page.get_by_text("The e-mail to Eddie Mentee will be sent again now.")).to_be_visible()
    expect(page.get_by_role("heading", name="E-mails not delivered")).to_have_count(0)
    message.refresh_from_db()
    assert message.status == "sent"
    assert_accessible(page)
