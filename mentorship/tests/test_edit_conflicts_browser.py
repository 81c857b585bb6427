"""One form open twice, in a real browser: nothing is lost (issue 16, item 1).

The audit's two cases: the mentee's survey in two tabs (tab A saves "expectations", tab B
"strengths"), and the worksheet whose conflict form used to carry the mentor's old values
for fields she never edited. Axe on the conflict page at desktop and phone width.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.testing import assert_accessible, record_csp_violations
from sessions.models import Worksheet
from sessions.tests.factories import WorksheetFactory
from surveys.models import Survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = ["desktop", "phone"]
CLASH = "This form was saved by someone else while you were editing"


def second_tab(page):
    """Another tab of the same browser (same log-in), as a member opens one."""
    tab = page.context.new_page()
    record_csp_violations(tab)
    tab.set_default_timeout(10_000)
    return tab


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_survey_in_two_tabs_loses_nothing(page_as, cast, viewport):
    url = reverse("surveys:mine", args=[cast.program.slug])
    tab_a = page_as("mentee", viewport=viewport)
    tab_a.goto(url)
    tab_b = second_tab(tab_a)
    tab_b.goto(url)

    tab_b.locator("#id_strengths").fill("Patient; I listen.")
    tab_b.get_by_role("button", name="Save and finish later").click()
    expect(tab_b.get_by_text("Your answers are saved. You can finish later.")).to_be_visible()

    tab_a.locator("#id_expectations").fill("A mentor who knows bargaining.")
    tab_a.get_by_role("button", name="Save and finish later").click()
    expect(tab_a.get_by_role("heading", name=CLASH)).to_be_visible()
    answers = Survey.objects.get(participant__user=cast.mentee).answers
    assert answers["strengths"] == "Patient; I listen." and answers["expectations"] == ""
    # Both texts side by side; the form holds tab B's answer and tab A's.
    expect(tab_a.locator('[data-conflict-saved="strengths"]')).to_have_text("Patient; I listen.")
    expect(tab_a.locator("#id_strengths")).to_have_value("Patient; I listen.")
    expect(tab_a.locator("#id_expectations")).to_have_value("A mentor who knows bargaining.")
    assert_accessible(tab_a)

    tab_a.get_by_role("button", name="Save and finish later").click()
    expect(tab_a.get_by_text("Your answers are saved. You can finish later.")).to_be_visible()
    answers = Survey.objects.get(participant__user=cast.mentee).answers
    assert answers["strengths"] == "Patient; I listen."
    assert answers["expectations"] == "A mentor who knows bargaining."


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_worksheets_conflict_form_keeps_the_partners_change(page_as, cast, viewport):
    match = cast.pair()
    WorksheetFactory(match=match)
    url = reverse("sessions:worksheet_edit", args=[cast.program.slug, match.pk])
    mentor = page_as("mentor", viewport=viewport)
    mentor.goto(url)
    mentee = page_as("mentee")
    mentee.goto(url)

    mentee.locator("#id_purpose").fill("Learn to chair a meeting.")
    mentee.get_by_role("button", name="Save the worksheet").click()
    expect(mentee.get_by_text("The worksheet is saved.")).to_be_visible()

    mentor.locator("#id_roles").fill("I will bring past grievance files.")
    mentor.get_by_role("button", name="Save the worksheet").click()
    expect(mentor.get_by_role("heading", name=CLASH)).to_be_visible()
    assert Worksheet.objects.get().roles == "We will both speak plainly."
    # The mentor never touched the purpose: the form holds the mentee's new one.
    expect(mentor.locator("#id_purpose")).to_have_value("Learn to chair a meeting.")
    expect(mentor.locator("#id_roles")).to_have_value("I will bring past grievance files.")
    assert_accessible(mentor)

    mentor.get_by_role("button", name="Save the worksheet").click()
    expect(mentor.get_by_text("The worksheet is saved.")).to_be_visible()
    saved = Worksheet.objects.get()
    assert saved.purpose == "Learn to chair a meeting."
    assert saved.roles == "I will bring past grievance files."
