"""The mentor database in a real browser, axe-checked: stepping up, and searching it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Profile
from core.testing import assert_accessible
from matching.models import MentorProfile
from matching.tests.factories import MentorProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BACKGROUND = "Lab technician at the Kamloops site; shop steward for six years."


def test_a_member_steps_up_as_a_mentor_on_a_phone(page_as, cast):
    Profile.objects.create(user=cast.member, languages=["Polish"], region="Kamloops")
    page = page_as("member", viewport="phone")
    page.goto(reverse("accounts:home"))
    page.get_by_role("link", name="My mentor profile").click()
    expect(page.get_by_role("heading", name="Step up as a mentor")).to_be_visible()
    expect(page.get_by_text("Polish")).to_be_visible()
    assert_accessible(page)

    assert page.get_by_label("Yes, I am a member of this union").is_checked()
    assert page.get_by_label("How many mentees could you take on at once?").input_value() == "1"
    assert page.get_by_label("I am available to mentor now").is_checked()

    # A first try with mistakes: the errors are listed, and nothing typed is lost.
    page.get_by_label("Your background").fill(BACKGROUND)
    page.get_by_label("Your interests").fill("Health and safety committees.")
    page.get_by_label("How many mentees could you take on at once?").fill("7")
    page.get_by_role("button", name="Step up as a mentor").click()
    summary = page.locator("#form-errors")
    expect(summary.get_by_text("Choose from 1 to 5 mentees at once.")).to_be_visible()
    expect(summary.get_by_text("Choose at least one skill you can pass on.")).to_be_visible()
    assert page.get_by_label("Your background").input_value() == BACKGROUND
    assert page.title().startswith("Error:")
    assert_accessible(page)

    page.get_by_label("Your union and mentoring experience").fill("Joint OH&S committee.")
    page.get_by_label("Health and safety", exact=True).check()
    page.get_by_label("Member education").check()
    page.get_by_label("No, I would be an external mentor").check()
    page.get_by_label("How many mentees could you take on at once?").fill("2")
    page.get_by_label("Weekends").check()
    expect(
        summary.get_by_text("Choose whether other programs' coordinators may find you.")
    ).to_be_visible()
    page.get_by_label("No, only the coordinators of my own programs").check()
    page.get_by_role("button", name="Step up as a mentor").click()
    expect(page.get_by_text("Thank you for stepping up as a mentor.")).to_be_visible()
    expect(page.get_by_role("heading", name="My mentor profile")).to_be_visible()
    expect(page.get_by_text("Last updated")).to_be_visible()
    assert_accessible(page)
    saved = MentorProfile.objects.get(user=cast.member)
    assert saved.skills == ["health_safety", "member_education"]
    assert (saved.internal, saved.capacity, saved.availability) == (False, 2, ["weekends"])
    assert saved.findable_by_other_programs is False

    page.get_by_role("button", name="Still up to date").click()
    expect(page.get_by_text("your mentor profile is marked as up to date")).to_be_visible()


def test_a_coordinator_searches_filters_and_opens_a_mentor(page_as, cast):
    people = [
        ("Harjit Sandhu", ["Punjabi"], "Lower Mainland", ["bargaining", "grievances"], True),
        ("Louise Gagnon", ["Français"], "Prince George", ["health_safety"], True),
        ("Dwayne Clarke", [], "Kamloops", ["bargaining"], False),
    ]
    for name, languages, region, skills, available in people:
        mentor_profile = MentorProfileFactory(
            user__name=name,
            skills=skills,
            available=available,
            background=f"{name.split()[0]} has been a steward for ten years.",
        )
        Profile.objects.create(user=mentor_profile.user, languages=languages, region=region)

    page = page_as("coordinator")
    page.goto(reverse("accounts:home"))
    page.get_by_role("button", name="Coordination").click()  # the navigation's menu
    page.get_by_role("link", name="Mentor database").click()
    expect(page.get_by_role("heading", name="Mentor database")).to_be_visible()
    expect(
        page.get_by_role("row", name="Mona Mentor").get_by_text("Not filled in yet")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Search", exact=True).fill("steward")
    page.get_by_label("Skill", exact=True).select_option(label="Bargaining")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("2 mentors")).to_be_visible()
    page.get_by_label("Available now only").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 mentor", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Harjit Sandhu")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_label("Speaks").fill("FRAN")
    page.get_by_label("Region", exact=True).select_option("Prince George")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 mentor", exact=True)).to_be_visible()
    page.get_by_role("link", name="Louise Gagnon").click()
    expect(page.get_by_role("heading", name="Louise Gagnon")).to_be_visible()
    expect(page.get_by_text("Louise has been a steward for ten years.")).to_be_visible()
    expect(page.get_by_text("Français")).to_be_visible()
    assert_accessible(page)

    page.goto(reverse("matching:mentor_database") + "?q=nobody-by-this-name")
    expect(page.get_by_text("No mentor matches these filters.")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_another_programs_coordinator_sees_an_opted_in_mentor_without_phone(
    page_as, cast, viewport
):
    mentor_profile = MentorProfileFactory(
        user__name="Olga Othermentor", background=BACKGROUND, findable_by_other_programs=True
    )
    Profile.objects.create(
        user=mentor_profile.user, phone="250-555-0177", contact_email="olga@example.net"
    )
    page = page_as("other_coordinator", viewport=viewport)
    page.goto(reverse("matching:mentor_database"))
    expect(page.get_by_role("link", name="Olga Othermentor")).to_be_visible()
    # The cast's mentor mentors in another program and never said yes: not found here.
    expect(page.get_by_role("link", name="Mona Mentor")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Olga Othermentor").click()
    expect(page.get_by_text(BACKGROUND)).to_be_visible()
    expect(page.get_by_role("link", name="olga@example.net")).to_be_visible()
    expect(
        page.get_by_text("agreed to be found by the coordinators of other programs")
    ).to_be_visible()
    expect(page.get_by_text("250-555-0177")).to_have_count(0)
    assert_accessible(page)
