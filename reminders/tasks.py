"""Thin Celery wrappers around the reminder services."""

from smtplib import SMTPException

from celery import shared_task

from . import services


@shared_task(name="reminders.scan")
def scan_reminders() -> int:
    return services.reminders_scan()


@shared_task(
    name="reminders.send",
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=6,
)
def send_reminder(reminder_id: int) -> None:
    services.reminder_send(reminder_id=reminder_id)
