"""A coordinator sets up a program in a real browser, with the axe-core check on each page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.testing import assert_accessible
from programs.models import Program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def next_year(day: date) -> date:
    return day.replace(year=day.year + 1, day=min(day.day, 28 if day.month == 2 else 31))


def test_a_coordinator_creates_a_program_opens_it_and_copies_it(page_as, cast):
    today = timezone.localdate()
    starts, closes = today + timedelta(days=60), today + timedelta(days=30)
    page = page_as("coordinator")
    page.goto(reverse("dashboard:home"))
    page.get_by_role("link", name="New program").click()
    expect(page.get_by_role("heading", name="New program", level=1)).to_be_visible()
    assert_accessible(page)

    page.locator("#id_name").fill("Next Generation Program")
    page.get_by_label("Short name in addresses").fill("next-generation")
    page.get_by_label("Year").fill(str(starts.year))
    page.get_by_label("Goals and objectives").fill("More members ready to lead.")
    page.get_by_label("Program starts").fill(starts.isoformat())
    page.get_by_label("Program ends").fill((starts - timedelta(days=1)).isoformat())  # wrong
    page.get_by_label("Applications close").fill(closes.isoformat())
    page.locator("#id_phases-0-name").fill("Part One: training")
    page.locator("#id_phases-0-starts_on").fill(starts.isoformat())
    page.locator("#id_success_measures").fill("Worked on a political campaign")
    page.get_by_role("button", name="Create the program").click()

    summary = page.get_by_role("alert").filter(has_text="There is a problem to fix before saving")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name="Program ends")).to_be_visible()
    expect(page.get_by_text("The program must end after the day it starts.").first).to_be_visible()
    # Nothing typed is lost.
    assert page.locator("#id_name").input_value() == "Next Generation Program"
    assert page.locator("#id_phases-0-name").input_value() == "Part One: training"
    assert page.locator("#id_success_measures").input_value() == "Worked on a political campaign"
    assert_accessible(page)

    page.get_by_label("Program ends").fill((starts + timedelta(days=270)).isoformat())
    page.get_by_role("button", name="Create the program").click()
    page.wait_for_url("**" + reverse("programs:detail", args=["next-generation"]))
    expect(page.get_by_role("heading", name="Next Generation Program", level=1)).to_be_visible()
    expect(page.get_by_text("was created as a draft")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Part One: training")).to_be_visible()

    page.get_by_role("button", name="Open applications").click()
    expect(
        page.get_by_text("“Next Generation Program” is now: Open for applications.")
    ).to_be_visible()
    program = Program.objects.get(slug="next-generation")
    assert program.status == Program.Status.OPEN
    assert [phase.name for phase in program.phases.all()] == ["Part One: training"]

    page.get_by_role("link", name="Copy for next year").click()
    expect(
        page.get_by_role("heading", name="Copy Next Generation Program for next year")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=f"Create the {starts.year + 1} draft").click()
    page.wait_for_url("**/edit/")
    expect(page.get_by_text("with every date one year later")).to_be_visible()
    assert page.get_by_label("Program starts").input_value() == next_year(starts).isoformat()


def test_the_program_form_on_a_phone(page_as, cast):
    page = page_as("coordinator", viewport="phone")
    page.goto(reverse("programs:edit", args=[cast.program.slug]))
    expect(page.get_by_role("heading", name="Edit 2026 Mentorship Program")).to_be_visible()
    page.get_by_label("Short name in addresses").fill("new")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("“new” is reserved; choose another short name.").first).to_be_visible()
    assert_accessible(page)
