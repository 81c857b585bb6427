"""What comes next is what is sent: the 14-day preview against 14 real daily scans, and
the reminders pages' queries at two data sizes."""

import datetime
import random
from collections import Counter

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.testing import assert_constant_queries
from evaluation.models import EvaluationRequest, EvaluationWindow
from intake.models import Application
from intake.tests.factories import ApplicationFactory
from matching.models import Match
from matching.tests.factories import MatchFactory
from programs.models import Participant, Program
from programs.tests.factories import ProgramFactory
from reminders import selectors
from reminders.kinds import KINDS
from reminders.models import Reminder, ReminderSettings
from reminders.tasks import reminders_scan
from sessions.models import SessionRecord, Side
from sessions.tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    PreparationFactory,
    SessionRecordFactory,
    WorksheetFactory,
)
from surveys.models import Survey
from surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 3, 10)
DAYS = selectors.DUE_NEXT_DAYS
FORETOLD = {key for key, kind in KINDS.items() if kind.foretold}
PAGE_BUDGET = 15  # issue 19: every page, whatever the data size


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# --- Generated programs ----------------------------------------------------------------------


def generated(rng: random.Random, program: Program, pairs: int) -> list[Match]:
    """Pairs with everything a reminder is about, at random days around TODAY."""
    matches = []
    for _ in range(pairs):
        match = MatchFactory(
            program=program,
            status=Match.Status.ACTIVE,
            started_at=at(TODAY - days(rng.randint(0, 30)), rng.randint(7, 20)),
        )
        matches.append(match)
        for participant in (match.mentee, match.mentor):
            joined = at(TODAY - days(rng.randint(0, 25)), rng.randint(7, 20))
            Participant.objects.filter(pk=participant.pk).update(joined_at=joined)
            survey = rng.choice([None, Survey.Status.DRAFT, Survey.Status.SUBMITTED])
            if survey:
                submitted = timezone.now() if survey == Survey.Status.SUBMITTED else None
                SurveyFactory(participant=participant, status=survey, submitted_at=submitted)
            if rng.random() < 0.7:
                EvaluationRequest.objects.create(participant=participant)
        if rng.random() < 0.8:
            WorksheetFactory(
                match=match,
                starts_on=TODAY - days(30),
                midpoint_on=TODAY + days(rng.randint(-3, DAYS + 10)),
                target_end_on=TODAY + days(200),
                mentee_agreed_at=rng.choice([None, timezone.now()]),
                mentor_agreed_at=rng.choice([None, timezone.now()]),
            )
        for _ in range(rng.randint(1, 4)):
            meeting = MeetingFactory(
                match=match,
                starts_at=at(TODAY + days(rng.randint(-10, DAYS + 3)), rng.randint(7, 20)),
            )
            if meeting.starts_at > timezone.now() and rng.random() < 0.3:
                PreparationFactory(meeting=meeting)
            if meeting.starts_at < timezone.now() and rng.random() < 0.6:
                status = rng.choice([SessionRecord.Status.DRAFT, SessionRecord.Status.RECORDED])
                record = SessionRecordFactory(meeting=meeting, status=status)
                for _ in range(rng.randint(0, 2)):
                    ActionItemFactory(
                        record=record,
                        owner=rng.choice([Side.MENTEE, Side.MENTOR]),
                        due_on=TODAY + days(rng.randint(-9, DAYS + 2)),
                    )
    return matches


@pytest.fixture
def programs(cast):
    """The cast's running program with its own intervals and an open evaluation, and a
    program taking applications, some members with drafts in it."""
    rng = random.Random(19)
    program = cast.program
    ReminderSettings.objects.create(
        program=program,
        survey_after_days=5,
        worksheet_after_days=10,
        preparation_before_days=4,
        midpoint_before_days=6,
        evaluation_after_days=2,
    )
    with time_machine.travel(at(TODAY), tick=False):
        EvaluationWindow.objects.create(
            program=program, is_open=True, round=1, opened_at=at(TODAY - days(1))
        )
        matches = generated(rng, program, pairs=14)
        open_program = ProgramFactory(
            status=Program.Status.OPEN, applications_close_on=TODAY + days(6)
        )
        for _ in range(3):
            ApplicationFactory(program=open_program, status=Application.Status.DRAFT)
    # A member who turned reminders off and one whose account is closed: nothing is sent
    # to them, so nothing is shown as coming.
    first = matches[0]
    first.mentee.user.optional_reminders = False
    first.mentee.user.save()
    first.mentor.user.is_active = False
    first.mentor.user.save()
    MeetingFactory(match=first, starts_at=at(TODAY + days(3)))
    return [program, open_program]


def scan(day, capture):
    with time_machine.travel(at(day), tick=False), capture(execute=True):
        reminders_scan(now=at(day))


def test_the_preview_is_what_the_next_fourteen_daily_scans_send(
    programs, django_capture_on_commit_callbacks
):
    scan(TODAY, django_capture_on_commit_callbacks)  # what is due by today is sent today
    with time_machine.travel(at(TODAY), tick=False):
        preview = Counter(
            (upcoming.kind.key, user.pk, day)
            for program in programs
            for upcoming in selectors.due_next(program)
            for day, user in upcoming.rows
        )
    already = set(Reminder.objects.values_list("pk", flat=True))
    for offset in range(1, DAYS + 1):
        scan(TODAY + days(offset), django_capture_on_commit_callbacks)
    sent = Reminder.objects.exclude(pk__in=already).filter(kind__in=FORETOLD, sent_at__isnull=False)
    # Same kinds, same people, same days...
    assert Counter((r.kind, r.recipient_id, r.due_on) for r in sent) == preview
    # ...each sent by the scan of the day it is shown on,
    assert all(timezone.localdate(r.sent_at) == r.due_on for r in sent)
    # and the data exercises every kind shown, the two left out among them.
    assert {kind for kind, _user, _day in preview} == FORETOLD
    first = Match.objects.select_related("mentee__user", "mentor__user").first()
    left_out = {first.mentee.user_id, first.mentor.user_id}
    assert Reminder.objects.filter(recipient_id__in=left_out, sent_at__isnull=True).exists()
    assert not {user for _kind, user, _day in preview} & left_out


# --- The pages' queries at two sizes ----------------------------------------------------------


def busy_pairs(program: Program, n: int) -> None:
    """n pairs, each with something of every kind due in the next days and things to do
    now, a reminder whose e-mail the server refused (listed at the top of the log), and n
    pairs overdue with their worksheet."""
    from core.models import OutboxMessage

    for _ in range(n):
        match = MatchFactory(
            program=program, status=Match.Status.ACTIVE, started_at=at(TODAY - days(10))
        )
        Participant.objects.filter(pk__in=[match.mentee_id, match.mentor_id]).update(
            joined_at=at(TODAY - days(3))
        )
        for participant in (match.mentee, match.mentor):
            EvaluationRequest.objects.create(participant=participant)
        WorksheetFactory(match=match, starts_on=TODAY, midpoint_on=TODAY + days(5))
        MeetingFactory(match=match, starts_at=at(TODAY + days(3)))
        held = MeetingFactory(match=match, starts_at=at(TODAY - days(2)))
        record = SessionRecordFactory(meeting=held)
        ActionItemFactory(record=record, due_on=TODAY + days(6))
        MeetingFactory(match=match, starts_at=at(TODAY + days(2)))  # its record comes due
        # And what a coordinator can remind everyone of now: a record not written, and a
        # pair of long ago without a worksheet.
        MeetingFactory(match=match, starts_at=at(TODAY - days(1)))
        MatchFactory(program=program, status=Match.Status.ACTIVE, started_at=at(TODAY - days(40)))
        message = OutboxMessage.objects.create(
            to=match.mentee.user.email,
            subject="s",
            text="t",
            message_id=f"<{match.pk}@x>",
            status="failed",
        )
        Reminder.objects.create(
            message=message,
            kind="survey_due",
            recipient=match.mentee.user,
            program=program,
            subject_key=f"survey:{match.mentee_id}",
            due_on=TODAY - days(1),
        )


@pytest.fixture
def busy(cast):
    EvaluationWindow.objects.create(
        program=cast.program, is_open=True, round=1, opened_at=at(TODAY - days(1))
    )
    with time_machine.travel(at(TODAY), tick=False):
        yield lambda n: busy_pairs(cast.program, n)


def test_the_reminders_page_stays_within_budget_at_4_and_40_pairs(cast, client_as, busy):
    client = client_as("coordinator")
    url = reverse("reminders:log", args=[cast.program.slug])
    count = assert_constant_queries(lambda: client.get(url), busy, sizes=(4, 40))
    response = client.get(url)
    shown = {item.kind.key: len(item.rows) for item in response.context["due_next"]}
    # Every kind a program's page foretells is there, for all 40 pairs.
    assert set(shown) == FORETOLD - {"application_closing"}
    assert shown["meeting_tomorrow"] >= 80 and shown["survey_due"] >= 80
    # Session, user, program with the reader's role, authenticator, the log's count and
    # page, the undelivered, the scheduler, the navigation; what comes next: the intervals,
    # every kind's candidates in one query, the recipients.
    assert count == 12 <= PAGE_BUDGET


@pytest.mark.parametrize(
    ("kind", "pinned"), [("survey_due", 7), ("worksheet_not_agreed", 9), ("record_due", 7)]
)
def test_remind_everyone_previews_stay_within_budget_at_4_and_40_pairs(
    cast, client_as, busy, kind, pinned
):
    client = client_as("coordinator")
    url = reverse("reminders:send_many", args=[cast.program.slug, kind])
    count = assert_constant_queries(lambda: client.get(url), busy, sizes=(4, 40))
    assert len(client.get(url).context["people"]) >= 40
    # Session, user, program, role, authenticator, the navigation's two; the people, when
    # each was last reminded (worksheets: the intervals, the rule's candidates, the pairs).
    assert count == pinned <= PAGE_BUDGET


def test_the_settings_page_stays_within_budget_at_4_and_40_pairs(cast, client_as, busy):
    client = client_as("coordinator")
    url = reverse("reminders:settings", args=[cast.program.slug])
    count = assert_constant_queries(lambda: client.get(url), busy, sizes=(4, 40))
    assert count == 6 <= PAGE_BUDGET  # it reads the program's intervals, never the people


# --- The fit check: sent by each day's scan, never foretold -----------------------------------


def test_the_fit_check_is_not_foretold_but_the_scan_of_its_day_sends_it(
    cast, cast_pair, django_capture_on_commit_callbacks
):
    """Its first question waits for a record being written, which nothing foretells: the
    preview does not list it, and the scan of the day the record is written sends it."""
    held = MeetingFactory(match=cast_pair, starts_at=at(TODAY - days(1)))
    with time_machine.travel(at(TODAY), tick=False):
        preview = {up.kind.key for up in selectors.due_next(cast.program)}
    assert "fit_check_due" not in preview and not KINDS["fit_check_due"].foretold
    scan(TODAY + days(1), django_capture_on_commit_callbacks)
    assert not Reminder.objects.filter(kind="fit_check_due").exists()
    SessionRecordFactory(meeting=held, status=SessionRecord.Status.RECORDED)
    scan(TODAY + days(2), django_capture_on_commit_callbacks)
    sent = Reminder.objects.filter(kind="fit_check_due", sent_at__isnull=False)
    assert sorted(sent.values_list("recipient__email", flat=True)) == [
        "eddie@example.org",
        "mona@example.org",
    ]
    assert {timezone.localdate(r.sent_at) for r in sent} == {TODAY + days(2)}
