"""Reads of the activity log, scoped to one program."""

import datetime

from django.db.models import QuerySet

from .models import ActivityEntry, Program

FORMER_MEMBER = "former"  # the "who" filter's value for entries whose member is gone


def activity_of(
    program: Program,
    *,
    who: str = "",
    action: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[ActivityEntry]:
    """The program's entries, newest first; `who` is a member's id or FORMER_MEMBER."""
    entries = ActivityEntry.objects.filter(program=program).select_related("actor")
    if who == FORMER_MEMBER:
        entries = entries.filter(actor__isnull=True)
    elif who:
        entries = entries.filter(actor_id=who)
    if action:
        entries = entries.filter(action=action)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries.order_by("-at", "-pk")


def activity_actors(program: Program) -> list[tuple[int | None, str]]:
    """Everyone with an entry in the program, by name (None: a former member)."""
    rows = (
        ActivityEntry.objects.filter(program=program)
        .values_list("actor_id", "actor__name")
        .distinct()
        .order_by("actor__name")
    )
    return list(rows)


def activity_actions(program: Program) -> list[str]:
    """The actions that have entries in the program."""
    rows = ActivityEntry.objects.filter(program=program).values_list("action", flat=True)
    return list(rows.distinct().order_by("action"))
