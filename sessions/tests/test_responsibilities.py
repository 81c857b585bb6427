"""The mentor's and the mentee's responsibilities (handbook III.6) as orientation material
and on the worksheet, in English and French."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from sessions.responsibilities import MENTEE_RESPONSIBILITIES, MENTOR_RESPONSIBILITIES
from sessions.tests.factories import OrientationFactory, WorksheetFactory

pytestmark = pytest.mark.django_db


def as_html(text) -> str:
    """As the page shows it, its spaces squeezed like the page's (French no-break spaces too)."""
    return " ".join(escape(str(text)).split())


def page_of(client, url) -> str:
    return " ".join(client.get(url).content.decode().split())


def test_the_handbooks_two_lists_in_its_order():
    assert len(MENTOR_RESPONSIBILITIES) == 9 and len(MENTEE_RESPONSIBILITIES) == 6
    mentor, mentee = (
        " ".join(map(str, MENTOR_RESPONSIBILITIES)),
        " ".join(map(str, MENTEE_RESPONSIBILITIES)),
    )
    for words in ("“stretch” assignments", "advocate", "political pitfalls", "openness and trust"):
        assert words in mentor
    for words in ("stretch assignments", "public speaking", "scheduled appointments", "setbacks"):
        assert words in mentee
    assert str(MENTOR_RESPONSIBILITIES[-1]) == "Identify political pitfalls."


@pytest.mark.parametrize("role", ["mentee", "mentor", "coordinator"])
def test_the_orientation_page_lists_both_sides(cast, client_as, role):
    url = reverse("sessions:orientation", args=[cast.program.slug])
    for state in ("not set up", "set up"):
        if state == "set up":
            OrientationFactory(program=cast.program)
        page = page_of(client_as(role), url)
        assert "Roles and responsibilities" in page
        assert "Mentors are responsible for:" in page and "Mentees are responsible for:" in page
        for item in (*MENTOR_RESPONSIBILITIES, *MENTEE_RESPONSIBILITIES):
            assert as_html(item) in page, item


@pytest.mark.parametrize("view", ["sessions:worksheet", "sessions:worksheet_edit"])
def test_the_worksheet_has_them_folded_the_readers_own_first(cast, client_as, view):
    pair = cast.pair()
    WorksheetFactory(match=pair)
    url = reverse(view, args=[cast.program.slug, pair.pk])
    mentee = page_of(client_as("mentee"), url)
    block = mentee.split('<details class="card card-body mb-4 responsibilities"')[1].split(
        "</details>"
    )[0]
    assert block.startswith(' id="responsibilities">')  # closed: no "open" attribute
    assert "<summary" in block and "Your responsibilities" in block
    assert block.index("As a mentee, you are responsible for:") < block.index(
        "Mentors are responsible for:"
    )
    for item in (*MENTOR_RESPONSIBILITIES, *MENTEE_RESPONSIBILITIES):
        assert as_html(item) in block, item
    mentor = page_of(client_as("mentor"), url)
    assert mentor.index("As a mentor, you are responsible for:") < mentor.index(
        "Mentees are responsible for:"
    )


def test_a_coordinator_reads_both_under_their_own_heading(cast, client_as):
    pair = cast.pair()
    page = page_of(
        client_as("coordinator"), reverse("sessions:worksheet", args=[cast.program.slug, pair.pk])
    )
    assert "<summary" in page and "Roles and responsibilities" in page
    assert "Your responsibilities" not in page and "you are responsible" not in page


def test_in_french(cast, client_as):
    cast.mentee.language = "fr"
    cast.mentee.save(update_fields=["language"])
    pair = cast.pair()
    page = page_of(
        client_as("mentee"), reverse("sessions:worksheet", args=[cast.program.slug, pair.pk])
    )
    with translation.override("en"):
        english = [str(item) for item in (*MENTOR_RESPONSIBILITIES, *MENTEE_RESPONSIBILITIES)]
    with translation.override("fr"):
        assert "Vos responsabilités" in page
        for item, in_english in zip(
            (*MENTOR_RESPONSIBILITIES, *MENTEE_RESPONSIBILITIES), english, strict=True
        ):
            assert as_html(item) in page, item
            assert str(item) != in_english  # translated, not the English
