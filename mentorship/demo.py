"""Demo data for `manage.py seed_demo`: realistic people and programs at every stage.

Idempotent: every row is looked up by a natural key first, so running it twice
changes nothing. Passwords are set only when an account is first created.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User
from programs.models import Participant, Program

DEMO_PASSWORD = "mentorship-demo"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str


# The four log-ins printed by `make run`.
LOGINS = [
    DemoLogin("coordinator", "coordinator@example.org", "Marie Tremblay"),
    DemoLogin("mentor", "mentor@example.org", "Rosa Delgado"),
    DemoLogin("mentee", "mentee@example.org", "Jordan Okafor"),
    DemoLogin("member", "member@example.org", "Sam Kowalski"),
]

OTHER_COORDINATOR = ("tom.nguyen@example.org", "Tom Nguyen")

MENTORS = [
    ("mentor@example.org", "Rosa Delgado", "en"),
    ("harjit.sandhu@example.org", "Harjit Sandhu", "en"),
    ("louise.gagnon@example.org", "Louise Gagnon", "fr"),
    ("dwayne.clarke@example.org", "Dwayne Clarke", "en"),
    ("mei.lin.chen@example.org", "Mei-Lin Chen", "en"),
    ("patrick.obrien@example.org", "Patrick O'Brien", "en"),
]

MENTEES = [
    ("mentee@example.org", "Jordan Okafor", "en"),
    ("amira.haddad@example.org", "Amira Haddad", "en"),
    ("kevin.bouchard@example.org", "Kevin Bouchard", "fr"),
    ("tanya.whitehorse@example.org", "Tanya Whitehorse", "en"),
    ("luis.ramirez@example.org", "Luis Ramírez", "en"),
    ("priya.natarajan@example.org", "Priya Natarajan", "en"),
    ("chloe.martin@example.org", "Chloé Martin", "fr"),
    ("marcus.greene@example.org", "Marcus Greene", "en"),
    ("fatima.diallo@example.org", "Fatima Diallo", "fr"),
    ("ben.kowalczyk@example.org", "Ben Kowalczyk", "en"),
]

PROGRAMS = [
    {
        "slug": "2026-mentorship",
        "name": "2026 Mentorship Program",
        "year": 2026,
        "status": Program.Status.RUNNING,
        "description": (
            "Part One: theory and formal training in group sessions after work hours or on "
            "weekends, in person or on Zoom. Part Two: practical experience alongside an "
            "experienced activist, often on a lost-time basis."
        ),
    },
    {
        "slug": "2027-mentorship",
        "name": "2027 Mentorship Program",
        "year": 2027,
        "status": Program.Status.OPEN,
        "description": (
            "Our third cohort. Members of every unit are encouraged to apply, whether you "
            "are new to the union or a seasoned steward ready to mentor."
        ),
    },
    {
        "slug": "2026-stewards-circle",
        "name": "2026 Stewards' Mentoring Circle",
        "year": 2026,
        "status": Program.Status.RUNNING,
        "description": "A mentoring circle for newly elected stewards of the Prince George unit.",
    },
]


def ensure_member(email: str, name: str, language: str = "en") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, name=name, language=language)
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def seed() -> list[DemoLogin]:
    people = {login.role: ensure_member(login.email, login.name) for login in LOGINS}
    other_coordinator = ensure_member(*OTHER_COORDINATOR)
    mentors = [ensure_member(*row) for row in MENTORS]
    mentees = [ensure_member(*row) for row in MENTEES]

    programs = {}
    for spec in PROGRAMS:
        program, _ = Program.objects.update_or_create(
            slug=spec["slug"], defaults={k: v for k, v in spec.items() if k != "slug"}
        )
        programs[spec["slug"]] = program

    programs["2026-mentorship"].coordinators.add(people["coordinator"])
    programs["2027-mentorship"].coordinators.add(people["coordinator"])
    programs["2026-stewards-circle"].coordinators.add(other_coordinator)

    running = programs["2026-mentorship"]
    for user in mentors:
        Participant.objects.get_or_create(
            program=running, user=user, defaults={"role": Participant.Role.MENTOR}
        )
    for user in mentees:
        Participant.objects.get_or_create(
            program=running, user=user, defaults={"role": Participant.Role.MENTEE}
        )
    circle = programs["2026-stewards-circle"]
    Participant.objects.get_or_create(
        program=circle, user=mentors[3], defaults={"role": Participant.Role.MENTOR}
    )
    for user in mentees[7:]:
        Participant.objects.get_or_create(
            program=circle, user=user, defaults={"role": Participant.Role.MENTEE}
        )
    return LOGINS
