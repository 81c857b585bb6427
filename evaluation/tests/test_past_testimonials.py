"""An open program's recruiting page shows what past participants said: approved
testimonials of the site's past programs only, with their consent; never one waiting for
approval, declined, rewritten since its approval, withdrawn, or whose author has left."""

import pytest
from django.test import Client
from django.urls import reverse

from evaluation import selectors, services
from programs.models import Participant, Program
from programs.tests.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_program(cast):
    program = cast.program
    program.status = Program.Status.OPEN
    program.save(update_fields=["status"])
    return program


@pytest.fixture
def past(cast):
    return ProgramFactory(name="2024 Mentorship Program", status=Program.Status.CLOSED)


def said(program, text, *, role=Participant.Role.MENTEE, approve=True, show_name=True, **user):
    participant = ParticipantFactory(program=program, role=role, **user)
    testimonial = services.testimonial_save(
        participant=participant, text=text, show_name=show_name, consent=True
    )
    if approve is not None:
        services.testimonial_review(testimonial=testimonial, by=None, approve=approve)
    return participant


def page(program, client=None) -> str:
    client = client or Client()
    return client.get(reverse("programs:detail", args=[program.slug])).content.decode()


def test_approved_words_of_past_programs_are_on_the_open_programs_page(
    open_program, past, client_as
):
    said(past, "It made me run for steward.", user__name="Rosa Parks")
    said(past, "I learned to listen.", role=Participant.Role.MENTOR, show_name=False)
    for html in (page(open_program), page(open_program, client_as("member"))):
        assert "What past participants say" in html
        assert "It made me run for steward." in html
        assert "Rosa Parks, mentee, 2024 Mentorship Program" in html
        assert "I learned to listen." in html
        assert "A mentor in the program, 2024 Mentorship Program" in html


def test_only_approved_consented_words_of_people_still_here_are_shown(open_program, past, cast):
    said(past, "Waiting for a coordinator.", approve=None)
    said(past, "Declined by the coordinator.", approve=False)
    rewritten = said(past, "First words.")
    services.testimonial_save(
        participant=rewritten, text="Rewritten, not yet approved.", show_name=True, consent=True
    )
    withdrawn = said(past, "Withdrawn since.")
    assert services.testimonial_withdraw(participant=withdrawn)
    left = said(past, "Author deactivated.")
    left.user.is_active = False
    left.user.save(update_fields=["is_active"])
    still_running = ProgramFactory(status=Program.Status.RUNNING)
    said(still_running, "From a program still running.")
    closed = ProgramFactory(status=Program.Status.CLOSED)
    said(closed, "Shown: the one approved.")
    html = page(open_program)
    for hidden in (
        "Waiting for a coordinator.",
        "Declined by the coordinator.",
        "First words.",
        "Rewritten, not yet approved.",
        "Withdrawn since.",
        "Author deactivated.",
        "From a program still running.",
    ):
        assert hidden not in html, hidden
    assert "Shown: the one approved." in html
    assert [t.text for t in selectors.past_testimonials(open_program)] == [
        "Shown: the one approved."
    ]


def test_a_program_not_recruiting_shows_no_past_words(open_program, past):
    said(past, "It made me run for steward.")
    open_program.status = Program.Status.RUNNING
    open_program.save(update_fields=["status"])
    assert "It made me run for steward." not in page(open_program)
    assert "What past participants say" not in page(open_program)


def test_at_most_six_most_recently_approved(open_program, past):
    for n in range(8):
        said(past, f"Testimonial number {n}.")
    shown = [t.text for t in selectors.past_testimonials(open_program)]
    assert shown == [f"Testimonial number {n}." for n in range(7, 1, -1)]


def test_the_page_in_french(open_program, past, cast, client_as):
    said(past, "Ça m'a changé.", user__name="Rosa Parks")
    cast.member.language = "fr"
    cast.member.save(update_fields=["language"])
    html = page(open_program, client_as("member"))
    assert "Ce qu’en disent les personnes des programmes passés" in html
    assert "Rosa Parks, personne mentorée, 2024 Mentorship Program" in html
