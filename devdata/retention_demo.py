"""A program closed long ago, so Retention ("What will be purged and when") shows something.

It ended 23 months before today: with the default RETENTION_MONTHS (24) its free text is
purged in about a month, and the preview counts what goes. Its former mentee is in no
newer program, so their demographics are counted too; its mentor, who mentors in the
running program, keeps their profile.
"""

import datetime

from django.utils import timezone

from accounts.models import Profile, User
from dashboard.retention import add_months
from devdata.people import ensure_member
from intake.models import Application
from programs.models import Participant, Program
from surveys.models import Survey

SLUG = "2024-mentorship"


def seed_retention_demo(*, coordinator: User, mentor: User) -> Program:
    today = timezone.localdate()
    ends_on = add_months(today, -23)
    program, _ = Program.objects.update_or_create(
        slug=SLUG,
        defaults={
            "name": "2024 Mentorship Program",
            "year": ends_on.year,
            "status": Program.Status.CLOSED,
            "description": "Our first cohort, now closed.",
            "applications_open_on": ends_on - datetime.timedelta(days=330),
            "applications_close_on": ends_on - datetime.timedelta(days=300),
            "starts_on": ends_on - datetime.timedelta(days=270),
            "ends_on": ends_on,
        },
    )
    program.coordinators.add(coordinator)
    former = ensure_member("gloria.former@example.org", "Gloria Alder")
    Profile.objects.get_or_create(
        user=former, defaults={"gender": "woman", "region": "Nanaimo", "race_ethnicity": ["white"]}
    )
    now = timezone.now()
    for user, role, essay in (
        (former, "mentee", "I want to learn how grievances work from the inside."),
        (mentor, "mentor", "Twelve years a steward; happy to pass it on."),
    ):
        participant, _ = Participant.objects.get_or_create(
            program=program, user=user, defaults={"role": role}
        )
        Application.objects.get_or_create(
            program=program,
            applicant=user,
            defaults={
                "role": role,
                "status": Application.Status.ACCEPTED,
                "essay": essay,
                "submitted_at": now,
                "privacy_consent_at": now,
            },
        )
        Survey.objects.get_or_create(
            participant=participant,
            defaults={"answers": {"comments": "Looking forward to it."}},
        )
    return program
