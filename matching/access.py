"""Who may use the mentor database (the coordinators of any program) and whom they find
there, and who may act on a match (its two sides and the program's coordinators).

Everybody else gets 404, so the pages' existence is not revealed (see `programs.access`).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from accounts.models import User
from programs.access import Need, Role, get_program_for_user
from programs.models import Program

from . import selectors
from .models import Match


def can_use_mentor_database(user) -> bool:
    """Authenticated and coordinating at least one program."""
    return user.is_authenticated and user.coordinated_programs.exists()


def mentor_database_view(view: Callable) -> Callable:
    """Log-in for anonymous visitors, 404 for members who coordinate no program."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_use_mentor_database(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def get_mentor_for_user(user, user_id: int) -> User:
    """A member of the mentor database the coordinator may find; 404 for anyone else.

    A coordinator finds the members of their own programs, and others only if they said
    yes to being found by other programs; `mentor.shared` says which.
    """
    if not can_use_mentor_database(user):
        raise Http404
    mentor = selectors.mentor_in_database(user_id=user_id, viewer=user)
    if mentor is None:
        raise Http404
    return mentor


def get_match_for_user(user, slug: str, pk: int) -> tuple[Program, Match, Role]:
    """A match either of its two sides or a coordinator of its program may act on.

    Anyone else gets 404, other participants of the program included.
    """
    program, role = get_program_for_user(user, slug, Need.VIEW)
    if role is Role.COORDINATOR:
        match = program.matches.select_related("mentee__user", "mentor__user").filter(pk=pk).first()
    else:
        match = selectors.match_for_user(user, program, pk)
    if match is None:
        raise Http404
    return program, match, role
