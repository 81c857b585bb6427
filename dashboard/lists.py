"""The lists behind the coordinator dashboard's numbers, for the page and its CSV.

Each list filters with the very definition in `dashboard.selectors` that counts its
number, so a list and its number always agree. Whatever the number of rows, a list is
read in a fixed number of queries: what a row shows comes with it (joins and
annotations), never one query per row.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.dates import date_writer
from core.labels import choice_labels
from core.urls import url_pattern
from evaluation.models import EvaluationRequest
from intake.models import Application
from matching.models import Match
from programs.models import Participant, Program
from sessions.models import Meeting, Side
from sessions.selectors import not_a_good_fit

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
    "not_a_good_fit": (_("Said by"), LAST_MEETING),
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
    """A funnel step on each participant's stored columns (no subquery), or the missing
    surveys."""
    return selectors.participant_filter(kind, now)


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
    "not_a_good_fit": ("started_at", "pk"),
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
    if kind == "not_a_good_fit":
        qs = qs.annotate(**_unfit_sides())
    if search:
        qs = qs.filter(_person_search(search, "mentee__user", "mentor__user"))
    return qs


# --- The fit check's list: who said "Not a good fit" (the partner never sees it; coordinators do)


def _unfit_sides() -> dict:
    return {
        f"unfit_{side}": ExpressionWrapper(not_a_good_fit(side), output_field=BooleanField())
        for side in (Side.MENTEE, Side.MENTOR)
    }


def said_by(match: Match) -> Promise:
    if match.unfit_mentee and match.unfit_mentor:
        return _("Both")
    return _("The mentee") if match.unfit_mentee else _("The mentor")


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


def _pair_extra(kind: str, match: Match) -> list:
    if kind == "quiet":
        return [_day(match.last_met)]
    if kind == "worksheet":
        return [worksheet_state(match)]
    if kind == "midpoint":
        return [_day(match.midpoint_on), _day(match.last_met)]
    if kind == "not_a_good_fit":
        return [said_by(match), _day(match.last_met)]
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


# --- A page -------------------------------------------------------------------------------------


def _people(path: str) -> tuple[str, ...]:
    return (path, f"{path}__name", f"{path}__email")


def _pair(path: str) -> tuple[str, ...]:
    return (
        f"{path}program",
        f"{path}program__name",
        f"{path}program__slug",
        f"{path}mentee",
        f"{path}mentor",
        *_people(f"{path}mentee__user"),
        *_people(f"{path}mentor__user"),
    )


# What a page's rows read of their models (`table_body`): a row and what is joined to it
# (a program's texts, a user's password and dates) are not read in full for 50 rows.
SHOWN_FIELDS = {
    PEOPLE: ("role", "program", "program__name", "program__slug", *_people("user")),
    APPLICATIONS: (
        "role",
        "status",
        "submitted_at",
        "program",
        "program__name",
        "program__slug",
        *_people("applicant"),
    ),
    PAIRS: ("started_at", "ended_at", "end_reason", *_pair("")),
    MEETINGS: ("starts_at", "match", *_pair("match__")),
}


def page_of(found: QuerySet | list, number, per_page: int, fields: Sequence[str] = ()) -> Page:
    """One page of a list and how many rows it holds in all, as `Paginator.get_page` gives.

    A list's cost is its filter (a pair state's subqueries per pair), so it runs once: one
    query returns the page's keys in order, with the total counted over the same rows by a
    window, and a second reads those rows alone with what they show (joins, per-row
    subqueries), reading only `fields` of them if given. A page past the end falls
    back to the last one, as `get_page` does, at the cost of a count.
    """
    paginator = Paginator(found, per_page)
    if not isinstance(found, QuerySet):
        return paginator.get_page(number)
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    keys = _page_keys(found, number, per_page) if number >= 1 else []
    if keys:
        paginator.count = keys[0][1]
    elif number == 1:
        paginator.count = 0
    else:
        paginator.count = found.count()
        number = paginator.num_pages
        keys = _page_keys(found, number, per_page) if paginator.count else []
    if not keys:
        return Page([], number, paginator)
    order = [pk for pk, _total in keys]
    shown = found.filter(pk__in=order)
    by_pk = {row.pk: row for row in (shown.only(*fields) if fields else shown)}
    # A row gone between the two reads is left out rather than shown half-read.
    return Page([by_pk[pk] for pk in order if pk in by_pk], number, paginator)


def _page_keys(found: QuerySet, number: int, per_page: int) -> list[tuple[int, int]]:
    """The keys of page `number`'s rows, in the list's order, each with the list's total."""
    start = (number - 1) * per_page
    counted = found.annotate(list_total=Window(Count("*")))
    return list(counted.values_list("pk", "list_total")[start : start + per_page])


# --- A page's rows, built here ------------------------------------------------------------------
# Fifty rows of a dozen cells cost far more as template lookups, `{% url %}` and
# `{% blocktranslate %}` per cell than as one string per row, so each row is written here:
# every value goes through `escape` (the template's own escaping), a translated message with
# markup gets its values escaped as `{% blocktranslate %}` does, and what every row reads
# alike (a program's URLs, choices' labels, the messages) is worked out once a page.

# The action links' messages, by key: translated once a page (`gettext_noop` marks them).
ACTION_LABELS = {
    "survey": gettext_noop('Survey<span class="visually-hidden"> of %(name)s</span>'),
    "pair": gettext_noop('Pair<span class="visually-hidden"> of %(name)s</span>'),
    "pairs": gettext_noop('Pairs<span class="visually-hidden"> of %(name)s</span>'),
    "people": gettext_noop('People page<span class="visually-hidden"> for %(name)s</span>'),
    "review": gettext_noop(
        'Review<span class="visually-hidden"> the application of %(name)s</span>'
    ),
    "worksheet": gettext_noop(
        'Worksheet<span class="visually-hidden"> of %(mentee)s and %(mentor)s</span>'
    ),
    "board": gettext_noop(
        'Matching board<span class="visually-hidden"> to find %(mentee)s a new mentor</span>'
    ),
    "pair_of": gettext_noop(
        'Pair<span class="visually-hidden"> of %(mentee)s and %(mentor)s</span>'
    ),
    "meeting": gettext_noop(
        'Meeting<span class="visually-hidden"> of %(mentee)s and %(mentor)s</span>'
    ),
    "evaluations": gettext_noop('Evaluations<span class="visually-hidden"> of %(name)s</span>'),
    "end_match": gettext_noop(
        'End the match<span class="visually-hidden"> of %(mentee)s and %(mentor)s</span>'
    ),
}


class _Shared:
    """What the rows of a page read alike, worked out once: URLs, labels, messages."""

    def __init__(self) -> None:
        self._urls: dict[tuple[str, int, int], Callable[..., str]] = {}
        self._labels: dict[tuple[type, str], Callable[[object], str]] = {}
        self._day = date_writer("SHORT_DATE_FORMAT")
        self._moment = date_writer("SHORT_DATETIME_FORMAT")
        self._messages = {key: gettext(message) for key, message in ACTION_LABELS.items()}
        self.no_meeting = escape(gettext("No meeting yet"))
        self.not_reminded = escape(gettext("Not reminded yet"))
        self.reminded_on = escape(gettext("Reminded on %(day)s"))  # its day comes escaped

    def url(self, name: str, program: Program, *pks: int) -> str:
        """`reverse(name, args=[program.slug, *pks])`, escaped: one `url_pattern` per name
        and program, the rows of a page differing by their keys alone."""
        key = (name, program.pk, len(pks))
        write = self._urls.get(key)
        if write is None:
            write = url_pattern(name, program.slug, ids=len(pks), escaped=True)
            self._urls[key] = write
        return write(*pks)

    def label(self, row, field: str) -> str:
        """`row.get_<field>_display()`, escaped, each label looked up once a page."""
        key = (type(row), field)
        labels = self._labels.get(key)
        if labels is None:
            choices = type(row)._meta.get_field(field).flatchoices
            labels = self._labels[key] = choice_labels(choices, escaped=True)
        return labels(getattr(row, field))

    def day(self, value, empty: str = "") -> str:
        """`value|date:"SHORT_DATE_FORMAT"` (a day: a moment's local date), escaped."""
        if not value:
            return empty
        if isinstance(value, datetime.datetime):
            value = timezone.localdate(value)
        return escape(self._day(value))

    def moment(self, value: datetime.datetime) -> str:
        """`value|date:"SHORT_DATETIME_FORMAT"` (local time), escaped."""
        return escape(self._moment(value))

    def action(self, key: str, **values: str) -> str:
        """An action link's text: its translated markup, the names in it escaped."""
        return self._messages[key] % {name: escape(value) for name, value in values.items()}


def _person_cell(user) -> str:
    email = escape(user.email)
    return f'<td>{escape(user.name)}<br><a class="small" href="mailto:{email}">{email}</a></td>'


def _pair_markup(match: Match) -> str:
    return (
        f"{_person_cell(match.mentee.user)}{_person_cell(match.mentor.user)}"
        f"<td>{escape(match.program.name)}</td>"
    )


def _reminded(row, shared: _Shared) -> str:
    reminded_on = getattr(row, "reminded_on", None)
    if reminded_on:
        said = shared.reminded_on % {"day": shared.day(reminded_on)}
    else:
        said = shared.not_reminded
    return f'<span class="d-block small text-body-secondary">{said}</span>'


def _searched(url: str, email: str) -> str:
    """A page's URL searching it for this e-mail, as `?q={{ email|urlencode }}` writes it."""
    return f"{url}?q={escape(quote(email, safe='/'))}"


def _person_row(listing: Listing, row: Participant, shared: _Shared) -> str:
    name, email, program = row.user.name, row.user.email, row.program
    pair_id = getattr(row, "pair_id", None)
    if listing.kind == "surveys_missing":
        href = _searched(shared.url("surveys:completion", program), email)
        action = f'<a href="{href}">{shared.action("survey", name=name)}</a>'
        action += _reminded(row, shared)
    elif pair_id and pair_id == row.first_pair_id:
        href = shared.url("sessions:timeline", program, pair_id)
        action = f'<a href="{href}">{shared.action("pair", name=name)}</a>'
    elif pair_id:
        href = shared.url("sessions:pairs", program)
        action = f'<a href="{href}">{shared.action("pairs", name=name)}</a>'
    else:
        href = _searched(shared.url("programs:participants", program), email)
        action = f'<a href="{href}">{shared.action("people", name=name)}</a>'
    email = escape(email)
    return (
        f'<td>{escape(name)}</td><td><a href="mailto:{email}">{email}</a></td>'
        f"<td>{shared.label(row, 'role')}</td><td>{escape(program.name)}</td>"
        f'<td class="text-nowrap">{action}</td>'
    )


def _application_row(row: Application, shared: _Shared) -> str:
    name, email = row.applicant.name, escape(row.applicant.email)
    review = shared.url("intake:review_detail", row.program, row.pk)
    return (
        f'<td>{escape(name)}</td><td><a href="mailto:{email}">{email}</a></td>'
        f"<td>{shared.label(row, 'role')}</td><td>{escape(row.program.name)}</td>"
        f"<td>{shared.label(row, 'status')}</td><td>{shared.day(row.submitted_at)}</td>"
        f'<td class="text-nowrap"><a href="{review}">{shared.action("review", name=name)}</a></td>'
    )


def _pair_row(listing: Listing, row: Match, shared: _Shared) -> str:
    kind = listing.kind
    names = {"mentee": row.mentee.user.name, "mentor": row.mentor.user.name}
    last_met = shared.day(row.last_met) or shared.no_meeting
    if kind == "quiet":
        extra = f"<td>{last_met}</td>"
    elif kind == "worksheet":
        extra = f"<td>{escape(str(worksheet_state(row)))}</td>"
    elif kind == "midpoint":
        extra = f"<td>{shared.day(row.midpoint_on)}</td><td>{last_met}</td>"
    elif kind == "not_a_good_fit":
        extra = f"<td>{escape(str(said_by(row)))}</td><td>{last_met}</td>"
    else:
        extra = (
            f"<td>{shared.day(row.ended_at, '—')}</td><td>{shared.label(row, 'end_reason')}</td>"
        )
    if kind == "worksheet":
        href = shared.url("sessions:worksheet", row.program, row.pk)
        action = f'<a href="{href}">{shared.action("worksheet", **names)}</a>'
        action += _reminded(row, shared)
    elif kind == "ended_unmatched":
        href = shared.url("matching:board", row.program)
        action = f'<a href="{href}">{shared.action("board", mentee=names["mentee"])}</a>'
    elif kind == "not_a_good_fit":
        # The pair's page has both answers and notes; ending leads on to a new mentor.
        href = shared.url("sessions:timeline", row.program, row.pk)
        end = shared.url("matching:end", row.program, row.pk) + "?reason=not_a_good_fit"
        action = (
            f'<a href="{href}">{shared.action("pair_of", **names)}</a>'
            f'<a class="d-block" href="{end}">{shared.action("end_match", **names)}</a>'
        )
    else:
        href = shared.url("sessions:timeline", row.program, row.pk)
        action = f'<a href="{href}">{shared.action("pair_of", **names)}</a>'
    return (
        f"{_pair_markup(row)}<td>{shared.day(row.started_at, '—')}</td>{extra}"
        f'<td class="text-nowrap">{action}</td>'
    )


def _meeting_row(row: Meeting, shared: _Shared) -> str:
    match = row.match
    when = shared.moment(row.starts_at)
    href = shared.url("sessions:meeting", match.program, match.pk, row.pk)
    label = shared.action("meeting", mentee=match.mentee.user.name, mentor=match.mentor.user.name)
    return (
        f'<td class="text-nowrap">{when}</td>{_pair_markup(match)}'
        f'<td class="text-nowrap"><a href="{href}">{label}</a></td>'
    )


def _evaluation_row(row: EvaluationCount, shared: _Shared) -> str:
    name = row.program.name
    href = shared.url("evaluation:overview", row.program)
    label = shared.action("evaluations", name=name)
    return (
        f"<td>{escape(name)}</td><td>{row.mentees_asked}</td><td>{row.mentees_answered}</td>"
        f"<td>{row.mentors_asked}</td><td>{row.mentors_answered}</td>"
        f'<td class="text-nowrap"><a href="{href}">{label}</a></td>'
    )


def _row(listing: Listing, row, shared: _Shared) -> str:
    if listing.type == PEOPLE:
        return _person_row(listing, row, shared)
    if listing.type == APPLICATIONS:
        return _application_row(row, shared)
    if listing.type == PAIRS:
        return _pair_row(listing, row, shared)
    if listing.type == MEETINGS:
        return _meeting_row(row, shared)
    return _evaluation_row(row, shared)


def table_body(listing: Listing, rows: Iterable) -> SafeString:
    """The table's rows on a page, each a `<tr>` of the cells its list shows."""
    shared = _Shared()
    # Safe: every value in the markup was escaped above, cell by cell.
    return mark_safe("\n".join(f"<tr>{_row(listing, row, shared)}</tr>" for row in rows))
