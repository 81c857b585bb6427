"""Retention: a closed program's free text and its people's demographics go after
RETENTION_MONTHS, rows and counts stay, a newer program keeps a member's profile."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from accounts.models import Profile
from dashboard import tasks
from dashboard.retention import purge_date, retention_preview, retention_purge
from evaluation.models import Feedback
from intake.models import Application
from intake.tests.factories import ApplicationFactory
from programs.models import ActivityEntry, Program
from programs.selectors import role_counts
from programs.tests.factories import ParticipantFactory
from sessions.models import FitCheck, Preparation, SessionRecord
from sessions.tests.factories import MeetingFactory, PreparationFactory, SessionRecordFactory
from surveys.models import Survey
from surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

ENDED = datetime.date(2024, 1, 31)
BEFORE = datetime.datetime(2026, 1, 30, 12, tzinfo=datetime.UTC)  # 23 months and a bit
AFTER = datetime.datetime(2026, 2, 1, 12, tzinfo=datetime.UTC)  # past 24 months


@pytest.fixture
def closed_long_ago(cast):
    """The cast's program, ended on ENDED and closed, with text in every kind purged."""
    Program.objects.filter(pk=cast.program.pk).update(
        status=Program.Status.CLOSED, starts_on=datetime.date(2023, 9, 1), ends_on=ENDED
    )
    cast.program.refresh_from_db()
    ApplicationFactory(program=cast.program, applicant=cast.mentee, essay="Old essay")
    SurveyFactory(participant=cast.mentee_participant, answers={"expectations": "Old answer"})
    match = cast.pair()
    meeting = MeetingFactory(match=match)
    PreparationFactory(meeting=meeting, tried="Old preparation")
    SessionRecordFactory(meeting=meeting, focus="Old focus")
    Feedback.objects.create(match=match, author=cast.mentee_participant, learned="Old feedback")
    FitCheck.objects.create(
        match=match, side="mentee", stage="first", answer="not_sure", note="Old fit note"
    )
    Profile.objects.create(user=cast.mentee, gender="woman", race_ethnicity=["black"])
    Profile.objects.create(user=cast.mentor, gender="man", region="Kamloops")
    # The mentor is in a newer, running program: their profile stays whole.
    ParticipantFactory(program=cast.other_program, user=cast.mentor)
    return cast.program


def test_nothing_goes_before_the_retention_period(closed_long_ago):
    with time_machine.travel(BEFORE, tick=False):
        assert retention_purge() == {}
    assert Application.objects.get(essay="Old essay")
    assert Profile.objects.get(gender="woman")


def test_after_the_period_text_and_demographics_go_rows_and_counts_stay(closed_long_ago, cast):
    counts = role_counts(closed_long_ago)
    with time_machine.travel(AFTER, tick=False):
        done = retention_purge()
    assert done == {
        closed_long_ago.pk: {
            "applications": 1,
            "surveys": 1,
            "records": 1,
            "preparations": 1,
            "feedback": 1,
            "fit_checks": 1,
            "demographics": 1,
        }
    }
    application = Application.objects.get(applicant=cast.mentee)
    assert application.essay == "" and application.status == Application.Status.SUBMITTED
    assert Survey.objects.get(participant=cast.mentee_participant).answers == {}
    assert Preparation.objects.get().tried == ""
    assert SessionRecord.objects.get().focus == ""
    assert Feedback.objects.get().learned == ""
    fit = FitCheck.objects.get()
    assert fit.note == "" and fit.answer == "not_sure"  # the answer stays, as statuses do
    mentee_profile = Profile.objects.get(user=cast.mentee)
    assert mentee_profile.gender == "" and mentee_profile.race_ethnicity == []
    mentor_profile = Profile.objects.get(user=cast.mentor)  # in a newer program
    assert mentor_profile.gender == "man" and mentor_profile.region == "Kamloops"
    assert role_counts(closed_long_ago) == counts
    [entry] = ActivityEntry.objects.filter(action="dashboard:retention")
    assert entry.program_id == closed_long_ago.pk and entry.actor_id is None
    assert "Old" not in str(entry.changes) + str(entry.target)  # kinds, never the text


def test_the_purge_is_idempotent(closed_long_ago):
    with time_machine.travel(AFTER, tick=False):
        retention_purge()
        assert retention_purge() == {}
    assert ActivityEntry.objects.filter(action="dashboard:retention").count() == 1


def test_a_program_not_closed_is_never_purged(closed_long_ago):
    Program.objects.filter(pk=closed_long_ago.pk).update(status=Program.Status.CLOSING)
    with time_machine.travel(AFTER, tick=False):
        assert retention_purge() == {}
    assert Application.objects.get(essay="Old essay")


def test_retention_months_comes_from_the_settings(closed_long_ago, settings):
    settings.RETENTION_MONTHS = 36
    assert purge_date(closed_long_ago) == datetime.date(2027, 1, 31)
    with time_machine.travel(AFTER, tick=False):
        assert retention_purge() == {}


def test_the_daily_beat_runs_the_purge(closed_long_ago):
    schedule = settings.CELERY_BEAT_SCHEDULE["purge-expired"]
    assert schedule["task"] == tasks.purge_expired.name
    with time_machine.travel(AFTER, tick=False):
        tasks.purge_expired.delay()
    assert not Application.objects.filter(essay="Old essay").exists()


def test_the_preview_tells_what_goes_and_when(closed_long_ago, client_as):
    with time_machine.travel(BEFORE, tick=False):
        preview = retention_preview(closed_long_ago)
        assert preview["date"] == datetime.date(2026, 1, 31) and not preview["due"]
        assert {str(label): n for label, n in preview["rows"]} == {
            "Application answers": 1,
            "Survey answers": 1,
            "Meeting records": 1,
            "Meeting preparations": 1,
            "Feedback": 1,
            "Notes on how matches were going": 1,
            "Demographics of members in no newer program": 1,
        }
        html = client_as("coordinator").get(
            reverse("dashboard:retention", args=[closed_long_ago.slug])
        )
    page = html.content.decode()
    assert "What will be purged and when" in page and "The purge comes on" in page
    # A preview is a GET: it purges nothing.
    assert Application.objects.filter(essay="Old essay").exists()
