import pytest

from devdata import demo
from devdata.evaluation_demo import SLUG, seed_evaluation_demo
from evaluation import models, selectors
from matching.models import Match

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Match,
            models.Feedback,
            models.EvaluationRequest,
            models.EvaluationResponse,
            models.LaterRole,
            models.MeasureResult,
            models.Testimonial,
        )
    }


def test_the_demo_is_a_completed_program_and_seeding_twice_changes_nothing():
    program = seed_evaluation_demo()
    first = counts()
    assert seed_evaluation_demo() == program
    assert counts() == first
    assert program.slug == SLUG and program.status == "closed"
    assert program.coordinators.filter(email="coordinator@example.org").exists()
    assert first["Feedback"] == 12 and first["EvaluationResponse"] == 11


def test_the_demo_report_shows_each_case():
    demo.seed()
    program = seed_evaluation_demo()
    report = selectors.program_report(program)
    mentees, mentors = report.evaluations
    assert mentees.visible and mentees.texts_visible  # seven mentees: above the threshold
    assert not mentors.visible and mentors.received == 4  # four mentors: below it
    assert report.outcomes.became_mentors == 2  # two 2025 mentees mentor in 2026
    assert [t.participant.user.name for t in report.testimonials] != []
    stages = {row.key: row.total for row in report.participation}
    assert stages == {
        "applied": 15,
        "accepted": 12,
        "matched": 12,
        "completed": 10,
        "ended_early": 2,
    }
