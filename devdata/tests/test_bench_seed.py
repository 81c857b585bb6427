import datetime
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Profile, User
from dashboard.tests.helpers import drift
from devdata.bench import seed
from evaluation.models import (
    EvaluationRequest,
    EvaluationResponse,
    EvaluationWindow,
    Feedback,
)
from evaluation.selectors import evaluation_results
from intake.models import Application
from matching.models import Match, MatchingProfile, MentorProfile
from programs.models import Participant, Phase, Program
from sessions.models import (
    ActionItem,
    AgendaItem,
    GroupSession,
    Meeting,
    Orientation,
    SessionRecord,
    Worksheet,
)
from surveys.models import Survey

pytestmark = pytest.mark.django_db

SCALE = 0.01
DAY = datetime.timedelta(days=1)


@pytest.fixture
def bench():
    return seed.build(scale=SCALE)


def in_bench(model, path: str):
    return model.objects.filter(**{f"{path}slug__startswith": seed.SLUG_PREFIX})


def test_counts_are_exact_and_proportional(bench):
    assert bench["members"] == seed.bench_users().count() == 50
    assert bench["programs"] == seed.bench_programs().count() == 7
    assert bench["pairs"] == in_bench(Match, "program__").count() == 20
    assert bench["session_records"] == 500
    assert in_bench(SessionRecord, "meeting__match__program__").count() == 500
    assert bench["meetings"] == in_bench(Meeting, "match__program__").count()
    assert bench["participants"] == in_bench(Participant, "program__").count()
    assert bench["evaluation_responses"] == in_bench(EvaluationResponse, "program__").count()


def test_larger_scale_grows_linearly():
    counts = seed.build(scale=0.02)
    assert (counts["members"], counts["pairs"], counts["session_records"]) == (100, 40, 1000)


@pytest.mark.parametrize(
    ("scale", "programs"), [(1.0, 20), (2.0, 20), (0.25, 20), (0.1, 8), (0.01, 7)]
)
def test_programs_stay_twenty_unless_the_scale_is_small(scale, programs):
    assert seed.program_count(scale) == programs


def test_a_scale_too_small_is_refused():
    with pytest.raises(seed.BenchSeedError):
        seed.build(scale=0.001)


def test_every_program_status_and_the_bench_coordinator(bench):
    programs = seed.bench_programs()
    assert set(programs.values_list("status", flat=True)) == set(Program.Status.values) - {
        Program.Status.DRAFT
    }
    coordinator = User.objects.get(pk=bench["coordinator_pk"])
    assert coordinator.email == bench["coordinator_email"] == seed.COORDINATOR_EMAIL
    assert coordinator.coordinated_programs.count() == programs.count()
    assert not coordinator.has_usable_password()
    for program in programs:
        assert 2 <= program.coordinators.count() <= 3


def test_every_pipeline_stage_has_work(bench):
    now, today = timezone.now(), timezone.localdate()
    applications = in_bench(Application, "program__")
    assert set(applications.values_list("status", flat=True)) == set(Application.Status.values)

    participants = in_bench(Participant, "program__")
    surveys = in_bench(Survey, "participant__program__")
    assert {"draft", "submitted"} <= set(surveys.values_list("status", flat=True))
    assert participants.filter(survey__isnull=True).exists()

    matches = in_bench(Match, "program__")
    active = matches.filter(status=Match.Status.ACTIVE)
    assert active.count() >= matches.count() * 0.4  # 60 % at full scale
    assert matches.filter(end_reason=Match.EndReason.COMPLETED).exists()
    early = matches.filter(status=Match.Status.ENDED).exclude(end_reason="completed")
    rematched = Exists(active.filter(mentee=OuterRef("mentee")))
    assert early.filter(rematched).exists()
    assert early.exclude(rematched).exists()
    assert participants.filter(
        role="mentee", matches_as_mentee__isnull=True, program__status="running"
    ).exists()

    orientations = in_bench(Orientation, "program__")
    assert Orientation.attendees.through.objects.filter(orientation__in=orientations).exists()
    assert orientations.filter(starts_at__lt=now).exists()
    assert orientations.filter(starts_at__gt=now, starts_at__lte=now + 14 * DAY).exists()

    worksheets = in_bench(Worksheet, "match__program__")
    agreed = Q(mentee_agreed_at__isnull=False) & Q(mentor_agreed_at__isnull=False)
    one_side = Q(mentee_agreed_at__isnull=True) ^ Q(mentor_agreed_at__isnull=True)
    assert worksheets.filter(agreed).exists()
    assert worksheets.filter(one_side).exists()
    assert active.filter(worksheet__isnull=True).exists()
    assert worksheets.filter(match__status="active", midpoint_on__lt=today).exists()
    assert worksheets.filter(midpoint_on__gte=today, midpoint_on__lte=today + 14 * DAY).exists()

    meetings = in_bench(Meeting, "match__program__")
    scheduled = meetings.filter(status=Meeting.Status.SCHEDULED)
    assert scheduled.filter(starts_at__gt=now, starts_at__lte=now + 14 * DAY).exists()
    assert meetings.filter(status=Meeting.Status.CANCELLED).exists()
    assert scheduled.filter(starts_at__lt=now, record__isnull=True).exists()
    assert not meetings.filter(status=Meeting.Status.CANCELLED, record__isnull=False).exists()
    recent = scheduled.filter(starts_at__gte=now - 30 * DAY, starts_at__lt=now)
    assert active.exclude(Exists(recent.filter(match=OuterRef("pk")))).exists()

    records = in_bench(SessionRecord, "meeting__match__program__")
    months = records.annotate(month=TruncMonth("meeting__starts_at")).values("month")
    assert len(set(months.values_list("month", flat=True))) >= 10
    assert records.filter(meeting__starts_at__gte=now - 366 * DAY).count() == records.count()
    assert records.filter(lost_time_hours__isnull=False).exists()
    actions = in_bench(ActionItem, "match__program__")
    assert {"open", "done"} <= set(actions.values_list("status", flat=True))

    sessions = in_bench(GroupSession, "program__")
    assert sessions.filter(starts_at__gt=now, starts_at__lte=now + 14 * DAY).exists()
    assert GroupSession.attendees.through.objects.filter(groupsession__in=sessions).exists()

    windows = in_bench(EvaluationWindow, "program__")
    assert set(windows.values_list("is_open", flat=True)) == {True, False}
    requests = in_bench(EvaluationRequest, "participant__program__")
    assert set(requests.values_list("responded", flat=True)) == {True, False}
    feedback = in_bench(Feedback, "match__program__")
    assert feedback.filter(status=Feedback.Status.SUBMITTED).exists()


def test_lost_time_hours_only_in_a_lost_time_phase(bench):
    records = in_bench(SessionRecord, "meeting__match__program__").filter(
        lost_time_hours__isnull=False
    )
    for record in records.select_related("meeting__match__program"):
        day = timezone.localdate(record.meeting.starts_at)
        assert record.meeting.match.program.phases.filter(
            lost_time=True, starts_on__lte=day, ends_on__gte=day
        ).exists()


def test_pairs_are_participants_of_their_program(bench):
    matches = in_bench(Match, "program__").select_related("mentee", "mentor")
    for match in matches:
        assert match.mentee.program_id == match.mentor.program_id == match.program_id
        assert (match.mentee.role, match.mentor.role) == ("mentee", "mentor")
    for meeting in in_bench(Meeting, "match__program__").select_related("match__program"):
        program = meeting.match.program
        assert program.starts_on <= timezone.localdate(meeting.starts_at) <= program.ends_on


def test_evaluation_answers_agree_with_the_requests(bench):
    for window in in_bench(EvaluationWindow, "program__").select_related("program"):
        program = window.program
        responded = Counter(
            EvaluationRequest.objects.filter(
                participant__program=program, responded=True
            ).values_list("participant__role", flat=True)
        )
        answers = EvaluationResponse.objects.filter(program=program)
        assert Counter(answers.values_list("role", flat=True)) == responded
        assert all(1 <= r <= window.round for r in answers.values_list("round", flat=True))
        assert [r.role for r in evaluation_results(program, window)] == ["mentee", "mentor"]


SAMPLED = (
    (User, "email__endswith", seed.EMAIL_DOMAIN),
    (Profile, "user__email__endswith", seed.EMAIL_DOMAIN),
    (Program, "slug__startswith", seed.SLUG_PREFIX),
    (Phase, "program__slug__startswith", seed.SLUG_PREFIX),
    (Application, "program__slug__startswith", seed.SLUG_PREFIX),
    (Participant, "program__slug__startswith", seed.SLUG_PREFIX),
    (Survey, "participant__program__slug__startswith", seed.SLUG_PREFIX),
    (MentorProfile, "user__email__endswith", seed.EMAIL_DOMAIN),
    (MatchingProfile, "participant__program__slug__startswith", seed.SLUG_PREFIX),
    (Match, "program__slug__startswith", seed.SLUG_PREFIX),
    (Orientation, "program__slug__startswith", seed.SLUG_PREFIX),
    (AgendaItem, "orientation__program__slug__startswith", seed.SLUG_PREFIX),
    (Worksheet, "match__program__slug__startswith", seed.SLUG_PREFIX),
    (Meeting, "match__program__slug__startswith", seed.SLUG_PREFIX),
    (SessionRecord, "meeting__match__program__slug__startswith", seed.SLUG_PREFIX),
    (ActionItem, "match__program__slug__startswith", seed.SLUG_PREFIX),
    (GroupSession, "program__slug__startswith", seed.SLUG_PREFIX),
    (Feedback, "match__program__slug__startswith", seed.SLUG_PREFIX),
    (EvaluationWindow, "program__slug__startswith", seed.SLUG_PREFIX),
    (EvaluationRequest, "participant__program__slug__startswith", seed.SLUG_PREFIX),
    (EvaluationResponse, "program__slug__startswith", seed.SLUG_PREFIX),
)


@pytest.mark.parametrize(("model", "lookup", "value"), SAMPLED, ids=lambda v: str(v)[:30])
def test_a_sample_of_every_table_passes_model_validation(bench, model, lookup, value):
    rows = list(model.objects.filter(**{lookup: value}).order_by("pk"))
    assert rows
    # Every row of the small tables, an even spread of the large ones.
    for row in rows[:: max(1, len(rows) // 40)]:
        row.full_clean()


def planned_rows(model) -> float:
    """How many rows the database's query planner believes `model`'s table holds."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return cursor.fetchone()[0]
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s AND idx IS NULL", [table])
        row = cursor.fetchone()
        if row is None:
            # Indexed tables: sqlite_stat1 keeps the count against each index instead. A
            # partial index counts only its own rows, so the table's count is the largest.
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
            counts = [float(stat.split()[0]) for (stat,) in cursor.fetchall()]
            return max(counts, default=0.0)
        return float(row[0].split()[0])


def test_the_planner_is_told_the_tables_are_full():
    # Statistics taken while the tables were empty make PostgreSQL plan nested loops over
    # thousands of rows: one query of the dashboard or of these tests then takes minutes.
    with connection.cursor() as cursor:
        for model in (SessionRecord, Meeting, Match):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    assert planned_rows(SessionRecord) < 500

    seed.build(scale=SCALE)

    assert planned_rows(SessionRecord) >= 500
    assert planned_rows(Meeting) >= in_bench(Meeting, "match__program__").count()
    assert planned_rows(Match) >= 20


def test_same_data_on_every_run():
    def fingerprint():
        return sorted(
            in_bench(Match, "program__").values_list(
                "program__slug", "mentee__user__email", "mentor__user__email", "status"
            )
        )

    seed.build(scale=SCALE)
    first = fingerprint()
    seed.delete_bench_data()
    seed.build(scale=SCALE)
    assert fingerprint() == first


def test_command_refuses_to_run_twice_and_replaces_on_request(cast):
    out = io.StringIO()
    call_command("bench_seed", scale=SCALE, stdout=out)
    assert "Bench data built" in out.getvalue()
    assert seed.COORDINATOR_EMAIL in out.getvalue()
    first_ids = set(seed.bench_programs().values_list("pk", flat=True))

    with pytest.raises(CommandError, match="--replace"):
        call_command("bench_seed", scale=SCALE, stdout=io.StringIO())
    assert set(seed.bench_programs().values_list("pk", flat=True)) == first_ids

    out = io.StringIO()
    call_command("bench_seed", scale=SCALE, replace=True, stdout=out)
    assert "Deleted earlier bench data" in out.getvalue()
    assert seed.bench_programs().count() == 7
    assert not seed.bench_programs().filter(pk__in=first_ids).exists()
    assert seed.bench_users().count() == 50
    assert in_bench(SessionRecord, "meeting__match__program__").count() == 500
    # Everything else is left alone.
    assert Program.objects.filter(pk=cast.program.pk).exists()
    assert User.objects.filter(pk=cast.mentor.pk).exists()


def test_command_rejects_a_tiny_scale():
    with pytest.raises(CommandError, match="at least"):
        call_command("bench_seed", scale=0.001, stdout=io.StringIO())


def test_what_happened_is_in_the_past_with_every_program():
    seed.build(scale=0.2)  # 16 programs: every planned start date, re-matches in each
    now = timezone.now()
    happened = (
        (Application, "program__", ("submitted_at", "decided_at")),
        (Survey, "participant__program__", ("submitted_at",)),
        (Match, "program__", ("started_at", "ended_at")),
        (Worksheet, "match__program__", ("mentee_agreed_at", "mentor_agreed_at")),
        (Meeting, "match__program__", ("cancelled_at",)),
        (SessionRecord, "meeting__match__program__", ("created_at", "meeting__starts_at")),
        (ActionItem, "match__program__", ("closed_at",)),
        (Feedback, "match__program__", ("submitted_at",)),
        (EvaluationWindow, "program__", ("opened_at", "closed_at")),
    )
    for model, path, fields in happened:
        for name in fields:
            assert not in_bench(model, path).filter(**{f"{name}__gt": now}).exists(), name
    matches = in_bench(Match, "program__")
    assert not matches.filter(ended_at__lte=F("started_at")).exists()
    assert (
        not in_bench(Meeting, "match__program__")
        .filter(starts_at__lt=F("match__started_at"))
        .exists()
    )


def test_the_bench_stores_each_persons_funnel_step_as_the_definitions_say(bench):
    assert drift() == []
