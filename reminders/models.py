from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Program


class Reminder(models.Model):
    """One reminder to one member about one thing for one due moment.

    The row is created before the e-mail is sent and is unique per (kind, recipient,
    subject, due date), so a scan run twice, a retried task or two overlapping scans
    send one e-mail; `sent_at` is set in the same transaction as the e-mail's outbox row
    (`message`) is written, and the outbox sends that row once (core/outbox.py).
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
    message = models.ForeignKey(
        "core.OutboxMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The e-mail in the outbox, until it is purged after sending."),
    )
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
            ),
            # The fit-check question is reminded once per side and stage, whatever its due
            # date (a mid-point moved, a first record written late): reminders.kinds FIT_CHECK.
            models.UniqueConstraint(
                fields=["kind", "subject_key"],
                condition=models.Q(kind="fit_check_due"),
                name="reminders_reminder_fit_check_once_per_side_and_stage",
            ),
        ]
        indexes = [models.Index(fields=["sent_at", "skipped"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.due_on})"


class SchedulerRun(models.Model):
    """When a scheduled task last ran: the evidence that automatic reminders are running.

    Written by the task beat runs (reminders.tasks.scan_reminders), never by a page or by
    `manage.py scan_reminders` run by hand, so the reminders page claims "running" only
    when the scheduler has been seen at work.
    """

    task = models.CharField(_("task"), max_length=60, primary_key=True)
    last_run_at = models.DateTimeField(_("last run"))

    class Meta:
        verbose_name = _("scheduler run")
        verbose_name_plural = _("scheduler runs")

    def __str__(self) -> str:
        return f"{self.task} at {self.last_run_at}"


# Each interval: (default, lowest, highest) in days.
LIMITS = {
    "application_closing_days": (3, 1, 30),
    "survey_after_days": (7, 1, 60),
    "worksheet_after_days": (14, 1, 90),
    "preparation_before_days": (2, 1, 14),
    "midpoint_before_days": (3, 1, 30),
    "evaluation_after_days": (3, 1, 30),
    "no_meeting_days": (30, 7, 180),
}


def _days(name: str, label, help_text) -> models.PositiveSmallIntegerField:
    default, low, high = LIMITS[name]
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(low), MaxValueValidator(high)],
        help_text=help_text,
    )


class ReminderSettings(models.Model):
    """A program's own reminder intervals; a program without a row uses the defaults.

    The defaults are the field defaults, so an unsaved `ReminderSettings()` is what
    every program gets until its coordinator changes something.
    """

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, primary_key=True, related_name="reminder_settings"
    )
    application_closing_days = _days(
        "application_closing_days",
        _("application closing"),
        _("Days before applications close to remind members who started a draft."),
    )
    survey_after_days = _days(
        "survey_after_days",
        _("survey not submitted"),
        _("Days after joining the program to remind those who have not submitted their survey."),
    )
    worksheet_after_days = _days(
        "worksheet_after_days",
        _("worksheet not agreed to"),
        _(
            "Days after the orientation (or the match, if later) to remind each side that "
            "has not agreed to the planning worksheet."
        ),
    )
    preparation_before_days = _days(
        "preparation_before_days",
        _("meeting preparation"),
        _("Days before a meeting to remind the mentee to fill in the preparation form."),
    )
    midpoint_before_days = _days(
        "midpoint_before_days",
        _("mid-point check-in"),
        _("Days before the mid-point check-in to remind both partners."),
    )
    evaluation_after_days = _days(
        "evaluation_after_days",
        _("program evaluation"),
        _("Days after the evaluation opens to remind those who have not answered."),
    )
    no_meeting_days = _days(
        "no_meeting_days",
        _("pairs without a meeting"),
        _("Days without a meeting before a pair is listed in the weekly digest and dashboard."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    INTERVALS = tuple(LIMITS)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{name}__gte": low, f"{name}__lte": high}),
                name=f"reminders_settings_{name}_range",
            )
            for name, (_default, low, high) in LIMITS.items()
        ]

    def __str__(self) -> str:
        return f"Reminder settings of {self.program}"
