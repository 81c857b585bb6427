"""Shared by the dashboard's tests: a fixed day, noon or evening on any day, and a participant
taken in through an accepted application (the funnel's "accepted" step)."""

import datetime

from django.utils import timezone

from intake.tests.factories import ApplicationFactory

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
    from dashboard.funnel import refresh
    from programs.models import Participant

    refresh(Participant.objects.all())
