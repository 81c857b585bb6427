"""The packet page in a browser: what the click does, said before and after, at both widths."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.testing import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_click_builds_the_packet_and_the_page_says_it_is_ready(page_as, filled, cast, viewport):
    page = page_as("coordinator", viewport=viewport)
    page.goto(reverse("printing:packet", args=[cast.program.slug]))
    build = page.get_by_role("button", name="Build a new packet")
    # No worker in the tests (as in `make run`): the button says the click builds and waits.
    expect(build).to_have_accessible_description(
        "The packet is built when you click, which takes a few seconds for a large program: "
        "wait for the page to come back with it."
    )
    assert_accessible(page)
    build.click()
    expect(page.get_by_text("The packet is ready to download.")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("link", name="Download the packet (PDF)")).to_be_visible()
    expect(page.get_by_text("being built")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
