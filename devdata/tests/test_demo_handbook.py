"""The demo shows the level of formality and the wish for a mentor who shares one's race or
ethnicity (issue 20 item 5, part A), and seeding it twice changes nothing."""

import pytest

from accounts.models import Profile
from devdata.handbook_demo import FORMALITY, WISH_MENTEE, seed_handbook_demo
from devdata.matching_demo import FALL_COHORT_SLUG, seed_matching_demo
from matching.models import Match, Preference
from matching.selectors import matching_data
from programs.models import Program

pytestmark = pytest.mark.django_db


def test_the_fall_cohort_shows_the_wish_met_on_the_board():
    program = seed_matching_demo()
    seed_handbook_demo()
    seed_handbook_demo()
    wish = Preference.objects.get(participant__program=program, kind="same_race_ethnicity")
    assert wish.participant.user.email == WISH_MENTEE and wish.strength == "nice"
    data = matching_data(program)
    mentee = next(m for m in data.problem.mentees if m.id == wish.participant_id)
    assert mentee.race_ethnicity == {"south_asian"}
    proposal = program.matches.get(mentee=wish.participant, status=Match.Status.PROPOSED)
    reasons = data.score(proposal.mentee_id, proposal.mentor_id).reasons
    assert "asked for a mentor who shares their race or ethnicity: met" in reasons
    program.refresh_from_db()
    assert program.formality == FORMALITY[FALL_COHORT_SLUG] == Program.Formality.FORMAL


def test_a_members_own_answer_is_kept():
    seed_matching_demo()
    Profile.objects.filter(user__email=WISH_MENTEE).update(race_ethnicity=["prefer_not"])
    seed_handbook_demo()
    assert Profile.objects.get(user__email=WISH_MENTEE).race_ethnicity == ["prefer_not"]


def test_seed_demo_gives_every_demo_program_its_level_of_formality():
    from django.core.management import call_command

    call_command("seed_demo", allow_production=True)
    found = dict(Program.objects.filter(slug__in=FORMALITY).values_list("slug", "formality"))
    assert found == {slug: str(level) for slug, level in FORMALITY.items()}
    assert set(found.values()) == set(Program.Formality.values)  # each level shown once at least
