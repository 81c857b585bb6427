"""Reads, already scoped to the member asking."""

import re
from dataclasses import dataclass
from functools import cache

from allauth.account.models import EmailAddress
from django.db import connections, router
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.compiled_sql import Marker, compile_marked, run_marked

from .models import CoordinatorInvitation, Participant, Program

# /programs/new/ is the create page: a program with this slug could never be reached.
RESERVED_SLUGS = frozenset({"new"})


def programs_coordinated_by(user) -> QuerySet[Program]:
    return Program.objects.filter(coordinators=user)


@dataclass(frozen=True)
class NavigationProgram:
    """A program the member takes part in, as the navigation links to it."""

    name: str
    url: str


# The member's id while the navigation's SQL is compiled: no member has it (ids start at 1).
_NAVIGATION_MEMBER = -1
_MEMBER = Marker("member")


def _navigation_query(user_id: int) -> QuerySet:
    return (
        Program.objects.annotate(
            viewer_takes_part=Exists(
                Participant.objects.filter(program_id=OuterRef("pk"), user_id=user_id)
            ),
            viewer_coordinates=Exists(
                Program.coordinators.through.objects.filter(
                    program_id=OuterRef("pk"), user_id=user_id
                )
            ),
        )
        .filter(Q(viewer_takes_part=True) | Q(viewer_coordinates=True))
        .values_list("name", "slug", "viewer_takes_part", "viewer_coordinates")
    )


@cache
def _navigation_sql(alias: str, vendor: str) -> tuple[str, tuple]:
    """The navigation's SQL as the ORM compiles it for this database, once per process."""
    return compile_marked(
        _navigation_query(_NAVIGATION_MEMBER), alias, {_NAVIGATION_MEMBER: _MEMBER}
    )


def navigation_of(user) -> tuple[bool, list[NavigationProgram]]:
    """For the navigation on every page: whether the member coordinates any program, and
    the programs they take part in (in the programs' order). One query for both.

    Every page runs it, so its SQL is compiled once (`_navigation_sql`) and only run here:
    compiling the two subqueries took ~2 ms a page, running them 0.1-0.4 ms.
    """
    connection = connections[router.db_for_read(Program)]
    sql, marked = _navigation_sql(connection.alias, connection.vendor)
    _columns, rows = run_marked(connection.alias, sql, marked, {_MEMBER: user.pk})
    return (
        any(coordinates for _name, _slug, _takes_part, coordinates in rows),
        [
            NavigationProgram(name, reverse("programs:detail", kwargs={"slug": slug}))
            for name, slug, takes_part, _coordinates in rows
            if takes_part
        ],
    )


def participations_of(user) -> QuerySet[Participant]:
    return Participant.objects.filter(user=user).select_related("program")


def participants_of(program: Program, *, search: str = "", role: str = "") -> QuerySet[Participant]:
    qs = program.participants.select_related("user").order_by("role", "user__name")
    if role in Participant.Role.values:
        qs = qs.filter(role=role)
    if search:
        qs = qs.filter(Q(user__name__icontains=search) | Q(user__email__icontains=search))
    return qs


def role_counts(program: Program) -> dict[str, int]:
    rows = program.participants.values("role").annotate(n=Count("pk")).order_by()
    counts = dict.fromkeys(Participant.Role.values, 0)
    counts.update({row["role"]: row["n"] for row in rows})
    return counts


def public_programs() -> QuerySet[Program]:
    return Program.objects.exclude(status=Program.Status.DRAFT).order_by("-year", "name")


def open_programs() -> QuerySet[Program]:
    return Program.objects.filter(status=Program.Status.OPEN).order_by("applications_close_on")


def verified_addresses(user) -> QuerySet:
    """The member's verified e-mail addresses, lower-cased, as a subquery."""
    return (
        EmailAddress.objects.filter(user=user, verified=True)
        .annotate(email_lower=Lower("email"))
        .values("email_lower")
    )


def invitations_addressed_to(user) -> QuerySet[CoordinatorInvitation]:
    """Every invitation to one of the member's verified addresses, whatever its status."""
    return CoordinatorInvitation.objects.filter(email__in=verified_addresses(user))


def pending_invitations_for(user) -> QuerySet[CoordinatorInvitation]:
    """Invitations waiting for this member's answer, with their program and inviter."""
    return (
        invitations_addressed_to(user)
        .filter(status=CoordinatorInvitation.Status.PENDING)
        .select_related("program", "invited_by")
        .order_by("-created_at", "-pk")
    )


def pending_invitations_of(program: Program) -> QuerySet[CoordinatorInvitation]:
    """The program's invitations waiting for an answer, for its coordinators."""
    return (
        program.coordinator_invitations.filter(status=CoordinatorInvitation.Status.PENDING)
        .select_related("invited_by")
        .order_by("email")
    )


# --- Reads the services share with the pages ---------------------------------------------------


def verified_owner(*, email: str) -> User | None:
    """The active member who has verified this address, if any."""
    address = (
        EmailAddress.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower=email.lower(), verified=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    return address.user if address else None


def _with_year(text: str, year: int) -> str | None:
    """`text` with `year` replaced by the next year, or None when it does not contain it."""
    pattern = rf"(?<!\d){year}(?!\d)"
    if not re.search(pattern, text):
        return None
    return re.sub(pattern, str(year + 1), text)


def _free_slug(base: str) -> str:
    max_length = Program._meta.get_field("slug").max_length
    candidate, number = base[:max_length], 2
    while Program.objects.filter(slug=candidate).exists() or candidate in RESERVED_SLUGS:
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)] + suffix
        number += 1
    return candidate


def planned_copy(*, program: Program) -> dict:
    """The name, short name and year `program_copy` would give the copy now."""
    max_name = Program._meta.get_field("name").max_length
    name = _with_year(program.name, program.year)
    if name is None:
        suffix = str(_(" (copy)"))
        name = program.name[: max_name - len(suffix)] + suffix
    slug = _with_year(program.slug, program.year) or f"{program.slug}-copy"
    return {"name": name[:max_name], "slug": _free_slug(slug), "year": program.year + 1}


def setup_values(program: Program, fields: tuple[str, ...]) -> dict:
    """A program's set-up (`fields`, then its measures and coordinators) as its form shows
    it; phases are rows of their own."""
    return {
        **{f: getattr(program, f) for f in fields},
        "success_measures": "\n".join(m.label for m in program.success_measures.all()),
        "coordinator_emails": "\n".join(
            program.coordinators.order_by("name").values_list("email", flat=True)
        ),
    }
