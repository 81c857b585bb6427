"""Reads on orientations, pairs, meetings and calendars, already scoped to their parent."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import profile_of
from matching.models import Match
from programs.models import Participant, Phase, Program
from surveys.selectors import Relation, member_details

from .access import VISIBLE_MATCH_STATUSES, Pair
from .models import (
    ActionItem,
    Goal,
    GroupSession,
    Meeting,
    Orientation,
    Side,
    Worksheet,
)


def lost_time_phase(program: Program, day: datetime.date) -> Phase | None:
    """The program's lost-time phase covering that day (an open-ended phase covers all)."""
    return (
        program.phases.filter(lost_time=True)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=day))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .first()
    )


def orientation_of(program: Program) -> Orientation | None:
    return (
        Orientation.objects.filter(program=program)
        .prefetch_related("agenda")
        .annotate(attended=Count("attendees", distinct=True))
        .first()
    )


def active_pairs(program: Program) -> QuerySet[Match]:
    """The program's active matches, with both members, for the orientation's icebreaker."""
    return (
        program.matches.filter(status=Match.Status.ACTIVE)
        .select_related("mentee__user", "mentor__user")
        .order_by("mentor__user__name", "mentee__user__name")
    )


def pairs_of_program(program: Program) -> QuerySet[Match]:
    """Every pair a coordinator follows, with what tells them which need attention."""
    now = timezone.now()
    held = Q(meetings__status=Meeting.Status.SCHEDULED, meetings__starts_at__lt=now)
    upcoming = Q(meetings__status=Meeting.Status.SCHEDULED, meetings__starts_at__gte=now)
    open_actions = ActionItem.objects.filter(match=OuterRef("pk"), status=ActionItem.Status.OPEN)
    return (
        program.matches.filter(status__in=VISIBLE_MATCH_STATUSES)
        .select_related("mentee__user", "mentor__user", "worksheet")
        .annotate(
            meetings_held=Count("meetings", filter=held, distinct=True),
            last_meeting_at=Max("meetings__starts_at", filter=held),
            next_meeting_at=Min("meetings__starts_at", filter=upcoming),
            has_open_actions=Exists(open_actions),
        )
        .order_by("status", "mentor__user__name", "mentee__user__name")
    )


def pairs_of_user(user: User, program: Program) -> QuerySet[Match]:
    return (
        program.matches.filter(status__in=VISIBLE_MATCH_STATUSES)
        .filter(Q(mentee__user=user) | Q(mentor__user=user))
        .select_related("mentee__user", "mentor__user")
        .order_by("status", "-started_at", "pk")
    )


def worksheet_of(match: Match) -> Worksheet | None:
    return Worksheet.objects.filter(match=match).select_related("updated_by").first()


def contacts(match: Match) -> list[dict]:
    """Section 9: both members' name, phone and e-mail from their profiles, never demographics."""
    rows = []
    for side, participant in ((Side.MENTEE, match.mentee), (Side.MENTOR, match.mentor)):
        details = member_details(participant.user, Relation.PARTNER)
        profile = profile_of(participant.user)
        rows.append(
            {
                "side": side.label,
                "name": details.name,
                "phone": profile.phone,
                "email": details.email,
            }
        )
    return rows


def goals_of(match: Match) -> QuerySet[Goal]:
    return match.goals.all()


def meetings_of(match: Match) -> QuerySet[Meeting]:
    return match.meetings.select_related("preparation", "record").order_by("starts_at", "pk")


def next_meeting(match: Match) -> Meeting | None:
    return (
        match.meetings.filter(status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )


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
    return match.actions.select_related("record").order_by("status", "due_on", "pk")


@dataclass(frozen=True)
class Entry:
    """One line of a pair's timeline."""

    when: datetime.datetime
    kind: str
    title: str
    url: str = ""
    detail: str = ""
    upcoming: bool = False


def _at_midday(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def timeline(pair: Pair, worksheet: Worksheet | None) -> list[Entry]:
    """Worksheet, goals, meetings, preparations, records and actions in date order."""
    match = pair.match
    mentee, mentor = match.mentee.user.name, match.mentor.user.name
    now = timezone.now()
    entries: list[Entry] = []
    if worksheet is not None:
        url = reverse("sessions:worksheet", args=[match.program.slug, match.pk])
        entries.append(Entry(worksheet.created_at, "worksheet", _("Worksheet started"), url))
        if worksheet.updated_at > worksheet.created_at + datetime.timedelta(seconds=1):
            entries.append(
                Entry(worksheet.updated_at, "worksheet", _("Worksheet last changed"), url)
            )
        for when, name in (
            (worksheet.mentee_agreed_at, mentee),
            (worksheet.mentor_agreed_at, mentor),
        ):
            if when:
                entries.append(
                    Entry(
                        when,
                        "agreement",
                        _("%(name)s agreed to the worksheet") % {"name": name},
                        url,
                    )
                )
    for goal in goals_of(match):
        entries.append(
            Entry(
                goal.created_at,
                "goal",
                _("%(term)s goal: %(goal)s") % {"term": goal.get_term_display(), "goal": goal},
                detail=goal.get_status_display(),
            )
        )
    slug = match.program.slug

    def meeting_url(meeting_id: int) -> str:
        return reverse("sessions:meeting", args=[slug, match.pk, meeting_id])

    for meeting in meetings_of(match):
        url = meeting_url(meeting.pk)
        if meeting.is_cancelled:
            title = _("Meeting cancelled")
        elif meeting.starts_at >= now:
            title = _("Meeting planned")
        else:
            title = _("Meeting")
        entries.append(
            Entry(
                meeting.starts_at,
                "meeting",
                title,
                url,
                detail=meeting.get_mode_display(),
                upcoming=meeting.starts_at >= now,
            )
        )
        preparation = getattr(meeting, "preparation", None)
        if preparation is not None:
            entries.append(
                Entry(
                    preparation.updated_at,
                    "preparation",
                    _("%(name)s prepared for the meeting of %(date)s")
                    % {"name": mentee, "date": meeting.local_date},
                    url,
                )
            )
        record = getattr(meeting, "record", None)
        if record is not None:
            entries.append(
                Entry(
                    record.created_at,
                    "record",
                    _("%(name)s recorded the meeting of %(date)s")
                    % {"name": mentor, "date": meeting.local_date},
                    url,
                )
            )
    for action in actions_of(match):
        owner = mentee if action.owner == Side.MENTEE else mentor
        entries.append(
            Entry(
                action.created_at,
                "action",
                _("Action for %(name)s: %(action)s") % {"name": owner, "action": action},
                meeting_url(action.record.meeting_id),
                detail=action.get_status_display(),
            )
        )
    entries.sort(key=lambda entry: entry.when)
    return entries


def group_sessions_of(program: Program) -> QuerySet[GroupSession]:
    return program.group_sessions.annotate(attended=Count("attendees")).order_by("starts_at", "pk")


def participants_for_attendance(program: Program) -> QuerySet[Participant]:
    return program.participants.select_related("user").order_by("role", "user__name")


# --- The member's calendar ---------------------------------------------------------------


def meetings_for_calendar(user: User) -> QuerySet[Meeting]:
    """The member's meetings in pairs that are active or ended (cancelled ones included, so
    calendars that had them remove them)."""
    return (
        Meeting.objects.filter(match__status__in=VISIBLE_MATCH_STATUSES)
        .filter(Q(match__mentee__user=user) | Q(match__mentor__user=user))
        .select_related("match__program", "match__mentee__user", "match__mentor__user")
        .order_by("starts_at", "pk")
    )


def _programs_of(user: User) -> Q:
    return Q(program__participants__user=user) | Q(program__coordinators=user)


def orientations_for_calendar(user: User) -> QuerySet[Orientation]:
    return (
        Orientation.objects.filter(_programs_of(user))
        .distinct()
        .select_related("program")
        .prefetch_related("agenda")
    )


def group_sessions_for_calendar(user: User) -> QuerySet[GroupSession]:
    return (
        GroupSession.objects.filter(_programs_of(user))
        .distinct()
        .select_related("program")
        .order_by("starts_at", "pk")
    )
