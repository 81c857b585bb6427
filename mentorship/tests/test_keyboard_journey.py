"""A member's whole journey with the keyboard alone: apply, (a coordinator accepts), the
survey, the worksheet, preparing for a meeting, and the mentor recording it.

Only Tab, Space, Enter and typing move through the pages (no clicks, no `fill`): after every
Tab, focus is on a visible element that shows it is focused, never lost on the page body.
Every page passes axe at desktop width and on a 360 × 740 phone without sideways scrolling,
and every step is saved.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Profile
from core.testing import assert_accessible
from intake import services as intake
from intake.models import Application
from matching.models import Match
from programs.models import Participant, Program
from sessions.models import Meeting, Preparation, SessionRecord, Worksheet
from surveys.models import Survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
MOST_TABS = 80  # the longest form (the application, its optional questions too) has ~50

FOCUSED = """(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {lost: true, last: false};
  }
  // Whether Tab from here leaves the page (to the browser's own controls, then the top).
  const tabbable = "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]";
  const last = ![...document.querySelectorAll(tabbable)].some(
    (other) => other.tabIndex >= 0 && !other.disabled && other.getClientRects().length
      && (el.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING)
      && !el.contains(other)
  );
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  // A date or time box's own calendar button has focus inside the box without :focus on
  // it; the browser draws that button's ring itself.
  const picker = el.matches("input[type=date], input[type=time]") && !el.matches(":focus");
  const ring = picker || (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
    || (style.boxShadow && style.boxShadow !== "none");
  return {
    lost: false,
    last,
    shown: box.width > 0 && box.height > 0 && style.visibility !== "hidden",
    ring: Boolean(ring),
    matches: el.matches(selector),
    what: `${el.tagName.toLowerCase()}#${el.id} "${(el.innerText || "").trim().slice(0, 40)}"`,
  };
}"""


def tab_to(page, selector: str) -> None:
    """Press Tab until the element matching `selector` has focus, checking each stop."""
    at_end = page.evaluate(FOCUSED, selector)["last"]
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUSED, selector)
        if state["lost"] and at_end:
            at_end = False  # past the page's last control: the next Tab starts at the top
            continue
        assert not state["lost"], f"Tab left focus on the page body on {page.url}"
        at_end = state["last"]
        assert state["shown"], f"focus on a hidden element {state['what']} on {page.url}"
        assert state["ring"], f"focus not shown on {state['what']} on {page.url}"
        if state["matches"]:
            return
    raise AssertionError(f"{selector} not reached with {MOST_TABS} Tabs on {page.url}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def type_date(page, selector: str, day: datetime.date) -> None:
    """A date box is typed as the browser's own segments show it (month, day, year here)."""
    tab_to(page, selector)
    page.keyboard.type(day.strftime("%m%d%Y"))
    assert page.eval_on_selector(selector, "el => el.value") == day.isoformat()


def press_on(page, selector: str, key: str = "Enter") -> None:
    tab_to(page, selector)
    page.keyboard.press(key)


def skip_to_content(page) -> None:
    """The first Tab on a page reaches the skip link; Enter on it moves on to the content."""
    tab_to(page, "a.skip-link")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def follow(page, selector: str) -> None:
    """Tab to a link or button, press Enter, and start on the page it leads to."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    skip_to_content(page)


def check_page(page) -> None:
    """Axe at desktop width and on a 360-px phone, which never scrolls sideways."""
    page.set_viewport_size(DESKTOP)
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    page.set_viewport_size(DESKTOP)


def arrive(page, url: str) -> None:
    """Open a page where the journey starts a step (as from an e-mail's link); focus starts
    at the top of the document."""
    # Without animations a focus ring is read as drawn, not halfway through fading in.
    page.emulate_media(reduced_motion="reduce")
    page.goto(url)
    check_page(page)
    skip_to_content(page)


def saved(page, message: str) -> None:
    expect(page.get_by_text(message).first).to_be_visible()
    check_page(page)


@pytest.fixture
def open_program(cast) -> Program:
    program = cast.program
    today = timezone.localdate()
    program.status = Program.Status.OPEN
    program.applications_open_on = today - 5 * DAY
    program.applications_close_on = today + 5 * DAY
    program.starts_on = today - DAY
    program.ends_on = today + 300 * DAY
    program.save()
    return program


def test_apply_survey_worksheet_prepare_record_with_the_keyboard(page_as, cast, open_program):
    program, today = open_program, timezone.localdate()
    member = page_as("member")

    # 1. The application.
    arrive(member, reverse("intake:apply", args=[program.slug, "mentee"]))
    type_into(member, "#id_essay", "I want to learn to represent my co-workers.")
    type_into(member, "#id_goals", "Run for steward next year.")
    type_into(member, "#id_union_role", "Health and safety rep")
    type_into(member, "#id_local_unit", "Local 7 Unit 3")
    press_on(member, "#id_experience_0", "Space")
    press_on(member, "#id_availability_0", "Space")
    press_on(member, "#id_preferred_delivery_0", "Space")
    press_on(member, "#id_privacy_consent", "Space")
    follow(member, "button[name=submit]")
    saved(member, "application")
    application = Application.objects.get(applicant=cast.member, program=program)
    assert application.status == Application.Status.SUBMITTED
    assert application.union_role == "Health and safety rep"

    # A coordinator accepts (their screens are not this journey); the program starts and
    # the member is matched with Mona.
    intake.application_decide(
        application=application, decision="accept", note="", by=cast.coordinator
    )
    Program.objects.filter(pk=program.pk).update(status=Program.Status.RUNNING)
    participant = Participant.objects.get(program=program, user=cast.member)
    match = Match.objects.create(
        program=program,
        mentee=participant,
        mentor=cast.mentor_participant,
        status=Match.Status.ACTIVE,
        started_at=timezone.now(),
    )

    # 2. The survey: the local and the role in the union are not asked again.
    arrive(member, reverse("surveys:mine", args=[program.slug]))
    assert member.locator("#id_union_role").count() == 0
    expect(member.get_by_text("Health and safety rep")).to_be_visible()
    for key in ("expectations", "working_toward", "strengths", "professional_goals"):
        type_into(member, f"#id_{key}", f"My answer on {key.replace('_', ' ')}.")
    type_into(member, "#id_hope_to_learn", "How to file a grievance.")
    follow(member, "button[name=submit]")
    saved(member, "your survey is submitted")
    assert Survey.objects.get(participant=participant).status == Survey.Status.SUBMITTED
    assert Profile.objects.get(user=cast.member).union_role == "Health and safety rep"

    # 3. The worksheet, reached from the pair's page.
    timeline = reverse("sessions:timeline", args=[program.slug, match.pk])
    arrive(member, timeline)
    follow(member, f'a[href="{reverse("sessions:worksheet", args=[program.slug, match.pk])}"]')
    check_page(member)
    edit = reverse("sessions:worksheet_edit", args=[program.slug, match.pk])
    follow(member, f'a[href="{edit}"]')
    check_page(member)
    type_into(member, "#id_roles", "Ask, try, report.")
    type_into(member, "#id_purpose", "Learn to handle grievances.")
    type_into(member, "#id_short_term_goals", "File a first grievance")
    type_into(member, "#id_long_term_goals", "Run for steward")
    type_date(member, "#id_target_end_on", today + 270 * DAY)
    type_date(member, "#id_midpoint_on", today + 135 * DAY)
    follow(member, "form button[type=submit]:not([name])")
    saved(member, "The worksheet is saved.")
    assert Worksheet.objects.get(match=match).purpose == "Learn to handle grievances."

    # 4. Preparing for the meeting they booked for yesterday, from "Coming up".
    meeting = Meeting.objects.create(
        match=match,
        starts_at=timezone.make_aware(datetime.datetime.combine(today - DAY, datetime.time(10))),
        duration_minutes=60,
        mode=Meeting.Mode.IN_PERSON,
        location="Union hall, room B",
        created_by=cast.member,
    )
    prepare = reverse("sessions:meeting_preparation", args=[program.slug, match.pk, meeting.pk])
    arrive(member, timeline)
    follow(member, f'a[href="{prepare}"]')
    check_page(member)
    type_into(member, "#id_tried", "I read the grievance procedure.")
    type_into(member, "#id_questions", "How long do I have to file?")
    follow(member, "form button[type=submit]")
    saved(member, "Your preparation is saved.")
    assert Preparation.objects.get(meeting=meeting).questions == "How long do I have to file?"

    # 5. The mentor records it, from the same list on the pair's page.
    mentor = page_as("mentor")
    record = reverse("sessions:meeting_record", args=[program.slug, match.pk, meeting.pk])
    arrive(mentor, timeline)
    follow(mentor, f'a[href="{record}"]')
    check_page(mentor)
    type_into(mentor, "#id_update", "Bob read the agreement.")
    type_into(mentor, "#id_focus", "Timelines in article 12.")
    follow(mentor, "button[name=status][value=recorded]")
    saved(mentor, "The session is recorded.")
    assert SessionRecord.objects.get(meeting=meeting).is_recorded
