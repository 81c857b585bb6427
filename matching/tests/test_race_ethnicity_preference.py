"""A mentee's wish for a mentor who shares their race or ethnicity (handbook III.4), from
the preferences page to the engine and the board; and the partner never learns of it."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Profile
from core.testing import post_loaded
from matching import engine, selectors
from matching.forms import SAME_RACE_ETHNICITY_HELP
from matching.models import Preference
from matching.tests.factories import MatchFactory, add_mentee, add_mentor
from mentorship.tests.test_access_matrix import MATRIX
from mentorship.tests.test_logged_demographics import response_text

pytestmark = pytest.mark.django_db

KIND = "same_race_ethnicity"


def url(name, program, *args):
    return reverse(f"matching:{name}", args=[program.slug, *args])


def set_race(participant, *answers, described: str = "") -> None:
    Profile.objects.update_or_create(
        user=participant.user,
        defaults={"race_ethnicity": list(answers), "race_ethnicity_self_described": described},
    )


def test_the_engine_reads_the_answers_only_of_a_mentee_who_asked(program):
    asked = add_mentee(program, "Ana")
    did_not = add_mentee(program, "Ben")
    rosa = add_mentor(program, "Rosa")
    set_race(asked, "black", "prefer_not")
    set_race(did_not, "black")
    # A self-description is the person's own words, not a category to compare.
    set_race(rosa, "black", "self_described", described="Afro-Caribbean")
    Preference.objects.create(participant=asked, kind=KIND, strength="must")
    problem = selectors.matching_data(program).problem
    mentees = {m.id: m for m in problem.mentees}
    assert mentees[asked.pk].race_ethnicity == {"black"}
    assert mentees[did_not.pk].race_ethnicity == frozenset()
    assert mentees[asked.pk].preferences == (
        engine.Preference(kind=engine.Kind.SAME_RACE_ETHNICITY, must=True),
    )
    mentors = {m.id: m for m in problem.mentors}
    assert mentors[rosa.pk].race_ethnicity == {"black"}


def test_the_mentee_is_asked_on_the_preferences_page_with_who_sees_it(program, client_as, cast):
    client = client_as("mentee")
    page = client.get(url("my_preferences", program)).content.decode()
    assert "A mentor who shares my race or ethnicity" in page
    help_text = str(SAME_RACE_ETHNICITY_HELP).replace("’", "&#x27;").replace("'", "&#x27;")
    assert " ".join(help_text.split()) in " ".join(page.split()).replace("’", "&#x27;")
    response = post_loaded(client, url("my_preferences", program), {f"pref_{KIND}": "must"})
    assert response.status_code == 302
    rows = {(p.kind, p.strength) for p in cast.mentee_participant.matching_preferences.all()}
    assert rows == {(KIND, "must")}
    page = client.get(url("my_preferences", program)).content.decode()
    assert re.search(rf'name="pref_{KIND}" value="must"[^>]*checked', page)
    with translation.override("fr"):
        assert "Facultatif" in str(SAME_RACE_ETHNICITY_HELP)


def test_peers_are_not_asked(program, client_as):
    program.format = "peer"
    program.save(update_fields=["format"])
    page = client_as("mentee").get(url("my_preferences", program)).content.decode()
    assert f"pref_{KIND}" not in page


def test_the_board_explains_it_to_the_coordinators(program, client_as):
    dana = add_mentee(program, "Dana Example")
    rosa = add_mentor(program, "Rosa Example")
    set_race(dana, "latin_american")
    set_race(rosa, "latin_american")
    Preference.objects.create(participant=dana, kind=KIND)
    MatchFactory(program=program, mentee=dana, mentor=rosa)
    page = client_as("coordinator").get(url("board", program)).content.decode()
    assert "asked for a mentor who shares their race or ethnicity: met" in page


# What would tell the mentor that their mentee asked, or what the mentee answered: the
# wish's words (English and French, both sides' wording), its key, the mentee's own words.
MARKERS = (
    "shares their race or ethnicity",
    "shares my race or ethnicity",
    "partage sa race",
    "partage ma race",
    KIND,
    "Zqracementee",
)


BLANK_FORMS = {"printing:blank", "printing:program_blank"}
ABOUT_HIM = ("shares their race or ethnicity", "partage sa race", KIND, "Zqracementee")


def test_no_page_the_mentor_can_open_tells_them(program, cast, client_as):
    """The attack: every GET page of the URL × role matrix the mentor may open, with a
    matched mentee who asked (must) and a second one who asked and is proposed to them."""
    pair = cast.pair()
    set_race(cast.mentee_participant, "black", "self_described", described="Zqracementee")
    set_race(cast.mentor_participant, "black")
    Preference.objects.create(participant=cast.mentee_participant, kind=KIND, strength="must")
    dana = add_mentee(program, "Dana Example")
    set_race(dana, "black")
    Preference.objects.create(participant=dana, kind=KIND)
    MatchFactory(program=program, mentee=dana, mentor=cast.mentor_participant)
    client = client_as("mentor")
    opened = 0
    for name, row in sorted(MATRIX.items()):
        if row.method != "get" or row.expect["mentor"] != 200:
            continue
        response = client.get(reverse(name, kwargs=row.kwargs(cast)), row.data)
        if response.status_code != 200:
            continue
        opened += 1
        text = response_text(response)
        # A blank form is everyone's, the same for all (a mentee's blank survey asks the
        # question in the mentee's words): only what is about this mentee may not be there.
        for marker in ABOUT_HIM if name in BLANK_FORMS else MARKERS:
            assert marker not in text, f"{name} shows {marker!r} to the mentor"
    assert opened > 40  # the walk really opened the mentor's pages
    # The pair's own pages are among them, and say nothing of it either.
    page = client.get(reverse("sessions:timeline", args=[program.slug, pair.pk])).content.decode()
    assert "Eddie Mentee" in page and "ethnic" not in page.lower()
    # The control: the same markers are found where they are meant to be.
    board = client_as("coordinator").get(url("board", program)).content.decode()
    assert "shares their race or ethnicity" in board


def test_the_mentees_survey_points_to_the_wish_and_says_who_sees_it(program, cast, client_as):
    url = reverse("surveys:mine", args=[program.slug])
    page = " ".join(client_as("mentee").get(url).content.decode().split())
    assert 'id="mentor-wishes"' in page
    assert "a mentor who shares your race or ethnicity" in page
    assert "only the program's coordinators see it" in page
    assert f'href="{url_of_wishes(program)}"' in page
    # Not on the mentor's survey, nor on a survey a coordinator keys in from paper.
    assert 'id="mentor-wishes"' not in client_as("mentor").get(url).content.decode()
    key_in = reverse("surveys:key_in", args=[program.slug, cast.mentee_participant.pk])
    assert 'id="mentor-wishes"' not in client_as("coordinator").get(key_in).content.decode()


def url_of_wishes(program) -> str:
    return url("my_preferences", program)
