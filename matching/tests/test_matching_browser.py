"""Matching in a real browser, keyboard only, axe-checked: run, lock, exclude, re-run,
publish, and both sides see their match."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Profile
from core.testing import assert_accessible
from matching.models import Exclusion, Match, MatchingProfile
from matching.tests.factories import MentorProfileFactory, add_mentee, add_mentor
from programs.models import Program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(locator) -> None:
    """Act as a keyboard user: focus the control and press Enter."""
    locator.focus()
    locator.press("Enter")


@pytest.fixture
def cohort(cast):
    program = cast.program
    program.status = Program.Status.MATCHING
    program.save(update_fields=["status"])
    eddie = program.participants.get(user=cast.mentee)
    mona = program.participants.get(user=cast.mentor)
    MatchingProfile.objects.create(participant=eddie, learning_goals=["grievances"])
    Profile.objects.create(user=cast.mentee, languages=["French"], region="Kamloops")
    Profile.objects.create(user=cast.mentor, languages=["French"], gender="woman")
    MentorProfileFactory(user=cast.mentor, skills=["grievances"], capacity=1)
    ana = add_mentee(program, "Ana Organizer", goals=["organizing"])
    karl = add_mentor(program, "Karl Organizer", skills=["organizing"])
    rosa = add_mentor(program, "Rosa Bargainer", skills=["bargaining"])
    return {"eddie": eddie, "mona": mona, "ana": ana, "karl": karl, "rosa": rosa}


def test_a_coordinator_matches_adjusts_publishes_and_both_sides_see_it(page_as, cast, cohort):
    eddie, ana = cohort["eddie"], cohort["ana"]
    page = page_as("coordinator")
    page.goto(cast.program.get_absolute_url())
    press(page.get_by_role("link", name="Matching", exact=True))
    expect(page.get_by_role("heading", name="Matching", level=1)).to_be_visible()
    expect(page.get_by_text("not matched yet: run matching").first).to_be_visible()
    assert_accessible(page)

    press(page.get_by_role("button", name="Run matching"))
    expect(page.get_by_text("Matching ran: 2 new proposals")).to_be_visible()
    eddie_card = page.locator(f"#mentee-{eddie.pk}")
    ana_card = page.locator(f"#mentee-{ana.pk}")
    expect(eddie_card.get_by_text("Mona Mentor", exact=True)).to_be_visible()
    expect(eddie_card.get_by_text("shares French")).to_be_visible()
    expect(ana_card.get_by_text("Karl Organizer", exact=True)).to_be_visible()
    assert_accessible(page)

    # Lock Eddie with Mona; exclude Ana with Karl.
    press(eddie_card.get_by_role("button", name=re.compile(r"^Lock\b")))
    expect(page.get_by_text("Locked: Eddie Mentee stays with Mona Mentor")).to_be_visible()
    ana_card = page.locator(f"#mentee-{ana.pk}")
    press(ana_card.get_by_role("button", name=re.compile(r"^Exclude this pair")))
    expect(
        page.get_by_text("Ana Organizer will not be matched with Karl Organizer")
    ).to_be_visible()

    # Re-run: the lock is kept, and Ana gets another mentor.
    press(page.get_by_role("button", name="Run matching"))
    expect(page.get_by_text("1 locked proposals kept")).to_be_visible()
    eddie_card = page.locator(f"#mentee-{eddie.pk}")
    expect(eddie_card.get_by_text("Locked", exact=True)).to_be_visible()
    expect(eddie_card.get_by_text("Mona Mentor", exact=True)).to_be_visible()
    ana_card = page.locator(f"#mentee-{ana.pk}")
    expect(ana_card.get_by_text("Rosa Bargainer", exact=True)).to_be_visible()

    # Alternatives open from the keyboard.
    summary = eddie_card.locator("summary")
    press(summary)
    expect(
        eddie_card.get_by_role("button", name=re.compile(r"^Use this mentor")).first
    ).to_be_visible()
    assert_accessible(page)

    press(page.get_by_role("link", name=re.compile(r"^Publish 2 proposals")))
    expect(page.get_by_role("heading", name="Publish the matches?")).to_be_visible()
    assert page.get_by_label("Eddie Mentee with Mona Mentor").is_checked()
    assert_accessible(page)
    press(page.get_by_role("button", name="Yes, publish and send the e-mails"))
    expect(page.get_by_text("2 matches published")).to_be_visible()
    assert Match.objects.filter(program=cast.program, status="active").count() == 2
    assert_accessible(page)

    mentee_page = page_as("mentee")
    mentee_page.goto(cast.program.get_absolute_url())
    card = mentee_page.get_by_role("region", name="Your mentor")
    expect(card.get_by_role("listitem").filter(has_text="Mona Mentor")).to_be_visible()
    expect(card.get_by_role("link", name="End the match with Mona Mentor…")).to_be_visible()
    assert_accessible(mentee_page)

    mentor_page = page_as("mentor", viewport="phone")
    mentor_page.goto(cast.program.get_absolute_url())
    card = mentor_page.get_by_role("region", name="Your mentees")
    expect(card.get_by_role("listitem").filter(has_text="Eddie Mentee")).to_be_visible()
    assert_accessible(mentor_page)


def test_members_state_preferences_and_end_a_match(page_as, cast, cohort):
    page = page_as("mentee", viewport="phone")
    page.goto(cast.program.get_absolute_url())
    press(page.get_by_role("link", name="My matching preferences"))
    expect(page.get_by_role("heading", name="My matching preferences")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Bargaining").check()
    page.get_by_role("group", name="A mentor who is a woman").get_by_label("Must").check()
    page.get_by_label("Your first choice").select_option(label="Rosa Bargainer")
    press(page.get_by_role("button", name="Save my preferences"))
    expect(page.get_by_text("Your preferences are saved.")).to_be_visible()
    assert_accessible(page)

    mentor = page_as("mentor")
    mentor.goto(reverse("matching:my_preferences", args=[cast.program.slug]))
    mentor.get_by_label("Ana Organizer").check()
    mentor.get_by_label("Why? (optional)").fill("I supervise her.")
    press(mentor.get_by_role("button", name="Save my preferences"))
    expect(mentor.get_by_text("Your preferences are saved.")).to_be_visible()
    assert_accessible(mentor)

    match = Match.objects.create(
        program=cast.program, mentee=cohort["eddie"], mentor=cohort["mona"], status="active"
    )
    mentor.goto(reverse("matching:end", args=[cast.program.slug, match.pk]))
    assert_accessible(mentor)
    press(mentor.get_by_role("button", name="End the match"))
    expect(mentor.locator("#form-errors")).to_be_visible()
    assert_accessible(mentor)
    mentor.get_by_label("Completed").check()
    press(mentor.get_by_role("button", name="End the match"))
    expect(
        mentor.get_by_text("The match of Eddie Mentee with Mona Mentor has ended.")
    ).to_be_visible()
    match.refresh_from_db()
    assert match.status == "ended"


def test_a_coordinator_lifts_an_exclusion_after_confirming(page_as, cast, cohort):
    ana, karl = cohort["ana"], cohort["karl"]
    Exclusion.objects.create(
        program=cast.program,
        mentee=ana,
        mentor=karl,
        source="coordinator",
        reason="Same workplace.",
        created_by=cast.coordinator,
    )
    page = page_as("coordinator", viewport="phone")
    page.goto(reverse("matching:manual", args=[cast.program.slug, ana.pk]))
    excluded = "Karl Organizer, excluded by a coordinator: Same workplace."
    expect(page.get_by_text(excluded)).to_be_visible()
    press(page.get_by_role("link", name="Lift the exclusion of Karl Organizer"))
    assert page.get_by_role(
        "heading", name="Let Ana Organizer and Karl Organizer be matched again?"
    ).is_visible()
    assert_accessible(page)
    press(page.get_by_role("button", name="Yes, lift the exclusion"))
    assert page.get_by_text("Ana Organizer and Karl Organizer may be matched again").is_visible()
    expect(page.get_by_role("heading", name="Never to be matched with")).to_have_count(0)
    assert_accessible(page)
    assert not Exclusion.objects.filter(mentee=ana, mentor=karl).exists()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_large_board_pages_and_finds_a_mentee(page_as, cast, cohort, viewport):
    """Past 50 mentees the board is paged, those still to place first; a coordinator finds
    a mentee by name, acts on their card on a later page and lands back on it."""
    program = cast.program
    for i in range(55):
        add_mentee(program, f"Member {i:02d} Example", goals=["grievances"])
    page = page_as("coordinator", viewport=viewport)
    page.goto(reverse("matching:board", args=[program.slug]))
    expect(page.get_by_text("1–50 of 57 cards, those without a proposal first.")).to_be_visible()
    expect(page.get_by_role("heading", name="57 mentees without a proposal")).to_be_visible()
    assert_accessible(page)

    press(page.get_by_role("button", name="Run matching"))
    expect(page.get_by_text("Matching ran:")).to_be_visible()
    press(page.get_by_role("link", name="Next"))
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    assert_accessible(page)

    search = page.get_by_role("searchbox", name="Find a mentee by name")
    search.fill("ana organizer")
    search.press("Enter")
    ana_card = page.locator(f"#mentee-{cohort['ana'].pk}")
    expect(ana_card.get_by_role("heading", name=re.compile("^Ana Organizer"))).to_be_visible()
    expect(page.get_by_text("1–1 of 1 card")).to_be_visible()
    assert_accessible(page)
    # The alternatives' one form: "Exclude" goes to its own action (formaction).
    press(ana_card.locator("summary"))
    press(ana_card.get_by_role("button", name=re.compile(r"^Exclude Ana Organizer")).first)
    expect(page.get_by_text(re.compile(r"Ana Organizer will not be matched with"))).to_be_visible()
    assert Exclusion.objects.filter(mentee=cohort["ana"], source="coordinator").exists()
    expect(page.locator(f"#mentee-{cohort['ana'].pk}")).to_be_visible()  # back at the card
    search = page.get_by_role("searchbox", name="Find a mentee by name")
    search.fill("ana")
    search.press("Enter")

    press(page.get_by_role("link", name="Show everyone"))
    expect(page.get_by_role("searchbox", name="Find a mentee by name")).to_have_value("")
    proposed = Match.objects.filter(program=program, status="proposed").order_by(
        "-mentee__user__name"
    )
    last = proposed.select_related("mentee__user").first()
    page.goto(reverse("matching:board", args=[program.slug]) + "?page=2")
    card = page.locator(f"#mentee-{last.mentee_id}")
    press(card.get_by_role("button", name=re.compile(r"^Lock\b")))
    expect(page.get_by_text(f"Locked: {last.mentee.user.name} stays with")).to_be_visible()
    expect(
        page.locator(f"#mentee-{last.mentee_id}").get_by_text("Locked", exact=True)
    ).to_be_visible()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
