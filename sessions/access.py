"""Who may see or change a pair's mentoring records: the one place.

The two members of a match read and write; the program's coordinators read. Anyone
else, including other participants of the same program, gets 404 (the pair's
existence is not revealed); a coordinator or the wrong side asking to write gets 403.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from matching.models import Match
from programs.access import Role, get_program_for_user
from programs.models import Participant, Program

from .models import Side


@dataclass(frozen=True)
class Pair:
    """A match as one viewer sees it: their side of it, or None for a coordinator."""

    match: Match
    side: Side | None

    @property
    def program(self) -> Program:
        return self.match.program

    @property
    def is_coordinator(self) -> bool:
        return self.side is None

    @property
    def me(self) -> Participant | None:
        if self.side is None:
            return None
        return self.match.mentee if self.side == Side.MENTEE else self.match.mentor

    @property
    def partner(self) -> Participant | None:
        if self.side is None:
            return None
        return self.match.mentor if self.side == Side.MENTEE else self.match.mentee

    @property
    def is_mentee(self) -> bool:
        return self.side == Side.MENTEE

    @property
    def is_mentor(self) -> bool:
        return self.side == Side.MENTOR


def side_of(user, match: Match) -> Side | None:
    if match.mentee.user_id == user.pk:
        return Side.MENTEE
    if match.mentor.user_id == user.pk:
        return Side.MENTOR
    return None


def get_pair_for_user(
    user, slug: str, match_id: int, *, write: bool = False, side: Side | None = None
) -> Pair:
    """The pair; 404 for anyone outside it, 403 for a write they may not make.

    `write` needs one of the two members; `side` needs that member in particular
    (the mentee prepares, the mentor records).
    """
    program, role = get_program_for_user(user, slug)
    match = (
        Match.objects.select_related("program", "mentee__user", "mentor__user")
        .published()
        .filter(program=program, pk=match_id)
        .first()
    )
    if match is None:
        raise Http404
    if role is Role.COORDINATOR:
        if write or side:
            raise PermissionDenied
        return Pair(match=match, side=None)
    my_side = side_of(user, match)
    if my_side is None:
        raise Http404
    if side and my_side != side:
        raise PermissionDenied
    return Pair(match=match, side=my_side)


def pair_view(*, write: bool = False, side: Side | None = None) -> Callable:
    """Decorate `view(request, pair, ...)` routed with `slug` and `match_id`."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, slug: str, match_id: int, *args, **kwargs):
            pair = get_pair_for_user(request.user, slug, match_id, write=write, side=side)
            return view(request, pair, *args, **kwargs)

        return wrapper

    return decorator
