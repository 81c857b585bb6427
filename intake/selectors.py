"""Reads on applications and nominations, scoped to who is asking."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from accounts.models import Profile, User
from accounts.selectors import profile_of
from core.disclosure import Spec, System, disclose, partition_facts, several_answers_facts
from core.suppression import SUPPRESS_BELOW, Cell  # noqa: F401 (re-exported)
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


# The summary's role filter: its variants are audited together, since a reader combines them.
SUMMARY_VARIANTS = ("", *Participant.Role.values)
# The finest groups a coordinator can name from the list: one role, accepted or not.
SUMMARY_GROUPS = tuple(
    (role, accepted) for role in Participant.Role.values for accepted in (True, False)
)


@dataclass(frozen=True)
class _Answers:
    """One dimension of the summary before disclosure control."""

    title: str
    labels: dict[str, str]
    group_values: list[list]  # per group, each person's answer (a tuple of them if several)
    note: str = ""
    several: bool = False


def _summary_system(dimensions: list[_Answers]) -> System:
    """Every cell of the summary, for every role variant and every dimension, as sums of the
    counts per (role, decision, answer), with what a coordinator knows: each group's size."""
    values: list[int] = []
    upper: list[int] = []
    facts = []
    cells = []
    for d, dimension in enumerate(dimensions):
        keys = list(dimension.labels)
        width, start = len(keys), len(values)
        sizes = [len(people) for people in dimension.group_values]
        for people in dimension.group_values:
            answers = (a for answer in people for a in answer) if dimension.several else people
            counts = Counter(answers)
            values += [counts.get(key, 0) for key in keys]
            upper += [len(people)] * width
        groups = [
            list(range(start + g * width, start + (g + 1) * width)) for g in range(len(sizes))
        ]
        if dimension.several:
            facts += several_answers_facts(groups, sizes, keys.index(""))
        else:
            facts += partition_facts(groups, sizes)
        for v, variant in enumerate(SUMMARY_VARIANTS):
            in_variant = [g for g, (role, _a) in enumerate(SUMMARY_GROUPS) if variant in ("", role)]
            columns = (in_variant, [g for g in in_variant if SUMMARY_GROUPS[g][1]])
            for c in range(width):
                for column, members in enumerate(columns):
                    terms = tuple(groups[g][c] for g in members)
                    cells.append(Spec(((d, v), (d, c), column), terms))
    return System(tuple(values), tuple(upper), tuple(facts), tuple(cells))


def _summaries(dimensions: list[_Answers]) -> dict[str, list[Dimension]]:
    """Each role variant's tables, small and telling counts hidden, all audited together."""
    shown = iter(disclose(_summary_system(dimensions)))
    tables: dict[str, list[Dimension]] = {variant: [] for variant in SUMMARY_VARIANTS}
    for dimension in dimensions:
        for variant in SUMMARY_VARIANTS:
            rows = [
                SummaryRow(label=str(label), applicants=next(shown), accepted=next(shown))
                for label in dimension.labels.values()
            ]
            tables[variant].append(Dimension(dimension.title, rows, dimension.note))
    return tables


def class_summaries(program: Program) -> dict[str, list[Dimension]]:
    """The class being formed vs. everyone who applied, for every role filter at once.

    Counts only, one query whatever the number of applications, never who is what. The
    variants are audited together (core.disclosure): no hidden count of one can be worked
    out from the others, the group sizes a coordinator sees in the list, or the rule itself.
    """
    return _summaries(summary_answers(program))


def summary_answers(program: Program) -> list[_Answers]:
    """The pool's answers per dimension and group, before disclosure control (one query)."""
    rows = list(
        Application.objects.filter(program=program, status__in=IN_POOL).values_list(
            "role",
            "status",
            "local_unit",
            "experience",
            "applicant__profile__gender",
            "applicant__profile__race_ethnicity",
        )
    )
    not_answered = gettext("Not answered")

    def local(row):
        return " ".join((row[2] or "").split()).title() or ""

    members = [
        [r for r in rows if r[0] == role and (r[1] == Application.Status.ACCEPTED) == accepted]
        for role, accepted in SUMMARY_GROUPS
    ]
    gender_labels = {**dict(Profile.Gender.choices), "": not_answered}
    gender_labels[Profile.Gender.SELF_DESCRIBED] = gettext("Self-described")
    race_labels = {**dict(Profile.RaceEthnicity.choices), "": not_answered}
    race_labels[Profile.RaceEthnicity.SELF_DESCRIBED] = gettext("Self-described")
    experience_labels = {**dict(Application.Experience.choices), "": not_answered}
    locals_seen = sorted({local(r) for r in rows} - {""})
    local_labels = {**{name: name for name in locals_seen}, "": not_answered}
    return [
        _Answers(
            gettext("Gender"), gender_labels, [[r[4] or "" for r in group] for group in members]
        ),
        _Answers(
            gettext("Race or ethnicity"),
            race_labels,
            [[tuple(r[5] or ("",)) for r in group] for group in members],
            note=gettext(
                "People may choose several answers, so a column can add up to more than its total."
            ),
            several=True,
        ),
        _Answers(
            gettext("Local and unit"),
            local_labels,
            [[local(r) for r in group] for group in members],
        ),
        _Answers(
            gettext("Union activism"),
            experience_labels,
            [[r[3] or "" for r in group] for group in members],
        ),
    ]


def class_summary(program: Program, role: str = "") -> list[Dimension]:
    """The summary under one role filter (audited with the others: see class_summaries)."""
    return class_summaries(program)[role if role in SUMMARY_VARIANTS else ""]


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
    # Each local once from the database (DISTINCT, unsorted there), sorted here.
    return sorted(
        program.applications.exclude(status=Application.Status.DRAFT)
        .exclude(local_unit="")
        .order_by()
        .values_list("local_unit", flat=True)
        .distinct(),
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


def next_waiting(program: Program, after: Application) -> Application | None:
    """The waiting application that follows `after` in the review list, else the first one.

    The list is newest first (`applications_for_review`), so "next" is older, or as old
    with a higher id; from the end it starts again at the top.
    """
    waiting = applications_for_review(program, status=Application.Status.SUBMITTED).exclude(
        pk=after.pk
    )
    if after.submitted_at is None:
        return waiting.first()
    later = waiting.filter(
        Q(submitted_at__lt=after.submitted_at) | Q(submitted_at=after.submitted_at, pk__gt=after.pk)
    )
    return later.first() or waiting.first()
