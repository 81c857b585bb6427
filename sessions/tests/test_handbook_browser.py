"""Issue 20 item 5 (part A) in a browser, at desktop and phone width, axe on each page: the
level of formality set and read, the III.6 responsibilities opened on the worksheet, and the
wish for a mentor who shares one's race or ethnicity stated on the preferences page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.testing import assert_accessible, assert_fits_width
from matching.models import Preference
from programs.models import Program
from sessions.tests.factories import OrientationFactory, WorksheetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = ["desktop", "phone"]


def check(page) -> None:
    assert_accessible(page)
    if page.viewport_size["width"] < 400:
        assert_fits_width(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_coordinator_sets_the_level_of_formality_and_members_read_it(page_as, cast, viewport):
    slug = cast.program.slug
    coordinator = page_as("coordinator", viewport=viewport)
    coordinator.goto(reverse("programs:edit", args=[slug]))
    check(coordinator)
    coordinator.get_by_label("Informal: each pair decides how often and how to meet").check()
    coordinator.get_by_role("button", name="Save").first.click()
    expect(coordinator.locator("#program-formality")).to_contain_text("Informal: each pair decides")
    check(coordinator)
    assert Program.objects.get(pk=cast.program.pk).formality == Program.Formality.INFORMAL

    mentee = page_as("mentee", viewport=viewport)
    mentee.goto(reverse("sessions:orientation", args=[slug]))
    expect(mentee.locator("#formality-note")).to_contain_text("You decide together")
    expect(mentee.get_by_role("heading", name="Roles and responsibilities")).to_be_visible()
    check(mentee)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_worksheet_opens_your_responsibilities(page_as, cast, viewport):
    pair = cast.pair()
    OrientationFactory(program=cast.program)
    WorksheetFactory(match=pair)
    for role in ("mentee", "mentor"):
        page = page_as(role, viewport=viewport)
        page.goto(reverse("sessions:worksheet", args=[cast.program.slug, pair.pk]))
        item = page.get_by_text("Identify political pitfalls.")
        expect(item).to_be_hidden()  # folded until asked for
        check(page)
        page.get_by_text("Your responsibilities").click()
        expect(item).to_be_visible()
        expect(page.get_by_text(f"As a {role}, you are responsible for:")).to_be_visible()
        check(page)
        page.goto(reverse("sessions:worksheet_edit", args=[cast.program.slug, pair.pk]))
        expect(page.locator("#formality-note")).to_be_visible()
        check(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_mentee_asks_for_a_mentor_who_shares_their_race_or_ethnicity(page_as, cast, viewport):
    cast.program.status = Program.Status.MATCHING
    cast.program.save(update_fields=["status"])
    page = page_as("mentee", viewport=viewport)
    page.goto(reverse("surveys:mine", args=[cast.program.slug]))
    check(page)
    page.locator("#mentor-wishes").get_by_role("link", name="My matching preferences").click()
    group = page.get_by_role("group", name="A mentor who shares my race or ethnicity")
    expect(group).to_contain_text("your mentor is never told")
    check(page)
    group.get_by_label("Nice to have").check()
    page.get_by_role("button", name="Save my preferences").click()
    expect(page.get_by_text("Your preferences are saved.")).to_be_visible()
    check(page)
    assert Preference.objects.get(participant=cast.mentee_participant).kind == (
        Preference.Kind.SAME_RACE_ETHNICITY
    )
