"""Demo data for three handbook practices (issue 20, item 5): a paper application a
coordinator keyed in, a group session for mentors only, and a meeting in person with each
side's travel time.

Idempotent: each row is looked up by a natural key first. No e-mail is sent (rows are
written directly, as the other demo modules do).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from devdata.people import ensure_member
from intake.models import Application
from matching.models import Match
from programs.models import Program
from sessions.models import GroupSession, Meeting

RUNNING_SLUG = "2026-mentorship"
OPEN_SLUG = "2027-mentorship"
HALL = "USW Local 2009 hall, 3920 Norland Avenue, Burnaby"
PAPER_APPLICANT = ("gloria.pereira@example.org", "Gloria Pereira")
MENTORS_ONLY_TITLE = "Mentor training: giving constructive feedback"
DAY = datetime.timedelta(days=1)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@transaction.atomic
def seed_practices_demo(*, coordinator: User) -> None:
    opened = Program.objects.filter(slug=OPEN_SLUG).first()
    if opened is not None:
        _paper_application(opened, coordinator)
    running = Program.objects.filter(slug=RUNNING_SLUG).first()
    if running is not None:
        _mentors_only_session(running)
        _meeting_with_travel(running)


def _paper_application(program: Program, coordinator: User) -> None:
    """Handed in at a union meeting; the coordinator keyed it in two days later."""
    email, name = PAPER_APPLICANT
    applicant = ensure_member(email, name)
    handed_in = timezone.now() - 2 * DAY
    Application.objects.get_or_create(
        program=program,
        applicant=applicant,
        role="mentee",
        defaults={
            "status": Application.Status.SUBMITTED,
            "essay": "I want to learn how to speak up for my co-workers on nights.",
            "goals": "Join the health and safety committee.",
            "union_role": "Member",
            "local_unit": "Local 2009 Unit 7",
            "experience": Application.Experience.FIRST_TIME,
            "availability": ["weekends"],
            "preferred_delivery": Application.DeliveryPreference.IN_PERSON,
            "lost_time_release": Application.Release.NOT_SURE,
            "submitted_at": handed_in,
            "privacy_consent_at": handed_in,
            "keyed_in_by": coordinator,
            "keyed_in_at": handed_in,
        },
    )


def _mentors_only_session(program: Program) -> None:
    """Training for mentors only (handbook III): mentees neither see it nor are invited."""
    GroupSession.objects.get_or_create(
        program=program,
        title=MENTORS_ONLY_TITLE,
        defaults={
            "kind": GroupSession.Kind.CLASS,
            "audience": GroupSession.Audience.MENTORS,
            "starts_at": _at(timezone.localdate() + 12 * DAY, 18),
            "duration_minutes": 120,
            "location": HALL,
            "description": "Giving and taking feedback: the worksheet's section 7, practised.",
            "child_care": True,
            "food": True,
        },
    )


def _meeting_with_travel(program: Program) -> None:
    """The demo mentee drives 45 minutes from Abbotsford; the mentor walks over."""
    match = (
        Match.objects.filter(
            program=program,
            status=Match.Status.ACTIVE,
            mentee__user__email="mentee@example.org",
        )
        .order_by("pk")
        .first()
    )
    if match is None or match.meetings.filter(mentee_travel_minutes__isnull=False).exists():
        return
    Meeting.objects.create(
        match=match,
        starts_at=_at(timezone.localdate() + 20 * DAY, 18),
        duration_minutes=60,
        mode=Meeting.Mode.IN_PERSON,
        location=HALL,
        mentee_travel_minutes=45,
        mentor_travel_minutes=10,
        created_by=match.mentee.user,
    )
