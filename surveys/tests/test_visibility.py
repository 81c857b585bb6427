"""Demographics are seen by the program's coordinators only: tested field by field."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import PersonalDataView, Profile
from matching.models import Match
from programs.models import Participant
from programs.tests.factories import ParticipantFactory
from surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

# A distinctive value per demographic field, and how it shows on a page.
DEMOGRAPHICS = {
    "gender": ("two_spirit", ["Two-Spirit"]),
    "gender_self_described": ("Zyxgender", ["Zyxgender"]),
    "date_of_birth": (datetime.date(1977, 3, 14), ["1977", "March 14"]),
    "race_ethnicity": (["southeast_asian"], ["Southeast Asian"]),
    "race_ethnicity_self_described": ("Qwrace heritage", ["Qwrace"]),
}


@pytest.fixture
def pair(cast):
    """The cast's mentee and mentor in an active match, both with full profiles and surveys."""
    mentee, mentor = cast.mentee_participant, cast.mentor_participant
    cast.pair()
    for participant in (mentee, mentor):
        Profile.objects.create(
            user=participant.user,
            phone="604-555-0199",
            local_union="Local 2009",
            languages=["French"],
            **{name: value for name, (value, _shown) in DEMOGRAPHICS.items()},
        )
        SurveyFactory(participant=participant, status="submitted", submitted_at=timezone.now())
    return mentee, mentor


def survey_url(participant):
    return reverse("surveys:detail", args=[participant.program.slug, participant.pk])


@pytest.mark.parametrize("field", sorted(DEMOGRAPHICS))
def test_matched_partners_never_see_demographics_but_coordinators_do(field, pair, client_as):
    mentee, mentor = pair
    shown = DEMOGRAPHICS[field][1]
    pages = {
        "mentor sees mentee": client_as("mentor").get(survey_url(mentee)),
        "mentee sees mentor": client_as("mentee").get(survey_url(mentor)),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "604-555-0199" in html and "French" in html  # contact details are shared
        for text in shown:
            assert text not in html, f"{field} shown ({text!r}) when {name}"
    coordinator_html = client_as("coordinator").get(survey_url(mentee)).content.decode()
    for text in shown:
        assert text in coordinator_html, f"{field} missing for the coordinator"


@pytest.mark.parametrize("field", sorted(DEMOGRAPHICS))
def test_other_pages_of_mentors_and_mentees_never_show_demographics(field, pair, client_as, cast):
    shown = DEMOGRAPHICS[field][1]
    urls = [
        reverse("accounts:home"),
        reverse("accounts:forms"),
        reverse("programs:detail", args=[cast.program.slug]),
    ]
    for role in ("mentor", "mentee"):
        partner = pair[0] if role == "mentor" else pair[1]
        for url in urls:
            html = client_as(role).get(url).content.decode()
            for text in shown:
                assert text not in html, f"{field} on {url} as {role}"
        # The pages do show the partner, so the demographics were there to leak.
        program_page = client_as(role).get(urls[-1]).content.decode()
        assert partner.user.name in program_page, f"{role} does not see their partner"


def test_outsiders_see_nothing(pair, client_as):
    mentee, _mentor = pair
    unmatched = ParticipantFactory(program=mentee.program, role=Participant.Role.MENTOR)
    for role in ("member", "other_coordinator"):
        assert client_as(role).get(survey_url(mentee)).status_code == 404
    from django.test import Client

    client = Client()
    client.force_login(unmatched.user)
    assert client.get(survey_url(mentee)).status_code == 404
    assert client_as("anonymous").get(survey_url(mentee)).status_code == 302


def test_an_ended_match_no_longer_shares_the_survey(pair, client_as):
    mentee, _mentor = pair
    Match.objects.update(status="ended", ended_at=timezone.now())
    assert client_as("mentor").get(survey_url(mentee)).status_code == 404


def test_each_coordinator_view_of_demographics_is_logged_and_shown_to_the_member(pair, client_as):
    mentee, _mentor = pair
    client_as("coordinator").get(survey_url(mentee))
    client_as("mentor").get(survey_url(mentee))  # partners see no demographics: not logged
    client_as("mentee").get(survey_url(mentee))  # one's own: not logged
    views = PersonalDataView.objects.filter(subject=mentee.user)
    assert [(v.viewer.name, v.page) for v in views] == [("Alice Coordinator", "survey")]
    html = client_as("mentee").get(reverse("accounts:profile")).content.decode()
    assert "Alice Coordinator, coordinator of 2026 Mentorship Program" in html


def test_a_member_sees_their_own_demographics(pair, client_as):
    mentee, _mentor = pair
    html = client_as("mentee").get(survey_url(mentee)).content.decode()
    assert "Zyxgender" in html


def test_the_program_page_links_each_partner_to_the_others_survey(pair, client_as):
    mentee, mentor = pair
    html = (
        client_as("mentor")
        .get(reverse("programs:detail", args=[mentee.program.slug]))
        .content.decode()
    )
    assert "Your mentees" in html and survey_url(mentee) in html
    html = (
        client_as("mentee")
        .get(reverse("programs:detail", args=[mentee.program.slug]))
        .content.decode()
    )
    assert "Your mentor" in html and survey_url(mentor) in html
