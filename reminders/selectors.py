import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from core.models import OutboxMessage
from programs.models import Program

from .intervals import Intervals
from .kinds import BULK, KINDS, Kind, Pending, found_between, one_each
from .models import Reminder, ReminderSettings, SchedulerRun

DUE_NEXT_DAYS = 14
SCAN_TASK = "reminders.scan"  # the beat task's name (reminders.tasks, which pages do not import)


# What the log page shows of a reminder (reminders/views.py `_log_body`).
LOG_COLUMNS = (
    "kind",
    "due_on",
    "sent_at",
    "skipped",
    "recipient__name",
    "sent_by__name",
    "message__status",
    "message__attempts",
)
UNDELIVERED_COLUMNS = (
    "kind",
    "recipient__name",
    "message__status",
    "message__attempts",
    "message__next_attempt_at",
)


def reminder_log(program: Program, *, participant=None) -> QuerySet[Reminder]:
    """The program's reminders for its log page, newest first. Only the columns the log
    shows are read: not the e-mails' text and HTML parts, nor the members' whole rows."""
    qs = (
        Reminder.objects.filter(program=program)
        .select_related("recipient", "sent_by", "message")
        .only(*LOG_COLUMNS)
    )
    if participant is not None:
        qs = qs.filter(recipient=participant.user)
    return qs.order_by("-due_on", "-created_at")


def settings_of(program: Program) -> ReminderSettings:
    """The program's intervals, or the defaults (unsaved) when it has none of its own."""
    return ReminderSettings.objects.filter(program=program).first() or ReminderSettings(
        program=program
    )


UNDELIVERED_SHOWN = 50


def undelivered(program: Program) -> list[Reminder]:
    """The program's reminders whose e-mail failed, or failed once and waits for a retry."""
    return list(
        Reminder.objects.filter(program=program)
        .filter(
            Q(message__status=OutboxMessage.Status.FAILED)
            | Q(message__status=OutboxMessage.Status.PENDING, message__attempts__gt=0)
        )
        .select_related("recipient", "message")
        .only(*UNDELIVERED_COLUMNS)
        .order_by("-message__created_at")[:UNDELIVERED_SHOWN]
    )


# --- Reminding everyone at once -----------------------------------------------------------


@dataclass(frozen=True)
class ToRemind:
    """One person on a "remind everyone" preview."""

    item: Pending
    more: int  # other things of the same kind they have to do
    last_reminded: datetime.datetime | None

    @property
    def reminded_today(self) -> bool:
        last = self.last_reminded
        return last is not None and timezone.localdate(last) == timezone.localdate()


def last_reminded(
    program: Program, kind: str, recipient_ids: Iterable[int]
) -> dict[int, datetime.datetime]:
    """When each of these members was last sent a reminder of `kind` in the program."""
    return dict(
        Reminder.objects.filter(
            program=program, kind=kind, recipient_id__in=list(recipient_ids), sent_at__isnull=False
        )
        .order_by()
        .values_list("recipient_id")
        .annotate(last=Max("sent_at"))
    )


def to_remind(program: Program, kind: str) -> list[ToRemind]:
    """Everyone a coordinator can remind of `kind` now, one line per person (fixed queries)."""
    people = one_each(BULK[kind].pending(program, timezone.localdate()))
    last = last_reminded(program, kind, [item.recipient_id for item, _more in people])
    return [ToRemind(item, more, last.get(item.recipient_id)) for item, more in people]


# --- What comes next, and whether anything sends it ------------------------------------------


@dataclass(frozen=True)
class Upcoming:
    kind: Kind
    rows: list[tuple[datetime.date, User]]


def due_next(
    program: Program, *, today: datetime.date | None = None, days: int = DUE_NEXT_DAYS
) -> list[Upcoming]:
    """What the scans of the next `days` days will send in this program, kind by kind.

    The reminders the scans of tomorrow to the period's last day find (`kinds.found_between`,
    the very definitions each day's scan uses) that fall due after today, less those the
    recipient will not be sent (reminders turned off, account closed). Three queries
    (the intervals, every kind's candidates at once, the recipients), whatever the number
    of people or days.
    """
    today = today or timezone.localdate()
    intervals = Intervals.load([program.pk])
    found = {
        (kind.key, due.subject_key, due.recipient_id, due.due_on): (due.due_on, kind)
        for kind, due in found_between(
            today + datetime.timedelta(days=1),
            today + datetime.timedelta(days=days),
            intervals,
            kinds=[key for key, kind in KINDS.items() if kind.foretold],
            program_id=program.pk,
        )
        if due.due_on > today
    }
    users = User.objects.in_bulk({recipient for _kind, _subject, recipient, _day in found})
    by_kind: dict[str, list] = defaultdict(list)
    for (_key, _subject, recipient, _day), (day, kind) in found.items():
        user = users[recipient]
        # What reminders.services.reminder_send skips is not coming either.
        if user.is_active and (kind.essential or user.optional_reminders):
            by_kind[kind.key].append((day, user))
    return [
        Upcoming(kind, sorted(by_kind[key], key=lambda row: (row[0], row[1].name)))
        for key, kind in KINDS.items()
        if by_kind[key]
    ]


@dataclass(frozen=True)
class SchedulerStatus:
    running: bool
    last_run_at: datetime.datetime | None
    in_process: bool  # tasks run inside the web process: `make run`, no broker, no beat


def scheduler_status(now: datetime.datetime | None = None) -> SchedulerStatus:
    """Whether beat has run the reminders scan lately: only what it recorded counts."""
    now = now or timezone.now()
    seen = SchedulerRun.objects.filter(task=SCAN_TASK).values_list("last_run_at", flat=True).first()
    every = datetime.timedelta(seconds=settings.CELERY_BEAT_SCHEDULE["scan-reminders"]["schedule"])
    # Two missed runs and a minute's slack: a late run is not an outage, two are.
    running = seen is not None and seen >= now - 2 * every - datetime.timedelta(minutes=1)
    return SchedulerStatus(running, seen, bool(settings.CELERY_TASK_ALWAYS_EAGER))


def last_sent(kind: str, subject_keys: Iterable[str]) -> dict[str, datetime.datetime]:
    """When a reminder of `kind` about each of these subjects was last sent (one query)."""
    return dict(
        Reminder.objects.filter(
            kind=kind, subject_key__in=list(subject_keys), sent_at__isnull=False
        )
        .order_by()
        .values_list("subject_key")
        .annotate(last=Max("sent_at"))
    )
