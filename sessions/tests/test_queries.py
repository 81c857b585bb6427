"""List pages cost the same number of queries with 5 rows as with 50 (pinned)."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from core.testing import assert_constant_queries
from matching.models import Match
from programs.tests.factories import ParticipantFactory
from sessions import services
from sessions.tests.factories import (
    ActionItemFactory,
    GroupSessionFactory,
    MeetingFactory,
    PreparationFactory,
    SessionRecordFactory,
    WorksheetFactory,
    at,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def new_pair(program) -> Match:
    return Match.objects.create(
        program=program,
        mentee=ParticipantFactory(program=program, role="mentee"),
        mentor=ParticipantFactory(program=program, role="mentor"),
        status="active",
        started_at=timezone.now(),
    )


def test_pairs_list(program, client_as, today):
    client = client_as("coordinator")
    target = reverse("sessions:pairs", args=[program.slug])

    def grow(n):
        for _ in range(n):
            pair = new_pair(program)
            WorksheetFactory(match=pair)
            meeting = MeetingFactory(match=pair, starts_at=at(today - 3 * DAY))
            ActionItemFactory(record=SessionRecordFactory(meeting=meeting))
            MeetingFactory(match=pair)

    count = assert_constant_queries(lambda: client.get(target), grow)
    assert count == 7  # with the coordinator's authenticator


def test_group_sessions_list(program, client_as):
    client = client_as("mentee")
    target = reverse("sessions:group_sessions", args=[program.slug])
    days = itertools.count(1)

    def grow(n):
        for _ in range(n):
            GroupSessionFactory(
                program=program, starts_at=at(timezone.localdate() + next(days) % 200 * DAY, 10)
            )

    count = assert_constant_queries(lambda: client.get(target), grow)
    assert count == 6


def test_pair_timeline(match, client_as, today):
    client = client_as("mentor")
    WorksheetFactory(match=match)
    target = reverse("sessions:timeline", args=[match.program.slug, match.pk])
    days = itertools.count(1)

    def grow(n):
        for _ in range(n):
            day = next(days)
            meeting = MeetingFactory(match=match, starts_at=at(today - day * DAY))
            PreparationFactory(meeting=meeting)
            ActionItemFactory(record=SessionRecordFactory(meeting=meeting))
            # Coming up: one prepared, one not; and one held but not recorded yet.
            PreparationFactory(meeting=MeetingFactory(match=match, starts_at=at(today + day * DAY)))
            MeetingFactory(match=match, starts_at=at(today + (day + 200) * DAY))
            MeetingFactory(match=match, starts_at=at(today - (day + 200) * DAY))

    count = assert_constant_queries(lambda: client.get(target), grow)
    # The next meeting and the open actions come from the same reads; the fit check's
    # question due and the member's own answers are two more.
    assert count == 11


def test_calendar_feed(match, program, cast, today):
    from django.test import Client

    token = services.calendar_feed_regenerate(user=cast.mentee).token
    target = reverse("sessions:feed", args=[token])
    days = itertools.count(1)

    def grow(n):
        for _ in range(n):
            MeetingFactory(match=match, starts_at=at(today + next(days) * DAY))
            GroupSessionFactory(program=program)

    count = assert_constant_queries(lambda: Client().get(target), grow)
    assert count == 4


def test_orientation_page_with_its_pairs(program, client_as):
    from sessions.tests.factories import OrientationFactory

    OrientationFactory(program=program)
    client = client_as("coordinator")
    target = reverse("sessions:orientation", args=[program.slug])

    def grow(n):
        for _ in range(n):
            new_pair(program)

    count = assert_constant_queries(lambda: client.get(target), grow)
    assert count == 9  # with the coordinator's authenticator
