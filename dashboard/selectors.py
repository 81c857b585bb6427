"""What a coordinator sees at a glance, for one program or all they run, in fixed queries.

Every number is defined once, here, as a filter: the dashboard counts it with one grouped
query and the list behind it filters with the same definition, so a number and its list
always agree. Nothing here grows with the number of members, pairs or meetings: counts
are grouped in the database, and only the active pairs' last meeting dates come back to
Python, to be compared with each program's own intervals.
"""

import datetime
import functools
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import connections, router
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    PositiveSmallIntegerField,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.compiled_sql import Marker, compile_marked, run_marked_rows
from evaluation.checks import min_group
from evaluation.models import EvaluationRequest, EvaluationResponse
from evaluation.questions import HELPFULNESS_CHOICES
from evaluation.selectors import released_rounds
from intake.models import Application
from matching.models import Match
from programs.models import FUNNEL_IN_A_ROW, Participant, Program
from reminders.intervals import Intervals
from sessions.models import GroupSession, Meeting, Orientation
from sessions.selectors import PairStates, local_midnight
from surveys.models import Survey

UPCOMING_DAYS = 14
CHART_MONTHS = 12
UPCOMING_SHOWN = 10
# Programs whose people can need something done; drafts have no one, closed ones are over.
LIVE = (
    Program.Status.OPEN,
    Program.Status.SELECTING,
    Program.Status.MATCHING,
    Program.Status.RUNNING,
    Program.Status.CLOSING,
)
# An early ending that calls for a new mentor; a member who left needs none.
REMATCH_REASONS = (Match.EndReason.NOT_A_GOOD_FIT, Match.EndReason.OTHER)


# --- Definitions: each step and each list, as one filter ----------------------------------------
# The steps past "applied" in the funnel's order; the first `FUNNEL_IN_A_ROW` of them are
# stored on each participant as how many were reached in a row (`Participant.funnel_depth`).
FUNNEL_STEPS = (
    "accepted",
    "surveyed",
    "matched",
    "oriented",
    "agreed",
    "meeting",
    "completed",
    "evaluated",
)


def _in_match(*conditions, **filters) -> Q:
    """Participants on either side of a published match meeting `conditions` and `filters`."""
    matches = Match.objects.published().filter(*conditions, **filters)
    return Q(Exists(matches.filter(mentee=OuterRef("pk")))) | Q(
        Exists(matches.filter(mentor=OuterRef("pk")))
    )


def _held(now: datetime.datetime) -> Q:
    return Q(status=Meeting.Status.SCHEDULED, starts_at__lte=now)


def _step_definitions(now: datetime.datetime) -> dict[str, Callable[[], Q]]:
    """What reaching each step past "applied" means on its own, on Participant: each built
    when asked for (a list needs only the steps up to its own).

    The source of truth of the funnel: the stored columns are computed from these
    (`funnel_columns`), and the tests compare the two on every service that moves a person.
    """

    def accepted() -> Q:
        return Q(
            Exists(
                Application.objects.filter(
                    program=OuterRef("program"),
                    applicant=OuterRef("user"),
                    status=Application.Status.ACCEPTED,
                )
            )
        )

    def oriented() -> Q:
        attended = Orientation.attendees.through.objects.filter(participant_id=OuterRef("pk"))
        return Q(Exists(attended))

    def met() -> Q:
        return _in_match(Exists(Meeting.objects.filter(_held(now), match=OuterRef("pk"))))

    def evaluated() -> Q:
        answered = EvaluationRequest.objects.filter(participant=OuterRef("pk"), responded=True)
        return Q(Exists(answered))

    definitions = {
        "accepted": accepted,
        "surveyed": lambda: Q(survey__status=Survey.Status.SUBMITTED),
        "matched": _in_match,
        "oriented": oriented,
        "agreed": lambda: _in_match(
            worksheet__mentee_agreed_at__isnull=False, worksheet__mentor_agreed_at__isnull=False
        ),
        "meeting": met,
        "completed": lambda: _in_match(
            status=Match.Status.ENDED, end_reason=Match.EndReason.COMPLETED
        ),
        "evaluated": evaluated,
    }
    return {key: definitions[key] for key in FUNNEL_STEPS}


def _first_met_at() -> Subquery:
    """When a participant "met" (`_step_definitions`' met: a scheduled meeting of a
    published match they are in, on either side, has started): the earliest such start.
    They have met at `now` exactly when it is at or before `now`."""
    matches = Match.objects.published().involving_participant(OuterRef(OuterRef("pk")))
    meetings = Meeting.objects.filter(status=Meeting.Status.SCHEDULED, match__in=matches)
    return Subquery(meetings.order_by("starts_at").values("starts_at")[:1])


def _flag(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def funnel_columns() -> dict[str, Case | Subquery]:
    """The stored funnel columns of Participant, computed from the definitions: what
    `dashboard.funnel` writes, and what the tests compare the stored values with."""
    definitions = _step_definitions(timezone.now())  # "meeting", the one using it, not built
    in_a_row = [definitions[key]() for key in FUNNEL_STEPS[:FUNNEL_IN_A_ROW]]
    return {
        "funnel_depth": Case(
            *(When(~q, then=Value(index)) for index, q in enumerate(in_a_row)),
            default=Value(FUNNEL_IN_A_ROW),
            output_field=PositiveSmallIntegerField(),
        ),
        "funnel_met_at": _first_met_at(),
        "funnel_completed": _flag(definitions["completed"]()),
        "funnel_evaluated": _flag(definitions["evaluated"]()),
    }


def _defined_steps(now: datetime.datetime) -> dict[str, Q]:
    """Each step reached on its own, from the definitions (correlated subqueries)."""
    return {key: build() for key, build in _step_definitions(now).items()}


def defined_participant_filters(now: datetime.datetime) -> dict[str, Q]:
    """`participant_filters` computed from the definitions rather than the stored columns:
    a chain of subqueries per person, for the tests and the safety net to compare with."""
    steps: dict[str, Q] = {}
    so_far = Q()
    for key, reached in _defined_steps(now).items():
        so_far &= reached
        steps[key] = so_far
    return {**steps, "surveys_missing": _surveys_missing()}


# --- Stored: each step, on the participant's own columns (no subquery) ---------------------------


def _stored_after_the_row(key: str, now: datetime.datetime) -> Q:
    """A step after the stored row, reached on its own, from its column."""
    return {
        "meeting": Q(funnel_met_at__lte=now),
        "completed": Q(funnel_completed=True),
        "evaluated": Q(funnel_evaluated=True),
    }[key]


def _stored_depth(now: datetime.datetime) -> Case:
    """How many steps in a row each participant has reached at `now` (0 to 8)."""
    later = FUNNEL_STEPS[FUNNEL_IN_A_ROW:]
    return Case(
        When(funnel_depth__lt=FUNNEL_IN_A_ROW, then=F("funnel_depth")),
        *(
            When(~_stored_after_the_row(key, now), then=Value(index))
            for index, key in enumerate(later, start=FUNNEL_IN_A_ROW)
        ),
        default=Value(len(FUNNEL_STEPS)),
        output_field=IntegerField(),
    )


def _surveys_missing() -> Q:
    return ~Q(survey__status=Survey.Status.SUBMITTED) & Q(program__status__in=LIVE)


def participant_filter(kind: str, now: datetime.datetime) -> Q:
    """One of `participant_filters`: those who reached step `kind` and every step before it
    at `now`, on the stored columns (`programs.funnel`), or the missing surveys."""
    if kind == "surveys_missing":
        return _surveys_missing()
    index = FUNNEL_STEPS.index(kind)
    if index < FUNNEL_IN_A_ROW:
        return Q(funnel_depth__gte=index + 1)
    reached = Q(funnel_depth=FUNNEL_IN_A_ROW)
    for key in FUNNEL_STEPS[FUNNEL_IN_A_ROW : index + 1]:
        reached &= _stored_after_the_row(key, now)
    return reached


def participant_filters(now: datetime.datetime) -> dict[str, Q]:
    """The pipeline's steps past "applied", as a funnel, and the missing surveys, on Participant.

    A step counts the people who reached it *and every step before it*: someone matched
    without a submitted survey is not "matched" here, nor is a participant taken in
    without an accepted application "accepted". So no step ever counts more people than
    the one before it, in any program; the dashboard says how many the funnel leaves out.
    Read from the stored columns: the same people as `defined_participant_filters`.
    """
    return {key: participant_filter(key, now) for key in (*FUNNEL_STEPS, "surveys_missing")}


APPLICATION_FILTERS = {
    "applied": ~Q(status=Application.Status.DRAFT),
    "applications_waiting": Q(status=Application.Status.SUBMITTED, program__status__in=LIVE),
}


def ended_unmatched_filter() -> Q:
    later = Match.objects.filter(mentee=OuterRef("mentee")).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    return (
        Q(status=Match.Status.ENDED, end_reason__in=REMATCH_REASONS)
        & Q(program__status__in=LIVE)
        & ~Q(Exists(later))
    )


@dataclass(frozen=True)
class Step:
    key: str
    label: Promise
    help: Promise


STEPS = (
    Step("applied", _("Applied"), _("Applications sent; drafts are left out.")),
    Step("accepted", _("Accepted"), _("Of those, taken into the program as mentee or mentor.")),
    Step("surveyed", _("Survey done"), _("Of those, submitted their mentee or mentor survey.")),
    Step("matched", _("Matched"), _("Of those, in a published match, running or ended.")),
    Step("oriented", _("Oriented"), _("Of those, marked present at the orientation.")),
    Step(
        "agreed",
        _("Worksheet agreed to"),
        _("Of those, in a pair whose planning worksheet both partners have agreed to."),
    ),
    Step("meeting", _("Met"), _("Of those, in a pair that has held a meeting.")),
    Step("completed", _("Completed"), _("Of those, in a match that ended as completed.")),
    Step(
        "evaluated",
        _("Evaluated"),
        _("Of those, answered the program evaluation. Who answered is never listed."),
    ),
)
STEP_KEYS = tuple(step.key for step in STEPS)


@dataclass(frozen=True)
class Attention:
    key: str
    label: Promise
    action: Promise
    kind: str  # the list it opens: "people", "applications" or "pairs"


ATTENTION = (
    Attention(
        "quiet",
        _("Pairs with no meeting in %(days)s days"),
        _("Call the pair, or check their next meeting is booked."),
        "pairs",
    ),
    Attention(
        "worksheet",
        _("Worksheets not agreed to"),
        _("Open the list to remind everyone at once, or help the pair finish and agree."),
        "pairs",
    ),
    Attention(
        "midpoint",
        _("Mid-point check-ins overdue"),
        _("Ask the pair to hold their mid-point check-in."),
        "pairs",
    ),
    Attention(
        "not_a_good_fit",
        _("Pairs that may not be a good fit"),
        _(
            "A side answered “Not a good fit”: read their answer on the pair's page, talk "
            "with them, and end the match if it should end, to find the mentee a new mentor."
        ),
        "pairs",
    ),
    Attention(
        "surveys_missing",
        _("Surveys missing"),
        _("Open the list to remind everyone at once, or help them fill it in."),
        "people",
    ),
    Attention(
        "applications_waiting",
        _("Applications waiting"),
        _("Review them and decide."),
        "applications",
    ),
    Attention(
        "ended_unmatched",
        _("Matches ended without a new match"),
        _("Find the mentee a new mentor on the matching board."),
        "pairs",
    ),
)
# The attention items that are pair states, and their filter in `PairStates`.
PAIR_STATE_FILTERS = {"quiet": "quiet", "worksheet": "worksheet", "midpoint": "midpoint"}
# The fit check (sessions.selectors.not_a_good_fit): a pair state, counted and listed alike.
PAIR_STATE_FILTERS = {**PAIR_STATE_FILTERS, "not_a_good_fit": "not_a_good_fit"}


def attention_label(item: Attention, no_meeting_days: Iterable[int]) -> str:
    """The item's heading; the quiet pairs' names their programs' interval when they share one."""
    if item.key != "quiet":
        return str(item.label)
    days = set(no_meeting_days)
    if len(days) == 1:
        return str(item.label) % {"days": days.pop()}
    return str(_("Pairs with no recent meeting"))


LIST_KINDS = {
    **{key: "people" for key in STEP_KEYS if key not in ("applied", "evaluated")},
    "applied": "applications",
    "evaluated": "programs",
    **{item.key: item.kind for item in ATTENTION},
    "upcoming_meetings": "meetings",
}


# --- Reading ----------------------------------------------------------------------------------


def programs_of(user) -> list[Program]:
    """The programs a coordinator runs, with their orientation, evaluation window and
    reminder intervals (joined: `intervals_of` needs no query of its own)."""
    return list(
        Program.objects.filter(coordinators=user)
        .select_related(*PROGRAM_RELATED)
        .order_by("-year", "name")
    )


# What the dashboard and its lists read of each program, joined to it.
PROGRAM_RELATED = ("orientation", "evaluation_window", "reminder_settings")


def intervals_of(programs: Sequence[Program]) -> Intervals:
    """The programs' reminder intervals, from `PROGRAM_RELATED`'s join (defaults if none)."""
    found = {}
    for program in programs:
        try:
            found[program.pk] = program.reminder_settings
        except ObjectDoesNotExist:
            continue
    return Intervals(found)


# Stand-ins for the funnel's parameters while its SQL is compiled (`_participant_counts_sql`):
# no program has a negative id, and no meeting is dated to this microsecond of 1901.
_FUNNEL_PROGRAM_BASE = -1_000_000
_FUNNEL_NOW = datetime.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)


def _participant_counts_query(ids: Sequence[int], now: datetime.datetime) -> QuerySet:
    """The funnel's grouped query (see `_participant_counts`)."""
    return (
        Participant.objects.filter(program__in=ids)
        .order_by()
        .annotate(depth=_stored_depth(now))
        .values("program_id", "role", "depth")
        .annotate(everyone=Count("pk"), surveys_missing=Count("pk", filter=_surveys_missing()))
    )


def _adapted_now(now: datetime.datetime, connection) -> object:
    """`now` as the database receives it for the participant's first meeting."""
    return Participant._meta.get_field("funnel_met_at").get_db_prep_value(now, connection)


@functools.cache
def _participant_counts_sql(alias: str, vendor: str, programs: int) -> tuple[str, tuple]:
    """The funnel's SQL for `programs` programs as the ORM compiles it for this database,
    once per process (`core.compiled_sql`): the ORM's compiling of it costs more than the
    database's running it. Everything its text depends on is in the key (the database, the
    number of programs)."""
    sentinels, stand_ins = _program_stand_ins(programs)
    stand_ins[_adapted_now(_FUNNEL_NOW, connections[alias])] = _NOW
    return compile_marked(_participant_counts_query(sentinels, _FUNNEL_NOW), alias, stand_ins)


_NOW = Marker("now")


def _program_marker(index: int) -> Marker:
    return Marker(f"program {index}")


def _program_stand_ins(programs: int) -> tuple[list[int], dict[int, Marker]]:
    """Stand-in ids for `programs` programs (no program has a negative id), each with its
    marker: what the SQL compiled once per number of programs is built with."""
    sentinels = [_FUNNEL_PROGRAM_BASE - index for index in range(programs)]
    return sentinels, {sentinel: _program_marker(index) for index, sentinel in enumerate(sentinels)}


def _program_values(ids: Iterable[int]) -> dict[Marker, object]:
    """The programs' ids in their markers' places (`_program_stand_ins`)."""
    return {_program_marker(index): pk for index, pk in enumerate(ids)}


def _participant_counts(ids: Sequence[int], now) -> dict[int, dict]:
    """Each program's funnel past "applied", its people by role, and the missing surveys.

    One grouped query whatever the number of programs, people or pairs. Each participant's
    depth at `now` is how many steps in a row they reached, a CASE on their stored columns
    (`_stored_depth`: no subquery); a step's number is then the people at that depth or
    deeper: the same columns the lists filter with (`participant_filters`).
    Its SQL is compiled once per process and number of programs (`_participant_counts_sql`)
    and run with this call's program ids and time; the rows are never kept.
    """
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    connection = connections[router.db_for_read(Participant)]
    sql, marked = _participant_counts_sql(connection.alias, connection.vendor, len(ids))
    values = _program_values(ids)
    values[_NOW] = _adapted_now(now, connection)
    rows = run_marked_rows(connection.alias, sql, marked, values)
    keys = FUNNEL_STEPS
    by_program: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts = by_program[row["program_id"]]
        for key in keys[: row["depth"]]:
            counts[key] += row["everyone"]
        counts["surveys_missing"] += row["surveys_missing"]
        counts[row["role"]] += row["everyone"]
        counts["participants"] += row["everyone"]
    return by_program


def _counted(rows: QuerySet, q: Q | None = None) -> Coalesce:
    """How many of `rows` (filtered by `q`) belong to the outer program: a subquery."""
    per_program = (
        rows.filter(program=OuterRef("pk"))
        .order_by()
        .values("program")
        .annotate(n=Count("pk", filter=q))
        .values("n")
    )
    return Coalesce(Subquery(per_program, output_field=IntegerField()), Value(0))


def _program_counts_query(ids: Sequence[int]) -> QuerySet:
    """Each program's applications and matches ended without a new one counted: one
    query, each number a counting subquery with its list's own filter
    (`APPLICATION_FILTERS`, `ended_unmatched_filter`). (Evaluation requests counted here
    too, through their participant, cost PostgreSQL a hash of every request per program:
    16 of its 23 ms; `evaluation_summary` counts them in one grouped query instead.)"""
    applications = Application.objects.all()
    counts = {
        **{key: _counted(applications, q) for key, q in APPLICATION_FILTERS.items()},
        "ended_unmatched": _counted(Match.objects.filter(ended_unmatched_filter())),
    }
    # Named apart from the program's own fields and relations.
    return (
        Program.objects.filter(pk__in=ids)
        .values("pk")
        .annotate(**{f"n_{key}": value for key, value in counts.items()})
    )


@functools.cache
def _program_counts_sql(alias: str, vendor: str, programs: int) -> tuple[str, tuple]:
    """`_program_counts_query`'s SQL for `programs` programs, compiled once per process
    (`core.compiled_sql`); its text depends on the database and the number of programs."""
    sentinels, stand_ins = _program_stand_ins(programs)
    return compile_marked(_program_counts_query(sentinels), alias, stand_ins)


def _has_joins(program: Program) -> bool:
    return all(getattr(Program, name).is_cached(program) for name in PROGRAM_RELATED)


def _programs_with_counts(programs: Sequence[Program]) -> list[Program]:
    """The programs with what the dashboard reads of them joined (`PROGRAM_RELATED`: read
    again unless `programs_of` joined them) and `counts`, from `_program_counts_query`
    (compiled once per process and number of programs: its building cost more than its
    running)."""
    ids = list(dict.fromkeys(program.pk for program in programs))
    if not ids:
        return []
    if all(_has_joins(program) for program in programs):
        found = {program.pk: program for program in programs}
    else:
        found = {
            row.pk: row
            for row in Program.objects.filter(pk__in=ids).select_related(*PROGRAM_RELATED)
        }
    connection = connections[router.db_for_read(Program)]
    sql, marked = _program_counts_sql(connection.alias, connection.vendor, len(ids))
    for row in run_marked_rows(connection.alias, sql, marked, _program_values(ids)):
        program = found[row.pop("pk")]
        program.counts = {name.removeprefix("n_"): n for name, n in row.items()}
    return [found[pk] for pk in ids if pk in found]


# --- Coming up ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upcoming:
    when: datetime.datetime | datetime.date
    kind: Promise
    title: str
    program: Program
    url: str

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime.datetime)


def _window(today: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = local_midnight(today)
    return start, start + datetime.timedelta(days=UPCOMING_DAYS + 1)


def upcoming_meetings(ids: Sequence[int], today: datetime.date) -> QuerySet[Meeting]:
    start, end = _window(today)
    return _meetings_between(ids, max(start, timezone.now()), end).select_related(
        "match__program", "match__mentee__user", "match__mentor__user"
    )


def _meetings_between(
    ids: Sequence[int], after: datetime.datetime, end: datetime.datetime
) -> QuerySet[Meeting]:
    """The active pairs' scheduled meetings from `after` to `end`, soonest first."""
    return Meeting.objects.filter(
        match__program__in=ids,
        match__status=Match.Status.ACTIVE,
        status=Meeting.Status.SCHEDULED,
        starts_at__gte=after,
        starts_at__lt=end,
    ).order_by("starts_at", "pk")


# The columns the dashboard shows of its first meetings (`_first_meetings`).
_MEETING_COLUMNS = {
    "program_id": F("match__program_id"),
    "mentee_name": F("match__mentee__user__name"),
    "mentor_name": F("match__mentor__user__name"),
}


def _first_meetings_query(
    ids: Sequence[int], after: datetime.datetime, end: datetime.datetime
) -> QuerySet:
    """The first `UPCOMING_SHOWN` meetings, each row with how many there are in all (a
    subquery of no outer column, run once; a window over every row costs far more)."""
    coming = _meetings_between(ids, after, end)
    total = coming.order_by().values("status").annotate(n=Count("pk")).values("n")
    return coming.annotate(total=Subquery(total), **_MEETING_COLUMNS).values(
        "pk", "starts_at", "match_id", "total", *_MEETING_COLUMNS
    )[:UPCOMING_SHOWN]


# Stand-ins for the first meetings' window while their SQL is compiled (`_first_meetings_sql`).
_AFTER = Marker("after")
_END = Marker("end")
_STAND_IN_AFTER = datetime.datetime(1901, 3, 4, 5, 6, 7, 890123, tzinfo=datetime.UTC)
_STAND_IN_END = datetime.datetime(1901, 4, 5, 6, 7, 8, 901234, tzinfo=datetime.UTC)


def _adapted_moment(moment: datetime.datetime, connection) -> object:
    """`moment` as the database receives it for a meeting's start."""
    return Meeting._meta.get_field("starts_at").get_db_prep_value(moment, connection)


def _moment_read(value: datetime.datetime | str) -> datetime.datetime:
    """A moment from a plain cursor: SQLite gives the stored text, in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


@functools.cache
def _first_meetings_sql(alias: str, vendor: str, programs: int) -> tuple[str, tuple]:
    """`_first_meetings_query`'s SQL for `programs` programs, compiled once per process
    (`core.compiled_sql`); its text depends on the database and the number of programs."""
    connection = connections[alias]
    sentinels, stand_ins = _program_stand_ins(programs)
    stand_ins[_adapted_moment(_STAND_IN_AFTER, connection)] = _AFTER
    stand_ins[_adapted_moment(_STAND_IN_END, connection)] = _END
    query = _first_meetings_query(sentinels, _STAND_IN_AFTER, _STAND_IN_END)
    return compile_marked(query, alias, stand_ins)


def _first_meetings(
    programs: Sequence[Program], today: datetime.date
) -> tuple[list[Upcoming], int]:
    """The first meetings coming up, as items, and how many meetings are coming up: one
    query, compiled once per process and number of programs (`_first_meetings_sql`)."""
    by_pk = {program.pk: program for program in programs}
    if not by_pk:
        return [], 0
    start, end = _window(today)
    connection = connections[router.db_for_read(Meeting)]
    sql, marked = _first_meetings_sql(connection.alias, connection.vendor, len(by_pk))
    values = _program_values(by_pk)
    values[_AFTER] = _adapted_moment(max(start, timezone.now()), connection)
    values[_END] = _adapted_moment(end, connection)
    rows = run_marked_rows(connection.alias, sql, marked, values)
    items = [
        _meeting_item(row, by_pk[row["program_id"]], _moment_read(row["starts_at"])) for row in rows
    ]
    return items, rows[0]["total"] if rows else 0


def _coming_up(programs: Sequence[Program], today: datetime.date) -> list[Upcoming]:
    """Orientations, group sessions and evaluations in the next days, soonest first."""
    start, end = _window(today)
    now = timezone.now()
    by_pk = {program.pk: program for program in programs}
    items: list[Upcoming] = []
    for program in programs:
        orientation = getattr(program, "orientation", None)
        if orientation is not None and now <= orientation.starts_at < end:
            items.append(
                Upcoming(
                    orientation.starts_at,
                    _("Orientation"),
                    program.name,
                    program,
                    _url("sessions:orientation", program),
                )
            )
        window = getattr(program, "evaluation_window", None)
        if window is not None and window.is_open:
            items.append(
                Upcoming(
                    today,
                    _("Evaluation open"),
                    program.name,
                    program,
                    _url("evaluation:overview", program),
                )
            )
        elif (
            program.status in (Program.Status.RUNNING, Program.Status.CLOSING)
            and program.ends_on
            and today <= program.ends_on < today + datetime.timedelta(days=UPCOMING_DAYS + 1)
        ):
            items.append(
                Upcoming(
                    program.ends_on,
                    _("Program ends: open the evaluation"),
                    program.name,
                    program,
                    _url("evaluation:overview", program),
                )
            )
    sessions = (
        GroupSession.objects.filter(
            program__in=by_pk, starts_at__gte=max(start, now), starts_at__lt=end
        )
        .filter(cancelled_at__isnull=True)
        .order_by("starts_at", "pk")
    )
    for session in sessions:
        program = by_pk[session.program_id]
        items.append(
            Upcoming(
                session.starts_at,
                session.get_kind_display(),
                session.title,
                program,
                _url("sessions:group_sessions", program),
            )
        )
    return sorted(items, key=_moment)


def _moment(item: Upcoming) -> datetime.datetime:
    """When it happens; a whole day's item comes first on its day."""
    if isinstance(item.when, datetime.datetime):
        return item.when
    return timezone.make_aware(datetime.datetime.combine(item.when, datetime.time.min))


def _meeting_item(row: dict, program: Program, starts_at: datetime.datetime) -> Upcoming:
    return Upcoming(
        starts_at,
        _("Meeting"),
        _("%(mentee)s with %(mentor)s")
        % {"mentee": row["mentee_name"], "mentor": row["mentor_name"]},
        program,
        reverse("sessions:meeting", args=[program.slug, row["match_id"], row["pk"]]),
    )


def _url(name: str, program: Program) -> str:
    return reverse(name, args=[program.slug])


# --- Charts' data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    month: datetime.date
    meetings: int
    lost_time_hours: float


def months_back(today: datetime.date, n: int = CHART_MONTHS) -> list[datetime.date]:
    """The first days of the last `n` months, this one included, oldest first."""
    year, month = today.year, today.month
    firsts = []
    for _i in range(n):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def _monthly_meetings(ids: Sequence[int], months: list[datetime.date]) -> list[Month]:
    """One query: a filtered count and sum per month, so no per-row date function runs."""
    now = timezone.now()
    starts = [local_midnight(month) for month in months]
    ranges = list(zip(starts, [*starts[1:], now], strict=True))
    sums = {}
    for index, (start, end) in enumerate(ranges):
        within = Q(starts_at__gte=start, starts_at__lt=end)
        sums[f"n{index}"] = Count("pk", filter=within)
        sums[f"h{index}"] = Sum("record__lost_time_hours", filter=within)
    totals = Meeting.objects.filter(
        _held(now), match__program__in=ids, starts_at__gte=starts[0]
    ).aggregate(**sums)
    return [
        Month(month, totals[f"n{index}"] or 0, float(totals[f"h{index}"] or 0))
        for index, month in enumerate(months)
    ]


def monthly_meetings(ids: Sequence[int], today: datetime.date) -> list[Month]:
    """Meetings held and lost-time hours recorded each month, for the last year.

    The year's history is the dashboard's one costly read (every meeting of the year), so
    it is kept in the cache for `DASHBOARD_CHART_SECONDS` (5 minutes by default): a
    meeting recorded meanwhile shows in the chart within that time.
    """
    months = months_back(today)
    seconds = settings.DASHBOARD_CHART_SECONDS
    if not seconds:
        return _monthly_meetings(ids, months)
    digest = hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()[:16]
    key = f"dashboard:months:{today.isoformat()}:{digest}"
    found = cache.get(key)
    if found is None:
        found = _monthly_meetings(ids, months)
        cache.set(key, found, seconds)
    return found


@dataclass(frozen=True)
class EvaluationSummary:
    asked: int
    answered: int
    threshold: int
    shown: int  # responses in released rounds of groups large enough to show
    helpfulness: list[tuple[str, int]] = field(default_factory=list)


def evaluation_summary(programs: Sequence[Program]) -> EvaluationSummary:
    """Helpfulness across the released results of these programs, never smaller groups.

    Each program's form (mentee or mentor) is shown, as in its report, only from closed
    rounds and only once at least `EVALUATION_MIN_GROUP` answers are released; the sum
    of shown groups is then safe to add up.
    """
    ids = [program.pk for program in programs]
    threshold = min_group()
    open_round = {}
    for program in programs:
        window = getattr(program, "evaluation_window", None)
        open_round[program.pk] = window.round if window and window.is_open else None
    per_round: dict[tuple, Counter] = defaultdict(Counter)
    tallies: dict[tuple, Counter] = defaultdict(Counter)
    rows = (
        EvaluationResponse.objects.filter(program__in=ids)
        .order_by()
        .values_list("program_id", "role", "round", "helpfulness")
        .annotate(n=Count("pk"))
    )
    for program_id, role, number, helpfulness, n in rows:
        per_round[(program_id, role)][number] += n
        tallies[(program_id, role, number)][helpfulness] += n
    shown = Counter()
    for (program_id, role), rounds in per_round.items():
        released = released_rounds(rounds, open_round=open_round[program_id], threshold=threshold)
        if sum(rounds[number] for number in released) < threshold:
            continue
        for number in released:
            shown.update(tallies[(program_id, role, number)])
    requests = Counter(
        dict(
            EvaluationRequest.objects.filter(participant__program__in=ids)
            .order_by()
            .values_list("responded")
            .annotate(n=Count("pk"))
        )
    )
    return EvaluationSummary(
        asked=requests[True] + requests[False],
        answered=requests[True],
        threshold=threshold,
        shown=sum(shown.values()),
        helpfulness=[(str(label), shown[value]) for value, label in HELPFULNESS_CHOICES],
    )


# --- The whole dashboard ------------------------------------------------------------------------


@dataclass
class ProgramRow:
    program: Program
    mentees: int
    mentors: int
    active_pairs: int
    attention: int
    funnel: dict[str, int]  # people at each step, never more than at the step before
    outside: int  # participants taken in without an accepted application: not in the funnel

    @property
    def closed(self) -> bool:
        return self.program.status == Program.Status.CLOSED


@dataclass
class Dashboard:
    programs: list[Program]
    today: datetime.date
    steps: dict[str, int]  # the funnels of every program given, added up
    attention: dict[str, int]
    rows: list[ProgramRow]
    coming_up: list[Upcoming]  # the soonest, meetings included, in the order they happen
    coming_up_count: int  # everything coming up, of which `coming_up` is the first part
    meetings_coming_count: int  # the meetings among them: the count of their list
    months: list[Month]
    evaluation: EvaluationSummary
    no_meeting_days: list[int]

    @property
    def needs_attention(self) -> int:
        return sum(self.attention.values())

    @property
    def funnel_rows(self) -> list[ProgramRow]:
        """The programs whose pipeline is shown first: all but the closed ones and drafts."""
        return [row for row in self.rows if row.program.status in LIVE]

    @property
    def closed_rows(self) -> list[ProgramRow]:
        return [row for row in self.rows if row.closed]


def dashboard(programs: Sequence[Program], today: datetime.date | None = None) -> Dashboard:
    """The dashboard of these programs (one, or all a coordinator runs)."""
    today = today or timezone.localdate()
    now = timezone.now()
    ids = [program.pk for program in programs]
    programs = _programs_with_counts(programs)
    intervals = intervals_of(programs)
    people = _participant_counts(ids, now)
    live = [program.pk for program in programs if program.status in LIVE]
    # The pair states: one grouped query over the active pairs, with the lists' filters.
    pairs = pair_states_of(live, today, intervals).counts()
    per_program: dict[int, Counter] = defaultdict(Counter)
    for program in programs:
        per_program[program.pk].update(program.counts)
        per_program[program.pk].update(pairs.get(program.pk, {}))
        per_program[program.pk].update(people.get(program.pk, {}))
    steps = {key: sum(per_program[pk][key] for pk in ids) for key in STEP_KEYS}
    attention = {item.key: sum(per_program[pk][item.key] for pk in ids) for item in ATTENTION}
    rows = [
        ProgramRow(
            program=program,
            mentees=per_program[program.pk]["mentee"],
            mentors=per_program[program.pk]["mentor"],
            active_pairs=per_program[program.pk]["active_pairs"],
            attention=sum(per_program[program.pk][item.key] for item in ATTENTION),
            funnel={key: per_program[program.pk][key] for key in STEP_KEYS},
            outside=per_program[program.pk]["participants"] - per_program[program.pk]["accepted"],
        )
        for program in programs
    ]
    meetings, meetings_count = _first_meetings(programs, today)
    others = _coming_up(programs, today)
    soonest = sorted([*others, *meetings], key=_moment)[:UPCOMING_SHOWN]
    return Dashboard(
        programs=list(programs),
        today=today,
        steps=steps,
        attention=attention,
        rows=rows,
        coming_up=soonest,
        coming_up_count=len(others) + meetings_count,
        meetings_coming_count=meetings_count,
        months=monthly_meetings(ids, today),
        evaluation=evaluation_summary(programs),
        # Only live programs have quiet pairs, so only their intervals name the heading.
        no_meeting_days=sorted({intervals.days(pk, "no_meeting_days") for pk in live}),
    )


def pair_states_of(live: Sequence[int], today: datetime.date, intervals: Intervals) -> PairStates:
    """The pair states of these live programs: what their numbers count and lists show."""
    return PairStates(live, today, intervals)


def pairs_in_state(
    key: str, programs: Sequence[Program], today: datetime.date | None = None
) -> QuerySet[Match]:
    """The active pairs behind one of the pair-state numbers, as one filtered query."""
    live = [program.pk for program in programs if program.status in LIVE]
    states = pair_states_of(live, today or timezone.localdate(), intervals_of(programs))
    return states.pairs(PAIR_STATE_FILTERS[key])
