"""The demo of the handbook's practices added in issue 20 item 5 (part A): each program's
level of formality, and a mentee who asks for a mentor who shares their race or ethnicity.

Running it twice changes nothing: values are set, not added, and a member's own answers
are never overwritten.
"""

from accounts.models import Profile
from devdata.evaluation_demo import SLUG as EVALUATION_SLUG
from devdata.matching_demo import FALL_COHORT_SLUG
from matching.models import Preference
from programs.models import Participant, Program

FORMALITY = {
    "2026-mentorship": Program.Formality.FORMAL,
    "2027-mentorship": Program.Formality.FLEXIBLE,
    "2026-stewards-circle": Program.Formality.INFORMAL,
    FALL_COHORT_SLUG: Program.Formality.FORMAL,
    EVALUATION_SLUG: Program.Formality.FORMAL,
}

# Handbook III.4: "mentors of color who are available to work with younger workers of
# color". Jasmine asks (nice to have) in the fall cohort, and one of its mentors, Anita,
# shares her answer: the board says "asked for a mentor who shares their race or
# ethnicity: met" on her card (to the coordinator only).
WISH_MENTEE = "jasmine.kaur@example.org"
SAME_ANSWER = ("jasmine.kaur@example.org", "anita.sharma@example.org")
ANSWER = [Profile.RaceEthnicity.SOUTH_ASIAN.value]


def seed_handbook_demo() -> None:
    for slug, formality in FORMALITY.items():
        Program.objects.filter(slug=slug).update(formality=formality)
    for profile in Profile.objects.filter(user__email__in=SAME_ANSWER):
        if not profile.race_ethnicity:
            Profile.objects.filter(pk=profile.pk).update(race_ethnicity=ANSWER)
    mentee = Participant.objects.filter(
        program__slug=FALL_COHORT_SLUG, user__email=WISH_MENTEE, role=Participant.Role.MENTEE
    ).first()
    if mentee is not None:
        Preference.objects.get_or_create(
            participant=mentee,
            kind=Preference.Kind.SAME_RACE_ETHNICITY,
            mentor=None,
            defaults={"strength": Preference.Strength.NICE},
        )
