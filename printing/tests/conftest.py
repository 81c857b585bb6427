"""Fixtures of the printing tests."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Profile
from surveys.tests.factories import SurveyFactory


@pytest.fixture
def filled(cast):
    """The cast's mentee matched with the mentor: submitted survey, distinctive demographics."""
    mentee = cast.mentee_participant
    cast.pair()
    Profile.objects.create(
        user=mentee.user,
        phone="604-555-0177",
        gender_self_described="Zyxgender",
        date_of_birth=datetime.date(1977, 3, 14),
    )
    SurveyFactory(participant=mentee, status="submitted", submitted_at=timezone.now())
    return mentee
