import pytest

from devdata import demo
from devdata.intake_demo import PROGRAM_SLUG, seed_intake_demo
from intake.models import Application
from programs.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_more_than_ten_applications_waiting_once(cast):
    """Enough to show ten decided in one step; a second run adds nothing."""
    program = ProgramFactory(slug=PROGRAM_SLUG, status="open")
    demo._applications(program, mentor=cast.mentor)
    seed_intake_demo()
    waiting = program.applications.filter(status=Application.Status.SUBMITTED)
    assert waiting.count() >= 12
    seed_intake_demo()
    assert program.applications.filter(status=Application.Status.SUBMITTED).count() == (
        waiting.count()
    )
