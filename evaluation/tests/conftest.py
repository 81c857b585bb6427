import pytest

from evaluation import services
from matching.models import Match
from matching.tests.factories import MatchFactory
from programs.models import Participant


@pytest.fixture
def mentee(cast) -> Participant:
    return cast.program.participants.get(user=cast.mentee)


@pytest.fixture
def mentor(cast) -> Participant:
    return cast.program.participants.get(user=cast.mentor)


@pytest.fixture
def match(cast, mentee, mentor) -> Match:
    """The cast's mentee and mentor, matched and meeting."""
    return MatchFactory(program=cast.program, mentee=mentee, mentor=mentor, status="active")


@pytest.fixture
def open_window(cast):
    return services.evaluation_window_open(program=cast.program, by=cast.coordinator)
