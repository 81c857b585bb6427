import pytest
from allauth.account.models import EmailAddress

from accounts.models import Profile, User
from devdata import demo, people
from devdata.matching_demo import DEMO_MENTORS, NEW_MENTORS, seed_mentor_profiles
from matching.models import MentorProfile

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    models = [User, Profile, MentorProfile, EmailAddress]
    return {m._meta.label: sorted(map(repr, m.objects.values_list())) for m in models}


def test_seeding_twice_changes_nothing():
    seed_mentor_profiles()
    first = snapshot()
    seed_mentor_profiles()
    assert snapshot() == first


def test_the_demo_mentors_get_a_profile_when_they_exist():
    for email, name, language in demo.MENTORS[:3]:
        people.ensure_member(email, name, language)
    seed_mentor_profiles()
    assert MentorProfile.objects.filter(user__email="harjit.sandhu@example.org").exists()
    assert not User.objects.filter(email="patrick.obrien@example.org").exists()
    assert {spec.email for spec in DEMO_MENTORS} == {email for email, *_ in demo.MENTORS}


def test_new_mentors_are_varied_and_some_need_a_refresh():
    seed_mentor_profiles()
    profiles = list(MentorProfile.objects.select_related("user"))
    assert len(profiles) == len(NEW_MENTORS) >= 24
    assert 3 <= sum(p.is_stale() for p in profiles) <= 4
    assert sum(not p.available for p in profiles) == 2
    answers = [p.findable_by_other_programs for p in profiles]
    assert (answers.count(False), answers.count(None)) == (2, 2)  # the rest said yes
    assert sum(not p.internal for p in profiles) >= 3
    assert {p.capacity for p in profiles} == {1, 2, 3, 4}
    assert len({skill for p in profiles for skill in p.skills}) == 13
    for user in User.objects.filter(mentor_profile__isnull=False):
        assert EmailAddress.objects.get(user=user).verified
        assert user.check_password(people.DEMO_PASSWORD)


def test_demo_profiles_have_languages_and_regions_but_no_demographics():
    seed_mentor_profiles()
    profiles = Profile.objects.all()
    assert len({p.region for p in profiles}) >= 6
    assert profiles.exclude(languages=[]).count() >= 18
    for field in Profile.DEMOGRAPHIC_FIELDS:
        assert not profiles.exclude(
            **{field: Profile._meta.get_field(field).get_default()}
        ).exists()
