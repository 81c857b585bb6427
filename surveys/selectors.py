"""Who may see a participant's survey and details, and which fields: the one place.

A participant sees their own; their active match partner sees the survey and contact
details but never gender, date of birth or race/ethnicity; the program's coordinators
see everything. Nobody else sees anything (404).
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import F, Max, Q, QuerySet
from django.http import Http404

from accounts.models import Profile, User
from accounts.selectors import demographics_for, profile_of, profile_values
from intake.models import Application
from matching.models import Match
from programs.access import Role, checked_role
from programs.models import Participant, Program

from .models import Survey


class Relation(StrEnum):
    SELF = "self"
    PARTNER = "partner"
    COORDINATOR = "coordinator"


SEES_DEMOGRAPHICS = frozenset({Relation.SELF, Relation.COORDINATOR})


def partners_of(participant: Participant) -> QuerySet[Participant]:
    """The participants in an active match with this one."""
    matches = Match.objects.filter(status=Match.Status.ACTIVE)
    mentor_ids = matches.filter(mentee=participant).values("mentor_id")
    mentee_ids = matches.filter(mentor=participant).values("mentee_id")
    return Participant.objects.filter(Q(pk__in=mentor_ids) | Q(pk__in=mentee_ids))


def relation_to(viewer: User, participant: Participant) -> Relation | None:
    if checked_role(viewer, participant.program) is Role.COORDINATOR:
        return Relation.COORDINATOR
    if participant.user_id == viewer.pk:
        return Relation.SELF
    if partners_of(participant).filter(user=viewer).exists():
        return Relation.PARTNER
    return None


def get_participant_for_viewer(
    viewer: User, slug: str, participant_id: int
) -> tuple[Participant, Relation]:
    participant = (
        Participant.objects.select_related("program", "user")
        .filter(program__slug=slug, pk=participant_id)
        .first()
    )
    relation = relation_to(viewer, participant) if participant and viewer.is_authenticated else None
    if relation is None:
        raise Http404
    return participant, relation


@dataclass(frozen=True)
class MemberDetails:
    """What one viewer may see of a member: contact block, plus demographics or None."""

    name: str
    email: str
    contact: list[tuple[Any, Any]] = field(default_factory=list)
    demographics: list[tuple[Any, Any]] | None = None
    # The stored demographic values by field name, for paper; empty when not shown.
    demographic_values: dict[str, Any] = field(default_factory=dict)


def member_details(
    subject: User,
    relation: Relation,
    *,
    viewer: User | None = None,
    program: Program | None = None,
    page: str = "",
) -> MemberDetails:
    """The member as `viewer` may see them; demographics come from the logged accessor."""
    profile = profile_of(subject)
    label = lambda name: Profile._meta.get_field(name).verbose_name  # noqa: E731
    contact = [
        (label("phone"), profile.phone),
        (label("local_union"), profile.local_union),
        (label("union_role"), profile.union_role),
        (label("languages"), ", ".join(profile.languages)),
        (label("region"), profile.region),
    ]
    demographics = None
    if relation in SEES_DEMOGRAPHICS:
        if viewer is None or not page:
            raise ValueError("Demographics are shown to a named viewer on a named page only.")
        demographics = demographics_for(viewer=viewer, subject=subject, program=program, page=page)
    return MemberDetails(
        name=subject.name,
        email=profile.contact_email or subject.email,
        contact=contact,
        demographics=demographics.rows if demographics else None,
        demographic_values=demographics.values if demographics else {},
    )


NOT_STARTED = "not_started"


def survey_completion(
    program: Program, *, role: str = "", status: str = "", search: str = ""
) -> QuerySet[Participant]:
    """The participants with their survey and when each was last reminded of it."""
    return _with_reminded(_completion(program, role=role, status=status, search=search))


def survey_completion_ids(program: Program, **filters) -> QuerySet:
    """The ids of `survey_completion`'s rows, in its order: what a page is cut from."""
    return _completion(program, **filters).values_list("pk", flat=True)


def survey_completion_rows(program: Program, ids) -> QuerySet[Participant]:
    """`survey_completion`'s rows for these ids (a page of `survey_completion_ids`), in its
    order: the reminders are read for the page's participants only."""
    return _with_reminded(program.participants.filter(pk__in=ids))


def _completion(
    program: Program, *, role: str = "", status: str = "", search: str = ""
) -> QuerySet[Participant]:
    qs = program.participants.order_by("role", "user__name")
    if role in Participant.Role.values:
        qs = qs.filter(role=role)
    if status == NOT_STARTED:
        qs = qs.filter(survey__isnull=True)
    elif status:
        qs = qs.filter(survey__status=status)
    if search:
        qs = qs.filter(Q(user__name__icontains=search) | Q(user__email__icontains=search))
    return qs


def _with_reminded(qs: QuerySet[Participant]) -> QuerySet[Participant]:
    # When each was last sent a survey reminder in this program (the reminders app's rows,
    # read through the member's reverse relation: one query for the page, not one a row).
    sent = Q(user__reminders__kind="survey_due", user__reminders__program=F("program"))
    return (
        qs.select_related("user", "survey")
        .annotate(reminded_at=Max("user__reminders__sent_at", filter=sent))
        .order_by("role", "user__name")
    )


def completion_counts(program: Program) -> dict[str, int]:
    rows = program.participants.values_list("survey__status", flat=True)
    counts = {NOT_STARTED: 0, "draft": 0, "submitted": 0}
    for status in rows:
        counts[status or NOT_STARTED] += 1
    return counts


def survey_values(survey: Survey | None, profile: Profile, questions) -> dict:
    """What the survey page edits: each answer (blank before the first save) and the profile."""
    answers = survey.answers if survey else {}
    return {**profile_values(profile), **{q.key: answers.get(q.key, "") for q in questions}}


# The survey's general block asks these too; the application asked them first.
# Profile field -> the application's answer to the same question.
ASKED_IN_APPLICATION = {"union_role": "union_role", "local_union": "local_unit"}


@dataclass(frozen=True)
class FromApplication:
    """The general-block answers the member's application already gave.

    `known`: profile fields that hold an answer, shown but not asked again on the survey;
    `prefill`: profile fields still empty, asked with the application's answer filled in.
    """

    known: dict[str, str] = field(default_factory=dict)
    prefill: dict[str, str] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, str]]:
        return [(Profile._meta.get_field(name).verbose_name, v) for name, v in self.known.items()]


def answered_in_application(participant: Participant, profile: Profile) -> FromApplication:
    """What the participant's own (submitted) application to this program answered."""
    application = (
        Application.objects.filter(
            program_id=participant.program_id,
            applicant_id=participant.user_id,
            role=participant.role,
        )
        .exclude(status=Application.Status.DRAFT)
        .only(*ASKED_IN_APPLICATION.values())
        .first()
    )
    if application is None:
        return FromApplication()
    known, prefill = {}, {}
    for name, asked_as in ASKED_IN_APPLICATION.items():
        if not getattr(application, asked_as).strip():
            continue
        if getattr(profile, name).strip():
            known[name] = getattr(profile, name)
        else:
            prefill[name] = getattr(application, asked_as)
    return FromApplication(known=known, prefill=prefill)
