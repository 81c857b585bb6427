"""The demo's people take the pipeline's steps in order, in every program (issue 20 item 8).

The dashboard's funnel counts a step only for people who reached every step before it
(dashboard/selectors.py), so it never rises whatever the data: a demo member who met
their partner before the pair agreed to its worksheet, or came to the orientation without
being matched, simply drops out of it and hides what the step means. So each step here is
counted on its own, straight from the models, and each step's people must be among the
previous step's: the funnel then counts everyone who did each thing.
"""

import itertools

import pytest
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from devdata import demo
from evaluation.models import EvaluationRequest
from intake.models import Application
from matching.models import Match
from programs.models import Participant, Program
from sessions.models import Meeting, Orientation
from surveys.models import Survey

pytestmark = pytest.mark.django_db

STEPS = ("accepted", "surveyed", "matched", "oriented", "agreed", "met", "completed")


def _in_match(matches) -> Q:
    return Q(Exists(matches.filter(mentee=OuterRef("pk")))) | Q(
        Exists(matches.filter(mentor=OuterRef("pk")))
    )


def people_at_each_step(program: Program) -> dict[str, set[int]]:
    """The participants (ids) who did each thing, each step on its own."""
    now = timezone.now()
    published = Match.objects.published().filter(program=program)
    held = Meeting.objects.filter(
        match=OuterRef("pk"), status=Meeting.Status.SCHEDULED, starts_at__lte=now
    )
    steps = {
        "accepted": Q(),
        "surveyed": Q(
            Exists(Survey.objects.filter(participant=OuterRef("pk"), status="submitted"))
        ),
        "matched": _in_match(published),
        "oriented": Q(
            Exists(Orientation.attendees.through.objects.filter(participant_id=OuterRef("pk")))
        ),
        "agreed": _in_match(
            published.filter(
                worksheet__mentee_agreed_at__isnull=False,
                worksheet__mentor_agreed_at__isnull=False,
            )
        ),
        "met": _in_match(published.filter(Exists(held))),
        "completed": _in_match(
            published.filter(status=Match.Status.ENDED, end_reason=Match.EndReason.COMPLETED)
        ),
        "evaluated": Q(
            Exists(EvaluationRequest.objects.filter(participant=OuterRef("pk"), responded=True))
        ),
    }
    people = Participant.objects.filter(program=program)
    return {key: set(people.filter(q).values_list("pk", flat=True)) for key, q in steps.items()}


def applicants(program: Program) -> set[int]:
    """The users who sent an application (drafts left out): one person, whatever roles."""
    sent = Application.objects.filter(program=program).exclude(status=Application.Status.DRAFT)
    return set(sent.values_list("applicant_id", flat=True))


@pytest.fixture
def seeded(db):
    demo.seed()


def test_every_demo_programs_people_take_the_steps_in_order(seeded):
    programs = Program.objects.filter(slug__in=demo.DEMO_PROGRAM_SLUGS)
    assert programs.count() == len(set(demo.DEMO_PROGRAM_SLUGS))
    skipped = []
    for program in programs:
        people = people_at_each_step(program)
        counts = [len(applicants(program))] + [len(people[key]) for key in STEPS]
        assert counts == sorted(counts, reverse=True), (program.slug, counts)
        participants = Participant.objects.filter(program=program)
        users = set(participants.values_list("user_id", flat=True))
        assert users <= applicants(program), program.slug  # nobody in without applying
        for before, step in itertools.pairwise(STEPS):
            skipped += [(program.slug, step, pk) for pk in people[step] - people[before]]
        # The evaluation asks everyone who was matched, however their match ended.
        skipped += [
            (program.slug, "evaluated", pk) for pk in people["evaluated"] - people["matched"]
        ]
    assert skipped == []


def test_the_demo_shows_people_far_down_the_pipeline(seeded):
    """Not a column of zeros: the running program has pairs that met, the closed cohort
    pairs that completed and evaluations answered."""
    running = people_at_each_step(Program.objects.get(slug="2026-mentorship"))
    closed = people_at_each_step(Program.objects.get(slug="2025-mentorship"))
    assert len(running["met"]) >= 4
    assert len(running["oriented"]) > len(running["agreed"])  # one pair has not agreed
    assert len(closed["completed"]) >= 1
    assert len(closed["evaluated"]) >= 1
