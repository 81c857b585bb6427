"""Nothing typed is lost when the log-in ended or the CSRF token is stale (issue 16, item 5).

In a real browser: a mentee types a preparation, the session ends on the server, the
mentee saves, logs in again, is back on the form with the text put back and a notice, and
saves; the draft is then gone from the browser. A stale CSRF token leads to the friendly
page and back to the form with the text. Another member's draft is never put back, a
log-out drops every draft, and the demographic questions are never kept. Axe on the
restored form and on the CSRF page, at desktop and phone width.
"""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from core.testing import assert_accessible
from sessions.models import Preparation
from sessions.tests.factories import MeetingFactory, at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)
VIEWPORTS = ["desktop", "phone"]
TEXT = "I spoke at the unit meeting.\nIt went better than I feared."
NOTICE = re.compile(r"We put back what you typed on .+\. It is not saved yet\.")
SAVE = "Save my preparation"
DRAFTS = "Object.keys(localStorage).filter(k => k.startsWith('mentorship-draft:'))"


@pytest.fixture
def form_url(match, today) -> str:
    meeting = MeetingFactory(match=match, starts_at=at(today + 3 * DAY))
    return reverse("sessions:meeting_preparation", args=[match.program.slug, match.pk, meeting.pk])


def drafts(page) -> dict:
    """This browser's drafts: key → the kept values."""
    return page.evaluate(
        f"Object.fromEntries({DRAFTS}.map(k => [k, JSON.parse(localStorage.getItem(k)).values]))"
    )


def wait_for_drafts(page, present: bool = True) -> None:
    """Poll from the test (wait_for_function would evaluate a string: the CSP forbids it)."""
    for _ in range(50):
        if bool(drafts(page)) == present:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"Drafts never {'appeared' if present else 'went'}: {drafts(page)}")


def type_and_wait_for_the_draft(page, text: str = TEXT) -> None:
    page.locator("#id_tried").fill(text)
    wait_for_drafts(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_save_after_the_session_ended_loses_nothing(
    page_as, cast, form_url, live_server, viewport
):
    page = page_as("mentee", viewport=viewport)
    page.goto(form_url)
    type_and_wait_for_the_draft(page)
    Session.objects.all().delete()  # the log-in ends on the server (idle, another tab)

    page.get_by_role("button", name=SAVE).click()
    expect(
        page.get_by_text(
            "Your session ended. Log in again to continue; what you typed is kept in this browser."
        )
    ).to_be_visible()
    assert not Preparation.objects.exists()
    page.locator("input[name=login]").fill(cast.mentee.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()

    page.wait_for_url(live_server.url + form_url)
    expect(page.get_by_text(NOTICE)).to_be_visible()
    expect(page.locator("#id_tried")).to_have_value(TEXT)
    assert_accessible(page)
    page.get_by_role("button", name=SAVE).click()
    expect(page.get_by_text("Your preparation is saved.")).to_be_visible()
    assert Preparation.objects.get().tried.replace("\r\n", "\n") == TEXT
    assert drafts(page) == {}  # saved: the browser keeps nothing


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_stale_csrf_token_leads_to_the_friendly_page_and_back_with_the_text(
    page_as, form_url, live_server, viewport
):
    page = page_as("mentee", viewport=viewport)
    page.goto(form_url)
    type_and_wait_for_the_draft(page)
    # The token changed under the page (logged in again in another tab, cookie renewed).
    page.context.add_cookies(
        [{"name": settings.CSRF_COOKIE_NAME, "value": "s" * 32, "url": live_server.url}]
    )
    page.get_by_role("button", name=SAVE).click()

    expect(page.get_by_role("heading", level=1, name="This form could not be sent")).to_be_visible()
    expect(page.get_by_text("What you typed is kept in this browser")).to_be_visible()
    assert not Preparation.objects.exists()
    assert_accessible(page)
    page.get_by_role("link", name="Go back to the form").click()

    page.wait_for_url(live_server.url + form_url)
    expect(page.get_by_text(NOTICE)).to_be_visible()
    expect(page.locator("#id_tried")).to_have_value(TEXT)
    page.get_by_role("button", name=SAVE).click()
    expect(page.get_by_text("Your preparation is saved.")).to_be_visible()
    assert drafts(page) == {}


def test_the_back_button_of_the_csrf_page_returns_to_the_text(page_as, form_url, live_server):
    page = page_as("mentee")
    page.goto(form_url)
    type_and_wait_for_the_draft(page)
    page.context.add_cookies(
        [{"name": settings.CSRF_COOKIE_NAME, "value": "s" * 32, "url": live_server.url}]
    )
    page.get_by_role("button", name=SAVE).click()
    page.get_by_role("button", name="Back to the previous page").click()
    page.wait_for_url(live_server.url + form_url)
    expect(page.locator("#id_tried")).to_have_value(TEXT)
    page.get_by_role("button", name=SAVE).click()
    expect(page.get_by_text("Your preparation is saved.")).to_be_visible()


def test_discard_puts_back_what_was_saved_and_forgets_the_draft(page_as, form_url):
    page = page_as("mentee")
    page.goto(form_url)
    type_and_wait_for_the_draft(page)
    page.reload()
    expect(page.get_by_text(NOTICE)).to_be_visible()
    page.get_by_role("button", name="Discard what was put back").click()
    expect(page.get_by_text("Discarded: the form shows what was last saved.")).to_be_visible()
    expect(page.locator("#id_tried")).to_have_value("")
    assert drafts(page) == {}
    page.reload()
    expect(page.locator("#id_tried")).to_have_value("")


def test_a_draft_the_page_already_shows_brings_no_notice(page_as, form_url):
    page = page_as("mentee")
    page.goto(form_url)
    type_and_wait_for_the_draft(page)
    page.locator("#id_tried").fill("")  # typed and undone
    wait_for_drafts(page, present=False)
    page.reload()
    expect(page.locator("#id_tried")).to_have_value("")
    expect(page.locator("[data-draft-notice]")).to_have_count(0)


def test_another_members_draft_is_never_put_back(page_as, cast, live_server):
    """A shared computer: the mentee's log-in ends, the mentor logs in on the same browser."""
    page = page_as("mentee")
    profile = reverse("accounts:profile")
    page.goto(profile)
    page.get_by_label("Phone").fill("555-0100 (Eddie's)")
    wait_for_drafts(page)
    client = Client()
    client.force_login(cast.mentor)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(profile)
    expect(page.get_by_role("heading", level=1, name="My profile")).to_be_visible()
    expect(page.get_by_label("Phone")).not_to_have_value("555-0100 (Eddie's)")
    expect(page.locator("[data-draft-notice]")).to_have_count(0)
    assert len(drafts(page)) == 1  # Eddie's, still his alone (dropped when he logs out)


def test_logging_out_drops_every_draft_of_the_browser(page_as, form_url):
    page = page_as("mentee")
    page.goto(form_url)
    type_and_wait_for_the_draft(page)
    page.evaluate(  # another member's draft, from before
        "localStorage.setItem('mentorship-draft:other:/x/#1',"
        " JSON.stringify({v: 1, savedAt: Date.now(), values: {a: ['b']}}))"
    )
    page.goto(reverse("accounts:home"))
    assert len(drafts(page)) == 2
    page.get_by_role("button", name="Account").click()  # the navigation's account menu
    page.get_by_role("button", name="Log out").first.click()
    expect(page.get_by_text("You have logged out.")).to_be_visible()
    assert drafts(page) == {}


def test_old_drafts_are_dropped_unseen(page_as, form_url):
    page = page_as("mentee")
    page.goto(form_url)
    type_and_wait_for_the_draft(page)
    key = next(iter(drafts(page)))
    page.evaluate(
        "key => localStorage.setItem(key, JSON.stringify({v: 1,"
        " savedAt: Date.now() - 15 * 24 * 3600 * 1000, values: {tried: ['Long ago']}}))",
        key,
    )
    page.reload()
    expect(page.locator("#id_tried")).to_have_value("")
    assert drafts(page) == {}


def test_the_demographic_questions_are_never_kept(page_as):
    page = page_as("mentee")
    page.goto(reverse("accounts:profile"))
    page.get_by_label("Phone").fill("555-0100")
    page.locator("#id_gender_self_described").fill("A private answer")
    wait_for_drafts(page)
    page.locator("#id_gender_self_described").press("End")
    page.wait_for_timeout(600)  # past the draft's pause
    (values,) = drafts(page).values()
    assert values["phone"] == ["555-0100"]
    assert not {"gender", "gender_self_described", "date_of_birth", "race_ethnicity"} & set(values)
    assert "A private answer" not in json.dumps(drafts(page))
