"""The member's data page, account deletion and the retention preview, in a real browser,
at desktop and phone width, with the axe check."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Profile
from accounts.tests.factories import PASSWORD
from core.testing import assert_accessible
from programs.models import Program
from sessions.tests.factories import WorksheetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = ["desktop", "phone"]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_data_page_shows_the_match_and_the_profile(page_as, cast, viewport):
    Profile.objects.create(user=cast.mentee, region="Kamloops\nand Merritt")
    WorksheetFactory(match=cast.pair(), purpose="Learn bargaining")
    page = page_as("mentee", viewport=viewport)
    page.goto(reverse("accounts:my_data"))
    expect(
        page.get_by_role("heading", level=1, name="Everything we keep about you")
    ).to_be_visible()
    matches = page.get_by_role("region", name="Matches")
    expect(matches.get_by_text("Mona Mentor")).to_be_visible()
    expect(page.get_by_role("region", name="Mentoring worksheets")).to_contain_text(
        "Learn bargaining"
    )
    assert_accessible(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_member_deletes_their_account_after_the_password(page_as, cast, viewport):
    page = page_as("member", viewport=viewport)
    page.goto(reverse("accounts:profile"))
    page.get_by_role("link", name="Delete my account").click()
    page.wait_for_url("**" + reverse("account_reauthenticate") + "**")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1, name="Delete your account?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Tick the box to confirm.").first).to_be_visible()
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(
        page.get_by_text("Your account and your personal data have been deleted.")
    ).to_be_visible()
    cast.member.refresh_from_db()
    assert cast.member.name == "Former member" and not cast.member.is_active


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_retention_preview(page_as, cast, viewport):
    Program.objects.filter(pk=cast.program.pk).update(
        status=Program.Status.CLOSED, ends_on=datetime.date(2025, 6, 30)
    )
    page = page_as("coordinator", viewport=viewport)
    page.goto(reverse("dashboard:retention", args=[cast.program.slug]))
    expect(
        page.get_by_role("heading", level=1, name="What will be purged and when")
    ).to_be_visible()
    expect(page.get_by_role("row", name="Application answers")).to_be_visible()
    assert_accessible(page)
