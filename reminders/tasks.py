"""The reminders' Celery tasks, and the queueing they own (services never import this)."""

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from evaluation import services as evaluation_services

from . import services
from .selectors import SCAN_TASK

logger = logging.getLogger(__name__)


def reminders_scan(*, now: datetime.datetime | None = None) -> int:
    """Record every reminder due now and queue what is unsent; the number queued."""
    now = now or timezone.now()
    queued = 0
    for pk in services.reminders_record_due(now=now):
        try:
            send_reminder.delay(pk)
        except Exception:
            # The broker is down: pages keep working, and the next scan queues it again.
            logger.exception("Could not queue reminder %s; the next scan will retry", pk)
            break
        services.reminder_mark_queued(reminder_id=pk, now=now)
        queued += 1
    return queued


@shared_task(name=SCAN_TASK)
def scan_reminders() -> int:
    queued = reminders_scan()
    # Only beat calls this task (the command calls reminders_scan): evidence it is running.
    services.scheduler_seen(task=SCAN_TASK)
    return queued


# The e-mail goes to the outbox, which retries SMTP failures itself (core/outbox.py).
@shared_task(name="reminders.send", acks_late=True)
def send_reminder(reminder_id: int) -> None:
    services.reminder_send(reminder_id=reminder_id)


def alumni_followups_scan(*, now: datetime.datetime | None = None) -> int:
    """Ask every former participant whose 12- or 24-month follow-up is due, a batch per
    transaction (evaluation.services.alumni_followups_send); how many were asked."""
    now = now or timezone.now()
    asked = 0
    while True:
        sent = evaluation_services.alumni_followups_send(now=now)
        asked += sent
        if sent < evaluation_services.FOLLOWUP_BATCH:
            return asked


# Daily on the beat (mentorship/settings.py); run twice, it asks nobody twice.
@shared_task(name="reminders.alumni_followups")
def send_alumni_followups() -> int:
    return alumni_followups_scan()
