"""Finding what is due, and sending each reminder exactly once."""

import datetime
import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.bulk_insert import insert_new
from core.mail import mail_member, mail_retry
from programs.models import Program
from programs.services import program_settings_copy

from .intervals import Intervals
from .kinds import BULK, KINDS, due_by, one_each
from .models import Reminder, ReminderSettings, SchedulerRun

logger = logging.getLogger(__name__)

# A queued send not done by then is queued again (the worker may have died).
REQUEUE_AFTER = datetime.timedelta(minutes=15)
BY_HAND = ("survey_due",)  # one person at a time; BULK kinds also go to many at once


def reminders_record_due(
    *,
    now: datetime.datetime | None = None,
    kinds: Iterable[str] | None = None,
    program_ids: Collection[int] | None = None,
) -> list[int]:
    """Record every reminder due today (once per due moment); the ones to queue now.
    `kinds` and `program_ids` narrow what is recorded (the demo records one kind of one
    program as the scan would); the ones to queue are every unsent reminder.

    Safe to run twice or concurrently: the unique row decides, and sending checks
    `sent_at` under a row lock. Queueing is the task module's (reminders.tasks.reminders_scan):
    a service never imports its own task.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    intervals = Intervals.load(program_ids)
    # Tens of thousands of rows at national size, most already there from earlier scans:
    # the unique row skips those (core.bulk_insert, without the ORM's cost per value).
    insert_new(
        Reminder,
        ("kind", "recipient", "subject_key", "due_on", "program"),
        (
            (kind.key, due.recipient_id, due.subject_key, due.due_on, due.program_id)
            for kind, due in due_by(today, intervals, kinds=kinds)
            if program_ids is None or due.program_id in program_ids
        ),
    )
    return list(
        Reminder.objects.filter(sent_at__isnull=True, skipped="")
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - REQUEUE_AFTER))
        .values_list("pk", flat=True)
    )


def reminder_mark_queued(*, reminder_id: int, now: datetime.datetime) -> None:
    """Note that a send was queued, so the next scans leave it alone for REQUEUE_AFTER."""
    Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True).update(enqueued_at=now)


@transaction.atomic
def reminder_send(*, reminder_id: int) -> Reminder | None:
    """Send one reminder if it has not been sent and is still due; idempotent."""
    reminder = (
        Reminder.objects.select_for_update(of=("self",))
        .select_related("recipient")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.sent_at or reminder.skipped:
        return reminder
    kind = KINDS[reminder.kind]
    recipient = reminder.recipient
    if reminder.sent_by_id is None and not kind.essential and not recipient.optional_reminders:
        reminder.skipped = "opted_out"
    elif not recipient.is_active:
        reminder.skipped = "inactive"
    else:
        context = kind.context(reminder.subject_key)
        if context is None:
            reminder.skipped = "no_longer_due"
        else:
            attachments = context.pop("attachments", ())
            # The outbox row commits with `sent_at`: written once, sent by the worker.
            reminder.message_id = mail_member(
                recipient,
                f"reminder_{kind.key}",
                {**context, "reminder": reminder},
                attachments=attachments,
            )
            reminder.sent_at = timezone.now()
    reminder.save(update_fields=["sent_at", "skipped", "message"])
    return reminder


def reminder_send_by_hand(
    *, program: Program, recipient: User, kind: str, subject_key: str, by: User
) -> Reminder:
    """A coordinator's reminder now; one per subject and day."""
    if kind not in BY_HAND:
        raise ValidationError(_("This reminder cannot be sent by hand."))
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                kind=kind,
                recipient=recipient,
                program=program,
                subject_key=subject_key,
                due_on=timezone.localdate(),
                sent_by=by,
            )
    except IntegrityError:
        raise ValidationError(_("This reminder has already been sent today.")) from None
    sent = reminder_send(reminder_id=reminder.pk)
    if sent.skipped == "no_longer_due":
        raise ValidationError(_("Nothing to remind: it has been done."))
    return sent


@dataclass
class SentMany:
    """What a "remind everyone" did, person by person (their names)."""

    sent: list[str] = field(default_factory=list)
    already_today: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)  # did it since the preview
    not_sent: list[str] = field(default_factory=list)  # account closed or inactive


def reminders_send_many(
    *,
    program: Program,
    kind: str,
    participant_ids: Iterable[int],
    by: User,
    now: datetime.datetime | None = None,
) -> SentMany:
    """Remind each chosen participant of the first thing of `kind` they still have to do.

    One e-mail per person through the outbox, each a Reminder row sent by hand (so the
    pages show "reminded on"); one transaction. People who did it since the preview and
    people reminded of it today are skipped; ids of another program's people refuse the
    whole batch. Sent twice (a double click), the second sends nothing.
    """
    bulk = BULK.get(kind)
    if bulk is None:
        raise ValidationError(_("This reminder cannot be sent to everyone at once."))
    wanted = {int(pk) for pk in participant_ids}
    ours = set(program.participants.filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - ours:
        raise ValidationError(_("Some of these people are not in this program: nothing was sent."))
    now = now or timezone.now()
    today = timezone.localdate(now)
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    result = SentMany()
    with transaction.atomic():
        # Two submissions at once take turns, so the second sees the first one's rows.
        Program.objects.select_for_update(of=("self",)).get(pk=program.pk)
        pending = [
            item
            for item, _more in one_each(bulk.pending(program, today))
            if item.participant_id in wanted
        ]
        names = dict(program.participants.filter(pk__in=wanted).values_list("pk", "user__name"))
        found = {item.participant_id for item in pending}
        result.done = sorted(names[pk] for pk in wanted - found)
        reminded = set(
            Reminder.objects.filter(
                Q(sent_at__gte=midnight) | Q(due_on=today, skipped=""),
                kind=kind,
                program=program,
                recipient_id__in=[item.recipient_id for item in pending],
            ).values_list("recipient_id", flat=True)
        )
        for item in pending:
            if item.recipient_id in reminded:
                result.already_today.append(item.name)
                continue
            try:
                with transaction.atomic():
                    reminder = Reminder.objects.create(
                        kind=kind,
                        recipient_id=item.recipient_id,
                        program=program,
                        subject_key=item.subject_key,
                        due_on=today,
                        sent_by=by,
                    )
            except IntegrityError:
                result.already_today.append(item.name)
                continue
            sent = reminder_send(reminder_id=reminder.pk)
            if sent.sent_at:
                result.sent.append(item.name)
            elif sent.skipped == "no_longer_due":
                result.done.append(item.name)
            else:
                result.not_sent.append(item.name)
    logger.info(
        "Member %s reminded %s people of %s in program %s",
        by.pk,
        len(result.sent),
        kind,
        program.slug,
    )
    return result


def scheduler_seen(*, task: str, now: datetime.datetime | None = None) -> None:
    """Note that the scheduler ran `task` now (the reminders page's evidence)."""
    SchedulerRun.objects.update_or_create(
        task=task, defaults={"last_run_at": now or timezone.now()}
    )


def reminder_retry_delivery(*, reminder: Reminder, by: User) -> None:
    """Send a reminder's e-mail again now, when the mail server refused or missed it."""
    if reminder.message_id is None or not mail_retry(message_ids=[reminder.message_id]):
        raise ValidationError(_("This e-mail has already been delivered."))
    logger.info("Member %s retried the e-mail of reminder %s", by.pk, reminder.pk)


def reminder_settings_save(*, program: Program, data: dict[str, int], by: User) -> ReminderSettings:
    """Set a program's reminder intervals; the next scan uses them."""
    unknown = set(data) - set(ReminderSettings.INTERVALS)
    if unknown:
        raise ValueError(f"Not a reminder setting: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        Program.objects.select_for_update(of=("self",)).get(pk=program.pk)
        saved = ReminderSettings.objects.filter(program=program).first() or ReminderSettings(
            program=program
        )
        for name, value in data.items():
            setattr(saved, name, value)
        saved.updated_by = by
        saved.full_clean()
        saved.save()
    logger.info("Reminder settings of program %s changed by member %s", program.slug, by.pk)
    return saved


def reminder_settings_copy(*, source: Program, target: Program) -> ReminderSettings | None:
    """Give `target` the reminder intervals `source` set (a program copied for next year).

    A source without its own settings uses the defaults, and so will the target: no row.
    """
    return program_settings_copy(ReminderSettings, source=source, target=target)
