"""The pair states in SQL (sessions.selectors.PairStates) against a Python oracle.

The oracle works each state out from its definition, one pair at a time, in the local
time zone: dates of meetings and starts, `worksheet_due_on` (the reminders' own rule),
each program's own intervals. Pairs are generated around every boundary: a minute either
side of a local midnight, starts with no date, orientations later than the pair's start,
cancelled and future meetings, the mid-point's week, and "now" late in the evening, when
the local day and the UTC day differ.
"""

import datetime
import random
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from dashboard import selectors
from matching.models import Match
from matching.tests.factories import MatchFactory
from programs.models import Program
from programs.tests.factories import ProgramFactory
from reminders.intervals import Intervals
from reminders.models import ReminderSettings
from sessions.models import Meeting
from sessions.selectors import (
    MIDPOINT_EARLY_DAYS,
    PAIR_STATE_KEYS,
    PairStates,
    pair_states,
    worksheet_due_on,
)
from sessions.tests.factories import MeetingFactory, OrientationFactory, WorksheetFactory

D = datetime.date
TODAY = D(2026, 6, 15)


def local(day: datetime.date, minutes: int = 0) -> datetime.datetime:
    """The local midnight of `day`, moved by `minutes`."""
    midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return midnight + datetime.timedelta(minutes=minutes)


def oracle(program_ids, today: datetime.date, now: datetime.datetime) -> dict[int, dict]:
    """Each active pair's states, worked out in Python from the definitions."""
    intervals = Intervals.load(program_ids)
    states = {}
    matches = Match.objects.filter(program__in=program_ids, status=Match.Status.ACTIVE)
    for match in matches.select_related("program__orientation", "worksheet"):
        program_id = match.program_id
        no_meeting_days = intervals.days(program_id, "no_meeting_days")
        held = [
            meeting.starts_at
            for meeting in match.meetings.all()
            if meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at <= now
        ]
        quiet_since = today - datetime.timedelta(days=no_meeting_days)
        met_recently = any(timezone.localdate(at) >= quiet_since for at in held)
        started = match.started_at or now
        orientation = getattr(match.program, "orientation", None)
        due = worksheet_due_on(
            started,
            orientation.starts_at if orientation else None,
            intervals.days(program_id, "worksheet_after_days"),
        )
        worksheet = getattr(match, "worksheet", None)
        agreed = bool(worksheet and worksheet.mentee_agreed_at and worksheet.mentor_agreed_at)
        midpoint = worksheet.midpoint_on if worksheet else None
        # The check-in window opens at the start (in UTC, as stored) of the day a week
        # before the mid-point: the database compares the start with that date.
        if midpoint is not None:
            opens = datetime.datetime.combine(
                midpoint - datetime.timedelta(days=MIDPOINT_EARLY_DAYS),
                datetime.time.min,
                tzinfo=datetime.UTC,
            )
            checked_in = any(at >= opens for at in held)
        states[match.pk] = {
            "quiet": timezone.localdate(started) <= quiet_since and not met_recently,
            "met_recently": met_recently,
            "worksheet": not agreed and due < today,
            "midpoint": midpoint is not None and midpoint < today and not checked_in,
        }
    return states


def generate(rng: random.Random, today: datetime.date) -> list[Program]:
    """Three programs with their own intervals (one with none), pairs around every edge."""
    programs = [ProgramFactory(), ProgramFactory(), ProgramFactory()]
    ReminderSettings.objects.create(program=programs[0], no_meeting_days=7, worksheet_after_days=10)
    ReminderSettings.objects.create(
        program=programs[1], no_meeting_days=30, worksheet_after_days=21
    )
    # An orientation after many pairs started (their worksheet is due 10 days after it:
    # not yet), one exactly on its program's boundary (due today: not overdue), and one
    # long before (the worksheet counts from the start).
    OrientationFactory(program=programs[0], starts_at=local(today - D.resolution * 5, 23 * 60))
    OrientationFactory(program=programs[1], starts_at=local(today - D.resolution * 21))
    OrientationFactory(program=programs[2], starts_at=local(today - D.resolution * 200, 600))
    minutes = (-1, 0, 0, 0, 1, 6 * 60, 23 * 60 + 59)
    # Days before today around each interval: 7, 10, 14, 21 and 30 (a start at the local
    # midnight `days - 1` ago is the first that is too recent to be quiet).
    days_ago = (0, 1, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 20, 21, 22, 28, 29, 30, 31, 45)
    for program in programs:
        for _pair in range(16):
            status = rng.choice([Match.Status.ACTIVE] * 5 + [Match.Status.ENDED])
            started = (
                None
                if rng.random() < 0.1
                else local(today - D.resolution * rng.choice(days_ago), rng.choice(minutes))
            )
            match = MatchFactory(program=program, status=status, started_at=started)
            for _meeting in range(rng.randint(0, 3)):
                before = rng.choice([0, 1, 6, 7, 8, 29, 30, 31, 40])
                at = local(today - D.resolution * before, rng.choice(minutes))
                if rng.random() < 0.2:
                    MeetingFactory(
                        match=match,
                        starts_at=at,
                        status=Meeting.Status.CANCELLED,
                        cancelled_at=at,
                        cancel_reason="Sick",
                    )
                else:
                    MeetingFactory(match=match, starts_at=at)
            kind = rng.choice(["none", "draft", "mentee", "both"])
            if kind != "none":
                midpoint = today + D.resolution * rng.choice([-10, -8, -7, -1, 0, 1])
                agreed = local(today - D.resolution * 3, 60)
                WorksheetFactory(
                    match=match,
                    starts_on=midpoint - D.resolution * 60,
                    midpoint_on=midpoint,
                    target_end_on=midpoint + D.resolution * 60,
                    mentee_agreed_at=agreed if kind in ("mentee", "both") else None,
                    mentor_agreed_at=agreed if kind == "both" else None,
                )
    return programs


@pytest.mark.parametrize(
    ("zone", "hour", "ahead"),
    [
        ("America/Toronto", 12, 0),
        ("America/Toronto", 23, 0),  # the UTC day is already tomorrow
        ("Asia/Kolkata", 1, 0),  # the UTC day is still yesterday
        ("UTC", 0, 0),
        # Asked about a later day than the clock's (as the dashboard can be): pairs with
        # no start date count from now, so they can be quiet and late.
        ("America/Toronto", 12, 40),
    ],
)
@pytest.mark.parametrize("seed", [1, 2])
def test_the_sql_states_match_the_definitions(db, settings, zone, hour, ahead, seed):
    settings.TIME_ZONE = zone
    now = datetime.datetime.combine(TODAY, datetime.time(hour, 30), zoneinfo.ZoneInfo(zone))
    today = TODAY + D.resolution * ahead
    with time_machine.travel(now, tick=False):
        programs = generate(random.Random(seed), TODAY)
        ids = [program.pk for program in programs]
        expected = oracle(ids, today, timezone.now())
        intervals = Intervals.load(ids)
        states = PairStates(ids, today, intervals)
        # Each list: one filtered query.
        for key in PAIR_STATE_KEYS:
            found = set(states.pairs(key).values_list("pk", flat=True))
            assert found == {pk for pk, state in expected.items() if state[key]}, key
        # Each number: the same filter, counted.
        counts = states.counts()
        for program_id in ids:
            mine = [state for pk, state in expected.items() if _program(pk) == program_id]
            row = counts.get(program_id, {"active_pairs": 0, **dict.fromkeys(PAIR_STATE_KEYS, 0)})
            assert row["active_pairs"] == len(mine)
            for key in PAIR_STATE_KEYS:
                assert row[key] == sum(state[key] for state in mine), key
        # The counts run SQL compiled once per process with stand-ins (`_pair_counts_sql`):
        # the same numbers as the ORM's own query, also when the SQL compiled for three
        # programs is run again with them in another order.
        orm = {}
        for row in states.counts_query():
            program_id = row.pop("program_id")
            orm[program_id] = {name.removeprefix("n_"): n for name, n in row.items()}
        assert counts == orm
        assert PairStates(list(reversed(ids)), today, intervals).counts() == orm
        # The per-pair form the reminders read.
        for state in pair_states(ids, today, intervals):
            assert expected[state.pk] == {
                "quiet": state.quiet,
                "met_recently": state.met_recently,
                "worksheet": state.worksheet_overdue,
                "midpoint": state.midpoint_overdue,
            }
        # The dashboard's numbers are the same counts (its programs are live).
        Program.objects.filter(pk__in=ids).update(status=Program.Status.RUNNING)
        board = selectors.dashboard(
            list(Program.objects.filter(pk__in=ids).select_related(*selectors.PROGRAM_RELATED)),
            today,
        )
        for key in ("quiet", "worksheet", "midpoint"):
            assert board.attention[key] == sum(state[key] for state in expected.values()), key
    if ahead:
        # Pairs with no start are among the quiet ones, so that rule was compared too.
        unstarted = Match.objects.filter(program__in=ids, started_at__isnull=True, status="active")
        assert any(expected[pk]["quiet"] for pk in unstarted.values_list("pk", flat=True))
        return
    # Every state is met somewhere in the generated pairs, so none is compared only empty.
    for key in PAIR_STATE_KEYS:
        assert any(state[key] for state in expected.values()), key
        assert not all(state[key] for state in expected.values()), key


def _program(pk: int) -> int:
    return Match.objects.values_list("program_id", flat=True).get(pk=pk)


def test_a_list_is_one_query_whose_statement_does_not_grow(db, django_assert_num_queries):
    """The pairs are found by the filter itself, never by a list of their ids."""
    program = ProgramFactory()
    states = PairStates([program.pk], TODAY, Intervals())
    statements = []
    for more in (2, 30):
        for _pair in range(more):
            MatchFactory(
                program=program,
                status=Match.Status.ACTIVE,
                started_at=local(TODAY - D.resolution * 100),
            )
        with django_assert_num_queries(1) as captured:
            found = list(states.pairs("worksheet"))
        assert len(found) == Match.objects.count()
        statements.append(captured.captured_queries[0]["sql"])
    assert statements[0] == statements[1]
