"""Orientation, the planning worksheet, meetings and their records, goals, actions, group
sessions and calendar feeds (handbook III.6, Appendices III–VI).

The questions' wording is the appendices'; the help texts quote them where they guide.
"""

import calendar
import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import format_date
from matching.models import Match
from programs.models import Participant, Program

from .appendices import agenda_texts

MAX_DURATION_MINUTES = 8 * 60
MAX_TRAVEL_MINUTES = 8 * 60
# Appendix IV: "Consider a target date six to twelve months ahead."
TYPICAL_TIMEFRAME_MONTHS = (6, 12)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _duration_field() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)],
    )


def _travel_field(label) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TRAVEL_MINUTES)],
        help_text=_("Optional: so the time you choose leaves room for the trip."),
    )


class TimedEvent(models.Model):
    """Something on the calendar: a start and a duration, so it never ends before it starts."""

    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = _duration_field()
    location = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("Address or room, e.g. Union hall, 123 Main Street, room B."),
    )
    video_link = models.URLField(_("video link"), max_length=500, blank=True)
    # iCalendar SEQUENCE: raised whenever the time or place changes, so calendar
    # programs replace the copy they already have instead of keeping both.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1)
                & Q(duration_minutes__lte=MAX_DURATION_MINUTES),
                name="%(app_label)s_%(class)s_duration_in_range",
            ),
        ]

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def is_past(self) -> bool:
        return self.starts_at < timezone.now()


class Gathering(TimedEvent):
    """An event of the whole program: open to members with families (handbook IV, logistics)."""

    child_care = models.BooleanField(_("child care offered"), default=False)
    food = models.BooleanField(_("food provided"), default=False)
    accessibility_notes = models.TextField(
        _("accessibility and other notes"),
        blank=True,
        help_text=_("For example: step-free entrance, ASL interpretation, parking, transit."),
    )
    attendees = models.ManyToManyField(
        Participant,
        blank=True,
        related_name="%(class)s_attended",
        verbose_name=_("attended"),
    )

    class Meta(TimedEvent.Meta):
        abstract = True


class Orientation(Gathering):
    """The program's orientation session (handbook III.6, Appendix III)."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="orientation", verbose_name=_("program")
    )

    class Meta(Gathering.Meta):
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")

    def __str__(self) -> str:
        return str(_("Orientation: %(program)s") % {"program": self.program})

    def get_absolute_url(self) -> str:
        return reverse("sessions:orientation", args=[self.program.slug])


class AgendaItem(models.Model):
    """One timed item of the orientation's agenda.

    An item of the handbook's agenda that no coordinator has edited is saved by its `key`
    with no text, and read in each reader's language (`appendices.agenda_texts`); an
    edited or added item holds the coordinator's text and no key.
    """

    orientation = models.ForeignKey(Orientation, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.CharField(_("handbook item"), max_length=32, blank=True, editable=False)
    title = models.CharField(_("agenda item"), max_length=200, blank=True)
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)]
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["orientation", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=MAX_DURATION_MINUTES),
                name="mentoring_sessions_agendaitem_minutes_in_range",
            ),
            # Either the handbook's item (a key, no text) or the coordinator's (a title).
            models.CheckConstraint(
                condition=(Q(key="") & ~Q(title="")) | (~Q(key="") & Q(title="", description="")),
                name="mentoring_sessions_agendaitem_key_or_title",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_title} ({self.minutes})"

    @property
    def display_title(self) -> str:
        return agenda_texts(self.key, self.title, self.description)[0]

    @property
    def display_description(self) -> str:
        return agenda_texts(self.key, self.title, self.description)[1]


class GroupSession(Gathering):
    """A Part One class or a circle meeting of the program."""

    class Kind(models.TextChoices):
        CLASS = "class", _("Class (Part One training)")
        CIRCLE = "circle", _("Circle meeting")

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="group_sessions",
        verbose_name=_("program"),
    )

    class Audience(models.TextChoices):
        # Who is invited, sees it and is on its attendance list ("training for mentors only").
        EVERYONE = "everyone", _("Everyone in the program")
        MENTORS = "mentors", _("Mentors only")
        MENTEES = "mentees", _("Mentees only")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.CLASS)
    audience = models.CharField(
        _("who is invited"),
        max_length=8,
        choices=Audience.choices,
        default=Audience.EVERYONE,
        help_text=_("Only they are invited, see it and are on its attendance list."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    rotation_note = models.CharField(
        _("location rotation"),
        max_length=200,
        blank=True,
        help_text=_(
            "Where this session falls in the rotation of places, e.g. “Kamloops this month, "
            "Prince George next”."
        ),
    )

    # Cancelled by a coordinator: kept (with its attendance and place in the list), shown
    # as cancelled, and sent to calendars as STATUS:CANCELLED.
    cancel_reason = models.TextField(_("why it is cancelled"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )

    class Meta(Gathering.Meta):
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        ordering = ["program", "starts_at", "pk"]
        constraints = [
            *TimedEvent.Meta.constraints,
            models.CheckConstraint(
                condition=Q(audience__in=["everyone", "mentors", "mentees"]),
                name="mentoring_sessions_groupsession_audience_valid",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True, cancel_reason="")
                | (Q(cancelled_at__isnull=False) & ~Q(cancel_reason="")),
                name="mentoring_sessions_groupsession_cancelled_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sessions:group_session", args=[self.program.slug, self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_for_everyone(self) -> bool:
        return self.audience == self.Audience.EVERYONE


# The participants' role each audience invites; read by sessions.selectors, the one place
# that decides who is in a group session's audience.
AUDIENCE_ROLES: dict[str, tuple[str, ...]] = {
    GroupSession.Audience.EVERYONE: (Participant.Role.MENTEE, Participant.Role.MENTOR),
    GroupSession.Audience.MENTORS: (Participant.Role.MENTOR,),
    GroupSession.Audience.MENTEES: (Participant.Role.MENTEE,),
}


class Side(models.TextChoices):
    """Which side of a match a member is on (in a peer program both are mentees)."""

    MENTEE = "mentee", _("Mentee")
    MENTOR = "mentor", _("Mentor")


class Worksheet(models.Model):
    """Appendix IV: the pair's planning worksheet and mentoring agreement.

    Both edit it; each then agrees. Any change after an agreement clears both, so an
    agreement always covers the text as it stands. `version` rises with every change
    so that two people editing at once never overwrite each other unseen.
    """

    # The free-text sections, in the appendix's order, for display and conflict pages.
    TEXT_SECTIONS = (
        "roles",
        "purpose",
        "short_term_goals",
        "long_term_goals",
        "timeframe",
        "meeting_plan",
        "contingency_plan",
        "informal_interactions",
        "feedback",
    )
    DATE_FIELDS = ("starts_on", "target_end_on", "midpoint_on", "next_meeting_at")
    EDITABLE_FIELDS = (*TEXT_SECTIONS, *DATE_FIELDS)

    match = models.OneToOneField(Match, on_delete=models.CASCADE, related_name="worksheet")
    # Labels are short: the appendix's prompts head each section (see `appendices`).
    roles = models.TextField(_("comments or clarifications about your roles"), blank=True)
    purpose = models.TextField(_("your specific purposes"), blank=True)
    short_term_goals = models.TextField(
        _("short-term work goals"),
        blank=True,
        help_text=_("One goal per line: each is then tracked on its own."),
    )
    long_term_goals = models.TextField(
        _("long-term goals"),
        blank=True,
        help_text=_("One goal per line: each is then tracked on its own."),
    )
    starts_on = models.DateField(_("our mentoring starts on"))
    target_end_on = models.DateField(
        _("target end date"), help_text=_("Consider a target date six to twelve months ahead.")
    )
    midpoint_on = models.DateField(
        _("mid-point check-in"), help_text=_("Set your mid-point check-in meeting now.")
    )
    timeframe = models.TextField(_("your timeframe"), blank=True)
    meeting_plan = models.TextField(_("regular meeting plan"), blank=True)
    contingency_plan = models.TextField(_("contingency plan"), blank=True)
    informal_interactions = models.TextField(_("your preferences and expectations"), blank=True)
    feedback = models.TextField(_("how you give and receive critical feedback"), blank=True)
    next_meeting_at = models.DateTimeField(_("next meeting"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    mentee_agreed_at = models.DateTimeField(_("mentee agreed"), null=True, blank=True)
    mentor_agreed_at = models.DateTimeField(_("mentor agreed"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("planning worksheet")
        verbose_name_plural = _("planning worksheets")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_end_on__gt=F("starts_on")),
                name="mentoring_sessions_worksheet_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(midpoint_on__gt=F("starts_on")) & Q(midpoint_on__lt=F("target_end_on")),
                name="mentoring_sessions_worksheet_midpoint_between",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Worksheet: %(match)s") % {"match": self.match})

    def agreed_at(self, side: str):
        return self.mentee_agreed_at if side == Side.MENTEE else self.mentor_agreed_at

    @property
    def agreed_by_both(self) -> bool:
        return bool(self.mentee_agreed_at and self.mentor_agreed_at)

    @property
    def agreed_by_one(self) -> bool:
        return bool(self.mentee_agreed_at) != bool(self.mentor_agreed_at)

    def timeframe_warning(self) -> str:
        """A reminder when the target end is outside six to twelve months; never a refusal."""
        low, high = TYPICAL_TIMEFRAME_MONTHS
        if (
            add_months(self.starts_on, low)
            <= self.target_end_on
            <= add_months(self.starts_on, high)
        ):
            return ""
        return str(
            _(
                "Your target end date is less than %(low)d or more than %(high)d months after "
                "the start. The handbook suggests a target six to twelve months ahead; keep "
                "your date if it suits you."
            )
            % {"low": low, "high": high}
        )

    def goal_lines(self, term: str) -> list[str]:
        text = self.short_term_goals if term == Goal.Term.SHORT else self.long_term_goals
        return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


class Goal(models.Model):
    """A short- or long-term goal from the worksheet, tracked to completion."""

    DESCRIPTION_MAX = 500

    class Term(models.TextChoices):
        SHORT = "short", _("Short-term")
        LONG = "long", _("Long-term")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="goals")
    term = models.CharField(_("term"), max_length=8, choices=Term.choices)
    description = models.CharField(_("goal"), max_length=DESCRIPTION_MAX)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress_notes = models.TextField(_("progress notes"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["match", "term", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "term", "description"], name="mentoring_sessions_goal_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_untouched(self) -> bool:
        return self.status == self.Status.NOT_STARTED and not self.progress_notes.strip()


class Meeting(TimedEvent):
    """A mentoring session of one pair: scheduled, rescheduled or cancelled with a reason."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video")

    class Caller(models.TextChoices):
        MENTOR = "mentor", _("The mentor calls the mentee")
        MENTEE = "mentee", _("The mentee calls the mentor")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="meetings")
    mode = models.CharField(_("how you meet"), max_length=10, choices=Mode.choices)
    caller = models.CharField(_("who calls whom"), max_length=8, choices=Caller.choices, blank=True)
    # Handbook IV: "consider women's travel time when scheduling the mentoring sessions".
    # Each side comes from their own place, so each has their own (one way, in person only).
    mentee_travel_minutes = _travel_field(_("mentee's travel time (minutes, one way)"))
    mentor_travel_minutes = _travel_field(_("mentor's travel time (minutes, one way)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    cancel_reason = models.TextField(_("why it is cancelled"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scheduled by"),
    )

    class Meta(TimedEvent.Meta):
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["match", "starts_at", "pk"]
        constraints = [
            *TimedEvent.Meta.constraints,
            models.CheckConstraint(
                condition=Q(status="scheduled", cancel_reason="", cancelled_at__isnull=True)
                | (Q(status="cancelled", cancelled_at__isnull=False) & ~Q(cancel_reason="")),
                name="mentoring_sessions_meeting_cancelled_with_reason",
            ),
            # Travel time only for a meeting in person, from 1 minute to 8 hours.
            models.CheckConstraint(
                condition=(
                    Q(mentee_travel_minutes__isnull=True, mentor_travel_minutes__isnull=True)
                    | Q(mode="in_person")
                )
                & (
                    Q(mentee_travel_minutes__isnull=True)
                    | Q(mentee_travel_minutes__gte=1, mentee_travel_minutes__lte=MAX_TRAVEL_MINUTES)
                )
                & (
                    Q(mentor_travel_minutes__isnull=True)
                    | Q(mentor_travel_minutes__gte=1, mentor_travel_minutes__lte=MAX_TRAVEL_MINUTES)
                ),
                name="mentoring_sessions_meeting_travel_in_person_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["match", "starts_at"]),
            # What is coming up across programs (dashboard, reminders): a range of days.
            models.Index(fields=["starts_at"], name="mentoring_meeting_starts_idx"),
            # Held meetings of a pair since a day (the pair states: quiet, met recently, the
            # mid-point check-in): an index range, where the index above also reads every
            # cancelled meeting of the pair to filter it out.
            models.Index(
                fields=["match", "starts_at"],
                condition=Q(status="scheduled"),
                name="mentoring_meeting_held_idx",
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Meeting of %(match)s on %(when)s")
            % {"match": self.match, "when": format_date(self.starts_at)}
        )

    def get_absolute_url(self) -> str:
        return reverse("sessions:meeting", args=[self.match.program.slug, self.match_id, self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def local_date(self) -> datetime.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def has_travel(self) -> bool:
        return self.mentee_travel_minutes is not None or self.mentor_travel_minutes is not None

    def where(self) -> str:
        """The place, link or phone arrangement, in one line."""
        if self.mode == self.Mode.VIDEO:
            return self.video_link
        if self.mode == self.Mode.PHONE:
            return self.get_caller_display() or str(self.Mode.PHONE.label)
        return self.location


class Preparation(models.Model):
    """Appendix VI: the mentee's preparation for one session, read by the mentor."""

    QUESTIONS = (
        "tried",
        "want",
        "challenges",
        "goal_area",
        "questions",
        "requests",
        "action",
        "follow_up",
    )

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="preparation")
    tried = models.TextField(
        _(
            "1. What have I tried (new action or practice) since our last session? What impact "
            "or insight did I have about it?"
        ),
        blank=True,
    )
    want = models.TextField(_("2. What do I want to get out of the session today?"), blank=True)
    challenges = models.TextField(
        _("What challenges or concerns do I want to address?"), blank=True
    )
    goal_area = models.TextField(_("What goal area do I want to focus on?"), blank=True)
    questions = models.TextField(_("What questions do I have for my mentor?"), blank=True)
    requests = models.TextField(_("What requests do I have for my mentor?"), blank=True)
    action = models.TextField(
        _("3. What action do I hope to take following our session?"), blank=True
    )
    follow_up = models.TextField(
        _("4. What follow-up do I want/need from my mentor following our session?"), blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("session preparation")
        verbose_name_plural = _("session preparations")

    def __str__(self) -> str:
        return str(_("Preparation for %(meeting)s") % {"meeting": self.meeting})


class SessionRecord(models.Model):
    """Appendix V: the mentor's record of one session, structured as the appendix."""

    QUESTIONS = (
        "update",
        "checkin",
        "focus",
        "requests_offers",
        "actions_agreements",
        "next_logistics",
    )

    class Status(models.TextChoices):
        # A draft is saved work; only the mentor's "Record the session" button records it.
        DRAFT = "draft", _("Draft")
        RECORDED = "recorded", _("Recorded")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="record")
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    update = models.TextField(
        _(
            "1. Update: What has happened since the last time we met? What actions did you take "
            "and what new learning did you have? What has become more or less clear?"
        ),
        blank=True,
    )
    checkin = models.TextField(
        _(
            "2. Check in on any agreements from the last session: Did each of you take the "
            "action you agreed to? What is the status?"
        ),
        blank=True,
    )
    focus = models.TextField(
        _("3. Focus for session: What does the mentee want to focus on today?"), blank=True
    )
    requests_offers = models.TextField(
        _(
            "4. Requests and offers: What requests do you have of each other? What offers does "
            "the mentor want to make?"
        ),
        blank=True,
    )
    actions_agreements = models.TextField(
        _(
            "5. Action and agreements: What action do you each agree to take between now and "
            "the next session?"
        ),
        blank=True,
    )
    next_logistics = models.TextField(
        _("6. Logistics for next session: Date and time for next session? Who is calling whom?"),
        blank=True,
    )
    lost_time_hours = models.DecimalField(
        _("lost-time hours"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
        help_text=_("Hours of work the mentee was released for, travel included."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("session record")
        verbose_name_plural = _("session records")
        constraints = [
            models.CheckConstraint(
                condition=Q(lost_time_hours__isnull=True)
                | (Q(lost_time_hours__gte=0) & Q(lost_time_hours__lte=24)),
                name="mentoring_sessions_record_lost_time_in_range",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Record of %(meeting)s") % {"meeting": self.meeting})

    @property
    def is_recorded(self) -> bool:
        return self.status == self.Status.RECORDED


class ActionItem(models.Model):
    """An action or stretch assignment agreed in a session, checked in on at the next."""

    DESCRIPTION_MAX = 500

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="actions")
    record = models.ForeignKey(SessionRecord, on_delete=models.CASCADE, related_name="actions")
    owner = models.CharField(_("who"), max_length=8, choices=Side.choices)
    description = models.CharField(_("action"), max_length=DESCRIPTION_MAX)
    stretch = models.BooleanField(
        _("stretch assignment"),
        default=False,
        help_text=_("A task a step beyond what the mentee has done before."),
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    status_note = models.CharField(_("note on the status"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["match", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="mentoring_sessions_action_closed_when_not_open",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CalendarFeed(models.Model):
    """A member's secret calendar address; a new token replaces the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)  # never the token: it would show in the admin's logs


# --- Fit check: each side says privately how the match is going ------------------------------


class FitCheck(models.Model):
    """One side's private answer to "How is the match going?", after the pair's first
    recorded meeting and again at the mid-point.

    Read by that member and the program's coordinators, never by the partner: the pair's
    pages show a member only their own row. "Not a good fit" brings the coordinators in
    (dashboard: Needs attention), with the end-match form one click away.
    """

    NOTE_MAX = 2000

    class Stage(models.TextChoices):
        FIRST = "first", _("After the first meeting")
        MIDPOINT = "midpoint", _("At the mid-point")

    class Answer(models.TextChoices):
        GOING_WELL = "going_well", _("Going well")
        NOT_SURE = "not_sure", _("Not sure yet")
        NOT_A_GOOD_FIT = "not_a_good_fit", _("Not a good fit")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="fit_checks")
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    stage = models.CharField(_("when"), max_length=8, choices=Stage.choices)
    answer = models.CharField(_("how the match is going"), max_length=16, choices=Answer.choices)
    note = models.TextField(_("note to the coordinators"), blank=True, max_length=NOTE_MAX)
    answered_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("fit check")
        verbose_name_plural = _("fit checks")
        ordering = ["match", "stage", "side"]
        constraints = [
            # One answer per side and stage: a second submission creates nothing.
            models.UniqueConstraint(
                fields=["match", "side", "stage"],
                name="mentoring_sessions_fitcheck_once_per_side_and_stage",
            ),
            models.CheckConstraint(
                condition=Q(side__in=["mentee", "mentor"])
                & Q(stage__in=["first", "midpoint"])
                & Q(answer__in=["going_well", "not_sure", "not_a_good_fit"]),
                name="mentoring_sessions_fitcheck_known_values",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.match_id} {self.side} {self.stage}: {self.answer}"

    @property
    def is_not_a_good_fit(self) -> bool:
        return self.answer == self.Answer.NOT_A_GOOD_FIT
