"""Shared by the dashboard's tests: a fixed day, noon or evening on any day, a participant
taken in through an accepted application (the funnel's "accepted" step), and how the stored
funnel columns differ from the steps' definitions (`drift`)."""

import datetime

from django.utils import timezone

from dashboard import funnel, selectors
from intake.tests.factories import ApplicationFactory
from programs.models import Participant

D = datetime.date
TODAY = D(2026, 6, 15)


def at(day: datetime.date, hour: int = 18) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def accepted(participant) -> None:
    """The participant came in as the program takes people in: an accepted application."""
    ApplicationFactory(
        program=participant.program,
        applicant=participant.user,
        role=participant.role,
        status="accepted",
        submitted_at=at(D(2026, 1, 5)),
    )


def funnel_refreshed() -> None:
    """Every participant's stored funnel columns computed again, as the services keep them
    (after rows were written directly; see conftest's `funnel_kept_by_every_write`)."""
    funnel.refresh(Participant.objects.all())


def drift(now: datetime.datetime | None = None) -> list:
    """Every way the stored columns differ from the definitions, at `now`."""
    now = now or timezone.now()
    found = [
        (pk, stored, fresh)
        for pk, stored, fresh in funnel.computed(Participant.objects.all())
        if stored != fresh
    ]
    defined = selectors.defined_participant_filters(now)
    stored = selectors.participant_filters(now)
    for key in selectors.FUNNEL_STEPS:
        by_definition = set(Participant.objects.filter(defined[key]).values_list("pk", flat=True))
        by_column = set(Participant.objects.filter(stored[key]).values_list("pk", flat=True))
        if by_definition != by_column:
            found.append((key, sorted(by_definition), sorted(by_column)))
    return found
