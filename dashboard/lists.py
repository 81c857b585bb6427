"""The lists behind the coordinator dashboard's numbers, for the page and its CSV.

Each list filters with the very definition in `dashboard.selectors` that counts its
number, so a list and its number always agree. Whatever the number of rows, a list is
read in a fixed number of queries: what a row shows comes with it (joins and
annotations), never one query per row.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluation.models import EvaluationRequest
from intake.models import Application
from matching.models import Match
from programs.models import Participant, Program
from sessions.models import Meeting

from . import selectors

PEOPLE, APPLICATIONS, PAIRS, MEETINGS, PROGRAMS = (
    "people",
    "applications",
    "pairs",
    "meetings",
    "programs",
)
# The filters each type of list offers besides the program.
FILTERS = {
    PEOPLE: ("role", "q"),
    APPLICATIONS: ("role", "q"),
    PAIRS: ("q",),
    MEETINGS: ("q",),
    PROGRAMS: (),
}
# People lists whose members are in a pair: their row opens the pair.
IN_A_PAIR = ("matched", "agreed", "meeting", "completed")

NAME, EMAIL, ROLE, PROGRAM = _("Name"), _("E-mail"), _("Role"), _("Program")
MENTEE, MENTOR, STARTED, LAST_MEETING = _("Mentee"), _("Mentor"), _("Started"), _("Last meeting")
COLUMNS = {
    PEOPLE: (NAME, EMAIL, ROLE, PROGRAM),
    APPLICATIONS: (NAME, EMAIL, ROLE, PROGRAM, _("Status"), _("Submitted")),
    PAIRS: (MENTEE, MENTOR, PROGRAM, STARTED),
    MEETINGS: (_("When"), MENTEE, MENTOR, PROGRAM),
    PROGRAMS: (
        PROGRAM,
        _("Mentees asked"),
        _("Mentees who answered"),
        _("Mentors asked"),
        _("Mentors who answered"),
    ),
}
PAIR_COLUMNS = {
    "quiet": (LAST_MEETING,),
    "worksheet": (_("Worksheet"),),
    "midpoint": (_("Mid-point check-in"), LAST_MEETING),
    "ended_unmatched": (_("Ended"), _("Why it ended")),
}
EMPTY = {
    PEOPLE: _("Nobody is on this list."),
    APPLICATIONS: _("No application is on this list."),
    PAIRS: _("No pair is on this list."),
    MEETINGS: _("No meeting is booked in the coming days."),
    PROGRAMS: _("No program has opened its evaluation yet."),
}


@dataclass(frozen=True)
class Listing:
    """What a list is: its heading, what it says to do, and its columns."""

    kind: str
    type: str
    title: str
    text: str  # what the number counts, or for a list needing attention what to do
    is_action: bool
    columns: tuple[Promise, ...]
    empty: Promise

    @property
    def filters(self) -> tuple[str, ...]:
        return FILTERS[self.type]


def describe(kind: str, programs: Sequence[Program]) -> Listing:
    """The list `kind` (a key of `selectors.LIST_KINDS`) over these programs."""
    list_type = selectors.LIST_KINDS[kind]
    steps = {step.key: step for step in selectors.STEPS}
    attention = {item.key: item for item in selectors.ATTENTION}
    if kind in attention:
        item = attention[kind]
        title, text, is_action = _attention_label(item, programs), str(item.action), True
    elif kind in steps:
        title, text, is_action = str(steps[kind].label), str(steps[kind].help), False
    else:  # the meetings coming up
        title = gettext("Meetings coming up")
        text = gettext("Meetings booked by active pairs in the next %(days)s days.") % {
            "days": selectors.UPCOMING_DAYS
        }
        is_action = False
    return Listing(
        kind=kind,
        type=list_type,
        title=title,
        text=text,
        is_action=is_action,
        columns=COLUMNS[list_type] + PAIR_COLUMNS.get(kind, ()),
        empty=EMPTY[list_type],
    )


def _attention_label(item: selectors.Attention, programs: Sequence[Program]) -> str:
    # As on the dashboard: only live programs have quiet pairs to name an interval for.
    live = [program.pk for program in programs if program.status in selectors.LIVE]
    intervals = selectors.intervals_of(programs)
    return selectors.attention_label(item, [intervals.days(pk, "no_meeting_days") for pk in live])


# --- Rows ---------------------------------------------------------------------------------------


def rows(
    kind: str,
    programs: Sequence[Program],
    *,
    role: str = "",
    search: str = "",
    now: datetime.datetime | None = None,
) -> QuerySet | list:
    """The rows of the list `kind` over these programs, filtered by role and a search."""
    now = now or timezone.now()
    ids = [program.pk for program in programs]
    list_type = selectors.LIST_KINDS[kind]
    if list_type == PEOPLE:
        return people(kind, programs, now, role=role, search=search)
    if list_type == APPLICATIONS:
        return applications(kind, ids, role=role, search=search)
    if list_type == PAIRS:
        return pairs(kind, programs, now, search=search)
    if list_type == MEETINGS:
        return meetings(ids, timezone.localdate(now), search=search)
    return evaluation_counts(programs)


def _person_search(search: str, *paths: str) -> Q:
    found = Q()
    for path in paths:
        found |= Q(**{f"{path}__name__icontains": search}) | Q(
            **{f"{path}__email__icontains": search}
        )
    return found


def _people_filter(kind: str, programs: Sequence[Program], now: datetime.datetime) -> Q:
    return selectors.participant_filters(now)[kind]


def people(
    kind: str,
    programs: Sequence[Program],
    now: datetime.datetime,
    *,
    role: str = "",
    search: str = "",
) -> QuerySet[Participant]:
    qs = (
        Participant.objects.filter(program__in=[program.pk for program in programs])
        .filter(_people_filter(kind, programs, now))
        .select_related("user", "program")
        .order_by("user__name", "pk")
    )
    if kind in IN_A_PAIR:
        # The first and the latest pair: the same one when they have a single pair to open.
        published = Match.objects.published().involving_participant(OuterRef("pk"))
        qs = qs.annotate(
            pair_id=Subquery(published.order_by("-created_at", "-pk").values("pk")[:1]),
            first_pair_id=Subquery(published.order_by("created_at", "pk").values("pk")[:1]),
        )
    if role in Participant.Role.values:
        qs = qs.filter(role=role)
    if search:
        qs = qs.filter(_person_search(search, "user"))
    return qs


def applications(
    kind: str, ids: Sequence[int], *, role: str = "", search: str = ""
) -> QuerySet[Application]:
    qs = (
        Application.objects.filter(program__in=ids)
        .filter(selectors.APPLICATION_FILTERS[kind])
        .select_related("applicant", "program")
        # Waiting longest first: the order to review them in.
        .order_by("submitted_at", "pk")
    )
    if role in Participant.Role.values:
        qs = qs.filter(role=role)
    if search:
        qs = qs.filter(_person_search(search, "applicant"))
    return qs


PAIR_ORDER = {
    "quiet": (F("last_met").asc(nulls_first=True), "started_at", "pk"),
    "worksheet": ("started_at", "pk"),
    "midpoint": (F("midpoint_on").asc(nulls_last=True), "pk"),
    "ended_unmatched": ("ended_at", "pk"),
}


def pairs(
    kind: str, programs: Sequence[Program], now: datetime.datetime, *, search: str = ""
) -> QuerySet[Match]:
    # Held meetings, as the pair states count them: scheduled, and started by now.
    held = Meeting.objects.filter(
        match=OuterRef("pk"), status=Meeting.Status.SCHEDULED, starts_at__lte=now
    )
    if kind == "ended_unmatched":
        qs = Match.objects.filter(
            selectors.ended_unmatched_filter(), program__in=[program.pk for program in programs]
        )
    else:
        qs = selectors.pairs_in_state(kind, programs, timezone.localdate(now))
    qs = (
        qs.select_related("program", "mentee__user", "mentor__user")
        .annotate(
            # One indexed lookup per row: the latest held meeting, never a join of them all.
            last_met=Subquery(held.order_by("-starts_at").values("starts_at")[:1]),
            midpoint_on=F("worksheet__midpoint_on"),
            worksheet_pk=F("worksheet__pk"),
            mentee_agreed_at=F("worksheet__mentee_agreed_at"),
            mentor_agreed_at=F("worksheet__mentor_agreed_at"),
        )
        .order_by(*PAIR_ORDER[kind])
    )
    if search:
        qs = qs.filter(_person_search(search, "mentee__user", "mentor__user"))
    return qs


def meetings(ids: Sequence[int], today: datetime.date, *, search: str = "") -> QuerySet[Meeting]:
    qs = selectors.upcoming_meetings(ids, today)
    if search:
        qs = qs.filter(_person_search(search, "match__mentee__user", "match__mentor__user"))
    return qs


@dataclass(frozen=True)
class EvaluationCount:
    """How many were asked and answered in a program: never who."""

    program: Program
    mentees_asked: int = 0
    mentees_answered: int = 0
    mentors_asked: int = 0
    mentors_answered: int = 0


def evaluation_counts(programs: Sequence[Program]) -> list[EvaluationCount]:
    """Each program that has opened its evaluation, with how many were asked and answered."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    grouped = (
        EvaluationRequest.objects.filter(participant__program__in=[p.pk for p in programs])
        .order_by()
        .values_list("participant__program_id", "participant__role", "responded")
        .annotate(n=Count("pk"))
    )
    for program_id, role, responded, n in grouped:
        counts[program_id][f"{role}s_asked"] += n
        if responded:
            counts[program_id][f"{role}s_answered"] += n
    found = []
    for program in programs:
        window = getattr(program, "evaluation_window", None)
        if program.pk in counts or (window is not None and window.round):
            found.append(EvaluationCount(program, **counts.get(program.pk, {})))
    return found


# --- CSV ----------------------------------------------------------------------------------------


def _day(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return value.isoformat()


def _moment(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def worksheet_state(match: Match) -> Promise:
    """Where the pair's worksheet stands, from the row's own annotations."""
    if match.worksheet_pk is None:
        return _("Not started")
    if match.mentee_agreed_at and not match.mentor_agreed_at:
        return _("Agreed by the mentee only")
    if match.mentor_agreed_at and not match.mentee_agreed_at:
        return _("Agreed by the mentor only")
    if match.mentee_agreed_at and match.mentor_agreed_at:
        return _("Agreed by both")
    return _("Not agreed yet")


def for_page(listing: Listing, items: Iterable) -> list:
    """A page's rows, with what the template cannot work out itself."""
    items = list(items)
    if listing.kind == "worksheet":
        for match in items:
            match.worksheet_state = worksheet_state(match)
    return items


def _pair_extra(kind: str, match: Match) -> list:
    if kind == "quiet":
        return [_day(match.last_met)]
    if kind == "worksheet":
        return [worksheet_state(match)]
    if kind == "midpoint":
        return [_day(match.midpoint_on), _day(match.last_met)]
    return [_day(match.ended_at), match.get_end_reason_display()]


def csv_table(listing: Listing, found: QuerySet | list) -> tuple[list[str], Iterator[list]]:
    """The header and rows of the list's CSV: what the page shows, on every page."""
    header = [str(label) for label in listing.columns]
    if listing.type in (PAIRS, MEETINGS):
        # The page shows each partner's e-mail under their name; the CSV gives it a column.
        position = 1 if listing.type == MEETINGS else 0
        header[position + 1 : position + 1] = [gettext("Mentee’s e-mail")]
        header[position + 3 : position + 3] = [gettext("Mentor’s e-mail")]
    items: Iterable = found.iterator() if isinstance(found, QuerySet) else found
    return header, (_csv_row(listing, item) for item in items)


def _pair_cells(match: Match) -> list:
    mentee, mentor = match.mentee.user, match.mentor.user
    return [mentee.name, mentee.email, mentor.name, mentor.email, match.program.name]


def _csv_row(listing: Listing, item) -> list:
    if listing.type == PEOPLE:
        return [item.user.name, item.user.email, item.get_role_display(), item.program.name]
    if listing.type == APPLICATIONS:
        return [
            item.applicant.name,
            item.applicant.email,
            item.get_role_display(),
            item.program.name,
            item.get_status_display(),
            _day(item.submitted_at),
        ]
    if listing.type == PAIRS:
        return [*_pair_cells(item), _day(item.started_at), *_pair_extra(listing.kind, item)]
    if listing.type == MEETINGS:
        return [_moment(item.starts_at), *_pair_cells(item.match)]
    return [
        item.program.name,
        item.mentees_asked,
        item.mentees_answered,
        item.mentors_asked,
        item.mentors_answered,
    ]
