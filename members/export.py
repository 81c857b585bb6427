"""What the member's data download holds: one entry per model that keeps data about them.

Every model that refers to a member (directly, or through their participation, match,
meeting or record) is either exported here or named in MODELS_LEFT_OUT with why; every
field of an exported model is either exported or named in the entry's `left_out` with
why. members/tests/test_export_registry.py walks the models and fails on anything in
neither, so a new model or field cannot silently drop out of the download.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model, Q
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from matching.services import MENTOR_PROFILE_FIELDS

Shown = Callable[[Any, User], Any]


@dataclass(frozen=True)
class Export:
    """How one model's rows about the member are selected and which fields they show."""

    model: str  # app_label.ModelName
    section: str  # its key in the download
    title: Promise  # its heading on the readable page
    rows: Callable[["Member"], Iterable[Model]]  # the member's rows, related rows selected
    fields: tuple[str, ...] = ()  # model fields exported as they are
    shown: dict[str, Shown] = field(default_factory=dict)  # computed keys (may be fields)
    left_out: dict[str, str] = field(default_factory=dict)  # field -> why it is not exported
    single: bool = False  # at most one row: exported as an object, not a list

    @property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)


def _program(row: Any, user: User) -> str:
    return row.program.name


def _participant_program(row: Any, user: User) -> str:
    return row.participant.program.name


def _match_program(row: Any, user: User) -> str:
    return row.match.program.name


def _partner(match: Any, user: User) -> str:
    # The other side's name, as the member sees it on their pages.
    other = match.mentor if match.mentee.user_id == user.pk else match.mentee
    return other.user.name


def _my_role(match: Any, user: User) -> str:
    return "mentee" if match.mentee.user_id == user.pk else "mentor"


class Member:
    """The member whose data is read, with their participations and matches read once.

    Most of the data hangs off a participation (surveys, preferences, evaluations) or a
    match (worksheets, meetings, records, actions). Asking by those ids, just read, lets the
    database use its indexes: asking through the member's user on both sides of a match
    joins and ORs them, which PostgreSQL estimated at most of the matches and answered by
    scanning every meeting and record (12-200 ms at national size). A member without a
    participation (a coordinator, a new member) has none of those rows: they are not asked
    for, and the page builds no query for them.
    """

    def __init__(self, user: User):
        self.user = user
        self.pk = user.pk

    @cached_property
    def participations(self) -> list[Model]:
        return list(
            _model("programs.Participant").objects.filter(user=self.user).select_related("program")
        )

    @cached_property
    def participant_ids(self) -> list[int]:
        return [participant.pk for participant in self.participations]

    @cached_property
    def matches(self) -> list[Model]:
        mine = self.participant_ids
        if not mine:
            return []
        return list(
            _model("matching.Match")
            .objects.filter(Q(mentee_id__in=mine) | Q(mentor_id__in=mine))
            .select_related("program", "mentee__user", "mentor__user")
        )

    @cached_property
    def match_ids(self) -> list[int]:
        return [match.pk for match in self.matches]


def _model(label: str):
    return apps.get_model(label)


BOOKKEEPING = "an internal number"
YOU = "the member themselves"
MATCH = "the match, under matches; its program is shown"
FUNNEL = (
    "how far the member is in the program's steps, worked out from the applications, surveys,"
    " matches, meetings and evaluation requests exported here; kept for the coordinators' funnel"
)

REGISTRY: tuple[Export, ...] = (
    Export(
        model="accounts.User",
        section="account",
        title=_("Account"),
        rows=lambda member: _model("accounts.User").objects.filter(pk=member.pk),
        fields=("name", "email", "language", "optional_reminders", "date_joined", "last_login"),
        left_out={
            "id": BOOKKEEPING,
            "password": "a one-way hash that cannot be read back",
            "is_superuser": "a site administrator's switch",
            "is_staff": "a site administrator's switch",
            "is_active": "whether the account can log in; it can, since it downloads",
            "groups": "site administration groups",
            "user_permissions": "site administration permissions",
        },
        single=True,
    ),
    Export(
        model="account.EmailAddress",
        section="email_addresses",
        title=_("Log-in e-mail addresses"),
        rows=lambda member: _model("account.EmailAddress").objects.filter(user=member.user),
        fields=("email", "verified", "primary"),
        left_out={"id": BOOKKEEPING, "user": YOU},
    ),
    Export(
        model="mfa.Authenticator",
        section="authenticators",
        title=_("Two-step log-in"),
        rows=lambda member: _model("mfa.Authenticator").objects.filter(user=member.user),
        fields=("type", "created_at", "last_used_at"),
        left_out={
            "id": BOOKKEEPING,
            "user": YOU,
            "data": "the authenticator's secret: in a file it would let anyone log in",
        },
    ),
    Export(
        model="accounts.Profile",
        section="profile",
        title=_("Profile"),
        rows=lambda member: _model("accounts.Profile").objects.filter(user=member.user),
        fields=(
            "phone",
            "contact_email",
            "local_union",
            "union_role",
            "languages",
            "region",
            "date_of_birth",
            "gender",
            "gender_self_described",
            "race_ethnicity",
            "race_ethnicity_self_described",
            "updated_at",
        ),
        left_out={"id": BOOKKEEPING, "user": YOU},
        single=True,
    ),
    Export(
        model="accounts.PersonalDataView",
        section="personal_data_views",
        title=_("Who viewed your personal details"),
        rows=lambda member: (
            _model("accounts.PersonalDataView")
            .objects.filter(subject=member.user)
            .select_related("viewer", "program")
        ),
        fields=("page", "viewed_at"),
        shown={
            "viewer": lambda row, user: row.viewer.name,
            "program": lambda row, user: row.program.name if row.program else None,
        },
        left_out={"id": BOOKKEEPING, "subject": YOU},
    ),
    Export(
        model="matching.MentorProfile",
        section="mentor_profile",
        title=_("Mentor profile"),
        rows=lambda member: _model("matching.MentorProfile").objects.filter(user=member.user),
        # The fields the member edits, as the mentor profile form saves them, and the dates.
        fields=(*MENTOR_PROFILE_FIELDS, "updated_at", "confirmed_at"),
        left_out={"id": BOOKKEEPING, "user": YOU},
        single=True,
    ),
    Export(
        model="programs.Participant",
        section="programs",
        title=_("Programs"),
        rows=lambda member: member.participations,
        fields=("role", "joined_at"),
        shown={"program": _program},
        left_out={
            "id": BOOKKEEPING,
            "user": YOU,
            **dict.fromkeys(
                ("funnel_depth", "funnel_met_at", "funnel_completed", "funnel_evaluated"),
                FUNNEL,
            ),
        },
    ),
    Export(
        model="programs.CoordinatorInvitation",
        section="coordinator_invitations",
        title=_("Invitations to coordinate"),
        rows=lambda member: (
            _model("programs.CoordinatorInvitation")
            .objects.filter(Q(invited_by=member.user) | Q(email__iexact=member.user.email))
            .select_related("program")
        ),
        fields=("email", "status", "created_at", "decided_at"),
        shown={"program": _program},
        left_out={
            "id": BOOKKEEPING,
            "invited_by": "a coordinator of the program, or the member",
            "decided_by": "the person invited, or a coordinator who withdrew it",
        },
    ),
    Export(
        model="programs.ActivityEntry",
        section="activity",
        title=_("What you did as a coordinator"),
        rows=lambda member: (
            _model("programs.ActivityEntry")
            .objects.filter(actor=member.user)
            .select_related("program")
        ),
        fields=("at", "action", "target"),
        shown={"program": lambda row, user: row.program.name if row.program else None},
        left_out={
            "id": BOOKKEEPING,
            "actor": YOU,
            "changes": "the names of the fields changed in the program's records",
        },
    ),
    Export(
        model="intake.Nomination",
        section="nominations_made",
        title=_("Nominations you made"),
        rows=lambda member: (
            _model("intake.Nomination")
            .objects.filter(nominator=member.user)
            .select_related("program")
        ),
        fields=("nominee_name", "nominee_email", "role", "reason", "created_at"),
        shown={"program": _program},
        left_out={"id": BOOKKEEPING, "nominator": YOU},
    ),
    Export(
        model="intake.Application",
        section="applications",
        title=_("Applications"),
        rows=lambda member: (
            _model("intake.Application")
            .objects.filter(applicant=member.user)
            .select_related("program")
        ),
        fields=(
            "role",
            "status",
            "submitted_at",
            "essay",
            "goals",
            "union_role",
            "local_unit",
            "experience",
            "availability",
            "preferred_delivery",
            "lost_time_release",
            "keyed_in_at",
        ),
        shown={"program": _program},
        left_out={
            "id": BOOKKEEPING,
            "applicant": YOU,
            "privacy_consent_at": "the same moment as submitted_at, which is exported",
            "nomination": "another member's nomination, exported to its nominator",
            "decision_note": "a coordinator's note, shown to the member on the application page",
            "decided_by": "a coordinator's identity",
            "keyed_in_by": "a coordinator's identity (keyed_in_at says it came on paper)",
            "decided_at": "bookkeeping of the decision, whose outcome is the exported status",
            "created_at": "bookkeeping",
            "updated_at": "bookkeeping",
        },
    ),
    Export(
        model="matching.MatchingProfile",
        section="matching_profiles",
        title=_("Matching profiles"),
        rows=lambda member: (
            _model("matching.MatchingProfile")
            .objects.filter(participant_id__in=member.participant_ids)
            .select_related("participant__program")
            if member.participant_ids
            else []
        ),
        fields=("learning_goals", "priority", "capacity"),
        shown={"program": _participant_program},
        left_out={"id": BOOKKEEPING, "participant": YOU},
    ),
    Export(
        model="matching.Preference",
        section="preferences",
        title=_("Matching preferences"),
        rows=lambda member: (
            _model("matching.Preference")
            .objects.filter(participant_id__in=member.participant_ids)
            .select_related("participant__program", "mentor__user")
            if member.participant_ids
            else []
        ),
        fields=("kind", "strength", "rank"),
        shown={
            "program": _participant_program,
            "mentor": lambda row, user: row.mentor.user.name if row.mentor else None,
        },
        left_out={"id": BOOKKEEPING, "participant": YOU},
    ),
    Export(
        model="matching.Match",
        section="matches",
        title=_("Matches"),
        rows=lambda member: member.matches,
        fields=("status", "created_at", "started_at", "ended_at", "end_reason"),
        shown={"program": _program, "partner": _partner, "your_role": _my_role},
        left_out={
            "id": BOOKKEEPING,
            "mentee": "shown as partner or your_role",
            "mentor": "shown as partner or your_role",
            "locked": "a coordinator's switch for the matching tool",
            "score": "the matching tool's internal ranking number",
            "override_note": "a coordinator's note on the matching decision",
            "end_note": "a coordinator's note on ending the match",
            "ended_by": "who ended it: a coordinator or the partner",
        },
    ),
    Export(
        model="surveys.Survey",
        section="surveys",
        title=_("Surveys"),
        rows=lambda member: (
            _model("surveys.Survey")
            .objects.filter(participant_id__in=member.participant_ids)
            .select_related("participant__program")
            if member.participant_ids
            else []
        ),
        fields=("status", "submitted_at", "created_at", "updated_at"),
        shown={
            "program": _participant_program,
            "answers": lambda row, user: {
                str(q.text): row.answers.get(q.key, "") for q in row.questions
            },
        },
        left_out={
            "id": BOOKKEEPING,
            "participant": YOU,
            "reopened_at": "bookkeeping of a coordinator reopening it",
            "reopened_by": "a coordinator's identity",
        },
    ),
    Export(
        model="mentoring_sessions.Worksheet",
        section="worksheets",
        title=_("Mentoring worksheets"),
        rows=lambda member: (
            _model("mentoring_sessions.Worksheet")
            .objects.filter(match_id__in=member.match_ids)
            .select_related("match__program")
            if member.match_ids
            else []
        ),
        fields=(
            "roles",
            "purpose",
            "short_term_goals",
            "long_term_goals",
            "starts_on",
            "target_end_on",
            "midpoint_on",
            "timeframe",
            "meeting_plan",
            "contingency_plan",
            "informal_interactions",
            "feedback",
            "next_meeting_at",
            "mentee_agreed_at",
            "mentor_agreed_at",
            "created_at",
            "updated_at",
        ),
        shown={"program": _match_program},
        left_out={
            "match": MATCH,
            "id": BOOKKEEPING,
            "version": "an edit counter",
            "updated_by": "who of the pair saved it last",
        },
    ),
    Export(
        model="mentoring_sessions.Goal",
        section="goals",
        title=_("Goals"),
        rows=lambda member: (
            _model("mentoring_sessions.Goal")
            .objects.filter(match_id__in=member.match_ids)
            .select_related("match__program")
            if member.match_ids
            else []
        ),
        fields=("term", "description", "status", "progress_notes", "created_at", "updated_at"),
        shown={"program": _match_program},
        left_out={"match": MATCH, "id": BOOKKEEPING, "order": "their order on the page"},
    ),
    Export(
        model="mentoring_sessions.Meeting",
        section="meetings",
        title=_("Meetings"),
        rows=lambda member: (
            _model("mentoring_sessions.Meeting")
            .objects.filter(match_id__in=member.match_ids)
            .select_related("match__program")
            if member.match_ids
            else []
        ),
        fields=(
            "starts_at",
            "duration_minutes",
            "location",
            "video_link",
            "mode",
            "caller",
            "mentee_travel_minutes",
            "mentor_travel_minutes",
            "status",
            "cancel_reason",
            "cancelled_at",
            "created_at",
        ),
        shown={"program": _match_program},
        left_out={
            "match": MATCH,
            "id": BOOKKEEPING,
            "sequence": "a calendar update counter",
            "updated_at": "bookkeeping",
            "cancelled_by": "who of the pair cancelled it",
            "created_by": "who of the pair planned it",
        },
    ),
    Export(
        model="mentoring_sessions.Preparation",
        section="preparations",
        title=_("Meeting preparations"),
        rows=lambda member: (
            _model("mentoring_sessions.Preparation")
            .objects.filter(meeting__match_id__in=member.match_ids)
            .select_related("meeting")
            if member.match_ids
            else []
        ),
        fields=(
            "tried",
            "want",
            "challenges",
            "goal_area",
            "questions",
            "requests",
            "action",
            "follow_up",
            "created_at",
            "updated_at",
        ),
        shown={"meeting": lambda row, user: row.meeting.starts_at},
        left_out={"id": BOOKKEEPING},
    ),
    Export(
        model="mentoring_sessions.SessionRecord",
        section="records",
        title=_("Meeting records"),
        rows=lambda member: (
            _model("mentoring_sessions.SessionRecord")
            .objects.filter(meeting__match_id__in=member.match_ids)
            .select_related("meeting")
            if member.match_ids
            else []
        ),
        fields=(
            "status",
            "update",
            "checkin",
            "focus",
            "requests_offers",
            "actions_agreements",
            "next_logistics",
            "lost_time_hours",
            "created_at",
            "updated_at",
        ),
        shown={"meeting": lambda row, user: row.meeting.starts_at},
        left_out={"id": BOOKKEEPING, "recorded_by": "who of the pair wrote it"},
    ),
    Export(
        # The member's own answers only: the partner's answer and note are never theirs to
        # read (the coordinators keep them), so a side's row is selected by its side.
        model="mentoring_sessions.FitCheck",
        section="fit_checks",
        title=_("How your match is going (your private answers)"),
        rows=lambda member: (
            _model("mentoring_sessions.FitCheck")
            .objects.filter(
                Q(side="mentee", match__mentee_id__in=member.participant_ids)
                | Q(side="mentor", match__mentor_id__in=member.participant_ids)
            )
            .select_related("match__program")
            .order_by("answered_at", "pk")
            if member.participant_ids
            else []
        ),
        fields=("stage", "answer", "note", "answered_at"),
        shown={"program": _match_program},
        left_out={
            "match": MATCH,
            "id": BOOKKEEPING,
            "side": YOU,
        },
    ),
    Export(
        model="mentoring_sessions.ActionItem",
        section="actions",
        title=_("Actions"),
        rows=lambda member: (
            _model("mentoring_sessions.ActionItem")
            .objects.filter(match_id__in=member.match_ids)
            .select_related("match__program")
            if member.match_ids
            else []
        ),
        fields=(
            "owner",
            "description",
            "stretch",
            "due_on",
            "status",
            "status_note",
            "closed_at",
            "created_at",
            "updated_at",
        ),
        shown={"program": _match_program},
        left_out={"match": MATCH, "id": BOOKKEEPING, "record": "the meeting record above it"},
    ),
    *(
        Export(
            model=f"mentoring_sessions.{name}",
            section=section,
            title=title,
            rows=lambda member, name=name: (
                _model(f"mentoring_sessions.{name}")
                .objects.filter(attendees__in=member.participant_ids)
                .select_related("program")
                if member.participant_ids
                else []
            ),
            fields=("starts_at",),
            shown={"program": _program, "attendees": lambda row, user: True},
            left_out={
                "id": BOOKKEEPING,
                **dict.fromkeys(
                    (
                        "duration_minutes",
                        "location",
                        "video_link",
                        "sequence",
                        "created_at",
                        "updated_at",
                        "child_care",
                        "food",
                        "accessibility_notes",
                        *extra,
                    ),
                    "the program's event, the same for everyone: on the program's pages",
                ),
            },
        )
        for name, section, title, extra in (
            ("Orientation", "orientation_attended", _("Orientation attended"), ()),
            (
                "GroupSession",
                "group_sessions_attended",
                _("Group sessions attended"),
                (
                    "kind",
                    "audience",
                    "title",
                    "description",
                    "rotation_note",
                    "cancel_reason",
                    "cancelled_at",
                    "cancelled_by",
                ),
            ),
        )
    ),
    Export(
        model="evaluation.Feedback",
        section="feedback_given",
        title=_("Feedback you wrote"),
        rows=lambda member: (
            _model("evaluation.Feedback")
            .objects.filter(author_id__in=member.participant_ids)
            .select_related("match__program")
            if member.participant_ids
            else []
        ),
        fields=(
            "status",
            "worked_well",
            "learned",
            "did_not_work",
            "partner_so_far",
            "partner_going_forward",
            "whats_next",
            "whats_next_other",
            "submitted_at",
            "created_at",
            "updated_at",
        ),
        shown={"program": _match_program},
        left_out={"match": MATCH, "id": BOOKKEEPING, "author": YOU},
    ),
    Export(
        model="evaluation.EvaluationRequest",
        section="evaluation_requests",
        title=_("Program evaluations asked of you"),
        rows=lambda member: (
            _model("evaluation.EvaluationRequest")
            .objects.filter(participant_id__in=member.participant_ids)
            .select_related("participant__program")
            if member.participant_ids
            else []
        ),
        fields=("responded",),
        shown={"program": _participant_program},
        left_out={"participant": YOU, "id": BOOKKEEPING},
    ),
    Export(
        model="evaluation.LaterRole",
        section="later_roles",
        title=_("Later roles in the union"),
        rows=lambda member: (
            _model("evaluation.LaterRole")
            .objects.filter(participant_id__in=member.participant_ids)
            .select_related("participant__program", "followup")
            if member.participant_ids
            else []
        ),
        fields=("kind", "title", "started_on", "ended_on", "created_at"),
        shown={
            "program": _participant_program,
            # Which follow-up the role answered, as its round (the follow-up is below).
            "followup": lambda row, user: row.followup.round if row.followup else None,
        },
        left_out={"participant": YOU, "id": BOOKKEEPING, "entered_by": "a coordinator's identity"},
    ),
    Export(
        model="evaluation.AlumniFollowUp",
        section="alumni_followups",
        title=_("Follow-ups after the program"),
        rows=lambda member: (
            _model("evaluation.AlumniFollowUp")
            .objects.filter(participant_id__in=member.participant_ids)
            .select_related("participant__program")
            if member.participant_ids
            else []
        ),
        fields=("round", "sent_at", "answer", "answered_at"),
        shown={"program": _participant_program},
        left_out={"participant": YOU, "id": BOOKKEEPING},
    ),
    Export(
        model="evaluation.MeasureResult",
        section="measure_results",
        title=_("Success measures"),
        rows=lambda member: (
            _model("evaluation.MeasureResult")
            .objects.filter(participant_id__in=member.participant_ids)
            .select_related("participant__program", "measure")
            if member.participant_ids
            else []
        ),
        fields=("achieved", "note", "updated_at"),
        shown={"program": _participant_program, "measure": lambda r, u: r.measure.label},
        left_out={
            "id": BOOKKEEPING,
            "participant": YOU,
            "recorded_by": "a coordinator's identity",
        },
    ),
    Export(
        model="evaluation.Testimonial",
        section="testimonials",
        title=_("Testimonials"),
        rows=lambda member: (
            _model("evaluation.Testimonial")
            .objects.filter(participant_id__in=member.participant_ids)
            .select_related("participant__program")
            if member.participant_ids
            else []
        ),
        fields=(
            "text",
            "show_name",
            "consented_at",
            "status",
            "reviewed_at",
            "created_at",
            "updated_at",
        ),
        shown={"program": _participant_program},
        left_out={"participant": YOU, "id": BOOKKEEPING, "reviewed_by": "a coordinator's identity"},
    ),
    Export(
        model="reminders.Reminder",
        section="reminders",
        title=_("Reminders sent to you"),
        rows=lambda member: (
            _model("reminders.Reminder")
            .objects.filter(recipient=member.user)
            .select_related("program")
        ),
        fields=("kind", "due_on", "created_at", "sent_at", "skipped"),
        shown={"program": lambda row, user: row.program.name if row.program else None},
        left_out={
            "id": BOOKKEEPING,
            "recipient": YOU,
            "subject_key": "an internal key that keeps a reminder from going twice",
            "enqueued_at": "bookkeeping of the sending",
            "message": "the e-mail itself, kept 7 days in the outbox and in your inbox",
            "sent_by": "a coordinator who sent it by hand",
        },
    ),
)

# Models that refer to a member but whose rows are not in the download, each with why.
MODELS_LEFT_OUT: dict[str, str] = {
    "programs.Program": "the program itself; the member's place in it is under programs",
    "evaluation.EvaluationResponse": "anonymous by design: nothing ties it to the member",
    "evaluation.EvaluationWindow": "a program's switch; it names only the coordinator",
    "reminders.ReminderSettings": "a program's settings; it names only the coordinator",
    "printing.Packet": "a printed packet a coordinator asked for, kept a few days",
    "matching.Exclusion": "a coordinator's matching rule about two members, with their reason",
    "mentoring_sessions.CalendarFeed": "a secret link: in a file it would let anyone read it",
    "account.EmailConfirmation": "a one-time key: in a file it would be a working secret",
    "mentoring_sessions.AgendaItem": "the orientation's agenda, the same for everyone",
    "admin.LogEntry": "the site administrators' log of their own edits",
}


def _value(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    return value


def _row(export: Export, row: Any, user: User, value: Callable[[Any], Any]) -> dict[str, Any]:
    data = {key: value(show(row, user)) for key, show in export.shown.items()}
    data.update({name: value(getattr(row, name)) for name in export.fields})
    return data


def export_rows(export: Export, member: Member, *, value: Callable[[Any], Any] = _value) -> Any:
    """One entry's part of the download: a list of rows, or one object (or {}).

    Dates are ISO 8601 in the file (for machines); the readable page passes its own `value`.
    """
    user = member.user
    rows = [_row(export, row, user, value) for row in export.rows(member)]
    if export.single:
        return rows[0] if rows else {}
    return rows


# Headings of the computed keys on the readable page (model fields use their own names).
SHOWN_LABELS: dict[str, Promise] = {
    "program": _("program"),
    "partner": _("partner"),
    "your_role": _("your role"),
    "answers": _("answers"),
    "viewer": _("viewed by"),
    "mentor": _("mentor"),
    "meeting": _("meeting"),
    "measure": _("measure"),
    "attendees": _("attended"),
}
