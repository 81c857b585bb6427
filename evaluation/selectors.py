"""Reads for close-out: feedback, evaluation results, outcomes, the program report.

Evaluation results are aggregates only, from closed rounds only, and only for groups of
at least `checks.min_group()` responses; free text only above it, in random order.
"""

import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Profile
from core.charts import BarChart, bar_chart
from core.csv_export import spreadsheet_safe
from core.disclosure import Spec, System, disclose, partition_facts, several_answers_facts
from core.suppression import Cell
from intake.models import Application
from matching.models import Match
from programs.models import Participant, Program

from . import questions
from .checks import min_group
from .models import (
    AlumniFollowUp,
    Answer,
    EvaluationRequest,
    EvaluationResponse,
    EvaluationWindow,
    Feedback,
    LaterRole,
    MeasureResult,
    Testimonial,
)
from .services import FOLLOWUP_ANSWERABLE, Outcome, answerable_followup, next_step_outcome

# --- Final feedback ------------------------------------------------------------------------


def matches_of(participant: Participant) -> QuerySet[Match]:
    """The participant's matches that have (or had) a final session, with both feedbacks."""
    return (
        Match.objects.involving_participant(participant)
        .published()
        .select_related("mentee__user", "mentor__user")
        .prefetch_related("feedback")
        .order_by("-created_at", "pk")
    )


@dataclass(frozen=True)
class FeedbackView:
    """What one party sees of a match's feedback: their own, and the partner's when shared."""

    match: Match
    me: Participant
    partner: Participant
    mine: Feedback | None
    partner_submitted: bool
    theirs: Feedback | None  # only once both have submitted

    @property
    def i_am_mentor(self) -> bool:
        return self.me.pk == self.match.mentor_id

    def my_sections(self) -> list["Section"]:
        return feedback_sections(self.mine, by_mentor=self.i_am_mentor) if self.mine else []

    def their_sections(self) -> list["Section"]:
        return feedback_sections(self.theirs, by_mentor=not self.i_am_mentor) if self.theirs else []


@dataclass(frozen=True)
class Section:
    heading: str
    answers: list[tuple[str, str]]


def feedback_sections(feedback: Feedback, *, by_mentor: bool) -> list[Section]:
    """A feedback form's answers under the appendix's own headings and questions."""
    heading, so_far, going_forward = questions.partner_prompts(by_mentor=by_mentor)
    label = lambda name: str(Feedback._meta.get_field(name).verbose_name)  # noqa: E731
    next_step = feedback.get_whats_next_display()
    if feedback.whats_next == Feedback.NextStep.OTHER and feedback.whats_next_other:
        next_step = f"{next_step}: {feedback.whats_next_other}"
    return [
        Section(
            str(questions.FEEDBACK_ASSESS),
            [
                (label(name), getattr(feedback, name))
                for name in ("worked_well", "learned", "did_not_work")
            ],
        ),
        Section(
            str(heading),
            [
                (str(so_far), feedback.partner_so_far),
                (str(going_forward), feedback.partner_going_forward),
            ],
        ),
        Section(gettext("What’s next:"), [(str(questions.WHATS_NEXT_INTRO), next_step)]),
    ]


def feedback_view(match: Match, me: Participant) -> FeedbackView:
    """`match` comes from `matches_of` (feedback prefetched)."""
    partner = match.mentor if me.pk == match.mentee_id else match.mentee
    by_author = {f.author_id: f for f in match.feedback.all()}
    mine, partners = by_author.get(me.pk), by_author.get(partner.pk)
    partner_submitted = bool(partners and partners.is_submitted)
    both = partner_submitted and bool(mine and mine.is_submitted)
    return FeedbackView(
        match=match,
        me=me,
        partner=partner,
        mine=mine,
        partner_submitted=partner_submitted,
        theirs=partners if both else None,
    )


def printable_feedback(match: Match, me: Participant, feedback_id: int) -> Feedback | None:
    """A feedback form `me` may print, as their page shows it: their own once submitted, or
    the partner's once both have submitted; None otherwise. Its match and author are set
    for the printed paper."""
    view = feedback_view(match, me)
    shown = [view.theirs] if view.theirs else []
    if view.mine and view.mine.is_submitted:
        shown.append(view.mine)
    feedback = next((f for f in shown if f.pk == feedback_id), None)
    if feedback is not None:
        feedback.match = match
        feedback.author = me if feedback is view.mine else view.partner
    return feedback


@dataclass(frozen=True)
class FeedbackRow:
    """A coordinator's line for one match: who has submitted, and their "what's next".

    The cells' words are made here, once per row (`*_choice`, `status`), so the table's
    markup reads them as they are instead of including a partial per cell.
    """

    match: Match
    mentee: Feedback | None
    mentor: Feedback | None
    outcome: Outcome
    mentee_name: str = ""
    mentor_name: str = ""
    mentee_choice: str = ""  # "Not started", "In progress" or the submitted "what's next"
    mentor_choice: str = ""
    status: str = ""  # the match's status, with why it ended
    needs_decision: bool = False


def _submitted_choice(feedback: Feedback | None) -> str:
    return feedback.whats_next if feedback and feedback.is_submitted else ""


def _choice_text(feedback: Feedback | None) -> str:
    """One party's feedback as the coordinator's table shows it."""
    if feedback is None:
        return gettext("Not started")
    if not feedback.is_submitted:
        return gettext("In progress")
    text = str(feedback.get_whats_next_display())
    if feedback.whats_next == Feedback.NextStep.OTHER and feedback.whats_next_other:
        text = f"{text}: {feedback.whats_next_other}"
    return text


def feedback_rows(matches: Iterable[Match]) -> list[FeedbackRow]:
    rows = []
    for match in matches:
        by_author = {f.author_id: f for f in match.feedback.all()}
        mentee, mentor = by_author.get(match.mentee_id), by_author.get(match.mentor_id)
        outcome = next_step_outcome(_submitted_choice(mentee), _submitted_choice(mentor))
        status = str(match.get_status_display())
        if match.end_reason:
            status = f"{status} ({str(match.get_end_reason_display()).lower()})"
        rows.append(
            FeedbackRow(
                match=match,
                mentee=mentee,
                mentor=mentor,
                outcome=outcome,
                mentee_name=match.mentee.user.name,
                mentor_name=match.mentor.user.name,
                mentee_choice=_choice_text(mentee),
                mentor_choice=_choice_text(mentor),
                status=status,
                needs_decision=outcome == Outcome.DECIDE and match.status == Match.Status.ACTIVE,
            )
        )
    return rows


# What the close-out table reads of each feedback: not the five written answers.
FEEDBACK_ROW_FIELDS = ("match", "author", "status", "whats_next", "whats_next_other")


def feedback_matches(program: Program) -> QuerySet[Match]:
    return (
        program.matches.published()
        .select_related("mentee__user", "mentor__user")
        .prefetch_related(Prefetch("feedback", Feedback.objects.only(*FEEDBACK_ROW_FIELDS)))
        .order_by("mentee__user__name", "pk")
    )


# --- Program evaluation: who is asked, and the results ---------------------------------------


def window_of(program: Program) -> EvaluationWindow | None:
    return EvaluationWindow.objects.filter(program=program).first()


def has_responded(participant: Participant) -> bool:
    return EvaluationRequest.objects.filter(participant=participant, responded=True).exists()


@dataclass(frozen=True)
class ResponseCount:
    role: str
    label: str
    asked: int
    responded: int


def response_counts(program: Program) -> list[ResponseCount]:
    """How many of each role were asked and have responded: counts, never who (one query
    whose rows are the (role, responded) groups, whatever the program's size)."""
    counts = {
        (row["participant__role"], row["responded"]): row["n"]
        for row in EvaluationRequest.objects.filter(participant__program=program)
        .order_by()
        .values("participant__role", "responded")
        .annotate(n=Count("pk"))
    }
    return [
        ResponseCount(
            role=role,
            label=str(label),
            asked=counts.get((role, True), 0) + counts.get((role, False), 0),
            responded=counts.get((role, True), 0),
        )
        for role, label in Participant.Role.choices
    ]


def released_rounds(
    per_round: Mapping[int, int], *, open_round: int | None, threshold: int
) -> frozenset[int]:
    """The rounds whose responses may be shown, so that results only ever grow in steps of
    at least `threshold` responses.

    A round still open is never shown. Closed rounds are taken in order; a round with too
    few responses waits and joins the next, so a coordinator who reopens the window for a
    straggler cannot read the straggler's answers as the difference between two reports.
    """
    released: set[int] = set()
    pending: list[int] = []
    waiting = 0
    for number in sorted(per_round):
        if number == open_round:
            break
        pending.append(number)
        waiting += per_round[number]
        if waiting >= threshold:
            released.update(pending)
            pending, waiting = [], 0
    return frozenset(released)


@dataclass(frozen=True)
class Tally:
    label: str
    count: int


@dataclass
class EvaluationResults:
    """One form's results (mentees' or mentors'), as much as may be shown."""

    role: str
    title: str
    threshold: int
    received: int  # every response so far, open round included
    shown: int  # responses of the released rounds
    helpfulness: list[Tally] = field(default_factory=list)
    average: float | None = None
    median: float | None = None
    recommend: list[Tally] = field(default_factory=list)
    effects: list[Tally] = field(default_factory=list)
    mentor_again: list[Tally] = field(default_factory=list)
    useful_aspects: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    charts: list[BarChart] = field(default_factory=list)

    @property
    def visible(self) -> bool:
        return self.shown >= self.threshold

    @property
    def texts_visible(self) -> bool:
        return self.shown > self.threshold

    @property
    def useful_question(self):
        return questions.USEFUL_QUESTION[self.role]

    @property
    def helpfulness_question(self):
        return questions.HELPFULNESS_QUESTION[self.role]

    @property
    def suggestions_question(self):
        return questions.SUGGESTIONS_QUESTION


def _shuffled(texts: Iterable[str]) -> list[str]:
    items = [t for t in texts if t]
    random.SystemRandom().shuffle(items)
    return items


def _results(role: str, rows: list, *, open_round: int | None) -> EvaluationResults:
    """`rows` are named rows of one role's responses (see evaluation_results)."""
    threshold = min_group()
    per_round = Counter(row.round for row in rows)
    released = released_rounds(per_round, open_round=open_round, threshold=threshold)
    shown = [row for row in rows if row.round in released]
    results = EvaluationResults(
        role=role,
        title=str(questions.EVALUATION_TITLES[role]),
        threshold=threshold,
        received=len(rows),
        shown=len(shown),
    )
    if not results.visible:
        return results
    scores = [row.helpfulness for row in shown]
    scale = Counter(scores)
    results.helpfulness = [
        Tally(str(label), scale[value]) for value, label in questions.HELPFULNESS_CHOICES
    ]
    results.average = round(statistics.fmean(scores), 1)
    results.median = statistics.median(scores)
    answers = [(value, str(label)) for value, label in Answer.choices]
    recommend = Counter(row.recommend for row in shown)
    results.recommend = [Tally(label, recommend[value]) for value, label in answers]
    effects = Counter(key for row in shown for key in row.effects)
    results.effects = [
        Tally(str(label), effects[key]) for key, label in questions.effects_for(role)
    ]
    if role == Participant.Role.MENTOR:
        again = Counter(row.mentor_again for row in shown)
        results.mentor_again = [Tally(label, again[value]) for value, label in answers]
    if results.texts_visible:
        results.useful_aspects = _shuffled(row.useful_aspects for row in shown)
        results.suggestions = _shuffled(row.suggestions for row in shown)
    results.charts = _charts(results)
    return results


def _charts(results: EvaluationResults) -> list[BarChart]:
    def chart(name: str, title, tallies: list[Tally]) -> BarChart:
        return bar_chart(
            key=f"{results.role}-{name}",
            title=str(title),
            rows=[(t.label, t.count) for t in tallies],
            scale=results.shown,
        )

    charts = [
        chart(
            "helpfulness",
            f"{results.helpfulness_question} {questions.SCALE_NOTE}",
            results.helpfulness,
        ),
        chart("recommend", questions.RECOMMEND_QUESTION, results.recommend),
        chart("effects", questions.EFFECTS_QUESTION, results.effects),
    ]
    if results.mentor_again:
        charts.append(chart("again", questions.MENTOR_AGAIN_QUESTION, results.mentor_again))
    return charts


def evaluation_results(
    program: Program, window: EvaluationWindow | None = None
) -> list[EvaluationResults]:
    """Both forms' results in one query; rows come in the table's random key order."""
    window = window or window_of(program)
    open_round = window.round if window and window.is_open else None
    rows = defaultdict(list)
    for row in EvaluationResponse.objects.filter(program=program).values_list(
        "role",
        "round",
        "helpfulness",
        "recommend",
        "effects",
        "mentor_again",
        "useful_aspects",
        "suggestions",
        named=True,
    ):
        rows[row.role].append(row)
    return [
        _results(role, rows[role], open_round=open_round)
        for role in (Participant.Role.MENTEE, Participant.Role.MENTOR)
    ]


# --- Participation and the equity funnel ------------------------------------------------------

STAGES = (
    ("applied", _("Applied")),
    ("accepted", _("Accepted")),
    ("matched", _("Matched")),
    ("completed", _("Completed")),
    ("ended_early", _("Ended early")),
)
STAGE_KEYS = tuple(key for key, _label in STAGES)


@dataclass(frozen=True)
class Person:
    """One person at one stage, with only what the funnel counts."""

    role: str
    gender: str
    races: tuple[str, ...]
    # The same person at every stage they reached: an application and the participation
    # that followed share one unit, so the funnel's stages can be audited together.
    unit: str = field(default="", compare=False)


@dataclass(frozen=True)
class ParticipationRow:
    key: str
    label: str
    mentees: int
    mentors: int
    total: int


@dataclass(frozen=True)
class FunnelRow:
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class FunnelTable:
    title: str
    stages: list[str]
    rows: list[FunnelRow]
    totals: list[int]
    note: str = ""


def _later_mentor(program: Program) -> QuerySet[Participant]:
    """The outer participant's user as a mentor in a program after this one."""
    return Participant.objects.filter(
        _later(program, "program__"), user=OuterRef("user"), role=Participant.Role.MENTOR
    )


# How far a participant's published matches went, the furthest first: one of them ended as
# completed; one still active; all of them ended otherwise.
REACHED_COMPLETED, REACHED_ACTIVE, REACHED_ENDED_OTHERWISE = 3, 2, 1


def participant_rows(program: Program) -> list:
    """One row per participant with what the report counts about them, in one query: role
    and demographics; `reached`, the furthest their published matches went (None when
    never matched); whether they mentor in a later program; the kinds of later union role
    they hold (comma-separated). Correlated subqueries on indexed keys, so the report's
    queries stay the same in number whatever the program's size."""
    furthest = (
        # A match's two sides are participants of its program (matching.services checks
        # both), so no condition on the program: with one, PostgreSQL ANDs a bitmap of all
        # the program's matches into every participant's lookup.
        Match.objects.published()
        .filter(Q(mentee=OuterRef("pk")) | Q(mentor=OuterRef("pk")))
        .annotate(
            reached=Case(
                When(status=Match.Status.ACTIVE, then=Value(REACHED_ACTIVE)),
                When(end_reason=Match.EndReason.COMPLETED, then=Value(REACHED_COMPLETED)),
                default=Value(REACHED_ENDED_OTHERWISE),
            )
        )
        .order_by("-reached")
        .values("reached")[:1]
    )
    later_kinds = (
        LaterRole.objects.filter(participant=OuterRef("pk"))
        .order_by()
        .values("participant")
        .annotate(kinds=StringAgg("kind", Value(","), distinct=True))
        .values("kinds")
    )
    return list(
        program.participants.order_by("pk")
        .annotate(
            reached=Subquery(furthest),
            became_mentor=Exists(_later_mentor(program)),
            later_kinds=Subquery(later_kinds),
        )
        .values_list(
            "pk",
            "user_id",
            "role",
            "user__profile__gender",
            "user__profile__race_ethnicity",
            "reached",
            "became_mentor",
            "later_kinds",
            named=True,
        )
    )


def _stages_of(row) -> tuple[str, ...]:
    """A participant's stages past "accepted": matched once in a published match; completed
    if one of them ended as completed; ended early if none is active and none completed."""
    if row.reached is None:
        return ()
    if row.reached == REACHED_COMPLETED:
        return ("matched", "completed")
    if row.reached == REACHED_ENDED_OTHERWISE:
        return ("matched", "ended_early")
    return ("matched",)


def funnel_people(program: Program, participants: list | None = None) -> dict[str, list[Person]]:
    """Everyone at each stage, as role and demographics only (two queries; `participants`,
    from `participant_rows`, saves one)."""
    applied: dict[int, Person] = {}
    for user_id, role, gender, races in (
        Application.objects.filter(program=program)
        .exclude(status=Application.Status.DRAFT)
        .order_by("pk")
        .values_list(
            "applicant_id",
            "role",
            "applicant__profile__gender",
            "applicant__profile__race_ethnicity",
        )
    ):
        # Someone who applied as both mentee and mentor is one person in the funnel.
        applied.setdefault(user_id, Person(role, gender or "", tuple(races or ()), f"u{user_id}"))
    people: dict[str, list[Person]] = {key: [] for key in STAGE_KEYS}
    people["applied"] = list(applied.values())
    claimed: set[int] = set()
    if participants is None:
        participants = participant_rows(program)
    for row in participants:
        user_id = row.user_id
        unit = f"u{user_id}" if user_id in applied and user_id not in claimed else f"p{row.pk}"
        claimed.add(user_id)
        person = Person(
            row.role,
            row.user__profile__gender or "",
            tuple(row.user__profile__race_ethnicity or ()),
            unit,
        )
        people["accepted"].append(person)
        for stage in _stages_of(row):
            people[stage].append(person)
    return people


def participation(people: Mapping[str, list[Person]]) -> list[ParticipationRow]:
    rows = []
    for key, label in STAGES:
        roles = Counter(person.role for person in people[key])
        rows.append(
            ParticipationRow(
                key=key,
                label=str(label),
                mentees=roles[Participant.Role.MENTEE],
                mentors=roles[Participant.Role.MENTOR],
                total=len(people[key]),
            )
        )
    return rows


def _funnel_system(people: Mapping[str, list[Person]], dimensions) -> tuple[System, list]:
    """Both funnel tables as sums of the counts per (stages reached, answer).

    A coordinator knows who reached which stage (the lists of applications, participants
    and pairs), so the size of each group of people who reached the same stages is public;
    every column is the sum of the groups that reached its stage.
    """
    reached: dict[str, set[str]] = defaultdict(set)
    person_of: dict[str, Person] = {}
    for stage in STAGE_KEYS:
        for person in people[stage]:
            reached[person.unit].add(stage)
            person_of[person.unit] = person
    members: dict[tuple[str, ...], list[Person]] = defaultdict(list)
    for unit, stages in reached.items():  # one pass, in the units' order
        members[tuple(s for s in STAGE_KEYS if s in stages)].append(person_of[unit])
    paths = sorted(members)
    values: list[int] = []
    upper: list[int] = []
    facts = []
    cells = []
    for d, (labels, answers_of, several) in enumerate(dimensions):
        keys = list(labels)
        width, start = len(keys), len(values)
        sizes = [len(members[path]) for path in paths]
        for path in paths:
            counts = Counter(a for person in members[path] for a in answers_of(person))
            values += [counts.get(key, 0) for key in keys]
            upper += [len(members[path])] * width
        groups = [
            list(range(start + g * width, start + (g + 1) * width)) for g in range(len(paths))
        ]
        facts += (
            several_answers_facts(groups, sizes, keys.index(""))
            if several
            else partition_facts(groups, sizes)
        )
        for c in range(width):
            for column, stage in enumerate(STAGE_KEYS):
                terms = tuple(groups[g][c] for g, path in enumerate(paths) if stage in path)
                cells.append(Spec((d, (d, c), column), terms))
    return System(tuple(values), tuple(upper), tuple(facts), tuple(cells))


def equity_funnel(people: Mapping[str, list[Person]]) -> list[FunnelTable]:
    """Each stage by gender and by race/ethnicity; both tables audited together for
    disclosure (core.disclosure): small counts hidden, and more until none can be worked out."""
    not_answered = gettext("Not answered")
    genders = {**dict(Profile.Gender.choices), "": not_answered}
    genders[Profile.Gender.SELF_DESCRIBED] = gettext("Self-described")
    races = {**dict(Profile.RaceEthnicity.choices), "": not_answered}
    races[Profile.RaceEthnicity.SELF_DESCRIBED] = gettext("Self-described")
    totals = [len(people[stage]) for stage in STAGE_KEYS]
    dimensions = [
        (genders, lambda person: (person.gender,), False),
        (races, lambda person: person.races or ("",), True),
    ]
    shown = iter(disclose(_funnel_system(people, dimensions)))
    titles = [
        (_("Gender"), ""),
        (
            _("Race or ethnicity"),
            _("People may choose several answers, so a column can add up to more than its total."),
        ),
    ]
    tables = []
    for (labels, _answers, _several), (title, note) in zip(dimensions, titles, strict=True):
        rows = [
            FunnelRow(str(label), [next(shown) for _stage in STAGE_KEYS])
            for label in labels.values()
        ]
        tables.append(
            FunnelTable(
                title=str(title),
                stages=[str(label) for _key, label in STAGES],
                rows=rows,
                totals=totals,
                note=str(note),
            )
        )
    return tables


# --- Outcomes ---------------------------------------------------------------------------------


def _later(program: Program, prefix: str = "") -> Q:
    """Programs after this one: a later year, or the same year starting later."""
    later = Q(**{f"{prefix}year__gt": program.year})
    if program.starts_on:
        later |= Q(**{f"{prefix}year": program.year, f"{prefix}starts_on__gt": program.starts_on})
    return later


def became_mentors(program: Program) -> QuerySet[Participant]:
    """This program's mentees who are mentors in a later program."""
    return program.participants.filter(role=Participant.Role.MENTEE).filter(
        Exists(_later_mentor(program))
    )


@dataclass(frozen=True)
class RoleCount:
    label: str
    mentees: int
    mentors: int


@dataclass(frozen=True)
class MeasureCount:
    label: str
    achieved: int
    not_achieved: int
    not_recorded: int


@dataclass(frozen=True)
class OutcomesSummary:
    participants: int
    roles: list[RoleCount]
    any_role: RoleCount
    became_mentors: int
    measures: list[MeasureCount]


def outcomes_summary(program: Program, participants: list | None = None) -> OutcomesSummary:
    """Counts of people, never names: later roles, mentees turned mentors, success measures.

    Two queries (`participants`, from `participant_rows`, saves the first): the
    participants, and the success measures counted in SQL."""
    if participants is None:
        participants = participant_rows(program)
    holders: dict[str, Counter] = defaultdict(Counter)
    for row in participants:
        if row.later_kinds:
            holders["*"][row.role] += 1
            for kind in row.later_kinds.split(","):
                holders[kind][row.role] += 1

    def count(kind: str, label) -> RoleCount:
        roles = holders[kind]
        return RoleCount(str(label), roles[Participant.Role.MENTEE], roles[Participant.Role.MENTOR])

    results = Q(results__participant__program=program)
    measures = [
        MeasureCount(
            label=measure.label,
            achieved=measure.achieved,
            not_achieved=measure.not_achieved,
            not_recorded=len(participants) - measure.achieved - measure.not_achieved,
        )
        for measure in program.success_measures.annotate(
            achieved=Count("results", filter=results & Q(results__achieved=True)),
            not_achieved=Count("results", filter=results & Q(results__achieved=False)),
        ).order_by("order", "pk")  # the model's ordering; a grouped query drops it
    ]
    return OutcomesSummary(
        participants=len(participants),
        roles=[count(kind, label) for kind, label in LaterRole.Kind.choices],
        any_role=count("*", gettext("Any of these")),
        became_mentors=sum(
            1 for row in participants if row.role == Participant.Role.MENTEE and row.became_mentor
        ),
        measures=measures,
    )


def outcome_participants(
    program: Program, *, search: str = "", role: str = "", with_results: bool = True
) -> QuerySet[Participant]:
    """The coordinator's outcomes list: participants with their roles and results.

    `with_results=False` leaves out their success measures' results (a program without
    measures has none to show: no query for them).
    """
    later_mentor = _later_mentor(program)
    qs = (
        program.participants.select_related("user")
        .prefetch_related("later_roles")
        .annotate(became_mentor=Exists(later_mentor))
        .order_by("role", "user__name")
    )
    if with_results:
        qs = qs.prefetch_related(
            Prefetch("measure_results", queryset=MeasureResult.objects.select_related("measure"))
        )
    if role in Participant.Role.values:
        qs = qs.filter(role=role)
    if search:
        qs = qs.filter(Q(user__name__icontains=search) | Q(user__email__icontains=search))
    return qs


# --- Alumni follow-up ---------------------------------------------------------------------------


def my_followup(participant: Participant) -> AlumniFollowUp | None:
    """The follow-up the member's roles page asks about (answered or not), while it takes
    an answer."""
    return answerable_followup(participant)


@dataclass(frozen=True)
class FollowUpRow:
    label: str
    cells: list[Cell]  # one per round asked


@dataclass(frozen=True)
class FollowUpSummary:
    rounds: list[str]  # the rounds asked so far, as the columns' headings
    asked: list[int]
    rows: list[FollowUpRow]


# A follow-up's answer as the audit sees it: not answered, no change, or the kinds of the
# new roles reported (possibly none left, if the member removed them since).
_UNANSWERED, _NO_CHANGE = "unanswered", "no_change"


def _answer_patterns(held: frozenset[str]) -> list:
    """Every answer a person holding roles of the kinds `held` can have given."""
    kinds = [kind for kind in LaterRole.Kind.values if kind in held]
    subsets = [
        frozenset(kind for bit, kind in enumerate(kinds) if mask >> bit & 1)
        for mask in range(2 ** len(kinds))
    ]
    return [_UNANSWERED, _NO_CHANGE, *subsets]


def _followup_system(
    columns: list[list[tuple[frozenset[str], object]]],
) -> System:
    """The follow-up table as sums of the counts per (round, roles held, answer).

    A coordinator sees who took part and, on the outcomes list, each person's later roles:
    the kinds of role each person holds are public, and a new role reported in answer can
    only be one of them. So the finest groups are the people asked in a round who hold the
    same kinds of role, and their sizes are public facts; each cell sums the answers that
    fall under it. (See core.disclosure.)
    """
    values: list[int] = []
    upper: list[int] = []
    facts = []
    cells: list[Spec] = []
    rows: list[list[int]] = []  # per cell row, per column: the variables it sums
    row_tests = [
        lambda pattern: pattern != _UNANSWERED,
        lambda pattern: pattern == _NO_CHANGE,
        lambda pattern: isinstance(pattern, frozenset),
        *(
            (lambda kind: lambda pattern: isinstance(pattern, frozenset) and kind in pattern)(k)
            for k in LaterRole.Kind.values
        ),
    ]
    for people in columns:
        groups: dict[frozenset[str], Counter] = defaultdict(Counter)
        for held, pattern in people:
            groups[held][pattern] += 1
        terms_of_row: list[list[int]] = [[] for _test in row_tests]
        group_terms, sizes = [], []
        for held in sorted(groups, key=lambda kinds: sorted(kinds)):
            start = len(values)
            patterns = _answer_patterns(held)
            size = sum(groups[held].values())
            values += [groups[held][pattern] for pattern in patterns]
            upper += [size] * len(patterns)
            group_terms.append(list(range(start, len(values))))
            sizes.append(size)
            for row, test in enumerate(row_tests):
                terms_of_row[row] += [
                    start + i for i, pattern in enumerate(patterns) if test(pattern)
                ]
        facts += partition_facts(group_terms, sizes)
        rows.append(terms_of_row)
    for row in range(len(row_tests)):
        for column in range(len(columns)):
            cells.append(Spec((0, (0, row), column), tuple(rows[column][row])))
    return System(tuple(values), tuple(upper), tuple(facts), tuple(cells))


def followup_summary(program: Program) -> FollowUpSummary:
    """How many alumni were asked each round, answered, said "no change" or reported a new
    role, and which kinds: audited by core.disclosure together (two queries)."""
    followups = list(
        AlumniFollowUp.objects.filter(participant__program=program)
        .order_by("pk")
        .values_list("pk", "participant_id", "round", "answer")
    )
    held: dict[int, set[str]] = defaultdict(set)
    reported: dict[int, set[str]] = defaultdict(set)
    for participant_id, kind, followup_id in (
        LaterRole.objects.filter(participant__program=program)
        .order_by()
        .values_list("participant_id", "kind", "followup_id")
    ):
        held[participant_id].add(kind)
        if followup_id is not None:
            reported[followup_id].add(kind)
    rounds = sorted({months for _pk, _p, months, _a in followups})
    columns: list[list[tuple[frozenset[str], object]]] = [[] for _round in rounds]
    for pk, participant_id, months, answer in followups:
        if answer == AlumniFollowUp.Answer.NEW_ROLE:
            pattern: object = frozenset(reported[pk])
        else:
            pattern = _NO_CHANGE if answer == AlumniFollowUp.Answer.NO_CHANGE else _UNANSWERED
        columns[rounds.index(months)].append((frozenset(held[participant_id]), pattern))
    shown = disclose(_followup_system(columns)) if rounds else ()
    labels = [
        gettext("Answered"),
        gettext("No change"),
        gettext("Reported a new role"),
        *(
            gettext("New role: %(kind)s") % {"kind": label}
            for _kind, label in LaterRole.Kind.choices
        ),
    ]
    width = len(rounds)
    return FollowUpSummary(
        rounds=[str(AlumniFollowUp.Round(months).label) for months in rounds],
        asked=[len(people) for people in columns],
        rows=[
            FollowUpRow(label, list(shown[row * width : (row + 1) * width]))
            for row, label in enumerate(labels)
        ],
    )


# --- Testimonials ------------------------------------------------------------------------------


def approved_testimonials(program: Program) -> QuerySet[Testimonial]:
    return Testimonial.objects.filter(
        participant__program=program, status=Testimonial.Status.APPROVED
    ).select_related("participant__user")


# How many past participants' words an open program's page shows, most recently approved first.
PAST_TESTIMONIALS_SHOWN = 6
PAST = (Program.Status.CLOSING, Program.Status.CLOSED)


def past_testimonials(program: Program) -> list[Testimonial]:
    """For an open program's recruiting page: what participants of the site's past programs
    (closing or closed; the site is one local's) said, approved by a coordinator and
    published with consent. A withdrawn testimonial is deleted, and so is one whose author
    deleted their account; a deactivated author's words are not shown either."""
    return list(
        Testimonial.objects.filter(
            status=Testimonial.Status.APPROVED,
            participant__program__status__in=PAST,
            participant__user__is_active=True,
        )
        .exclude(participant__program=program)
        .select_related("participant__user", "participant__program")
        .order_by("-reviewed_at", "-pk")[:PAST_TESTIMONIALS_SHOWN]
    )


def testimonials_for_review(program: Program) -> QuerySet[Testimonial]:
    return (
        Testimonial.objects.filter(participant__program=program)
        .select_related("participant__user")
        .order_by("status", "-updated_at")
    )


# --- What a member has to fill in ---------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    label: str
    url: str
    status: str
    badge: str  # a Bootstrap colour: warning to do, success done, secondary for information


# Feedback is asked for at the final session; before closing it is available, not yet due.
FEEDBACK_DUE_STATUSES = (Program.Status.CLOSING, Program.Status.CLOSED)
FEEDBACK_AVAILABLE_STATUSES = (Program.Status.RUNNING, *FEEDBACK_DUE_STATUSES)


def with_forms_due(participations: QuerySet[Participant]) -> list[Participant]:
    """The member's participations with what `forms_due` reads, in three queries for all.

    Each gets `evaluation_open`, `evaluated` and `published_matches` (with both members and
    the feedback), so the "My forms" page costs the same for one program or twenty.
    """
    rows = list(
        participations.select_related("program").annotate(
            evaluation_open=Coalesce(
                F("program__evaluation_window__is_open"), Value(False), output_field=BooleanField()
            ),
            evaluated=Exists(
                EvaluationRequest.objects.filter(participant=OuterRef("pk"), responded=True)
            ),
            followup_waiting=_followup_waiting(),
        )
    )
    by_participant: dict[int, list[Match]] = {row.pk: [] for row in rows}
    if rows:
        ids = list(by_participant)
        matches = (
            Match.objects.published()
            .filter(Q(mentee_id__in=ids) | Q(mentor_id__in=ids))
            .select_related("mentee__user", "mentor__user")
            .prefetch_related("feedback")
            .order_by("-created_at", "pk")
        )
        for match in matches:
            for side in (match.mentee_id, match.mentor_id):
                if side in by_participant:
                    by_participant[side].append(match)
    for row in rows:
        row.published_matches = by_participant[row.pk]
    return rows


def _followup_waiting() -> Exists:
    """The outer participant's latest follow-up takes an answer and has none yet."""
    since = timezone.now() - FOLLOWUP_ANSWERABLE
    later = AlumniFollowUp.objects.filter(
        participant=OuterRef("participant"), round__gt=OuterRef("round")
    )
    return Exists(
        AlumniFollowUp.objects.filter(
            participant=OuterRef("pk"), answer="", sent_at__gt=since
        ).exclude(Exists(later))
    )


def forms_due(participation: Participant) -> list[DueItem]:
    """The close-out forms of one participation, for the member's "My forms" page.

    Without queries for a participation from `with_forms_due`; one or three otherwise.
    """
    program = participation.program
    items: list[DueItem] = []
    if program.status in FEEDBACK_AVAILABLE_STATUSES:
        due = program.status in FEEDBACK_DUE_STATUSES
        matches = getattr(participation, "published_matches", None)
        if matches is None:
            matches = matches_of(participation)
        for match in matches:
            view = feedback_view(match, participation)
            url = reverse("evaluation:feedback", args=[program.slug, match.pk])
            label = gettext("Final feedback with %(name)s") % {"name": view.partner.user.name}
            if view.mine and view.mine.is_submitted:
                status, badge = gettext("Submitted"), "success"
                if view.theirs:
                    status = gettext("Their feedback is ready to read")
                    badge = "info"
            elif view.mine:
                status, badge = gettext("In progress"), "warning"
            else:
                status = (
                    gettext("To do")
                    if due or match.status == Match.Status.ENDED
                    else gettext("At your final session")
                )
                badge = "warning" if due else "secondary"
            items.append(DueItem(label, url, status, badge))
    if hasattr(participation, "evaluation_open"):
        window_open, responded = participation.evaluation_open, participation.evaluated
    else:
        window = window_of(program)
        window_open, responded = bool(window and window.is_open), has_responded(participation)
    if window_open or responded:
        title = questions.EVALUATION_TITLES[participation.role]
        url = reverse("evaluation:evaluate", args=[program.slug])
        if responded:
            items.append(DueItem(str(title), url, gettext("Sent, thank you"), "success"))
        else:
            items.append(DueItem(str(title), url, gettext("To do"), "warning"))
    if program.status in FEEDBACK_DUE_STATUSES:
        optional = gettext("Optional")
        waiting = getattr(participation, "followup_waiting", None)
        if waiting is None:
            followup = answerable_followup(participation)
            waiting = followup is not None and not followup.answer
        items += [
            DueItem(
                gettext("My union roles since the program"),
                reverse("evaluation:my_roles", args=[program.slug]),
                gettext("Asked: has anything changed?") if waiting else optional,
                "warning" if waiting else "secondary",
            ),
            DueItem(
                gettext("My testimonial"),
                reverse("evaluation:my_testimonial", args=[program.slug]),
                optional,
                "secondary",
            ),
        ]
    return items


# --- The program report ---------------------------------------------------------------------


@dataclass
class Report:
    program: Program
    participation: list[ParticipationRow]
    funnel: list[FunnelTable]
    window: EvaluationWindow | None
    counts: list[ResponseCount]
    evaluations: list[EvaluationResults]
    outcomes: OutcomesSummary
    followups: FollowUpSummary
    testimonials: list[Testimonial]


def program_report(program: Program) -> Report:
    """Everything the report shows, in the same nine queries whatever the program's size:
    participants (with how far they went, their later roles and who mentors later),
    applications, the evaluation window, requests and responses, success measures, the
    alumni follow-ups and their roles, and testimonials."""
    participants = participant_rows(program)
    people = funnel_people(program, participants)
    window = window_of(program)
    return Report(
        program=program,
        participation=participation(people),
        funnel=equity_funnel(people),
        window=window,
        counts=response_counts(program),
        evaluations=evaluation_results(program, window),
        outcomes=outcomes_summary(program, participants),
        followups=followup_summary(program),
        testimonials=list(approved_testimonials(program)),
    )


def report_rows(report: Report) -> list[list[str]]:
    """The report's aggregates as (section, item, group, value) rows; no names, no free text."""
    rows: list[tuple] = []
    mentees, mentors, total = gettext("Mentees"), gettext("Mentors"), gettext("Total")
    section = gettext("Participation")
    for row in report.participation:
        rows += [
            (section, row.label, mentees, row.mentees),
            (section, row.label, mentors, row.mentors),
            (section, row.label, total, row.total),
        ]
    for table in report.funnel:
        section = gettext("Equity funnel: %(dimension)s") % {"dimension": table.title}
        for funnel_row in table.rows:
            for stage, cell in zip(table.stages, funnel_row.cells, strict=True):
                rows.append((section, funnel_row.label, stage, cell))
    for results in report.evaluations:
        section = results.title
        rows.append((section, gettext("Responses received"), "", results.received))
        if not results.visible:
            rows.append(
                (
                    section,
                    gettext("Results"),
                    "",
                    gettext("Not shown: fewer than %(n)d responses") % {"n": results.threshold},
                )
            )
            continue
        rows.append((section, gettext("Responses shown"), "", results.shown))
        question = f"{results.helpfulness_question} {questions.SCALE_NOTE}"
        rows += [(section, question, t.label, t.count) for t in results.helpfulness]
        rows.append((section, question, gettext("Average"), results.average))
        rows += [
            (section, questions.RECOMMEND_QUESTION, t.label, t.count) for t in results.recommend
        ]
        rows += [(section, questions.EFFECTS_QUESTION, t.label, t.count) for t in results.effects]
        rows += [
            (section, questions.MENTOR_AGAIN_QUESTION, t.label, t.count)
            for t in results.mentor_again
        ]
    section = gettext("Later union roles")
    for count in [*report.outcomes.roles, report.outcomes.any_role]:
        rows += [
            (section, count.label, mentees, count.mentees),
            (section, count.label, mentors, count.mentors),
        ]
    rows.append(
        (
            gettext("Mentees who became mentors"),
            gettext("In a later program"),
            "",
            report.outcomes.became_mentors,
        )
    )
    section = gettext("Alumni follow-up")
    followups = report.followups
    for label, asked in zip(followups.rounds, followups.asked, strict=True):
        rows.append((section, gettext("Asked"), label, asked))
    for row in followups.rows:
        rows += [
            (section, row.label, label, cell)
            for label, cell in zip(followups.rounds, row.cells, strict=True)
        ]
    section = gettext("Success measures")
    for measure in report.outcomes.measures:
        rows += [
            (section, measure.label, gettext("Yes"), measure.achieved),
            (section, measure.label, gettext("No"), measure.not_achieved),
            (section, measure.label, gettext("Not recorded"), measure.not_recorded),
        ]
    return [[spreadsheet_safe(value) for value in row] for row in rows]
