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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import User
from core.concurrency import Loaded, values_of
from core.dates import format_date
from core.mail import mail_batch, mail_member
from matching.models import Match
from programs.funnel import funnel_changed
from programs.models import Program

from . import ical
from .appendices import default_agenda
from .models import (
    MAX_DURATION_MINUTES,
    ActionItem,
    AgendaItem,
    CalendarFeed,
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
from .selectors import gathering_values, lost_time_phase, record_values, worksheet_values

# A calendar file to add (METHOD:PUBLISH), as the reminders attach; invitations carry
# their method (sessions.ical.mime_type).
ICS_TYPE = "text/calendar"
# What moves an event in a calendar; other changes do not send a new invitation.
TIME_AND_PLACE = ("starts_at", "duration_minutes", "location", "video_link")
MEETING_FIELDS = (*TIME_AND_PLACE, "mode", "caller")
GATHERING_FIELDS = (*TIME_AND_PLACE, "child_care", "food", "accessibility_notes")
GROUP_SESSION_FIELDS = (*GATHERING_FIELDS, "kind", "title", "description", "rotation_note")
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
    return problems


def gathering_problems(*, program: Program, data: dict) -> dict[str, list[str]]:
    problems = event_problems(
        program=program,
        starts_at=data.get("starts_at"),
        duration_minutes=data.get("duration_minutes"),
    )
    if not data.get("location") and not data.get("video_link"):
        problems["location"] = [_("Give a place, a video link, or both.")]
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


def _mail_meeting(meeting: Meeting, template: str) -> None:
    """Both members of the pair, each in their own language, with the invitation (or its
    cancellation) attached: the two of the pair are its attendees, as they see each other."""
    match = meeting.match
    users = [match.mentee.user, match.mentor.user]
    attendees = [ical.attendee(user) for user in users if user.is_active]
    method = ical.CANCEL if meeting.is_cancelled else ical.REQUEST

    def make() -> bytes:
        return ical.invitation(ical.meeting_event(meeting), attendees=attendees)

    for user in users:
        mail_member(
            user,
            template,
            {"meeting": meeting, "match": match, "program": match.program},
            attachments=[_invitation_attachment("meeting.ics", make, method)],
        )


def _mail_gathering(
    item: Gathering, *, program: Program, updated: bool = False, cancelled: bool = False
) -> None:
    """Everyone taking part in the program, with the invitation (or its cancellation)
    attached. Each is the only attendee of their copy: who else takes part in a program
    is for its coordinators to see, not for its participants."""
    if isinstance(item, Orientation):
        # Lazy: the title is rendered in each recipient's language.
        title, name = _lazy("Orientation"), "orientation.ics"
    else:
        title, name = item.title, "group-session.ics"
    method = ical.CANCEL if cancelled else ical.REQUEST
    template = "gathering_cancelled" if cancelled else "gathering_invitation"
    # One insert for the whole program's e-mails, sent by the worker after commit.
    with mail_batch():
        for participant in program.participants.select_related("user"):
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
                    "url": item.get_absolute_url(),
                },
                attachments=[_invitation_attachment(name, make, method)],
            )


# --- Orientation and group sessions -------------------------------------------------------


def _save_agenda(orientation: Orientation, agenda: list[dict]) -> None:
    rows = [row for row in agenda if (row.get("title") or "").strip()]
    orientation.agenda.all().delete()
    for order, row in enumerate(rows):
        item = AgendaItem(
            orientation=orientation,
            order=order,
            title=row["title"].strip(),
            minutes=row["minutes"],
            description=(row.get("description") or "").strip(),
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
    Program.objects.select_for_update().filter(pk=program.pk).first()  # one creation at a time
    orientation = Orientation.objects.select_for_update().filter(program=program).first()
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
    return list(orientation.agenda.values_list("title", "minutes", "description"))


@transaction.atomic
def gathering_delete(*, item: Gathering) -> None:
    """Delete an orientation or a group session. If it was still to come, its participants
    are sent the cancellation (METHOD:CANCEL, the same UID, a higher SEQUENCE), so their
    calendars drop it."""
    item = type(item).objects.select_for_update().select_related("program").get(pk=item.pk)
    if not item.is_past:
        item.sequence += 1
        _mail_gathering(item, program=item.program, cancelled=True)
    attended = _attended(item)
    item.delete()
    if isinstance(item, Orientation):
        funnel_changed(participants=attended)  # no longer "oriented" by it


def _attended(item: Gathering) -> set[int]:
    return set(item.attendees.values_list("pk", flat=True))


def _attendance(item: Gathering, participant_ids: Iterable[int], program: Program) -> int:
    allowed = program.participants.filter(pk__in=list(participant_ids))
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
    _raise_if(gathering_problems(program=program, data=data))
    if session is None:
        existing = program.group_sessions.filter(
            title=data.get("title", ""), starts_at=data.get("starts_at")
        ).first()
        if existing is not None:
            return existing, False
        session = GroupSession(program=program)
        created = True
    else:
        session = GroupSession.objects.select_for_update().get(pk=session.pk, program=program)
        created = False
        if loaded is not None:
            loaded.check(
                gathering_values(session, GROUP_SESSION_FIELDS),
                gathering_values(data, GROUP_SESSION_FIELDS),
                saved_at=session.updated_at,
            )
    moved = _changed(session, data, TIME_AND_PLACE)
    changed = _changed(session, data, GROUP_SESSION_FIELDS)
    for field in GROUP_SESSION_FIELDS:
        if field in data:
            setattr(session, field, data[field])
    if changed and not created:
        # Whatever the calendar shows changed (e-mailed again only when it moved).
        session.sequence += 1
    session.full_clean()
    session.save()
    if created or moved:
        _mail_gathering(session, program=program, updated=not created)
    return session, created


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
    worksheet = Worksheet.objects.select_for_update().select_related("match").get(pk=worksheet.pk)
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
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
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
    Match.objects.select_for_update().filter(pk=match.pk).first()  # one scheduler at a time
    existing = match.meetings.filter(
        status=Meeting.Status.SCHEDULED, starts_at=data["starts_at"]
    ).first()
    if existing is not None:
        return existing, False
    meeting = Meeting(match=match, created_by=by)
    for field in MEETING_FIELDS:
        setattr(meeting, field, data.get(field) or ("" if field != "duration_minutes" else None))
    meeting.full_clean()
    meeting.save()
    _pair_moved(match)  # when they first meet
    _mail_meeting(meeting, "meeting_scheduled")
    return meeting, True


@transaction.atomic
def meeting_reschedule(*, meeting: Meeting, by: User, data: dict) -> bool:
    """Move or change a meeting; both are sent the new time. Returns whether it changed."""
    meeting = Meeting.objects.select_for_update().select_related("match").get(pk=meeting.pk)
    _require_scheduled(meeting)
    if SessionRecord.objects.filter(meeting=meeting).exists():
        raise ValidationError(
            _("This meeting has a session record, so it took place: it can no longer be moved.")
        )
    _raise_if(meeting_problems(match=meeting.match, data=data))
    data = {f: data.get(f) or ("" if f != "duration_minutes" else None) for f in MEETING_FIELDS}
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
    meeting = Meeting.objects.select_for_update().select_related("match").get(pk=meeting.pk)
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


@transaction.atomic
def preparation_save(*, meeting: Meeting, data: dict, loaded: Loaded | None = None) -> Preparation:
    """The mentee's answers to Appendix VI for this meeting.

    With `loaded`, an answer saved since the form was loaded is never replaced
    (`EditConflict`); the meeting's lock makes two first saves take turns.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
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
    meeting = Meeting.objects.select_for_update().select_related("match").get(pk=meeting.pk)
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
    action = ActionItem.objects.select_for_update().select_related("match").get(pk=action.pk)
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
