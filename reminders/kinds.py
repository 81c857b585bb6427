"""What is due, kind by kind, read from the database state.

Each kind finds everything due today in a fixed number of queries, whatever the
number of participants, and can tell at send time whether its subject is still due
(a survey submitted since the scan is not reminded).
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import format_date
from evaluation.models import EvaluationRequest, Feedback
from intake.models import Application
from matching.models import Match, MentorProfile
from programs.models import Participant, Program
from sessions import ical
from sessions.models import ActionItem, Meeting, SessionRecord, Side, Worksheet
from sessions.selectors import pair_states, worksheet_due_on
from sessions.services import ICS_TYPE
from surveys.models import Survey

from .intervals import Intervals
from .models import Reminder

# Each program's intervals are its ReminderSettings (defaults there). A kind queries the
# widest window any program uses and keeps, in Python, what is due by each program's own.
MENTOR_PROFILE_DAYS = MentorProfile.STALE_AFTER_DAYS  # a member's, not a program's
# A record or action reminder missed (e.g. by an outage) is still sent this many days
# late; older ones never are, so a first scan does not mail the whole history.
CATCH_UP_DAYS = 7
ACTIVE = (Program.Status.SELECTING, Program.Status.MATCHING, Program.Status.RUNNING)
FEEDBACK_PROGRAMS = (Program.Status.RUNNING, Program.Status.CLOSING)


@dataclass(frozen=True)
class Due:
    recipient_id: int
    subject_key: str
    due_on: datetime.date
    program_id: int | None = None


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    essential: bool  # essential ones are sent even to members who turned reminders off
    find: Callable[[datetime.date, Intervals], Iterable[Due]]
    context: Callable[[str], dict | None]  # None: no longer due


def _id(subject_key: str) -> int:
    return int(subject_key.split(":", 1)[1])


# --- Application window closing (members who started a draft) ----------------------------


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _application_closing(today: datetime.date, intervals: Intervals) -> Iterable[Due]:
    name = "application_closing_days"
    drafts = Application.objects.filter(
        status=Application.Status.DRAFT,
        program__status=Program.Status.OPEN,
        program__applications_close_on__gte=today,
        program__applications_close_on__lte=today + _days(intervals.widest(name)),
    ).values_list("pk", "applicant_id", "program_id", "program__applications_close_on")
    for pk, applicant_id, program_id, closes in drafts:
        due = closes - _days(intervals.days(program_id, name))
        yield Due(applicant_id, f"application:{pk}", due, program_id)


def _application_context(subject_key: str) -> dict | None:
    application = (
        Application.objects.select_related("program")
        .filter(pk=_id(subject_key), status=Application.Status.DRAFT)
        .first()
    )
    if application is None or not application.program.accepts_applications():
        return None
    return {
        "program": application.program,
        "url": reverse("intake:apply", args=[application.program.slug, application.role]),
    }


# --- Survey not submitted some days after acceptance ---------------------------------------


def _survey(today: datetime.date, intervals: Intervals) -> Iterable[Due]:
    name = "survey_after_days"
    cutoff = today - _days(intervals.narrowest(name))
    rows = (
        Participant.objects.filter(program__status__in=ACTIVE, joined_at__date__lte=cutoff)
        .filter(Q(survey__isnull=True) | Q(survey__status=Survey.Status.DRAFT))
        .values_list("pk", "user_id", "program_id", "joined_at")
    )
    for pk, user_id, program_id, joined in rows:
        due = joined.date() + _days(intervals.days(program_id, name))
        yield Due(user_id, f"survey:{pk}", due, program_id)


def _survey_context(subject_key: str) -> dict | None:
    participant = (
        Participant.objects.select_related("program")
        .filter(pk=_id(subject_key), program__status__in=ACTIVE)
        .filter(Q(survey__isnull=True) | Q(survey__status=Survey.Status.DRAFT))
        .first()
    )
    if participant is None:
        return None
    return {
        "program": participant.program,
        "url": reverse("surveys:mine", args=[participant.program.slug]),
    }


# --- Yearly mentor-profile refresh -----------------------------------------------------------


def _mentor_profile(today: datetime.date, intervals: Intervals) -> Iterable[Due]:
    # Stale means more than a year (MentorProfile.is_stale): due the day after.
    cutoff = today - datetime.timedelta(days=MENTOR_PROFILE_DAYS + 1)
    rows = MentorProfile.objects.filter(confirmed_at__date__lte=cutoff).values_list(
        "user_id", "confirmed_at"
    )
    for user_id, confirmed in rows:
        due = timezone.localdate(confirmed) + datetime.timedelta(days=MENTOR_PROFILE_DAYS + 1)
        if due <= today:
            yield Due(user_id, f"mentor_profile:{user_id}", due)


def _mentor_profile_context(subject_key: str) -> dict | None:
    profile = MentorProfile.objects.filter(user_id=_id(subject_key)).first()
    if profile is None or not profile.is_stale():
        return None
    return {"url": reverse("matching:my_mentor_profile")}


# --- Pairs: worksheet, meetings, records, actions, mid-point -----------------------------


def _keys(subject_key: str) -> list[str]:
    return subject_key.split(":")[1:]


def _live(prefix: str = "") -> Q:
    """Pairs are reminded while their match is active and their program not closed."""
    return Q(**{f"{prefix}status": Match.Status.ACTIVE}) & ~Q(
        **{f"{prefix}program__status": Program.Status.CLOSED}
    )


LIVE_PAIR = _live()
MEETING_LIVE = _live("match__") & Q(status=Meeting.Status.SCHEDULED)
PAIR_RELATED = ("program", "mentee__user", "mentor__user")


def _live_match(match_id: int) -> Match | None:
    return Match.objects.select_related(*PAIR_RELATED).filter(LIVE_PAIR, pk=match_id).first()


def _live_meeting(meeting_id: int) -> Meeting | None:
    related = [f"match__{name}" for name in PAIR_RELATED]
    return Meeting.objects.select_related(*related).filter(MEETING_LIVE, pk=meeting_id).first()


def _partner(match: Match, side: str):
    return (match.mentor if side == Side.MENTEE else match.mentee).user


def _worksheet_due(today: datetime.date, intervals: Intervals) -> Iterable[tuple]:
    """(match id, program id, due date, side, user id) of each party not agreed, due by today."""
    name = "worksheet_after_days"
    cutoff = today - _days(intervals.narrowest(name))
    not_agreed = (
        Q(worksheet__isnull=True)
        | Q(worksheet__mentee_agreed_at__isnull=True)
        | Q(worksheet__mentor_agreed_at__isnull=True)
    )
    rows = (
        Match.objects.filter(LIVE_PAIR, not_agreed, started_at__date__lte=cutoff)
        .filter(
            Q(program__orientation__isnull=True)
            | Q(program__orientation__starts_at__date__lte=cutoff)
        )
        .values_list(
            "pk",
            "program_id",
            "started_at",
            "program__orientation__starts_at",
            "mentee__user_id",
            "mentor__user_id",
            "worksheet__mentee_agreed_at",
            "worksheet__mentor_agreed_at",
        )
    )
    for pk, program_id, started, oriented, mentee, mentor, mentee_ok, mentor_ok in rows:
        due = worksheet_due_on(started, oriented, intervals.days(program_id, name))
        if due > today:
            continue
        for side, user_id, agreed in (
            (Side.MENTEE, mentee, mentee_ok),
            (Side.MENTOR, mentor, mentor_ok),
        ):
            if agreed is None:
                yield pk, program_id, due, side, user_id


def _worksheet(today: datetime.date, intervals: Intervals) -> Iterable[Due]:
    for pk, program_id, due, side, user_id in _worksheet_due(today, intervals):
        yield Due(user_id, f"worksheet:{pk}:{side}", due, program_id)


def _worksheet_context(subject_key: str) -> dict | None:
    match_id, side = _keys(subject_key)
    match = _live_match(int(match_id))
    if match is None:
        return None
    worksheet = Worksheet.objects.filter(match=match).first()
    if worksheet is not None and worksheet.agreed_at(side):
        return None
    return {
        "program": match.program,
        "partner": _partner(match, side),
        "started": worksheet is not None,
        "url": reverse("sessions:worksheet", args=[match.program.slug, match.pk]),
    }


def _meeting_tomorrow(today: datetime.date, intervals: Intervals) -> Iterable[Due]:
    tomorrow = today + datetime.timedelta(days=1)
    rows = Meeting.objects.filter(MEETING_LIVE, starts_at__date=tomorrow).values_list(
        "pk", "match__program_id", "match__mentee__user_id", "match__mentor__user_id"
    )
    for pk, program_id, *user_ids in rows:
        for user_id in user_ids:
            # The date is part of the key: a meeting moved to another day is reminded anew.
            yield Due(user_id, f"meeting:{pk}:{tomorrow.isoformat()}", today, program_id)


def _meeting_context(subject_key: str) -> dict | None:
    meeting_id, day = _keys(subject_key)
    meeting = _live_meeting(int(meeting_id))
    if meeting is None or meeting.has_started or meeting.local_date.isoformat() != day:
        return None
    return {
        "meeting": meeting,
        "match": meeting.match,
        "program": meeting.match.program,
        "url": meeting.get_absolute_url(),
        # Made in the recipient's language, as the invitations' (sessions.services).
        "attachments": [
            ("meeting.ics", lambda: ical.calendar([ical.meeting_event(meeting)]), ICS_TYPE)
        ],
    }


def _preparation(today: datetime.date, intervals: Intervals) -> Iterable[Due]:
    name = "preparation_before_days"
    rows = Meeting.objects.filter(
        MEETING_LIVE,
        preparation__isnull=True,
        starts_at__date__gt=today,
        starts_at__date__lte=today + _days(intervals.widest(name)),
    ).values_list("pk", "starts_at", "match__program_id", "match__mentee__user_id")
    for pk, starts, program_id, user_id in rows:
        due = timezone.localdate(starts) - _days(intervals.days(program_id, name))
        yield Due(user_id, f"preparation:{pk}", due, program_id)


def _preparation_context(subject_key: str) -> dict | None:
    meeting = _live_meeting(_id(subject_key))
    if meeting is None or meeting.has_started or hasattr(meeting, "preparation"):
        return None
    match = meeting.match
    return {
        "meeting": meeting,
        "match": match,
        "program": match.program,
        "url": reverse(
            "sessions:meeting_preparation", args=[match.program.slug, match.pk, meeting.pk]
        ),
    }


def _record(today: datetime.date, intervals: Intervals) -> Iterable[Due]:
    rows = (
        Meeting.objects.filter(
            MEETING_LIVE,
            starts_at__date__lt=today,
            starts_at__date__gte=today - datetime.timedelta(days=1 + CATCH_UP_DAYS),
        )
        .exclude(record__status=SessionRecord.Status.RECORDED)  # none yet, or a draft
        .values_list("pk", "starts_at", "match__program_id", "match__mentor__user_id")
    )
    for pk, starts, program_id, user_id in rows:
        due = timezone.localdate(starts) + datetime.timedelta(days=1)
        yield Due(user_id, f"record:{pk}", due, program_id)


def _record_context(subject_key: str) -> dict | None:
    meeting = _live_meeting(_id(subject_key))
    record = getattr(meeting, "record", None) if meeting is not None else None
    if meeting is None or (record is not None and record.is_recorded):
        return None
    match = meeting.match
    return {
        "meeting": meeting,
        "match": match,
        "program": match.program,
        "url": reverse("sessions:meeting_record", args=[match.program.slug, match.pk, meeting.pk]),
    }


def _action(today: datetime.date, intervals: Intervals) -> Iterable[Due]:
    rows = ActionItem.objects.filter(
        _live("match__"),
        status=ActionItem.Status.OPEN,
        due_on__lte=today,
        due_on__gte=today - datetime.timedelta(days=CATCH_UP_DAYS),
    ).values_list(
        "pk",
        "due_on",
        "owner",
        "match__program_id",
        "match__mentee__user_id",
        "match__mentor__user_id",
    )
    for pk, due, owner, program_id, mentee, mentor in rows:
        yield Due(mentee if owner == Side.MENTEE else mentor, f"action:{pk}", due, program_id)


def _action_context(subject_key: str) -> dict | None:
    action = (
        ActionItem.objects.select_related("match__program", "record__meeting")
        .filter(_live("match__"), pk=_id(subject_key), status=ActionItem.Status.OPEN)
        .first()
    )
    if action is None:
        return None
    return {
        "action": action,
        "program": action.match.program,
        "url": action.record.meeting.get_absolute_url(),
    }


def _midpoint(today: datetime.date, intervals: Intervals) -> Iterable[Due]:
    name = "midpoint_before_days"
    rows = Worksheet.objects.filter(
        _live("match__"),
        midpoint_on__gte=today,
        midpoint_on__lte=today + _days(intervals.widest(name)),
    ).values_list(
        "match_id",
        "midpoint_on",
        "match__program_id",
        "match__mentee__user_id",
        "match__mentor__user_id",
    )
    for match_id, midpoint, program_id, *user_ids in rows:
        due = midpoint - _days(intervals.days(program_id, name))
        for user_id in user_ids:
            yield Due(user_id, f"midpoint:{match_id}:{midpoint.isoformat()}", due, program_id)


def _midpoint_context(subject_key: str) -> dict | None:
    match_id, day = _keys(subject_key)
    match = _live_match(int(match_id))
    worksheet = Worksheet.objects.filter(match=match).first() if match else None
    if worksheet is None or worksheet.midpoint_on.isoformat() != day:
        return None
    if worksheet.midpoint_on < timezone.localdate():
        return None
    return {
        "program": match.program,
        "match": match,
        "midpoint": worksheet.midpoint_on,
        "url": reverse("sessions:timeline", args=[match.program.slug, match.pk]),
    }


# --- Close-out: feedback and the program evaluation ---------------------------------------

FEEDBACK_DUE = Q(status=Match.Status.ENDED, program__status__in=FEEDBACK_PROGRAMS) | Q(
    status=Match.Status.ACTIVE, program__status=Program.Status.CLOSING
)


def _feedback(today: datetime.date, intervals: Intervals) -> Iterable[Due]:
    submitted = set(
        Feedback.objects.filter(
            status=Feedback.Status.SUBMITTED, match__program__status__in=FEEDBACK_PROGRAMS
        ).values_list("match_id", "author_id")
    )
    # A closing program has no date of closing: the day the scan first saw it due is kept.
    seen = dict(
        Reminder.objects.filter(kind="feedback_due", program__status__in=FEEDBACK_PROGRAMS)
        .values_list("subject_key", "due_on")
        .order_by("subject_key", "-due_on")
    )
    rows = Match.objects.filter(FEEDBACK_DUE).values_list(
        "pk",
        "program_id",
        "status",
        "ended_at",
        "mentee_id",
        "mentee__user_id",
        "mentor_id",
        "mentor__user_id",
    )
    for pk, program_id, status, ended, *parties in rows:
        for participant_id, user_id in (parties[:2], parties[2:]):
            if (pk, participant_id) in submitted:
                continue
            key = f"feedback:{pk}:{participant_id}"
            if status == Match.Status.ENDED and ended is not None:
                due = min(timezone.localdate(ended), today)
            else:
                due = seen.get(key, today)
            yield Due(user_id, key, due, program_id)


def _feedback_context(subject_key: str) -> dict | None:
    match_id, participant_id = (int(k) for k in _keys(subject_key))
    match = Match.objects.select_related(*PAIR_RELATED).filter(FEEDBACK_DUE, pk=match_id).first()
    if match is None or participant_id not in (match.mentee_id, match.mentor_id):
        return None
    done = Feedback.objects.filter(
        match=match, author_id=participant_id, status=Feedback.Status.SUBMITTED
    )
    if done.exists():
        return None
    side = Side.MENTEE if participant_id == match.mentee_id else Side.MENTOR
    return {
        "program": match.program,
        "partner": _partner(match, side),
        "url": reverse("evaluation:feedback", args=[match.program.slug, match.pk]),
    }


def _evaluation(today: datetime.date, intervals: Intervals) -> Iterable[Due]:
    name = "evaluation_after_days"
    cutoff = today - _days(intervals.narrowest(name))
    rows = EvaluationRequest.objects.filter(
        responded=False,
        participant__program__evaluation_window__is_open=True,
        participant__program__evaluation_window__opened_at__date__lte=cutoff,
    ).values_list(
        "participant_id",
        "participant__user_id",
        "participant__program_id",
        "participant__program__evaluation_window__opened_at",
    )
    for participant_id, user_id, program_id, opened in rows:
        # Each opening of the window is its own due moment.
        due = timezone.localdate(opened) + _days(intervals.days(program_id, name))
        yield Due(user_id, f"evaluation:{participant_id}", due, program_id)


def _evaluation_context(subject_key: str) -> dict | None:
    request = (
        EvaluationRequest.objects.select_related("participant__program")
        .filter(
            participant_id=_id(subject_key),
            responded=False,
            participant__program__evaluation_window__is_open=True,
        )
        .first()
    )
    if request is None:
        return None
    program = request.participant.program
    return {"program": program, "url": reverse("evaluation:evaluate", args=[program.slug])}


# --- Weekly coordinator digest ------------------------------------------------------------------


def _per_program(rows) -> dict[int, int]:
    return dict(rows.order_by().values_list("program_id").annotate(n=Count("pk")))


def _digest_counts(
    program_ids, today: datetime.date | None = None, intervals: Intervals | None = None
) -> dict[int, dict[str, int]]:
    """Each count is one grouped query, never one join of everything (rows would multiply)."""
    today = today or timezone.localdate()
    programs = list(Program.objects.filter(pk__in=program_ids).values_list("pk", flat=True))
    intervals = intervals or Intervals.load(programs)
    waiting = _per_program(
        Application.objects.filter(program__in=programs, status=Application.Status.SUBMITTED)
    )
    surveys = _per_program(
        Participant.objects.filter(program__in=programs).filter(
            Q(survey__isnull=True) | Q(survey__status=Survey.Status.DRAFT)
        )
    )
    quiet: dict[int, int] = {}
    worksheets: dict[int, int] = {}
    for pair in pair_states(programs, today, intervals):
        quiet[pair.program_id] = quiet.get(pair.program_id, 0) + pair.quiet
        worksheets[pair.program_id] = worksheets.get(pair.program_id, 0) + pair.worksheet_overdue
    # Forms past their due date: session records (due the day after) and worksheets.
    records = (
        Meeting.objects.filter(
            MEETING_LIVE,
            match__program__in=programs,
            starts_at__date__lt=today - datetime.timedelta(days=1),
        )
        .exclude(record__status=SessionRecord.Status.RECORDED)
        .order_by()
        .values_list("match__program_id")
        .annotate(n=Count("pk"))
    )
    records = dict(records)
    return {
        pk: {
            "applications_waiting": waiting.get(pk, 0),
            "surveys_missing": surveys.get(pk, 0),
            "pairs_without_meeting": quiet.get(pk, 0),
            "records_missing": records.get(pk, 0),
            "worksheets_not_agreed": worksheets.get(pk, 0),
        }
        for pk in programs
    }


def _digest(today: datetime.date, intervals: Intervals) -> Iterable[Due]:
    monday = today - datetime.timedelta(days=today.weekday())
    programs = Program.objects.exclude(status__in=[Program.Status.DRAFT, Program.Status.CLOSED])
    counts = _digest_counts(programs.values("pk"), today, intervals)
    pairs = Program.coordinators.through.objects.filter(program__in=programs).values_list(
        "program_id", "user_id"
    )
    for program_id, user_id in pairs:
        if any(counts.get(program_id, {}).values()):
            yield Due(user_id, f"digest:{program_id}", monday, program_id)


def _digest_context(subject_key: str) -> dict | None:
    program = Program.objects.filter(pk=_id(subject_key)).first()
    if program is None:
        return None
    intervals = Intervals.load([program.pk])
    counts = _digest_counts([program.pk], intervals=intervals).get(program.pk, {})
    if not any(counts.values()):
        return None
    return {
        "program": program,
        "counts": counts,
        "no_meeting_days": intervals.days(program.pk, "no_meeting_days"),
        "url": program.get_absolute_url(),
    }


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            "application_closing",
            _("Application closing soon"),
            essential=False,
            find=_application_closing,
            context=_application_context,
        ),
        Kind("survey_due", _("Survey to fill in"), False, _survey, _survey_context),
        Kind(
            "mentor_profile_refresh",
            _("Mentor profile to check"),
            False,
            _mentor_profile,
            _mentor_profile_context,
        ),
        Kind(
            "worksheet_not_agreed",
            _("Planning worksheet to agree"),
            False,
            _worksheet,
            _worksheet_context,
        ),
        Kind("meeting_tomorrow", _("Meeting tomorrow"), False, _meeting_tomorrow, _meeting_context),
        Kind(
            "preparation_due",
            _("Meeting preparation to fill in"),
            False,
            _preparation,
            _preparation_context,
        ),
        Kind("record_due", _("Session record to write"), False, _record, _record_context),
        Kind("action_due", _("Agreed action due"), False, _action, _action_context),
        Kind(
            "midpoint_coming", _("Mid-point check-in coming"), False, _midpoint, _midpoint_context
        ),
        Kind("feedback_due", _("Feedback to give"), False, _feedback, _feedback_context),
        Kind(
            "evaluation_due",
            _("Program evaluation to fill in"),
            False,
            _evaluation,
            _evaluation_context,
        ),
        Kind("coordinator_digest", _("Weekly coordinator digest"), True, _digest, _digest_context),
    )
}


def due_by(
    day: datetime.date, intervals: Intervals, kinds: Iterable[str] | None = None
) -> Iterator[tuple[Kind, Due]]:
    """What the scan on `day` finds due (on that day or before): the one rule both for
    sending (`services.reminders_record_due`) and for showing what comes next
    (`selectors.due_next`)."""
    for key in KINDS if kinds is None else kinds:
        kind = KINDS[key]
        for due in kind.find(day, intervals):
            if due.due_on <= day:
                yield kind, due


# What comes next, for the reminders page. A scan on a later day finds all these kinds'
# earlier dues too (their window only grows with the day): one scan of the last day
# shows the whole period.
GROWING = ("survey_due", "worksheet_not_agreed", "evaluation_due")
# These look at a window around the day (tomorrow's meetings, last week's records...):
# each day of the period is scanned.
DAILY = (
    "application_closing",
    "meeting_tomorrow",
    "preparation_due",
    "record_due",
    "action_due",
    "midpoint_coming",
)
# Not shown as coming: the feedback falls due when a match ends or its program closes,
# which nothing today foretells; the mentor profile is no program's; the digest is the
# coordinators' own.


# --- Reminding everyone at once ---------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """One thing one participant still has to do, that a coordinator can remind them of."""

    participant_id: int
    recipient_id: int
    name: str
    subject_key: str
    detail: str  # what is missing, in the coordinator's words


def _survey_pending(program: Program, today: datetime.date) -> list[Pending]:
    """Everyone of the program without a submitted survey (the dashboard's "Surveys missing")."""
    if program.status not in ACTIVE:
        return []
    rows = (
        Participant.objects.filter(program=program)
        .exclude(survey__status=Survey.Status.SUBMITTED)
        .values_list("pk", "user_id", "user__name", "survey__status")
        .order_by("user__name", "pk")
    )
    return [
        Pending(
            pk,
            user_id,
            name,
            f"survey:{pk}",
            gettext("Survey in progress") if status else gettext("Survey not started"),
        )
        for pk, user_id, name, status in rows
    ]


def _worksheet_pending(program: Program, today: datetime.date) -> list[Pending]:
    """Each side of a pair whose worksheet is overdue (the dashboard's "Worksheets not
    agreed"), found by the very rule the automatic reminder uses."""
    due = [
        row for row in _worksheet_due(today, Intervals.load([program.pk])) if row[1] == program.pk
    ]
    matches = {
        match.pk: match
        for match in Match.objects.filter(pk__in={row[0] for row in due}).select_related(
            "mentee__user", "mentor__user"
        )
    }
    found = []
    for match_id, _program_id, _due, side, _user_id in due:
        match = matches[match_id]
        me, partner = (
            (match.mentee, match.mentor) if side == Side.MENTEE else (match.mentor, match.mentee)
        )
        found.append(
            Pending(
                me.pk,
                me.user_id,
                me.user.name,
                f"worksheet:{match_id}:{side}",
                gettext("Worksheet with %(partner)s") % {"partner": partner.user.name},
            )
        )
    return sorted(found, key=lambda item: (item.name, item.subject_key))


def _record_pending(program: Program, today: datetime.date) -> list[Pending]:
    """Each meeting held before today whose mentor has not written its record."""
    rows = (
        Meeting.objects.filter(MEETING_LIVE, match__program=program, starts_at__date__lt=today)
        .exclude(record__status=SessionRecord.Status.RECORDED)
        .values_list(
            "pk",
            "starts_at",
            "match__mentor_id",
            "match__mentor__user_id",
            "match__mentor__user__name",
            "match__mentee__user__name",
        )
        .order_by("match__mentor__user__name", "starts_at", "pk")
    )
    return [
        Pending(
            mentor_id,
            user_id,
            name,
            f"record:{pk}",
            gettext("Record of the meeting of %(day)s with %(mentee)s")
            % {
                "day": format_date(timezone.localdate(starts), "SHORT_DATE_FORMAT"),
                "mentee": mentee,
            },
        )
        for pk, starts, mentor_id, user_id, name, mentee in rows
    ]


@dataclass(frozen=True)
class Bulk:
    """A kind a coordinator can send to everyone concerned at once."""

    kind: str
    title: Promise  # the preview's heading
    pending: Callable[[Program, datetime.date], list[Pending]]


BULK: dict[str, Bulk] = {
    bulk.kind: bulk
    for bulk in (
        Bulk("survey_due", _("Remind everyone missing a survey"), _survey_pending),
        Bulk(
            "worksheet_not_agreed",
            _("Remind everyone whose worksheet is not agreed"),
            _worksheet_pending,
        ),
        Bulk("record_due", _("Remind mentors of the records to write"), _record_pending),
    )
}


def one_each(items: Iterable[Pending]) -> list[tuple[Pending, int]]:
    """Each person's first item and how many more they have: one e-mail per person."""
    first: dict[int, Pending] = {}
    more: dict[int, int] = {}
    for item in items:
        if item.participant_id in first:
            more[item.participant_id] += 1
        else:
            first[item.participant_id] = item
            more[item.participant_id] = 0
    return [(item, more[pk]) for pk, item in first.items()]
