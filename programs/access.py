"""The one place that decides who may see or change what in a program.

Every view that touches a program goes through `get_program_for_user` (or the
`program_view` decorator built on it). Someone with no role in the program is an
outsider and gets 404, so the program's existence is not revealed; someone with a
role that does not allow the action gets 403.
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404

from accounts.mfa import CoordinatorMFARequired, mfa_missing, require_mfa

from .models import CoordinatorInvitation, Participant, Program
from .selectors import invitations_addressed_to


class Role(StrEnum):
    COORDINATOR = "coordinator"
    MENTOR = "mentor"
    MENTEE = "mentee"
    OUTSIDER = "outsider"


class Need(StrEnum):
    VIEW = "view"  # coordinators and participants
    MANAGE = "manage"  # coordinators only


ALLOWED: dict[Need, frozenset[Role]] = {
    Need.VIEW: frozenset({Role.COORDINATOR, Role.MENTOR, Role.MENTEE}),
    Need.MANAGE: frozenset({Role.COORDINATOR}),
}


def program_role(user, program: Program) -> Role:
    """The user's role in the program; coordinating wins over taking part."""
    if not user.is_authenticated:
        return Role.OUTSIDER
    if getattr(program, "viewer_pk", None) == user.pk:
        # Read with the program itself for this user (`_program_with_role`): no query.
        if program.viewer_coordinates:
            return Role.COORDINATOR
        return Role(program.viewer_role) if program.viewer_role else Role.OUTSIDER
    if program.coordinators.filter(pk=user.pk).exists():
        return Role.COORDINATOR
    role = (
        Participant.objects.filter(program=program, user=user)
        .values_list("role", flat=True)
        .first()
    )
    return Role(role) if role else Role.OUTSIDER


def checked_role(user, program: Program) -> Role:
    """The user's role, for granting access: a coordinator needs an authenticator app first.

    Everything that opens a program's pages to its coordinators decides the role here.
    """
    role = program_role(user, program)
    if role is Role.COORDINATOR:
        require_mfa(user)
    return role


def _program_with_role(user, slug: str) -> Program | None:
    """The program by its slug, with what `program_role` needs read in the same query.

    Every program page asks who the member is in the program: reading it with the program
    saves two queries per page (the coordinators' table, then the participants').
    """
    programs = Program.objects.filter(slug=slug)
    if user.is_authenticated:
        programs = programs.annotate(
            viewer_coordinates=Exists(
                Program.coordinators.through.objects.filter(
                    program_id=OuterRef("pk"), user_id=user.pk
                )
            ),
            viewer_role=Subquery(
                Participant.objects.filter(program_id=OuterRef("pk"), user_id=user.pk)
                .order_by()
                .values("role")[:1]
            ),
        )
    program = programs.first()
    if program is not None and user.is_authenticated:
        program.viewer_pk = user.pk  # whom the annotations are about
    return program


def can(user, program: Program, need: Need) -> bool:
    return program_role(user, program) in ALLOWED[need]


def get_program_for_user(user, slug: str, need: Need = Need.VIEW) -> tuple[Program, Role]:
    """The program and the user's role in it; 404 for outsiders, 403 for too little."""
    program = _program_with_role(user, slug)
    if program is None:
        raise Http404
    role = checked_role(user, program)
    if role is Role.OUTSIDER:
        raise Http404
    if role not in ALLOWED[need]:
        raise PermissionDenied
    return program, role


def get_public_program(user, slug: str) -> tuple[Program, Role]:
    """A program's public page: anyone once it is past draft, only insiders before."""
    program = _program_with_role(user, slug)
    if program is None:
        raise Http404
    role = program_role(user, program)
    if not program.is_public and role is Role.OUTSIDER:
        raise Http404
    if role is Role.COORDINATOR:
        try:
            require_mfa(user)
        except CoordinatorMFARequired:
            if not program.is_public:
                raise
            # Without an authenticator, a coordinator sees what the public sees.
            role = Role.OUTSIDER
    return program, role


def program_view(need: Need = Need.VIEW) -> Callable:
    """Decorate `view(request, program, role, ...)` routed with a `slug` argument."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, slug: str, *args, **kwargs):
            program, role = get_program_for_user(request.user, slug, need)
            return view(request, program, role, *args, **kwargs)

        return wrapper

    return decorator


def can_create_programs(user) -> bool:
    """Who may set up a new program: superusers, holders of the add permission, coordinators."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # Coordinators are the usual case: one cheap query before the permission lookups.
    return user.coordinated_programs.exists() or user.has_perm("programs.add_program")


def get_invitation_for_invitee(user, pk: int) -> CoordinatorInvitation:
    """An invitation to one of the member's verified addresses; 404 for anyone else.

    Found whatever its status, so a second click can be told it was already decided.
    """
    if not user.is_authenticated:
        raise Http404
    invitation = invitations_addressed_to(user).select_related("program").filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def coordinator_page(view: Callable) -> Callable:
    """A coordinator's page outside any one program (dashboard, mentor database, new program).

    Log-in first; then whoever may run programs needs an authenticator app. The view still
    decides who else gets 404.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        # The authenticator first: one query for a coordinator who has one.
        if mfa_missing(request.user) and can_create_programs(request.user):
            raise CoordinatorMFARequired
        return view(request, *args, **kwargs)

    return wrapper
