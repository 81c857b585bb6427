import pytest

from evaluation import services
from matching.models import Match
from programs.models import Participant


@pytest.fixture
def mentee(cast) -> Participant:
    return cast.mentee_participant


@pytest.fixture
def mentor(cast) -> Participant:
    return cast.mentor_participant


@pytest.fixture
def match(cast_pair) -> Match:
    """The cast's mentee and mentor, matched and meeting."""
    return cast_pair


@pytest.fixture
def open_window(cast):
    return services.evaluation_window_open(program=cast.program, by=cast.coordinator)
