import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.models import Application
from programs.models import Participant, Program


class Match(models.Model):
    """A mentee paired with a mentor in a program (a circle is several matches, one mentor)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="matches")
    mentee = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="matches_as_mentee"
    )
    mentor = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="matches_as_mentor"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["program", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status="active"),
                name="matching_match_one_active_per_mentee",
            ),
            models.CheckConstraint(
                condition=~Q(mentee=models.F("mentor")), name="matching_match_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee.user} ↔ {self.mentor.user} ({self.get_status_display()})"


class UnionSkill(models.TextChoices):
    """What a mentor can pass on; a fixed list so coordinators can filter on it."""

    GRIEVANCES = "grievances", _("Grievances")
    BARGAINING = "bargaining", _("Bargaining")
    MEETINGS = "meetings", _("Running meetings")
    ORGANIZING = "organizing", _("Organizing")
    POLITICAL_ACTION = "political_action", _("Political action")
    HEALTH_SAFETY = "health_safety", _("Health and safety")
    FINANCES = "finances", _("Finances and budgets")
    EQUITY = "equity", _("Equity and human rights")
    COMMUNICATIONS = "communications", _("Communications")
    MEMBER_EDUCATION = "member_education", _("Member education")
    WORKERS_COMPENSATION = "workers_compensation", _("Workers' compensation")
    LABOUR_LAW = "labour_law", _("Labour law")
    CONTRACT_ENFORCEMENT = "contract_enforcement", _("Contract enforcement")


def _choice_list_errors(values, allowed: dict, *, required_message) -> list[ValidationError]:
    """Problems with a JSON list of choice values: not a list, unknown values, empty.

    The codes differ from Django's ("required", "invalid_choice"), which a ModelForm would
    replace with its fields' own, vaguer messages.
    """
    if not isinstance(values, list):
        return [ValidationError(_("Expected a list of choices."), code="not_a_list")]
    unknown = [str(v) for v in values if not isinstance(v, str) or v not in allowed]
    if unknown:
        return [
            ValidationError(
                _("Not a valid choice: %(values)s."),
                code="unknown_choice",
                params={"values": ", ".join(unknown)},
            )
        ]
    if not values:
        return [ValidationError(required_message, code="none_chosen")]
    return []


# How many mentees one mentor takes at once (a circle is several).
CAPACITY_MIN = 1
CAPACITY_MAX = 5


def validate_capacity(value: int) -> None:
    if not CAPACITY_MIN <= value <= CAPACITY_MAX:
        raise ValidationError(
            _("Choose from %(min)d to %(max)d mentees at once."),
            code="capacity",
            params={"min": CAPACITY_MIN, "max": CAPACITY_MAX},
        )


class MentorProfile(models.Model):
    """A member's entry in the mentor database (handbook V), kept current once a year.

    Languages and region are not repeated here: they live on the member's Profile.
    """

    BACKGROUND_MAX = 3000
    INTERESTS_MAX = 2000
    EXPERIENCE_MAX = 3000
    QUALIFICATIONS_MAX = 2000
    STALE_AFTER_DAYS = 365

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_profile",
        verbose_name=_("member"),
    )
    background = models.TextField(
        _("background"),
        max_length=BACKGROUND_MAX,
        validators=[MaxLengthValidator(BACKGROUND_MAX)],
        help_text=_("Your current position and responsibilities, and your path so far."),
    )
    interests = models.TextField(
        _("interests"),
        max_length=INTERESTS_MAX,
        validators=[MaxLengthValidator(INTERESTS_MAX)],
        help_text=_("What you care about in the union and would like to share."),
    )
    experience = models.TextField(
        _("union and mentoring experience"),
        max_length=EXPERIENCE_MAX,
        validators=[MaxLengthValidator(EXPERIENCE_MAX)],
        help_text=_("Positions held, campaigns, committees, and anyone you have mentored."),
    )
    qualifications = models.TextField(
        _("qualifications"),
        max_length=QUALIFICATIONS_MAX,
        validators=[MaxLengthValidator(QUALIFICATIONS_MAX)],
        blank=True,
        help_text=_("Courses, certificates or training, e.g. steward training, OH&S."),
    )
    skills = models.JSONField(_("skills you can pass on"), default=list, blank=True)
    internal = models.BooleanField(
        _("member of this union"),
        default=True,
        help_text=_(
            "External mentors are, for example, retirees or staff of allied organizations."
        ),
    )
    capacity = models.PositiveSmallIntegerField(
        _("how many mentees at once"), default=CAPACITY_MIN, validators=[validate_capacity]
    )
    availability = models.JSONField(_("when you are available"), default=list, blank=True)
    available = models.BooleanField(_("I am available to mentor now"), default=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    confirmed_at = models.DateTimeField(
        _("last confirmed as current"),
        default=timezone.now,
        help_text=_("Set on every save and when the member says it is still up to date."),
    )

    class Meta:
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")
        ordering = ["user__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=CAPACITY_MIN) & Q(capacity__lte=CAPACITY_MAX),
                name="matching_mentorprofile_capacity_in_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        errors = {
            "skills": _choice_list_errors(
                self.skills,
                dict(UnionSkill.choices),
                required_message=_("Choose at least one skill you can pass on."),
            ),
            "availability": _choice_list_errors(
                self.availability,
                dict(Application.Availability.choices),
                required_message=_("Choose at least one time when you can meet."),
            ),
        }
        errors = {field: problems for field, problems in errors.items() if problems}
        if errors:
            raise ValidationError(errors)

    def is_stale(self, today: datetime.date | None = None) -> bool:
        """More than a year since the member last said this is current."""
        today = today or timezone.localdate()
        confirmed = timezone.localdate(self.confirmed_at)
        return (today - confirmed).days > self.STALE_AFTER_DAYS

    def skill_labels(self) -> list[str]:
        labels = dict(UnionSkill.choices)
        return [labels[s] for s in self.skills if s in labels]

    def availability_labels(self) -> list[str]:
        labels = dict(Application.Availability.choices)
        return [labels[a] for a in self.availability if a in labels]
