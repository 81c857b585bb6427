"""The demo's dashboard pipeline is a true funnel in every program, and nobody skipped a step
the program cannot be entered without (the demo data is fixed, not the count)."""

import pytest
from django.db.models import Exists, OuterRef
from django.utils import timezone

from dashboard import selectors
from dashboard.tests.helpers import drift
from devdata import demo
from intake.models import Application
from matching.models import Match
from programs.models import Participant, Program
from surveys.models import Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    demo.seed()


def test_each_demo_programs_pipeline_never_rises(seeded):
    programs = list(Program.objects.select_related("orientation", "evaluation_window"))
    data = selectors.dashboard(programs)
    assert {row.program.slug for row in data.rows} >= set(demo.DEMO_PROGRAM_SLUGS)
    for row in data.rows:
        counts = [row.funnel[key] for key in selectors.STEP_KEYS]
        assert counts == sorted(counts, reverse=True), (row.program.slug, row.funnel)
        assert row.outside == 0, row.program.slug  # every participant is in the funnel
    by_slug = {row.program.slug: row.funnel for row in data.rows}
    # The running program and the closed cohort show people far down the funnel, so the
    # demo shows what each step means rather than a column of zeros.
    assert by_slug["2026-mentorship"]["meeting"] >= 1
    assert by_slug["2025-mentorship"]["completed"] >= 1
    assert by_slug["2025-mentorship"]["evaluated"] >= 1


def test_nobody_in_the_demo_is_in_without_applying_or_matched_without_a_survey(seeded):
    accepted = Application.objects.filter(
        program=OuterRef("program"), applicant=OuterRef("user"), status="accepted"
    )
    assert not Participant.objects.filter(~Exists(accepted)).exists()
    matched = Match.objects.published()
    for match in matched.select_related("mentee", "mentor"):
        for participant in (match.mentee, match.mentor):
            assert Survey.objects.filter(participant=participant, status="submitted").exists()
    # The plain counts (no earlier step required) agree with the funnel up to "matched".
    plain = {
        "accepted": Participant.objects.all(),
        "matched": Participant.objects.filter(selectors._in_match()),
    }
    funnel = selectors.participant_filters(timezone.now())
    for key, people in plain.items():
        assert people.count() == Participant.objects.filter(funnel[key]).count(), key


def test_the_demo_stores_each_persons_funnel_step_as_the_definitions_say(seeded):
    """The demo writes many rows directly: its people's stored funnel columns are still
    what the steps' definitions give, and every list selects the same people both ways."""
    assert drift() == []
    assert Participant.objects.filter(funnel_depth__gt=0).exists()
