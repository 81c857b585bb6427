"""A pair, in a browser: the worksheet, both agreeing, a meeting prepared and recorded, and
the agreed action carried into the next meeting's check-in. Axe on every page."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.testing import assert_accessible
from sessions.models import ActionItem, Meeting, Worksheet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)


def visit(page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def test_a_pair_plans_meets_records_and_carries_an_action(page_as, match, today):
    slug = match.program.slug
    mentee = page_as("mentee", viewport="phone")
    mentor = page_as("mentor")

    # The mentee finds the pair's page from the program page.
    visit(mentee, reverse("programs:detail", args=[slug]))
    mentee.get_by_role("link", name="My mentoring").click()
    mentee.wait_for_url(f"**{reverse('sessions:timeline', args=[slug, match.pk])}")
    assert_accessible(mentee)
    mentee.get_by_role("link", name="Open the worksheet").click()
    assert_accessible(mentee)
    mentee.get_by_role("link", name="Start the worksheet").click()
    assert_accessible(mentee)

    # The worksheet, first without its mid-point: the error is shown, nothing is lost.
    mentee.get_by_label("Comments or clarifications about your roles").fill("Ask, try, report.")
    mentee.get_by_label("Your specific purposes").fill("Learn to handle grievances.")
    mentee.get_by_label("Short-term work goals").fill("File a first grievance")
    mentee.get_by_label("Long-term goals").fill("Run for steward")
    mentee.get_by_label("Target end date").fill((today + 270 * DAY).isoformat())
    mentee.get_by_role("button", name="Save the worksheet").click()
    expect(mentee.get_by_text("There is a problem to fix before saving")).to_be_visible()
    assert mentee.get_by_label("Your specific purposes").input_value() == (
        "Learn to handle grievances."
    )
    assert_accessible(mentee)  # with the errors shown
    mentee.get_by_label("Mid-point check-in").fill((today + 135 * DAY).isoformat())
    mentee.get_by_role("button", name="Save the worksheet").click()
    expect(mentee.get_by_text("The worksheet is saved.")).to_be_visible()
    assert_accessible(mentee)
    mentee.get_by_role("button", name="I agree to this worksheet").click()
    expect(mentee.get_by_text("It is waiting for Mona Mentor to agree.")).to_be_visible()
    assert_accessible(mentee)

    visit(mentor, reverse("sessions:worksheet", args=[slug, match.pk]))
    mentor.get_by_role("button", name="I agree to this worksheet").click()
    expect(mentor.get_by_text("You both agree")).to_be_visible()
    assert_accessible(mentor)
    assert Worksheet.objects.get().agreed_by_both

    # The mentee schedules the meeting (it took place yesterday: they log it afterwards).
    visit(mentee, reverse("sessions:timeline", args=[slug, match.pk]))
    mentee.get_by_role("link", name="Schedule a meeting").click()
    assert_accessible(mentee)
    mentee.locator("#id_date").fill((today - DAY).isoformat())
    mentee.get_by_label(re.compile("Start time")).fill("10:00")
    mentee.get_by_label(re.compile(r"Duration \(minutes\)")).fill("-30")
    mentee.get_by_label("In person").check()
    mentee.get_by_label("Place").fill("Union hall, room B")
    mentee.get_by_role("button", name="Schedule the meeting").click()
    expect(mentee.get_by_text("cannot end before it starts").first).to_be_visible()
    assert mentee.get_by_label("Place").input_value() == "Union hall, room B"
    assert_accessible(mentee)
    mentee.get_by_label(re.compile(r"Duration \(minutes\)")).fill("60")
    mentee.get_by_role("button", name="Schedule the meeting").click()
    expect(mentee.get_by_text("The meeting is scheduled.")).to_be_visible()
    assert_accessible(mentee)
    first = Meeting.objects.get()

    # The mentee prepares; the mentor reads it.
    mentee.get_by_role("link", name="Prepare for this session").click()
    assert_accessible(mentee)
    mentee.get_by_label(re.compile("What questions do I have for my mentor")).fill(
        "How long do I have to file?"
    )
    mentee.get_by_role("button", name="Save my preparation").click()
    expect(mentee.get_by_text("Your preparation is saved.")).to_be_visible()
    assert_accessible(mentee)

    visit(mentor, first.get_absolute_url())
    expect(mentor.get_by_text("How long do I have to file?")).to_be_visible()
    mentor.get_by_role("link", name="Record this session").click()
    assert_accessible(mentor)
    mentor.get_by_label(re.compile("1. Update")).fill("Eddie read the agreement.")
    mentor.get_by_label(re.compile("3. Focus for session")).fill("Timelines in article 12.")
    mentor.locator("#id_actions-0-description").fill("Draft the grievance letter")
    mentor.locator("#id_actions-0-owner").select_option("mentee")
    mentor.locator("#id_actions-0-due_on").fill((today + 7 * DAY).isoformat())
    mentor.get_by_role("button", name="Record the session").click()
    expect(mentor.get_by_text("The session is recorded.")).to_be_visible()
    assert_accessible(mentor)
    assert ActionItem.objects.get().description == "Draft the grievance letter"

    # The next meeting: the action is there to check in on.
    visit(mentee, reverse("sessions:meeting_create", args=[slug, match.pk]))
    mentee.locator("#id_date").fill((today + 5 * DAY).isoformat())
    mentee.get_by_label(re.compile("Start time")).fill("18:30")
    mentee.get_by_label("Video", exact=True).check()
    mentee.get_by_label("Video link").fill("https://meet.example.org/pair")
    mentee.get_by_role("button", name="Schedule the meeting").click()
    expect(mentee.get_by_text("The meeting is scheduled.")).to_be_visible()
    checkin = mentee.get_by_role("region", name="Check in on agreements from earlier sessions")
    expect(checkin.get_by_text("Draft the grievance letter", exact=True)).to_be_visible()
    assert_accessible(mentee)

    # And the pair's timeline shows it all, in order.
    visit(mentor, reverse("sessions:timeline", args=[slug, match.pk]))
    expect(mentor.get_by_text("Eddie Mentee prepared for the meeting")).to_be_visible()
    expect(mentor.get_by_text("Mona Mentor recorded the meeting")).to_be_visible()


def test_coordinator_pages(page_as, match, program, today):
    from sessions.tests.factories import GroupSessionFactory, MeetingFactory, OrientationFactory

    OrientationFactory(program=program)
    GroupSessionFactory(program=program, child_care=True)
    MeetingFactory(match=match)
    page = page_as("coordinator")
    visit(page, reverse("programs:detail", args=[program.slug]))
    page.get_by_role("link", name="Pairs").click()
    assert_accessible(page)
    page.get_by_role("link", name="Eddie Mentee and Mona Mentor").click()
    assert_accessible(page)
    visit(page, reverse("sessions:orientation", args=[program.slug]))
    page.get_by_role("link", name="Take attendance").click()
    assert_accessible(page)
    page.get_by_label("Eddie Mentee (Mentee)").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance is saved: 1 of 2 attended.")).to_be_visible()
    page.get_by_role("link", name="Edit the orientation").click()
    assert_accessible(page)
    visit(page, reverse("sessions:group_sessions", args=[program.slug]))
    page.get_by_role("link", name="New group session").click()
    page.get_by_label(re.compile("Title")).fill("Class 2")
    page.get_by_role("button", name="Schedule and invite participants").click()
    expect(page.get_by_role("heading", name=re.compile("to fix before saving"))).to_be_visible()
    assert_accessible(page)


def test_calendar_feed_page(page_as):
    page = page_as("mentee", viewport="phone")
    visit(page, reverse("accounts:home"))
    page.get_by_role("link", name="My calendar feed").click()
    assert_accessible(page)
    page.get_by_role("button", name="Make my calendar address").click()
    expect(page.get_by_text("Your calendar address is ready.")).to_be_visible()
    assert page.get_by_label("Calendar address").input_value().startswith("http")
    assert_accessible(page)
