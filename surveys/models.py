from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programs.models import Participant

from .questions import questions_for


class Survey(models.Model):
    """A participant's survey before the program: Appendix I or II, by their role."""

    class Status(models.TextChoices):
        # A survey (questionnaire) is masculine in French, an application feminine.
        DRAFT = "draft", pgettext_lazy("survey status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("survey status", "Submitted")

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="survey")
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="surveys_survey_submitted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.get_status_display()}"

    @property
    def questions(self):
        return questions_for(self.participant.role)

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def progress(self) -> tuple[int, int]:
        """Answered and total questions."""
        answered = sum(1 for q in self.questions if (self.answers.get(q.key) or "").strip())
        return answered, len(self.questions)

    def answered_questions(self) -> list[tuple]:
        return [(q, self.answers.get(q.key, "")) for q in self.questions]
