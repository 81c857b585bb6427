"""How many clicks a coordinator's routine work takes, from the dashboard, in a real browser.

Every click and key press counts, whether it opens a page, submits a form or ticks a box;
typing into a field would count as one press. Each task must take at most MAX_CLICKS. The
counts are printed (`pytest -s`) for the README.
"""

import pytest
from playwright.sync_api import Locator, Page, expect

from core.models import OutboxMessage
from core.testing import assert_accessible
from intake.models import Application
from intake.tests.factories import ApplicationFactory
from matching.models import Match
from matching.tests.factories import MatchFactory
from programs.models import Program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_CLICKS = 4
PHONE = {"width": 360, "height": 740}


class Clicks:
    """Counts what the coordinator does: each click or key press is one."""

    def __init__(self, page: Page):
        self.page = page
        self.count = 0

    def click(self, target: Locator) -> None:
        expect(target).to_be_visible()
        target.click()
        self.count += 1

    def check(self, target: Locator) -> None:
        expect(target).to_be_visible()
        target.check()
        self.count += 1


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def with_status(program: Program, status: str) -> Program:
    program.status = status
    program.save(update_fields=["status"])
    return program


def ten_waiting(program: Program) -> list[Application]:
    return [
        ApplicationFactory(
            program=program,
            applicant__name=f"Applicant {n:02d}",
            role="mentor" if n % 3 == 0 else "mentee",
            local_unit=f"Local {2000 + n} Unit {n}",
        )
        for n in range(10)
    ]


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_decide_ten_applications(page_as, cast, screen, capsys):
    program = with_status(cast.program, Program.Status.OPEN)
    ten = ten_waiting(program)
    ApplicationFactory(program=program, status="declined", applicant__name="Already Declined")
    page = page_as("coordinator")
    if screen == "phone":
        page.set_viewport_size(PHONE)
    clicks = Clicks(page)

    page.goto("/")  # a coordinator's home is the dashboard
    expect(page.get_by_role("heading", name="Coordinator dashboard", level=1)).to_be_visible()
    clicks.click(page.get_by_role("link", name="Applications waiting", exact=True))
    expect(page.get_by_role("heading", name="Applications", exact=True)).to_be_visible()
    expect(page.get_by_text("10 applications", exact=True)).to_be_visible()
    assert fits_the_screen(page)
    assert_accessible(page)

    clicks.check(page.get_by_label("Select all on this page"))
    for application in ten:
        expect(page.get_by_label(f"Select {application.applicant.name}")).to_be_checked()
    clicks.click(page.get_by_role("button", name="Accept the selected"))
    expect(page.get_by_role("heading", name="Accept 10 applications?")).to_be_visible()
    assert fits_the_screen(page)
    assert_accessible(page)

    clicks.click(page.get_by_role("button", name="Yes, accept them and send 10 e-mails"))
    expect(page.get_by_text("10 applications accepted.")).to_be_visible()
    expect(page.get_by_text("No application is waiting for a decision.")).to_be_visible()
    assert_accessible(page)

    assert Application.objects.filter(pk__in=[a.pk for a in ten], status="accepted").count() == 10
    assert OutboxMessage.objects.filter(to__in=[a.applicant.email for a in ten]).count() == 10
    with capsys.disabled():
        print(f"\nClicks to decide ten applications ({screen}): {clicks.count}")
    assert clicks.count <= MAX_CLICKS


def test_select_all_follows_the_boxes_ticked_one_by_one(page_as, cast):
    program = with_status(cast.program, Program.Status.OPEN)
    two = [ApplicationFactory(program=program, applicant__name=f"Pick {n}") for n in (1, 2)]
    page = page_as("coordinator")
    page.goto(f"/programs/{program.slug}/applications/?status=submitted")
    everything = page.get_by_label("Select all on this page")
    page.get_by_label(f"Select {two[0].applicant.name}").check()
    expect(everything).not_to_be_checked()
    assert page.evaluate("document.getElementById('select-all').indeterminate")
    page.get_by_label(f"Select {two[1].applicant.name}").check()
    expect(everything).to_be_checked()
    everything.uncheck()
    expect(page.get_by_label(f"Select {two[0].applicant.name}")).not_to_be_checked()
    # Nothing ticked: the page says what to do, and nothing changes.
    page.get_by_role("button", name="Decline the selected").click()
    expect(page.get_by_text("Select at least one application first.")).to_be_visible()
    assert Application.objects.filter(status="submitted").count() == 2


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_publish_matches(page_as, cast, screen, capsys):
    program = with_status(cast.program, Program.Status.MATCHING)
    proposals = MatchFactory.create_batch(3, program=program)
    page = page_as("coordinator")
    if screen == "phone":
        page.set_viewport_size(PHONE)
    clicks = Clicks(page)

    page.goto("/")
    expect(page.get_by_role("heading", name="Coordinator dashboard", level=1)).to_be_visible()
    clicks.click(page.get_by_role("link", name=program.name, exact=True).first)
    clicks.click(page.get_by_role("main").get_by_role("link", name="Matching", exact=True))
    clicks.click(page.get_by_role("link", name="Publish 3 proposals…"))
    expect(page.get_by_role("heading", name="Publish the matches?")).to_be_visible()
    assert fits_the_screen(page)
    assert_accessible(page)
    clicks.click(page.get_by_role("button", name="Yes, publish and send the e-mails"))
    expect(page.get_by_text("3 matches published.")).to_be_visible()

    assert (
        Match.objects.filter(pk__in=[m.pk for m in proposals], status=Match.Status.ACTIVE).count()
        == 3
    )
    with capsys.disabled():
        print(f"\nClicks to publish matches ({screen}): {clicks.count}")
    assert clicks.count <= MAX_CLICKS
