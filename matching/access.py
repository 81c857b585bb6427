"""Who may use the mentor database: the coordinators of any program.

Everybody else gets 404, so the pages' existence is not revealed (see `programs.access`).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from accounts.models import User

from . import selectors


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
    """A member of the mentor database; 404 for anyone else, or for a viewer who may not."""
    if not can_use_mentor_database(user):
        raise Http404
    mentor = selectors.mentor_in_database(user_id=user_id)
    if mentor is None:
        raise Http404
    return mentor
