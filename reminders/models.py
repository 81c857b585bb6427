from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Program


class Reminder(models.Model):
    """One reminder to one member about one thing for one due moment.

    The row is created before the e-mail is sent and is unique per (kind, recipient,
    subject, due date), so a scan run twice, a retried task or two overlapping scans
    send one e-mail; `sent_at` is set in the same transaction as the send.
    """

    kind = models.CharField(_("kind"), max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    subject_key = models.CharField(_("about"), max_length=100)  # e.g. "survey:12"
    due_on = models.DateField(_("due"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    enqueued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    skipped = models.CharField(_("not sent because"), max_length=40, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Set when a coordinator sent it by hand."),
    )

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-due_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "subject_key", "due_on"],
                name="reminders_reminder_once_per_due_moment",
            )
        ]
        indexes = [models.Index(fields=["sent_at", "skipped"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.due_on})"
