"""Every coordinator's and superuser's write is on record, with names of fields only.

The recording is in programs/activity.py; the Activity page in test_activity_page.py.
"""

import datetime
import json

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from accounts.tests.factories import UserFactory
from core.testing import post_loaded
from intake.tests.factories import ApplicationFactory
from matching.models import Exclusion, Match
from matching.tests.factories import MatchFactory
from programs.activity import Recorder, parse_write
from programs.models import ActivityEntry, Participant, Phase, Program
from programs.tests.activity_urls import MARKER
from programs.tests.factories import ParticipantFactory
from surveys.questions import MENTEE_QUESTIONS

pytestmark = pytest.mark.django_db


def only_entry() -> ActivityEntry:
    entries = list(ActivityEntry.objects.all())
    assert len(entries) == 1, [(e.action, e.changes) for e in entries]
    return entries[0]


def changed(entry: ActivityEntry) -> dict[tuple[str, str], list[str]]:
    return {(c["model"], c["operation"]): c["fields"] for c in entry.changes}


def stored(entry: ActivityEntry) -> str:
    """Everything the row keeps, as text: no typed value may appear in it."""
    return json.dumps([entry.action, entry.target, entry.changes])


def with_status(program: Program, status: str) -> Program:
    program.status = status
    program.save(update_fields=["status"])
    return program


def participant(cast, role) -> Participant:
    return cast.program.participants.get(user=getattr(cast, role))


# --- coordinators' actions across the apps ------------------------------------------------


def test_accepting_an_application_is_on_record_without_the_note(cast, client_as):
    program = with_status(cast.program, Program.Status.OPEN)
    application = ApplicationFactory(program=program, applicant=cast.member, status="submitted")
    url = reverse("intake:decide", args=[program.slug, application.pk])
    response = client_as("coordinator").post(url, {"decision": "accept", "note": MARKER})
    assert response.status_code == 302
    entry = only_entry()
    assert (entry.actor, entry.program, entry.action) == (
        cast.coordinator,
        program,
        "intake:decide",
    )
    assert entry.target == {"slug": program.slug, "pk": application.pk}
    changes = changed(entry)
    assert "status" in changes[("intake.application", "changed")]
    assert "role" in changes[("programs.participant", "created")]
    assert MARKER not in stored(entry)
    assert entry.at <= timezone.now()


def test_lock_exclude_publish_and_end_a_match_are_each_on_record(cast, client_as):
    program = with_status(cast.program, Program.Status.MATCHING)
    coordinator = client_as("coordinator")
    mentee, mentor = participant(cast, "mentee"), participant(cast, "mentor")
    match = MatchFactory(program=program, mentee=mentee, mentor=mentor)

    coordinator.post(reverse("matching:lock", args=[program.slug, match.pk]))
    entry = ActivityEntry.objects.get(action="matching:lock")
    assert changed(entry) == {("matching.match", "changed"): ["locked"]}
    assert entry.target == {"slug": program.slug, "pk": match.pk}

    other = ParticipantFactory(program=program, role="mentor")
    coordinator.post(
        reverse("matching:exclude", args=[program.slug]), {"mentee": mentee.pk, "mentor": other.pk}
    )
    assert Exclusion.objects.filter(mentee=mentee, mentor=other).exists()
    entry = ActivityEntry.objects.get(action="matching:exclude")
    assert ("matching.exclusion", "created") in changed(entry)

    coordinator.post(reverse("matching:publish", args=[program.slug]), {"matches": [match.pk]})
    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE
    entry = ActivityEntry.objects.get(action="matching:publish")
    # Published with bulk_update (a CASE per column), which model signals never see.
    assert changed(entry)[("matching.match", "changed")] == ["status", "started_at"]

    end = reverse("matching:end", args=[program.slug, match.pk])
    coordinator.post(end, {"reason": "other", "note": MARKER})
    entry = ActivityEntry.objects.get(action="matching:end")
    assert {"status", "end_reason"} <= set(changed(entry)[("matching.match", "changed")])
    assert MARKER not in stored(entry)
    assert set(ActivityEntry.objects.values_list("actor", flat=True)) == {cast.coordinator.pk}
    assert set(ActivityEntry.objects.values_list("program", flat=True)) == {program.pk}


def edit_post(client: Client, program: Program, **changes) -> dict:
    """What the browser sends from the edit page as it stands, with `changes` typed in."""
    page = client.get(reverse("programs:edit", args=[program.slug]))
    form, formset = page.context["form"], page.context["phase_formset"]
    data = {}
    fields = [*form, *formset.management_form, *(f for row in formset.forms for f in row)]
    for bound in fields:
        value = bound.value()
        if value is None or value is False or value == "":
            continue
        data[bound.html_name] = "on" if value is True else value
    return data | changes


def test_a_set_up_change_names_only_the_fields_changed(cast, client_as):
    client = client_as("coordinator")
    data = edit_post(client, cast.program, time_commitment=MARKER)
    response = client.post(reverse("programs:edit", args=[cast.program.slug]), data)
    assert response.status_code == 302
    entry = only_entry()
    assert entry.action == "programs:edit"
    # The service saves every column; the form says which one the coordinator changed.
    assert changed(entry)[("programs.program", "changed")] == ["time_commitment"]
    assert MARKER not in stored(entry)


def test_an_invalid_post_leaves_no_entry(cast, client_as):
    client = client_as("coordinator")
    data = edit_post(client, cast.program, name="")
    response = client.post(reverse("programs:edit", args=[cast.program.slug]), data)
    assert response.status_code == 200
    program = with_status(cast.program, Program.Status.OPEN)
    application = ApplicationFactory(program=program, applicant=cast.member, status="submitted")
    url = reverse("intake:decide", args=[program.slug, application.pk])
    assert client.post(url, {"decision": "", "note": MARKER}).status_code == 400
    # A paper survey typed in with a mistake: the page shows the member's data again.
    key_in = reverse("surveys:key_in", args=[program.slug, participant(cast, "mentee").pk])
    response = client.post(key_in, {"date_of_birth": "not a date", "submit": "1"})
    assert (
        response.status_code == 200 and "date_of_birth" in response.context["profile_form"].errors
    )
    assert not ActivityEntry.objects.exists()


def test_creating_a_program_is_on_the_new_programs_record(cast, client_as):
    from programs.tests.test_setup import form_post

    response = client_as("other_coordinator").post(reverse("programs:create"), form_post())
    assert response.status_code == 302
    entry = only_entry()
    created = Program.objects.get(slug="2027-mentorship")
    assert (entry.actor, entry.program, entry.action) == (
        cast.other_coordinator,
        created,
        "programs:create",
    )
    assert entry.target == {}
    assert ("programs.program", "created") in changed(entry)
    assert ("programs.phase", "created") in changed(entry)


def test_a_reminder_by_hand_is_on_record(cast, client_as, mailoutbox):
    url = reverse("reminders:send_survey", args=[cast.program.slug, participant(cast, "mentee").pk])
    assert client_as("coordinator").post(url).status_code == 302
    entry = only_entry()
    assert entry.action == "reminders:send_survey"
    assert ("reminders.reminder", "created") in changed(entry)
    assert changed(entry)[("reminders.reminder", "changed")] == ["sent_at", "skipped", "message"]
    assert ("core.outboxmessage", "created") in changed(entry)


def test_opening_the_evaluation_window_is_on_record(cast, client_as):
    url = reverse("evaluation:window", args=[cast.program.slug])
    assert client_as("coordinator").post(url, {"action": "open"}).status_code == 302
    entry = only_entry()
    assert entry.action == "evaluation:window"
    assert any(model == "evaluation.evaluationwindow" for model, _op in changed(entry))


def test_keying_in_a_paper_survey_names_fields_never_the_answers(cast, client_as):
    mentee = participant(cast, "mentee")
    url = reverse("surveys:key_in", args=[cast.program.slug, mentee.pk])
    answers = {q.key: f"{MARKER} {q.key}" for q in MENTEE_QUESTIONS}
    race = Profile._meta.get_field("race_ethnicity")
    data = {
        **answers,
        "local_union": "Local 9",
        "union_role": "Member",
        "phone": "613-555-0199",
        "gender": "woman",
        race.name: ["indigenous"],
        "submit": "1",
    }
    response = post_loaded(client_as("coordinator"), url, data)
    assert response.status_code == 302
    entry = only_entry()
    assert entry.action == "surveys:key_in"
    text = stored(entry)
    assert ("surveys.survey", "created") in changed(entry)
    profile_fields = [
        f for (model, _op), f in changed(entry).items() if model == "accounts.profile"
    ]
    assert profile_fields and "gender" in profile_fields[0]
    for typed in (MARKER, "613-555-0199", "Local 9", "indigenous", '"woman"'):
        assert typed not in text


def test_the_packet_with_its_task_run_eagerly_is_one_entry(
    cast, client_as, django_capture_on_commit_callbacks
):
    from printing.models import Packet

    url = reverse("printing:packet", args=[cast.program.slug])
    with django_capture_on_commit_callbacks(execute=True):
        assert client_as("coordinator").post(url).status_code == 302
    assert Packet.objects.get().status == Packet.Status.DONE  # built by the eager task
    entry = only_entry()
    assert entry.action == "printing:packet"
    assert ("printing.packet", "created") in changed(entry)


@pytest.mark.urls("programs.tests.activity_urls")
def test_an_eager_task_run_inside_the_request_is_part_of_its_entry(
    cast, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("coordinator").post(f"/planted/{cast.program.slug}/remind/")
    assert response.status_code == 302
    entry = only_entry()
    assert changed(entry)[("reminders.reminder", "changed")] == ["sent_at", "skipped", "message"]
    assert ("core.outboxmessage", "created") in changed(entry)
    assert len(mailoutbox) == 1


# --- by construction: a page nobody wrote logging code for ------------------------------


@pytest.mark.urls("programs.tests.activity_urls")
def test_a_brand_new_coordinator_page_is_on_record_without_any_code(cast, client_as):
    response = client_as("coordinator").post(f"/planted/{cast.program.slug}/phase/")
    assert response.status_code == 302
    entry = only_entry()
    assert (entry.actor, entry.program, entry.action) == (
        cast.coordinator,
        cast.program,
        "planted_phase",
    )
    assert entry.target == {"slug": cast.program.slug}
    fields = changed(entry)[("programs.phase", "created")]
    assert {"program", "name", "description"} <= set(fields)
    assert MARKER not in stored(entry)


@pytest.mark.urls("programs.tests.activity_urls")
def test_secrets_in_the_address_are_not_kept(cast, client_as):
    client_as("coordinator").post(f"/planted/{cast.program.slug}/secret/s3cr3t-token/")
    entry = only_entry()
    assert entry.target == {"slug": cast.program.slug}
    assert "s3cr3t" not in stored(entry)


@pytest.mark.urls("programs.tests.activity_urls")
def test_a_view_that_fails_after_writing_leaves_neither_change_nor_entry(cast):
    client = Client(raise_request_exception=False)
    client.force_login(cast.coordinator)
    response = client.post(f"/planted/{cast.program.slug}/fail/")
    assert response.status_code == 500
    assert not Phase.objects.filter(name=MARKER).exists()
    assert not ActivityEntry.objects.exists()


@pytest.mark.urls("programs.tests.activity_urls")
def test_writes_rolled_back_in_a_savepoint_are_not_on_record(cast, client_as):
    assert client_as("coordinator").post(f"/planted/{cast.program.slug}/undo/").status_code == 302
    assert not Phase.objects.filter(name=MARKER).exists()
    assert not ActivityEntry.objects.exists()


@pytest.mark.urls("programs.tests.activity_urls")
@pytest.mark.parametrize("role", ["mentee", "mentor", "member", "other_coordinator"])
def test_nobody_else_reaches_the_planted_page_or_the_record(cast, client_as, role):
    response = client_as(role).post(f"/planted/{cast.program.slug}/phase/")
    assert response.status_code in (403, 404)
    assert not ActivityEntry.objects.exists()


# --- what is not on record ---------------------------------------------------------------


def test_members_writes_are_not_on_record(cast, client_as):
    program = with_status(cast.program, Program.Status.OPEN)
    program.applications_close_on = timezone.localdate() + datetime.timedelta(days=5)
    program.save(update_fields=["applications_close_on"])
    answers = {q.key: "Mine" for q in MENTEE_QUESTIONS}
    response = post_loaded(
        client_as("mentee"), reverse("surveys:mine", args=[program.slug]), answers
    )
    assert response.status_code in (200, 302)
    client_as("member").post(
        reverse("intake:nominate", args=[program.slug]),
        {
            "nominee_name": "Nadia",
            "nominee_email": "n@example.org",
            "role": "mentee",
            "reason": "x",
        },
    )
    # A coordinator of another program acts here as a member: not a coordinator's write.
    client_as("other_coordinator").post(
        reverse("intake:nominate", args=[program.slug]),
        {"nominee_name": "Nora", "nominee_email": "o@example.org", "role": "mentee", "reason": "y"},
    )
    assert program.nominations.count() == 2
    assert not ActivityEntry.objects.exists()


def test_a_coordinators_own_account_is_not_on_record(cast, client_as):
    client = client_as("coordinator")
    client.post(reverse("accounts:set_language"), {"language": "fr"})
    client.post(reverse("sessions:calendar_regenerate"))
    cast.coordinator.refresh_from_db()
    assert cast.coordinator.language == "fr"
    assert not ActivityEntry.objects.exists()


def test_a_superuser_taking_part_as_a_mentee_acts_as_a_member(cast):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    ParticipantFactory(program=cast.program, user=superuser, role="mentee")
    client = Client()
    client.force_login(superuser)
    answers = {q.key: "Mine" for q in MENTEE_QUESTIONS}
    client.post(reverse("surveys:mine", args=[cast.program.slug]), answers)
    assert not ActivityEntry.objects.exists()


# --- superusers and the admin ---------------------------------------------------------------


@pytest.fixture
def superuser_client(db):
    superuser = UserFactory(is_superuser=True, is_staff=True, name="Sue Admin")
    client = Client()
    client.force_login(superuser)
    client.superuser = superuser
    return client


def test_a_superusers_change_in_the_admin_is_on_record(cast, superuser_client):
    program = cast.other_program
    url = reverse("admin:programs_program_change", args=[program.pk])
    page = superuser_client.get(url)
    form = page.context["adminform"].form
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        data[bound.html_name] = "on" if value is True else value
    data |= {
        "goals": MARKER,
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = only_entry()
    assert (entry.actor, entry.action) == (
        superuser_client.superuser,
        "admin:programs_program_change",
    )
    assert entry.target == {"object_id": str(program.pk)}
    assert "goals" in changed(entry)[("programs.program", "changed")]
    assert MARKER not in stored(entry)


def test_the_admin_shows_entries_but_cannot_add_change_or_delete_them(cast, superuser_client):
    entry = ActivityEntry.objects.create(program=cast.program, action="intake:decide")
    model_admin = admin.site._registry[ActivityEntry]
    request = superuser_client.get("/").wsgi_request
    request.user = superuser_client.superuser
    assert model_admin.has_view_permission(request, entry)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert (
        superuser_client.get(reverse("admin:programs_activityentry_changelist")).status_code == 200
    )
    change = reverse("admin:programs_activityentry_change", args=[entry.pk])
    assert superuser_client.get(change).status_code == 200  # read-only view
    assert superuser_client.post(change, {"action": "x"}).status_code == 403
    delete = reverse("admin:programs_activityentry_delete", args=[entry.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    assert superuser_client.get(reverse("admin:programs_activityentry_add")).status_code == 403
    entry.refresh_from_db()
    assert entry.action == "intake:decide"
    assert not ActivityEntry.objects.exclude(pk=entry.pk).exists()  # the refusals wrote nothing


# --- append-only ----------------------------------------------------------------------------


@pytest.fixture
def entry(cast) -> ActivityEntry:
    return ActivityEntry.objects.create(
        actor=cast.coordinator,
        program=cast.program,
        action="intake:decide",
        target={"slug": cast.program.slug, "pk": 1},
        changes=[{"model": "intake.application", "operation": "changed", "fields": ["status"]}],
    )


def test_the_application_has_no_way_to_change_or_delete_an_entry(entry):
    with pytest.raises(TypeError):
        ActivityEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(TypeError):
        ActivityEntry.objects.filter(pk=entry.pk).delete()
    entry.action = "x"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()


TABLE = ActivityEntry._meta.db_table


@pytest.mark.parametrize(
    "assignment",
    [
        "action = 'matching:run'",
        "changes = '[]'",
        "at = '2020-01-01 00:00:00'",
        "actor_id = NULL, action = 'x'",
    ],
)
def test_the_database_refuses_to_update_an_entry(entry, assignment):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET {assignment} WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.action == "intake:decide" and entry.actor_id is not None


def test_the_database_refuses_to_give_an_entry_another_actor(entry, cast):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET actor_id = %s WHERE id = %s", [cast.member.pk, entry.pk]
        )


def test_the_database_refuses_to_delete_an_entry(entry):
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite has no DELETE trigger: Django's test runner empties tables with DELETE "
            "there (see migration programs/0004). PostgreSQL refuses; the application "
            "never deletes (test_the_application_has_no_way_to_change_or_delete_an_entry)."
        )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])
    assert ActivityEntry.objects.filter(pk=entry.pk).exists()


def test_a_deleted_member_becomes_a_former_member_and_the_entry_stays(entry, cast):
    cast.coordinator.delete()
    entry.refresh_from_db()
    assert entry.actor is None and entry.action == "intake:decide"


def test_a_deleted_program_leaves_its_entries_with_its_address(entry, cast):
    slug = cast.program.slug
    cast.program.delete()
    entry.refresh_from_db()
    assert entry.program is None and entry.target["slug"] == slug


# --- reading Django's SQL -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ('INSERT INTO "t" ("a", "b") VALUES (%s, %s)', ("t", "created", ("a", "b"))),
        ('INSERT OR IGNORE INTO "t" ("a") VALUES (%s)', ("t", "created", ("a",))),
        ('INSERT INTO "t" DEFAULT VALUES', ("t", "created", ())),
        (
            'UPDATE "t" SET "a" = %s, "b" = ("t"."b" + %s) WHERE "t"."id" = %s',
            ("t", "changed", ("a", "b")),
        ),
        (
            'UPDATE "t" SET "a" = CASE WHEN ("t"."id" = %s) THEN %s ELSE NULL END, '
            '"b" = CASE WHEN ("t"."id" = %s) THEN %s ELSE NULL END WHERE "t"."id" IN (%s)',
            ("t", "changed", ("a", "b")),
        ),
        ('DELETE FROM "t" WHERE "t"."id" IN (%s, %s)', ("t", "deleted", ())),
    ],
)
def test_writes_are_read_from_djangos_sql(sql, expected):
    write = parse_write(sql)
    assert (write.table, write.operation, write.columns) == expected


@pytest.mark.parametrize("sql", ['SELECT "a" FROM "t"', 'SAVEPOINT "s1"', "BEGIN"])
def test_reads_are_not_writes(sql):
    assert parse_write(sql) is None


def test_bookkeeping_tables_are_not_changes(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "c_t"}
    }
    recorder = Recorder(actor_id=1, program_id=None, action="x", target={})
    for table in (
        "django_session",
        "c_t",
        "programs_activityentry",
        "accounts_personaldataview",
        "django_admin_log",
    ):
        recorder.watch(lambda *args: None, f'UPDATE "{table}" SET "a" = %s', [], False, {})
    assert recorder.changes() == []
    recorder.watch(lambda *args: None, 'DELETE FROM "programs_phase"', [], False, {})
    assert recorder.changes() == [{"model": "programs.phase", "operation": "deleted", "fields": []}]


def test_savepoints_released_keep_their_writes_and_rolled_back_ones_lose_them():
    recorder = Recorder(actor_id=1, program_id=None, action="x", target={})

    def run(sql):
        recorder.watch(lambda *args: None, sql, [], False, {})

    run('SAVEPOINT "s1"')
    run('INSERT INTO "programs_phase" ("name") VALUES (%s)')
    run('SAVEPOINT "s2"')
    run('UPDATE "programs_program" SET "goals" = %s')
    run('ROLLBACK TO SAVEPOINT "s2"')
    run('RELEASE SAVEPOINT "s2"')
    run('RELEASE SAVEPOINT "s1"')
    run('SAVEPOINT "s3"')
    run('DELETE FROM "programs_successmeasure"')
    run('ROLLBACK TO SAVEPOINT "s3"')
    run('RELEASE SAVEPOINT "s3"')
    assert recorder.changes() == [
        {"model": "programs.phase", "operation": "created", "fields": ["name"]}
    ]
