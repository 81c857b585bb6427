"""Demo data for close-out: a completed 2025 program with feedback, evaluations and outcomes.

`seed_evaluation_demo()` is called by `devdata.demo.seed`. Idempotent: rows are looked up
by natural keys, and the evaluation is seeded only while the program has none. Mentee
evaluations are above the reporting threshold, mentor ones below it, so the report shows
both cases. Two 2025 mentees are mentors in the 2026 program: "mentees who became mentors".
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Profile, User
from devdata.people import ensure_member
from evaluation import services
from evaluation.models import EvaluationWindow, Feedback, LaterRole, Testimonial
from intake.models import Application
from matching.models import Match
from programs.models import Participant, Program, SuccessMeasure

SLUG = "2025-mentorship"
COORDINATOR = ("coordinator@example.org", "Marie Tremblay")
MEASURES = [
    "Participants who worked on a political campaign",
    "Mentees who became stewards",
    "Mentees who ran for a local office",
]

# (e-mail, name, gender, race/ethnicity); None: the member's profile is another demo's.
MENTORS = [
    ("mentor@example.org", "Rosa Delgado", None),
    ("gloria.fernandes@example.org", "Gloria Fernandes", ("woman", ["latin_american"])),
    ("ray.lavoie@example.org", "Ray Lavoie", ("man", ["white"])),
    ("nadine.joseph@example.org", "Nadine Joseph", ("woman", ["black"])),
]
MENTEES = [
    ("dwayne.clarke@example.org", "Dwayne Clarke", None),
    ("mei.lin.chen@example.org", "Mei-Lin Chen", None),
    ("ahmed.yusuf@example.org", "Ahmed Yusuf", ("man", ["middle_eastern"])),
    ("brenda.cardinal@example.org", "Brenda Cardinal", ("woman", ["indigenous"])),
    ("carmen.ortiz@example.org", "Carmen Ortiz", ("woman", ["latin_american"])),
    ("derek.lam@example.org", "Derek Lam", ("man", ["east_asian"])),
    ("elena.petrova@example.org", "Elena Petrova", ("woman", ["white"])),
    ("farah.siddiqui@example.org", "Farah Siddiqui", ("prefer_not", [])),
]
DECLINED = [
    ("gus.henry@example.org", "Gus Henry", ("man", ["white"])),
    ("ivy.nakamura@example.org", "Ivy Nakamura", ("woman", ["east_asian"])),
    ("jon.pelletier@example.org", "Jon Pelletier", ("man", ["white"])),
]
# How each mentee's match ended; each mentor has two mentees, in order.
ENDINGS = [
    "completed",
    "completed",
    "completed",
    "completed",
    "completed",
    "not_a_good_fit",
    "completed",
    "left_program",
]
# (mentee's, mentor's) "what's next" for the completed matches, in order.
NEXT_STEPS = [
    ("informal", "informal"),
    ("complete", "complete"),
    ("informal", "complete"),
    ("complete", "complete"),
    ("informal", "informal"),
    ("complete", "informal"),
]
FEEDBACK = {
    "worked_well": "Meeting after the monthly membership meeting kept us on track.",
    "learned": "How a grievance moves from the first step to arbitration.",
    "did_not_work": "Shift changes made it hard to meet in the spring.",
}
PARTNER_FEEDBACK = {
    "mentee": (
        "You were most effective when you let me take the lead at the step-one meeting.",
        "You could be even more effective if we planned the practical work earlier.",
    ),
    "mentor": (
        "You went from taking notes to presenting a grievance on your own.",
        "I hope you run for steward in your unit next year.",
    ),
}
MENTEE_EVALUATIONS = [
    (
        1,
        "yes",
        ["skills", "confidence", "leadership"],
        "Shadowing a steward; least: the Zoom classes.",
        "More practical work on lost time.",
    ),
    (
        1,
        "yes",
        ["skills", "networks", "confidence"],
        "The bargaining class was the most useful.",
        "Pair mentees from the same shift.",
    ),
    (
        2,
        "yes",
        ["skills", "leadership"],
        "Most useful: the mock arbitration.",
        "Offer child care at the Saturday classes.",
    ),
    (2, "maybe", ["networks"], "Meeting officers from other units.", ""),
    (
        1,
        "yes",
        ["skills", "confidence", "leadership", "performance"],
        "Everything about grievances.",
        "A longer program, twelve months.",
    ),
    (3, "maybe", ["confidence"], "", "Clearer expectations at orientation."),
    (
        2,
        "yes",
        ["skills", "networks", "leadership"],
        "Learning to chair a meeting.",
        "More French-language sessions.",
    ),
]
MENTOR_EVALUATIONS = [
    (
        1,
        "yes",
        ["new_leaders", "diversity", "growth"],
        "yes",
        "The coaching workshop.",
        "Time release for mentors.",
    ),
    (2, "yes", ["collaboration", "new_leaders"], "yes", "The mid-point check-in call.", ""),
    (2, "maybe", ["growth"], "maybe", "", "Fewer forms."),
    (1, "yes", ["new_leaders", "diversity"], "yes", "Meeting other mentors.", "A mentors' circle."),
]
# (e-mail, kind, details, since)
LATER_ROLES = [
    ("dwayne.clarke@example.org", "steward", "Unit 12", datetime.date(2025, 9, 1)),
    ("mei.lin.chen@example.org", "committee", "Women's committee", datetime.date(2025, 6, 1)),
    (
        "ahmed.yusuf@example.org",
        "delegate",
        "Delegate to the labour council",
        datetime.date(2026, 1, 15),
    ),
    ("brenda.cardinal@example.org", "steward", "Unit 4", datetime.date(2025, 10, 1)),
    (
        "carmen.ortiz@example.org",
        "committee",
        "Health and safety committee",
        datetime.date(2025, 11, 1),
    ),
    ("mentor@example.org", "officer", "Recording secretary", datetime.date(2026, 1, 1)),
]
# Per success measure, the mentees who met it (others "no", mentors not recorded).
MEASURE_RESULTS = {
    0: {
        "dwayne.clarke@example.org",
        "ahmed.yusuf@example.org",
        "carmen.ortiz@example.org",
        "elena.petrova@example.org",
    },
    1: {"dwayne.clarke@example.org", "brenda.cardinal@example.org"},
    2: {"mei.lin.chen@example.org"},
}
# (e-mail, text, show name, approved)
TESTIMONIALS = [
    (
        "brenda.cardinal@example.org",
        "A year ago I had never spoken at a union meeting. My mentor sat beside me at my first "
        "grievance meeting; this fall I was elected steward of my unit.",
        True,
        True,
    ),
    (
        "carmen.ortiz@example.org",
        "The program opened doors I did not know were there, and the classes fit around my kids.",
        False,
        True,
    ),
    ("derek.lam@example.org", "Good program; I would like more practical work.", True, False),
]


def _member(email: str, name: str, demographics) -> User:
    user = ensure_member(email, name)
    if demographics:
        gender, races = demographics
        Profile.objects.get_or_create(
            user=user,
            defaults={"gender": gender, "race_ethnicity": races, "local_union": "Local 2009"},
        )
    return user


def _program(coordinator: User) -> Program:
    program, _created = Program.objects.update_or_create(
        slug=SLUG,
        defaults={
            "name": "2025 Mentorship Program",
            "year": 2025,
            "status": Program.Status.CLOSED,
            "description": (
                "Our second cohort, now completed. Part One was group training after work hours "
                "and on Saturdays; Part Two was practical work alongside a mentor."
            ),
            "goals": (
                "Bring new members into union leadership, especially women and members of colour."
            ),
            "applications_open_on": datetime.date(2024, 10, 1),
            "applications_close_on": datetime.date(2024, 11, 30),
            "starts_on": datetime.date(2025, 1, 15),
            "ends_on": datetime.date(2025, 11, 30),
            "target_mentees": 8,
            "target_mentors": 4,
        },
    )
    program.coordinators.add(coordinator)
    for order, label in enumerate(MEASURES):
        SuccessMeasure.objects.update_or_create(
            program=program, label=label, defaults={"order": order}
        )
    return program


def _participants(program: Program) -> tuple[list[Participant], list[Participant]]:
    submitted = timezone.make_aware(datetime.datetime(2024, 11, 15, 12))
    people = {"mentor": MENTORS, "mentee": MENTEES}
    joined: dict[str, list[Participant]] = {"mentor": [], "mentee": []}
    for role, rows in people.items():
        for email, name, demographics in rows:
            user = _member(email, name, demographics)
            _application(program, user, role, Application.Status.ACCEPTED, submitted)
            participant, _created = Participant.objects.get_or_create(
                program=program, user=user, defaults={"role": role}
            )
            joined[role].append(participant)
    for email, name, demographics in DECLINED:
        user = _member(email, name, demographics)
        _application(program, user, "mentee", Application.Status.DECLINED, submitted)
    return joined["mentee"], joined["mentor"]


def _application(program, user, role, status, submitted) -> None:
    Application.objects.get_or_create(
        program=program,
        applicant=user,
        role=role,
        defaults={
            "status": status,
            "essay": "I want to learn how our local works and take on more.",
            "goals": "Become a steward.",
            "union_role": "Member",
            "local_unit": "Local 2009",
            "experience": Application.Experience.SOME,
            "availability": ["evenings"],
            "preferred_delivery": Application.DeliveryPreference.EITHER,
            "lost_time_release": Application.Release.NOT_SURE,
            "submitted_at": submitted,
            "privacy_consent_at": submitted,
            "decided_at": submitted + datetime.timedelta(days=10),
        },
    )


def _matches(program, mentees, mentors) -> list[Match]:
    ended = timezone.make_aware(datetime.datetime(2025, 11, 28, 18))
    matches = []
    for index, (mentee, reason) in enumerate(zip(mentees, ENDINGS, strict=True)):
        match, _created = Match.objects.get_or_create(
            program=program,
            mentee=mentee,
            mentor=mentors[index // 2],
            defaults={
                "status": Match.Status.ENDED,
                "started_at": timezone.make_aware(datetime.datetime(2025, 2, 1, 18)),
                "ended_at": ended
                if reason == "completed"
                else ended - datetime.timedelta(days=150),
                "end_reason": reason,
            },
        )
        matches.append(match)
    return matches


def _feedback(matches: list[Match]) -> None:
    completed = [m for m in matches if m.end_reason == Match.EndReason.COMPLETED]
    for match, (mentee_next, mentor_next) in zip(completed, NEXT_STEPS, strict=True):
        for author, side, next_step in (
            (match.mentee, "mentee", mentee_next),
            (match.mentor, "mentor", mentor_next),
        ):
            so_far, going_forward = PARTNER_FEEDBACK[side]
            data = {
                **FEEDBACK,
                "partner_so_far": so_far,
                "partner_going_forward": going_forward,
                "whats_next": next_step,
            }
            if not Feedback.objects.filter(match=match, author=author).exists():
                services.feedback_save(match=match, author=author, data=data, submit=True)


def _evaluations(program: Program, coordinator: User, mentees, mentors) -> None:
    if EvaluationWindow.objects.filter(program=program).exists():
        return
    services.evaluation_window_open(program=program, by=coordinator)
    keys = ("helpfulness", "recommend", "effects", "useful_aspects", "suggestions")
    for participant, answers in zip(mentees, MENTEE_EVALUATIONS, strict=False):
        services.evaluation_submit(
            participant=participant, answers=dict(zip(keys, answers, strict=True))
        )
    mentor_keys = (
        "helpfulness",
        "recommend",
        "effects",
        "mentor_again",
        "useful_aspects",
        "suggestions",
    )
    for participant, answers in zip(mentors, MENTOR_EVALUATIONS, strict=True):
        services.evaluation_submit(
            participant=participant, answers=dict(zip(mentor_keys, answers, strict=True))
        )
    window = services.evaluation_window_close(program=program, by=coordinator)
    window.opened_at = timezone.make_aware(datetime.datetime(2025, 11, 20, 9))
    window.closed_at = timezone.make_aware(datetime.datetime(2025, 12, 15, 17))
    window.save(update_fields=["opened_at", "closed_at"])


def _outcomes(program: Program, coordinator: User) -> None:
    participants = {p.user.email: p for p in program.participants.select_related("user")}
    for email, kind, title, since in LATER_ROLES:
        LaterRole.objects.get_or_create(
            participant=participants[email],
            kind=kind,
            started_on=since,
            defaults={"title": title, "entered_by": coordinator},
        )
    measures = list(program.success_measures.order_by("order"))
    for email, participant in participants.items():
        if participant.role != Participant.Role.MENTEE:
            continue
        results = {
            measures[index].pk: (email in achieved, "")
            for index, achieved in MEASURE_RESULTS.items()
        }
        services.measure_results_save(participant=participant, by=coordinator, results=results)
    for email, text, show_name, approved in TESTIMONIALS:
        participant = participants[email]
        if Testimonial.objects.filter(participant=participant).exists():
            continue
        testimonial = services.testimonial_save(
            participant=participant, text=text, show_name=show_name, consent=True
        )
        if approved:
            services.testimonial_review(testimonial=testimonial, by=coordinator, approve=True)


@transaction.atomic
def seed_evaluation_demo() -> Program:
    coordinator = _member(*COORDINATOR, None)
    program = _program(coordinator)
    mentees, mentors = _participants(program)
    matches = _matches(program, mentees, mentors)
    _feedback(matches)
    _evaluations(program, coordinator, mentees, mentors)
    _outcomes(program, coordinator)
    return program
