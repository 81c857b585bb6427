"""Nothing ties a program evaluation to the member who sent it.

Not a page, not the export, not the admin, not a database row or the rows' order. Each
respondent writes a secret token as their answer; the test knows whose token is whose,
and checks that nothing the application stores or shows could tell it the same.
"""

import random
import secrets
import uuid

import pytest
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import with_totp
from evaluation import services
from evaluation.admin import EvaluationRequestAdmin, EvaluationResponseAdmin
from evaluation.models import EvaluationRequest, EvaluationResponse

from .helpers import add_participants, evaluation_answers, respond

pytestmark = pytest.mark.django_db

RESPONSE_COLUMNS = {
    "id",
    "program_id",
    "role",
    "round",
    "helpfulness",
    "useful_aspects",
    "recommend",
    "effects",
    "mentor_again",
    "suggestions",
}
REQUEST_COLUMNS = {"id", "participant_id", "responded"}


@pytest.fixture
def submitted(cast):
    """Seven mentees and three mentors answer, in an order unlike the order they joined."""
    mentees = add_participants(cast.program, "mentee", 7)
    mentors = add_participants(cast.program, "mentor", 3)
    services.evaluation_window_open(program=cast.program, by=cast.coordinator)
    # Joined 0..9; answer 3..9 then 0..2: nobody answers in their joining position.
    people = mentees + mentors
    order = people[3:] + people[:3]
    tokens = {}
    for participant in order:
        token = f"token-{uuid.uuid4().hex[:12]}"
        tokens[participant.pk] = token
        services.evaluation_submit(
            participant=participant,
            answers=evaluation_answers(participant.role, suggestions=token, useful_aspects=token),
        )
    services.evaluation_window_close(program=cast.program, by=cast.coordinator)
    return {"people": people, "order": order, "tokens": tokens}


def identities(people) -> list[str]:
    return [value for p in people for value in (p.user.name, p.user.email)]


# --- The schema ---------------------------------------------------------------------------------


def test_the_response_table_has_no_key_to_a_person_and_no_time():
    fields = EvaluationResponse._meta.get_fields()
    relations = {f.name: f.related_model for f in fields if f.is_relation}
    assert relations == {"program": EvaluationResponse._meta.get_field("program").related_model}
    assert not [f for f in fields if isinstance(f, models.DateField | models.TimeField)]
    assert isinstance(EvaluationResponse._meta.pk, models.UUIDField)
    assert EvaluationResponse._meta.pk.default is uuid.uuid4
    with connection.cursor() as cursor:
        table = EvaluationResponse._meta.db_table
        columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
        references = connection.introspection.get_relations(cursor, table)
    assert columns == RESPONSE_COLUMNS
    assert {column: relation[1] for column, relation in references.items()} == {
        "program_id": "programs_program"
    }


def test_the_request_table_holds_no_time_no_round_and_no_answer():
    fields = EvaluationRequest._meta.get_fields()
    assert not [f for f in fields if isinstance(f, models.DateField | models.TimeField)]
    assert isinstance(EvaluationRequest._meta.pk, models.UUIDField)
    with connection.cursor() as cursor:
        table = EvaluationRequest._meta.db_table
        columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
    assert columns == REQUEST_COLUMNS


def test_responses_are_listed_by_their_random_key():
    assert EvaluationResponse._meta.ordering == ["id"]


# --- The rows -------------------------------------------------------------------------------------


def test_keys_are_random_and_shared_by_nothing(submitted):
    response_ids = set(EvaluationResponse.objects.values_list("id", flat=True))
    request_ids = set(EvaluationRequest.objects.values_list("id", flat=True))
    assert all(key.version == 4 for key in response_ids | request_ids)
    assert not response_ids & request_ids


@pytest.fixture
def recorded_shuffles(monkeypatch):
    """The shuffles done at close, from a seeded source, each result kept for the test."""
    results = []
    source = random.Random(2009)

    def shuffle(rows):
        source.shuffle(rows)
        results.append([dict(row) for row in rows])

    monkeypatch.setattr(services, "_shuffle", shuffle)
    return results


def test_the_shuffle_at_close_is_cryptographic():
    assert isinstance(services._shuffle.__self__, secrets.SystemRandom)


def storage_order(table: str, column: str, where: str = "") -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} {where} ORDER BY rowid")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="rowid is SQLite's storage order")
def test_closing_stores_both_tables_in_the_shuffled_order(recorded_shuffles, submitted):
    """Storage order is the shuffle's, for answers and requests, not the answers' order.

    (PostgreSQL: test_unlinkability_postgres.py reads ctid, xmin and the rest.)
    """
    responses_shuffled, requests_shuffled = recorded_shuffles
    responses_in_order = storage_order(EvaluationResponse._meta.db_table, "suggestions")
    requests_in_order = storage_order(EvaluationRequest._meta.db_table, "participant_id")
    assert responses_in_order == [row["suggestions"] for row in responses_shuffled]
    assert requests_in_order == [row["participant_id"] for row in requests_shuffled]
    tokens = submitted["tokens"]
    answered = [tokens[p.pk] for p in submitted["order"]]
    assert sorted(responses_in_order) == sorted(answered)
    assert responses_in_order not in (answered, answered[::-1])
    responders = [pk for pk in requests_in_order if pk in tokens]
    assert responders not in (
        [p.pk for p in submitted["order"]],
        [p.pk for p in submitted["order"]][::-1],
    )


def test_closing_rewrites_every_row_with_a_new_key_and_the_same_content(cast):
    """Same answers, same responded flags; every key new; other programs left alone."""
    people = add_participants(cast.program, "mentee", 4) + add_participants(
        cast.program, "mentor", 2
    )
    others = add_participants(cast.other_program, "mentee", 3)
    for program in (cast.program, cast.other_program):
        services.evaluation_window_open(program=program, by=program.coordinators.first())
    respond(people[:5])
    respond(others[:1])

    def rows(model, program, *fields):
        lookup = "program" if model is EvaluationResponse else "participant__program"
        return list(model.objects.filter(**{lookup: program}).values_list("id", *fields))

    answer_fields = [
        f.attname for f in EvaluationResponse._meta.concrete_fields if not f.primary_key
    ]
    before = {
        program: (
            rows(EvaluationResponse, program, *answer_fields),
            rows(EvaluationRequest, program, "participant_id", "responded"),
        )
        for program in (cast.program, cast.other_program)
    }
    services.evaluation_window_close(program=cast.program, by=cast.coordinator)

    responses_before, requests_before = before[cast.program]
    responses_after = rows(EvaluationResponse, cast.program, *answer_fields)
    requests_after = rows(EvaluationRequest, cast.program, "participant_id", "responded")
    assert len(responses_after) == 5
    assert sorted(r[1:] for r in responses_after) == sorted(r[1:] for r in responses_before)
    assert sorted(r[1:] for r in requests_after) == sorted(r[1:] for r in requests_before)
    keys_before = {r[0] for r in responses_before + requests_before}
    keys_after = {r[0] for r in responses_after + requests_after}
    assert not keys_before & keys_after
    assert all(key.version == 4 for key in keys_after)
    # The other program's round is still open: its rows are as they were.
    assert before[cast.other_program] == (
        rows(EvaluationResponse, cast.other_program, *answer_fields),
        rows(EvaluationRequest, cast.other_program, "participant_id", "responded"),
    )


def test_the_admin_shows_no_answer_of_a_round_still_open(cast):
    """A superuser watching the list while members answer could tie each answer to whoever
    has just turned up as responded; the admin lists closed rounds only."""
    people = add_participants(cast.program, "mentee", 3)
    services.evaluation_window_open(program=cast.program, by=cast.coordinator)
    respond(people[:1], suggestions="first-round-answer")
    services.evaluation_window_close(program=cast.program, by=cast.coordinator)
    services.evaluation_window_open(program=cast.program, by=cast.coordinator)
    respond(people[1:2], suggestions="second-round-answer")
    admin = Client()
    admin.force_login(with_totp(User.objects.create_superuser(email="r@example.org", name="R")))
    changelist = reverse("admin:evaluation_evaluationresponse_changelist")
    body = admin.get(changelist).content.decode()
    assert body.count("/change/") == 1  # the first round's one response, linked once
    still_open = EvaluationResponse.objects.get(round=2)
    change = reverse("admin:evaluation_evaluationresponse_change", args=[still_open.pk])
    assert "second-round-answer" not in admin.get(change, follow=True).content.decode()
    closed = EvaluationResponse.objects.get(round=1)
    change = reverse("admin:evaluation_evaluationresponse_change", args=[closed.pk])
    assert "first-round-answer" in admin.get(change).content.decode()


def test_no_other_table_holds_an_answer(submitted):
    tokens = set(submitted["tokens"].values())
    holders = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row)
                if any(token in text for token in tokens):
                    holders.add(table)
    assert holders == {EvaluationResponse._meta.db_table}


# --- Pages, export and admin ----------------------------------------------------------------------


def pages(cast, submitted) -> dict[str, Client]:
    slug = cast.program.slug
    coordinator = Client()
    coordinator.force_login(cast.coordinator)
    urls = {
        reverse("evaluation:report", args=[slug]): coordinator,
        reverse("evaluation:report_csv", args=[slug]): coordinator,
        reverse("evaluation:overview", args=[slug]): coordinator,
        reverse("evaluation:outcomes", args=[slug]): coordinator,
        reverse("programs:detail", args=[slug]): coordinator,
        reverse("programs:participants", args=[slug]): coordinator,
    }
    for participant in submitted["people"]:
        urls[reverse("evaluation:participant_outcomes", args=[slug, participant.pk])] = coordinator
    admin = Client()
    root = with_totp(User.objects.create_superuser(email="root@example.org", name="Root"))
    admin.force_login(root)
    urls[reverse("admin:evaluation_evaluationresponse_changelist")] = admin
    urls[reverse("admin:evaluation_evaluationrequest_changelist")] = admin
    urls[reverse("admin:evaluation_evaluationresponse_changelist") + "?o=1"] = admin
    for response in EvaluationResponse.objects.all():
        urls[reverse("admin:evaluation_evaluationresponse_change", args=[response.pk])] = admin
    for request in EvaluationRequest.objects.all():
        urls[reverse("admin:evaluation_evaluationrequest_change", args=[request.pk])] = admin
    member = Client()
    member.force_login(submitted["order"][0].user)
    urls[reverse("evaluation:evaluate", args=[slug])] = member
    urls[reverse("accounts:forms")] = member
    return urls


def test_no_page_shows_an_answer_next_to_a_person(cast, submitted):
    tokens = set(submitted["tokens"].values())
    people = identities(submitted["people"])
    answers_seen = 0
    for url, client in pages(cast, submitted).items():
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        shows_answers = any(token in body for token in tokens)
        answers_seen += shows_answers
        if shows_answers:
            named = [who for who in people if who in body]
            assert named == [], f"{url} shows answers and {named}"
    # The report (seven mentees: above the threshold) and the admin do show answers.
    assert answers_seen >= 2


def test_the_member_never_sees_their_answers_again(cast, submitted):
    member = submitted["order"][0]
    client = Client()
    client.force_login(member.user)
    body = client.get(reverse("evaluation:evaluate", args=[cast.program.slug])).content.decode()
    assert submitted["tokens"][member.pk] not in body
    assert "You have sent your evaluation." in body


def test_the_admin_names_nobody_next_to_answers():
    names = {*EvaluationResponseAdmin.list_display, *EvaluationResponseAdmin.list_filter}
    assert not names & {"participant", "user", "author", "request"}
    assert not set(EvaluationRequestAdmin.list_display) & {"helpfulness", "suggestions", "round"}
