"""The handbook's orientation agenda is read in each reader's language until a coordinator
edits it: unedited items are saved by their key, without text, and translated at read time;
an edited item is the coordinator's text, the same for every reader."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.testing import form_fields
from sessions import ical, services
from sessions.appendices import DEFAULT_AGENDA, default_agenda, default_key
from sessions.models import AgendaItem, Orientation
from sessions.tests.factories import OrientationFactory, at

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
ENGLISH = [str(item.title) for item in DEFAULT_AGENDA]
with translation.override("fr"):
    FRENCH = [str(item.title) for item in DEFAULT_AGENDA]
MIGRATION = importlib.import_module("sessions.migrations.0007_agenda_items_to_handbook_keys")


def orientation_data(today) -> dict:
    return {
        "starts_at": at(today + 5 * DAY, 18),
        "duration_minutes": 120,
        "location": "Union hall",
        "video_link": "",
        "child_care": False,
        "food": False,
        "accessibility_notes": "",
    }


def speaks(user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def page_of(client_as, role: str, program) -> str:
    return (
        client_as(role).get(reverse("sessions:orientation", args=[program.slug])).content.decode()
    )


def test_the_french_catalogue_translates_every_handbook_item():
    assert FRENCH != ENGLISH and len(set(FRENCH)) == len(FRENCH)


def test_a_new_agenda_is_saved_by_keys_and_read_in_each_language(program, cast, client_as, today):
    speaks(cast.coordinator, "fr")
    with translation.override("fr"):  # created by a French-speaking coordinator
        orientation, _new = services.orientation_save(
            program=program, by=cast.coordinator, data=orientation_data(today)
        )
    rows = list(orientation.agenda.values_list("key", "title", "description"))
    assert rows == [(item.key, "", "") for item in DEFAULT_AGENDA]
    speaks(cast.mentee, "fr")
    english, french = page_of(client_as, "mentor", program), page_of(client_as, "mentee", program)
    for en, fr in zip(ENGLISH, FRENCH, strict=True):
        assert en in english and fr not in english
        assert fr.replace("'", "&#x27;") in french and f"<strong>{en}</strong>" not in french
    assert "why they are interested in the mentoring program." in english
    assert "les raisons de leur intérêt pour le programme de mentorat." in french


def test_saving_the_form_unchanged_in_french_keeps_the_handbook_items(
    program, cast, client_as, today
):
    OrientationFactory(program=program)
    Orientation.objects.get(program=program).agenda.all().delete()
    services._save_agenda(Orientation.objects.get(program=program), default_agenda())
    speaks(cast.coordinator, "fr")
    client = client_as("coordinator")
    url = reverse("sessions:orientation_edit", args=[program.slug])
    form = client.get(url).content.decode()
    assert FRENCH[0] in form
    response = client.post(url, form_fields(form))
    assert response.status_code == 302
    assert list(AgendaItem.objects.values_list("key", flat=True)) == [
        item.key for item in DEFAULT_AGENDA
    ]
    assert ENGLISH[2] in page_of(client_as, "mentor", program)


def test_an_edited_item_is_the_coordinators_text_for_every_reader(program, cast, client_as, today):
    orientation, _new = services.orientation_save(
        program=program, by=cast.coordinator, data=orientation_data(today)
    )
    speaks(cast.coordinator, "fr")
    client = client_as("coordinator")
    url = reverse("sessions:orientation_edit", args=[program.slug])
    data = form_fields(client.get(url).content.decode())
    data["agenda-0-title"] = "Tour de table"
    assert client.post(url, data).status_code == 302
    first, *others = orientation.agenda.all()
    assert (first.key, first.title) == ("", "Tour de table")
    assert first.description.startswith("Les personnes participantes")  # as the form showed it
    assert [item.key for item in others] == [item.key for item in DEFAULT_AGENDA[1:]]
    english = page_of(client_as, "mentor", program)
    assert "Tour de table" in english and ENGLISH[1] in english


def test_the_calendar_reads_the_agenda_in_the_members_language(program, cast, today):
    services.orientation_save(program=program, by=cast.coordinator, data=orientation_data(today))
    speaks(cast.mentee, "fr")
    token = services.calendar_feed_regenerate(user=cast.mentee).token
    feed = Client().get(reverse("sessions:feed", args=[token])).content.decode()
    feed = feed.replace("\r\n ", "")
    assert f"{FRENCH[0]} (10 min)" in feed and ENGLISH[1] not in feed
    with translation.override("en"):
        event = ical.orientation_event(Orientation.objects.get())
    assert f"{ENGLISH[0]} (10 min)" in event.description


def test_a_key_is_given_only_to_the_handbooks_text_in_a_site_language():
    with translation.override("fr"):
        first = DEFAULT_AGENDA[0]
        assert default_key(str(first.title), str(first.description)) == first.key
    assert default_key(ENGLISH[0], str(DEFAULT_AGENDA[0].description)) == "introductions"
    assert default_key(ENGLISH[0], "Our own words.") == ""
    assert default_key("Icebreaker", "") == ""
    assert default_key(ENGLISH[4], "") == "wrap_up"


def test_the_database_holds_either_a_key_or_a_title(program):
    from django.db import IntegrityError, transaction

    orientation = OrientationFactory(program=program)
    for bad in ({"key": "", "title": ""}, {"key": "wrap_up", "title": "Wrap up"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            AgendaItem.objects.create(orientation=orientation, minutes=10, **bad)


def test_the_migration_converts_unedited_english_and_french_items(program):
    orientation = OrientationFactory(program=program)
    english = default_agenda()
    with translation.override("fr"):
        french = default_agenda()
    rows = [
        english[0],
        french[1],
        {**english[2], "description": "Our own way of getting acquainted."},
        {"title": "Icebreaker", "minutes": 5, "description": ""},
        {**french[4], "title": f"  {french[4]['title']}  "},
    ]
    for order, row in enumerate(rows):
        AgendaItem.objects.create(orientation=orientation, order=order, **row)
    MIGRATION.to_keys(apps, None)
    assert list(orientation.agenda.values_list("key", "title")) == [
        ("introductions", ""),
        ("overview", ""),
        ("", ENGLISH[2]),
        ("", "Icebreaker"),
        ("wrap_up", ""),
    ]
    MIGRATION.to_texts(apps, None)
    assert list(orientation.agenda.values_list("key", "title")) == [
        ("", ENGLISH[0]),
        ("", ENGLISH[1]),
        ("", ENGLISH[2]),
        ("", "Icebreaker"),
        ("", ENGLISH[4]),
    ]
