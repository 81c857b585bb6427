"""Reads on applications and nominations, scoped to who is asking."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from accounts.models import Profile, User
from accounts.selectors import profile_of
from core.suppression import SUPPRESS_BELOW, Cell, suppress  # noqa: F401 (re-exported)
from programs.models import Participant, Program

from .models import Application, Nomination


def applications_of(user, program: Program | None = None) -> QuerySet[Application]:
    if not user.is_authenticated:
        return Application.objects.none()
    qs = Application.objects.filter(applicant=user).select_related("program")
    return qs.filter(program=program) if program is not None else qs


def nominations_by(user) -> QuerySet[Nomination]:
    return Nomination.objects.filter(nominator=user).select_related("program")


IN_POOL = (
    Application.Status.SUBMITTED,
    Application.Status.ACCEPTED,
    Application.Status.WAITLISTED,
    Application.Status.DECLINED,
)


@dataclass(frozen=True)
class SummaryRow:
    label: str
    applicants: Cell
    accepted: Cell


@dataclass(frozen=True)
class Dimension:
    title: str
    rows: list[SummaryRow]
    note: str = ""


def _dimension(title, labels, applicant_values, accepted_values, note="") -> Dimension:
    """Count values per label for all applicants and for the accepted class."""
    applicant_counts = Counter(applicant_values)
    accepted_counts = Counter(accepted_values)
    keys = [k for k in labels if applicant_counts.get(k, 0) or k != ""]
    applicants = suppress([applicant_counts.get(k, 0) for k in keys])
    accepted = suppress([accepted_counts.get(k, 0) for k in keys])
    rows = [
        SummaryRow(label=str(labels[k]), applicants=a, accepted=b)
        for k, a, b in zip(keys, applicants, accepted, strict=True)
    ]
    return Dimension(title=title, rows=rows, note=note)


def class_summary(program: Program, role: str = "") -> list[Dimension]:
    """The class being formed vs. everyone who applied: counts only, small ones suppressed.

    One query, whatever the number of applications. Never returns who is what.
    """
    qs = Application.objects.filter(program=program, status__in=IN_POOL)
    if role:
        qs = qs.filter(role=role)
    rows = list(
        qs.values_list(
            "status",
            "local_unit",
            "experience",
            "applicant__profile__gender",
            "applicant__profile__race_ethnicity",
        )
    )
    accepted = [r for r in rows if r[0] == Application.Status.ACCEPTED]
    not_answered = gettext("Not answered")

    def gender(row):
        return row[3] or ""

    def races(row_set):
        for row in row_set:
            values = row[4] or [""]
            yield from values

    def local(row):
        return " ".join((row[1] or "").split()).title() or ""

    gender_labels = {**dict(Profile.Gender.choices), "": not_answered}
    gender_labels[Profile.Gender.SELF_DESCRIBED] = gettext("Self-described")
    race_labels = {**dict(Profile.RaceEthnicity.choices), "": not_answered}
    race_labels[Profile.RaceEthnicity.SELF_DESCRIBED] = gettext("Self-described")
    experience_labels = {**dict(Application.Experience.choices), "": not_answered}
    locals_seen = sorted({local(r) for r in rows} - {""})
    local_labels = {**{name: name for name in locals_seen}, "": not_answered}

    return [
        _dimension(gettext("Gender"), gender_labels, map(gender, rows), map(gender, accepted)),
        _dimension(
            gettext("Race or ethnicity"),
            race_labels,
            races(rows),
            races(accepted),
            note=gettext(
                "People may choose several answers, so a column can add up to more than its total."
            ),
        ),
        _dimension(gettext("Local and unit"), local_labels, map(local, rows), map(local, accepted)),
        _dimension(
            gettext("Union activism"),
            experience_labels,
            (r[2] for r in rows),
            (r[2] for r in accepted),
        ),
    ]


def pool_totals(program: Program, role: str = "") -> tuple[int, int]:
    qs = Application.objects.filter(program=program, status__in=IN_POOL)
    if role:
        qs = qs.filter(role=role)
    counts = qs.aggregate(
        applicants=Count("pk"), accepted=Count("pk", filter=Q(status=Application.Status.ACCEPTED))
    )
    return counts["applicants"], counts["accepted"]


def applications_for_review(
    program: Program, *, search: str = "", status: str = "", role: str = "", local: str = ""
) -> QuerySet[Application]:
    qs = (
        program.applications.exclude(status=Application.Status.DRAFT)
        .select_related("applicant", "nomination")
        .order_by("-submitted_at", "pk")
    )
    if status in Application.Status.values:
        qs = qs.filter(status=status)
    if role in Participant.Role.values:
        qs = qs.filter(role=role)
    if local:
        qs = qs.filter(local_unit__iexact=local)
    if search:
        qs = qs.filter(Q(applicant__name__icontains=search) | Q(applicant__email__icontains=search))
    return qs


def locals_of(program: Program) -> list[str]:
    return sorted(
        set(
            program.applications.exclude(status=Application.Status.DRAFT)
            .exclude(local_unit="")
            .values_list("local_unit", flat=True)
        ),
        key=str.lower,
    )


def nominations_of(program: Program) -> QuerySet[Nomination]:
    return program.nominations.select_related("nominator").prefetch_related("applications")


def application_values(application: Application | None, applicant: User) -> dict:
    """What the application page edits: the answers (blank before the first save) and the
    optional demographics kept on the profile."""
    profile = profile_of(applicant)
    return {
        **{f: getattr(profile, f) for f in Profile.DEMOGRAPHIC_FIELDS if f != "date_of_birth"},
        **{f: getattr(application, f) if application else None for f in Application.ANSWER_FIELDS},
    }
