"""The demo program in matching: proposals ready to publish, and idempotent seeding."""

import pytest

from accounts.models import Profile, User
from devdata.matching_demo import FALL_COHORT_SLUG, seed_matching_demo
from matching.models import Exclusion, Match, MatchingProfile, Preference
from matching.selectors import matching_data
from programs.models import Participant, Program

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    models = [User, Profile, Program, Participant, MatchingProfile, Preference, Exclusion]
    rows = {m._meta.label: sorted(map(repr, m.objects.values_list())) for m in models}
    rows["matches"] = sorted(Match.objects.values_list("mentee_id", "mentor_id", "status", "score"))
    return rows


def test_seeding_twice_changes_nothing():
    seed_matching_demo()
    first = snapshot()
    seed_matching_demo()
    assert snapshot() == first


def test_the_fall_cohort_is_ready_to_publish():
    program = seed_matching_demo()
    assert program.slug == FALL_COHORT_SLUG
    assert program.status == Program.Status.MATCHING
    assert program.coordinators.filter(email="coordinator@example.org").exists()
    assert program.participants.filter(role="mentee").count() == 10
    assert program.participants.filter(role="mentor").count() == 5
    proposals = program.matches.filter(status=Match.Status.PROPOSED)
    assert proposals.count() >= 9
    data = matching_data(program)
    assert all(m.score and data.score(m.mentee_id, m.mentor_id).reasons for m in proposals)
    assert Preference.objects.filter(participant__program=program, strength="must").exists()
    conflict = Exclusion.objects.get(mentor__program=program, source="mentor")
    assert not proposals.filter(mentee=conflict.mentee, mentor=conflict.mentor).exists()
    must = Preference.objects.get(participant__program=program, kind="woman_mentor")
    proposal = proposals.filter(mentee=must.participant).first()
    assert proposal is None or (
        "asked for a woman mentor (must): met"
        in data.score(proposal.mentee_id, proposal.mentor_id).reasons
    )


def test_a_published_demo_is_not_matched_again():
    program = seed_matching_demo()
    program.matches.update(status=Match.Status.ACTIVE)
    seed_matching_demo()
    assert not program.matches.filter(status=Match.Status.PROPOSED).exists()
