"""The sessions' demo data: every stage present, and a second run changes nothing."""

import pytest
from django.apps import apps

from devdata import demo
from devdata.sessions_demo import PROGRAM_SLUG, seed_sessions_demo
from sessions.models import ActionItem, GroupSession, Meeting, Orientation, Worksheet

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    models = apps.get_app_config("mentoring_sessions").get_models()
    rows = {m._meta.label: sorted(map(repr, m.objects.values_list())) for m in models}
    rows["attendees"] = sorted(
        map(repr, Orientation.attendees.through.objects.values_list())
    ) + sorted(map(repr, GroupSession.attendees.through.objects.values_list()))
    return rows


@pytest.fixture
def seeded(db):
    demo.seed()
    seed_sessions_demo()


def test_running_it_twice_changes_nothing(seeded):
    first = snapshot()
    seed_sessions_demo()
    assert snapshot() == first


def test_worksheets_at_every_stage(seeded):
    stages = {
        w.match.mentee.user.email: (bool(w.mentee_agreed_at), bool(w.mentor_agreed_at))
        for w in Worksheet.objects.filter(match__program__slug=PROGRAM_SLUG).select_related(
            "match__mentee__user"
        )
    }
    assert stages == {
        "mentee@example.org": (True, True),
        "amira.haddad@example.org": (True, True),
        "tanya.whitehorse@example.org": (False, True),
    }  # and priya.natarajan@example.org has not started


def test_meetings_records_and_actions_carried_between_sessions(seeded):
    meetings = Meeting.objects.filter(match__mentee__user__email="mentee@example.org")
    assert meetings.filter(record__isnull=False, preparation__isnull=False).count() == 3
    assert meetings.filter(status="cancelled").count() == 1
    assert meetings.filter(record__isnull=True, preparation__isnull=False).exists()
    assert any(not m.is_past for m in meetings)
    statuses = set(ActionItem.objects.values_list("status", flat=True))
    assert statuses == {"open", "done", "dropped"}
    dropped = ActionItem.objects.get(status="dropped")
    assert dropped.closed_at > dropped.record.meeting.ends_at  # closed at a later session
    assert GroupSession.objects.filter(audience="everyone").count() == 2
    orientation = Orientation.objects.get(program__slug=PROGRAM_SLUG)
    assert orientation.is_past and orientation.attendees.exists()
    assert orientation.agenda.count() == 5


def test_a_record_saved_as_a_draft_is_not_recorded(seeded):
    from sessions.models import SessionRecord

    draft = SessionRecord.objects.get(status=SessionRecord.Status.DRAFT)
    assert draft.meeting.is_past
    assert draft.meeting.match.mentee.user.email == "amira.haddad@example.org"
    assert SessionRecord.objects.filter(status=SessionRecord.Status.RECORDED).count() >= 4
