"""The one place that decides who may see or change a program."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from programs.access import Need, Role, get_program_for_user, program_role
from programs.models import Participant
from programs.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

EXPECTED_ROLE = {
    "member": Role.OUTSIDER,
    "mentee": Role.MENTEE,
    "mentor": Role.MENTOR,
    "other_coordinator": Role.OUTSIDER,
    "coordinator": Role.COORDINATOR,
}


@pytest.mark.parametrize("who", sorted(EXPECTED_ROLE))
def test_program_role(cast, who):
    assert program_role(cast.user(who), cast.program) is EXPECTED_ROLE[who]


def test_anonymous_is_an_outsider(cast):
    assert program_role(AnonymousUser(), cast.program) is Role.OUTSIDER


def test_coordinating_wins_over_taking_part(cast):
    ParticipantFactory(program=cast.program, user=cast.coordinator, role=Participant.Role.MENTOR)
    assert program_role(cast.coordinator, cast.program) is Role.COORDINATOR


def test_outsiders_get_404_for_any_need(cast):
    for need in Need:
        with pytest.raises(Http404):
            get_program_for_user(cast.member, cast.program.slug, need)
        with pytest.raises(Http404):
            get_program_for_user(cast.other_coordinator, cast.program.slug, need)


def test_unknown_program_is_404(cast):
    with pytest.raises(Http404):
        get_program_for_user(cast.coordinator, "no-such-program")


def test_participants_may_view_but_not_manage(cast):
    for who in ("mentor", "mentee"):
        program, role = get_program_for_user(cast.user(who), cast.program.slug, Need.VIEW)
        assert program == cast.program and role == who
        with pytest.raises(PermissionDenied):
            get_program_for_user(cast.user(who), cast.program.slug, Need.MANAGE)


def test_coordinators_may_manage(cast):
    program, role = get_program_for_user(cast.coordinator, cast.program.slug, Need.MANAGE)
    assert (program, role) == (cast.program, Role.COORDINATOR)


def test_the_role_read_with_the_program_is_its_readers_only(cast, django_assert_num_queries):
    """get_program_for_user reads the role with the program (one query); asked about
    someone else, that program still gives their own role, never the reader's."""
    with django_assert_num_queries(2):  # the program with the role; the authenticator
        program, role = get_program_for_user(cast.coordinator, cast.program.slug)
    assert role is Role.COORDINATOR
    assert program_role(cast.mentee, program) is Role.MENTEE
    assert program_role(cast.member, program) is Role.OUTSIDER
    mentees_program, _ = get_program_for_user(cast.mentee, cast.program.slug)
    with django_assert_num_queries(0):
        assert program_role(cast.mentee, mentees_program) is Role.MENTEE
    assert program_role(cast.coordinator, mentees_program) is Role.COORDINATOR


def test_coordinating_wins_when_read_with_the_program(cast):
    ParticipantFactory(program=cast.program, user=cast.coordinator, role=Participant.Role.MENTOR)
    _, role = get_program_for_user(cast.coordinator, cast.program.slug)
    assert role is Role.COORDINATOR


def test_the_navigation_reads_both_roles_in_one_query(cast, django_assert_num_queries):
    from programs.selectors import NavigationProgram, navigation_of

    def shown(program):
        return NavigationProgram(program.name, program.get_absolute_url())

    ParticipantFactory(program=cast.other_program, user=cast.coordinator)
    with django_assert_num_queries(1):
        assert navigation_of(cast.coordinator) == (True, [shown(cast.other_program)])
    assert navigation_of(cast.mentee) == (False, [shown(cast.program)])
    assert navigation_of(cast.member) == (False, [])
    assert navigation_of(cast.other_coordinator) == (True, [])
