from django.db.models import Q, QuerySet

from core.models import OutboxMessage
from programs.models import Program

from .models import Reminder, ReminderSettings


def reminder_log(program: Program, *, participant=None) -> QuerySet[Reminder]:
    qs = Reminder.objects.filter(program=program).select_related("recipient", "sent_by", "message")
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
        .order_by("-message__created_at")[:UNDELIVERED_SHOWN]
    )
