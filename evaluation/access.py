"""Who may reach which close-out record; every view goes through these.

The program comes from `programs.access.program_view` (outsiders 404). Within the
program: a participant's own forms are theirs alone, coordinators get 403 there; a
record of somebody else's is 404 to a participant, as if it did not exist.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from matching.models import Match
from programs.access import Role
from programs.models import Participant, Program

from . import selectors
from .models import LaterRole, Testimonial


def get_my_participation(user, program: Program, role: Role) -> Participant:
    """The user's own participation; coordinators have none to fill in (403)."""
    if role is Role.COORDINATOR:
        raise PermissionDenied
    participant = program.participants.filter(user=user).select_related("program", "user").first()
    if participant is None:
        raise Http404
    return participant


def get_my_match(user, program: Program, role: Role, match_id: int) -> tuple[Match, Participant]:
    """A match the user is one of the two people in, with feedback prefetched."""
    me = get_my_participation(user, program, role)
    match = selectors.matches_of(me).filter(pk=match_id).first()
    if match is None:
        raise Http404
    return match, me


def get_participant_for_coordinator(program: Program, participant_id: int) -> Participant:
    participant = (
        program.participants.filter(pk=participant_id).select_related("user", "program").first()
    )
    if participant is None:
        raise Http404
    return participant


def get_later_role_for_user(user, program: Program, role: Role, pk: int) -> LaterRole:
    """Coordinators reach any participant's roles; a participant only their own."""
    roles = LaterRole.objects.filter(participant__program=program).select_related("participant")
    if role is not Role.COORDINATOR:
        roles = roles.filter(participant__user=user)
    later_role = roles.filter(pk=pk).first()
    if later_role is None:
        raise Http404
    return later_role


def get_testimonial_for_coordinator(program: Program, pk: int) -> Testimonial:
    testimonial = (
        Testimonial.objects.filter(participant__program=program, pk=pk)
        .select_related("participant__user")
        .first()
    )
    if testimonial is None:
        raise Http404
    return testimonial
