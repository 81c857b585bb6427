"""An invitee accepts an invitation to co-coordinate in a real browser; a coordinator
withdraws another. Every page passes the axe-core check, at desktop and phone width."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.testing import assert_accessible
from programs import services
from programs.access import Role, program_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_member_accepts_an_invitation_to_coordinate(page_as, cast, viewport):
    services.coordinator_invite(
        program=cast.program, by=cast.coordinator, emails=[cast.member.email]
    )
    page = page_as("member", viewport=viewport)
    page.goto(reverse("accounts:home"))
    invitations = page.get_by_role("region", name="Invitations to coordinate a program")
    expect(
        invitations.get_by_text("2026 Mentorship Program, from Alice Coordinator")
    ).to_be_visible()
    assert_accessible(page)

    invitations.get_by_role(
        "link", name="Accept the invitation to coordinate 2026 Mentorship Program"
    ).click()
    assert page.get_by_role(
        "heading", name="Coordinate 2026 Mentorship Program?", level=1
    ).is_visible()
    assert program_role(cast.member, cast.program) is Role.OUTSIDER  # the page only asks
    assert_accessible(page)

    page.get_by_role("button", name="Yes, I will coordinate it").click()
    page.wait_for_url("**" + cast.program.get_absolute_url())
    expect(
        page.get_by_text("You are now a coordinator of “2026 Mentorship Program”.")
    ).to_be_visible()
    assert program_role(cast.member, cast.program) is Role.COORDINATOR
    assert_accessible(page)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_coordinator_withdraws_an_invitation(page_as, cast, viewport):
    (invitation,) = services.coordinator_invite(
        program=cast.program, by=cast.coordinator, emails=["new@example.org"]
    )
    page = page_as("coordinator", viewport=viewport)
    page.goto(reverse("programs:edit", args=[cast.program.slug]))
    pending = page.locator("#pending-invitations")
    expect(pending.get_by_role("listitem").filter(has_text="new@example.org")).to_be_visible()
    assert_accessible(page)

    pending.get_by_role("link", name="Withdraw the invitation to new@example.org").click()
    expect(page.get_by_role("heading", name="Withdraw the invitation?", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, withdraw it").click()
    page.wait_for_url("**" + reverse("programs:edit", args=[cast.program.slug]))
    expect(page.get_by_text("The invitation to new@example.org was withdrawn.")).to_be_visible()
    expect(page.locator("#pending-invitations")).to_have_count(0)
    invitation.refresh_from_db()
    assert invitation.status == "withdrawn"
