"""The Content Security Policy in a real browser: every role's key pages meet no violation.

`page_as` records each `securitypolicyviolation` event and the console's CSP messages
(core/testing.py); a page fails on any of them. The last tests plant what the policy
forbids into a real page and require the recorder to catch every one of them, and check that
Bootstrap's own script (a static file) still works under the policy.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conftest import Cast
from core.testing import assert_no_csp_violations, csp_violations
from mentorship.tests.test_access_matrix import (
    members_application,
    mentees_survey,
    pair_meeting_on_paper,
)
from sessions.tests.factories import MeetingFactory, WorksheetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def key_pages(cast: Cast) -> dict[str, list[str]]:
    """The pages each role opens first, with a pair that has met, prepared and recorded."""
    slug = cast.program.slug
    pair = pair_meeting_on_paper(cast)
    WorksheetFactory(match_id=pair["match_id"])
    match = {"slug": slug, "match_id": pair["match_id"]}
    application = members_application(cast)
    survey = mentees_survey(cast)
    program = {"slug": slug}
    both_sides = [
        reverse("programs:detail", kwargs=program),
        reverse("surveys:mine", kwargs=program),
        reverse("sessions:mine", kwargs=program),
        reverse("sessions:timeline", kwargs=match),
        reverse("sessions:worksheet", kwargs=match),
        reverse("sessions:worksheet_edit", kwargs=match),
        reverse("sessions:goals", kwargs=match),
        reverse("sessions:meeting", kwargs=pair),
        reverse("sessions:meeting_create", kwargs=match),
        reverse("sessions:orientation", kwargs=program),
        reverse("evaluation:evaluate", kwargs=program),
    ]
    return {
        "anonymous": [
            reverse("home"),
            reverse("programs:list"),
            reverse("programs:detail", kwargs=program),
            reverse("account_login"),
            reverse("account_signup"),
            reverse("account_reset_password"),
            reverse("printing:index"),
        ],
        "member": [
            reverse("accounts:home"),
            reverse("accounts:profile"),
            reverse("intake:apply", kwargs={"slug": slug, "role": "mentee"}),
            reverse("intake:my_application", kwargs=application),
            reverse("intake:nominate", kwargs=program),
            reverse("matching:my_mentor_profile"),
            reverse("sessions:calendar"),
            reverse("account_email"),
            reverse("account_change_password"),
            reverse("mfa_index"),
            # allauth shows the authenticator's QR code as a data: image.
            reverse("mfa_activate_totp"),
        ],
        "mentee": [
            reverse("accounts:home"),
            *both_sides,
            reverse("sessions:meeting_preparation", kwargs=pair),
        ],
        "mentor": [
            reverse("accounts:home"),
            *both_sides,
            reverse("sessions:meeting_record", kwargs=pair),
        ],
        "other_coordinator": [
            reverse("dashboard:home"),
            reverse("matching:mentor_database"),
            reverse("programs:create"),
        ],
        "coordinator": [
            reverse("dashboard:home"),
            reverse("dashboard:program", kwargs=program),
            reverse("dashboard:list", kwargs={"kind": "accepted"}),
            reverse("programs:create"),
            reverse("programs:edit", kwargs=program),
            reverse("programs:participants", kwargs=program),
            reverse("intake:review", kwargs=program),
            reverse("intake:review_detail", kwargs=application),
            reverse("surveys:completion", kwargs=program),
            reverse("surveys:detail", kwargs=survey),
            reverse("matching:board", kwargs=program),
            reverse("matching:settings", kwargs=program),
            reverse("matching:mentor_database"),
            reverse("sessions:pairs", kwargs=program),
            reverse("sessions:timeline", kwargs=match),
            reverse("evaluation:overview", kwargs=program),
            reverse("evaluation:report", kwargs=program),
            reverse("evaluation:outcomes", kwargs=program),
            reverse("reminders:settings", kwargs=program),
            reverse("reminders:log", kwargs=program),
            reverse("printing:packet", kwargs=program),
        ],
    }


def open_checked(page, url: str) -> None:
    """Open the page: it carries the policy, renders, and meets no violation."""
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, (url, policy)
    page.wait_for_load_state("load")
    assert_no_csp_violations(page)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize(
    "role", ["anonymous", "member", "mentee", "mentor", "other_coordinator", "coordinator"]
)
def test_key_pages_meet_no_violation(page_as, cast, role, viewport):
    pages = key_pages(cast)[role]
    page = page_as(role, viewport=viewport)
    for url in pages:
        open_checked(page, url)


def test_charts_render_under_the_policy(page_as, cast):
    """The server-drawn SVG charts keep their size and bars (no inline style needed)."""
    # A meeting held last week, so the monthly chart is drawn (a year of zeros is a sentence).
    MeetingFactory(match=cast.pair(), starts_at=timezone.now() - datetime.timedelta(days=7))
    page = page_as("coordinator")
    open_checked(page, reverse("dashboard:home"))
    charts = page.locator("figure.chart svg[role=img]")
    assert charts.count() >= 1
    box = charts.first.bounding_box()
    assert box is not None and 100 < box["width"] <= 32 * 16 + 1  # .chart-plot: 32rem
    # The funnel's bars: each cell's small SVG keeps the width its attribute gives it.
    bar = page.locator("figure.chart td svg").first.bounding_box()
    assert bar is not None and bar["width"] == 48 and bar["height"] == 8


def test_survey_progress_bar_has_its_width(page_as, cast):
    """The survey's progress bar: a class in steps of 5%, not a style attribute."""
    page = page_as("mentee")
    open_checked(page, reverse("surveys:mine", kwargs={"slug": cast.program.slug}))
    bar = page.locator(".progress-bar").first
    track = page.locator(".progress").first
    assert bar.get_attribute("style") is None
    assert bar.bounding_box()["width"] <= track.bounding_box()["width"]


def test_forms_post_to_the_site_itself(page_as):
    """form-action 'self': the language switcher posts and is redirected without a violation."""
    page = page_as("anonymous", viewport="phone")
    open_checked(page, "/")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_no_csp_violations(page)


def test_bootstraps_script_still_works_on_a_phone(page_as):
    """The vendored bundle is a static file ('self'): the menu button opens the menu."""
    page = page_as("member", viewport="phone")
    open_checked(page, reverse("accounts:home"))
    menu = page.locator("#main-nav")
    toggler = page.get_by_role("button", name="Show or hide the menu")
    assert toggler.is_visible() and not menu.is_visible()
    toggler.click()
    page.locator("#main-nav.show:not(.collapsing)").wait_for()  # opened, transition over
    expect(page.get_by_role("link", name="My home")).to_be_visible()
    assert toggler.get_attribute("aria-expanded") == "true"
    toggler.click()
    menu.wait_for(state="hidden")
    assert toggler.get_attribute("aria-expanded") == "false"
    assert_no_csp_violations(page)


PLANTED = (
    '<script>document.body.dataset.planted = "script ran";</script>'
    '<img src="/static/css/app.css" onerror="document.body.dataset.planted = \'handler ran\'">'
    '<p style="color: red">styled</p>'
    '<a id="planted-link" href="javascript:document.body.dataset.planted=\'link ran\'">x</a>'
)


def test_a_planted_inline_script_handler_style_and_javascript_url_are_caught(page_as):
    """The site's real page and header, with what an injection would add: all blocked, all seen."""
    page = page_as("anonymous")

    def plant(route):
        response = route.fetch()
        body = response.text().replace("</main>", PLANTED + "</main>")
        route.fulfill(response=response, body=body)

    page.route("**/", plant)
    page.goto("/")
    page.locator("#planted-link").click()
    page.wait_for_timeout(200)
    assert page.locator("body").get_attribute("data-planted") is None  # nothing ran
    found = "\n".join(csp_violations(page))
    for directive in ("script-src-elem", "script-src-attr", "style-src-attr"):
        assert directive in found, found
    assert found.count("script-src-elem") >= 2, found  # the <script> and the javascript: link
    with pytest.raises(AssertionError, match="Content Security Policy violations"):
        assert_no_csp_violations(page)
