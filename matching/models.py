import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.models import Application
from programs.models import Participant, Program

from . import engine


class MatchQuerySet(models.QuerySet):
    """The one place that says which matches are published and which involve a member."""

    def published(self) -> "MatchQuerySet":
        """Active or ended: the pair exists for its members. Proposed matches are the
        coordinators' working drafts, which the members never see."""
        return self.filter(status__in=Match.PUBLISHED_STATUSES)

    def involving(self, user) -> "MatchQuerySet":
        """The matches where `user` is on either side: each side found through its own
        index, the two joined by UNION ALL. (An OR across the two sides left PostgreSQL's
        planner guessing three quarters of all matches, so it scanned every meeting for a
        member's 99: 25 ms for the calendar feed instead of 8.)"""
        theirs = Participant.objects.filter(user=user).values("pk")
        as_mentee = Match.objects.filter(mentee__in=theirs).values("pk")
        as_mentor = Match.objects.filter(mentor__in=theirs).values("pk")
        return self.filter(pk__in=as_mentee.union(as_mentor, all=True))

    def involving_participant(self, participant) -> "MatchQuerySet":
        """The matches where `participant` (a Participant or an OuterRef to one) is on
        either side."""
        return self.filter(Q(mentee=participant) | Q(mentor=participant))


class Match(models.Model):
    """A mentee paired with a mentor in a program (a circle is several matches, one mentor).

    Proposed by the engine or a coordinator, active once published, ended with a reason;
    ended matches are kept as the pair's history. In a peer program both sides are mentees.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    class EndReason(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        NOT_A_GOOD_FIT = "not_a_good_fit", _("Not a good fit")
        LEFT_PROGRAM = "left_program", _("Left the program")
        OTHER = "other", _("Other")

    # Published: the pair exists for its members (see MatchQuerySet.published).
    PUBLISHED_STATUSES = (Status.ACTIVE, Status.ENDED)

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
    # Kept by a re-run of the engine; a coordinator's own choice is locked.
    locked = models.BooleanField(_("locked"), default=False)
    # The score as the engine gave it when the match was proposed; its reasons are worked
    # out again on the board (selectors.MatchingData.score), in the reader's language.
    score = models.IntegerField(_("score"), null=True, blank=True)
    override_note = models.TextField(
        _("why the warnings were overridden"),
        blank=True,
        help_text=_("Required to save a pair that breaks a hard constraint or a capacity."),
    )
    end_reason = models.CharField(
        _("why it ended"), max_length=16, choices=EndReason.choices, blank=True
    )
    end_note = models.TextField(_("note on the ending"), blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )

    objects = MatchQuerySet.as_manager()

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
            # The board shows one proposed mentor per mentee.
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status="proposed"),
                name="matching_match_one_proposal_per_mentee",
            ),
            models.CheckConstraint(
                condition=~Q(mentee=models.F("mentor")), name="matching_match_two_people"
            ),
            models.CheckConstraint(
                condition=Q(status="ended") | Q(end_reason=""),
                name="matching_match_end_reason_only_when_ended",
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
    # None until the mentor answers (every profile made before the question was asked),
    # which counts as no: only the coordinators of the mentor's own programs see them.
    findable_by_other_programs = models.BooleanField(
        _("coordinators of other programs may find me"),
        null=True,
        blank=True,
        default=None,
        help_text=_(
            "Coordinators of programs you have not taken part in see your mentor profile and "
            "your e-mail address, never your phone number or your programs."
        ),
    )
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


# --- Matching: the program's weights, participants' preferences, exclusions ----------------

WEIGHT_MIN = 0
WEIGHT_MAX = 50
CIRCLE_SIZE_MIN = 2
CIRCLE_SIZE_MAX = 8
_DEFAULT_WEIGHTS = engine.Weights()
WEIGHT_FIELDS = (
    "goal",
    "language",
    "region",
    "local",
    "preference",
    "ranked_first",
    "ranked_second",
    "ranked_third",
    "priority",
)


def _weight_field(label, default: int, help_text) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(WEIGHT_MIN), MaxValueValidator(WEIGHT_MAX)],
        help_text=help_text,
    )


class MatchingSettings(models.Model):
    """How much each criterion counts in a program's matching, set by its coordinators."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="matching_settings"
    )
    goal = _weight_field(
        _("each learning goal the mentor has expertise in"),
        _DEFAULT_WEIGHTS.goal,
        _("Points for every goal of the mentee that the mentor can help with."),
    )
    language = _weight_field(
        _("a language in common"),
        _DEFAULT_WEIGHTS.language,
        _("Other than English."),
    )
    region = _weight_field(_("the same region"), _DEFAULT_WEIGHTS.region, "")
    local = _weight_field(_("the same local"), _DEFAULT_WEIGHTS.local, "")
    preference = _weight_field(
        _("each “nice to have” preference met"),
        _DEFAULT_WEIGHTS.preference,
        _("“Must” preferences are never broken, whatever the points."),
    )
    ranked_first = _weight_field(
        _("the mentee's 1st choice of mentor"), _DEFAULT_WEIGHTS.ranked[0], ""
    )
    ranked_second = _weight_field(
        _("the mentee's 2nd choice of mentor"), _DEFAULT_WEIGHTS.ranked[1], ""
    )
    ranked_third = _weight_field(
        _("the mentee's 3rd choice of mentor"), _DEFAULT_WEIGHTS.ranked[2], ""
    )
    priority = _weight_field(
        _("a priority mentee"),
        _DEFAULT_WEIGHTS.priority,
        _("Gives the mentees you mark as a priority first claim on scarce mentors."),
    )
    circle_size = models.PositiveSmallIntegerField(
        _("mentees per circle"),
        default=4,
        validators=[MinValueValidator(CIRCLE_SIZE_MIN), MaxValueValidator(CIRCLE_SIZE_MAX)],
        help_text=_("Mentoring circles only: how many mentees each mentor takes."),
    )

    class Meta:
        verbose_name = _("matching settings")
        verbose_name_plural = _("matching settings")
        constraints = [
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__lte": WEIGHT_MAX}),
                    name=f"matching_settings_{name}_in_range",
                )
                for name in WEIGHT_FIELDS
            ),
            models.CheckConstraint(
                condition=Q(circle_size__gte=CIRCLE_SIZE_MIN) & Q(circle_size__lte=CIRCLE_SIZE_MAX),
                name="matching_settings_circle_size_in_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.program)

    def weights(self) -> engine.Weights:
        return engine.Weights(
            goal=self.goal,
            language=self.language,
            region=self.region,
            local=self.local,
            preference=self.preference,
            ranked=(self.ranked_first, self.ranked_second, self.ranked_third),
            priority=self.priority,
        )


class MatchingProfile(models.Model):
    """What matching needs to know about one participant beyond their profiles."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="matching_profile"
    )
    learning_goals = models.JSONField(_("what you want to learn"), default=list, blank=True)
    priority = models.BooleanField(
        _("organisational priority"),
        default=False,
        help_text=_("Set by the coordinators, e.g. to give equity-seeking members first claim."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("how many mentees in this program"),
        null=True,
        blank=True,
        validators=[validate_capacity],
        help_text=_("Leave blank to use the number in the mentor database."),
    )

    class Meta:
        verbose_name = _("matching profile")
        verbose_name_plural = _("matching profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True)
                | (Q(capacity__gte=CAPACITY_MIN) & Q(capacity__lte=CAPACITY_MAX)),
                name="matching_matchingprofile_capacity_in_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.participant)

    def clean(self) -> None:
        problems = _choice_list_errors(
            self.learning_goals, dict(UnionSkill.choices), required_message=""
        )
        # Goals are optional: an empty list is fine.
        problems = [p for p in problems if p.code != "none_chosen"]
        if problems:
            raise ValidationError({"learning_goals": problems})

    def goal_labels(self) -> list[str]:
        labels = dict(UnionSkill.choices)
        return [labels[s] for s in self.learning_goals if s in labels]


class Preference(models.Model):
    """A mentee's wish about their mentor: "must" makes it a hard constraint."""

    class Kind(models.TextChoices):
        WOMAN_MENTOR = engine.Kind.WOMAN_MENTOR.value, _("A mentor who is a woman")
        SAME_RACE_ETHNICITY = (
            engine.Kind.SAME_RACE_ETHNICITY.value,
            _("A mentor who shares my race or ethnicity"),
        )
        SHARES_LANGUAGE = engine.Kind.SHARES_LANGUAGE.value, _("A mentor who shares a language")
        SAME_LOCAL = engine.Kind.SAME_LOCAL.value, _("A mentor from my local")
        DIFFERENT_LOCAL = engine.Kind.DIFFERENT_LOCAL.value, _("A mentor from a different local")
        INTERNAL_MENTOR = engine.Kind.INTERNAL_MENTOR.value, _("A mentor from within the union")
        EXTERNAL_MENTOR = engine.Kind.EXTERNAL_MENTOR.value, _("A mentor from outside the union")
        SPECIFIC_MENTOR = engine.Kind.SPECIFIC_MENTOR.value, _("A specific mentor")

    class Strength(models.TextChoices):
        NICE = "nice", _("Nice to have")
        MUST = "must", _("Must")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="matching_preferences",
        verbose_name=_("mentee"),
    )
    kind = models.CharField(_("preference"), max_length=20, choices=Kind.choices)
    strength = models.CharField(
        _("how much it matters"), max_length=4, choices=Strength.choices, default=Strength.NICE
    )
    mentor = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentor"),
    )
    rank = models.PositiveSmallIntegerField(
        _("choice"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )

    class Meta:
        verbose_name = _("matching preference")
        verbose_name_plural = _("matching preferences")
        ordering = ["participant", "kind", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="specific_mentor", mentor__isnull=False)
                | Q(mentor__isnull=True, rank__isnull=True) & ~Q(kind="specific_mentor"),
                name="matching_preference_mentor_and_rank_only_for_specific",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | (Q(rank__gte=1) & Q(rank__lte=3)),
                name="matching_preference_rank_1_to_3",
            ),
            models.CheckConstraint(
                condition=~Q(participant=models.F("mentor")),
                name="matching_preference_not_oneself",
            ),
            models.UniqueConstraint(
                fields=["participant", "kind", "mentor"],
                name="matching_preference_unique_mentor",
            ),
            # NULL mentors are all different to a unique index: one row per kind instead.
            models.UniqueConstraint(
                fields=["participant", "kind"],
                condition=Q(mentor__isnull=True),
                name="matching_preference_unique_kind",
            ),
            models.UniqueConstraint(
                fields=["participant", "rank"],
                condition=Q(rank__isnull=False),
                name="matching_preference_unique_rank",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_kind_display()} ({self.get_strength_display()})"


class Exclusion(models.Model):
    """A pair never to be matched: a mentor's conflict of interest, or a coordinator's call."""

    class Source(models.TextChoices):
        MENTOR = "mentor", _("The mentor")
        COORDINATOR = "coordinator", _("A coordinator")

    REASON_MAX = 500

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="exclusions")
    mentor = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor")
    )
    mentee = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentee")
    )
    source = models.CharField(_("asked by"), max_length=12, choices=Source.choices)
    reason = models.TextField(
        _("reason"),
        blank=True,
        max_length=REASON_MAX,
        validators=[MaxLengthValidator(REASON_MAX)],
        help_text=_("Seen by the coordinators only."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["mentor", "mentee"], name="matching_exclusion_unique"),
            models.CheckConstraint(
                condition=~Q(mentee=models.F("mentor")), name="matching_exclusion_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} ✕ {self.mentee} ({self.get_source_display()})"
