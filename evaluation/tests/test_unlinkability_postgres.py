"""After a round closes, a plain read of PostgreSQL cannot order the answers or pair them.

The audit's attack (issue 17): members answer in an order the attacker knows (or can
learn, from `accounts_user.last_login`); the attacker then sorts the response rows by
their place in the table (`ctid`), the transaction that wrote them (`xmin`), their key or
any column, and the request rows likewise, and reads off who wrote what. This test plays
it with plain SELECTs, first while the round is open (where it must work: the test's own
proof that it can see a leak), then after the close, where it must find nothing.

Criterion, robust to the randomness of the shuffle: with N = 60 answers, each order read
after close is a random permutation of the answer order. Under the normal approximation
of Spearman's rho (rho * sqrt(N - 1) ~ N(0, 1)), |rho| >= 0.7 has a chance of about 8e-8,
so the dozen orders tested here fail by chance less than once in a million runs. An exact
recovery of the answer order (or its reverse) has a chance of 2/60!.
"""

import math
import uuid

import pytest
from django.db import connection

from evaluation import services
from evaluation.models import EvaluationRequest, EvaluationResponse

from .helpers import add_participants, evaluation_answers

N = 60
THRESHOLD = 0.7

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (DATABASE_URL=postgres://…): reads ctid and xmin",
    ),
]


def ranks(values: list) -> list[float]:
    """Average ranks (ties share the mean of their positions)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2
        i = j + 1
    return result


def spearman(x: list, y: list) -> float:
    """Spearman's rho; 0 when either side is constant (it then orders nothing)."""
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return 0.0
    return sxy / math.sqrt(sxx * syy)


def ctid(text: str) -> tuple[int, int]:
    block, offset = text.strip("()").split(",")
    return int(block), int(offset)


def read(table: str, join: str, program_id: int) -> list[dict]:
    """Every row of the program with its system columns, by a plain SELECT."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.ctid::text, r.xmin::text, r.cmin::text, r.* FROM {table} r {join} "
            "WHERE program_id = %s",
            [program_id],
        )
        names = [d.name for d in cursor.description]
        names[:3] = ["ctid", "xmin", "cmin"]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["ctid"] = ctid(row["ctid"])
        row["xmin"] = int(row["xmin"])
        row["cmin"] = int(row["cmin"])
    return rows


def sortable(value):
    return str(value) if isinstance(value, uuid.UUID | list | dict) else value


def correlations(rows: list[dict], rank_of) -> dict[str, float]:
    """For each column (system ones included), how well its order follows the answers'."""
    answered = [rank_of(row) for row in rows]
    return {
        column: spearman([sortable(row[column]) for row in rows], answered) for column in rows[0]
    }


def responses(program_id: int) -> list[dict]:
    return read(EvaluationResponse._meta.db_table, "", program_id)


def requests(program_id: int) -> list[dict]:
    join = (
        "JOIN (SELECT id AS pid, program_id FROM programs_participant) p "
        "ON p.pid = r.participant_id"
    )
    return [
        {k: v for k, v in row.items() if k not in ("pid", "program_id")}
        for row in read(EvaluationRequest._meta.db_table, join, program_id)
    ]


def test_after_close_no_column_orders_the_answers_or_pairs_them_with_requests(cast):
    program = cast.program
    people = add_participants(program, "mentee", 40) + add_participants(program, "mentor", 20)
    services.evaluation_window_open(program=program, by=cast.coordinator)
    # A known answer order unlike the joining order: every 7th person, wrapping round.
    order = [people[(7 * k) % N] for k in range(N)]
    answer_rank = {}  # token -> position in the answer order
    participant_rank = {}  # participant id -> position in the answer order
    for position, participant in enumerate(order):
        token = f"token-{uuid.uuid4().hex}"
        answer_rank[token] = position
        participant_rank[participant.pk] = position
        # Each in its own committed transaction, as members answering days apart.
        services.evaluation_submit(
            participant=participant,
            answers=evaluation_answers(participant.role, suggestions=token),
        )

    def response_rank(row):
        return answer_rank[row["suggestions"]]

    def request_rank(row):
        return participant_rank[row["participant_id"]]

    def answered(rows):
        return [row for row in rows if row.get("responded", True)]

    # While open, the attack works: the instrument can see a leak.
    before = correlations(responses(program.pk), response_rank)
    assert before["ctid"] == pytest.approx(1.0)
    assert before["xmin"] == pytest.approx(1.0)

    services.evaluation_window_close(program=program, by=cast.coordinator)

    after_responses = responses(program.pk)
    after_requests = answered(requests(program.pk))
    assert len(after_responses) == len(after_requests) == N
    found = {
        **{f"response.{c}": r for c, r in correlations(after_responses, response_rank).items()},
        **{f"request.{c}": r for c, r in correlations(after_requests, request_rank).items()},
    }
    leaks = {column: round(rho, 3) for column, rho in found.items() if abs(rho) >= THRESHOLD}
    # The tokens themselves are the test's own random labels, not something stored in order.
    assert leaks == {}, f"columns whose order follows the answers: {leaks}"

    # Every row of a table was written by the same transaction, the close.
    assert len({row["xmin"] for row in after_responses}) == 1
    assert len({row["xmin"] for row in after_requests}) == 1
    # Neither table's storage order is the answer order or its reverse.
    for rows, rank_of in ((after_responses, response_rank), (after_requests, request_rank)):
        stored = [rank_of(row) for row in sorted(rows, key=lambda row: row["ctid"])]
        assert stored not in (list(range(N)), list(range(N))[::-1])

    # Pairing the k-th request with the k-th response (both by storage place, or both by
    # key) names the right author no more often than chance: about once; 10 or more right
    # has a chance of about 1e-7 for a random pairing.
    author_at = {participant_rank[p.pk]: p.pk for p in order}
    for key in ("ctid", "id"):
        paired = zip(
            sorted(after_requests, key=lambda row: sortable(row[key])),
            sorted(after_responses, key=lambda row: sortable(row[key])),
            strict=True,
        )
        right = sum(
            author_at[response_rank(response)] == request["participant_id"]
            for request, response in paired
        )
        assert right < 10, f"pairing by {key} names {right} authors"


def test_after_close_the_old_row_versions_are_gone(cast):
    """VACUUM FULL after commit: both tables rewritten into new files, the old ones gone."""
    people = add_participants(cast.program, "mentee", 5)
    services.evaluation_window_open(program=cast.program, by=cast.coordinator)
    for participant in people:
        services.evaluation_submit(
            participant=participant, answers=evaluation_answers(participant.role)
        )
    with connection.cursor() as cursor:
        tables = [EvaluationResponse._meta.db_table, EvaluationRequest._meta.db_table]
        cursor.execute(
            "SELECT relname, pg_relation_filenode(relname::regclass) FROM pg_class "
            "WHERE relname = ANY(%s)",
            [tables],
        )
        files_before = dict(cursor.fetchall())
        services.evaluation_window_close(program=cast.program, by=cast.coordinator)
        cursor.execute(
            "SELECT relname, pg_relation_filenode(relname::regclass) FROM pg_class "
            "WHERE relname = ANY(%s)",
            [tables],
        )
        files_after = dict(cursor.fetchall())
        # Rewritten into new files: the old ones, with the answer-order versions, are gone.
        assert set(files_before) == set(tables)
        assert all(files_after[t] != files_before[t] for t in tables)


def test_a_reader_holding_the_tables_delays_the_close_by_the_lock_timeout_only(
    cast, monkeypatch, caplog
):
    """A long transaction reading the responses must not queue every reader behind the
    rewrite: it gives up after the lock timeout, and the close (with its shuffle) stands."""
    monkeypatch.setattr(services, "VACUUM_LOCK_TIMEOUT", "200ms")
    people = add_participants(cast.program, "mentee", 3)
    services.evaluation_window_open(program=cast.program, by=cast.coordinator)
    for participant in people:
        services.evaluation_submit(
            participant=participant, answers=evaluation_answers(participant.role)
        )
    keys_before = set(EvaluationResponse.objects.values_list("id", flat=True))
    reader = connection.get_new_connection(connection.get_connection_params())
    try:
        with reader.cursor() as cursor:
            # Without the lock timeout the close would wait for the server to end this
            # reader (after 3 s) and then vacuum: the test fails instead of hanging.
            cursor.execute("SET idle_in_transaction_session_timeout = '3s'")
            cursor.execute(f"SELECT count(*) FROM {EvaluationResponse._meta.db_table}")
        # The reader's transaction stays open, holding its lock, while the close runs.
        with caplog.at_level("ERROR"):
            window = services.evaluation_window_close(program=cast.program, by=cast.coordinator)
    finally:
        reader.close()  # rolls back, if the server has not ended it already
    assert not window.is_open
    assert not set(EvaluationResponse.objects.values_list("id", flat=True)) & keys_before
    assert "lock timeout" in caplog.text
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "0"  # the connection is left as it was
