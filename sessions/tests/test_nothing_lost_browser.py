"""Nothing a member types is lost, in a real browser (issue 16, items 2 to 4).

The 3,000-character answer with line breaks is saved, the live counter agrees with the
server, a 58,000-character paste is neither cut nor lost, Enter in an action's box does not
send the half-written record, and "Languages spoken" shows no "[]". Axe on every page, at
desktop and phone width.
"""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Profile
from core.testing import assert_accessible
from sessions.models import SessionRecord
from sessions.tests.factories import MeetingFactory, at
from surveys.models import Survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)
VIEWPORTS = ["desktop", "phone"]

# 3,000 characters on screen; the browser sends 3,049 (each line break as "\r\n").
SEEN = ("A line of my answer, as I typed it in the box, ending here.\n"[-60:] * 49) + "x" * 60
EXPECTATIONS = re.compile("What expectations do you have")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_3000_character_answer_with_line_breaks_is_counted_and_saved(page_as, cast, viewport):
    page = page_as("mentee", viewport=viewport)
    page.goto(reverse("surveys:mine", args=[cast.program.slug]))
    box = page.get_by_label(EXPECTATIONS)
    counter = page.locator("#id_expectations-counter")
    assert counter.inner_text() == "0 of 3,000 characters"
    assert box.get_attribute("maxlength") is None
    box.fill(SEEN)
    assert counter.inner_text() == "3,000 of 3,000 characters"
    assert_accessible(page)
    box.press("End")
    box.press_sequentially("!")
    assert counter.inner_text() == "1 character too many"
    box.press("Backspace")
    assert counter.inner_text() == "3,000 of 3,000 characters"
    page.get_by_role("button", name="Save and finish later").click()
    expect(page.get_by_text("Your answers are saved. You can finish later.")).to_be_visible()
    assert Survey.objects.get(participant__user=cast.mentee).answers["expectations"] == SEEN
    assert page.get_by_label(EXPECTATIONS).input_value() == SEEN
    assert_accessible(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_pasted_essay_is_not_cut_and_the_error_keeps_it(page_as, cast, viewport):
    essay = "word " * 11_599 + "ends."  # 58,000 characters
    assert len(essay) == 58_000
    page = page_as("mentee", viewport=viewport)
    page.goto(reverse("surveys:mine", args=[cast.program.slug]))
    box = page.get_by_label(EXPECTATIONS)
    box.fill(essay)
    assert box.input_value() == essay  # the browser cut nothing
    assert page.locator("#id_expectations-counter").inner_text() == "55,000 characters too many"
    page.get_by_role("button", name="Save and finish later").click()
    expect(page.get_by_text("Nothing is saved yet, not even as a draft")).to_be_visible()
    expect(page.get_by_text("at most 3000 characters (it has 58000)").first).to_be_visible()
    assert page.get_by_label(EXPECTATIONS).input_value() == essay
    assert not Survey.objects.exists()
    assert_accessible(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_enter_in_an_action_box_does_not_send_the_half_written_record(
    page_as, match, today, viewport
):
    meeting = MeetingFactory(match=match, starts_at=at(today - DAY))
    page = page_as("mentor", viewport=viewport)
    page.goto(reverse("sessions:meeting_record", args=[match.program.slug, match.pk, meeting.pk]))
    assert_accessible(page)
    page.get_by_label(re.compile("1. Update")).fill("Eddie read the agreement.")
    page.locator("#id_actions-0-owner").select_option("mentee")
    page.locator("#id_actions-0-due_on").fill((today + 7 * DAY).isoformat())
    action = page.locator("#id_actions-0-description")
    action.fill("Call the steward")
    page.evaluate("window.stillThisPage = true")  # gone if the form were sent
    action.press("Enter")  # a phone's Go key sends the same key
    page.wait_for_timeout(1000)  # time for a navigation, were one to start
    assert page.evaluate("window.stillThisPage") is True
    assert not SessionRecord.objects.exists()
    assert action.input_value() == "Call the steward"
    page.locator("#id_actions_agreements").press("Enter")  # a new line in a text box: fine
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_text("Your draft of the record is saved.")).to_be_visible()
    expect(page.get_by_text("Record in draft")).to_be_visible()
    assert_accessible(page)
    assert SessionRecord.objects.get().status == SessionRecord.Status.DRAFT

    page.get_by_role("link", name="Edit the record").click()
    page.get_by_role("button", name="Record the session").click()
    expect(page.get_by_text("The session is recorded.")).to_be_visible()
    assert SessionRecord.objects.get().is_recorded
    assert SessionRecord.objects.get().actions.get().description == "Call the steward"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_languages_spoken_shows_no_brackets_and_saves_none(page_as, cast, viewport):
    page = page_as("member", viewport=viewport)
    page.goto(reverse("accounts:profile"))
    box = page.get_by_label("Languages spoken other than English")
    assert box.input_value() == ""
    assert_accessible(page)
    page.get_by_role("button", name="Save my profile").click()
    page.wait_for_load_state()
    assert Profile.objects.get(user=cast.member).languages == []
    box = page.get_by_label("Languages spoken other than English")
    box.fill("French, punjabi")
    page.get_by_role("button", name="Save my profile").click()
    page.wait_for_load_state()
    assert Profile.objects.get(user=cast.member).languages == ["French", "Punjabi"]
    assert page.get_by_label("Languages spoken other than English").input_value() == (
        "French, Punjabi"
    )
