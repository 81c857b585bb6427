"""Dates shared by the dashboard's tests: a fixed day, and noon or evening on any day."""

import datetime

from django.utils import timezone

D = datetime.date
TODAY = D(2026, 6, 15)


def at(day: datetime.date, hour: int = 18) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
