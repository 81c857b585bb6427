"""The mentor database by consent: a mentor's contact details and programs are for the
coordinators of the mentor's own programs; other coordinators find the mentor only if the
mentor said yes, and then see the mentor profile and e-mail address, never the phone
number or the programs."""

import pytest
from django.urls import reverse

from accounts.models import Profile
from core.testing import post_loaded
from matching import selectors
from matching.models import MentorProfile
from matching.tests.factories import MentorProfileFactory
from programs.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

DATABASE = reverse("matching:mentor_database")
MY_PAGE = reverse("matching:my_mentor_profile")


def detail_url(user) -> str:
    return reverse("matching:mentor_detail", args=[user.pk])


def other_programs_mentor(cast, findable):
    """A mentor of the other coordinator's program only, with contact details and a profile."""
    user = ParticipantFactory(
        program=cast.other_program, role="mentor", user__name="Olga Othermentor"
    ).user
    Profile.objects.create(
        user=user,
        phone="250-555-0177",
        contact_email="olga.private@example.net",
        local_union="Local 7777",
        languages=["Cree"],
        region="Quesnel",
    )
    MentorProfileFactory(
        user=user, background="Zqbackground of Olga.", findable_by_other_programs=findable
    )
    return user


def listed(client, **query) -> list[str]:
    return [user.name for user in client.get(DATABASE, query).context["page"].object_list]


@pytest.mark.parametrize("findable", [None, False], ids=["unanswered", "no"])
def test_a_mentor_who_did_not_say_yes_is_not_found_by_other_programs(cast, client_as, findable):
    olga = other_programs_mentor(cast, findable)
    client = client_as("coordinator")
    assert "Olga Othermentor" not in listed(client)
    assert listed(client, q="Olga") == []
    assert listed(client, q="Zqbackground") == []
    assert client.get(detail_url(olga)).status_code == 404
    html = client.get(DATABASE).content.decode()
    assert "Quesnel" not in html  # not even offered as a region to filter on
    assert selectors.mentor_in_database(user_id=olga.pk, viewer=cast.coordinator) is None


def test_the_mentors_own_coordinators_see_contact_details_and_programs(cast, client_as):
    olga = other_programs_mentor(cast, None)
    client = client_as("other_coordinator")
    assert "Olga Othermentor" in listed(client)
    html = client.get(detail_url(olga)).content.decode()
    for text in ("olga.private@example.net", "250-555-0177", "Local 7777", "Stewards&#x27; Circle"):
        assert text in html, text


def test_an_opted_in_mentor_shows_the_profile_and_e_mail_but_no_phone_or_programs(cast, client_as):
    olga = other_programs_mentor(cast, True)
    client = client_as("coordinator")
    assert listed(client, q="Zqbackground") == ["Olga Othermentor"]
    html = client.get(DATABASE).content.decode()
    row = html.split("Olga Othermentor")[1].split("</tr>")[0]
    assert row.count("<td>—</td>") == 2  # neither her mentees now nor her programs
    html = client.get(detail_url(olga)).content.decode()
    assert "Zqbackground of Olga." in html
    assert "olga.private@example.net" in html
    for text in ("250-555-0177", "Local 7777", "Stewards&#x27; Circle", "Programs mentored in"):
        assert text not in html, text
    assert "agreed to be found by the" in html


def test_a_member_of_the_coordinators_program_in_any_role_is_theirs(cast, client_as):
    """A mentee of the program who stepped up as a mentor, never saying yes to others."""
    MentorProfileFactory(user=cast.mentee, findable_by_other_programs=False)
    Profile.objects.create(user=cast.mentee, phone="250-555-0111")
    html = client_as("coordinator").get(detail_url(cast.mentee)).content.decode()
    assert "250-555-0111" in html
    assert client_as("other_coordinator").get(detail_url(cast.mentee)).status_code == 404


def test_programs_are_counted_in_the_viewers_programs_only(cast):
    ParticipantFactory(program=cast.other_program, user=cast.mentor, role="mentor")
    MentorProfileFactory(user=cast.mentor, findable_by_other_programs=True)
    rows = {u.name: u for u in selectors.mentor_database(viewer=cast.coordinator)}
    assert (rows["Mona Mentor"].shared, rows["Mona Mentor"].programs_mentored) == (True, 1)
    detail = selectors.mentor_in_database(user_id=cast.mentor.pk, viewer=cast.coordinator)
    assert [p.program for p in detail.mentored_in] == [cast.program]


# --- The mentor's answer ------------------------------------------------------------------


def test_profiles_made_before_the_question_are_unanswered_and_count_as_no(cast, client_as):
    assert MentorProfile._meta.get_field("findable_by_other_programs").default is None
    MentorProfileFactory(user=cast.member, findable_by_other_programs=None)
    assert client_as("coordinator").get(detail_url(cast.member)).status_code == 404
    html = client_as("member").get(MY_PAGE).content.decode()
    assert "You have not said yet whether coordinators of other programs may find you" in html


def answers(**changes) -> dict:
    return {
        "background": "Chief steward.",
        "interests": "Young members.",
        "experience": "Bargaining.",
        "skills": ["grievances"],
        "internal": "True",
        "capacity": 1,
        "availability": ["evenings"],
        "available": "on",
        **changes,
    }


def test_the_form_asks_and_needs_an_answer(cast, client_as):
    client = client_as("member")
    response = post_loaded(client, MY_PAGE, answers())
    assert response.status_code == 200
    assert "Choose whether other programs&#x27; coordinators may find you." in (
        response.content.decode()
    )
    assert not MentorProfile.objects.exists()
    assert (
        post_loaded(client, MY_PAGE, answers(findable_by_other_programs="False")).status_code == 302
    )
    assert MentorProfile.objects.get(user=cast.member).findable_by_other_programs is False
    assert client_as("coordinator").get(detail_url(cast.member)).status_code == 404
    post_loaded(client, MY_PAGE, answers(findable_by_other_programs="True"))
    assert MentorProfile.objects.get(user=cast.member).findable_by_other_programs is True
    assert client_as("coordinator").get(detail_url(cast.member)).status_code == 200
