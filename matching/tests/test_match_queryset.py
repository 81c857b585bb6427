"""Match.objects.published() and .involving(): the one definition every app uses."""

import pytest
from django.db.models import OuterRef

from matching.models import Match
from matching.tests.factories import MatchFactory
from programs.models import Participant
from programs.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_published_is_active_or_ended_never_proposed():
    program = ProgramFactory()
    active = MatchFactory(program=program, status=Match.Status.ACTIVE)
    ended = MatchFactory(
        program=program, status=Match.Status.ENDED, end_reason=Match.EndReason.COMPLETED
    )
    MatchFactory(program=program, status=Match.Status.PROPOSED)
    assert set(Match.objects.published()) == {active, ended}


def test_involving_finds_both_sides_and_nobody_else():
    program = ProgramFactory()
    match = MatchFactory(program=program)
    other = MatchFactory(program=program)
    assert list(Match.objects.involving(match.mentee.user)) == [match]
    assert list(Match.objects.involving(match.mentor.user)) == [match]
    assert list(Match.objects.involving_participant(other.mentor)) == [other]


def test_involving_participant_takes_an_outer_reference():
    match = MatchFactory(status=Match.Status.ACTIVE)
    MatchFactory(program=match.program, status=Match.Status.PROPOSED)
    pair = Match.objects.published().involving_participant(OuterRef("pk")).values("pk")[:1]
    found = Participant.objects.annotate(pair=pair).filter(pair__isnull=False)
    assert set(found) == {match.mentee, match.mentor}
