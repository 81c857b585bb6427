from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from programs.models import Participant, Program


class Nomination(models.Model):
    """A member puts another member forward for a program (the CWA model)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="nominations")
    nominator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nominations_made"
    )
    nominee_name = models.CharField(_("their name"), max_length=150)
    nominee_email = models.EmailField(_("their e-mail address"))
    role = models.CharField(_("as"), max_length=8, choices=Participant.Role.choices)
    reason = models.TextField(_("why you nominate them"), max_length=2000)
    created_at = models.DateTimeField(_("nominated"), auto_now_add=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "program",
                "nominator",
                Lower("nominee_email"),
                name="intake_nomination_once_per_nominee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominee_name} ({self.program})"


class Application(models.Model):
    """A member's application to a program as mentee or mentor."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Wait-listed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Availability(models.TextChoices):
        EVENINGS = "evenings", _("Evenings")
        WEEKENDS = "weekends", _("Weekends")
        DAYTIME_LOST_TIME = "daytime_lost_time", _("Daytime, on lost time")

    class DeliveryPreference(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video")
        EITHER = "either", _("Either")

    class Release(models.TextChoices):
        LIKELY = "likely", _("Likely")
        UNLIKELY = "unlikely", _("Unlikely")
        NOT_SURE = "not_sure", _("Not sure")

    class Experience(models.TextChoices):
        FIRST_TIME = "first_time", _("I am new to union activism")
        SOME = "some", _("I have been active for a few years")
        EXPERIENCED = "experienced", _("I am an experienced activist or leader")

    DECIDED = (Status.ACCEPTED, Status.WAITLISTED, Status.DECLINED)
    WITHDRAWABLE = (Status.DRAFT, Status.SUBMITTED, Status.WAITLISTED)
    ESSAY_MAX = 4000
    SHORT_MAX = 200
    # What the applicant answers: the form shows these, the service saves them, and the
    # member's data download exports them (members/selectors.py).
    ANSWER_FIELDS = (
        "essay",
        "goals",
        "union_role",
        "local_unit",
        "experience",
        "availability",
        "preferred_delivery",
        "lost_time_release",
    )

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    role = models.CharField(_("applying as"), max_length=8, choices=Participant.Role.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    essay = models.TextField(
        _("why you want to take part and what you expect"), blank=True, max_length=ESSAY_MAX
    )
    goals = models.TextField(_("your goals"), blank=True, max_length=ESSAY_MAX)
    union_role = models.CharField(_("your role in the union"), max_length=SHORT_MAX, blank=True)
    local_unit = models.CharField(_("local and unit"), max_length=100, blank=True)
    experience = models.CharField(
        _("union activism so far"), max_length=12, choices=Experience.choices, blank=True
    )
    availability = models.JSONField(_("when you are available"), default=list, blank=True)
    preferred_delivery = models.CharField(
        _("preferred delivery"), max_length=12, choices=DeliveryPreference.choices, blank=True
    )
    lost_time_release = models.CharField(
        _("employer release (lost time) for Part Two"),
        max_length=12,
        choices=Release.choices,
        blank=True,
    )
    privacy_consent_at = models.DateTimeField(
        _("agreed to the privacy notice"), null=True, blank=True
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.SET_NULL, null=True, blank=True, related_name="applications"
    )
    decision_note = models.TextField(_("note to the applicant"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # A paper application a coordinator typed in (the blank form says "hand it to your
    # program's coordinator"): who keyed it in, and when.
    keyed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("keyed in from paper by"),
    )
    keyed_in_at = models.DateTimeField(_("keyed in from paper"), null=True, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "applicant", "role"],
                name="intake_application_one_per_role",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="intake_application_submitted_has_date",
            ),
            # A keyed-in paper application is never a draft: it is saved submitted.
            models.CheckConstraint(
                condition=models.Q(keyed_in_at__isnull=True) | ~models.Q(status="draft"),
                name="intake_application_keyed_in_is_submitted",
            ),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.program} ({self.get_role_display()})"

    @property
    def record_code(self) -> str:
        """Written on the paper form it was keyed in from, to find one from the other."""
        return f"A-{self.pk:06d}"

    @property
    def is_keyed_in(self) -> bool:
        return self.keyed_in_at is not None

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def can_withdraw(self) -> bool:
        return self.status in self.WITHDRAWABLE

    def availability_labels(self) -> list[str]:
        labels = dict(self.Availability.choices)
        return [labels[a] for a in self.availability if a in labels]
