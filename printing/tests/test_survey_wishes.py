"""The blank mentee survey asks, on paper too, what matters in a mentor: a woman mentor, a
mentor who shares their race or ethnicity (handbook III.4), ... with who sees the answers."""

import pytest
from django.urls import reverse
from django.utils import translation

from matching.forms import SAME_RACE_ETHNICITY_HELP
from matching.models import Preference
from printing.tests.test_printing import text_of
from surveys.pdf import WISHES_NOTE

pytestmark = pytest.mark.django_db


def squeeze(text) -> str:
    return " ".join(str(text).split())


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_blank_mentee_survey_has_the_wish_and_who_sees_it(client, language, tmp_path):
    response = client.get(reverse("printing:blank", args=["mentee-survey"]), {"lang": language})
    text = text_of(response.content, tmp_path).replace("- ", "-")
    with translation.override(language):
        for kind in (Preference.Kind.SAME_RACE_ETHNICITY, Preference.Kind.WOMAN_MENTOR):
            assert squeeze(kind.label) in text, kind
        assert squeeze(SAME_RACE_ETHNICITY_HELP) in text
        assert squeeze(WISHES_NOTE) in text
    if language == "fr":
        assert "Facultatif" in text


def test_the_mentor_survey_and_a_partners_copy_do_not(client, client_as, filled, tmp_path):
    blank = text_of(client.get(reverse("printing:blank", args=["mentor-survey"])).content, tmp_path)
    assert "race or ethnicity" not in blank.split("Your answers")[1]
    assert "shares my race" not in blank
    Preference.objects.create(participant=filled, kind="same_race_ethnicity", strength="must")
    url = reverse("surveys:pdf", args=[filled.program.slug, filled.pk])
    for role in ("mentor", "coordinator"):
        copy = text_of(client_as(role).get(url).content, tmp_path)
        assert "My answer to expectations" in copy or "Your answers" in copy
        assert "shares my race" not in copy and "What matters to you in a mentor" not in copy
