"""Demo data for `manage.py seed_demo`: realistic people and programs at every stage.

Idempotent: every row is looked up by a natural key first, so running it twice
changes nothing. Passwords are set only when an account is first created.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Profile, User
from core.models import OutboxMessage
from dashboard import funnel
from devdata.alumni_demo import seed_alumni_demo
from devdata.evaluation_demo import SLUG as EVALUATION_SLUG
from devdata.evaluation_demo import seed_evaluation_demo
from devdata.fitcheck_demo import seed_fitcheck_demo
from devdata.fitcheck_reminder_demo import seed_fitcheck_reminder_demo
from devdata.handbook_demo import seed_handbook_demo
from devdata.intake_demo import seed_intake_demo
from devdata.invitation_demo import seed_invitation_demo
from devdata.matching_demo import FALL_COHORT_SLUG, seed_matching_demo, seed_mentor_profiles
from devdata.people import ensure_member
from devdata.practices_demo import seed_practices_demo
from devdata.retention_demo import SLUG as RETENTION_SLUG
from devdata.retention_demo import seed_retention_demo
from devdata.sessions_demo import seed_sessions_demo
from intake.models import Application, Nomination
from matching.models import Match
from programs.activity import record_activity
from programs.models import ActivityEntry, Participant, Phase, Program, SuccessMeasure
from programs.services import coordinator_invite
from reminders.models import Reminder, ReminderSettings
from sessions.models import Meeting, Orientation, Worksheet
from surveys.models import Survey
from surveys.questions import questions_for


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

# (name, e-mail, role, status, local and unit, experience, gender, race/ethnicity)
APPLICANTS = [
    (
        "Aisha Mohamed",
        "aisha.mohamed",
        "mentee",
        "submitted",
        "Local 2009 Unit 1",
        "first_time",
        "woman",
        ["black"],
    ),
    (
        "Daniel Tremblay",
        "daniel.tremblay",
        "mentee",
        "submitted",
        "Local 2009 Unit 12",
        "some",
        "man",
        ["white"],
    ),
    (
        "Grace Sinclair",
        "grace.sinclair",
        "mentee",
        "submitted",
        "Local 2009 Unit 4",
        "first_time",
        "woman",
        ["indigenous"],
    ),
    (
        "Hao Zhang",
        "hao.zhang",
        "mentee",
        "submitted",
        "Local 2009 Unit 1",
        "first_time",
        "man",
        ["east_asian"],
    ),
    (
        "Isabel Santos",
        "isabel.santos",
        "mentee",
        "submitted",
        "Local 1944",
        "some",
        "woman",
        ["latin_american"],
    ),
    (
        "Jamal Wright",
        "jamal.wright",
        "mentor",
        "submitted",
        "Local 2009 Unit 12",
        "experienced",
        "man",
        ["black"],
    ),
    (
        "Karen Lefebvre",
        "karen.lefebvre",
        "mentee",
        "accepted",
        "Local 2009 Unit 4",
        "first_time",
        "woman",
        ["white"],
    ),
    (
        "Manpreet Gill",
        "manpreet.gill",
        "mentee",
        "accepted",
        "Local 2009 Unit 1",
        "some",
        "woman",
        ["south_asian"],
    ),
    (
        "Noah Bergeron",
        "noah.bergeron",
        "mentee",
        "accepted",
        "Local 1944",
        "first_time",
        "prefer_not",
        [],
    ),
    (
        "Olivia Thunderchild",
        "olivia.thunderchild",
        "mentee",
        "accepted",
        "Local 2009 Unit 12",
        "first_time",
        "two_spirit",
        ["indigenous"],
    ),
    (
        "Samuel Osei",
        "samuel.osei",
        "mentor",
        "accepted",
        "Local 2009 Unit 4",
        "experienced",
        "man",
        ["black"],
    ),
    (
        "Teresa Novak",
        "teresa.novak",
        "mentee",
        "waitlisted",
        "Local 2009 Unit 1",
        "some",
        "woman",
        ["white"],
    ),
    (
        "Victor Nguyen",
        "victor.nguyen",
        "mentee",
        "waitlisted",
        "Local 1944",
        "first_time",
        "man",
        ["southeast_asian"],
    ),
    ("Wendy Park", "wendy.park", "mentee", "declined", "Local 2009 Unit 12", "some", "", []),
    (
        "Yusuf Ali",
        "yusuf.ali",
        "mentee",
        "declined",
        "Local 2009 Unit 4",
        "first_time",
        "man",
        ["middle_eastern"],
    ),
    (
        "Zoe Campbell",
        "zoe.campbell",
        "mentee",
        "withdrawn",
        "Local 2009 Unit 1",
        "first_time",
        "non_binary",
        ["white"],
    ),
    (
        "André Côté",
        "andre.cote",
        "mentor",
        "withdrawn",
        "Local 1944",
        "experienced",
        "man",
        ["white"],
    ),
    ("Bianca Rossi", "bianca.rossi", "mentee", "draft", "Local 2009 Unit 12", "", "", []),
    ("Carlos Mendes", "carlos.mendes", "mentee", "draft", "Local 2009 Unit 4", "", "", []),
    ("Deepa Iyer", "deepa.iyer", "mentor", "draft", "Local 2009 Unit 1", "", "", []),
]

ESSAYS = {
    "mentee": (
        "I have been a member for three years and I want to understand how grievances are "
        "handled so I can help my co-workers on night shift. I expect to learn by shadowing a "
        "steward and to get honest feedback.",
        "Learn the collective agreement; handle a first grievance; speak at a membership meeting.",
    ),
    "mentor": (
        "I have been a steward for twelve years and chaired our bargaining committee twice. I "
        "want to pass on what I learned, especially to members who do not see themselves in "
        "our leadership yet.",
        "Help a new activist build confidence; share bargaining experience.",
    ),
}


def _dates(today: datetime.date) -> dict[str, dict]:
    """Program dates relative to today, so the demo always shows each stage."""
    day = datetime.timedelta(days=1)
    return {
        "2026-mentorship": {
            "applications_open_on": today - 200 * day,
            "applications_close_on": today - 160 * day,
            "starts_on": today - 120 * day,
            "ends_on": today + 150 * day,
        },
        "2027-mentorship": {
            "applications_open_on": today - 21 * day,
            "applications_close_on": today + 30 * day,
            "starts_on": today + 60 * day,
            "ends_on": today + 330 * day,
        },
        "2026-stewards-circle": {
            "applications_open_on": today - 150 * day,
            "applications_close_on": today - 120 * day,
            "starts_on": today - 90 * day,
            "ends_on": today + 90 * day,
        },
    }


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
        "goals": (
            "Renew our leadership and activist base; open the way for members of equity-seeking "
            "groups; pass on the knowledge of experienced officers and retirees."
        ),
        "time_commitment": "One meeting a month with your mentor and four Saturday classes.",
        "target_mentees": 10,
        "target_mentors": 6,
    },
    {
        "slug": "2027-mentorship",
        "name": "2027 Mentorship Program",
        "year": 2027,
        "status": Program.Status.OPEN,
        "description": (
            "Our third cohort. Members of every unit are encouraged to apply, whether you "
            "are new to the union or a seasoned steward ready to mentor. Part One is group "
            "training after work hours or on weekends, in person or on Zoom; Part Two is "
            "practical experience, often on lost time."
        ),
        "goals": (
            "Build the next generation of stewards and officers, with a class that reflects "
            "our membership."
        ),
        "time_commitment": "About four hours a month over nine months.",
        "target_mentees": 12,
        "target_mentors": 8,
        "external_mentors": True,
    },
    {
        "slug": "2026-stewards-circle",
        "name": "2026 Stewards' Mentoring Circle",
        "year": 2026,
        "status": Program.Status.RUNNING,
        "format": Program.Format.CIRCLE,
        "delivery": Program.Delivery.VIDEO,
        "description": "A mentoring circle for newly elected stewards of the Prince George unit.",
    },
]

PHASES = [
    (
        "Part One: theory and formal training",
        "Group sessions after work hours or on weekends, in person or on Zoom.",
        False,
    ),
    ("Part Two: practical experience", "Working alongside your mentor on real union work.", True),
]
SUCCESS_MEASURES = [
    "Participants who worked on a political campaign",
    "Mentees who became stewards",
    "Mentees who ran for a local office",
]


@transaction.atomic
def seed() -> list[DemoLogin]:
    people = {login.role: ensure_member(login.email, login.name) for login in LOGINS}
    other_coordinator = ensure_member(*OTHER_COORDINATOR)
    mentors = [ensure_member(*row) for row in MENTORS]
    mentees = [ensure_member(*row) for row in MENTEES]

    programs = {}
    dates = _dates(timezone.localdate())
    for spec in PROGRAMS:
        defaults = {**{k: v for k, v in spec.items() if k != "slug"}, **dates[spec["slug"]]}
        program, _ = Program.objects.update_or_create(slug=spec["slug"], defaults=defaults)
        programs[spec["slug"]] = program
        _phases_and_measures(program)

    programs["2026-mentorship"].coordinators.add(people["coordinator"])
    programs["2027-mentorship"].coordinators.add(people["coordinator"])
    programs["2026-stewards-circle"].coordinators.add(other_coordinator)
    # Co-coordinators by consent: the demo coordinator's 2027 program waits for Tom's
    # answer (listed with "withdraw" on its set-up page), and Tom has invited the demo
    # member to his circle (accept or decline on the member's home). Invited once: a
    # second run finds the invitation pending and sends nothing.
    coordinator_invite(
        program=programs["2027-mentorship"], by=people["coordinator"], emails=[OTHER_COORDINATOR[0]]
    )
    coordinator_invite(
        program=programs["2026-stewards-circle"],
        by=other_coordinator,
        emails=[people["member"].email],
    )

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
    _applications(programs["2027-mentorship"], mentor=people["mentor"])
    seed_intake_demo()
    # Its own reminder intervals: a week's notice before applications close, and
    # surveys reminded after five days (Reminders → "Change when reminders go out").
    ReminderSettings.objects.update_or_create(
        program=programs["2027-mentorship"],
        defaults={"application_closing_days": 7, "survey_after_days": 5},
    )
    _profiles_and_surveys(running)
    _matches(running)
    seed_mentor_profiles()
    seed_matching_demo()
    seed_evaluation_demo()
    seed_alumni_demo()
    seed_handbook_demo()
    seed_sessions_demo()
    seed_fitcheck_demo()
    seed_practices_demo(coordinator=people["coordinator"])
    seed_fitcheck_reminder_demo()
    _activity(programs, people["coordinator"])
    _undelivered_reminder(running, mentees[1])
    seed_invitation_demo()
    _reminded_by_hand(running, people["coordinator"])
    seed_retention_demo(coordinator=people["coordinator"], mentor=people["mentor"])
    _pipeline_steps_taken()
    # Rows above are written directly, not through the services that keep each
    # participant's stored funnel step (programs/funnel.py): store them all now.
    funnel.recompute()
    return LOGINS


# --- The pipeline: every demo participant came in the way the program takes people in -------

DEMO_PROGRAM_SLUGS = (
    *(spec["slug"] for spec in PROGRAMS),
    EVALUATION_SLUG,
    FALL_COHORT_SLUG,
    RETENTION_SLUG,
)


def _pipeline_steps_taken() -> None:
    """The steps the demo skipped, taken: an application for each participant put straight
    into a program, and a survey for each matched member who had none.

    The dashboard's pipeline is a funnel (a step counts those who reached every step before
    it: dashboard/selectors.py), so a shortcut in the demo data would hide real people.
    Nobody in any demo program is then accepted without applying or matched unsurveyed.
    """
    accepted = Application.objects.filter(
        program=OuterRef("program"), applicant=OuterRef("user"), status=Application.Status.ACCEPTED
    )
    unapplied = (
        Participant.objects.filter(program__slug__in=DEMO_PROGRAM_SLUGS)
        .filter(~Exists(accepted))
        .select_related("program", "user")
    )
    for participant in unapplied:
        program = participant.program
        submitted = timezone.make_aware(
            datetime.datetime.combine(
                program.starts_on - datetime.timedelta(days=45), datetime.time(12)
            )
        )
        essay, goals = ESSAYS[participant.role]
        Application.objects.get_or_create(
            program=program,
            applicant=participant.user,
            role=participant.role,
            defaults={
                "status": Application.Status.ACCEPTED,
                "essay": essay,
                "goals": goals,
                "union_role": "Steward" if participant.role == "mentor" else "Member",
                "local_unit": "Local 2009",
                "availability": ["evenings"],
                "preferred_delivery": "either",
                "lost_time_release": "not_sure",
                "submitted_at": submitted,
                "privacy_consent_at": submitted,
                "decided_at": submitted + datetime.timedelta(days=7),
                "decision_note": "Welcome to the program!",
            },
        )
    matched = Match.objects.published().filter(program__slug__in=DEMO_PROGRAM_SLUGS)
    _closed_pairs_steps(matched.filter(program__status=Program.Status.CLOSED))
    for match in matched.select_related("mentee", "mentor"):
        for participant in (match.mentee, match.mentor):
            if Survey.objects.filter(participant=participant, status="submitted").exists():
                continue
            questions = questions_for(participant.role)
            Survey.objects.update_or_create(
                participant=participant,
                defaults={
                    "answers": {q.key: SAMPLE_ANSWERS.get(q.key, "") for q in questions},
                    "status": "submitted",
                    "submitted_at": (match.started_at or timezone.now())
                    - datetime.timedelta(days=14),
                    "reopened_at": None,
                },
            )


def _closed_pairs_steps(matches) -> None:
    """The closed cohort's pairs went through orientation, agreed to their worksheet and met,
    as its feedback and evaluations say; the demo had only kept how they ended."""
    for match in matches.select_related("program", "mentee__user"):
        program = match.program
        starts_at = timezone.make_aware(
            datetime.datetime.combine(
                program.starts_on + datetime.timedelta(days=7), datetime.time(18)
            )
        )
        orientation, _created = Orientation.objects.get_or_create(
            program=program, defaults={"starts_at": starts_at, "duration_minutes": 120}
        )
        orientation.attendees.add(match.mentee, match.mentor)
        started = match.started_at or starts_at
        Worksheet.objects.get_or_create(
            match=match,
            defaults={
                "starts_on": timezone.localdate(started),
                "midpoint_on": timezone.localdate(started) + datetime.timedelta(days=120),
                "target_end_on": program.ends_on,
                "mentee_agreed_at": started + datetime.timedelta(days=10),
                "mentor_agreed_at": started + datetime.timedelta(days=11),
                "updated_by": match.mentee.user,
            },
        )
        Meeting.objects.get_or_create(
            match=match,
            starts_at=started + datetime.timedelta(days=30),
            defaults={
                "duration_minutes": 60,
                "mode": Meeting.Mode.IN_PERSON,
                "created_by": match.mentee.user,
            },
        )


def _undelivered_reminder(program: Program, user: User) -> None:
    """A survey reminder the mail server refused eight times: Reminders → "E-mails not
    delivered", with "Try again now" (which sends it, to the console under `make run`)."""
    participant = program.participants.get(user=user)
    reminder, _created = Reminder.objects.get_or_create(
        kind="survey_due",
        recipient=user,
        subject_key=f"survey:{participant.pk}",
        due_on=timezone.localdate() - datetime.timedelta(days=2),
        defaults={"program": program, "sent_at": timezone.now()},
    )
    if reminder.message_id is not None:
        return
    reminder.message = OutboxMessage.objects.create(
        to=user.email,
        subject="[Mentorship] Your survey for the program",
        text="Please fill in your survey.",
        message_id=f"<demo-undelivered-{reminder.pk}@example.org>",
        status=OutboxMessage.Status.FAILED,
        attempts=8,
        last_error="SMTPRecipientsRefused: 452 mailbox full",
    )
    reminder.save(update_fields=["message"])


def _reminded_by_hand(program: Program, coordinator: User) -> None:
    """Two members missing their survey were reminded three days ago: the survey page and
    Coordinate → "Surveys missing" show "reminded on", and "Remind everyone missing a
    survey" ticks them again (a new day); the others show "not reminded yet"."""
    if Reminder.objects.filter(program=program, kind="survey_due", sent_by__isnull=False).exists():
        return
    sent = timezone.now() - datetime.timedelta(days=3)
    missing = (
        program.participants.exclude(survey__status="submitted")
        .select_related("user")
        .order_by("user__name")[:2]
    )
    for participant in missing:
        Reminder.objects.create(
            kind="survey_due",
            recipient=participant.user,
            program=program,
            subject_key=f"survey:{participant.pk}",
            due_on=timezone.localdate(sent),
            sent_at=sent,
            sent_by=coordinator,
        )


def _phases_and_measures(program: Program) -> None:
    if program.format == Program.Format.CIRCLE:
        return
    half = program.starts_on + (program.ends_on - program.starts_on) / 2
    spans = [(program.starts_on, half), (half + datetime.timedelta(days=1), program.ends_on)]
    for order, ((name, description, lost_time), (start, end)) in enumerate(
        zip(PHASES, spans, strict=True)
    ):
        Phase.objects.update_or_create(
            program=program,
            name=name,
            defaults={
                "description": description,
                "lost_time": lost_time,
                "order": order,
                "starts_on": start,
                "ends_on": end,
            },
        )
    for order, label in enumerate(SUCCESS_MEASURES):
        SuccessMeasure.objects.update_or_create(
            program=program, label=label, defaults={"order": order}
        )


def _applications(program: Program, *, mentor: User) -> None:
    """About twenty applications in every state, with optional demographics."""
    now = timezone.now()
    for number, row in enumerate(APPLICANTS):
        name, handle, role, status, local, experience, gender, races = row
        user = ensure_member(f"{handle}@example.org", name)
        if gender or races:
            Profile.objects.get_or_create(
                user=user,
                defaults={"gender": gender, "race_ethnicity": races, "local_union": local},
            )
        essay, goals = ESSAYS[role]
        submitted = (
            None
            if status == Application.Status.DRAFT
            else now - datetime.timedelta(days=20 - number)
        )
        decided = status in Application.DECIDED
        Application.objects.get_or_create(
            program=program,
            applicant=user,
            role=role,
            defaults={
                "status": status,
                "essay": essay,
                "goals": goals if status != Application.Status.DRAFT else "",
                "union_role": "Steward" if role == "mentor" else "Member",
                "local_unit": local,
                "experience": experience,
                "availability": ["evenings", "weekends"],
                "preferred_delivery": "either",
                "lost_time_release": "not_sure",
                "submitted_at": submitted,
                "privacy_consent_at": submitted,
                "decided_at": submitted + datetime.timedelta(days=3) if decided else None,
                "decision_note": "Welcome to the program!"
                if status == Application.Status.ACCEPTED
                else "",
            },
        )
        if status == Application.Status.ACCEPTED:
            Participant.objects.get_or_create(program=program, user=user, defaults={"role": role})
    # The demo member has been nominated but has not applied yet: the demo shows how.
    Nomination.objects.get_or_create(
        program=program,
        nominator=mentor,
        nominee_email="member@example.org",
        defaults={
            "nominee_name": "Sam Kowalski",
            "role": Participant.Role.MENTEE,
            "reason": "Sam speaks up for co-workers at every shift meeting; a future steward.",
        },
    )
    Nomination.objects.get_or_create(
        program=program,
        nominator=mentor,
        nominee_email="aisha.mohamed@example.org",
        defaults={
            "nominee_name": "Aisha Mohamed",
            "role": Participant.Role.MENTEE,
            "reason": "Aisha organized the petition on night-shift scheduling.",
        },
    )


# (e-mail, phone, region, languages, gender, race/ethnicity) for the running program's people.
PROFILES = {
    "mentor@example.org": (
        "604-555-0101",
        "Lower Mainland",
        ["Spanish"],
        "woman",
        ["latin_american"],
    ),
    "harjit.sandhu@example.org": (
        "604-555-0102",
        "Lower Mainland",
        ["Punjabi", "Hindi"],
        "man",
        ["south_asian"],
    ),
    "louise.gagnon@example.org": ("250-555-0103", "Prince George", ["French"], "woman", ["white"]),
    "dwayne.clarke@example.org": ("250-555-0104", "Kamloops", [], "man", ["black"]),
    "mei.lin.chen@example.org": (
        "604-555-0105",
        "Lower Mainland",
        ["Mandarin", "Cantonese"],
        "woman",
        ["east_asian"],
    ),
    "patrick.obrien@example.org": ("250-555-0106", "Kamloops", [], "prefer_not", []),
    "mentee@example.org": ("604-555-0107", "Lower Mainland", ["Igbo"], "man", ["black"]),
    "amira.haddad@example.org": (
        "604-555-0108",
        "Lower Mainland",
        ["Arabic", "French"],
        "woman",
        ["middle_eastern"],
    ),
    "kevin.bouchard@example.org": ("250-555-0109", "Prince George", ["French"], "man", ["white"]),
    "tanya.whitehorse@example.org": (
        "250-555-0110",
        "Prince George",
        ["Cree"],
        "two_spirit",
        ["indigenous"],
    ),
    "luis.ramirez@example.org": (
        "604-555-0111",
        "Lower Mainland",
        ["Spanish"],
        "man",
        ["latin_american"],
    ),
    "priya.natarajan@example.org": (
        "604-555-0112",
        "Lower Mainland",
        ["Tamil"],
        "woman",
        ["south_asian"],
    ),
    "chloe.martin@example.org": ("250-555-0113", "Kamloops", ["French"], "", []),
    "marcus.greene@example.org": ("250-555-0114", "Prince George", [], "man", ["black", "white"]),
}
# Survey state per e-mail; anyone not listed has not started.
SURVEY_STATES = {
    "mentor@example.org": "submitted",
    "harjit.sandhu@example.org": "submitted",
    "louise.gagnon@example.org": "submitted",
    "dwayne.clarke@example.org": "draft",
    "mei.lin.chen@example.org": "submitted",
    "mentee@example.org": "submitted",
    "amira.haddad@example.org": "submitted",
    "kevin.bouchard@example.org": "reopened",
    "tanya.whitehorse@example.org": "submitted",
    "luis.ramirez@example.org": "draft",
    "priya.natarajan@example.org": "submitted",
}
SAMPLE_ANSWERS = {
    "expectations": "To understand how our local works and to build the confidence to speak up.",
    "working_toward": "I attend every membership meeting and sit on the safety committee.",
    "strengths": "I listen, I stay calm, and co-workers trust me.",
    "professional_goals": "Short term: become a steward. Long term: run for the executive.",
    "hope_to_learn": "How to handle a grievance and how to chair a meeting; reading the agreement.",
    "current_position": "Chief steward in my unit and member of the bargaining committee.",
    "career_path": "Twenty years on the shop floor, steward for twelve, two rounds of bargaining.",
    "mentored_before": "Informally, with new stewards in my unit for about five years.",
    "knowledge_skills": "Grievances, arbitration preparation, running meetings, organizing drives.",
    "support_needed": "A short training on coaching, and time release for the practical part.",
}


def _profiles_and_surveys(program: Program) -> None:
    for email, (phone, region, languages, gender, races) in PROFILES.items():
        user = User.objects.get(email=email)
        Profile.objects.get_or_create(
            user=user,
            defaults={
                "phone": phone,
                "region": region,
                "languages": languages,
                "local_union": "Local 2009",
                "union_role": "Steward"
                if email in dict.fromkeys(m[0] for m in MENTORS)
                else "Member",
                "gender": gender,
                "race_ethnicity": races,
            },
        )
    now = timezone.now()
    for participant in program.participants.select_related("user"):
        state = SURVEY_STATES.get(participant.user.email)
        if state is None:
            continue
        questions = questions_for(participant.role)
        answers = {q.key: SAMPLE_ANSWERS.get(q.key, "") for q in questions}
        if state == "draft":
            answers = dict(list(answers.items())[:2])
        Survey.objects.get_or_create(
            participant=participant,
            defaults={
                "answers": answers,
                "status": "draft" if state in ("draft", "reopened") else "submitted",
                "submitted_at": now - datetime.timedelta(days=100) if state != "draft" else None,
                "reopened_at": now - datetime.timedelta(days=2) if state == "reopened" else None,
            },
        )


def _matches(program: Program) -> None:
    """The demo mentor and mentee are matched, so each can read the other's survey."""
    pairs = [
        ("mentee@example.org", "mentor@example.org"),
        ("amira.haddad@example.org", "louise.gagnon@example.org"),
        ("tanya.whitehorse@example.org", "harjit.sandhu@example.org"),
        ("priya.natarajan@example.org", "mei.lin.chen@example.org"),
    ]
    started = timezone.now() - datetime.timedelta(days=110)
    for mentee_email, mentor_email in pairs:
        mentee = program.participants.get(user__email=mentee_email)
        mentor = program.participants.get(user__email=mentor_email)
        Match.objects.get_or_create(
            program=program,
            mentee=mentee,
            mentor=mentor,
            defaults={"status": Match.Status.ACTIVE, "started_at": started},
        )


# --- The activity log: what the demo's coordinators did, as the middleware records it -------
# seed_demo writes through models outside any request, so the entries a coordinator's
# clicks would have left are appended here through the same recording function.


def _change(label: str, operation: str, *names: str) -> dict:
    model = apps.get_model(label)
    for name in names:
        model._meta.get_field(name)  # a renamed field fails the demo, not the page
    return {"model": label, "operation": operation, "fields": list(names)}


def _activity(programs: dict[str, Program], coordinator: User) -> None:
    """A few weeks of the demo coordinator's decisions; added once, never twice."""
    if ActivityEntry.objects.filter(program__in=programs.values()).exists():
        return
    now = timezone.now()
    opening, running = programs["2027-mentorship"], programs["2026-mentorship"]
    decided = list(
        opening.applications.exclude(
            status__in=[
                Application.Status.DRAFT,
                Application.Status.SUBMITTED,
                Application.Status.WITHDRAWN,
            ]
        ).order_by("pk")
    )
    first_match = running.matches.order_by("pk").first()
    reminded = running.participants.filter(role="mentee").order_by("pk").last()
    decision = [
        _change(
            "intake.application", "changed", "status", "decision_note", "decided_by", "decided_at"
        ),
    ]
    steps = [
        (
            40,
            opening,
            "programs:create",
            {},
            [
                _change("programs.program", "created", "name", "slug", "year", "status"),
                _change("programs.phase", "created", "program", "name", "starts_on", "ends_on"),
                _change("programs.program_coordinators", "created", "program", "user"),
            ],
        ),
        (
            38,
            opening,
            "programs:edit",
            {"slug": opening.slug},
            [
                _change("programs.program", "changed", "applications_close_on", "target_mentees"),
            ],
        ),
        (
            37,
            opening,
            "programs:change_status",
            {"slug": opening.slug},
            [
                _change("programs.program", "changed", "status"),
            ],
        ),
        (
            30,
            opening,
            "reminders:settings",
            {"slug": opening.slug},
            [
                _change(
                    "reminders.remindersettings",
                    "created",
                    "application_closing_days",
                    "survey_after_days",
                    "updated_by",
                    "updated_at",
                ),
            ],
        ),
        *(
            (
                12 - i,
                opening,
                "intake:decide",
                {"slug": opening.slug, "pk": a.pk},
                decision
                + (
                    [_change("programs.participant", "created", "program", "user", "role")]
                    if a.status == Application.Status.ACCEPTED
                    else []
                ),
            )
            for i, a in enumerate(decided[:6])
        ),
        (
            120,
            running,
            "matching:run",
            {"slug": running.slug},
            [
                _change("matching.match", "created", "program", "mentee", "mentor", "score"),
            ],
        ),
        (
            118,
            running,
            "matching:lock",
            {"slug": running.slug, "pk": first_match.pk},
            [
                _change("matching.match", "changed", "locked"),
            ],
        ),
        (
            111,
            running,
            "matching:publish",
            {"slug": running.slug},
            [
                _change("matching.match", "changed", "status", "started_at"),
            ],
        ),
        (
            100,
            running,
            "sessions:orientation_edit",
            {"slug": running.slug},
            [
                _change("mentoring_sessions.orientation", "created", "starts_at", "location"),
            ],
        ),
        (
            9,
            running,
            "reminders:send_survey",
            {"slug": running.slug, "participant_id": reminded.pk},
            [
                _change("reminders.reminder", "created", "kind", "recipient", "program", "due_on"),
                _change("reminders.reminder", "changed", "sent_at", "skipped"),
            ],
        ),
    ]
    # Before Marie, a coordinator who has since left the union set the program up.
    record_activity(
        actor_id=None,
        program_id=running.pk,
        action="programs:edit",
        target={"slug": running.slug},
        changes=[_change("programs.program", "changed", "starts_on", "ends_on")],
        at=now - datetime.timedelta(days=200),
    )
    for days_ago, program, action, target, changes in steps:
        record_activity(
            actor_id=coordinator.pk,
            program_id=program.pk,
            action=action,
            target=target,
            changes=changes,
            at=now - datetime.timedelta(days=days_ago, hours=days_ago % 7),
        )
