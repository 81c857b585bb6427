"""No model or field that keeps data about a member can silently drop out of their download.

The test walks every installed model: one that refers to a member, directly or through
another such model (a participation, a match, a meeting...), must be exported by the
registry in members/export.py or named in MODELS_LEFT_OUT with why; every field of an
exported model must be exported or named in its entry's `left_out` with why.
"""

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Profile
from intake import forms
from intake.models import Application
from intake.tests.factories import ApplicationFactory
from members.export import MODELS_LEFT_OUT, REGISTRY
from members.selectors import member_data
from sessions.models import Goal, Worksheet
from sessions.tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    PreparationFactory,
    SessionRecordFactory,
    WorksheetFactory,
)

# A program is the union's, not the member's: models that refer only to a program (its
# phases, its anonymous evaluations...) are not about a member, though a program's
# coordinators are members.
NOT_ABOUT_ONE_MEMBER = {"programs.Program"}


def _relations(model):
    return [
        f
        for f in model._meta.get_fields()
        if f.is_relation and (f.concrete or f.many_to_many) and not f.auto_created
    ]


def models_about_a_member() -> set[str]:
    about = {"accounts.User"}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            label = model._meta.label
            if label in about:
                continue
            for field in _relations(model):
                target = field.related_model._meta.label
                if target in about and target not in NOT_ABOUT_ONE_MEMBER:
                    about.add(label)
                    changed = True
                    break
    return about


def test_every_model_about_a_member_is_exported_or_deliberately_left_out():
    exported = {export.model for export in REGISTRY}
    about = models_about_a_member()
    assert "mentoring_sessions.Preparation" in about  # reached through meeting and match
    missing = about - exported - set(MODELS_LEFT_OUT)
    assert not missing, (
        f"{sorted(missing)} keep data about a member: export them in members/export.py "
        "REGISTRY, or list them in MODELS_LEFT_OUT with why"
    )
    assert not exported & set(MODELS_LEFT_OUT), "a model is both exported and left out"


def test_the_registry_and_the_left_out_list_name_only_real_models():
    labels = {model._meta.label for model in apps.get_models()}
    assert {export.model for export in REGISTRY} <= labels
    assert set(MODELS_LEFT_OUT) <= labels
    sections = [export.section for export in REGISTRY]
    assert len(sections) == len(set(sections))


@pytest.mark.parametrize("export", REGISTRY, ids=lambda export: export.model)
def test_every_field_is_exported_or_deliberately_left_out(export):
    model = export.model_class
    names = {
        f.name
        for f in model._meta.get_fields()
        if f.concrete or (f.many_to_many and not f.auto_created)
    }
    covered = set(export.fields) | (set(export.shown) & names)
    missing = names - covered - set(export.left_out)
    assert not missing, (
        f"{export.model} fields {sorted(missing)}: export them in members/export.py or "
        "list them in the entry's left_out with why"
    )
    assert not covered & set(export.left_out), f"{export.model}: exported and left out"
    assert set(export.left_out) <= names, f"{export.model}: left_out names no field"
    assert set(export.fields) <= names, f"{export.model}: fields names no field"


def test_the_form_the_service_and_the_export_share_one_answer_list():
    assert tuple(forms.ApplicationForm._meta.fields) == Application.ANSWER_FIELDS
    [entry] = [export for export in REGISTRY if export.model == "intake.Application"]
    assert set(Application.ANSWER_FIELDS) <= set(entry.fields)


def _pair_history(cast, count, first=0):
    match = cast.pair()
    if not Worksheet.objects.filter(match=match).exists():
        WorksheetFactory(match=match, purpose="Learn bargaining")
    for n in range(first, first + count):
        meeting = MeetingFactory(match=match)
        PreparationFactory(meeting=meeting)
        record = SessionRecordFactory(meeting=meeting, focus=f"Focus {n}")
        ActionItemFactory(record=record)
        Goal.objects.create(match=match, description=f"Goal {n}")
    return match


@pytest.mark.django_db
def test_the_download_holds_the_pair_history_with_the_partner_as_seen(cast):
    _pair_history(cast, 2)
    data = member_data(cast.mentee)
    [match] = data["matches"]
    assert match["partner"] == "Mona Mentor" and match["your_role"] == "mentee"
    assert data["worksheets"][0]["purpose"] == "Learn bargaining"
    assert sorted(r["focus"] for r in data["records"]) == ["Focus 0", "Focus 1"]
    assert len(data["goals"]) == 2 and len(data["meetings"]) == 2
    assert member_data(cast.mentor)["matches"][0]["partner"] == "Eddie Mentee"
    # Nothing of the pair reaches a member outside it.
    outsider = member_data(cast.member)
    assert not any(outsider[key] for key in ("matches", "worksheets", "records", "goals"))


@pytest.mark.django_db
def test_the_download_takes_the_same_queries_for_many_rows(cast):
    Profile.objects.create(user=cast.mentee, region="Kamloops")
    ApplicationFactory(program=cast.program, applicant=cast.mentee)
    _pair_history(cast, 1)
    with CaptureQueriesContext(connection) as few:
        member_data(cast.mentee)
    _pair_history(cast, 5, first=1)
    ApplicationFactory(program=cast.other_program, applicant=cast.mentee)
    with CaptureQueriesContext(connection) as many:
        member_data(cast.mentee)
    assert len(few) == len(many) == len(REGISTRY)


@pytest.mark.django_db
def test_the_pairs_rows_are_asked_by_the_pairs_ids_not_through_both_sides_users(cast):
    """PostgreSQL planned `mentee__user = me OR mentor__user = me` as a scan of every match,
    meeting and record at national size; by the ids just read it uses its indexes."""
    match = _pair_history(cast, 2)
    with CaptureQueriesContext(connection) as queries:
        data = member_data(cast.mentee)
    assert len(data["meetings"]) == 2 and len(data["records"]) == 2
    pair_rows = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(
            tuple(
                f'SELECT "mentoring_sessions_{table}"."id"'
                for table in ("worksheet", "goal", "meeting", "preparation", "sessionrecord")
            )
        )
    ]
    assert len(pair_rows) == 5
    for sql in pair_rows:
        assert "accounts_user" not in sql and "programs_participant" not in sql, sql
        assert f"IN ({match.pk})" in sql, sql


@pytest.mark.django_db
def test_a_member_without_a_participation_is_asked_only_for_their_own_rows(cast):
    ApplicationFactory(program=cast.program, applicant=cast.member)
    _pair_history(cast, 1)  # someone else's pair
    with CaptureQueriesContext(connection) as queries:
        data = member_data(cast.member)
    assert len(data["applications"]) == 1
    assert not any(data[key] for key in ("programs", "matches", "meetings", "records", "goals"))
    asked = " ".join(q["sql"] for q in queries.captured_queries)
    assert "mentoring_sessions_meeting" not in asked and "matching_match" not in asked
    assert len(queries) < len(REGISTRY)
