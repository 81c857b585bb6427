"""Writes on orientations, group sessions, worksheets, goals, meetings, preparations,
records, actions and calendar feeds.

Every write checks the pair is still active, repeats the forms' rules (`*_problems`,
which the forms call too, so errors show next to their fields) and is safe to submit
twice: a second identical submission changes and creates nothing.
"""

import datetime
import secrets
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import User
from core.concurrency import Loaded, values_of
from core.dates import format_date
from core.mail import mail_batch, mail_member
from matching import services as matching_services
from matching.models import Match
from programs.funnel import funnel_changed
from programs.models import Participant, Program

from . import ical
from .appendices import default_agenda, default_key
from .models import (
    MAX_DURATION_MINUTES,
    MAX_TRAVEL_MINUTES,
    ActionItem,
    AgendaItem,
    CalendarFeed,
    FitCheck,
    Gathering,
    Goal,
    GroupSession,
    Meeting,
    Orientation,
    Preparation,
    SessionRecord,
    Side,
    Worksheet,
)
from .selectors import (
    coming_gatherings,
    due_fit_check,
    gathering_values,
    group_session_audience,
    is_invited,
    lost_time_phase,
    record_values,
    with_fit_check_columns,
    worksheet_values,
)

# What moves an event in a calendar; other changes do not send a new invitation.
TIME_AND_PLACE = ("starts_at", "duration_minutes", "location", "video_link")
TRAVEL_FIELDS = ("mentee_travel_minutes", "mentor_travel_minutes")
MEETING_FIELDS = (*TIME_AND_PLACE, "mode", "caller", *TRAVEL_FIELDS)
_MEETING_NUMBERS = ("duration_minutes", *TRAVEL_FIELDS)
GATHERING_FIELDS = (*TIME_AND_PLACE, "child_care", "food", "accessibility_notes")
GROUP_SESSION_FIELDS = (
    *GATHERING_FIELDS,
    "kind",
    "audience",
    "title",
    "description",
    "rotation_note",
)
PREPARATION_FIELDS = Preparation.QUESTIONS
RECORD_FIELDS = SessionRecord.QUESTIONS


# --- Shared rules ------------------------------------------------------------------------


def _day(value: datetime.date) -> str:
    return format_date(value)


def program_date_problem(program: Program, day: datetime.date) -> str:
    """Why a date cannot hold a program event, or "" when it can."""
    starts, ends = program.starts_on, program.ends_on
    if starts and ends and not starts <= day <= ends:
        return _(
            "%(date)s is outside the program, which runs from %(start)s to %(end)s. Choose a "
            "date within it."
        ) % {"date": _day(day), "start": _day(starts), "end": _day(ends)}
    if starts and day < starts:
        return _("%(date)s is before the program starts on %(start)s.") % {
            "date": _day(day),
            "start": _day(starts),
        }
    if ends and day > ends:
        return _("%(date)s is after the program ends on %(end)s.") % {
            "date": _day(day),
            "end": _day(ends),
        }
    return ""


def duration_problem(minutes: int | None) -> str:
    if minutes is None:
        return ""
    if minutes <= 0:
        return _("The duration must be more than 0 minutes: it cannot end before it starts.")
    if minutes > MAX_DURATION_MINUTES:
        return _("It can last at most 8 hours (%(max)d minutes).") % {"max": MAX_DURATION_MINUTES}
    return ""


def event_problems(
    *, program: Program, starts_at: datetime.datetime | None, duration_minutes: int | None
) -> dict[str, list[str]]:
    """Problems with an event's time, keyed by the form fields they belong to."""
    problems: dict[str, list[str]] = {}
    if starts_at is not None:
        problem = program_date_problem(program, timezone.localtime(starts_at).date())
        if problem:
            problems["date"] = [problem]
    problem = duration_problem(duration_minutes)
    if problem:
        problems["duration_minutes"] = [problem]
    return problems


def meeting_problems(*, match: Match, data: dict) -> dict[str, list[str]]:
    problems = event_problems(
        program=match.program,
        starts_at=data.get("starts_at"),
        duration_minutes=data.get("duration_minutes"),
    )
    mode = data.get("mode")
    if mode == Meeting.Mode.IN_PERSON and not data.get("location"):
        problems["location"] = [_("Give the place of an in-person meeting.")]
    if mode == Meeting.Mode.VIDEO and not data.get("video_link"):
        problems["video_link"] = [_("Give the link of a video meeting.")]
    if mode == Meeting.Mode.PHONE and not data.get("caller"):
        problems["caller"] = [_("Say who calls whom for a phone meeting.")]
    for field in TRAVEL_FIELDS:
        minutes = data.get(field)
        if (
            mode == Meeting.Mode.IN_PERSON
            and minutes is not None
            and not (0 <= minutes <= MAX_TRAVEL_MINUTES)
        ):
            problems[field] = [
                _("Travel time is from 0 to %(max)d minutes (8 hours), one way.")
                % {"max": MAX_TRAVEL_MINUTES}
            ]
    return problems


def _meeting_data(data: dict) -> dict:
    """The meeting's fields as saved: "" for an empty text, None for an empty number, and
    no travel time unless the pair meets in person (0 minutes is no travel to plan for)."""
    values = {f: data.get(f) or (None if f in _MEETING_NUMBERS else "") for f in MEETING_FIELDS}
    if values["mode"] != Meeting.Mode.IN_PERSON:
        values.update(dict.fromkeys(TRAVEL_FIELDS))
    return values


def gathering_problems(*, program: Program, data: dict) -> dict[str, list[str]]:
    problems = event_problems(
        program=program,
        starts_at=data.get("starts_at"),
        duration_minutes=data.get("duration_minutes"),
    )
    if not data.get("location") and not data.get("video_link"):
        problems["location"] = [_("Give a place, a video link, or both.")]
    return problems


def group_session_problems(*, program: Program, data: dict) -> dict[str, list[str]]:
    problems = gathering_problems(program=program, data=data)
    if (
        program.format == Program.Format.PEER
        and data.get("audience") == GroupSession.Audience.MENTORS
    ):
        # Everyone in a peer program takes part as a mentee: "mentors only" would reach nobody.
        problems["audience"] = [
            _("A peer program has no mentors: everyone in it takes part as a mentee.")
        ]
    return problems


def worksheet_problems(data: dict) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    starts, ends, midpoint = (data.get(f) for f in ("starts_on", "target_end_on", "midpoint_on"))
    if starts and ends and ends <= starts:
        problems["target_end_on"] = [_("The target end date must be after the start.")]
    elif starts and ends and midpoint and not starts < midpoint < ends:
        problems["midpoint_on"] = [
            _(
                "The mid-point check-in must fall between the start (%(start)s) and the target "
                "end date (%(end)s)."
            )
            % {"start": _day(starts), "end": _day(ends)}
        ]
    for field in ("short_term_goals", "long_term_goals"):
        too_long = [
            line.strip()
            for line in (data.get(field) or "").splitlines()
            if len(line.strip()) > Goal.DESCRIPTION_MAX
        ]
        if too_long:
            problems[field] = [
                _("A goal can have at most %(max)d characters; “%(start)s…” has %(length)d.")
                % {"max": Goal.DESCRIPTION_MAX, "start": line[:40], "length": len(line)}
                for line in too_long
            ]
    return problems


def action_problems(*, meeting: Meeting, due_on: datetime.date | None) -> dict[str, list[str]]:
    if due_on and due_on < meeting.local_date:
        return {
            "due_on": [
                _("The due date cannot be before the meeting (%(date)s).")
                % {"date": _day(meeting.local_date)}
            ]
        }
    return {}


def _raise_if(problems: dict[str, list[str]]) -> None:
    if problems:
        raise ValidationError(problems)


def _require_active(match: Match) -> None:
    if match.status != Match.Status.ACTIVE:
        raise ValidationError(
            _("This pair's match has ended: its records can be read but no longer changed.")
        )


def _require_scheduled(meeting: Meeting) -> None:
    _require_active(meeting.match)
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting was cancelled; schedule a new one instead."))


def _changed(instance, data: dict, fields: Iterable[str]) -> list[str]:
    return [f for f in fields if f in data and getattr(instance, f) != data[f]]


# --- Invitations ---------------------------------------------------------------------------


def _invitation_attachment(name: str, make, method: str) -> tuple:
    """An iTIP file (REQUEST or CANCEL), made in the recipient's language; its MIME type
    carries the method, as RFC 6047 wants of the e-mail's calendar part."""
    return (name, make, ical.mime_type(method))


def meeting_invitation(meeting: Meeting) -> tuple:
    """The meeting's iTIP file as an e-mail attachment, made in the recipient's language:
    a REQUEST (a CANCEL once cancelled) whose attendees are the pair's active members, as
    the two see each other. The reminders attach the same file: the same UID and SEQUENCE
    refresh the event the invitation put in the calendar instead of adding a second one
    (RFC 5546 section 2.1.5)."""
    match = meeting.match
    users = [match.mentee.user, match.mentor.user]
    attendees = [ical.attendee(user) for user in users if user.is_active]
    method = ical.CANCEL if meeting.is_cancelled else ical.REQUEST

    def make() -> bytes:
        return ical.invitation(ical.meeting_event(meeting), attendees=attendees)

    return _invitation_attachment("meeting.ics", make, method)


def _mail_meeting(meeting: Meeting, template: str) -> None:
    """Both members of the pair, each in their own language, with the invitation (or its
    cancellation) attached."""
    match = meeting.match
    attachment = meeting_invitation(meeting)
    for user in (match.mentee.user, match.mentor.user):
        mail_member(
            user,
            template,
            {"meeting": meeting, "match": match, "program": match.program},
            attachments=[attachment],
        )


def gathering_invitees(item: Gathering) -> QuerySet[Participant]:
    """Who an orientation (everyone in the program) or a group session (its audience,
    `selectors.group_session_audience`) is sent to."""
    if isinstance(item, Orientation):
        return item.program.participants.all()
    return group_session_audience(item)


def _mail_gathering(
    item: Gathering,
    *,
    program: Program,
    updated: bool = False,
    cancelled: bool = False,
    participants: Iterable[Participant] | None = None,
) -> None:
    """Everyone it is for (`gathering_invitees`), or exactly the `participants` given
    (newcomers, or those an audience no longer includes), with the invitation (or its
    cancellation) attached. Each is the only attendee of their copy: who else takes part
    in a program is for its coordinators to see, not for its participants."""
    if participants is None:
        participants = gathering_invitees(item).select_related("user")
    if isinstance(item, Orientation):
        # Lazy: the title is rendered in each recipient's language.
        title, name = _lazy("Orientation"), "orientation.ics"
    else:
        title, name = item.title, "group-session.ics"
    method = ical.CANCEL if cancelled else ical.REQUEST
    template = "gathering_cancelled" if cancelled else "gathering_invitation"
    # One insert for the whole program's e-mails, sent by the worker after commit.
    with mail_batch():
        for participant in participants:
            user = participant.user

            def make(user=user) -> bytes:
                return ical.invitation(
                    ical.gathering_event(item), attendees=[ical.attendee(user)], cancel=cancelled
                )

            mail_member(
                user,
                template,
                {
                    "item": item,
                    "title": title,
                    "program": program,
                    "updated": updated,
                    "reason": getattr(item, "cancel_reason", ""),
                    "url": item.get_absolute_url(),
                },
                attachments=[_invitation_attachment(name, make, method)],
            )


def gatherings_invite(*, participants: Iterable[Participant]) -> int:
    """Invite participants who have just joined to the coming orientation and group
    sessions of their program, those they are invited to (`selectors.is_invited`): they
    joined after the invitations went out. Returns how many invitations were sent.

    Called after whatever made them participants (dashboard.services' decisions), in
    its transaction, so an acceptance and its invitations are written together.
    """
    by_program: dict[int, list[Participant]] = {}
    for participant in participants:
        by_program.setdefault(participant.program_id, []).append(participant)
    sent = 0
    for newcomers in by_program.values():
        program = newcomers[0].program
        for item in coming_gatherings(program):
            invited = [p for p in newcomers if is_invited(item, p)]
            if invited:
                _mail_gathering(item, program=program, participants=invited)
                sent += len(invited)
    return sent


# --- Orientation and group sessions -------------------------------------------------------


def _save_agenda(orientation: Orientation, agenda: list[dict]) -> None:
    """Save the rows in order. A row that is the handbook's item unchanged (in any of the
    site's languages) is saved by its key, without text, so every reader reads it in their
    own language; an edited or added row is saved as typed."""
    rows = [row for row in agenda if (row.get("title") or "").strip()]
    orientation.agenda.all().delete()
    for order, row in enumerate(rows):
        title = row["title"].strip()
        description = (row.get("description") or "").strip()
        key = default_key(title, description)
        item = AgendaItem(
            orientation=orientation,
            order=order,
            key=key,
            title="" if key else title,
            minutes=row["minutes"],
            description="" if key else description,
        )
        item.full_clean(exclude=["orientation"])
        item.save()


@transaction.atomic
def orientation_save(
    *,
    program: Program,
    by: User,
    data: dict,
    agenda: list[dict] | None = None,
    loaded: Loaded | None = None,
) -> tuple[Orientation, bool]:
    """Create or change the program's orientation; returns it and whether it is new.

    A new orientation gets the appendix's agenda unless one is given. Participants are
    invited when it is created and again when its time or place changes. With `loaded`, a
    detail another coordinator saved since the form was loaded is never replaced.
    """
    _raise_if(gathering_problems(program=program, data=data))
    Program.objects.select_for_update(of=("self",)).filter(
        pk=program.pk
    ).first()  # one creation at a time
    orientation = (
        Orientation.objects.select_for_update(of=("self",)).filter(program=program).first()
    )
    if loaded is not None:
        loaded.check(
            gathering_values(orientation, GATHERING_FIELDS),
            gathering_values(data, GATHERING_FIELDS),
            saved_at=orientation.updated_at if orientation else None,
        )
    created = orientation is None
    if created:
        orientation = Orientation(program=program)
    moved = _changed(orientation, data, TIME_AND_PLACE)
    changed = _changed(orientation, data, GATHERING_FIELDS)
    for field in GATHERING_FIELDS:
        if field in data:
            setattr(orientation, field, data[field])
    orientation.full_clean()
    orientation.save()
    if agenda is not None or created:
        before = [] if created else _agenda_rows(orientation)
        _save_agenda(orientation, default_agenda() if agenda is None else agenda)
        changed = changed or (not created and _agenda_rows(orientation) != before)
    if changed and not created:
        # What the calendar shows changed: copies already out are superseded.
        orientation.sequence += 1
        orientation.save(update_fields=["sequence", "updated_at"])
    if created or moved:
        _mail_gathering(orientation, program=program, updated=not created)
    return orientation, created


def _agenda_rows(orientation: Orientation) -> list[tuple]:
    return list(orientation.agenda.values_list("key", "title", "minutes", "description"))


@transaction.atomic
def gathering_delete(*, item: Gathering) -> None:
    """Delete an orientation or a group session. If it was still to come, its participants
    are sent the cancellation (METHOD:CANCEL, the same UID, a higher SEQUENCE), so their
    calendars drop it."""
    item = (
        type(item).objects.select_for_update(of=("self",)).select_related("program").get(pk=item.pk)
    )
    if not item.is_past and not getattr(item, "is_cancelled", False):
        item.sequence += 1
        _mail_gathering(item, program=item.program, cancelled=True)
    attended = _attended(item)
    item.delete()
    if isinstance(item, Orientation):
        funnel_changed(participants=attended)  # no longer "oriented" by it


def _attended(item: Gathering) -> set[int]:
    return set(item.attendees.values_list("pk", flat=True))


def _attendance(item: Gathering, participant_ids: Iterable[int], program: Program) -> int:
    allowed = gathering_invitees(item).filter(pk__in=list(participant_ids))
    before = _attended(item)
    item.attendees.set(allowed)
    if isinstance(item, Orientation):
        funnel_changed(participants=before ^ _attended(item))  # the funnel's "oriented" step
    return item.attendees.count()


@transaction.atomic
def attendance_set(*, item: Gathering, participant_ids: Iterable[int]) -> int:
    """Who attended an orientation or a group session; returns how many."""
    return _attendance(item, participant_ids, item.program)


@transaction.atomic
def group_session_save(
    *,
    program: Program,
    by: User,
    data: dict,
    session: GroupSession | None = None,
    loaded: Loaded | None = None,
) -> tuple[GroupSession, bool]:
    """Create (or change) a group session; returns it and whether it is new.

    A repeated submission of the same new session (same title and start) returns the
    one already saved. With `loaded`, a change saved since the edit form was loaded is
    never replaced (`EditConflict`).
    """
    _raise_if(group_session_problems(program=program, data=data))
    if session is None:
        existing = program.group_sessions.filter(
            title=data.get("title", ""), starts_at=data.get("starts_at")
        ).first()
        if existing is not None:
            return existing, False
        session = GroupSession(program=program)
        created = True
    else:
        session = GroupSession.objects.select_for_update(of=("self",)).get(
            pk=session.pk, program=program
        )
        created = False
        if session.is_cancelled:
            raise ValidationError(
                _("This group session is cancelled: it can no longer be changed.")
            )
        if loaded is not None:
            loaded.check(
                gathering_values(session, GROUP_SESSION_FIELDS),
                gathering_values(data, GROUP_SESSION_FIELDS),
                saved_at=session.updated_at,
            )
    moved = _changed(session, data, TIME_AND_PLACE)
    changed = _changed(session, data, GROUP_SESSION_FIELDS)
    before = set() if created else set(group_session_audience(session).values_list("pk", flat=True))
    for field in GROUP_SESSION_FIELDS:
        if field in data:
            setattr(session, field, data[field])
    if changed and not created:
        # Whatever the calendar shows changed (e-mailed again only when it moved).
        session.sequence += 1
    session.full_clean()
    session.save()
    audience = group_session_audience(session)
    after = set(audience.values_list("pk", flat=True))
    if created or moved:
        _mail_gathering(session, program=program, updated=not created)
    elif after - before:
        # The audience grew: those now in it are invited, the others are not e-mailed again.
        _mail_gathering(session, program=program, participants=audience.exclude(pk__in=before))
    if before - after and not session.is_past:
        # Those the audience no longer includes get its cancellation, so their calendars drop it.
        _mail_gathering(
            session,
            program=program,
            cancelled=True,
            participants=program.participants.filter(pk__in=before - after).select_related("user"),
        )
    return session, created


@transaction.atomic
def group_session_cancel(*, session: GroupSession, by: User, reason: str) -> bool:
    """Cancel a group session still to come and send everyone invited its METHOD:CANCEL
    (same UID, a higher SEQUENCE). It is kept, marked cancelled with the reason, so the
    program's list and any attendance stay; returns False when it was cancelled already."""
    session = (
        GroupSession.objects.select_for_update(of=("self",))
        .select_related("program")
        .get(pk=session.pk)
    )
    if session.is_cancelled:
        return False
    if session.is_past:
        raise ValidationError(
            _("This group session has begun or taken place: it cannot be cancelled.")
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason for cancelling.")]})
    session.cancel_reason = reason
    session.cancelled_at = timezone.now()
    session.cancelled_by = by
    session.sequence += 1
    session.full_clean()
    session.save()
    _mail_gathering(session, program=session.program, cancelled=True)
    return True


# --- Worksheet and goals --------------------------------------------------------------------


def _normalised(value):
    return value.strip() if isinstance(value, str) else value


def _same_as_saved(worksheet: Worksheet, data: dict) -> bool:
    return all(
        _normalised(getattr(worksheet, f)) == _normalised(data.get(f))
        for f in Worksheet.EDITABLE_FIELDS
    )


def _sync_goals(worksheet: Worksheet) -> None:
    """Each line of section 3 is a goal row: new lines are added, reworded or removed lines
    drop their row unless someone has started tracking it."""
    match = worksheet.match
    for term in Goal.Term:
        lines = worksheet.goal_lines(term)
        existing = {goal.description: goal for goal in match.goals.filter(term=term)}
        for order, line in enumerate(lines):
            goal = existing.pop(line, None)
            if goal is None:
                Goal.objects.create(match=match, term=term, description=line, order=order)
            elif goal.order != order:
                goal.order = order
                goal.save(update_fields=["order", "updated_at"])
        for goal in existing.values():
            if goal.is_untouched:
                goal.delete()


def _check_worksheet(loaded: Loaded, worksheet: Worksheet | None, data: dict) -> None:
    loaded.check(
        worksheet_values(worksheet),
        worksheet_values(data),
        saved_by=worksheet.updated_by.name if worksheet and worksheet.updated_by else "",
        saved_at=worksheet.updated_at if worksheet else None,
    )


@transaction.atomic
def worksheet_save(
    *, match: Match, by: User, data: dict, loaded: Loaded | None = None
) -> tuple[Worksheet, bool]:
    """Save the pair's worksheet; returns it and whether anything changed.

    `loaded` is what the editor's form was loaded from: if someone saved since, nothing is
    overwritten and `EditConflict` carries what they saved (core/concurrency.py). Any change
    clears both agreements, and the partner who had agreed is asked by e-mail to read it again.
    """
    _require_active(match)
    _raise_if(worksheet_problems(data))
    worksheet = (
        # Only the worksheet's row: PostgreSQL cannot lock the nullable side of the outer
        # join to `updated_by`.
        Worksheet.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(match=match)
    ).first()
    if worksheet is not None and _same_as_saved(worksheet, data):
        return worksheet, False  # nothing new, e.g. the same form sent twice
    if loaded is not None:
        _check_worksheet(loaded, worksheet, data)
    created = worksheet is None
    if created:
        worksheet = Worksheet(match=match, version=0)
    had_agreed = [side for side in Side if worksheet.pk and worksheet.agreed_at(side) is not None]
    for field in Worksheet.EDITABLE_FIELDS:
        value = data.get(field)
        setattr(worksheet, field, value.strip() if isinstance(value, str) else value)
    worksheet.version += 1
    worksheet.mentee_agreed_at = worksheet.mentor_agreed_at = None
    worksheet.updated_by = by
    worksheet.full_clean()
    try:
        with transaction.atomic():
            worksheet.save()
    except IntegrityError:
        # The partner created it at the same moment: theirs stands, this one is a conflict.
        theirs = Worksheet.objects.select_related("updated_by").get(match=match)
        _check_worksheet(Loaded.from_values(None), theirs, data)
        return theirs, False  # they saved the very same text
    _sync_goals(worksheet)
    _pair_moved(match)  # any change clears both agreements: the funnel's "agreed" step
    for side in had_agreed:
        participant = match.mentee if side == Side.MENTEE else match.mentor
        if participant.user_id == by.pk:
            continue
        mail_member(
            participant.user,
            "worksheet_changed",
            {"match": match, "program": match.program, "by": by},
        )
    return worksheet, True


@transaction.atomic
def worksheet_agree(*, worksheet: Worksheet, side: Side, version: int) -> bool:
    """Record one side's agreement; returns False when they had already agreed.

    The agreement covers the version the member read: if it changed since, they are
    asked to read it again.
    """
    worksheet = (
        Worksheet.objects.select_for_update(of=("self",))
        .select_related("match")
        .get(pk=worksheet.pk)
    )
    _require_active(worksheet.match)
    if worksheet.agreed_at(side) is not None and worksheet.version == version:
        return False
    if worksheet.version != version:
        raise ValidationError(
            _("The worksheet has changed since you opened it. Read it again, then agree.")
        )
    field = "mentee_agreed_at" if side == Side.MENTEE else "mentor_agreed_at"
    setattr(worksheet, field, timezone.now())
    worksheet.save(update_fields=[field])
    _pair_moved(worksheet.match)
    return True


def _pair_moved(match: Match) -> None:
    """Both partners' funnel steps may have moved (agreed, met): store them again."""
    funnel_changed(participants=[match.mentee_id, match.mentor_id])


@transaction.atomic
def goal_update(*, goal: Goal, status: str, progress_notes: str) -> bool:
    """Change a goal's status and notes; returns whether anything changed."""
    _require_active(goal.match)
    goal = Goal.objects.select_for_update(of=("self",)).get(pk=goal.pk)
    progress_notes = progress_notes.strip()
    if goal.status == status and goal.progress_notes == progress_notes:
        return False
    goal.status = status
    goal.progress_notes = progress_notes
    goal.full_clean()
    goal.save()
    return True


# --- Meetings -------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(*, match: Match, by: User, data: dict) -> tuple[Meeting, bool]:
    """Schedule a meeting and invite both; returns it and whether it is new.

    A second meeting of the same pair at the same moment is the same meeting (a double
    submission): the first is returned and nobody is invited twice.
    """
    _require_active(match)
    _raise_if(meeting_problems(match=match, data=data))
    Match.objects.select_for_update(of=("self",)).filter(
        pk=match.pk
    ).first()  # one scheduler at a time
    existing = match.meetings.filter(
        status=Meeting.Status.SCHEDULED, starts_at=data["starts_at"]
    ).first()
    if existing is not None:
        return existing, False
    meeting = Meeting(match=match, created_by=by)
    for field, value in _meeting_data(data).items():
        setattr(meeting, field, value)
    meeting.full_clean()
    meeting.save()
    _pair_moved(match)  # when they first meet
    _mail_meeting(meeting, "meeting_scheduled")
    return meeting, True


@transaction.atomic
def meeting_reschedule(*, meeting: Meeting, by: User, data: dict) -> bool:
    """Move or change a meeting; both are sent the new time. Returns whether it changed."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("match").get(pk=meeting.pk)
    )
    _require_scheduled(meeting)
    if SessionRecord.objects.filter(meeting=meeting).exists():
        raise ValidationError(
            _("This meeting has a session record, so it took place: it can no longer be moved.")
        )
    _raise_if(meeting_problems(match=meeting.match, data=data))
    data = _meeting_data(data)
    if not _changed(meeting, data, MEETING_FIELDS):
        return False
    for field in MEETING_FIELDS:
        setattr(meeting, field, data[field])
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    _pair_moved(meeting.match)
    _mail_meeting(meeting, "meeting_rescheduled")
    return True


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User, reason: str) -> bool:
    """Cancel with a reason and tell both; returns False if it was cancelled already."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("match").get(pk=meeting.pk)
    )
    _require_active(meeting.match)
    if meeting.is_cancelled:
        return False
    if SessionRecord.objects.filter(meeting=meeting).exists():
        raise ValidationError(
            _("This meeting has a session record, so it took place: it cannot be cancelled.")
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason for cancelling.")]})
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason
    meeting.cancelled_at = timezone.now()
    meeting.cancelled_by = by
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    _pair_moved(meeting.match)
    _mail_meeting(meeting, "meeting_cancelled")
    return True


def _coming_meetings(match: Match):
    return match.meetings.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now())


@transaction.atomic
def match_end_with_meetings(*, match: Match, by: User, reason: str, note: str = "") -> Match:
    """End a match (`matching.services.match_end`, which matching's own layer cannot extend)
    and cancel the pair's meetings still to come.

    Each is kept, cancelled with the reason that the match ended (its history, like any
    cancelled meeting's), and both members are sent its METHOD:CANCEL so their calendars
    drop it. Meetings that have begun are left as they are: the mentor may still record one.
    """
    ended = matching_services.match_end(match=match, by=by, reason=reason, note=note)
    coming = list(
        _coming_meetings(ended)
        .select_for_update(of=("self",))
        .select_related("match__program", "match__mentee__user", "match__mentor__user")
    )
    if not coming:
        return ended
    now = timezone.now()
    # Stored in the language of the person ending it, like the match's own note.
    why = _("The pair's match ended.")
    with mail_batch():
        for meeting in coming:
            meeting.status = Meeting.Status.CANCELLED
            meeting.cancel_reason = why
            meeting.cancelled_at = now
            meeting.cancelled_by = by
            meeting.sequence += 1
            meeting.full_clean()
            meeting.save()
            _mail_meeting(meeting, "meeting_cancelled_match_ended")
    _pair_moved(ended)  # a meeting to come no longer counts as when they first meet
    return ended


@transaction.atomic
def preparation_save(*, meeting: Meeting, data: dict, loaded: Loaded | None = None) -> Preparation:
    """The mentee's answers to Appendix VI for this meeting.

    With `loaded`, an answer saved since the form was loaded is never replaced
    (`EditConflict`); the meeting's lock makes two first saves take turns.
    """
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    _require_scheduled(meeting)
    preparation = Preparation.objects.filter(meeting=meeting).first()
    if loaded is not None:
        loaded.check(
            values_of(preparation, PREPARATION_FIELDS),
            data,
            saved_at=preparation.updated_at if preparation else None,
        )
    if preparation is None:
        preparation = Preparation(meeting=meeting)
    for field in PREPARATION_FIELDS:
        setattr(preparation, field, (data.get(field) or "").strip())
    preparation.full_clean()
    preparation.save()
    return preparation


def _close(action: ActionItem, status: str, note: str) -> bool:
    note = note.strip()
    if action.status == status and action.status_note == note:
        return False
    if status == ActionItem.Status.OPEN:
        action.closed_at = None
    elif action.status == ActionItem.Status.OPEN or action.closed_at is None:
        action.closed_at = timezone.now()
    action.status = status
    action.status_note = note
    action.full_clean()
    action.save()
    return True


@transaction.atomic
def record_save(
    *,
    meeting: Meeting,
    by: User,
    data: dict,
    checkins: Iterable[tuple[ActionItem, str, str]] = (),
    actions: Iterable[dict] = (),
    recorded: bool = False,
    loaded: Loaded | None = None,
) -> SessionRecord:
    """The mentor's record of a session (Appendix V), with its agreed actions.

    `recorded` only when the mentor pressed "Record the session"; any other save (a draft
    button, Enter in a box, a phone's Go key) keeps it a draft.

    `checkins` are (earlier action, new status, note) from section 2; `actions` are the
    rows of section 5: with an `id` they change or (`delete`) remove one of this record's
    actions, without one they add an action, unless the same one is already there.

    With `loaded`, an answer saved since the form was loaded (another tab) is never
    replaced: `EditConflict` carries the newest answers and nothing is written.
    """
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("match").get(pk=meeting.pk)
    )
    _require_scheduled(meeting)
    if not meeting.has_started:
        raise ValidationError(_("You can write the session record once the meeting has started."))
    if loaded is not None:
        stored = SessionRecord.objects.filter(meeting=meeting).first()
        loaded.check(
            record_values(stored),
            data,
            saved_at=stored.updated_at if stored else None,
        )
    record, _created = SessionRecord.objects.get_or_create(
        meeting=meeting, defaults={"recorded_by": by}
    )
    for field in RECORD_FIELDS:
        setattr(record, field, (data.get(field) or "").strip())
    record.status = SessionRecord.Status.RECORDED if recorded else SessionRecord.Status.DRAFT
    hours = data.get("lost_time_hours")
    on_lost_time = lost_time_phase(meeting.match.program, meeting.local_date) is not None
    record.lost_time_hours = Decimal(hours) if hours is not None and on_lost_time else None
    record.full_clean()
    record.save()

    for action, status, note in checkins:
        if action.match_id != meeting.match_id:
            continue  # not this pair's: ignore rather than reveal
        _close(action, status, note)

    for row in actions:
        description = (row.get("description") or "").strip()
        if row.get("id"):
            action = record.actions.filter(pk=row["id"]).first()
            if action is None:
                continue
            if row.get("delete"):
                action.delete()
                continue
            _raise_if(action_problems(meeting=meeting, due_on=row.get("due_on")))
            for field in ("owner", "due_on", "stretch"):
                setattr(action, field, row.get(field))
            action.description = description
            action.full_clean()
            action.save()
        elif description and not row.get("delete"):
            _raise_if(action_problems(meeting=meeting, due_on=row.get("due_on")))
            if record.actions.filter(
                owner=row.get("owner"), description=description, due_on=row.get("due_on")
            ).exists():
                continue  # the same form sent twice
            action = ActionItem(
                match=meeting.match,
                record=record,
                owner=row.get("owner"),
                description=description,
                due_on=row.get("due_on"),
                stretch=bool(row.get("stretch")),
            )
            action.full_clean()
            action.save()
    return record


@transaction.atomic
def action_set_status(*, action: ActionItem, status: str, note: str = "") -> bool:
    """Mark an action done, dropped or open again; returns whether it changed."""
    action = (
        ActionItem.objects.select_for_update(of=("self",)).select_related("match").get(pk=action.pk)
    )
    _require_active(action.match)
    if status not in ActionItem.Status.values:
        raise ValidationError(_("Unknown status."))
    if not note and action.status == status:
        return False
    return _close(action, status, note or action.status_note)


# --- Calendar feed ---------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_regenerate(*, user: User) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> bool:
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


# --- Fit check ---------------------------------------------------------------------------------


def fit_check_problems(*, answer: str | None, note: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if answer not in FitCheck.Answer.values:
        problems["answer"] = [_("Choose how the match is going.")]
    if len(note) > FitCheck.NOTE_MAX:
        problems["note"] = [_("Keep the note to %(max)d characters.") % {"max": FitCheck.NOTE_MAX}]
    return problems


def fit_check_answer(
    *, match: Match, side: Side, stage: str, answer: str, note: str = ""
) -> tuple[FitCheck, bool]:
    """Record one side's answer to "How is the match going?"; returns it and whether it is new.

    Answered once per side and stage: a second submission (a double click, a second tab)
    creates nothing and returns the first answer. Only the question due now can be
    answered. "Not a good fit" tells the program's coordinators (never the partner).
    """
    note = note.strip()
    _raise_if(fit_check_problems(answer=answer, note=note))
    with transaction.atomic():
        # Two submissions at once take turns: the second finds the first one's row.
        Match.objects.select_for_update(of=("self",)).filter(pk=match.pk).first()
        found = FitCheck.objects.filter(match=match, side=side, stage=stage).first()
        if found is not None:
            return found, False
        current = with_fit_check_columns(match)
        if due_fit_check(current, side, timezone.localdate()) != stage:
            raise ValidationError(_("This question is not open now."), code="not_due")
        check = FitCheck(match=current, side=side, stage=stage, answer=answer, note=note)
        check.full_clean(exclude=["match"])
        try:
            with transaction.atomic():
                check.save()
        except IntegrityError:
            return FitCheck.objects.get(match=match, side=side, stage=stage), False
        if check.is_not_a_good_fit:
            _tell_coordinators_not_a_good_fit(current, check)
    return check, True


def _tell_coordinators_not_a_good_fit(match: Match, check: FitCheck) -> None:
    """Each coordinator of the program hears at once; the answer's note stays on the pair's
    page (an e-mail is copied and forwarded), and the partner is never told."""
    program = match.program
    url = reverse("sessions:timeline", args=[program.slug, match.pk])
    for coordinator in program.coordinators.all():
        mail_member(
            coordinator,
            "fit_check_not_a_good_fit",
            {
                "program": program,
                "mentee": match.mentee.user.name,
                "mentor": match.mentor.user.name,
                "side": check.side,
                "stage": check.stage,
                "url": url,
            },
        )
