"""Every page within 15 queries (issue 19), walked over the whole access matrix.

For each GET row of the URL × role matrix and each role the page answers with 200, the page
must make at most `BUDGET` queries. The cast is small; `test_query_count_does_not_grow`
adds rows where the lists are and requires the same count, so the budget holds at national
size too.
"""

import datetime
import itertools
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import ROLES, Cast
from core.testing import assert_constant_queries
from members.export import REGISTRY
from mentorship.tests.test_access_matrix import MATRIX

BUDGET = 15

# The member's own data, read and downloaded: one query per kind of data kept about them
# (members/export.py REGISTRY, 29 kinds), whatever the number of rows. Its budget is
# that, plus the request's own reads (session, user, navigation); a query per row
# still fails here and in test_query_count_does_not_grow.
EXPORT_BUDGET = len(REGISTRY) + 3
OWN_BUDGET: dict[str, int] = {"accounts:my_data": EXPORT_BUDGET, "accounts:download": EXPORT_BUDGET}


GET_PAGES = sorted(
    (name, role)
    for name, row in MATRIX.items()
    if row.method == "get"
    for role in ROLES
    if row.expect[role] == 200
)


def count_queries(client, url: str) -> tuple[int, list[str], int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return len(captured), [q["sql"] for q in captured.captured_queries], response.status_code


@pytest.mark.parametrize(("name", "role"), GET_PAGES)
def test_page_within_query_budget(name, role, cast, client_as):
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(cast))
    client = client_as(role)
    budget = OWN_BUDGET.get(name, BUDGET)
    # The first request: what a page reads, plus, where it fills a cache, the database
    # cache's own bookkeeping (a cull count, a savepoint, the upsert), which Redis takes
    # over in production and which no amount of data makes larger.
    count, statements, status = count_queries(client, url)
    assert status == 200, f"{url} as {role}: {status}"
    reads = [sql for sql in statements if not is_cache_bookkeeping(sql)]
    assert len(reads) <= budget, (
        f"{name} ({url}) as {role}: {len(reads)} queries, budget {budget}\n" + "\n".join(reads)
    )
    # Once the cache is warm, every statement counts, the cache's read included.
    count, statements, status = count_queries(client, url)
    assert count <= budget, (
        f"{name} ({url}) as {role}, again: {count} queries, budget {budget}\n"
        + "\n".join(statements)
    )


def is_cache_bookkeeping(sql: str) -> bool:
    """A statement of Django's database cache writing an entry, not of the page."""
    return sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) or (
        '"django_cache"' in sql and not sql.startswith('SELECT "cache_key", "value"')
    )


def test_cache_bookkeeping_is_told_apart_from_a_pages_reads():
    cache_write = [
        'SELECT COUNT(*) FROM "django_cache"',
        'SAVEPOINT "s1_x5"',
        'SELECT "cache_key", "expires" FROM "django_cache" WHERE "cache_key" = %s',
        'INSERT INTO "django_cache" ("cache_key", "value", "expires") VALUES (%s, %s, %s)',
        'RELEASE SAVEPOINT "s1_x5"',
    ]
    assert all(is_cache_bookkeeping(sql) for sql in cache_write)
    cache_read = (
        'SELECT "cache_key", "value", "expires" FROM "django_cache" WHERE "cache_key" IN (%s)'
    )
    page = 'SELECT "programs_program"."id" FROM "programs_program"'
    assert not is_cache_bookkeeping(cache_read) and not is_cache_bookkeeping(page)


# --- The same count with more rows: no query per row ----------------------------------------

DAY = datetime.timedelta(days=1)
_days = itertools.count(1)


def _new_pair(cast: Cast):
    from matching.models import Match
    from programs.tests.factories import ParticipantFactory

    return Match.objects.create(
        program=cast.program,
        mentee=ParticipantFactory(program=cast.program, role="mentee"),
        mentor=ParticipantFactory(program=cast.program, role="mentor"),
        status="active",
        started_at=timezone.now(),
    )


def _history(cast: Cast, match, n: int) -> None:
    """n more weeks of a pair's life: a held and recorded meeting with two actions (one
    done), a goal, and a meeting coming, prepared."""
    from sessions.models import Goal
    from sessions.tests.factories import (
        ActionItemFactory,
        MeetingFactory,
        PreparationFactory,
        SessionRecordFactory,
        at,
    )

    today = timezone.localdate()
    for _ in range(n):
        day = next(_days)
        held = MeetingFactory(match=match, starts_at=at(today - day * DAY))
        PreparationFactory(meeting=held)
        record = SessionRecordFactory(meeting=held)
        ActionItemFactory(record=record)
        ActionItemFactory(record=record, owner="mentor", status="done", closed_at=timezone.now())
        Goal.objects.create(match=match, term="short", description=f"Goal {day}")
        PreparationFactory(meeting=MeetingFactory(match=match, starts_at=at(today + day * DAY)))


def grow_pair_history(cast: Cast, n: int) -> None:
    _history(cast, cast.pair(), n)


def grow_pairs(cast: Cast, n: int) -> None:
    from sessions.tests.factories import WorksheetFactory

    for _ in range(n):
        pair = _new_pair(cast)
        WorksheetFactory(match=pair)
        _history(cast, pair, 1)


def grow_applications(cast: Cast, n: int) -> None:
    from intake.tests.factories import ApplicationFactory, NominationFactory

    for number in range(n):
        ApplicationFactory(program=cast.program, role=("mentee", "mentor")[number % 2])
        NominationFactory(program=cast.program)


def grow_participants(cast: Cast, n: int) -> None:
    from programs.tests.factories import ParticipantFactory
    from surveys.tests.factories import SurveyFactory

    for number in range(n):
        participant = ParticipantFactory(
            program=cast.program, role=("mentee", "mentor")[number % 2]
        )
        if number % 3:
            submitted = number % 2
            SurveyFactory(
                participant=participant,
                status=("draft", "submitted")[submitted],
                submitted_at=timezone.now() if submitted else None,
            )


def grow_programs(cast: Cast, n: int) -> None:
    """More programs, each with the cast's mentee and mentor in it and a coordinator."""
    from accounts.tests.factories import UserFactory
    from programs.tests.factories import ParticipantFactory, ProgramFactory

    for _ in range(n):
        program = ProgramFactory(status="running")
        program.coordinators.add(UserFactory())
        ParticipantFactory(program=program, user=cast.mentee, role="mentee")
        ParticipantFactory(program=program, user=cast.mentor, role="mentor")


def grow_activity(cast: Cast, n: int) -> None:
    from programs.activity import record_activity

    for number in range(n):
        record_activity(
            actor_id=cast.coordinator.pk,
            program_id=cast.program.pk,
            action="intake:decide",
            target={"slug": cast.program.slug, "pk": number},
            changes=[{"model": "intake.application", "operation": "changed", "fields": ["status"]}],
        )


def grow_group_sessions(cast: Cast, n: int) -> None:
    from sessions.tests.factories import GroupSessionFactory

    for _ in range(n):
        GroupSessionFactory(program=cast.program)


# (page, role) -> how to add rows to what it lists. Pages of a pair use the cast's pair.
GROWING: dict[tuple[str, str], Callable[[Cast, int], None]] = {
    **{("accounts:home", role): grow_pair_history for role in ("mentee", "mentor")},
    ("accounts:home", "member"): grow_programs,
    ("accounts:forms", "mentee"): grow_programs,
    **{("accounts:my_data", role): grow_pair_history for role in ("mentee", "mentor")},
    **{
        (page, role): grow_pair_history
        for page in (
            "sessions:timeline",
            "sessions:goals",
            "sessions:meeting",
            "sessions:worksheet",
            "sessions:meeting_create",
        )
        for role in ("mentee", "mentor", "coordinator")
        if MATRIX[page].expect[role] == 200
    },
    ("sessions:meeting_record", "mentor"): grow_pair_history,
    ("sessions:meeting_preparation", "mentee"): grow_pair_history,
    ("sessions:pairs", "coordinator"): grow_pairs,
    ("sessions:orientation", "coordinator"): grow_pairs,
    ("sessions:group_sessions", "mentee"): grow_group_sessions,
    ("programs:detail", "mentee"): grow_pairs,
    ("programs:detail", "coordinator"): grow_pairs,
    ("programs:participants", "coordinator"): grow_participants,
    ("programs:list", "anonymous"): grow_programs,
    ("programs:list", "mentee"): grow_programs,
    ("programs:activity", "coordinator"): grow_activity,
    ("intake:review", "coordinator"): grow_applications,
    ("intake:nominations", "coordinator"): grow_applications,
    ("surveys:completion", "coordinator"): grow_participants,
    ("matching:mentor_database", "coordinator"): grow_pairs,
    ("evaluation:overview", "coordinator"): grow_pairs,
    # Other helpers' pages (issue 19): H2's dashboards and lists, H3's board, H6's
    # reminders, H7's report.
    ("dashboard:home", "coordinator"): grow_pairs,
    ("dashboard:program", "coordinator"): grow_pairs,
    ("dashboard:list", "coordinator"): grow_pairs,
    ("matching:board", "coordinator"): grow_participants,
    ("reminders:log", "coordinator"): grow_participants,
    ("evaluation:report", "coordinator"): grow_pairs,
    ("evaluation:outcomes", "coordinator"): grow_participants,
}


@pytest.mark.parametrize(("name", "role"), sorted(GROWING))
def test_query_count_does_not_grow(name, role, cast, client_as):
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(cast))
    client = client_as(role)

    def fetch():
        response = client.get(url)
        assert response.status_code == 200, f"{url} as {role}: {response.status_code}"

    fetch()  # warm: a cache filled on the first request (the dashboard's chart) stays filled
    try:
        count = assert_constant_queries(fetch, lambda n: GROWING[name, role](cast, n), (3, 12))
    except AssertionError as error:
        raise AssertionError(f"{name} as {role}: {error}") from None
    budget = OWN_BUDGET.get(name, BUDGET)
    assert count <= budget, f"{name} as {role}: {count} queries with rows, budget {budget}"


def test_homes_cost_the_same_with_a_long_history(cast, client_as):
    """A member in a pair with a year of meetings (50 held and recorded, 50 coming, 100
    actions, 50 goals): their home and their mentor's cost what they cost with 2."""
    counts = {}
    for role in ("mentee", "mentor"):
        client = client_as(role)

        def fetch(client=client):
            assert client.get(reverse("accounts:home")).status_code == 200

        counts[role] = assert_constant_queries(
            fetch, lambda n: grow_pair_history(cast, n), sizes=(2, 50)
        )
    assert max(counts.values()) <= BUDGET, counts
