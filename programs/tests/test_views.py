import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.testing import assert_constant_queries
from programs.models import CoordinatorInvitation
from programs.tests.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_detail_shows_the_member_their_role_and_the_coordinators(cast, client_as):
    response = client_as("mentee").get(reverse("programs:detail", args=[cast.program.slug]))
    html = response.content.decode()
    assert "You are a mentee" in html
    assert cast.coordinator.email in html
    assert "People in this program" not in html  # a coordinator's link


def test_detail_for_the_coordinator_counts_and_links_people(cast, client_as):
    response = client_as("coordinator").get(reverse("programs:detail", args=[cast.program.slug]))
    assert response.context["counts"] == {"mentee": 1, "mentor": 1}
    html = response.content.decode()
    assert reverse("programs:participants", args=[cast.program.slug]) in html
    assert "People in this program" in html  # what a mentee must not see (test above)


def test_participants_search_and_filter(cast, client_as):
    url = reverse("programs:participants", args=[cast.program.slug])
    client = client_as("coordinator")
    names = lambda r: [p.user.name for p in r.context["page"].object_list]  # noqa: E731
    assert names(client.get(url)) == ["Eddie Mentee", "Mona Mentor"]
    assert names(client.get(url, {"q": "MONA"})) == ["Mona Mentor"]
    assert names(client.get(url, {"q": "eddie@example"})) == ["Eddie Mentee"]
    assert names(client.get(url, {"role": "mentor"})) == ["Mona Mentor"]
    response = client.get(url, {"q": "nobody"})
    assert "Nobody matches this search." in response.content.decode()


def test_participants_never_lists_another_programs_people(cast, client_as):
    ParticipantFactory(program=cast.other_program, user__name="Zed Elsewhere")
    url = reverse("programs:participants", args=[cast.program.slug])
    html = client_as("coordinator").get(url).content.decode()
    assert "Zed Elsewhere" not in html
    assert "Eddie Mentee" in html and "Mona Mentor" in html  # the page does list people


def test_participants_is_paginated(cast, client_as):
    ParticipantFactory.create_batch(30, program=cast.program)
    url = reverse("programs:participants", args=[cast.program.slug])
    client = client_as("coordinator")
    first = client.get(url)
    assert len(first.context["page"].object_list) == 25
    assert "Page 1 of 2" in first.content.decode()
    assert len(client.get(url, {"page": 2}).context["page"].object_list) == 7
    assert client.get(url, {"page": "junk"}).status_code == 200


def test_empty_program_says_so(client):
    coordinator = UserFactory()
    program = ProgramFactory(coordinators=[coordinator])
    client.force_login(coordinator)
    response = client.get(reverse("programs:participants", args=[program.slug]))
    assert "Nobody has been accepted into this program yet." in response.content.decode()


def test_participants_query_count_is_pinned(cast, client_as, django_assert_num_queries):
    client = client_as("coordinator")
    url = reverse("programs:participants", args=[cast.program.slug])
    count = assert_constant_queries(
        lambda: client.get(url),
        lambda n: ParticipantFactory.create_batch(n, program=cast.program),
    )
    with django_assert_num_queries(count):
        client.get(url)
    assert (
        count == 7
    )  # session, user, program with the role, authenticator, count, rows, navigation


def test_member_home_query_count_is_pinned(cast, client_as):
    client = client_as("mentee")

    def grow(n):
        for _ in range(n):
            program = ProgramFactory()
            ParticipantFactory(user=cast.mentee, program=program)
            # Invitations to coordinate, each from another member: one query for all.
            CoordinatorInvitation.objects.create(
                program=program, email=cast.mentee.email, invited_by=UserFactory()
            )

    count = assert_constant_queries(lambda: client.get(reverse("accounts:home")), grow)
    # session, user, the next step's applications, participations and pairs (members/
    # next_step.py), invitations, coordinated, open programs, nominations, navigation; open
    # actions are asked for only once there is an active pair
    assert count == 10
