from django.db.models import QuerySet

from programs.models import Program

from .models import Reminder


def reminder_log(program: Program, *, participant=None) -> QuerySet[Reminder]:
    qs = Reminder.objects.filter(program=program).select_related("recipient", "sent_by")
    if participant is not None:
        qs = qs.filter(recipient=participant.user)
    return qs.order_by("-due_on", "-created_at")
