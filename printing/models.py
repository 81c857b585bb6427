from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.models import Program


class Packet(models.Model):
    """A program's forms merged into one PDF for printing, built in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="packets")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done_items = models.PositiveIntegerField(default=0)
    total_items = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="packets/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Moved from mentorship/ (issue 15): the table keeps its name and its rows.
        db_table = "mentorship_packet"
        verbose_name = _("packet of forms")
        verbose_name_plural = _("packets of forms")
        ordering = ["-created_at"]
        constraints = [
            # A second request while one is being built reuses it.
            models.UniqueConstraint(
                fields=["program"],
                condition=Q(status__in=["queued", "running"]),
                name="mentorship_packet_one_in_progress_per_program",
            )
        ]

    def __str__(self) -> str:
        return f"{self.program} packet ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return round(100 * self.done_items / self.total_items) if self.total_items else 0
