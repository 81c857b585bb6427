"""What is due, kind by kind, read from the database state.

A kind answers one question: which reminders do the scans of the days `first` to `last`
find due? Most kinds answer it with one range query of candidates (`Kind.candidates`, all
of them in one shape, so every kind's candidates run as a single UNION ALL) and a rule
in Python that gives each candidate its due date and the last day a scan still sends it
(`Kind.expand`). The daily scan asks for one day (`due_by`); the reminders page asks for
the next fortnight (`found_between`) with the same definitions, so what it shows is what
the scans send. A kind can tell at send time whether its subject is still due (a survey
submitted since the scan is not reminded).
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Expression,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast
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
from sessions.models import ActionItem, FitCheck, Meeting, SessionRecord, Side, Worksheet
from sessions.selectors import (
    FIT_CHECK_PROGRAMS_OVER,
    FIT_CHECK_SIDES,
    due_fit_check,
    fit_check_columns,
    fit_check_opens_on,
    local_midnight,
    pair_states,
    with_fit_check_columns,
    worksheet_due_on,
)
from sessions.services import meeting_invitation
from surveys.models import Survey

from .intervals import Intervals
from .models import Reminder, ReminderSettings

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


# One candidate row, whatever the kind: (kind key, subject id, program id, a moment,
# a second moment, a day, a recipient, a second recipient); what a kind does not use is NULL.
Row = tuple[
    str,
    int,
    int | None,
    datetime.datetime | None,
    datetime.datetime | None,
    datetime.date | None,
    int | None,
    int | None,
]
# A due reminder and the last day a scan still sends it (None: every later scan does).
Found = tuple[Due, datetime.date | None]


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    essential: bool  # essential ones are sent even to members who turned reminders off
    context: Callable[[str], dict | None]  # None: no longer due
    # Range kinds: the candidates the scans of [first, last] may find, in the Row shape...
    candidates: Callable[[datetime.date, datetime.date, Intervals], QuerySet] | None = None
    # ...and each candidate's reminders with their last sending day.
    expand: Callable[[Row, Intervals], Iterable[Found]] | None = None
    # The lookup to a candidate's program (None: not a program's, e.g. the mentor profile).
    program_field: str | None = None
    # Day kinds (the feedback, the digest): what the scan of one day finds, due by then.
    # Nothing today foretells them, so they are not shown as coming.
    find: Callable[[datetime.date, Intervals], Iterable[Due]] | None = None

    @property
    def foretold(self) -> bool:
        """Shown on a program's reminders page as coming: a program's range kind."""
        return self.candidates is not None and self.program_field is not None


def _id(subject_key: str) -> int:
    return int(subject_key.split(":", 1)[1])


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# Days are compared as ranges of moments, never with `__date`: a range uses the column's
# index, where `__date` converts every row (on SQLite, a Python call per row).
def _day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the current time zone (what `__date` compares in)."""
    return local_midnight(day)


def _day_after(day: datetime.date) -> datetime.datetime:
    """The first moment after `day`: `moment < _day_after(d)` is `moment.date() <= d`."""
    return local_midnight(day + _days(1))


# Typed NULLs: PostgreSQL types a UNION's columns branch by branch, and two untyped NULLs
# make a text column no timestamp can join.
NO_MOMENT = Cast(Value(None), output_field=DateTimeField())
NO_DAY = Cast(Value(None), output_field=DateField())
NOBODY = Cast(Value(None), output_field=IntegerField())


def _column(value, empty: Expression) -> Expression:
    if value is None:
        return empty
    return F(value) if isinstance(value, str) else value


def _shape(
    rows: QuerySet,
    key: str,
    *,
    pk: str,
    program: str | None,
    user: str | Expression,
    other_user: str | Expression | None = None,
    moment: str | None = None,
    other_moment: str | None = None,
    day: str | None = None,
) -> QuerySet:
    """The candidates as Rows: every kind's have the same columns, so they can be UNIONed."""
    columns = {
        "r_kind": Value(key, output_field=CharField()),
        "r_pk": F(pk),
        "r_program": _column(program, NOBODY),
        "r_moment": _column(moment, NO_MOMENT),
        "r_other_moment": _column(other_moment, NO_MOMENT),
        "r_day": _column(day, NO_DAY),
        "r_user": _column(user, NOBODY),
        "r_other_user": _column(other_user, NOBODY),
    }
    return rows.order_by().annotate(**columns).values_list(*columns)


# --- Application window closing (members who started a draft) ----------------------------


def _application_candidates(
    first: datetime.date, last: datetime.date, intervals: Intervals
) -> QuerySet:
    widest = intervals.widest("application_closing_days")
    drafts = Application.objects.filter(
        status=Application.Status.DRAFT,
        program__status=Program.Status.OPEN,
        program__applications_close_on__gte=first,
        program__applications_close_on__lte=last + _days(widest),
    )
    return _shape(
        drafts,
        "application_closing",
        pk="pk",
        program="program_id",
        day="program__applications_close_on",
        user="applicant_id",
    )


def _application_expand(row: Row, intervals: Intervals) -> Iterable[Found]:
    _key, pk, program_id, _at, _at2, closes, applicant_id, _other = row
    due = closes - _days(intervals.days(program_id, "application_closing_days"))
    yield Due(applicant_id, f"application:{pk}", due, program_id), closes


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


def _survey_candidates(first: datetime.date, last: datetime.date, intervals: Intervals) -> QuerySet:
    cutoff = last - _days(intervals.narrowest("survey_after_days"))
    rows = Participant.objects.filter(
        program__status__in=ACTIVE, joined_at__lt=_day_after(cutoff)
    ).filter(Q(survey__isnull=True) | Q(survey__status=Survey.Status.DRAFT))
    return _shape(
        rows, "survey_due", pk="pk", program="program_id", moment="joined_at", user="user_id"
    )


def _survey_expand(row: Row, intervals: Intervals) -> Iterable[Found]:
    _key, pk, program_id, joined, _at2, _day, user_id, _other = row
    due = joined.date() + _days(intervals.days(program_id, "survey_after_days"))
    yield Due(user_id, f"survey:{pk}", due, program_id), None


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


def _mentor_profile_candidates(
    first: datetime.date, last: datetime.date, intervals: Intervals
) -> QuerySet:
    # Stale means more than a year (MentorProfile.is_stale): due the day after.
    cutoff = last - _days(MENTOR_PROFILE_DAYS + 1)
    rows = MentorProfile.objects.filter(confirmed_at__lt=_day_after(cutoff))
    return _shape(
        rows,
        "mentor_profile_refresh",
        pk="user_id",
        program=None,
        moment="confirmed_at",
        user="user_id",
    )


def _mentor_profile_expand(row: Row, intervals: Intervals) -> Iterable[Found]:
    _key, user_id, _program, confirmed, _at2, _day, _user, _other = row
    due = timezone.localdate(confirmed) + _days(MENTOR_PROFILE_DAYS + 1)
    yield Due(user_id, f"mentor_profile:{user_id}", due), None


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


def _not_agreed_by(side: str) -> Case:
    """The side's member while they have not agreed to the worksheet (or there is none)."""
    return Case(
        When(**{f"worksheet__{side}_agreed_at__isnull": True}, then=F(f"{side}__user_id")),
        default=NOBODY,
    )


def _worksheet_candidates(
    first: datetime.date, last: datetime.date, intervals: Intervals
) -> QuerySet:
    cutoff = last - _days(intervals.narrowest("worksheet_after_days"))
    not_agreed = (
        Q(worksheet__isnull=True)
        | Q(worksheet__mentee_agreed_at__isnull=True)
        | Q(worksheet__mentor_agreed_at__isnull=True)
    )
    rows = Match.objects.filter(LIVE_PAIR, not_agreed, started_at__lt=_day_after(cutoff)).filter(
        Q(program__orientation__isnull=True)
        | Q(program__orientation__starts_at__lt=_day_after(cutoff))
    )
    return _shape(
        rows,
        "worksheet_not_agreed",
        pk="pk",
        program="program_id",
        moment="started_at",
        other_moment="program__orientation__starts_at",
        user=_not_agreed_by(Side.MENTEE),
        other_user=_not_agreed_by(Side.MENTOR),
    )


def _worksheet_expand(row: Row, intervals: Intervals) -> Iterable[Found]:
    """Each side not agreed, from the day the worksheet should have been agreed."""
    _key, pk, program_id, started, oriented, _day, mentee, mentor = row
    due = worksheet_due_on(started, oriented, intervals.days(program_id, "worksheet_after_days"))
    for side, user_id in ((Side.MENTEE, mentee), (Side.MENTOR, mentor)):
        if user_id is not None:
            yield Due(user_id, f"worksheet:{pk}:{side}", due, program_id), None


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


def _meeting_candidates(
    first: datetime.date, last: datetime.date, intervals: Intervals
) -> QuerySet:
    rows = Meeting.objects.filter(
        MEETING_LIVE,
        starts_at__gte=_day_start(first + _days(1)),
        starts_at__lt=_day_after(last + _days(1)),
    )
    return _shape(
        rows,
        "meeting_tomorrow",
        pk="pk",
        program="match__program_id",
        moment="starts_at",
        user="match__mentee__user_id",
        other_user="match__mentor__user_id",
    )


def _meeting_expand(row: Row, intervals: Intervals) -> Iterable[Found]:
    """Both partners, the day before the meeting (and only that day)."""
    _key, pk, program_id, starts, _at2, _day, mentee, mentor = row
    day = timezone.localdate(starts)
    eve = day - _days(1)
    for user_id in (mentee, mentor):
        # The date is part of the key: a meeting moved to another day is reminded anew.
        yield Due(user_id, f"meeting:{pk}:{day.isoformat()}", eve, program_id), eve


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
        # The invitation itself (same UID and SEQUENCE), in the recipient's language: a
        # PUBLISH copy would be a second "add to calendar" beside the invitation's event.
        "attachments": [meeting_invitation(meeting)],
    }


def _preparation_candidates(
    first: datetime.date, last: datetime.date, intervals: Intervals
) -> QuerySet:
    rows = Meeting.objects.filter(
        MEETING_LIVE,
        preparation__isnull=True,
        starts_at__gte=_day_after(first),
        starts_at__lt=_day_after(last + _days(intervals.widest("preparation_before_days"))),
    )
    return _shape(
        rows,
        "preparation_due",
        pk="pk",
        program="match__program_id",
        moment="starts_at",
        user="match__mentee__user_id",
    )


def _preparation_expand(row: Row, intervals: Intervals) -> Iterable[Found]:
    """The mentee, from some days before the meeting until the day before it."""
    _key, pk, program_id, starts, _at2, _day, user_id, _other = row
    day = timezone.localdate(starts)
    due = day - _days(intervals.days(program_id, "preparation_before_days"))
    yield Due(user_id, f"preparation:{pk}", due, program_id), day - _days(1)


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


def _record_candidates(first: datetime.date, last: datetime.date, intervals: Intervals) -> QuerySet:
    rows = Meeting.objects.filter(
        MEETING_LIVE,
        starts_at__lt=_day_start(last),
        starts_at__gte=_day_start(first - _days(1 + CATCH_UP_DAYS)),
    ).exclude(record__status=SessionRecord.Status.RECORDED)  # none yet, or a draft
    return _shape(
        rows,
        "record_due",
        pk="pk",
        program="match__program_id",
        moment="starts_at",
        user="match__mentor__user_id",
    )


def _record_expand(row: Row, intervals: Intervals) -> Iterable[Found]:
    """The mentor, the day after the meeting, or up to CATCH_UP_DAYS later."""
    _key, pk, program_id, starts, _at2, _day, user_id, _other = row
    due = timezone.localdate(starts) + _days(1)
    yield Due(user_id, f"record:{pk}", due, program_id), due + _days(CATCH_UP_DAYS)


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


def _action_candidates(first: datetime.date, last: datetime.date, intervals: Intervals) -> QuerySet:
    rows = ActionItem.objects.filter(
        _live("match__"),
        status=ActionItem.Status.OPEN,
        due_on__lte=last,
        due_on__gte=first - _days(CATCH_UP_DAYS),
    )
    owner = Case(
        When(owner=Side.MENTEE, then=F("match__mentee__user_id")),
        default=F("match__mentor__user_id"),
    )
    return _shape(
        rows, "action_due", pk="pk", program="match__program_id", day="due_on", user=owner
    )


def _action_expand(row: Row, intervals: Intervals) -> Iterable[Found]:
    """Its owner, on its due date, or up to CATCH_UP_DAYS later."""
    _key, pk, program_id, _at, _at2, due, user_id, _other = row
    yield Due(user_id, f"action:{pk}", due, program_id), due + _days(CATCH_UP_DAYS)


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


def _midpoint_candidates(
    first: datetime.date, last: datetime.date, intervals: Intervals
) -> QuerySet:
    rows = Worksheet.objects.filter(
        _live("match__"),
        midpoint_on__gte=first,
        midpoint_on__lte=last + _days(intervals.widest("midpoint_before_days")),
    )
    return _shape(
        rows,
        "midpoint_coming",
        pk="match_id",
        program="match__program_id",
        day="midpoint_on",
        user="match__mentee__user_id",
        other_user="match__mentor__user_id",
    )


def _midpoint_expand(row: Row, intervals: Intervals) -> Iterable[Found]:
    """Both partners, from some days before the mid-point until its day."""
    _key, match_id, program_id, _at, _at2, midpoint, mentee, mentor = row
    due = midpoint - _days(intervals.days(program_id, "midpoint_before_days"))
    for user_id in (mentee, mentor):
        yield Due(user_id, f"midpoint:{match_id}:{midpoint.isoformat()}", due, program_id), midpoint


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


def _evaluation_candidates(
    first: datetime.date, last: datetime.date, intervals: Intervals
) -> QuerySet:
    cutoff = last - _days(intervals.narrowest("evaluation_after_days"))
    rows = EvaluationRequest.objects.filter(
        responded=False,
        participant__program__evaluation_window__is_open=True,
        participant__program__evaluation_window__opened_at__lt=_day_after(cutoff),
    )
    return _shape(
        rows,
        "evaluation_due",
        pk="participant_id",
        program="participant__program_id",
        moment="participant__program__evaluation_window__opened_at",
        user="participant__user_id",
    )


def _evaluation_expand(row: Row, intervals: Intervals) -> Iterable[Found]:
    _key, participant_id, program_id, opened, _at2, _day, user_id, _other = row
    # Each opening of the window is its own due moment.
    due = timezone.localdate(opened) + _days(intervals.days(program_id, "evaluation_after_days"))
    yield Due(user_id, f"evaluation:{participant_id}", due, program_id), None


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


# --- Fit check: "How is the match going?" (one e-mail per side and stage) -----------------
#
# The rule is the fit check's own (`sessions.selectors.due_fit_check`), read as the pages read
# it: a day kind, found by each day's scan. The first question waits for a record being
# written, which nothing foretells, so the kind is not shown as coming. Once per side and
# stage is the database's: a partial unique constraint on (kind, subject) for this kind
# (reminders.models.Reminder), so a moved mid-point or a scan run twice or concurrently
# records no second reminder.

FIT_CHECK = "fit_check_due"


def _fit_check_key(match_id: int, side: str, stage: str) -> str:
    return f"fit_check:{match_id}:{side}:{stage}"


def _fit_check_opened_on(match: Match, stage: str, today: datetime.date) -> datetime.date:
    """The day the question opened: the first recorded meeting's, or the mid-point window's."""
    if stage == FitCheck.Stage.MIDPOINT:
        opened = fit_check_opens_on(match.fit_midpoint_on)
    else:
        opened = timezone.localdate(match.first_recorded_at)
    return min(opened, today)


def _fit_check(today: datetime.date, intervals: Intervals) -> Iterable[Due]:
    """Each side of each pair whose fit-check question is open and unanswered (one query)."""
    # Ended pairs and programs past running are never asked: left out of the query (the
    # rule, applied to every row, still decides).
    matches = (
        Match.objects.filter(status=Match.Status.ACTIVE)
        .exclude(program__status__in=FIT_CHECK_PROGRAMS_OVER)
        .select_related("program")
        .annotate(
            **fit_check_columns(),
            fit_mentee_user=F("mentee__user_id"),
            fit_mentor_user=F("mentor__user_id"),
        )
        .order_by("pk")
    )
    for match in matches:
        for side, user_id in (
            (Side.MENTEE, match.fit_mentee_user),
            (Side.MENTOR, match.fit_mentor_user),
        ):
            stage = due_fit_check(match, side, today)
            if stage is not None:
                key = _fit_check_key(match.pk, side, stage)
                yield Due(user_id, key, _fit_check_opened_on(match, stage, today), match.program_id)


def _fit_check_context(subject_key: str) -> dict | None:
    """Still asked of that side at that stage, or None (answered, ended, moved on). Nothing of
    the partner's answer: only their name, as the question's page shows it."""
    match_id, side, stage = _keys(subject_key)
    if side not in FIT_CHECK_SIDES:
        return None
    try:
        match = with_fit_check_columns(Match(pk=int(match_id)))
    except Match.DoesNotExist:
        return None
    if due_fit_check(match, side, timezone.localdate()) != stage:
        return None
    return {
        "program": match.program,
        "partner": _partner(match, side),
        "stage": stage,
        "url": reverse("sessions:fit_check", args=[match.program.slug, match.pk, stage]),
    }


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
            starts_at__lt=_day_start(today - datetime.timedelta(days=1)),
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


def _range_kind(
    key: str, label: Promise, program_field: str | None, candidates, expand, context
) -> Kind:
    """A kind whose rule is a range query and its expansion (none of them essential)."""
    return Kind(
        key,
        label,
        essential=False,
        context=context,
        candidates=candidates,
        expand=expand,
        program_field=program_field,
    )


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        _range_kind(
            "application_closing",
            _("Application closing soon"),
            "program_id",
            _application_candidates,
            _application_expand,
            _application_context,
        ),
        _range_kind(
            "survey_due",
            _("Survey to fill in"),
            "program_id",
            _survey_candidates,
            _survey_expand,
            _survey_context,
        ),
        _range_kind(
            "mentor_profile_refresh",
            _("Mentor profile to check"),
            None,
            _mentor_profile_candidates,
            _mentor_profile_expand,
            _mentor_profile_context,
        ),
        _range_kind(
            "worksheet_not_agreed",
            _("Planning worksheet to agree to"),
            "program_id",
            _worksheet_candidates,
            _worksheet_expand,
            _worksheet_context,
        ),
        _range_kind(
            "meeting_tomorrow",
            _("Meeting tomorrow"),
            "match__program_id",
            _meeting_candidates,
            _meeting_expand,
            _meeting_context,
        ),
        _range_kind(
            "preparation_due",
            _("Meeting preparation to fill in"),
            "match__program_id",
            _preparation_candidates,
            _preparation_expand,
            _preparation_context,
        ),
        _range_kind(
            "record_due",
            _("Session record to write"),
            "match__program_id",
            _record_candidates,
            _record_expand,
            _record_context,
        ),
        _range_kind(
            "action_due",
            _("Agreed action due"),
            "match__program_id",
            _action_candidates,
            _action_expand,
            _action_context,
        ),
        _range_kind(
            "midpoint_coming",
            _("Mid-point check-in coming"),
            "match__program_id",
            _midpoint_candidates,
            _midpoint_expand,
            _midpoint_context,
        ),
        Kind(
            FIT_CHECK,
            _("How is the match going?"),
            essential=False,
            context=_fit_check_context,
            find=_fit_check,
        ),
        Kind(
            "feedback_due",
            _("Feedback to give"),
            essential=False,
            context=_feedback_context,
            find=_feedback,
        ),
        _range_kind(
            "evaluation_due",
            _("Program evaluation to fill in"),
            "participant__program_id",
            _evaluation_candidates,
            _evaluation_expand,
            _evaluation_context,
        ),
        Kind(
            "coordinator_digest",
            _("Weekly coordinator digest"),
            essential=True,
            context=_digest_context,
            find=_digest,
        ),
    )
}


# The candidates' UNION, built by the ORM (its slowest part: ~50 lookups and joins resolved),
# kept per process by what its SQL depends on: the days, the kinds, the program, the
# intervals' windows and the time zone (`_day_start`). The query is kept, never its rows:
# each use runs a fresh copy, so a write shows at once.
_UNIONS: dict[tuple, QuerySet | None] = {}
_UNIONS_KEPT = 64


def _windows(intervals: Intervals) -> tuple:
    """All the candidate queries read of the intervals: each one's widest and narrowest."""
    return tuple(
        (name, intervals.widest(name), intervals.narrowest(name))
        for name in ReminderSettings.INTERVALS
    )


def _candidates(
    first: datetime.date,
    last: datetime.date,
    intervals: Intervals,
    kinds: tuple[str, ...],
    program_id: int | None,
) -> QuerySet | None:
    """The chosen range kinds' candidates as one UNION ALL query (None: no range kind)."""
    key = (
        first,
        last,
        kinds,
        program_id,
        _windows(intervals),
        timezone.get_current_timezone_name(),
    )
    if key in _UNIONS:
        return _UNIONS[key]
    branches = []
    for kind in (KINDS[name] for name in kinds):
        if kind.candidates is None:
            continue
        rows = kind.candidates(first, last, intervals)
        if program_id is not None:
            if kind.program_field is None:
                continue
            rows = rows.filter(**{kind.program_field: program_id})
        branches.append(rows)
    # The first branch's model ordering would apply to the whole union: none is wanted.
    union = branches[0].union(*branches[1:], all=True).order_by() if branches else None
    if len(_UNIONS) >= _UNIONS_KEPT:
        _UNIONS.clear()
    _UNIONS[key] = union
    return union


# Each kept union's SQL as the ORM compiled it (with its compiler, for the columns'
# converters), by the union and the database: compiling the UNION of every kind took
# ~2.7 ms a "due next" preview, running it less. Kept and cleared with _UNIONS.
_COMPILED: dict[tuple[int, str], tuple] = {}


def _run(union: QuerySet) -> list[tuple]:
    """The union's rows, fresh from the database, its SQL compiled once per process."""
    connection = connections[union.db]
    key = (id(union), connection.alias)
    if key not in _COMPILED:
        if len(_COMPILED) >= _UNIONS_KEPT:
            _COMPILED.clear()
        compiler = union.all().query.get_compiler(connection=connection)  # a copy compiled
        sql, params = compiler.as_sql()
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        # The union is held with its SQL so that its id is never another query's.
        _COMPILED[key] = (union, sql, tuple(params), compiler, compiler.get_converters(fields))
    _union, sql, params, compiler, converters = _COMPILED[key]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        rows = compiler.apply_converters(rows, converters)
    return [tuple(row) for row in rows]


def found_between(
    first: datetime.date,
    last: datetime.date,
    intervals: Intervals,
    *,
    kinds: Iterable[str] | None = None,
    program_id: int | None = None,
) -> Iterator[tuple[Kind, Due]]:
    """Every reminder that the scan of at least one day from `first` to `last` finds due,
    on the data as it is now: due by `last`, and still sent on or after `first`.

    One query for every range kind at once (their candidates UNION ALL), whatever the
    number of days or people. Day kinds (feedback, digest) only answer for one day.
    `program_id` keeps one program's reminders (and leaves out the mentor profile, no
    program's).
    """
    chosen = {key: KINDS[key] for key in (KINDS if kinds is None else kinds)}
    union = _candidates(first, last, intervals, tuple(chosen), program_id)
    rows = _run(union) if union is not None else ()  # run now, its rows never kept
    for row in rows:
        kind = chosen[row[0]]
        for due, until in kind.expand(row, intervals):
            sent = due.due_on <= last and (until is None or first <= until)
            if sent and (program_id is None or due.program_id == program_id):
                yield kind, due
    if first != last:
        return
    for kind in chosen.values():
        if kind.find is None:
            continue
        for due in kind.find(last, intervals):
            if due.due_on <= last and (program_id is None or due.program_id == program_id):
                yield kind, due


def due_by(
    day: datetime.date, intervals: Intervals, kinds: Iterable[str] | None = None
) -> Iterator[tuple[Kind, Due]]:
    """What the scan on `day` finds due (on that day or before): the one rule both for
    sending (`services.reminders_record_due`) and, over a range of days, for showing what
    comes next (`selectors.due_next`)."""
    return found_between(day, day, intervals, kinds=kinds)


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
        due
        for _kind, due in found_between(
            today,
            today,
            Intervals.load([program.pk]),
            kinds=["worksheet_not_agreed"],
            program_id=program.pk,
        )
    ]
    sides = [(int(match_id), side) for match_id, side in (_keys(d.subject_key) for d in due)]
    matches = {
        match.pk: match
        for match in Match.objects.filter(
            pk__in={match_id for match_id, _side in sides}
        ).select_related("mentee__user", "mentor__user")
    }
    found = []
    for match_id, side in sides:
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
        Meeting.objects.filter(
            MEETING_LIVE, match__program=program, starts_at__lt=_day_start(today)
        )
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
            _("Remind everyone whose worksheet is not agreed to"),
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
