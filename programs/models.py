from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Program(models.Model):
    """One cohort of the mentoring program, e.g. "2026 Mentorship Program"."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for applications")
        SELECTING = "selecting", _("Selecting")
        MATCHING = "matching", _("Matching")
        RUNNING = "running", _("Running")
        CLOSING = "closing", _("Closing")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coordinated_programs",
        blank=True,
        verbose_name=_("coordinators"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", kwargs={"slug": self.slug})


class Participant(models.Model):
    """A member accepted into a program as mentor or mentee."""

    class Role(models.TextChoices):
        MENTEE = "mentee", _("Mentee")
        MENTOR = "mentor", _("Mentor")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="participants", verbose_name=_("program")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("member"),
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["program", "role", "user__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user"], name="programs_participant_one_role_per_program"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["mentee", "mentor"]),
                name="programs_participant_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.program})"
