"""Every page a coordinator can open, and the members' homes, at national size.

`bench_pages()` is the one list of pages and their URLs, chosen from the bench data in the
database (`seed.build` and `seed.build_board`); the bench (`page_figures`,
`query_count_figures`) and the data-scale test (devdata/tests/test_bench_pages.py) both
read it, so a page benched is a page tested. The access matrix
(mentorship/tests/test_access_matrix.py) is the list of pages to cover: every GET page a
coordinator can open is benched here or named in `NOT_BENCHED` with the reason.

Each dataset is built in a transaction that is rolled back, so the database is left as it
was (bench data left by `manage.py bench_seed` is deleted first, and comes back with the
rollback). Pages are requested in-process through the whole middleware stack, logged in
with `force_login`, after one warm-up request each, interleaved with `/healthz` (the floor).
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from dashboard.selectors import LIST_KINDS
from devdata.bench import seed
from devdata.bench.figures import Figure, count_queries, interleaved
from intake.models import Application
from matching.models import Match
from programs.models import Participant, Program
from reminders.kinds import BULK
from sessions.models import GroupSession, Meeting
from sessions.services import calendar_feed_regenerate

SCALES = (0.05, 1.0, 2.0)  # the query-count figures: the 0.05x to 2x

# GET pages of the access matrix a coordinator can open that are not benched, and why.
# CSV exports and POST-only URLs are not pages (the matrix's POST rows are left out anyway).
NOT_BENCHED: dict[str, str] = {
    # CSV exports: files, not pages.
    "accounts:download": "CSV/JSON export of the member's own data",
    "dashboard:list_csv": "CSV export of a list (the list itself is benched)",
    "evaluation:report_csv": "CSV export of the report (the report is benched)",
    "programs:activity_csv": "CSV export of the activity log (the log is benched)",
    # Forms that show one empty or one record's form, whatever the data size.
    "programs:create": "form to create a program",
    "programs:edit": "form to edit one program",
    "programs:copy": "form to copy one program",
    "sessions:group_session_create": "form to create a group session",
    "sessions:group_session_edit": "form to edit one group session",
    "sessions:group_session_cancel": "form to cancel one group session",
    "sessions:orientation_edit": "form to edit the orientation",
    "matching:settings": "form of one program's matching settings",
    "reminders:settings": "form of one program's reminder settings",
    "surveys:key_in": "form to key in one paper survey",
    "intake:key_in": "form to key in one paper application",
    "intake:apply": "form to apply to a program",
    "intake:nominate": "form to nominate a member",
    "accounts:forms": "the blank forms a member can print (a fixed list)",
    "accounts:profile": "form of the member's own profile",
    "accounts:profile_delete": "confirmation before deleting one's profile",
    "matching:my_mentor_profile": "form of the member's own mentor profile",
    "sessions:calendar": "form to get or revoke one's calendar address",
    # Confirmations of one POST about one object.
    "programs:invitation_withdraw": "confirmation before withdrawing one invitation",
    "matching:lift_exclusion": "confirmation before lifting one exclusion",
    "matching:end": "form to end one match",
    # PDFs and files: one filled PDF is benched (the worksheet's, group pdf_filled); the blank
    # forms by devdata/bench/printing.py; these render one record through the same engine.
    "surveys:pdf": "one survey as PDF (one filled PDF is benched: the worksheet)",
    "sessions:meeting_record_pdf": "one record as PDF (one filled PDF is benched)",
    "sessions:meeting_preparation_pdf": "one preparation as PDF (one filled PDF is benched)",
    "printing:blank": "blank PDF form (benched by devdata/bench/printing.py)",
    "printing:program_blank": "blank PDF form (benched by devdata/bench/printing.py)",
    "printing:packet_download": "a stored file, built by a worker (packet bench)",
    "printing:index": "the list of blank forms (a fixed list)",
    # Calendar files of one event.
    "sessions:meeting_ics": "one meeting as a calendar file",
    "sessions:orientation_ics": "the orientation as a calendar file",
    "sessions:group_session_ics": "one group session as a calendar file",
}


@dataclass(frozen=True)
class Page:
    name: str  # the figure's name: "list: agreed", "detail: pair timeline"
    group: str  # its budgets in bench/budgets.toml
    url_name: str  # the access matrix's row
    url: str
    role: str  # "coordinator", "mentee", "mentor"


class BenchPagesError(LookupError):
    """The bench data lacks an object a page needs (built at too small a scale?)."""


def _need[T](found: T | None, what: str) -> T:
    if found is None:
        raise BenchPagesError(f"No {what} in the bench data.")
    return found


@dataclass
class Cast:
    """The bench's people and the objects behind the pages' URLs."""

    coordinator: User
    mentee: User
    mentor: User
    running: Program  # the running program of the pair with the longest history
    pair: Match
    meeting: Meeting
    closed: Program
    matching: Program  # a program of the seed at the matching stage
    board: Program  # `seed.build_board`'s large cohort
    selecting: Program
    application: Application
    group_session: GroupSession
    closed_participant: Participant
    matching_mentee: Participant
    feed_token: str


def bench_cast() -> Cast:
    """The objects the pages are about, chosen the same way at every scale.

    Writes two things, inside the caller's transaction: an authenticator app for the bench
    coordinator (coordinators' pages need one) and the mentor's calendar address.
    """
    programs = seed.bench_programs()
    coordinator = User.objects.get(email=seed.COORDINATOR_EMAIL)
    if not Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(coordinator, generate_totp_secret())
    pair = _need(
        Match.objects.filter(
            program__in=programs.filter(status=Program.Status.RUNNING),
            status=Match.Status.ACTIVE,
        )
        .annotate(held=Count("meetings__record"))
        .order_by("-held", "pk")
        .select_related("program", "mentee__user", "mentor__user")
        .first(),
        "active pair in a running program",
    )
    meeting = _need(
        pair.meetings.filter(record__isnull=False).order_by("-starts_at", "pk").first(),
        "recorded meeting of that pair",
    )
    closed = _need(
        programs.filter(status=Program.Status.CLOSED).order_by("slug").first(), "closed program"
    )
    matching = _need(
        programs.filter(status=Program.Status.MATCHING)
        .exclude(slug=seed.BOARD_SLUG)
        .order_by("slug")
        .first(),
        "program at the matching stage",
    )
    selecting = _need(
        programs.filter(status=Program.Status.SELECTING).order_by("slug").first(),
        "program at the selection stage",
    )
    return Cast(
        coordinator=coordinator,
        mentee=pair.mentee.user,
        mentor=pair.mentor.user,
        running=pair.program,
        pair=pair,
        meeting=meeting,
        closed=closed,
        matching=matching,
        board=Program.objects.get(slug=seed.BOARD_SLUG),
        selecting=selecting,
        application=_need(
            Application.objects.filter(program=selecting, submitted_at__isnull=False)
            .order_by("pk")
            .first(),
            "submitted application",
        ),
        group_session=_need(
            GroupSession.objects.filter(program=pair.program, starts_at__lt=timezone.now())
            .order_by("-starts_at", "pk")
            .first(),
            "past group session of the running program",
        ),
        closed_participant=_need(
            closed.participants.filter(role=Participant.Role.MENTEE).order_by("pk").first(),
            "mentee of the closed program",
        ),
        matching_mentee=_need(
            matching.participants.filter(role=Participant.Role.MENTEE).order_by("pk").first(),
            "mentee of the matching program",
        ),
        feed_token=calendar_feed_regenerate(user=pair.mentor.user).token,
    )


def bench_pages(cast: Cast | None = None) -> list[Page]:
    """Every benched page with its URL, from the bench data in the database."""
    c = cast or bench_cast()
    running = {"slug": c.running.slug}
    pair = {"slug": c.running.slug, "match_id": c.pair.pk}
    closed = {"slug": c.closed.slug}
    pages: list[Page] = []

    def add(name: str, group: str, url_name: str, role: str = "coordinator", **kwargs) -> None:
        pages.append(Page(name, group, url_name, reverse(url_name, kwargs=kwargs), role))

    add("trivial view", "trivial", "healthz")
    # Dashboards.
    add("dashboard: all programs", "dashboard", "dashboard:home")
    add("dashboard: running program", "dashboard", "dashboard:program", **running)
    # Lists: every dashboard list, then every other coordinator list.
    for kind in LIST_KINDS:
        add(f"list: {kind}", "list", "dashboard:list", kind=kind)
    add("list: programs", "list", "programs:list")
    add("list: participants", "list", "programs:participants", **running)
    add("list: activity log", "list", "programs:activity", **running)
    add("list: retention preview", "list", "dashboard:retention", **closed)
    add("list: applications", "list", "intake:review", slug=c.selecting.slug)
    add("list: nominations", "list", "intake:nominations", slug=c.selecting.slug)
    add("list: mentor database", "list", "matching:mentor_database")
    add("list: publish matches", "list", "matching:publish", slug=c.board.slug)
    add("list: reminders log", "list", "reminders:log", **running)
    for kind in BULK:
        add(f"list: remind everyone ({kind})", "list", "reminders:send_many", kind=kind, **running)
    add("list: survey completion", "list", "surveys:completion", **running)
    add("list: pairs", "list", "sessions:pairs", **running)
    add("list: group sessions", "list", "sessions:group_sessions", **running)
    add("list: orientation", "list", "sessions:orientation", **running)
    add("list: orientation attendance", "list", "sessions:orientation_attendance", **running)
    add("list: close-out overview", "list", "evaluation:overview", **closed)
    add("list: outcomes", "list", "evaluation:outcomes", **closed)
    add("list: testimonials", "list", "evaluation:testimonials", **closed)
    add("list: packet", "list", "printing:packet", **running)
    # Details.
    add("detail: program", "detail", "programs:detail", **running)
    add("detail: coordinator's home", "detail", "accounts:home")
    add("detail: coordinator's data", "export", "accounts:my_data")
    add(
        "detail: application",
        "detail",
        "intake:review_detail",
        slug=c.selecting.slug,
        pk=c.application.pk,
    )
    add("detail: pair timeline", "detail", "sessions:timeline", **pair)
    add("detail: worksheet", "detail", "sessions:worksheet", **pair)
    add("detail: goals", "detail", "sessions:goals", **pair)
    add("detail: meeting", "detail", "sessions:meeting", meeting_id=c.meeting.pk, **pair)
    add(
        "detail: survey",
        "detail",
        "surveys:detail",
        slug=c.running.slug,
        participant_id=c.pair.mentee_id,
    )
    add("detail: mentor", "detail", "matching:mentor_detail", user_id=c.mentor.pk)
    add(
        "detail: manual match",
        "detail",
        "matching:manual",
        slug=c.matching.slug,
        participant_id=c.matching_mentee.pk,
    )
    # The form lists the program's mentors (a mentee's three choices): benched, not excused.
    add(
        "detail: mentee's wishes keyed in",
        "detail",
        "matching:key_in_wishes",
        slug=c.matching.slug,
        participant_id=c.matching_mentee.pk,
    )
    add(
        "detail: group session",
        "detail",
        "sessions:group_session",
        pk=c.group_session.pk,
        **running,
    )
    add(
        "detail: group session attendance",
        "detail",
        "sessions:group_session_attendance",
        pk=c.group_session.pk,
        **running,
    )
    add(
        "detail: participant outcomes",
        "detail",
        "evaluation:participant_outcomes",
        participant_id=c.closed_participant.pk,
        **closed,
    )
    # Members' own pages: the pair with the longest history.
    add("home: mentee", "home", "accounts:home", role="mentee")
    add("home: mentor", "home", "accounts:home", role="mentor")
    add("home: mentor's calendar feed", "home", "sessions:feed", role="mentor", token=c.feed_token)
    # The matching board: the seed's cohort (73 mentees at 1x) and the large one (500 at 1x).
    add("board: seed cohort", "board", "matching:board", slug=c.matching.slug)
    add("board: 500 mentees at 1x", "board", "matching:board", slug=c.board.slug)
    add("report: closed program", "report", "evaluation:report", **closed)
    add("pdf: pair's worksheet (filled)", "pdf_filled", "sessions:worksheet_pdf", **pair)
    return pages


def logged_in(user: User) -> Client:
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    return client


def users(cast: Cast) -> dict[str, User]:
    return {"coordinator": cast.coordinator, "mentee": cast.mentee, "mentor": cast.mentor}


def queries_of(user: User, page: Page) -> int:
    """The page's query count, on a fresh log-in after one warm-up request.

    Fresh, because a log-in's session is written again once a minute (accounts.
    session_limits.WRITE_EVERY): on a long-lived one the count would depend on the clock.
    The warm-up fills per-process caches, which are not the page's own queries.
    """
    client = logged_in(user)
    get_ok(client, page)
    return count_queries(lambda: get_ok(client, page))


def get_ok(client: Client, page: Page) -> None:
    response = client.get(page.url)
    assert response.status_code == 200, (
        f"{page.name}: GET {page.url} as {page.role} answered {response.status_code}"
    )


def _analyze() -> None:
    with connection.cursor() as cursor:
        # Planner statistics, as a live database has them (autovacuum, or a nightly ANALYZE).
        cursor.execute("ANALYZE")


@contextmanager
def bench_data(scale: float) -> Iterator[dict]:
    """The bench dataset and the large matching cohort at `scale`, rolled back afterwards.

    Yields what was built, with the build's time in seconds ("build_s").
    """
    with transaction.atomic():
        if seed.bench_data_exists():  # left by `bench_seed`: replaced, restored on rollback
            seed.delete_bench_data()
        start = time.perf_counter()
        summary = seed.build(scale=scale)
        board = seed.build_board(scale=scale)
        built = time.perf_counter() - start
        _analyze()
        try:
            yield {**summary, "board_mentees": board["mentees"], "build_s": built}
        finally:
            transaction.set_rollback(True)


def page_query_counts(scale: float) -> tuple[dict[str, int], dict]:
    """Each page's query count on the dataset at `scale` (every page asserted 200).

    Also returns what was built, with the pages themselves under "pages".
    """
    with bench_data(scale) as built:
        cast = bench_cast()
        by_role = users(cast)
        built["pages"] = bench_pages(cast)
        counts = {page.name: queries_of(by_role[page.role], page) for page in built["pages"]}
    return counts, built


def page_figures(repeat: int = 13) -> list[Figure]:
    """Every page's time, interleaved with /healthz, and its query count, at 1x."""
    figures = []
    with bench_data(1.0) as built:
        cast = bench_cast()
        by_role = users(cast)
        healthz = reverse("healthz")
        floor_client = Client(SERVER_NAME="localhost")
        for page in bench_pages(cast):
            client = logged_in(by_role[page.role])
            get_ok(client, page)  # warm-up
            samples, floors = interleaved(
                lambda c=client, url=page.url: c.get(url),
                lambda: floor_client.get(healthz),
                repeat,
            )
            figures.append(
                Figure(
                    name=page.name,
                    group=page.group,
                    samples_ms=samples,
                    floor="trivial view",
                    floor_samples_ms=floors,
                    queries=queries_of(by_role[page.role], page),
                    extra={"url": page.url, "role": page.role},
                )
            )
        sizes = {
            key: built[key]
            for key in ("members", "programs", "pairs", "session_records", "board_mentees")
        }
        figures[0].extra |= {"dataset": sizes, "build_s": round(built["build_s"], 1)}
    return figures


def query_count_figures() -> list[Figure]:
    """Each page's query count at 0.05x, 1x and 2x data: the same at every size."""
    by_scale, built_s = {}, {}
    for scale in SCALES:
        by_scale[scale], built = page_query_counts(scale)
        built_s[f"{scale:g}x"] = round(built["build_s"], 1)
    figures = []
    for name in by_scale[SCALES[0]]:
        counts = {f"{scale:g}x": by_scale[scale][name] for scale in SCALES}
        figures.append(
            Figure(
                name=f"queries: {name}",
                group="query_scaling",
                samples_ms=[],
                queries=max(counts.values()),
                extra={
                    "counts": counts,
                    "equal": len(set(counts.values())) == 1,
                    "build_s": built_s,
                },
            )
        )
    return figures
