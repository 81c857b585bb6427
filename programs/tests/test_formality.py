"""The program's level of formality (handbook III): set by its coordinators, shown on the
program page and where pairs plan how often and how to meet."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from programs.models import FORMALITY_GUIDANCE, Program
from programs.tests.factories import ProgramFactory
from programs.tests.test_setup import create, edit_post
from sessions.tests.factories import OrientationFactory, WorksheetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(cast) -> Program:
    """A program as test_setup's edit page tests have it (two phases; Bob co-coordinates)."""
    program = create(
        cast.coordinator,
        phases=[{"name": "Part One"}, {"name": "Part Two"}],
        measures=["Worked on a campaign"],
    )
    program.coordinators.add(cast.member)
    return program


def as_html(text) -> str:
    """As the page shows it, its spaces squeezed like the page's (French no-break spaces too)."""
    return " ".join(escape(str(text)).split())


def squeezed(html: str) -> str:
    return " ".join(html.split())


def test_a_program_is_formal_with_flexible_guidelines_unless_set_otherwise():
    # The handbook's own suggestion, and what programs set up before the field had.
    assert ProgramFactory().formality == Program.Formality.FLEXIBLE
    assert set(FORMALITY_GUIDANCE) == set(Program.Formality)


def test_a_coordinator_sets_it_where_they_edit_the_program(client_as, edited):
    client = client_as("coordinator")
    url = reverse("programs:edit", args=[edited.slug])
    page = client.get(url).content.decode()
    assert 'name="formality" value="flexible"' in page and 'type="radio"' in page
    response = client.post(url, edit_post(edited, formality="informal"))
    assert response.status_code == 302
    edited.refresh_from_db()
    assert edited.formality == Program.Formality.INFORMAL
    # A form sent without it (an older tab) keeps the program's choice.
    data = edit_post(edited)
    data.pop("formality", None)
    assert client.post(url, data).status_code == 302
    edited.refresh_from_db()
    assert edited.formality == Program.Formality.INFORMAL
    # Not one of the choices: refused, nothing saved.
    refused = client.post(url, edit_post(edited, formality="anarchic"))
    assert refused.status_code == 200 and "formality" in refused.context["form"].errors
    edited.refresh_from_db()
    assert edited.formality == Program.Formality.INFORMAL


def test_only_its_coordinators_can_change_it(client_as, edited):
    url = reverse("programs:edit", args=[edited.slug])
    for role in ("mentor", "mentee", "other_coordinator"):
        client_as(role).post(url, edit_post(edited, formality="formal"))
    edited.refresh_from_db()
    assert edited.formality == Program.Formality.FLEXIBLE


@pytest.mark.parametrize("level", list(Program.Formality))
def test_the_program_page_says_it_and_what_it_means(cast, client_as, level):
    cast.program.formality = level
    cast.program.save(update_fields=["formality"])
    page = squeezed(client_as("member").get(cast.program.get_absolute_url()).content.decode())
    assert as_html(level.label) in page
    assert as_html(FORMALITY_GUIDANCE[level]) in page
    others = [FORMALITY_GUIDANCE[x] for x in Program.Formality if x != level]
    assert not any(as_html(text) in page for text in others)


@pytest.mark.parametrize("role", ["mentee", "mentor", "coordinator"])
def test_the_orientation_and_the_worksheet_say_how_often_and_how_to_meet(cast, client_as, role):
    cast.program.formality = Program.Formality.FORMAL
    cast.program.time_commitment = "One meeting a month"
    cast.program.save(update_fields=["formality", "time_commitment"])
    pair = cast.pair()
    client = client_as(role)
    guidance = as_html(FORMALITY_GUIDANCE[Program.Formality.FORMAL])
    # Before the orientation is set up, and after.
    orientation = reverse("sessions:orientation", args=[cast.program.slug])
    assert guidance in squeezed(client.get(orientation).content.decode())
    OrientationFactory(program=cast.program)
    page = squeezed(client.get(orientation).content.decode())
    assert guidance in page and "Expected time commitment: One meeting a month" in page
    # The worksheet, not started yet, then beside its section 5 (regular meetings).
    worksheet = reverse("sessions:worksheet", args=[cast.program.slug, pair.pk])
    assert guidance in squeezed(client.get(worksheet).content.decode())
    WorksheetFactory(match=pair)
    page = squeezed(client.get(worksheet).content.decode())
    section = page.split('id="section-5"')[1].split('id="section-6"')[0]
    assert guidance in section


def test_in_french(cast, client_as):
    cast.program.formality = Program.Formality.INFORMAL
    cast.program.save(update_fields=["formality"])
    cast.mentee.language = "fr"
    cast.mentee.save(update_fields=["language"])
    url = reverse("sessions:orientation", args=[cast.program.slug])
    page = squeezed(client_as("mentee").get(url).content.decode())
    with translation.override("fr"):
        assert as_html(str(FORMALITY_GUIDANCE[Program.Formality.INFORMAL])) in page
        assert "Degré de formalité" in page
