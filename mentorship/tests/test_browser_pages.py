"""The pages everyone sees first, in a real browser, with the axe-core check."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.testing import assert_accessible, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_home_page(page_as, viewport):
    page = page_as("anonymous", viewport=viewport)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The navbar and the page say it the same way (one wording for signing up).
    expect(page.get_by_role("main").get_by_role("link", name="Sign up")).to_be_visible()
    assert_accessible(page)


def test_log_in_page_and_logging_in(page_as, cast):
    page = page_as("anonymous")
    page.goto(reverse("account_login"))
    assert_accessible(page)
    page.get_by_label("Email").fill(cast.member.email)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in", exact=True).click()
    assert page.get_by_text(
        "The email address and/or password you specified are not correct."
    ).is_visible()
    assert_accessible(page)  # with the error shown
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url("**" + reverse("accounts:home"))
    expect(page.get_by_role("heading", name="Welcome, Bob")).to_be_visible()


def test_sign_up_page(page_as, mailoutbox):
    page = page_as("anonymous", viewport="phone")
    page.goto(reverse("account_signup"))
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nadia Benali")
    page.get_by_label("Email").fill("nadia@example.org")
    page.locator("#id_password1").fill("a long union password")
    page.locator("#id_password2").fill("a different password")
    page.get_by_role("button", name="Sign up", exact=True).click()
    # The error is shown and nothing typed before it is lost.
    expect(page.get_by_text("You must type the same password each time.")).to_be_visible()
    assert page.get_by_label("Full name").input_value() == "Nadia Benali"
    assert page.get_by_label("Email").input_value() == "nadia@example.org"
    assert_accessible(page)
    page.locator("#id_password1").fill("a long union password")
    page.locator("#id_password2").fill("a long union password")
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    assert_accessible(page)
    assert mailoutbox[-1].to == ["nadia@example.org"]


@pytest.mark.parametrize("role", ["member", "mentee", "coordinator"])
def test_member_home(page_as, role):
    page = page_as(role, viewport="phone")
    page.goto(reverse("accounts:home"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_coordinator_pages(page_as, cast):
    page = page_as("coordinator")
    page.goto(reverse("dashboard:home"))
    assert_accessible(page)
    page.get_by_role("link", name=cast.program.name, exact=True).first.click()
    expect(page.get_by_role("heading", name=cast.program.name)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="People in this program").click()
    page.get_by_label("Search by name or e-mail").fill("mona")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("cell", name="Mona Mentor")).to_be_visible()
    expect(page.get_by_role("cell", name="Eddie Mentee")).to_have_count(0)
    assert_accessible(page)


def test_language_switcher(page_as):
    page = page_as("anonymous")
    page.goto("/")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    expect(page.get_by_role("main").get_by_role("link", name="Créer un compte")).to_be_visible()
    assert_accessible(page)


def test_axe_check_fails_on_an_inaccessible_page(page_as):
    page = page_as("anonymous")
    page.goto("/")
    # An unlabeled form field and an image without a text alternative.
    page.evaluate(
        """() => {
            document.querySelector('main').insertAdjacentHTML(
                'beforeend', '<input type="text"><img src="/static/x.png">');
        }"""
    )
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"label", "image-alt"} <= found
    with pytest.raises(AssertionError, match="serious/critical accessibility violations"):
        assert_accessible(page)


@pytest.mark.parametrize(
    "url_name", ["account_email", "account_change_password", "mfa_index", "account_reset_password"]
)
def test_account_pages(page_as, url_name):
    page = page_as("anonymous" if url_name == "account_reset_password" else "member")
    page.goto(reverse(url_name))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_printable_forms_page(page_as):
    page = page_as("anonymous", viewport="phone")
    page.goto(reverse("printing:index"))
    expect(page.get_by_role("link", name="Mentee survey", exact=True)).to_be_visible()
    assert_accessible(page)
