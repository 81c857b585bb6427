from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
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

    class Format(models.TextChoices):
        ONE_TO_ONE = "one_to_one", _("One-to-one")
        CIRCLE = "circle", _("Mentoring circle")
        PEER = "peer", _("Peer mentoring")

    class Formality(models.TextChoices):
        """How much the program decides for its pairs (handbook III, "level of formalization")."""

        FORMAL = "formal", _("Formal: the program sets how often pairs meet and how long")
        FLEXIBLE = "flexible", _("Formal, with general but flexible guidelines")
        INFORMAL = "informal", _("Informal: each pair decides how often and how to meet")

    class PaperSize(models.TextChoices):
        A4 = "A4", _("A4")
        LETTER = "letter", _("Letter")

    class Delivery(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video")
        BOTH = "both", _("In person and video")

    # Where each status may go next: forward through the cycle, and back one step
    # where a coordinator may need to (reopen applications, reopen a closing program).
    TRANSITIONS = {
        Status.DRAFT: (Status.OPEN,),
        Status.OPEN: (Status.SELECTING, Status.DRAFT),
        Status.SELECTING: (Status.MATCHING, Status.OPEN),
        Status.MATCHING: (Status.RUNNING, Status.SELECTING),
        Status.RUNNING: (Status.CLOSING,),
        Status.CLOSING: (Status.CLOSED, Status.RUNNING),
        Status.CLOSED: (),
    }

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name in addresses"),
        max_length=80,
        unique=True,
        help_text=_("Letters, numbers and hyphens, e.g. 2027-mentorship."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(
        _("description"), blank=True, help_text=_("Shown on the public program page.")
    )
    goals = models.TextField(_("goals and objectives"), blank=True)
    format = models.CharField(
        _("format"), max_length=16, choices=Format.choices, default=Format.ONE_TO_ONE
    )
    internal_mentors = models.BooleanField(_("mentors from within the union"), default=True)
    external_mentors = models.BooleanField(
        _("mentors from outside the union"),
        default=False,
        help_text=_("For example retirees, staff of other unions or allied organizations."),
    )
    delivery = models.CharField(
        _("delivery"), max_length=16, choices=Delivery.choices, default=Delivery.BOTH
    )
    # The handbook's own suggestion ("general, but flexible, guidelines") is the default,
    # also for programs set up before the field existed: it promises pairs no more structure
    # than those programs asked of them.
    formality = models.CharField(
        _("level of formality"),
        max_length=16,
        choices=Formality.choices,
        default=Formality.FLEXIBLE,
        help_text=_(
            "How much the program decides for each pair: how often they meet, how they keep "
            "track of their progress, how long the relationship formally lasts."
        ),
    )
    time_commitment = models.CharField(
        _("expected time commitment"),
        max_length=200,
        blank=True,
        help_text=_("For example: one meeting a month and four Saturday classes."),
    )
    starts_on = models.DateField(_("program starts"), null=True, blank=True)
    ends_on = models.DateField(_("program ends"), null=True, blank=True)
    applications_open_on = models.DateField(_("applications open"), null=True, blank=True)
    applications_close_on = models.DateField(
        _("applications close"),
        null=True,
        blank=True,
        help_text=_("Applications are accepted until the end of this day."),
    )
    target_mentees = models.PositiveSmallIntegerField(
        _("target number of mentees"), null=True, blank=True
    )
    target_mentors = models.PositiveSmallIntegerField(
        _("target number of mentors"), null=True, blank=True
    )
    privacy_notice = models.TextField(
        _("privacy notice"),
        blank=True,
        help_text=_("Applicants agree to it when they apply; leave blank for the standard notice."),
    )
    paper_size = models.CharField(
        _("paper size for printed forms"),
        max_length=8,
        choices=PaperSize.choices,
        default=PaperSize.LETTER,
    )
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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(internal_mentors=True) | models.Q(external_mentors=True),
                name="programs_program_some_mentor_source",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gt=models.F("starts_on")),
                name="programs_program_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(applications_close_on__isnull=True)
                | models.Q(applications_open_on__isnull=True)
                | models.Q(applications_close_on__gte=models.F("applications_open_on")),
                name="programs_program_window_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    def next_statuses(self) -> tuple[str, ...]:
        return self.TRANSITIONS[self.Status(self.status)]

    def accepts_applications(self, today: date | None = None) -> bool:
        """Open for applications and inside the application window (dates inclusive)."""
        today = today or timezone.localdate()
        if self.status != self.Status.OPEN:
            return False
        if self.applications_open_on and today < self.applications_open_on:
            return False
        return not (self.applications_close_on and today > self.applications_close_on)

    def formality_guidance(self) -> str:
        """What the level of formality means for a pair's meetings, in plain words."""
        return str(FORMALITY_GUIDANCE[self.Formality(self.formality)])

    @property
    def duration_months(self) -> int | None:
        if not (self.starts_on and self.ends_on):
            return None
        months = (self.ends_on.year - self.starts_on.year) * 12
        return months + self.ends_on.month - self.starts_on.month


# Handbook III ("Formal Mentoring", "Informal Mentoring"): who decides how often pairs meet,
# how they keep track of their successes and how long the relationship formally lasts.
FORMALITY_GUIDANCE = {
    Program.Formality.FORMAL: _(
        "The program sets how often you meet, how you keep track of your successes and how long "
        "the relationship formally lasts: plan your meetings to follow it, and record each one."
    ),
    Program.Formality.FLEXIBLE: _(
        "The program gives general but flexible guidelines: agree together how often you meet "
        "and how structured your meetings are, and change your plan as you go along."
    ),
    Program.Formality.INFORMAL: _(
        "You decide together whether to meet in person, how often to touch base and what you "
        "hope to accomplish; the coordinators are there if you need them."
    ),
}


class Phase(models.Model):
    """A part of the program, e.g. Part One training, Part Two practical experience."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    lost_time = models.BooleanField(
        _("on lost time"),
        default=False,
        help_text=_("Participants are released from work and the hours are recorded."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["program", "order", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="programs_phase_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SuccessMeasure(models.Model):
    """One of the program's own measures of success, counted per participant later."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="success_measures")
    label = models.CharField(_("success measure"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("success measure")
        verbose_name_plural = _("success measures")
        ordering = ["program", "order", "pk"]

    def __str__(self) -> str:
        return self.label


# The funnel steps stored as `Participant.funnel_depth`: accepted, surveyed, matched,
# oriented, agreed (dashboard.selectors.STEPS; the later ones depend on the clock or stand alone).
FUNNEL_IN_A_ROW = 5


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
    # --- Where they stand in the dashboard's funnel, stored (programs/funnel.py) ---
    # What does not depend on the clock, computed from the steps' definitions
    # (dashboard.selectors) and kept right by every service that moves a person
    # (`programs.funnel.funnel_changed`); the dashboard then reads plain columns.
    # How many of accepted, surveyed, matched, oriented, agreed were reached in a row.
    funnel_depth = models.PositiveSmallIntegerField(default=0, editable=False)
    # The earliest start of a scheduled meeting in a published match they are in: they
    # have "met" once it is past, so a meeting to come counts by itself when its time comes.
    funnel_met_at = models.DateTimeField(null=True, blank=True, editable=False)
    # In a published match that ended as completed; answered the program evaluation.
    funnel_completed = models.BooleanField(default=False, editable=False)
    funnel_evaluated = models.BooleanField(default=False, editable=False)

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
            models.CheckConstraint(
                condition=models.Q(funnel_depth__lte=FUNNEL_IN_A_ROW),
                name="programs_participant_funnel_depth_valid",
            ),
        ]
        indexes = [
            # "Everyone who mentored" (the mentor database) is read by role, across programs.
            models.Index(fields=["role", "user"], name="participant_role_user_idx"),
            # The dashboard's people lists: a program's participants from a step on.
            models.Index(fields=["program", "funnel_depth"], name="participant_funnel_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.program})"


class CoordinatorInvitation(models.Model):
    """An invitation to co-coordinate a program: nobody becomes a coordinator without consent.

    Addressed to an e-mail address, not a member, so someone without an account yet can be
    invited; whoever has verified that address sees it and may accept or decline.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="coordinator_invitations",
        verbose_name=_("program"),
    )
    email = models.EmailField(_("e-mail address"), help_text=_("Stored in lower case."))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinator_invitations_sent",
        verbose_name=_("invited by"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered or withdrawn by"),
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("coordinator invitation")
        verbose_name_plural = _("coordinator invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "email"],
                condition=models.Q(status="pending"),
                name="programs_invitation_one_pending_per_address",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "accepted", "declined", "withdrawn"]),
                name="programs_invitation_status_valid",
            ),
            # Decided exactly when no longer pending.
            models.CheckConstraint(
                condition=models.Q(status="pending", decided_at__isnull=True)
                | (~models.Q(status="pending") & models.Q(decided_at__isnull=False)),
                name="programs_invitation_decided_when_not_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.program}, {self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class ActivityEntryQuerySet(models.QuerySet):
    """Entries are appended, never changed: the application has no way to update or delete."""

    def update(self, **kwargs):
        raise TypeError("Activity entries are append-only.")

    def delete(self):
        raise TypeError("Activity entries are append-only.")


class ActivityEntry(models.Model):
    """One coordinator or superuser write: who, when, where, what, and the names of fields.

    Written by `programs.activity` for every such request; never the values typed.
    The database refuses updates (and deletes, on PostgreSQL): see migration 0004.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,  # the trigger lets exactly this update through
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    program = models.ForeignKey(
        Program,
        on_delete=models.SET_NULL,  # the address in `target` still names it
        null=True,
        blank=True,
        related_name="activity",
        verbose_name=_("program"),
    )
    action = models.CharField(_("action"), max_length=200)  # the URL's name
    target = models.JSONField(_("object"), default=dict, blank=True)  # the URL's arguments
    # [{"model": "intake.application", "operation": "changed", "fields": ["status"]}, …]
    changes = models.JSONField(_("changes"), default=list, blank=True)

    objects = ActivityEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity entry")
        verbose_name_plural = _("activity")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["program", "-at"], name="programs_activity_newest")]

    def __str__(self) -> str:
        return f"{self.action} ({self.at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs):
        # A guard, not domain logic: the one thing an entry may do is be written once.
        if not self._state.adding:
            raise TypeError("Activity entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Activity entries are append-only.")
