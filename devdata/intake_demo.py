"""Demo data for deciding applications in bulk: the 2027 program's newest waiting applicants.

With the applicants of demo.py, a dozen applications wait for a decision, so the review
list (Dashboard → Applications waiting) shows ten of them decided in three clicks: select
all, Accept, Confirm. Idempotent: each application is looked up by its natural key first.
No e-mail is sent.
"""

import datetime

from django.utils import timezone

from devdata.people import ensure_member
from intake.models import Application
from programs.models import Program

PROGRAM_SLUG = "2027-mentorship"

# (name, e-mail handle, role, local and unit, experience)
WAITING = [
    ("Nadia Benali", "nadia.benali", "mentee", "Local 2009 Unit 4", "first_time"),
    ("Oscar Lindqvist", "oscar.lindqvist", "mentee", "Local 1944", "some"),
    ("Paula Reyes", "paula.reyes", "mentee", "Local 2009 Unit 1", "first_time"),
    ("Quentin Roy", "quentin.roy", "mentor", "Local 2009 Unit 12", "experienced"),
    ("Rana Aziz", "rana.aziz", "mentee", "Local 2009 Unit 12", "some"),
    ("Simon Fraser", "simon.fraser", "mentee", "Local 1944", "first_time"),
]
ESSAY = "I want to learn how to support co-workers through a grievance, start to finish."
GOALS = "Become a steward in my unit within a year."


def seed_intake_demo() -> list[Application]:
    program = Program.objects.get(slug=PROGRAM_SLUG)
    now = timezone.now()
    applications = []
    for hours, (name, handle, role, local, experience) in enumerate(WAITING, start=1):
        user = ensure_member(f"{handle}@example.org", name)
        submitted = now - datetime.timedelta(hours=6 * hours)
        application, _created = Application.objects.get_or_create(
            program=program,
            applicant=user,
            role=role,
            defaults={
                "status": Application.Status.SUBMITTED,
                "essay": ESSAY,
                "goals": GOALS,
                "union_role": "Steward" if role == "mentor" else "Member",
                "local_unit": local,
                "experience": experience,
                "availability": ["evenings"],
                "preferred_delivery": "either",
                "lost_time_release": "not_sure",
                "submitted_at": submitted,
                "privacy_consent_at": submitted,
            },
        )
        applications.append(application)
    return applications
