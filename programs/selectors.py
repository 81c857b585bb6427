"""Reads, already scoped to the member asking."""

from django.db.models import Count, Q, QuerySet

from .models import Participant, Program


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
