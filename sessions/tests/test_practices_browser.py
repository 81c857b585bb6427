"""In a browser, axe-checked at desktop and phone width: a mentors-only group session
(the coordinator sets it, the mentor sees it, the mentee does not), a meeting in person with
travel time, and the orientation's agenda in a French reader's language."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.testing import assert_accessible
from sessions import services
from sessions.models import GroupSession, Meeting
from sessions.tests.factories import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)


def test_a_mentors_only_session_from_the_form_to_each_members_list(page_as, program, today):
    coordinator = page_as("coordinator")
    coordinator.goto(reverse("sessions:group_session_create", args=[program.slug]))
    assert_accessible(coordinator)
    coordinator.get_by_label("Mentors only").check()
    coordinator.get_by_label(re.compile(r"^\s*Title")).fill("Coaching skills for mentors")
    coordinator.get_by_label("Date").fill((today + 5 * DAY).isoformat())
    coordinator.get_by_label("Start time").fill("18:00")
    coordinator.get_by_label(re.compile(r"^\s*Place")).fill("Union hall")
    coordinator.get_by_role("button", name="Schedule and invite participants").click()
    expect(coordinator.get_by_role("heading", name="Coaching skills for mentors")).to_be_visible()
    expect(coordinator.get_by_text("Mentors only", exact=True)).to_be_visible()
    assert_accessible(coordinator)

    listing = reverse("sessions:group_sessions", args=[program.slug])
    mentor = page_as("mentor", viewport="phone")
    mentor.goto(listing)
    expect(mentor.get_by_role("link", name="Coaching skills for mentors")).to_be_visible()
    assert_accessible(mentor)
    mentee = page_as("mentee", viewport="phone")
    mentee.goto(listing)
    expect(mentee.get_by_text("No group session is scheduled yet.")).to_be_visible()
    assert_accessible(mentee)


def test_travel_time_on_the_meeting_form_and_page(page_as, match, today):
    slug = match.program.slug
    page = page_as("mentee", viewport="phone")
    page.goto(reverse("sessions:meeting_create", args=[slug, match.pk]))
    assert_accessible(page)
    page.get_by_label("Date").fill((today + 3 * DAY).isoformat())
    page.get_by_label("Start time").fill("18:30")
    page.get_by_label("In person").check()
    page.get_by_label(re.compile(r"^\s*Place")).fill("Union hall")
    page.get_by_label(re.compile("Travel time for Eddie Mentee")).fill("900")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_text("Travel time is from 0 to 480 minutes").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("Travel time for Eddie Mentee")).fill("45")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_text("Mentee: 45 minutes")).to_be_visible()
    assert_accessible(page)
    assert Meeting.objects.get().mentee_travel_minutes == 45
    desktop = page_as("mentor")
    desktop.goto(Meeting.objects.get().get_absolute_url())
    expect(desktop.get_by_text("Travel time, one way")).to_be_visible()
    assert_accessible(desktop)


def test_the_handbooks_agenda_in_a_french_readers_language(page_as, program, cast, today):
    services.orientation_save(
        program=program,
        by=cast.coordinator,
        data={
            "starts_at": at(today + 5 * DAY, 18),
            "duration_minutes": 120,
            "location": "Union hall",
            "video_link": "",
            "child_care": False,
            "food": False,
            "accessibility_notes": "",
        },
    )
    cast.mentee.language = "fr"
    cast.mentee.save(update_fields=["language"])
    url = reverse("sessions:orientation", args=[program.slug])
    for role, viewport, title in (
        ("mentee", "phone", "Présentations"),
        ("mentor", "desktop", "Introductions"),
    ):
        page = page_as(role, viewport=viewport)
        page.goto(url)
        expect(page.locator("#agenda-heading + ol strong").first).to_have_text(title)
        assert_accessible(page)
    assert not GroupSession.objects.exists()
