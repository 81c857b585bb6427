"""The alumni follow-up in a real browser: a former mentee answers "no change" on a phone
and adds a role on a desktop; the coordinator reads the counts on the outcomes page and the
report. axe-core on every page, at both widths."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.testing import assert_accessible
from evaluation.models import AlumniFollowUp, LaterRole
from matching.models import Match
from programs.models import Program
from programs.tests.factories import ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def asked(cast) -> Program:
    """The cast's program closed a year ago; its mentee and mentor and a dozen others were
    asked three days ago, and some answered."""
    program = cast.program
    program.status = Program.Status.CLOSED
    program.starts_on = datetime.date(2025, 1, 15)
    program.ends_on = datetime.date(2025, 11, 30)
    program.save()
    Match.objects.create(
        program=program,
        mentee=cast.mentee_participant,
        mentor=cast.mentor_participant,
        status=Match.Status.ENDED,
        end_reason=Match.EndReason.COMPLETED,
    )
    sent = timezone.now() - datetime.timedelta(days=3)
    for participant in (cast.mentee_participant, cast.mentor_participant):
        AlumniFollowUp.objects.create(participant=participant, round=12, sent_at=sent)
    for index in range(12):
        participant = ParticipantFactory(program=program, role="mentee")
        answer = ("", "no_change", "new_role")[index % 3]
        followup = AlumniFollowUp.objects.create(
            participant=participant,
            round=12,
            sent_at=sent,
            answer=answer,
            answered_at=sent if answer else None,
        )
        if answer == "new_role":
            LaterRole.objects.create(
                participant=participant,
                kind="steward",
                started_on=datetime.date(2026, 6, 1),
                followup=followup,
            )
    return program


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_former_mentee_answers_no_change_in_one_click(page_as, cast, asked, viewport):
    page = page_as("mentee", viewport=viewport)
    page.goto(reverse("evaluation:my_roles", args=[asked.slug]))
    expect(
        page.get_by_role("heading", name="A year on: has your union role changed?")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="No change").click()
    expect(page.get_by_text("Thank you: your answer “no change” is recorded.")).to_be_visible()
    expect(page.get_by_text("that nothing has changed")).to_be_visible()
    expect(page.get_by_role("button", name="No change")).to_have_count(0)
    assert_accessible(page)
    assert AlumniFollowUp.objects.get(participant=cast.mentee_participant).answer == "no_change"


def test_a_former_mentor_answers_with_a_new_role(page_as, cast, asked):
    page = page_as("mentor", viewport="phone")
    page.goto(reverse("evaluation:my_roles", args=[asked.slug]))
    page.get_by_label("Role in the union").select_option("committee")
    page.get_by_label("Since").fill("2026-10-01")
    page.get_by_role("button", name="Add the role").click()
    expect(page.get_by_text("Thank you: your new role is recorded as your answer.")).to_be_visible()
    assert_accessible(page)
    followup = AlumniFollowUp.objects.get(participant=cast.mentor_participant)
    assert followup.answer == "new_role"
    assert followup.roles.get().kind == "committee"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_coordinator_reads_the_answers(page_as, asked, viewport):
    page = page_as("coordinator", viewport=viewport)
    for name in ("outcomes", "report"):
        page.goto(reverse(f"evaluation:{name}", args=[asked.slug]))
        table = page.get_by_role("table", name="Answers to the alumni follow-up")
        expect(table).to_be_visible()
        expect(table.get_by_role("row", name="Asked 14")).to_be_visible()
        expect(table.get_by_role("row", name="No change fewer than 5")).to_be_visible()
        assert_accessible(page)
