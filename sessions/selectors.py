"""Reads on orientations, pairs, meetings and calendars, already scoped to their parent."""

import datetime
import functools
import itertools
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Profile, User
from core.compiled_sql import Marker, compile_marked, run_marked_rows
from core.concurrency import values_of
from core.dates import date_writer, machine_datetime
from core.labels import choice_labels
from core.urls import url_pattern
from matching.models import Match
from programs.models import Participant, Phase, Program

from . import ical as ical_rows
from .access import Pair
from .appendices import agenda_texts
from .models import (
    AUDIENCE_ROLES,
    ActionItem,
    AgendaItem,
    FitCheck,
    Gathering,
    Goal,
    GroupSession,
    Meeting,
    Orientation,
    SessionRecord,
    Side,
    Worksheet,
)


def lost_time_phase(program: Program, day: datetime.date) -> Phase | None:
    """The program's lost-time phase covering that day (an open-ended phase covers all)."""
    return (
        program.phases.filter(lost_time=True)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=day))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("order", "starts_on", "pk")  # Phase's order within one program: no join
        .first()
    )


def orientation_of(program: Program) -> Orientation | None:
    return (
        Orientation.objects.filter(program=program)
        .prefetch_related("agenda")
        .annotate(attended=Count("attendees", distinct=True))
        .first()
    )


def active_pairs(program: Program) -> QuerySet:
    """The program's active matches, for the orientation's icebreaker: rows of the two
    participants' ids and names (no model instances: a program has hundreds of pairs)."""
    return (
        program.matches.filter(status=Match.Status.ACTIVE)
        .order_by("mentor__user__name", "mentee__user__name")
        .values_list(
            "mentee_id", "mentee__user__name", "mentor_id", "mentor__user__name", named=True
        )
    )


def _held_meetings(now: datetime.datetime) -> QuerySet[Meeting]:
    """A pair's meetings held before `now` (the row's pair: `match=OuterRef("pk")`)."""
    return Meeting.objects.filter(
        match=OuterRef("pk"), status=Meeting.Status.SCHEDULED, starts_at__lt=now
    ).order_by()


def pairs_of_program(program: Program) -> QuerySet[Match]:
    """Every pair a coordinator follows, with what tells them which need attention.

    Rows of values, not model instances (a page of pairs would be six models a row). Each
    figure is a correlated subquery on the meetings' (match, start) index, one range lookup
    per pair, rather than a join grouped by every selected column; of the worksheet only
    whether it exists and its agreement dates are read.
    """
    now = timezone.now()
    held = _held_meetings(now)
    upcoming = Meeting.objects.filter(
        match=OuterRef("pk"), status=Meeting.Status.SCHEDULED, starts_at__gte=now
    )
    open_actions = ActionItem.objects.filter(match=OuterRef("pk"), status=ActionItem.Status.OPEN)
    return (
        program.matches.published()
        .annotate(
            meetings_held=Subquery(held.values(n=Func("pk", function="COUNT"))),
            last_meeting_at=Subquery(held.order_by("-starts_at").values("starts_at")[:1]),
            next_meeting_at=Subquery(upcoming.order_by("starts_at").values("starts_at")[:1]),
            has_open_actions=Exists(open_actions),
        )
        .order_by("status", "mentor__user__name", "mentee__user__name")
        .values_list(
            "pk",
            "status",
            "mentee__user__name",
            "mentor__user__name",
            "worksheet__pk",
            "worksheet__mentee_agreed_at",
            "worksheet__mentor_agreed_at",
            "meetings_held",
            "last_meeting_at",
            "next_meeting_at",
            "has_open_actions",
            named=True,
        )
    )


def pairs_of_user(user: User, program: Program) -> QuerySet[Match]:
    return (
        program.matches.published()
        .involving(user)
        .select_related("mentee__user", "mentor__user")
        .order_by("status", "-started_at", "pk")
    )


def worksheet_of(match: Match) -> Worksheet | None:
    return Worksheet.objects.filter(match=match).select_related("updated_by").first()


def gathering_values(source, fields) -> dict | None:
    """An orientation's or group session's (saved or submitted) values as its form shows
    them: the start as a date and a time."""
    if source is None:
        return None
    get = source.get if isinstance(source, dict) else lambda name: getattr(source, name)
    values = {f: get(f) for f in fields if f != "starts_at"}
    local = timezone.localtime(get("starts_at")) if get("starts_at") else None
    values["date"] = local.date() if local else None
    values["start_time"] = local.time().replace(second=0, microsecond=0) if local else None
    return values


def record_values(record: SessionRecord | None) -> dict | None:
    """A session record's answers as its form shows them."""
    return values_of(record, (*SessionRecord.QUESTIONS, "lost_time_hours"))


def worksheet_values(source: Worksheet | dict | None) -> dict | None:
    """A worksheet's (or a submitted worksheet's) values as its form shows them."""
    if source is None:
        return None
    get = source.get if isinstance(source, dict) else lambda name: getattr(source, name)
    values = {f: get(f) for f in Worksheet.EDITABLE_FIELDS if f != "next_meeting_at"}
    at = get("next_meeting_at")
    local = timezone.localtime(at) if at else None
    values["next_meeting_date"] = local.date() if local else None
    values["next_meeting_time"] = local.time().replace(second=0, microsecond=0) if local else None
    return values


def contacts(match: Match) -> list[dict]:
    """Section 9: both members' name, phone and e-mail from their profiles, never demographics.

    What each partner sees of the other (surveys.selectors.member_details for
    Relation.PARTNER: the name, the profile's contact e-mail else the account's), for both
    members with one query.
    """
    users = [match.mentee.user, match.mentor.user]
    profiles = {
        profile.user_id: profile
        for profile in Profile.objects.filter(user__in=users).only(
            "user_id", "phone", "contact_email"
        )
    }
    rows = []
    for side, user in zip((Side.MENTEE, Side.MENTOR), users, strict=True):
        profile = profiles.get(user.pk) or Profile(user=user)
        rows.append(
            {
                "side": side.label,
                "name": user.name,
                "phone": profile.phone,
                "email": profile.contact_email or user.email,
            }
        )
    return rows


def worksheet_badge(started: bool, mentee_agreed: bool, mentor_agreed: bool) -> tuple[str, str]:
    """The class and words of a worksheet's badge: the pairs list's rows, and the timeline's
    and the worksheet's headings (`{% worksheet_badge %}`), one rule for all three."""
    if not started:
        return "text-bg-light border", gettext("Not started")
    if mentee_agreed and mentor_agreed:
        return "text-bg-success", gettext("Agreed by both")
    if mentee_agreed or mentor_agreed:
        return "text-bg-warning", gettext("Agreed by one")
    return "text-bg-secondary", gettext("Draft")


def goals_of(match: Match) -> QuerySet[Goal]:
    # Goal's own order without its first key (the match, the same for all): no join to
    # the match and its program to sort by them.
    return match.goals.order_by("term", "order", "pk")


def meetings_of(match: Match) -> QuerySet[Meeting]:
    """The pair's meetings for its timeline, with whether each was prepared and recorded:
    the columns the timeline shows, not the preparation's and record's long answers."""
    return (
        match.meetings.select_related("preparation", "record")
        .only(
            "match_id",
            "starts_at",
            "duration_minutes",
            "status",
            "mode",
            "preparation__meeting_id",
            "preparation__updated_at",
            "record__meeting_id",
            "record__status",
            "record__created_at",
        )
        .order_by("starts_at", "pk")
    )


def booked_meeting(match: Match, at: datetime.datetime | None) -> Meeting | None:
    """The scheduled meeting at `at` (the worksheet's next meeting), else the next one to come."""
    scheduled = match.meetings.filter(status=Meeting.Status.SCHEDULED).only(
        "match_id", "starts_at", "duration_minutes", "status"
    )
    meeting = None
    if at is not None:
        meeting = scheduled.filter(starts_at=at).first()
    if meeting is None:
        coming = scheduled.filter(starts_at__gte=timezone.now())
        meeting = coming.order_by("starts_at", "pk").first()
    if meeting is not None:
        meeting.match = match  # already loaded, with its program
    return meeting


def checkin_actions(meeting: Meeting) -> QuerySet[ActionItem]:
    """Section 2 of a record: actions agreed at earlier sessions and open when this one began.

    Open ones, and those closed since this meeting started (closed at it or later), so
    an old record still reads as it did.
    """
    return (
        ActionItem.objects.filter(
            match_id=meeting.match_id, record__meeting__starts_at__lt=meeting.starts_at
        )
        .filter(Q(status=ActionItem.Status.OPEN) | Q(closed_at__gte=meeting.starts_at))
        .select_related("record__meeting")
        .order_by("due_on", "pk")
    )


def actions_of(match: Match) -> QuerySet[ActionItem]:
    """The pair's actions, each with the meeting it was agreed at (`meeting_id`)."""
    return match.actions.annotate(meeting_id=F("record__meeting_id")).order_by(
        "status", "due_on", "pk"
    )


def _kind_labels() -> dict[str, str]:
    """The badge of each kind of timeline line, in the active language."""
    return {
        "worksheet": gettext("Worksheet"),
        "agreement": gettext("Agreement"),
        "goal": gettext("Goal"),
        "meeting": gettext("Meeting"),
        "preparation": gettext("Preparation"),
        "record": gettext("Record"),
        "action": gettext("Action"),
    }


@dataclass(frozen=True)
class Entry:
    """One line of a pair's timeline, with what its line shows worked out once (a pair's
    history runs to hundreds of lines)."""

    when: datetime.datetime
    kind: str
    title: str
    url: str = ""
    detail: str = ""
    label: str = ""  # the kind's badge
    when_attr: str = ""  # the <time datetime> value
    when_text: str = ""  # the date and time as shown


def _at_midday(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@dataclass(frozen=True)
class Timeline:
    """A pair's page: what is coming and open first, then the history, newest first."""

    coming_up: list[Meeting]  # scheduled and not recorded yet, soonest first
    open_actions: list[ActionItem]  # due soonest first
    history: list[Entry]  # newest first

    @property
    def next_meeting(self) -> Meeting | None:
        return next((m for m in self.coming_up if not m.has_started), None)


def timeline(pair: Pair, worksheet: Worksheet | None) -> Timeline:
    """Upcoming meetings and open actions, then worksheet, goals, meetings, preparations,
    records and actions newest first (an upcoming meeting is listed only as coming up)."""
    match = pair.match
    mentee, mentor = match.mentee.user.name, match.mentor.user.name
    now = timezone.now()
    entries: list[tuple] = []  # Entry's first five fields
    coming_up: list[Meeting] = []
    open_actions: list[ActionItem] = []
    if worksheet is not None:
        url = reverse("sessions:worksheet", args=[match.program.slug, match.pk])
        entries.append((worksheet.created_at, "worksheet", gettext("Worksheet started"), url))
        if worksheet.updated_at > worksheet.created_at + datetime.timedelta(seconds=1):
            entries.append(
                (worksheet.updated_at, "worksheet", gettext("Worksheet last changed"), url)
            )
        for when, name in (
            (worksheet.mentee_agreed_at, mentee),
            (worksheet.mentor_agreed_at, mentor),
        ):
            if when:
                entries.append(
                    (
                        when,
                        "agreement",
                        gettext("%(name)s agreed to the worksheet") % {"name": name},
                        url,
                    )
                )
    goal_title = gettext("%(term)s goal: %(goal)s")
    terms, goal_statuses = choice_labels(Goal.Term), choice_labels(Goal.Status)
    for goal in goals_of(match):
        entries.append(
            (
                goal.created_at,
                "goal",
                goal_title % {"term": terms(goal.term), "goal": goal},
                "",
                goal_statuses(goal.status),
            )
        )
    meeting_url = url_pattern("sessions:meeting", match.program.slug, match.pk)
    date_text = date_writer("DATE_FORMAT")
    prepared = gettext("%(name)s prepared for the meeting of %(date)s")
    recorded = gettext("%(name)s recorded the meeting of %(date)s")
    held, cancelled = gettext("Meeting"), gettext("Meeting cancelled")
    modes = choice_labels(Meeting.Mode)
    for meeting in meetings_of(match):
        url = meeting_url(meeting.pk)
        record = getattr(meeting, "record", None)
        if not meeting.is_cancelled and not (record is not None and record.is_recorded):
            coming_up.append(meeting)
            if meeting.starts_at >= now:
                continue  # it is listed under "Coming up", not in the history yet
        entries.append(
            (
                meeting.starts_at,
                "meeting",
                cancelled if meeting.is_cancelled else held,
                url,
                modes(meeting.mode),
            )
        )
        preparation = getattr(meeting, "preparation", None)
        is_recorded = record is not None and record.is_recorded
        if preparation is not None or is_recorded:
            day = date_text(meeting.local_date)
        if preparation is not None:
            entries.append(
                (
                    preparation.updated_at,
                    "preparation",
                    prepared % {"name": mentee, "date": day},
                    url,
                )
            )
        if is_recorded:
            entries.append(
                (record.created_at, "record", recorded % {"name": mentor, "date": day}, url)
            )
    action_title = gettext("Action for %(name)s: %(action)s")
    action_statuses = choice_labels(ActionItem.Status)
    for action in actions_of(match):
        if action.status == ActionItem.Status.OPEN:
            open_actions.append(action)
        owner = mentee if action.owner == Side.MENTEE else mentor
        entries.append(
            (
                action.created_at,
                "action",
                action_title % {"name": owner, "action": action},
                meeting_url(action.meeting_id),
                action_statuses(action.status),
            )
        )
    entries.sort(key=lambda entry: entry[0], reverse=True)
    open_actions.sort(key=lambda action: (action.due_on, action.pk))
    labels = _kind_labels()
    datetime_text = date_writer("DATETIME_FORMAT")
    history = []
    for when, kind, title, *rest in entries:
        local = timezone.localtime(when)
        history.append(
            Entry(
                when,
                kind,
                title,
                *rest,
                label=labels[kind],
                when_attr=machine_datetime(local),
                when_text=datetime_text(local),
            )
        )
    return Timeline(coming_up=coming_up, open_actions=open_actions, history=history)


# --- Who a group session is for ------------------------------------------------------------
# The one place that decides it: invitations, cancellations, the attendance list, the
# pages, the calendar files and the feed all ask these three functions.


def group_session_audience(session: GroupSession) -> QuerySet[Participant]:
    """The participants a group session is for (invited, shown it, on its attendance list)."""
    return session.program.participants.filter(role__in=AUDIENCE_ROLES[session.audience])


def audiences_for(role: str) -> list[str]:
    """The audiences that include a participant of this role ("mentor", "mentee")."""
    return [audience for audience, roles in AUDIENCE_ROLES.items() if role in roles]


def group_session_visible(session: GroupSession, role: str, *, coordinates: bool) -> bool:
    """Whether someone sees a group session: its coordinators always, a participant when
    their role is in its audience."""
    return coordinates or session.audience in audiences_for(role)


def group_sessions_of(program: Program, role: str | None = None) -> QuerySet[GroupSession]:
    """The program's group sessions with how many attended: a count on the attendance
    table's index for each session, not a join grouped by every column (the texts too).
    Given a participant's role, only the sessions whose audience includes it."""
    attendance = GroupSession.attendees.through.objects.filter(groupsession=OuterRef("pk"))
    sessions = program.group_sessions.all()
    if role is not None:
        sessions = sessions.filter(audience__in=audiences_for(role))
    return sessions.annotate(
        attended=Subquery(attendance.order_by().values(n=Func("pk", function="COUNT")))
    ).order_by("starts_at", "pk")


def is_invited(item: Gathering, participant: Participant) -> bool:
    """Whether this participant is invited to this orientation or group session: the one
    rule every invitation, cancellation and late invitation asks. The orientation invites
    everyone in its program; a group session, its audience (`group_session_audience`)."""
    if participant.program_id != item.program_id:
        return False
    if isinstance(item, GroupSession):
        return participant.role in AUDIENCE_ROLES[item.audience]
    return True


def coming_gatherings(program: Program) -> list[Gathering]:
    """The program's orientation and group sessions still to come and not cancelled, in
    the order they happen."""
    now = timezone.now()
    items: list[Gathering] = list(
        program.group_sessions.filter(starts_at__gt=now, cancelled_at__isnull=True)
    )
    orientation = Orientation.objects.filter(program=program, starts_at__gt=now).first()
    if orientation is not None:
        items.append(orientation)
    return sorted(items, key=lambda item: (item.starts_at, item.pk))


def participants_for_attendance(
    program: Program, session: GroupSession | None = None
) -> QuerySet[Participant]:
    """Who may be marked present: everyone in the program at its orientation, a group
    session's audience at that session."""
    people = program.participants if session is None else group_session_audience(session)
    return people.select_related("user").order_by("role", "user__name")


# --- The member's calendar ---------------------------------------------------------------


def meetings_for_calendar(user: User) -> list[dict]:
    """The member's meetings in pairs that are active or ended (cancelled ones included, so
    calendars that had them remove them), as the rows `ical.meeting_events` reads."""
    # The member's matches through the mentee and mentor indexes (`involving`): no scan
    # of every match or meeting, whatever the number of pairs.
    return list(
        Meeting.objects.filter(match__in=Match.objects.published().involving(user))
        .order_by("starts_at", "pk")
        .values(
            *ical_rows.MEETING_ROW,
            program_slug=F("match__program__slug"),
            program_name=F("match__program__name"),
            mentee_name=F("match__mentee__user__name"),
            mentor_name=F("match__mentor__user__name"),
        )
    )


def _programs_of(user: User) -> Q:
    """Programs the member takes part in or coordinates: two index lookups, no join
    that has to be made DISTINCT."""
    return Q(program__in=Participant.objects.filter(user=user).values("program_id")) | Q(
        program__in=Program.coordinators.through.objects.filter(user=user).values("program_id")
    )


def _program_columns() -> dict:
    return {"program_slug": F("program__slug"), "program_name": F("program__name")}


def orientations_for_calendar(user: User) -> list[dict]:
    rows = list(
        Orientation.objects.filter(_programs_of(user))
        .order_by("starts_at", "pk")
        .values(*ical_rows.GATHERING_ROW, **_program_columns())
    )
    agendas: dict[int, list[tuple[str, int]]] = {row["pk"]: [] for row in rows}
    for orientation_id, key, title, minutes in AgendaItem.objects.filter(
        orientation__in=list(agendas)
    ).values_list("orientation_id", "key", "title", "minutes"):
        # The handbook's unedited items in the feed's language (the member's).
        agendas[orientation_id].append((agenda_texts(key, title, "")[0], minutes))
    return [{**row, "agenda": agendas[row["pk"]]} for row in rows]


def group_sessions_for_calendar(user: User) -> list[dict]:
    """The group sessions of the programs the member coordinates, and of those they take
    part in whose audience includes their role."""
    seen = Q(
        program__in=Program.coordinators.through.objects.filter(user=user).values("program_id")
    )
    for role in Participant.Role.values:
        seen |= Q(
            program__in=Participant.objects.filter(user=user, role=role).values("program_id"),
            audience__in=audiences_for(role),
        )
    return list(
        GroupSession.objects.filter(seen)
        .order_by("starts_at", "pk")
        .values(*ical_rows.GROUP_SESSION_ROW, **_program_columns())
    )


# --- Pairs that need a coordinator's attention ------------------------------------------------

# A meeting held within this many days before the mid-point date counts as the check-in
# (Appendix IV: "Set your mid-point check-in meeting now").
MIDPOINT_EARLY_DAYS = 7


def worksheet_due_on(
    started: datetime.datetime, oriented: datetime.datetime | None, days: int
) -> datetime.date:
    """When a pair's worksheet should be agreed: `days` after the orientation, where pairs
    start it, or after the pair's own start when matched later."""
    start = max(timezone.localdate(started), timezone.localdate(oriented or started))
    return start + datetime.timedelta(days=days)


@dataclass(frozen=True)
class PairState:
    pk: int
    program_id: int
    mentee_id: int
    mentor_id: int
    last_met: datetime.datetime | None
    quiet: bool  # no meeting held in the program's `no_meeting_days`
    met_recently: bool  # a meeting held within them
    worksheet_overdue: bool  # not agreed by both past its due date
    midpoint_overdue: bool  # mid-point date passed without a meeting around it


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class DaysBefore(Func):
    """A date `days` earlier, computed in the database (SQLite and PostgreSQL)."""

    output_field = DateField()

    def __init__(self, expression, days: int, **extra):
        super().__init__(expression, **extra)
        self.days = int(days)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '-{self.days} days')", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} - {self.days})", params


# The states a pair can be in, each one filter on Match (see `PairStates`).
PAIR_STATE_KEYS = ("quiet", "met_recently", "worksheet", "midpoint")
# A state that is not late but worrying: a side said the match is not a good fit
# (`not_a_good_fit`); counted and listed as the others, not part of `PairState`.
FIT_STATE_KEYS = ("not_a_good_fit",)


class PairStates:
    """What is late for the active pairs of some programs, as SQL filters on Match.

    Each state is one expression, used both to count (`counts`) and to list (`pairs`), so
    a number and its list always agree. Each program's own day boundaries (its reminder
    intervals, in the local time zone) are worked out once here and reach the query as a
    CASE over the pair's program: a meeting is then compared with a constant of its row,
    so the meetings' index on (match, start) answers each test with one range lookup.
    Nothing comes back to Python per pair, and no list of ids goes back to the database.
    """

    BOUNDS = ("recent_from", "quiet_before", "due_before")

    def __init__(
        self,
        program_ids,
        today: datetime.date,
        intervals=None,
        *,
        now: datetime.datetime | None = None,
        bounds: dict[str, dict[int, datetime.datetime]] | None = None,
    ) -> None:
        """`intervals` (reminders.intervals.Intervals) gives each program's days; `bounds`,
        each program's moments directly (the counts' stand-ins, `_pair_counts_sql`)."""
        self.program_ids = list(dict.fromkeys(program_ids))
        self.today = today
        self.now = now or timezone.now()
        self.bounds = bounds if bounds is not None else self._bounds_of(intervals)

    def _bounds_of(self, intervals) -> dict[str, dict[int, datetime.datetime]]:
        recent_from, quiet_before, due_before = {}, {}, {}
        for pk in self.program_ids:
            quiet_since = self.today - datetime.timedelta(
                days=intervals.days(pk, "no_meeting_days")
            )
            worksheet_days = intervals.days(pk, "worksheet_after_days")
            recent_from[pk] = local_midnight(quiet_since)  # met on or after: met recently
            # Started before: can be quiet; started before: the worksheet is due.
            quiet_before[pk] = local_midnight(quiet_since + datetime.timedelta(days=1))
            due_before[pk] = local_midnight(self.today - datetime.timedelta(days=worksheet_days))
        return {"recent_from": recent_from, "quiet_before": quiet_before, "due_before": due_before}

    def _bound(self, name: str) -> Case:
        """The bound of the row's program: one branch per distinct bound (programs on the
        same intervals share one), so the statement grows with intervals, not programs."""
        return Case(
            *(
                When(program_id__in=pks, then=Value(at, output_field=DateTimeField()))
                for at, pks in _groups(self.bounds[name])
            ),
            default=Value(None, output_field=DateTimeField()),
            output_field=DateTimeField(),
        )

    def _held(self) -> Q:
        return Q(status=Meeting.Status.SCHEDULED, starts_at__lte=self.now)

    def _started_before(self, name: str) -> Q:
        """The pair started before the row's bound `name` (a pair with no start counts
        from now)."""
        return Q(started_at__lt=F(name)) | Q(started_at__isnull=True, **{f"{name}__gt": self.now})

    def met_recently(self) -> Q:
        recent = Meeting.objects.filter(
            self._held(), match=OuterRef("pk"), starts_at__gte=OuterRef("recent_from")
        )
        return Q(Exists(recent))

    def quiet(self) -> Q:
        return self._started_before("quiet_before") & ~self.met_recently()

    def worksheet(self) -> Q:
        """Not agreed by both, and due: `days` after the orientation, or after a later
        start (the later of the two is before the bound when both are)."""
        oriented = "program__orientation__starts_at"
        due = self._started_before("due_before") & (
            Q(**{f"{oriented}__isnull": True}) | Q(**{f"{oriented}__lt": F("due_before")})
        )
        not_agreed = Q(worksheet__mentee_agreed_at__isnull=True) | Q(
            worksheet__mentor_agreed_at__isnull=True
        )
        return not_agreed & due

    def midpoint(self) -> Q:
        checkin = Meeting.objects.filter(
            self._held(),
            match=OuterRef("pk"),
            # Compared with the day's start in UTC: an index range, with no per-row conversion.
            starts_at__gte=DaysBefore(OuterRef("worksheet__midpoint_on"), MIDPOINT_EARLY_DAYS),
        )
        return Q(worksheet__midpoint_on__lt=self.today) & ~Q(Exists(checkin))

    def not_a_good_fit(self) -> Q:
        return not_a_good_fit()

    STATES = PAIR_STATE_KEYS + FIT_STATE_KEYS  # each one a method giving its filter

    def filters(self) -> dict[str, Q]:
        """Each state as a filter on `base()` (whose annotations it refers to)."""
        return {key: getattr(self, key)() for key in self.STATES}

    def base(self) -> QuerySet[Match]:
        """The programs' active pairs, with the row's bounds the state filters compare with."""
        return Match.objects.filter(program__in=self.program_ids, status=Match.Status.ACTIVE).alias(
            **{name: self._bound(name) for name in self.BOUNDS}
        )

    def pairs(self, key: str) -> QuerySet[Match]:
        """The active pairs in state `key`: one filtered query, paged by the caller."""
        if key not in self.STATES:
            raise KeyError(key)
        return self.base().filter(getattr(self, key)())  # only this state's filter built

    def last_met(self) -> Subquery:
        """When the pair last held a meeting: one indexed lookup per row shown."""
        last = Meeting.objects.filter(self._held(), match=OuterRef("pk")).order_by("-starts_at")
        return Subquery(last.values("starts_at")[:1])

    def counts_query(self) -> QuerySet:
        """Each program's active pairs and the pairs in each state: one grouped query."""
        filters = self.filters()
        return (
            self.base()
            .order_by()
            .values("program_id")
            .annotate(
                n_active_pairs=Count("pk"),
                # Named apart from the relations the filters follow ("worksheet").
                **{f"n_{key}": Count("pk", filter=q) for key, q in filters.items()},
            )
        )

    def counts(self) -> dict[int, dict[str, int]]:
        """`counts_query`'s numbers by program. Building and compiling that query costs
        more than running it, so its SQL is compiled once per process, number of programs
        and shape of their bounds (`_pair_counts_sql`) and run with this call's programs
        and moments."""
        if not self.program_ids:
            return {}
        connection = connections[router.db_for_read(Match)]
        groups = {name: _groups(self.bounds[name]) for name in self.BOUNDS}
        shape = tuple(tuple(len(pks) for _at, pks in groups[name]) for name in self.BOUNDS)
        sql, marked = _pair_counts_sql(
            connection.alias, connection.vendor, len(self.program_ids), shape
        )
        values = _pair_count_values(self.program_ids, self.today, self.now, groups, connection)
        counts = {}
        for row in run_marked_rows(connection.alias, sql, marked, values):
            program_id = row.pop("program_id")
            counts[program_id] = {name.removeprefix("n_"): n for name, n in row.items()}
        return counts


def _groups(bounds: dict[int, datetime.datetime]) -> list[tuple[datetime.datetime, list[int]]]:
    """The programs sharing each bound, in the order of their first program: the CASE's
    branches (`PairStates._bound`)."""
    programs: dict[datetime.datetime, list[int]] = {}
    for pk, at in bounds.items():
        programs.setdefault(at, []).append(pk)
    return list(programs.items())


# Stand-ins for the counts' values while their SQL is compiled (`_pair_counts_sql`): no
# program has a negative id, and no day or moment of a live program falls in 1901.
_STAND_IN_PROGRAM = -1_000_000
_STAND_IN_GROUPED_PROGRAM = -2_000_000
_STAND_IN_TODAY = datetime.date(1901, 2, 3)
_STAND_IN_NOW = datetime.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)
_STAND_IN_BOUND = datetime.datetime(1901, 6, 1, tzinfo=datetime.UTC)


def _pair_count_values(program_ids, today, now, groups, connection) -> dict[Marker, object]:
    """Each marker of the counts' SQL with its value as the database receives it: the
    programs, today, now, and each bound's groups (`_groups`) with their programs."""
    moment, day = DateTimeField(), DateField()
    values = {
        Marker("today"): day.get_db_prep_value(today, connection),
        Marker("now"): moment.get_db_prep_value(now, connection),
    }
    for index, pk in enumerate(program_ids):
        values[Marker(f"program {index}")] = pk
    for name in PairStates.BOUNDS:
        for group, (at, pks) in enumerate(groups[name]):
            values[Marker(f"{name} {group}")] = moment.get_db_prep_value(at, connection)
            for index, pk in enumerate(pks):
                values[Marker(f"{name} {group} program {index}")] = pk
    return values


@functools.cache
def _pair_counts_sql(
    alias: str, vendor: str, programs: int, shape: tuple[tuple[int, ...], ...]
) -> tuple[str, tuple]:
    """`PairStates.counts_query`'s SQL for `programs` programs whose bounds fall in groups
    of the sizes `shape` gives (per bound, per group), compiled once per process for this
    database with stand-in values in the markers' places (`core.compiled_sql`). Everything
    the SQL's text depends on is in the key; `MIDPOINT_EARLY_DAYS` is part of the text and
    a constant. (One branch per program instead of per group would make PostgreSQL test
    every program's branch on every pair: 15 ms instead of 9 at national size.)"""
    ids = [_STAND_IN_PROGRAM - index for index in range(programs)]
    grouped, moments = itertools.count(), itertools.count()
    groups = {
        name: [
            (
                _STAND_IN_BOUND + datetime.timedelta(hours=next(moments)),
                [_STAND_IN_GROUPED_PROGRAM - next(grouped) for _ in range(size)],
            )
            for size in sizes
        ]
        for name, sizes in zip(PairStates.BOUNDS, shape, strict=True)
    }
    bounds = {name: {pk: at for at, pks in groups[name] for pk in pks} for name in groups}
    connection = connections[alias]
    stand_in_values = _pair_count_values(ids, _STAND_IN_TODAY, _STAND_IN_NOW, groups, connection)
    stand_ins = {value: marker for marker, value in stand_in_values.items()}
    states = PairStates(ids, _STAND_IN_TODAY, now=_STAND_IN_NOW, bounds=bounds)
    return compile_marked(states.counts_query(), alias, stand_ins)


def pair_states(
    program_ids, today: datetime.date, intervals, orientations: dict | None = None
) -> list[PairState]:
    """Every active pair of these programs with what is late, in one query.

    `intervals` gives each program's days (reminders.intervals.Intervals). The states are
    `PairStates`' own filters, selected as booleans; `orientations` is no longer needed
    (the orientation is joined) and is accepted for callers that still pass it.
    """
    states = PairStates(program_ids, today, intervals)
    filters = states.filters()
    booleans = {
        f"is_{key}": ExpressionWrapper(filters[key], output_field=BooleanField())
        for key in PAIR_STATE_KEYS
    }
    rows = (
        states.base()
        .annotate(last_met=states.last_met(), **booleans)
        .order_by("started_at", "pk")
        .values_list(
            "pk",
            "program_id",
            "mentee_id",
            "mentor_id",
            "last_met",
            *booleans,
        )
    )
    return [
        PairState(
            pk=pk,
            program_id=program_id,
            mentee_id=mentee_id,
            mentor_id=mentor_id,
            last_met=last_met,
            quiet=bool(quiet),
            met_recently=bool(met_recently),
            worksheet_overdue=bool(worksheet),
            midpoint_overdue=bool(midpoint),
        )
        for (
            pk,
            program_id,
            mentee_id,
            mentor_id,
            last_met,
            quiet,
            met_recently,
            worksheet,
            midpoint,
        ) in rows
    ]


# --- Fit check: who is asked "How is the match going?", and what was answered -------------------

FIT_CHECK_SIDES = (Side.MENTEE, Side.MENTOR)
FIT_CHECK_STAGES = (FitCheck.Stage.FIRST, FitCheck.Stage.MIDPOINT)
# Programs past their running stage ask for final feedback instead.
FIT_CHECK_PROGRAMS_OVER = (Program.Status.CLOSING, Program.Status.CLOSED)


def _answered_column(side: str, stage: str) -> str:
    return f"fit_{side}_{stage}"


def fit_check_columns() -> dict:
    """Annotations on Match for `due_fit_check`: the start of the pair's first recorded
    meeting and whether each side answered each stage (index lookups, no query of their own)."""
    first_recorded = Meeting.objects.filter(
        match=OuterRef("pk"),
        status=Meeting.Status.SCHEDULED,
        record__status=SessionRecord.Status.RECORDED,
    ).order_by("starts_at")
    return {
        "first_recorded_at": Subquery(first_recorded.values("starts_at")[:1]),
        "fit_midpoint_on": F("worksheet__midpoint_on"),
        **{
            _answered_column(side, stage): Exists(
                FitCheck.objects.filter(match=OuterRef("pk"), side=side, stage=stage)
            )
            for side in FIT_CHECK_SIDES
            for stage in FIT_CHECK_STAGES
        },
    }


def fit_check_opens_on(midpoint_on: datetime.date) -> datetime.date:
    """The mid-point question opens with the check-in's own window (`MIDPOINT_EARLY_DAYS`)."""
    return midpoint_on - datetime.timedelta(days=MIDPOINT_EARLY_DAYS)


def due_fit_check(match: Match, side: str, today: datetime.date) -> str | None:
    """The stage `side` is asked about now, or None: a pure rule over `fit_check_columns`.

    From the mid-point window on, the mid-point question (the first one, if still open,
    is no longer asked: one question at a time); before it, the first question once the
    pair has a recorded meeting. Only active pairs of running programs are asked.
    """
    if match.status != Match.Status.ACTIVE or match.program.status in FIT_CHECK_PROGRAMS_OVER:
        return None
    midpoint = match.fit_midpoint_on
    if midpoint is not None and today >= fit_check_opens_on(midpoint):
        stage = FitCheck.Stage.MIDPOINT
    elif match.first_recorded_at is not None:
        stage = FitCheck.Stage.FIRST
    else:
        return None
    return None if getattr(match, _answered_column(side, stage)) else stage


def with_fit_check_columns(match: Match) -> Match:
    """The pair's match read again with `fit_check_columns` (one query)."""
    found = (
        Match.objects.select_related("program", "mentee__user", "mentor__user")
        .annotate(**fit_check_columns())
        .get(pk=match.pk)
    )
    return found


@dataclass(frozen=True)
class DueFitCheck:
    """A question waiting for one member, for the prompts on their home and pair's page."""

    match: Match
    stage: str
    partner_name: str
    url: str


def due_fit_check_for(match: Match, side: str, today: datetime.date) -> DueFitCheck | None:
    stage = due_fit_check(match, side, today)
    if stage is None:
        return None
    partner = match.mentor if side == Side.MENTEE else match.mentee
    url = reverse("sessions:fit_check", args=[match.program.slug, match.pk, stage])
    return DueFitCheck(match=match, stage=stage, partner_name=partner.user.name, url=url)


def my_fit_checks(match: Match, side: str) -> QuerySet[FitCheck]:
    """The member's own answers: never the partner's."""
    return FitCheck.objects.filter(match=match, side=side).order_by("answered_at", "pk")


def fit_checks_of(match: Match) -> list[FitCheck]:
    """Both sides' answers and notes, for the program's coordinators only."""
    return list(FitCheck.objects.filter(match=match).order_by("answered_at", "pk"))


def not_a_good_fit(side: str | None = None) -> Q:
    """On Match: a side's latest answer is "Not a good fit" (either side's, without `side`).

    A "not a good fit" after the first meeting counts until that side answers at the
    mid-point; the pair then leaves the list if that answer is better.
    """
    later = FitCheck.objects.filter(
        match=OuterRef("match"), side=OuterRef("side"), stage=FitCheck.Stage.MIDPOINT
    )
    unfit = FitCheck.objects.filter(
        match=OuterRef("pk"), answer=FitCheck.Answer.NOT_A_GOOD_FIT
    ).filter(Q(stage=FitCheck.Stage.MIDPOINT) | ~Q(Exists(later)))
    if side is not None:
        unfit = unfit.filter(side=side)
    return Q(Exists(unfit))
