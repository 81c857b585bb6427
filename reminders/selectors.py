from django.db.models import QuerySet

from programs.models import Program

from .models import Reminder, ReminderSettings


def reminder_log(program: Program, *, participant=None) -> QuerySet[Reminder]:
    qs = Reminder.objects.filter(program=program).select_related("recipient", "sent_by")
    if participant is not None:
        qs = qs.filter(recipient=participant.user)
    return qs.order_by("-due_on", "-created_at")


def settings_of(program: Program) -> ReminderSettings:
    """The program's intervals, or the defaults (unsaved) when it has none of its own."""
    return ReminderSettings.objects.filter(program=program).first() or ReminderSettings(
        program=program
    )
