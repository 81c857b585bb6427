"""Reads, already scoped to the member asking."""

from allauth.account.models import EmailAddress
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from .models import CoordinatorInvitation, Participant, Program


def programs_coordinated_by(user) -> QuerySet[Program]:
    return Program.objects.filter(coordinators=user).annotate(
        mentee_count=Count("participants", filter=Q(participants__role=Participant.Role.MENTEE)),
        mentor_count=Count("participants", filter=Q(participants__role=Participant.Role.MENTOR)),
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
