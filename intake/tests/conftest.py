import datetime

import pytest
from django.utils import timezone

from programs.models import Program


@pytest.fixture
def open_program(cast) -> Program:
    """The cast's program, open for applications today."""
    today = timezone.localdate()
    program = cast.program
    program.status = Program.Status.OPEN
    program.applications_open_on = today - datetime.timedelta(days=10)
    program.applications_close_on = today + datetime.timedelta(days=10)
    program.starts_on = today + datetime.timedelta(days=30)
    program.ends_on = today + datetime.timedelta(days=300)
    program.save()
    return program


ANSWERS = {
    "essay": "I want to learn to represent my co-workers.",
    "goals": "Run for steward next year.",
    "union_role": "Member",
    "local_unit": "Local 2009 Unit 4",
    "experience": "first_time",
    "availability": ["evenings", "weekends"],
    "preferred_delivery": "video",
    "lost_time_release": "likely",
}


@pytest.fixture
def answers() -> dict:
    return dict(ANSWERS)
