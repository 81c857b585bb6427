"""A coordinator keys in a mentee's mentor wishes from the paper survey, in a browser at
desktop and phone width, axe on each page: from the survey's key-in page to the wishes, a
mistake kept on the form, then saved."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.testing import assert_accessible, assert_fits_width
from matching.models import Preference
from matching.tests.factories import add_mentor
from programs.models import Program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page) -> None:
    assert_accessible(page)
    if page.viewport_size["width"] < 400:
        assert_fits_width(page)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_coordinator_keys_in_the_mentor_wishes_from_the_paper_form(page_as, cast, viewport):
    program = cast.program
    program.status = Program.Status.MATCHING
    program.save(update_fields=["status"])
    add_mentor(program, "Rosa Example")
    mentee = cast.mentee_participant
    page = page_as("coordinator", viewport=viewport)
    page.goto(reverse("surveys:key_in", args=[program.slug, mentee.pk]))
    check(page)
    page.locator("#key-in-wishes").get_by_role(
        "link", name="key in the mentor wishes from the paper form"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Eddie Mentee")
    check(page)

    group = page.get_by_role("group", name="A mentor who shares my race or ethnicity")
    group.get_by_label("Must").check()
    # A mistake: the same mentor twice. Nothing is saved, what was typed stays.
    page.get_by_label("Your first choice").select_option(label="Rosa Example")
    page.get_by_label("Your second choice").select_option(label="Rosa Example")
    page.get_by_role("button", name="Save the mentor wishes").click()
    expect(page.locator("#form-errors")).to_contain_text("Choose each mentor once.")
    expect(group.get_by_label("Must")).to_be_checked()
    check(page)
    assert not Preference.objects.filter(participant=mentee).exists()

    page.get_by_label("Your second choice").select_option(label="No choice")
    page.get_by_role("button", name="Save the mentor wishes").click()
    expect(page.get_by_text("Eddie Mentee's mentor wishes are saved.")).to_be_visible()
    expect(group.get_by_label("Must")).to_be_checked()
    check(page)
    assert set(Preference.objects.filter(participant=mentee).values_list("kind", "strength")) == {
        ("same_race_ethnicity", "must"),
        ("specific_mentor", "nice"),
    }
    page.get_by_role("link", name="Back to the survey").click()
    expect(
        page.get_by_role("link", name="Key in the mentor wishes from the paper form")
    ).to_be_visible()
