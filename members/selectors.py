"""Reads on a member's own data across every app: the "my data" download, and the state
the member's next step is worked out from."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import BooleanField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import User
from core.dates import format_date
from evaluation.models import EvaluationRequest
from intake.models import Application
from matching.models import Match, MatchingProfile
from programs.models import Participant, Program
from sessions.models import ActionItem, Meeting, SessionRecord
from sessions.selectors import fit_check_columns

from .export import REGISTRY, SHOWN_LABELS, Member, export_rows


def member_data(user: User) -> dict[str, Any]:
    """Everything the application keeps about the member, for their own download.

    One query per entry of the registry (members/export.py), whatever the number of rows.
    Program evaluations are anonymous by design: nothing ties them to the member.
    """
    member = Member(user)
    return {export.section: export_rows(export, member) for export in REGISTRY}


def _readable(value: Any) -> Any:
    """A value as the page shows it: dates in the member's language, not ISO 8601."""
    if isinstance(value, datetime.datetime):
        return format_date(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, Promise):
        return str(value)
    return value


def member_data_page(user: User) -> list[dict[str, Any]]:
    """The same data for the readable page: each section with its heading and labels."""
    sections = []
    member = Member(user)
    for export in REGISTRY:
        data = export_rows(export, member, value=_readable)
        rows = [data] if export.single and data else ([] if export.single else data)
        model = export.model_class
        labels = {}
        for key in [*export.shown, *export.fields]:
            if key in SHOWN_LABELS:
                labels[key] = str(SHOWN_LABELS[key])
                continue
            try:
                labels[key] = str(model._meta.get_field(key).verbose_name)
            except models.FieldDoesNotExist:
                labels[key] = key.replace("_", " ")
        sections.append(
            {
                "key": export.section,
                "title": export.title,
                "rows": [[(labels[key], value) for key, value in row.items()] for row in rows],
            }
        )
    return sections


def member_data_rows(user: User) -> list[tuple[str, str, str]]:
    """The same data flattened to (section, field, value) rows for a spreadsheet."""
    rows: list[tuple[str, str, str]] = []

    def walk(section: str, value: Any, field: str = "") -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(section, inner, f"{field}.{key}" if field else str(key))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for index, item in enumerate(value, start=1):
                walk(f"{section} {index}", item, field)
        else:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            rows.append((section, field, "" if shown is None else str(shown)))

    for section, value in member_data(user).items():
        walk(section, value)
    return rows


def account_delete_refusal(user: User) -> str:
    """Why the member cannot delete their account now, or "" if they can."""
    # Counted before filtering on the member, or the join would count only them.
    alone = (
        Program.objects.annotate(n=models.Count("coordinators"))
        .filter(coordinators=user, n=1)
        .exclude(status=Program.Status.CLOSED)
        .order_by("name")
    )
    names = ", ".join(program.name for program in alone)
    if names:
        return _(
            "You are the only coordinator of %(programs)s. Invite another coordinator, or "
            "close the program, before you delete your account."
        ) % {"programs": names}
    return ""


# --- The member's state across their programs: "your next step" (members/next_step.py) ---


@dataclass(frozen=True)
class MemberState:
    """What the next step is worked out from, read in a fixed number of queries."""

    applications: list[Application]
    participations: list[Participant]  # annotated: survey_status, has_preferences, ...
    matches: list[Match]  # published, with both members, the worksheet and the feedback
    meetings: list[Meeting]  # scheduled: from today on, and earlier ones not yet recorded
    now: datetime.datetime


def member_state(user: User, program: Program | None = None) -> MemberState:
    """The member's applications, participations, pairs and meetings (five queries).

    With `program`, only that program's.
    """
    now = timezone.now()
    in_program = {"program": program} if program is not None else {}
    applications = list(
        Application.objects.filter(applicant=user, **in_program)
        .exclude(status=Application.Status.ACCEPTED)
        .select_related("program")
        .order_by("program__name", "role")
    )
    participations = list(
        Participant.objects.filter(user=user, **in_program)
        .select_related("program")
        .annotate(
            survey_status=F("survey__status"),
            has_preferences=Exists(MatchingProfile.objects.filter(participant=OuterRef("pk"))),
            orientation_at=F("program__orientation__starts_at"),
            evaluation_open=Coalesce(
                F("program__evaluation_window__is_open"), Value(False), output_field=BooleanField()
            ),
            evaluated=Exists(
                EvaluationRequest.objects.filter(participant=OuterRef("pk"), responded=True)
            ),
        )
        .order_by("program__name")
    )
    # The member's pairs are those of their participations, just read: asking by their ids
    # lets the database use its indexes (`involving(user)` joins both sides and ORs them,
    # which PostgreSQL plans as a scan of every match).
    mine = [p.pk for p in participations]
    matches = (
        list(
            Match.objects.published()
            .filter(Q(mentee_id__in=mine) | Q(mentor_id__in=mine))
            .select_related("program", "mentee__user", "mentor__user", "worksheet")
            # Whether a fit check waits for the member: subqueries of this row, no query.
            .annotate(**fit_check_columns())
            .prefetch_related("feedback")
            .order_by("program_id", "pk")
        )
        if mine
        else []
    )
    by_id = {m.pk: m for m in matches}
    active = [m.pk for m in matches if m.status == Match.Status.ACTIVE]
    today = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(now), datetime.time.min)
    )
    meetings = (
        list(
            Meeting.objects.filter(match__in=active, status=Meeting.Status.SCHEDULED)
            .filter(
                Q(starts_at__gte=today)
                | ~Q(record__status=SessionRecord.Status.RECORDED)
                | Q(record__isnull=True)
            )
            .select_related("preparation", "record")
            .order_by("starts_at", "pk")
        )
        if active
        else []
    )
    for meeting in meetings:
        meeting.match = by_id[meeting.match_id]  # read above, with its program and members
    return MemberState(applications, participations, matches, meetings, now)


def open_actions_of(state: MemberState) -> list[ActionItem]:
    """The open actions of the member's active pairs, pair by pair, soonest due first."""
    active = {m.pk: m for m in state.matches if m.status == Match.Status.ACTIVE}
    if not active:
        return []
    actions = list(
        ActionItem.objects.filter(status=ActionItem.Status.OPEN, match_id__in=active).order_by(
            "match__program__name", "match_id", "due_on", "pk"
        )
    )
    for action in actions:
        action.match = active[action.match_id]  # read with the state, program and members
    return actions


def action_of_member(user: User, action_id: int) -> ActionItem | None:
    """One action of the member's own pairs (active or ended), or None: the caller 404s."""
    return (
        ActionItem.objects.filter(pk=action_id, match__in=Match.objects.published().involving(user))
        .select_related("match__program")
        .first()
    )
