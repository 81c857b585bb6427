import datetime

import pytest
from django.utils import timezone

from matching.models import Match
from programs.models import Phase


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def program(cast, today):
    """The cast's program, running from 60 days ago for 300 days; Part Two on lost time."""
    program = cast.program
    program.starts_on = today - datetime.timedelta(days=60)
    program.ends_on = today + datetime.timedelta(days=240)
    program.save()
    Phase.objects.create(
        program=program,
        name="Part One",
        starts_on=program.starts_on,
        ends_on=today + datetime.timedelta(days=30),
        order=0,
    )
    Phase.objects.create(
        program=program,
        name="Part Two",
        starts_on=today + datetime.timedelta(days=31),
        ends_on=program.ends_on,
        lost_time=True,
        order=1,
    )
    return program


@pytest.fixture
def match(cast_pair, program) -> Match:
    """The cast's mentee and mentor, in an active match since 50 days ago."""
    cast_pair.started_at = timezone.now() - datetime.timedelta(days=50)
    cast_pair.save(update_fields=["started_at"])
    return cast_pair
