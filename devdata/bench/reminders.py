"""Reminders: one scan over 10,000 participants, made and rolled back in a transaction.

No floor: nothing simpler does the same work. Its budget is the issue's (< 5 s), and its
queries are counted (they must not grow with the number of participants).
"""

import datetime

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from devdata.bench.figures import Figure, elapsed_ms
from evaluation.models import EvaluationRequest, EvaluationWindow
from matching.models import Match
from programs.models import Participant, Program
from reminders import services
from reminders.models import Reminder
from sessions.models import ActionItem, Meeting, SessionRecord, Side, Worksheet
from surveys.models import Survey

PROGRAMS = 10
PAIRS_PER_PROGRAM = 500  # a mentee and a mentor each: 10,000 participants in all


class Rollback(Exception):
    pass


def _build(today: datetime.date) -> int:
    now = timezone.now()
    day = datetime.timedelta(days=1)

    def at(date: datetime.date, hour: int = 18) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))

    coordinator = User.objects.create(email="bench-coordinator@example.org", name="Bench")
    programs = Program.objects.bulk_create(
        Program(
            name=f"Bench {n}",
            slug=f"bench-reminders-{n}",
            year=today.year,
            status=Program.Status.RUNNING,
        )
        for n in range(PROGRAMS)
    )
    for program in programs:
        program.coordinators.add(coordinator)
    n_people = PROGRAMS * PAIRS_PER_PROGRAM * 2
    users = User.objects.bulk_create(
        User(email=f"bench-member-{i}@example.org", name=f"Member {i}") for i in range(n_people)
    )
    people = Participant.objects.bulk_create(
        Participant(
            program=programs[i // (PAIRS_PER_PROGRAM * 2)],
            user=user,
            role="mentee" if i % 2 == 0 else "mentor",
        )
        for i, user in enumerate(users)
    )
    Participant.objects.filter(pk__in=[p.pk for p in people]).update(joined_at=now - 60 * day)
    # Nine surveys in ten submitted, the rest still drafts.
    Survey.objects.bulk_create(
        Survey(
            participant=p,
            status=Survey.Status.DRAFT if i % 10 == 0 else Survey.Status.SUBMITTED,
            submitted_at=None if i % 10 == 0 else now,
        )
        for i, p in enumerate(people)
    )
    matches = Match.objects.bulk_create(
        Match(
            program_id=people[i].program_id,
            mentee=people[i],
            mentor=people[i + 1],
            status=Match.Status.ACTIVE,
            started_at=now - (20 + i % 40) * day,
        )
        for i in range(0, len(people), 2)
    )
    Worksheet.objects.bulk_create(
        Worksheet(
            match=m,
            starts_on=today - 40 * day,
            target_end_on=today + 200 * day,
            midpoint_on=today + (i % 60) * day,
            mentee_agreed_at=now if i % 3 else None,
            mentor_agreed_at=now if i % 4 else None,
        )
        for i, m in enumerate(matches)
        if i % 5  # one pair in five has no worksheet yet
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(match=m, starts_at=at(today + (i % 7 - 3) * day), duration_minutes=60, mode="phone")
        for i, m in enumerate(matches)
        for _ in range(2)
    )
    records = SessionRecord.objects.bulk_create(
        SessionRecord(meeting=meeting, status=SessionRecord.Status.RECORDED)
        for i, meeting in enumerate(meetings)
        if i % 2
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            match=record.meeting.match,
            record=record,
            owner=Side.MENTEE if i % 2 else Side.MENTOR,
            description=f"Action {i}",
            due_on=today - (i % 10) * day,
        )
        for i, record in enumerate(records)
    )
    for program in programs[:3]:
        EvaluationWindow.objects.create(
            program=program, is_open=True, round=1, opened_at=now - 7 * day
        )
    EvaluationRequest.objects.bulk_create(EvaluationRequest(participant=p) for p in people)
    return len(people)


def run(repeat: int | None = None) -> list[Figure]:
    repeat = repeat or 3
    today = timezone.localdate()
    times, queries, reminders, people = [], 0, 0, 0
    try:
        with transaction.atomic():
            people = _build(today)
            # Recording only (the scan's reads and writes): nothing is queued.
            for _ in range(repeat):
                Reminder.objects.all().delete()
                with CaptureQueriesContext(connection) as captured:
                    times.append(elapsed_ms(services.reminders_record_due))
                queries = len(captured)
                reminders = Reminder.objects.count()
            raise Rollback
    except Rollback:
        pass
    return [
        Figure(
            name=f"reminder scan, {people:,} participants",
            group="reminders",
            samples_ms=times,
            queries=queries,
            extra={"participants": people, "reminders_due": reminders},
        )
    ]
