"""Demo data for the running program: orientation, worksheets at every stage, meetings with
preparations and records, actions carried from session to session, goals, group sessions.

Idempotent: each row is looked up by a natural key first, and a pair's history is only
written when the pair has none, so a second run (even on a later day) changes nothing.
Dates are relative to the day of the first run. No e-mail is sent.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation

from matching.models import Match
from programs.models import Program
from sessions.appendices import handbook_rows
from sessions.models import (
    ActionItem,
    AgendaItem,
    Goal,
    GroupSession,
    Meeting,
    Orientation,
    Preparation,
    SessionRecord,
    Side,
    Worksheet,
    add_months,
)
from sessions.selectors import lost_time_phase

PROGRAM_SLUG = "2026-mentorship"
HALL = "USW Local 2009 hall, 3920 Norland Avenue, Burnaby"
VIDEO = "https://zoom.example.org/j/2009"
DAY = datetime.timedelta(days=1)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _backdate(obj, **fields) -> None:
    """Set timestamps that `auto_now(_add)` would otherwise make today's."""
    type(obj).objects.filter(pk=obj.pk).update(**fields)


@dataclass(frozen=True)
class DemoAction:
    description: str
    owner: str
    due_in_days: int  # after the meeting it was agreed at
    # Where it stands: closed at the meeting with this index (in the pair's list), or open.
    status: str = ActionItem.Status.OPEN
    closed_at_meeting: int | None = None
    note: str = ""
    stretch: bool = False


@dataclass(frozen=True)
class DemoMeeting:
    days_from_today: int
    hour: int
    mode: str
    location: str = ""
    video_link: str = ""
    caller: str = ""
    cancelled: str = ""  # the reason
    prepared: bool = False
    recorded: bool = False
    drafted: bool = False  # a record saved as a draft, not recorded yet
    actions: tuple[DemoAction, ...] = ()


@dataclass(frozen=True)
class DemoPair:
    mentee: str
    mentor: str
    stage: str  # "agreed", "agreed_by_mentor", "draft" or "not_started"
    short_goals: tuple[tuple[str, str, str], ...] = ()  # (goal, status, progress notes)
    long_goals: tuple[tuple[str, str, str], ...] = ()
    meetings: tuple[DemoMeeting, ...] = field(default_factory=tuple)


PAIRS = (
    DemoPair(
        "mentee@example.org",
        "mentor@example.org",
        "agreed",
        short_goals=(
            ("Read articles 1 to 15 of the collective agreement", Goal.Status.DONE, "Done."),
            (
                "Handle a first grievance alongside Rosa",
                Goal.Status.IN_PROGRESS,
                "Drafting the overtime grievance for night shift.",
            ),
            ("Speak at a membership meeting", Goal.Status.IN_PROGRESS, ""),
        ),
        long_goals=(
            ("Run for steward in my unit", Goal.Status.NOT_STARTED, ""),
            ("Chair a unit meeting", Goal.Status.NOT_STARTED, ""),
        ),
        meetings=(
            DemoMeeting(
                -100,
                18,
                Meeting.Mode.IN_PERSON,
                location=HALL,
                prepared=True,
                recorded=True,
                actions=(
                    DemoAction(
                        "Read articles 1 to 15 of the collective agreement",
                        Side.MENTEE,
                        14,
                        ActionItem.Status.DONE,
                        1,
                        "Read them twice; questions on article 12.",
                    ),
                    DemoAction(
                        "Sit in on a grievance meeting with Rosa",
                        Side.MENTEE,
                        25,
                        ActionItem.Status.DONE,
                        1,
                        "Sat in on the scheduling grievance.",
                        stretch=True,
                    ),
                    DemoAction(
                        "Send Jordan the steward training dates",
                        Side.MENTOR,
                        7,
                        ActionItem.Status.DONE,
                        1,
                    ),
                ),
            ),
            DemoMeeting(
                -72,
                19,
                Meeting.Mode.PHONE,
                caller=Meeting.Caller.MENTOR,
                prepared=True,
                recorded=True,
                actions=(
                    DemoAction(
                        "Draft the grievance letter for the night-shift overtime case",
                        Side.MENTEE,
                        21,
                        note="Halfway there; Rosa to review.",
                        stretch=True,
                    ),
                    DemoAction(
                        "Ask the chief steward for speaking time at the membership meeting",
                        Side.MENTEE,
                        14,
                        ActionItem.Status.DROPPED,
                        3,
                        "The agenda was full; trying again next month.",
                    ),
                ),
            ),
            DemoMeeting(
                -55,
                18,
                Meeting.Mode.IN_PERSON,
                location=HALL,
                cancelled="Plant shutdown week; we talked by phone instead.",
            ),
            DemoMeeting(
                -40,
                18,
                Meeting.Mode.VIDEO,
                video_link=VIDEO,
                prepared=True,
                recorded=True,
                actions=(
                    DemoAction("Speak for two minutes at the membership meeting", Side.MENTEE, 50),
                    DemoAction("Review Jordan's grievance draft", Side.MENTOR, 45),
                ),
            ),
            DemoMeeting(-5, 18, Meeting.Mode.IN_PERSON, location=HALL, prepared=True),
            DemoMeeting(20, 18, Meeting.Mode.IN_PERSON, location=HALL),
        ),
    ),
    DemoPair(
        "amira.haddad@example.org",
        "louise.gagnon@example.org",
        # Agreed before they met: in the dashboard's funnel a pair meets after agreeing
        # (dashboard/selectors.py), and the demo's people take its steps in order.
        "agreed",
        short_goals=(("Learn how the health and safety committee works", "in_progress", ""),),
        long_goals=(("Become a health and safety representative", "not_started", ""),),
        meetings=(
            DemoMeeting(
                -30,
                17,
                Meeting.Mode.VIDEO,
                video_link=VIDEO,
                prepared=True,
                recorded=True,
                actions=(DemoAction("Attend the next safety committee meeting", Side.MENTEE, 30),),
            ),
            DemoMeeting(-3, 17, Meeting.Mode.VIDEO, video_link=VIDEO, drafted=True),
            DemoMeeting(7, 17, Meeting.Mode.VIDEO, video_link=VIDEO),
        ),
    ),
    DemoPair(
        "tanya.whitehorse@example.org",
        "harjit.sandhu@example.org",
        # Harjit has agreed and Tanya has not, and they have not met yet: the pairs list's
        # "Agreed by the mentor only", and Tanya's next step is still the worksheet.
        "agreed_by_mentor",
        short_goals=(("Understand the grievance steps", "not_started", ""),),
        meetings=(DemoMeeting(3, 19, Meeting.Mode.PHONE, caller=Meeting.Caller.MENTEE),),
    ),
    DemoPair("priya.natarajan@example.org", "mei.lin.chen@example.org", "not_started"),
)

PREPARATION = {
    "tried": "I read the articles we talked about and asked a co-worker about her overtime.",
    "want": "Understand what makes a grievance strong.",
    "challenges": "I get nervous speaking up in front of the supervisor.",
    "goal_area": "Handling a first grievance.",
    "questions": "How much detail goes in the first letter?",
    "requests": "Could you read my draft before I send it?",
    "action": "Finish the draft and talk to the co-worker again.",
    "follow_up": "Comments on the draft by e-mail.",
}
RECORD = {
    "update": "Jordan read the articles and spoke with the co-worker; the facts are clearer now.",
    "checkin": "Went through last time's actions together.",
    "focus": "Structure of a grievance letter and the timelines in article 12.",
    "requests_offers": "Jordan asked for a read of the draft; I offered to role-play the meeting.",
    "actions_agreements": "See the actions below.",
    "next_logistics": "Same time next month; I will call.",
}

GROUP_SESSIONS = (
    {
        "title": "Part One class: grievance handling basics",
        "kind": GroupSession.Kind.CLASS,
        "days_after_start": 30,
        "hour": 10,
        "duration_minutes": 180,
        "location": HALL,
        "video_link": "",
        "rotation_note": "Burnaby this time; Kamloops next.",
        "child_care": True,
        "food": True,
        "description": "The steps of a grievance, the timelines, and writing it up.",
    },
    {
        "title": "Circle meeting: preparing for bargaining",
        "kind": GroupSession.Kind.CIRCLE,
        "days_from_today": 10,
        "hour": 18,
        "duration_minutes": 120,
        "location": "Prince George union office, 1188 Fifth Avenue",
        "video_link": VIDEO,
        "rotation_note": "Prince George this time; Burnaby next.",
        "child_care": False,
        "food": True,
        "description": "Mentors and mentees together: how a bargaining survey is built.",
    },
)


@transaction.atomic
def seed_sessions_demo() -> None:
    """Add the sessions' demo data to the running program, once."""
    program = Program.objects.filter(slug=PROGRAM_SLUG).first()
    if program is None or program.starts_on is None:
        return
    with translation.override("en"):
        _orientation(program)
        _group_sessions(program)
        for spec in PAIRS:
            match = (
                Match.objects.filter(
                    program=program,
                    status=Match.Status.ACTIVE,
                    mentee__user__email=spec.mentee,
                    mentor__user__email=spec.mentor,
                )
                .select_related("mentee", "mentor")
                .first()
            )
            if match is not None:
                _pair(program, match, spec)


def _orientation(program: Program) -> None:
    starts_at = _at(program.starts_on + 7 * DAY, 18)
    orientation, created = Orientation.objects.get_or_create(
        program=program,
        defaults={
            "starts_at": starts_at,
            "duration_minutes": 120,
            "location": HALL,
            "video_link": VIDEO,
            "child_care": True,
            "food": True,
            "accessibility_notes": "Step-free entrance. ASL interpretation on request.",
        },
    )
    if created:
        for order, row in enumerate(handbook_rows()):
            AgendaItem.objects.create(orientation=orientation, order=order, **row)
        # Attendance taken: the matched members came (the orientation is where a pair
        # starts its worksheet), but for the pair that has not started it yet. Nobody
        # unmatched is marked present: the funnel's "oriented" comes after "matched".
        came = [spec for spec in PAIRS if spec.stage != "not_started"]
        emails = {spec.mentee for spec in came} | {spec.mentor for spec in came}
        matched = Match.objects.published().filter(program=program)
        present = program.participants.filter(user__email__in=emails).filter(
            Q(Exists(matched.filter(mentee=OuterRef("pk"))))
            | Q(Exists(matched.filter(mentor=OuterRef("pk"))))
        )
        orientation.attendees.set(present)


def _group_sessions(program: Program) -> None:
    today = timezone.localdate()
    for spec in GROUP_SESSIONS:
        spec = dict(spec)
        title = spec.pop("title")
        hour = spec.pop("hour")
        if "days_after_start" in spec:
            day = program.starts_on + spec.pop("days_after_start") * DAY
        else:
            day = today + spec.pop("days_from_today") * DAY
        session, created = GroupSession.objects.get_or_create(
            program=program, title=title, defaults={"starts_at": _at(day, hour), **spec}
        )
        if created and session.starts_at < timezone.now():
            session.attendees.set(program.participants.order_by("user__email")[:12])


def _pair(program: Program, match: Match, spec: DemoPair) -> None:
    if spec.stage == "not_started":
        return
    today = timezone.localdate()
    start = timezone.localtime(match.started_at).date() if match.started_at else program.starts_on
    short = "\n".join(goal for goal, _status, _notes in spec.short_goals)
    long = "\n".join(goal for goal, _status, _notes in spec.long_goals)
    agreed = timezone.now() - 90 * DAY
    mentee, mentor = match.mentee.user.get_short_name(), match.mentor.user.get_short_name()
    upcoming = [m.days_from_today for m in spec.meetings if m.days_from_today > 0]
    worksheet, created = Worksheet.objects.get_or_create(
        match=match,
        defaults={
            "roles": f"{mentor} shares what she or he has learned as a steward; {mentee} asks "
            "and tries things out.",
            "purpose": "Learn to represent co-workers: grievances first, then meetings.",
            "short_term_goals": short,
            "long_term_goals": long,
            "starts_on": start,
            "target_end_on": add_months(start, 9),
            "midpoint_on": add_months(start, 4),
            "timeframe": "Nine months, ending before the next steward elections.",
            "meeting_plan": "Once a month, after day shift, at the union hall or by phone.",
            "contingency_plan": "Whoever cannot make it says so two days ahead; we move it "
            "within the same week.",
            "informal_interactions": "Text any time; answer within two days. Drop-ins at the "
            "hall are fine.",
            "feedback": "Say it straight and in private; we can agree to disagree and move on.",
            "next_meeting_at": _at(today + upcoming[0] * DAY, 18) if upcoming else None,
            "mentee_agreed_at": agreed if spec.stage == "agreed" else None,
            "mentor_agreed_at": agreed + DAY if spec.stage.startswith("agreed") else None,
            "updated_by": match.mentee.user,
        },
    )
    if created:
        _backdate(worksheet, created_at=agreed - 2 * DAY, updated_at=agreed - DAY)
    for term, goals in ((Goal.Term.SHORT, spec.short_goals), (Goal.Term.LONG, spec.long_goals)):
        for order, (description, status, notes) in enumerate(goals):
            goal, created = Goal.objects.get_or_create(
                match=match,
                term=term,
                description=description,
                defaults={"status": status, "progress_notes": notes, "order": order},
            )
            if created:
                _backdate(goal, created_at=agreed - DAY)
    if not match.meetings.exists():
        _meetings(match, spec.meetings)


def _meetings(match: Match, specs: tuple[DemoMeeting, ...]) -> None:
    today = timezone.localdate()
    meetings: list[Meeting] = []
    closing: list[tuple[ActionItem, DemoAction]] = []
    for spec in specs:
        starts_at = _at(today + spec.days_from_today * DAY, spec.hour)
        meeting = Meeting.objects.create(
            match=match,
            starts_at=starts_at,
            duration_minutes=60,
            mode=spec.mode,
            location=spec.location,
            video_link=spec.video_link,
            caller=spec.caller,
            created_by=match.mentee.user,
            status=Meeting.Status.CANCELLED if spec.cancelled else Meeting.Status.SCHEDULED,
            cancel_reason=spec.cancelled,
            cancelled_at=starts_at - 2 * DAY if spec.cancelled else None,
            cancelled_by=match.mentor.user if spec.cancelled else None,
        )
        meetings.append(meeting)
        if spec.prepared:
            preparation = Preparation.objects.create(meeting=meeting, **PREPARATION)
            _backdate(preparation, created_at=starts_at - DAY, updated_at=starts_at - DAY)
        if spec.recorded:
            # Released from work for the hour and the travel, in a lost-time phase.
            on_lost_time = lost_time_phase(match.program, meeting.local_date) is not None
            record = SessionRecord.objects.create(
                meeting=meeting,
                status=SessionRecord.Status.RECORDED,
                recorded_by=match.mentor.user,
                lost_time_hours=Decimal("2.5") if on_lost_time else None,
                **RECORD,
            )
            written = meeting.ends_at + datetime.timedelta(hours=1)
            _backdate(record, created_at=written, updated_at=written)
            for action_spec in spec.actions:
                action = ActionItem.objects.create(
                    match=match,
                    record=record,
                    owner=action_spec.owner,
                    description=action_spec.description,
                    due_on=meeting.local_date + action_spec.due_in_days * DAY,
                    stretch=action_spec.stretch,
                    status_note=action_spec.note if action_spec.closed_at_meeting is None else "",
                )
                _backdate(action, created_at=written)
                if action_spec.closed_at_meeting is not None:
                    closing.append((action, action_spec))
        if spec.drafted:
            # Begun, then "Save as a draft": the meeting page says it is not recorded yet.
            SessionRecord.objects.create(
                meeting=meeting,
                status=SessionRecord.Status.DRAFT,
                recorded_by=match.mentor.user,
                update=RECORD["update"],
            )
    for action, action_spec in closing:
        at_meeting = meetings[action_spec.closed_at_meeting]
        ActionItem.objects.filter(pk=action.pk).update(
            status=action_spec.status,
            status_note=action_spec.note,
            closed_at=at_meeting.ends_at + datetime.timedelta(hours=1),
        )
