"""The member's next step in each of their programs, for their home and the program page.

The steps follow the issue's chain, in this order: finish the application, fill in the
survey, state preferences, come to the orientation, agree to the worksheet, prepare the next
meeting, record it, give feedback, answer the evaluation. Waiting is said plainly (the
application is being reviewed, wait-listed, declined), and a member with nothing to do is
told so, with what comes next and when.

`next_steps` is a pure function over `MemberState` (members/selectors.py), so the number
of queries stays fixed however many programs, pairs and meetings the member has.
"""

import datetime
from dataclasses import dataclass
from enum import IntEnum

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.dates import format_date
from intake.models import Application
from matching.models import Match
from programs.models import Participant, Program
from sessions.models import Meeting, SessionRecord, Side

from .selectors import MemberState, member_state


class Kind(IntEnum):
    """The chain, in order: a program's step is the first that applies."""

    APPLICATION = 10
    REVIEW = 11
    WAITLISTED = 12
    DECLINED = 13
    SURVEY = 20
    PREFERENCES = 30
    ORIENTATION = 40
    WAIT_FOR_MATCH = 45
    WORKSHEET = 50
    PREPARE = 60
    RECORD = 70
    PLAN_MEETING = 75
    FEEDBACK = 80
    EVALUATION = 90
    MEETING_SOON = 95
    NOTHING = 99


# Steps that ask nothing of the member: shown calmly, after every step that does.
WAITING = frozenset(
    {
        Kind.REVIEW,
        Kind.WAITLISTED,
        Kind.DECLINED,
        Kind.WAIT_FOR_MATCH,
        Kind.MEETING_SOON,
        Kind.NOTHING,
    }
)
CLOSING = (Program.Status.CLOSING, Program.Status.CLOSED)


@dataclass(frozen=True)
class NextStep:
    program: Program
    kind: Kind
    label: str  # what to do, or "Nothing to do now"
    url: str = ""  # where to do it (or read more); "" for none
    button: str = ""  # the button's words
    due: datetime.date | None = None  # to be done by
    when: datetime.datetime | datetime.date | None = None  # the event it is about
    detail: str = ""  # a plain sentence: why, or what comes next

    @property
    def is_action(self) -> bool:
        return self.kind not in WAITING

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime.datetime)

    @property
    def name(self) -> str:
        return self.kind.name.lower()

    def sort_key(self) -> tuple:
        day = self.due or self.when
        if isinstance(day, datetime.datetime):
            day = day.date()
        return (not self.is_action, day or datetime.date.max, self.kind, self.program.name)


def next_steps_for(user: User, program: Program | None = None) -> list[NextStep]:
    """One step per program the member applied to or takes part in, most pressing first."""
    return next_steps(user, member_state(user, program))


def next_steps(user: User, state: MemberState) -> list[NextStep]:
    taking_part = {p.program_id for p in state.participations}
    steps = [_participant_step(user, p, state) for p in state.participations]
    steps = [step for step in steps if step is not None]
    applied: dict[int, NextStep] = {}
    for application in state.applications:
        if application.program_id in taking_part:
            continue
        step = _application_step(application)
        if step is None:
            continue
        known = applied.get(application.program_id)
        if known is None or step.kind < known.kind:
            applied[application.program_id] = step
    steps += applied.values()
    return sorted(steps, key=NextStep.sort_key)


def _application_step(application: Application) -> NextStep | None:
    program = application.program
    role = application.get_role_display().lower()
    mine = reverse("intake:my_application", args=[program.slug, application.pk])
    status = application.status
    if status == Application.Status.DRAFT:
        if not program.accepts_applications():
            return None
        return NextStep(
            program,
            Kind.APPLICATION,
            _("Finish your application as a %(role)s") % {"role": role},
            reverse("intake:apply", args=[program.slug, application.role]),
            _("Finish your application"),
            due=program.applications_close_on,
            detail=_("Your draft is saved. Submit it before applications close."),
        )
    if status == Application.Status.WITHDRAWN or program.status == Program.Status.CLOSED:
        return None
    if status == Application.Status.SUBMITTED:
        return NextStep(
            program,
            Kind.REVIEW,
            _("Your application as a %(role)s is being reviewed") % {"role": role},
            mine,
            _("See your application"),
            detail=_("There is nothing to do now: the coordinators will write to you."),
        )
    if status == Application.Status.WAITLISTED:
        return NextStep(
            program,
            Kind.WAITLISTED,
            _("You are on the wait list as a %(role)s") % {"role": role},
            mine,
            _("See your application"),
            detail=_("The coordinators will write to you if a place opens."),
        )
    return NextStep(
        program,
        Kind.DECLINED,
        _("Your application as a %(role)s was not accepted this time") % {"role": role},
        mine,
        _("See your application"),
        detail=_("You can apply again when the next program opens."),
    )


def _is_mentee_in(user: User, match: Match) -> bool:
    return match.mentee.user_id == user.pk


def _partner_name(user: User, match: Match) -> str:
    return (match.mentor if _is_mentee_in(user, match) else match.mentee).user.name


def _pair_url(name: str, match: Match, *args) -> str:
    return reverse(f"sessions:{name}", args=[match.program.slug, match.pk, *args])


def _evaluation_step(me: Participant) -> NextStep | None:
    if not me.evaluation_open or me.evaluated:
        return None
    return NextStep(
        me.program,
        Kind.EVALUATION,
        _("Answer the program evaluation"),
        reverse("evaluation:evaluate", args=[me.program.slug]),
        _("Answer the evaluation"),
        detail=_("It is anonymous and takes about ten minutes."),
    )


def _participant_step(user: User, me: Participant, state: MemberState) -> NextStep | None:
    program = me.program
    mentee = me.role == Participant.Role.MENTEE
    if program.status == Program.Status.CLOSED:
        # A closed program asks only for an evaluation its coordinators have opened.
        return _evaluation_step(me)
    closing = program.status in CLOSING
    if me.survey_status != "submitted" and not closing:
        return NextStep(
            program,
            Kind.SURVEY,
            (_("Fill in your mentee survey") if mentee else _("Fill in your mentor survey")),
            reverse("surveys:mine", args=[program.slug]),
            _("Continue your survey") if me.survey_status else _("Fill in your survey"),
            detail=_("Your answers help the coordinators match you."),
        )
    matches = [m for m in state.matches if m.program_id == program.pk]
    if not matches and not closing and not me.has_preferences:
        return NextStep(
            program,
            Kind.PREFERENCES,
            _("State your matching preferences"),
            reverse("matching:my_preferences", args=[program.slug]),
            _("State your preferences"),
            detail=(
                _("Say what you want to learn and what matters to you in a mentor.")
                if mentee
                else _("Say how many mentees you can take and whom you should not mentor.")
            ),
        )
    orientation = me.orientation_at
    if orientation and orientation > state.now and not closing:
        return NextStep(
            program,
            Kind.ORIENTATION,
            _("Come to the orientation"),
            reverse("sessions:orientation", args=[program.slug]),
            _("See the orientation"),
            when=orientation,
            detail=_("You meet your partner and start your worksheet together."),
        )
    if not matches and not closing:
        detail = _("The coordinators are matching mentors and mentees: you will hear from them.")
        starts = program.starts_on
        if starts and starts > timezone.localdate(state.now):
            detail += " " + _("The program starts on %(date)s.") % {
                "date": format_date(starts, "DATE_FORMAT")
            }
        return NextStep(program, Kind.WAIT_FOR_MATCH, _("Nothing to do now"), detail=detail)
    steps = [_pair_step(user, match, state, closing) for match in matches]
    steps = [step for step in steps if step is not None]
    evaluation = _evaluation_step(me)
    if evaluation is not None:
        steps.append(evaluation)
    if steps:
        return min(steps, key=lambda step: (step.kind, step.sort_key()))
    return NextStep(
        program,
        Kind.NOTHING,
        _("Nothing to do now"),
        detail=_("Thank you for taking part.") if closing else "",
    )


def _pair_step(user: User, match: Match, state: MemberState, closing: bool) -> NextStep | None:
    program = match.program
    partner = _partner_name(user, match)
    if closing or match.status == Match.Status.ENDED:
        me = match.mentee_id if _is_mentee_in(user, match) else match.mentor_id
        mine = [f for f in match.feedback.all() if f.author_id == me]
        if mine and mine[0].is_submitted:
            return None
        return NextStep(
            program,
            Kind.FEEDBACK,
            _("Give your final feedback to %(name)s") % {"name": partner},
            reverse("evaluation:feedback", args=[program.slug, match.pk]),
            _("Continue your feedback") if mine else _("Give your feedback"),
            detail=_("What worked, what you learned, and what comes next for you two."),
        )
    mentee = _is_mentee_in(user, match)
    worksheet = getattr(match, "worksheet", None)
    agreed = worksheet and worksheet.agreed_at(Side.MENTEE if mentee else Side.MENTOR)
    if not agreed:
        return NextStep(
            program,
            Kind.WORKSHEET,
            _("Agree to your worksheet with %(name)s") % {"name": partner},
            _pair_url("worksheet" if worksheet else "worksheet_edit", match),
            _("Open the worksheet") if worksheet else _("Start the worksheet"),
            detail=_("Your goals, how often you meet and how you give feedback."),
        )
    meetings = [m for m in state.meetings if m.match_id == match.pk]
    upcoming = next((m for m in meetings if m.starts_at >= state.now), None)
    if mentee and upcoming and getattr(upcoming, "preparation", None) is None:
        return NextStep(
            program,
            Kind.PREPARE,
            _("Prepare for your meeting with %(name)s") % {"name": partner},
            _pair_url("meeting_preparation", match, upcoming.pk),
            _("Prepare"),
            when=upcoming.starts_at,
            detail=_("What you tried, what you want from the session, your questions."),
        )
    unrecorded = [m for m in meetings if m.starts_at < state.now and not _recorded(m)]
    if not mentee and unrecorded:
        return NextStep(
            program,
            Kind.RECORD,
            _("Record your meeting with %(name)s") % {"name": partner},
            _pair_url("meeting_record", match, unrecorded[0].pk),
            _("Record the meeting"),
            when=unrecorded[0].starts_at,
            detail=_("What you talked about and the actions you agreed."),
        )
    if upcoming is None:
        return NextStep(
            program,
            Kind.PLAN_MEETING,
            _("Plan your next meeting with %(name)s") % {"name": partner},
            _pair_url("meeting_create", match),
            _("Plan a meeting"),
            detail=_("Agree on a date together, then put it here so you both get a reminder."),
        )
    return NextStep(
        program,
        Kind.MEETING_SOON,
        _("Nothing to do now"),
        _pair_url("meeting", match, upcoming.pk),
        _("See the meeting"),
        when=upcoming.starts_at,
        detail=_("Next: your meeting with %(name)s.") % {"name": partner},
    )


def _recorded(meeting: Meeting) -> bool:
    record = getattr(meeting, "record", None)
    return record is not None and record.status == SessionRecord.Status.RECORDED


def next_meeting(state: MemberState) -> Meeting | None:
    """The member's next meeting: the first from today on (an unrecorded one of today too)."""
    today = timezone.localdate(state.now)
    for meeting in state.meetings:
        if meeting.local_date >= today and not (meeting.has_started and _recorded(meeting)):
            return meeting
    return None
