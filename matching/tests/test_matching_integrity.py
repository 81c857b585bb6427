"""The database's own guarantees for matching: what no code path can break."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction

from accounts.tests.factories import UserFactory
from matching import services
from matching.models import Exclusion, Match, MatchingProfile, MatchingSettings, Preference
from matching.tests.factories import MatchFactory, add_mentee, add_mentor
from programs.models import Program
from programs.tests.factories import ProgramFactory


@pytest.fixture
def program(db):
    return ProgramFactory(status=Program.Status.MATCHING)


def test_one_active_match_per_mentee(program):
    mentee = add_mentee(program)
    MatchFactory(program=program, mentee=mentee, mentor=add_mentor(program), status="active")
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchFactory(program=program, mentee=mentee, mentor=add_mentor(program), status="active")
    # Ended and proposed matches are history and plans: they may sit beside it.
    MatchFactory(program=program, mentee=mentee, mentor=add_mentor(program), status="ended")
    MatchFactory(program=program, mentee=mentee, mentor=add_mentor(program), status="proposed")


def test_one_proposal_per_mentee(program):
    mentee = add_mentee(program)
    MatchFactory(program=program, mentee=mentee, mentor=add_mentor(program))
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchFactory(program=program, mentee=mentee, mentor=add_mentor(program))


def test_an_end_reason_only_on_an_ended_match(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchFactory(program=program, status="active", end_reason="completed")


@pytest.mark.parametrize(
    ("kind", "with_mentor", "rank"),
    [
        ("specific_mentor", False, None),  # which mentor?
        ("woman_mentor", False, 1),  # a rank is for a chosen mentor
        ("woman_mentor", True, None),
        ("specific_mentor", True, 4),
    ],
)
def test_preference_shapes(program, kind, with_mentor, rank):
    mentee = add_mentee(program)
    mentor = add_mentor(program) if with_mentor else None
    with pytest.raises(IntegrityError), transaction.atomic():
        Preference.objects.create(participant=mentee, kind=kind, mentor=mentor, rank=rank)


def test_each_preference_once(program):
    mentee = add_mentee(program)
    mentor = add_mentor(program)
    Preference.objects.create(participant=mentee, kind="woman_mentor")
    with pytest.raises(IntegrityError), transaction.atomic():
        Preference.objects.create(participant=mentee, kind="woman_mentor", strength="must")
    Preference.objects.create(participant=mentee, kind="specific_mentor", mentor=mentor, rank=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Preference.objects.create(participant=mentee, kind="specific_mentor", mentor=mentor, rank=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Preference.objects.create(
            participant=mentee, kind="specific_mentor", mentor=add_mentor(program), rank=1
        )


def test_one_exclusion_per_pair(program):
    mentee, mentor = add_mentee(program), add_mentor(program)
    Exclusion.objects.create(program=program, mentor=mentor, mentee=mentee, source="mentor")
    with pytest.raises(IntegrityError), transaction.atomic():
        Exclusion.objects.create(
            program=program, mentor=mentor, mentee=mentee, source="coordinator"
        )


@pytest.mark.parametrize("fields", [{"goal": 51}, {"circle_size": 1}, {"circle_size": 9}])
def test_settings_stay_in_range(program, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchingSettings.objects.create(program=program, **fields)


def test_a_capacity_override_stays_in_range(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchingProfile.objects.create(participant=add_mentor(program), capacity=0)


def test_publish_without_override_never_exceeds_capacity(program):
    coordinator = UserFactory()
    mentor = add_mentor(program, capacity=1)
    first, second = add_mentee(program), add_mentee(program)
    # Proposals made when the mentor took two; they then said one.
    MatchFactory(program=program, mentee=first, mentor=mentor)
    MatchFactory(program=program, mentee=second, mentor=mentor)
    with pytest.raises(ValidationError):
        services.matching_publish(program=program, by=coordinator)
    assert not Match.objects.filter(status="active").exists()


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_publishing_at_once_never_exceed_capacity():
    """Each publish alone is fine; together they would give the mentor two mentees."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    program = ProgramFactory(status=Program.Status.MATCHING)
    coordinators = [UserFactory(), UserFactory()]
    mentor = add_mentor(program, capacity=2)
    first = MatchFactory(program=program, mentee=add_mentee(program), mentor=mentor)
    second = MatchFactory(program=program, mentee=add_mentee(program), mentor=mentor)
    # The mentor now takes one: whichever publish comes second must see the first's.
    MatchingProfile.objects.create(participant=mentor, capacity=1)

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def publish(coordinator, match):
        try:
            barrier.wait(timeout=10)
            services.matching_publish(program=program, by=coordinator, match_ids=[match.pk])
            outcomes.append("published")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=publish, args=(c, m))
        for c, m in zip(coordinators, (first, second), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["published", "refused"]
    assert Match.objects.filter(mentor=mentor, status="active").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_proposals_published_twice_at_once_are_published_once(mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    program = ProgramFactory(status=Program.Status.MATCHING)
    mentor = add_mentor(program, capacity=2)
    for _ in range(2):
        MatchFactory(program=program, mentee=add_mentee(program), mentor=mentor)
    barrier = threading.Barrier(2)
    published: list[int] = []

    def publish():
        try:
            barrier.wait(timeout=10)
            published.append(len(services.matching_publish(program=program, by=UserFactory())))
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(published) == [0, 2]
    assert Match.objects.filter(status="active").count() == 2
    # One e-mail to each mentee and one to the mentor, not two of each.
    assert len(mailoutbox) == 3
