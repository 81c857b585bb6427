"""The navigation bar every page shares (templates/includes/_navbar.html): what it links to
for each member, read in one query whose SQL is compiled once (programs.selectors)."""

import re

import pytest
from django.urls import reverse

from programs.models import Program
from programs.selectors import _navigation_sql, navigation_of
from programs.tests.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def navbar(response) -> str:
    html = response.content.decode()
    return html[html.index("<header>") : html.index("</header>")]


def links(html: str) -> list[tuple[str, str]]:
    """(href, text) of every link in the bar, in order."""
    return [
        (href, re.sub(r"<[^>]+>", "", text).strip())
        for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    ]


def test_a_mentee_of_one_program_gets_my_program_marked_on_its_page(cast, client_as):
    client = client_as("mentee")
    program_url = cast.program.get_absolute_url()
    bar = navbar(client.get(reverse("accounts:home")))
    assert (program_url, "My program") in links(bar)
    assert "My programs" not in bar and "Coordination" not in bar
    on_program = navbar(client.get(program_url))
    assert f'active" aria-current="page" href="{program_url}">My program<' in on_program


def test_a_member_of_two_programs_gets_one_menu_in_the_programs_order(cast, client_as):
    older = ProgramFactory(name="Aardvark Circle", slug="aardvark", year=2025)
    ParticipantFactory(program=older, user=cast.mentee)
    same_year = ProgramFactory(name="Zebra Circle", slug="zebra", year=2026)
    ParticipantFactory(program=same_year, user=cast.mentee)
    bar = navbar(client_as("mentee").get(reverse("accounts:home")))
    assert "My programs" in bar
    shown = [link for link in links(bar) if link[0].startswith("/programs/") and link[1]]
    # Newest year first, then by name: as Program.Meta.ordering.
    assert shown[1:4] == [
        (cast.program.get_absolute_url(), "2026 Mentorship Program"),
        ("/programs/zebra/", "Zebra Circle"),
        ("/programs/aardvark/", "Aardvark Circle"),
    ]


def test_a_coordinator_gets_the_coordination_menu_and_no_program_of_their_own(cast, client_as):
    bar = navbar(client_as("coordinator").get(reverse("dashboard:home")))
    assert "Coordination" in bar
    assert (reverse("matching:mentor_database"), "Mentor database") in links(bar)
    assert "My program" not in bar


def test_a_change_shows_on_the_next_page(cast, client_as):
    """Only the SQL is kept between requests, never the answer."""
    client = client_as("mentee")
    client.get(reverse("accounts:home"))
    Program.objects.filter(pk=cast.program.pk).update(name="Renamed Program", slug="renamed")
    bar = navbar(client.get(reverse("accounts:home")))
    assert ("/programs/renamed/", "My program") in links(bar)
    cast.program.coordinators.add(cast.mentee)
    bar = navbar(client.get(reverse("accounts:home")))
    assert "Coordination" in bar


def test_the_sql_is_compiled_once_and_run_with_each_members_id(cast):
    navigation_of(cast.mentee)
    compiled = _navigation_sql.cache_info().misses
    assert navigation_of(cast.mentor) == (False, navigation_of(cast.mentee)[1])
    assert navigation_of(cast.member) == (False, [])
    assert navigation_of(cast.coordinator) == (True, [])
    assert _navigation_sql.cache_info().misses == compiled
