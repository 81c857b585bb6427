"""Answers and helpers shared by the evaluation tests."""

from evaluation import services
from programs.models import Participant
from programs.tests.factories import ParticipantFactory

MENTEE_ANSWERS = {
    "helpfulness": 2,
    "useful_aspects": "The mock arbitration.",
    "recommend": "yes",
    "effects": ["skills", "confidence"],
    "suggestions": "More practical work.",
}
MENTOR_ANSWERS = {
    "helpfulness": 1,
    "useful_aspects": "The coaching workshop.",
    "recommend": "maybe",
    "effects": ["new_leaders"],
    "mentor_again": "yes",
    "suggestions": "Time release for mentors.",
}
FEEDBACK_ANSWERS = {
    "worked_well": "Meeting after the membership meeting.",
    "learned": "How a grievance moves to arbitration.",
    "did_not_work": "Shift changes in the spring.",
    "partner_so_far": "You went from notes to presenting a grievance.",
    "partner_going_forward": "Run for steward next year.",
    "whats_next": "continue_formal",
}


def evaluation_answers(role: str, **changes) -> dict:
    base = MENTOR_ANSWERS if role == "mentor" else MENTEE_ANSWERS
    return {**base, **changes}


def feedback_answers(**changes) -> dict:
    return {**FEEDBACK_ANSWERS, **changes}


def add_participants(program, role: str, n: int) -> list[Participant]:
    return [ParticipantFactory(program=program, role=role) for _ in range(n)]


def respond(participants, **changes) -> None:
    for participant in participants:
        services.evaluation_submit(
            participant=participant, answers=evaluation_answers(participant.role, **changes)
        )
