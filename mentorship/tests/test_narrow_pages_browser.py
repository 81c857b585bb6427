"""The 360-px page walk: every page of the access matrix, for every role it opens to.

Each GET row of the URL × role matrix (mentorship/tests/test_access_matrix.py) whose
expected status is 200 for some role is opened at 360 × 740 (the narrowest screen the site
is built for, conftest's "phone") as each of those roles: the page must not scroll sideways.
Once per page (as the last of its roles in the cast's order, the one who sees the most), axe
checks it at 360 and at 1280 px. Allauth's pages, which the matrix leaves to allauth's own
tests, are walked too: every one that opens without arguments, as a visitor and as a member.
A page added to the matrix is walked with no change here; files (PDF, CSV, calendars) are
skipped by their content type, with the reason printed.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from conftest import ROLES, VIEWPORTS
from core.testing import assert_accessible, assert_fits_width, axe_violations, sideways_overflow
from mentorship.tests.test_access_matrix import MATRIX, is_exempt, named_patterns

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = sorted(
    name for name, row in MATRIX.items() if row.method == "get" and 200 in row.expect.values()
)
# Allauth's own pages (log-in, sign-up, e-mail, password, authenticator), those that need no
# key from an e-mail to open.
ALLAUTH_PAGES = sorted(
    name
    for name, pattern in named_patterns().items()
    if is_exempt(name, pattern)
    and name.startswith(("account_", "mfa_"))
    and not pattern.pattern.regex.groupindex
)


def is_html(response) -> bool:
    return response.headers.get("content-type", "").startswith("text/html")


def open_page(page, url: str):
    """The response to opening `url`; skips the test when it is a file, not a page."""
    try:
        response = page.goto(url)
    except PlaywrightError:
        # Chromium downloads an attachment instead of opening it: ask what it was.
        response = page.request.get(url, max_redirects=0)
        if is_html(response):
            raise
    if not is_html(response):
        pytest.skip(f"{url} answers {response.headers.get('content-type')}: a file, not a page")
    return response


def walk(pages: dict, url: str) -> None:
    """Open `url` at 360 px as each role (one browser page each); axe it as the last one."""
    failures = []
    for role, page in pages.items():
        response = open_page(page, url)
        assert response.status == 200, f"{url} as {role}: {response.status}"
        found = sideways_overflow(page)
        if found:
            failures.append(f"as {role}: {found}")
    if failures:
        raise AssertionError("Scrolls sideways at 360 px:\n" + "\n".join(failures))
    assert_accessible(page)
    page.set_viewport_size(VIEWPORTS["desktop"])
    assert_accessible(page)


@pytest.mark.parametrize("name", PAGES)
def test_matrix_page_fits_360_px(name, cast, page_as):
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(cast))
    pages = {role: page_as(role, viewport="phone") for role in ROLES if row.expect[role] == 200}
    walk(pages, url)


@pytest.mark.parametrize("name", ALLAUTH_PAGES)
def test_allauth_page_fits_360_px(name, page_as):
    url = reverse(name)
    pages = {}
    for role in ("anonymous", "member"):
        page = page_as(role, viewport="phone")
        probe = page.request.get(url, max_redirects=0)
        if probe.status == 200 and is_html(probe):
            pages[role] = page
    if not pages:
        pytest.skip(f"{name} opens to neither a visitor nor a member without more steps")
    walk(pages, url)


def test_the_walk_covers_every_page_of_the_matrix():
    """A new GET page of the matrix is walked with no change here; POST rows are not."""
    assert {"matching:board", "intake:review", "dashboard:home", "programs:list"} <= set(PAGES)
    assert "matching:run" not in PAGES
    assert {"account_login", "account_signup", "mfa_index"} <= set(ALLAUTH_PAGES)


def test_overflow_is_found_and_named(page_as):
    """The check fails on a page made too wide, and names the element that is."""
    page = page_as("anonymous", viewport="phone")
    page.goto(reverse("printing:index"))
    assert sideways_overflow(page) == ""
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
            '<table id="too-wide"><tr><td>' + 'x'.repeat(200) + '</td></tr></table>')"""
    )
    found = sideways_overflow(page)
    assert "in a 360 px window" in found
    assert "table#too-wide" in found


def test_overflow_through_a_scrolling_box_is_found(page_as):
    """Absolutely placed text escapes a scrolling box that has no position of its own."""
    page = page_as("anonymous", viewport="phone")
    page.goto(reverse("printing:index"))
    # Built through the DOM: the Content Security Policy refuses style="" attributes.
    page.evaluate(
        """() => {
            const box = document.createElement('div');
            box.id = 'box';
            box.style.overflowX = 'auto';
            box.innerHTML = '<table><tr><td>' + 'x'.repeat(200) + '</td></tr></table>';
            const escaped = document.createElement('span');
            escaped.id = 'escaped';
            escaped.textContent = 'hidden';
            escaped.style.position = 'absolute';
            box.querySelector('td').append(escaped);
            document.querySelector('main').append(box);
        }"""
    )
    assert "span#escaped" in sideways_overflow(page)


# Full tables, as a coordinator meets them: long names and several columns.
LONG_NAMES = ("Marie-Françoise Bélanger-Tremblay", "Gurpreet Kaur Sandhu-Abernathy")


@pytest.fixture
def full_board(cast):
    from matching.tests.factories import add_mentee, add_mentor
    from programs.models import Program

    cast.program.status = Program.Status.MATCHING
    cast.program.save(update_fields=["status"])
    for number, name in enumerate(LONG_NAMES):
        add_mentee(cast.program, f"{name} {number}", goals=["organizing"])
        add_mentor(cast.program, f"{name} Mentor {number}", skills=["organizing"])
    return reverse("matching:board", kwargs={"slug": cast.program.slug})


@pytest.fixture
def full_review(cast):
    from accounts.tests.factories import UserFactory
    from intake.tests.factories import ApplicationFactory
    from programs.models import Program

    cast.program.status = Program.Status.OPEN
    cast.program.save(update_fields=["status"])
    for number, name in enumerate(LONG_NAMES * 3):
        ApplicationFactory(
            program=cast.program,
            applicant=UserFactory(name=f"{name} {number}"),
            local_unit="Local 2009, Unit 14 (Kamloops–Thompson–Nicola hospitals)",
        )
    return reverse("intake:review", kwargs={"slug": cast.program.slug})


@pytest.mark.parametrize("fixture", ["full_board", "full_review"])
def test_full_tables_fit_360_px_and_scroll_by_keyboard(fixture, page_as, request):
    """The audit's pages, with their tables full: no sideways page, every region focusable."""
    url = request.getfixturevalue(fixture)
    page = page_as("coordinator", viewport="phone")
    page.goto(url)
    expect(page.get_by_role("table").first).to_be_visible()
    assert_fits_width(page)
    found = [
        v["id"] for v in axe_violations(page, impacts=("minor", "moderate", "serious", "critical"))
    ]
    assert "scrollable-region-focusable" not in found
    assert_accessible(page)
    page.set_viewport_size(VIEWPORTS["desktop"])
    assert_accessible(page)
