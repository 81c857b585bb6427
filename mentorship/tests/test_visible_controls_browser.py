"""What axe-core does not measure, measured in a real browser (WCAG 2.2 1.4.11, 2.4.7, 2.4.13).

On the key forms: every visible form control's border has at least 3:1 contrast with what it
sits on; Tab through the whole page and every focused element shows an indicator at least
2 px thick with at least 3:1 contrast; after a failed submit the error summary has the focus.
The navigation stays on one line at 1280 px (French, a coordinator in two programs) and folds
into its menu button on a 360 px phone. Axe runs at both widths.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.testing import assert_accessible, control_borders, focus_indicator
from mentorship.tests.test_access_matrix import pair_meeting, pair_worksheet
from programs.models import Participant, Program
from programs.tests.factories import ParticipantFactory, ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
MOST_TABS = 200
# What the page focuses after a failed submit (static/js/forms.js): the summary of errors, or
# on forms drawn by allauth and crispy alone, the alert that lists them.
SUMMARY = "#error-summary, #form-errors, #edit-conflict, [data-error-summary], form .alert-danger"


def open_for_applications(program: Program) -> None:
    today = timezone.localdate()
    program.status = Program.Status.OPEN
    program.applications_open_on = today - datetime.timedelta(days=10)
    program.applications_close_on = today + datetime.timedelta(days=10)
    program.starts_on = today + datetime.timedelta(days=30)
    program.ends_on = today + datetime.timedelta(days=300)
    program.save()


def log_in_form(cast):
    return reverse("account_login")


def application(cast):
    open_for_applications(cast.program)
    return reverse("intake:apply", kwargs={"slug": cast.program.slug, "role": "mentee"})


def mentee_survey(cast):
    return reverse("surveys:mine", kwargs={"slug": cast.program.slug})


def worksheet(cast):
    return reverse("sessions:worksheet_edit", kwargs=pair_worksheet(cast))


def session_record(cast):
    return reverse("sessions:meeting_record", kwargs=pair_meeting(cast))


def meeting_with_radios(cast):
    match = cast.pair()
    return reverse(
        "sessions:meeting_create", kwargs={"slug": cast.program.slug, "match_id": match.pk}
    )


def wrong_password(page, cast) -> None:
    page.get_by_label("Email").fill(cast.member.email)
    page.get_by_label("Password").fill("not the password")


def end_date_without_mid_point(page, cast) -> None:
    end = timezone.localdate() + datetime.timedelta(days=270)
    page.get_by_label("Target end date").fill(end.isoformat())
    page.get_by_label("Mid-point check-in").fill("")


def nothing(page, cast) -> None:
    """Sent empty."""


# (who opens it, where, what makes the submit fail, the button that sends it)
KEY_FORMS = {
    "log-in": (
        "anonymous",
        log_in_form,
        wrong_password,
        re.compile("^(Sign In|Log in)$", re.IGNORECASE),
    ),
    "application": ("member", application, nothing, "Submit application"),
    "mentee-survey": ("mentee", mentee_survey, nothing, "Submit my survey"),
    "worksheet": ("mentee", worksheet, end_date_without_mid_point, "Save the worksheet"),
    "session-record": ("mentor", session_record, nothing, "Record the session"),
    "meeting-radios": ("mentee", meeting_with_radios, nothing, "Schedule the meeting"),
}


def tab_through(page) -> list[dict]:
    """Press Tab from the top until focus leaves the page; each stop's focus indicator.

    A date box's calendar button is drawn by the browser itself: not measured.
    """
    stops = []
    page.locator("body").focus()
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        indicator = focus_indicator(page)
        if indicator is None or (stops and indicator["element"] == stops[0]["element"]):
            break
        if not indicator["browserPart"]:
            stops.append(indicator)
    return stops


def no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("form", list(KEY_FORMS))
def test_key_form_controls_and_focus_are_visible(page_as, cast, form):
    role, url_of, fail, button = KEY_FORMS[form]
    url = url_of(cast)
    page = page_as(role)
    page.goto(url)

    controls = control_borders(page)
    assert len(controls) >= 2, f"No form controls found on {url}"
    faint = [
        f"{c['element']}: {c['ratio']:.2f}:1, {c['width']}px ({c['colour']} on {c['behind']})"
        for c in controls
        if c["ratio"] < 3 or c["width"] < 1
    ]
    print(f"{form}: {len(controls)} controls, lowest border contrast", end=" ")
    print(f"{min(c['ratio'] for c in controls):.2f}:1")
    assert not faint, f"Control borders under 3:1 on {url}:\n" + "\n".join(faint)

    stops = tab_through(page)
    assert len(stops) >= 5, f"Tab reached only {len(stops)} elements on {url}"
    weak = [
        f"{s['element']}: {s['width']}px at {s['ratio']:.2f}:1"
        for s in stops
        if s["width"] < 2 or s["ratio"] < 3
    ]
    print(f"{form}: {len(stops)} focus stops, thinnest", min(s["width"] for s in stops), end="")
    print(f"px, lowest contrast {min(s['ratio'] for s in stops):.2f}:1")
    assert not weak, f"Focus indicators under 2 px or 3:1 on {url}:\n" + "\n".join(weak)

    # A failed submit: the page comes back with its errors, and the focus is on their summary.
    fail(page, cast)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state("load")
    summary = page.locator(SUMMARY).first
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    indicator = focus_indicator(page)
    assert indicator["width"] >= 2 and indicator["ratio"] >= 3, indicator
    assert_accessible(page)

    page.set_viewport_size(PHONE)
    page.goto(url)
    assert no_sideways_scroll(page)
    assert_accessible(page)


def test_a_form_without_a_summary_focuses_its_first_field_in_error(page_as):
    """allauth's forms show each error at its field only: the first such field is focused."""
    page = page_as("anonymous")
    page.goto(log_in_form(None))
    page.get_by_role("button", name=KEY_FORMS["log-in"][3]).click()
    page.wait_for_load_state("load")
    expect(page.locator("#id_login")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_login")).to_be_focused()


def take_part_in_two_programs(cast, role: str, language: str):
    """The member (mentee or coordinator) in two programs, reading the site in `language`."""
    user = cast.user(role)
    third = ProgramFactory(name="Programme des délégués syndicaux", slug="delegues")
    ParticipantFactory(program=third, user=user, role=Participant.Role.MENTOR)
    if role == "coordinator":  # coordinates the cast's program, takes part in two others
        ParticipantFactory(program=cast.other_program, user=user, role=Participant.Role.MENTEE)
    user.language = language
    user.save()


def open_menu(page, label: str) -> list[str]:
    """Open one of the navigation's menus; the names of its links, each now visible."""
    toggle = page.locator("#main-nav").get_by_role("button", name=label)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    menu = page.locator(f"[aria-labelledby={toggle.get_attribute('id')}]")
    names = [name.strip() for name in menu.get_by_role("link").all_inner_texts()]
    for name in names:
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    return names


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("role", ["mentee", "coordinator"])
def test_navigation_is_one_line_at_1280_px(page_as, cast, role, language):
    take_part_in_two_programs(cast, role, language)
    page = page_as(role)
    page.goto(reverse("accounts:home"))
    assert page.locator("html").get_attribute("lang") == language
    # One line: the brand and every item share the same vertical middle, and no item's
    # words wrap inside it (a squeezed item grows taller, centred on the same line).
    items = page.evaluate(
        "() => Array.from(document.querySelectorAll("
        "'.navbar-brand, #main-nav > .navbar-nav > .nav-item > .nav-link"
        "')).map((e) => {"
        " const box = e.getBoundingClientRect(), style = getComputedStyle(e);"
        " const inner = box.height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)"
        "  - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth);"
        " return {name: e.textContent.trim(), middle: box.top + box.height / 2,"
        "  lines: Math.round(inner / parseFloat(style.lineHeight))}; })"
    )
    assert len(items) >= 6, items
    line = items[0]["middle"]
    off = [i["name"] for i in items if abs(i["middle"] - line) > 3 or i["lines"] != 1]
    assert not off, f"The navigation wraps: {off} are not on one line with the brand ({items})"
    french = language == "fr"
    programs = open_menu(page, "Mes programmes" if french else "My programs")
    assert len(programs) == 3, programs  # two programs, then the forms of both
    page.keyboard.press("ArrowDown")  # Bootstrap's menu: the arrow keys move through it
    indicator = focus_indicator(page)
    assert indicator["element"].startswith("a"), indicator
    assert indicator["width"] >= 2 and indicator["ratio"] >= 3, indicator
    assert_accessible(page)
    if role == "coordinator":
        page.keyboard.press("Escape")
        coordination = open_menu(page, "Coordination")
        assert coordination == (
            ["Tableau de bord de la coordination", "Banque de mentors"]
            if french
            else ["Coordinator dashboard", "Mentor database"]
        )


def test_navigation_folds_into_its_menu_button_on_a_phone(page_as, cast):
    take_part_in_two_programs(cast, "coordinator", "fr")
    page = page_as("coordinator")
    page.set_viewport_size(PHONE)
    page.goto(reverse("accounts:home"))
    toggler = page.get_by_role("button", name="Afficher ou masquer le menu")
    expect(toggler).to_be_visible()
    expect(page.locator("#main-nav")).to_be_hidden()
    toggler.click()
    page.locator("#main-nav.show:not(.collapsing)").wait_for()
    assert sorted(open_menu(page, "Mes programmes")) == [
        "Mes formulaires",
        "Programme des délégués syndicaux",
        "Stewards' Circle",
    ]
    assert no_sideways_scroll(page)
    assert_accessible(page)
