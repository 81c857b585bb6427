"""A coordinator keys in a mentee's wishes about a mentor from the paper survey ("What matters
to you in a mentor?"): the member's own form and service, on the mentee's behalf, on record in
the activity log; nothing the mentee saved online is lost, and nobody else gets in."""

import html
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from core.testing import form_fields, loaded_token, post_loaded
from matching.models import MatchingProfile, Preference
from matching.tests.factories import add_mentee, add_mentor
from programs.models import ActivityEntry
from programs.tests.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db

RACE, WOMAN = "pref_same_race_ethnicity", "pref_woman_mentor"


def wishes_url(program, participant) -> str:
    return reverse("matching:key_in_wishes", args=[program.slug, participant.pk])


def rows(participant) -> set[tuple]:
    return set(
        participant.matching_preferences.values_list("kind", "strength", "mentor_id", "rank")
    )


@pytest.fixture
def mentee(cast, program):
    """The cast's mentee, who already said online what she wants to learn and whom."""
    rosa = add_mentor(program, "Rosa Example")
    MatchingProfile.objects.create(
        participant=cast.mentee_participant, learning_goals=["grievances"]
    )
    Preference.objects.create(
        participant=cast.mentee_participant, kind="specific_mentor", mentor=rosa, rank=1
    )
    return cast.mentee_participant


def test_the_coordinator_keys_in_the_paper_wishes_and_keeps_what_was_saved_online(
    program, mentee, coordinator, cast
):
    url = wishes_url(program, mentee)
    page = coordinator.get(url).content.decode()
    assert "A mentor who shares my race or ethnicity" in page
    assert "Eddie Mentee" in page
    # What the mentee saved online is on the form, so saving it keeps it.
    fields = form_fields(page)
    assert fields["learning_goals"] == ["grievances"] or fields["learning_goals"] == "grievances"
    (rosa_id, *_) = [m for kind, _s, m, _r in rows(mentee) if kind == "specific_mentor"]
    assert fields["choice_1"] == str(rosa_id)

    response = coordinator.post(url, {**fields, RACE: "must", WOMAN: "nice"})
    assert response.status_code == 302 and response.url == url
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Eddie Mentee's mentor wishes are saved."
    ]
    assert rows(mentee) == {
        ("same_race_ethnicity", "must", None, None),
        ("woman_mentor", "nice", None, None),
        ("specific_mentor", "nice", rosa_id, 1),
    }
    assert MatchingProfile.objects.get(participant=mentee).learning_goals == ["grievances"]
    # Who keyed it in: the activity log's entry for this page, by this coordinator.
    entry = ActivityEntry.objects.get(action="matching:key_in_wishes")
    assert entry.actor == cast.coordinator and entry.program == program
    assert entry.target == {"slug": program.slug, "participant_id": mentee.pk}
    assert "matching.preference" in {c["model"] for c in entry.changes}
    # After the redirect the page shows what is saved.
    page = coordinator.get(url).content.decode()
    assert re.search(rf'name="{RACE}" value="must"[^>]*checked', page)


def test_an_error_keeps_what_was_typed_and_saves_nothing(program, mentee, coordinator):
    url = wishes_url(program, mentee)
    before = rows(mentee)
    rosa_id = next(m for kind, _s, m, _r in before if kind == "specific_mentor")
    response = post_loaded(
        coordinator,
        url,
        {RACE: "must", "choice_1": str(rosa_id), "choice_2": str(rosa_id)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose each mentor once." in page
    assert re.search(rf'name="{RACE}" value="must"[^>]*checked', page)
    assert rows(mentee) == before


def test_the_same_form_sent_twice_saves_once(program, mentee, coordinator):
    url = wishes_url(program, mentee)
    fields = {**form_fields(coordinator.get(url).content.decode()), RACE: "nice"}
    first, second = coordinator.post(url, fields), coordinator.post(url, fields)
    assert (first.status_code, second.status_code) == (302, 302)
    assert Preference.objects.filter(participant=mentee, kind="same_race_ethnicity").count() == 1
    assert Preference.objects.filter(participant=mentee).count() == 2


def test_a_wish_the_mentee_saved_since_is_not_overwritten(program, mentee, coordinator):
    url = wishes_url(program, mentee)
    token = loaded_token(coordinator, url)
    # Meanwhile the mentee says online that she wants a woman mentor, and no longer Rosa.
    Preference.objects.filter(participant=mentee).delete()
    Preference.objects.create(participant=mentee, kind="woman_mentor", strength="must")
    response = coordinator.post(url, {WOMAN: "nice", "loaded_as": token})
    assert response.status_code == 409
    assert rows(mentee) == {("woman_mentor", "must", None, None)}


def test_only_a_mentee_of_this_program_and_only_where_there_are_mentors(program, cast, coordinator):
    # A mentor states no wishes about a mentor; another program's mentee is not here.
    assert coordinator.get(wishes_url(program, cast.mentor_participant)).status_code == 404
    elsewhere = ParticipantFactory(program=ProgramFactory(), role="mentee")
    assert coordinator.get(wishes_url(program, elsewhere)).status_code == 404
    assert coordinator.post(wishes_url(program, elsewhere), {RACE: "must"}).status_code == 404
    assert not Preference.objects.filter(participant=elsewhere).exists()
    # Peers are paired with each other: no such page, and no link to it.
    program.format = "peer"
    program.save(update_fields=["format"])
    assert coordinator.get(wishes_url(program, cast.mentee_participant)).status_code == 404
    survey = reverse("surveys:detail", args=[program.slug, cast.mentee_participant.pk])
    assert "key_in_wishes" not in coordinator.get(survey).content.decode()
    assert "/wishes/" not in coordinator.get(survey).content.decode()


@pytest.mark.parametrize("who", ["mentee", "mentor", "other_coordinator", "member"])
def test_no_one_else_writes_them(program, mentee, client_as, who):
    before = rows(mentee)
    response = client_as(who).post(wishes_url(program, mentee), {RACE: "must"})
    assert response.status_code == (404 if who in ("other_coordinator", "member") else 403)
    assert rows(mentee) == before


def test_the_survey_pages_lead_to_it_for_the_coordinators_only(program, cast, client_as):
    mentee, mentor = cast.mentee_participant, cast.mentor_participant
    link = f'href="{wishes_url(program, mentee)}"'
    coordinator = client_as("coordinator")
    detail = reverse("surveys:detail", args=[program.slug, mentee.pk])
    key_in = reverse("surveys:key_in", args=[program.slug, mentee.pk])
    assert link in coordinator.get(detail).content.decode()
    page = coordinator.get(key_in).content.decode()
    assert 'id="key-in-wishes"' in page and link in page
    # The mentee's own survey pages point to her own page, never to this one.
    assert link not in client_as("mentee").get(detail).content.decode()
    assert (
        link
        not in client_as("mentee")
        .get(reverse("surveys:mine", args=[program.slug]))
        .content.decode()
    )
    # A mentor's survey has no wishes about a mentor.
    mentor_key_in = reverse("surveys:key_in", args=[program.slug, mentor.pk])
    assert "/wishes/" not in coordinator.get(mentor_key_in).content.decode()
    mentor_detail = reverse("surveys:detail", args=[program.slug, mentor.pk])
    assert "/wishes/" not in coordinator.get(mentor_detail).content.decode()


def test_the_page_speaks_french(program, mentee, cast, client_as):
    cast.coordinator.language = "fr"
    cast.coordinator.save(update_fields=["language"])
    response = post_loaded(
        client_as("coordinator"), wishes_url(program, mentee), {RACE: "must"}, follow=True
    )
    page = " ".join(html.unescape(response.content.decode()).split())
    with translation.override("fr"):
        expected = [
            translation.gettext("Mentor wishes"),
            translation.gettext("Save the mentor wishes"),
            translation.gettext("%(name)s's mentor wishes are saved.") % {"name": "Eddie Mentee"},
        ]
    for text in expected:
        assert " ".join(text.split()) in page, text
    assert "Save the mentor wishes" not in page and "mentor wishes are saved" not in page


def test_other_mentees_are_untouched(program, mentee, coordinator):
    other = add_mentee(program, "Ana Organizer")
    Preference.objects.create(participant=other, kind="woman_mentor", strength="must")
    post_loaded(coordinator, wishes_url(program, mentee), {RACE: "must"})
    assert rows(other) == {("woman_mentor", "must", None, None)}
