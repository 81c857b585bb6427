"""A coordinator without an authenticator app is led to set one up, in a real browser."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from core.testing import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_coordinator_is_led_from_the_dashboard_to_the_set_up(page_as, cast, viewport):
    Authenticator.objects.filter(user=cast.coordinator).delete()
    page = page_as("coordinator", viewport=viewport)
    page.goto(reverse("dashboard:home"))
    heading = "Set up two-step log-in to open coordinator pages"
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Set up my authenticator app").click()
    page.wait_for_url("**/accounts/**")
    expect(page.get_by_text("Confirm your password if asked")).to_be_visible()
    if reverse("account_reauthenticate") in page.url:
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**" + reverse("mfa_activate_totp"))
    expect(page.get_by_role("heading", level=1, name="Activate Authenticator App")).to_be_visible()
    assert_accessible(page)
