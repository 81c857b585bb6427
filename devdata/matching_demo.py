"""Demo data for the mentor database (the demo mentors' profiles and about 24 more
mentors) and for matching (a program in matching with proposals ready to publish).

Idempotent: members are looked up by e-mail and only what is missing is created, so a
second run changes nothing. Called from `devdata.demo.seed`.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts.models import Profile, User
from devdata.people import ensure_member
from matching.models import Exclusion, MatchingProfile, MentorProfile, Preference
from matching.services import matching_run, mentor_profile_save
from programs.models import Participant, Program


@dataclass(frozen=True)
class DemoMentor:
    email: str
    name: str
    languages: list[str]
    region: str
    local_union: str
    background: str
    interests: str
    experience: str
    skills: list[str]
    qualifications: str = ""
    internal: bool = True
    capacity: int = 1
    availability: list[str] = field(default_factory=lambda: ["evenings"])
    available: bool = True
    # Last said to be current this many days ago; over 365 is due for the yearly refresh.
    confirmed_days_ago: int = 0
    account_language: str = "en"
    # May coordinators of other programs find them? None: never answered (counts as no).
    findable: bool | None = True


RETIRED = "Retired member"

# The mentors of `devdata.demo.MENTORS`: they get a profile if they exist.
DEMO_MENTORS = [
    DemoMentor(
        "mentor@example.org",
        "Rosa Delgado",
        ["Spanish"],
        "Lower Mainland",
        "Local 2009 Unit 4",
        "Lab technician at the Burnaby plant; chief steward of Unit 4 since 2016.",
        "Bringing newer and younger members into the union's work; women in leadership.",
        "Chief steward for eight years, bargaining committee in 2019 and 2023; mentored "
        "three stewards informally before the program started.",
        ["grievances", "bargaining", "equity"],
        "Steward training levels 1 to 3; labour studies certificate.",
        capacity=2,
        availability=["evenings", "weekends"],
    ),
    DemoMentor(
        "harjit.sandhu@example.org",
        "Harjit Sandhu",
        ["Punjabi", "Hindi"],
        "Lower Mainland",
        "Local 2009 Unit 1",
        "Warehouse lead hand at the Delta distribution centre; unit chair.",
        "Contract language that members can actually use; organizing the new warehouse.",
        "Unit chair for six years; took four grievances to arbitration; bargaining "
        "committee twice.",
        ["bargaining", "contract_enforcement", "grievances"],
        "Arbitration advocacy course.",
        capacity=3,
        availability=["evenings", "daytime_lost_time"],
    ),
    DemoMentor(
        "louise.gagnon@example.org",
        "Louise Gagnon",
        ["French"],
        "Prince George",
        "Local 2009 Unit 12",
        "Instrument mechanic at the pulp mill; worker co-chair of the joint health and "
        "safety committee.",
        "Young workers' safety; the right to refuse unsafe work.",
        "Ten years on the joint committee; led two serious-incident investigations; "
        "helped members with WorkSafeBC claims.",
        ["health_safety", "workers_compensation"],
        "OH&S committee certification; WorkSafeBC claims advocacy training.",
        capacity=2,
        account_language="fr",
    ),
    DemoMentor(
        "dwayne.clarke@example.org",
        "Dwayne Clarke",
        [],
        "Prince George",
        "Local 2009 Unit 12",
        "Heavy-duty mechanic; Unit 12 vice-chair and trainer of new stewards.",
        "Running meetings people want to come to; steward circles.",
        "Leads the stewards' mentoring circle; chaired unit meetings for five years.",
        ["meetings", "grievances", "member_education"],
        "Facilitator training from the provincial federation.",
        capacity=4,
        availability=["evenings", "weekends"],
    ),
    DemoMentor(
        "mei.lin.chen@example.org",
        "Mei-Lin Chen",
        ["Mandarin", "Cantonese"],
        "Lower Mainland",
        "Local 1944",
        "Payroll clerk; treasurer of the local for two terms.",
        "Making the local's finances understandable for every member.",
        "Local treasurer since 2020; trustee before that; prepared three annual budgets.",
        ["finances", "communications"],
        "Union treasurers' course.",
        capacity=1,
    ),
    DemoMentor(
        "patrick.obrien@example.org",
        "Patrick O'Brien",
        [],
        "Kamloops",
        "Local 2009 Unit 4",
        "Electrician at the Kamloops mine; political action committee chair.",
        "Getting members to vote and to run for office.",
        "Ran the local's campaign in two provincial elections; canvass captain.",
        ["political_action", "organizing"],
        capacity=2,
        availability=["weekends"],
        confirmed_days_ago=520,
    ),
]

NEW_MENTORS = [
    DemoMentor(
        "gurpreet.dhillon@example.org",
        "Gurpreet Dhillon",
        ["Punjabi", "Hindi"],
        "Lower Mainland",
        "Local 2009 Unit 1",
        "Forklift operator on nights; steward for the night shift.",
        "Night-shift members, who miss most union meetings.",
        "Steward for five years; handled scheduling grievances for the whole night shift.",
        ["grievances", "contract_enforcement", "equity"],
        "Steward training levels 1 and 2.",
        capacity=2,
        availability=["weekends"],
    ),
    DemoMentor(
        "nathalie.belanger@example.org",
        "Nathalie Bélanger",
        ["French"],
        "Prince George",
        "Local 2009 Unit 12",
        "Accounts clerk at the mill office; recording secretary of the unit.",
        "Budgets, minutes and the unglamorous work that keeps a unit running.",
        "Recording secretary for four years; sat on the bargaining committee in 2022.",
        ["bargaining", "finances"],
        capacity=3,
        account_language="fr",
    ),
    DemoMentor(
        "kwame.asante@example.org",
        "Kwame Asante",
        ["Twi"],
        "Kamloops",
        "Local 2009 Unit 4",
        "Process operator; organizer on loan to the district for two campaigns.",
        "First contracts; talking with workers who have never had a union.",
        "Two organizing drives, one certified; member of the political action committee.",
        ["organizing", "political_action", "communications"],
        "District organizing school.",
        capacity=2,
        availability=["evenings", "weekends"],
    ),
    DemoMentor(
        "dana.littlechild@example.org",
        "Dana Littlechild",
        ["Cree"],
        "Prince George",
        "Local 2009 Unit 12",
        "Millwright apprentice turned journeyperson; Indigenous workers' committee chair.",
        "Indigenous members' path into union leadership.",
        "Chairs the Indigenous workers' committee; built the unit's first member education "
        "day on reconciliation.",
        ["equity", "member_education", "health_safety"],
        capacity=2,
    ),
    DemoMentor(
        "jeanfrancois.roy@example.org",
        "Jean-François Roy",
        ["French"],
        "Kootenays",
        RETIRED,
        "Retired after 32 years at the smelter; former local president.",
        "Passing on what bargaining taught him before it is forgotten.",
        "Local president for nine years; chief negotiator for four agreements.",
        ["bargaining", "labour_law"],
        internal=False,
        capacity=1,
        availability=["daytime_lost_time", "evenings"],
        account_language="fr",
    ),
    DemoMentor(
        "maria.santos@example.org",
        "Maria Santos",
        ["Portuguese", "Spanish"],
        "Lower Mainland",
        "Local 1944",
        "Care aide; health and safety representative for her site.",
        "Injury prevention and return-to-work for members who do physical work.",
        "Safety rep for six years; helped members with dozens of claims.",
        ["health_safety", "workers_compensation"],
        "OH&S committee certification.",
        capacity=2,
        availability=["weekends"],
    ),
    DemoMentor(
        "greg.nowak@example.org",
        "Greg Nowak",
        ["Polish"],
        "Okanagan",
        "Local 2009 Unit 4",
        "Shipper-receiver; unit treasurer and chair of the finance committee.",
        "Clear budgets and well-run meetings.",
        "Treasurer for three years; chaired the unit's general meetings during a strike vote.",
        ["finances", "meetings"],
        capacity=1,
    ),
    DemoMentor(
        "aaliyah.bakr@example.org",
        "Aaliyah Bakr",
        ["Arabic"],
        "Lower Mainland",
        "Local 1944",
        "Customer service representative; communications committee chair.",
        "Newsletters and social media members read; welcoming newcomers to Canada.",
        "Rebuilt the local's newsletter; organized the member survey before bargaining.",
        ["communications", "organizing", "equity"],
        capacity=2,
        availability=["evenings", "weekends"],
    ),
    DemoMentor(
        "ray.thompson@example.org",
        "Ray Thompson",
        [],
        "Vancouver Island",
        RETIRED,
        "Retired pipefitter; steward and workers' compensation advocate for 25 years.",
        "Claims and appeals; how to read the collective agreement.",
        "Represented members at hundreds of claims and appeals; chief steward for ten years.",
        ["grievances", "workers_compensation", "labour_law"],
        internal=False,
        capacity=1,
        availability=["daytime_lost_time"],
        confirmed_days_ago=610,
    ),
    DemoMentor(
        "linh.tran@example.org",
        "Linh Tran",
        ["Vietnamese"],
        "Lower Mainland",
        "Local 2009 Unit 1",
        "Quality inspector; member education coordinator for the unit.",
        "Plain-language training for members new to the union.",
        "Runs the new-member orientation; co-taught the steward level 1 course.",
        ["member_education", "communications"],
        "Adult education certificate.",
        capacity=3,
        availability=["evenings", "weekends"],
    ),
    DemoMentor(
        "colleen.macdonald@example.org",
        "Colleen MacDonald",
        [],
        "Northern BC",
        "Local 2009 Unit 12",
        "Camp cook at a remote site; safety rep for the camp crew.",
        "Safety and meetings for members who work fly-in, fly-out.",
        "Organized the camp's first safety committee; chairs crew meetings.",
        ["health_safety", "meetings"],
        capacity=1,
        availability=["daytime_lost_time"],
        confirmed_days_ago=450,
    ),
    DemoMentor(
        "ravi.krishnan@example.org",
        "Ravi Krishnan",
        ["Tamil"],
        "Lower Mainland",
        "Local 1944",
        "Accountant in the employer's finance office; bargaining researcher.",
        "Costing proposals; reading the employer's financial statements.",
        "Costed the last two rounds of bargaining; trustee of the local.",
        ["finances", "bargaining"],
        "Chartered professional accountant.",
        capacity=2,
    ),
    DemoMentor(
        "sophie.lavoie@example.org",
        "Sophie Lavoie",
        ["French"],
        "Kamloops",
        "Local 2009 Unit 4",
        "Haul truck driver; women's committee chair.",
        "Women in the trades; running for office.",
        "Ran for unit vice-chair; led the get-out-the-vote drive in 2024.",
        ["political_action", "organizing"],
        capacity=2,
        availability=["weekends"],
        account_language="fr",
    ),
    DemoMentor(
        "daniel.yellowhorn@example.org",
        "Daniel Yellowhorn",
        ["Blackfoot"],
        "Kootenays",
        "Local 2009 Unit 4",
        "Millwright; human rights committee member.",
        "Anti-racism training; making the union a place where everyone belongs.",
        "Co-facilitates the local's human rights course; sits on the equity committee.",
        ["equity", "member_education"],
        capacity=1,
        availability=["evenings"],
    ),
    DemoMentor(
        "ana.ferreira@example.org",
        "Ana Ferreira",
        ["Portuguese"],
        "Vancouver Island",
        "Local 2009 Unit 1",
        "Sawfiler; chief steward on the Island.",
        "Contract enforcement on the shop floor.",
        "Chief steward for seven years; won the seniority arbitration of 2021.",
        ["contract_enforcement", "grievances"],
        capacity=2,
        available=False,
    ),
    DemoMentor(
        "mohammed.rahimi@example.org",
        "Mohammed Rahimi",
        ["Farsi", "Dari"],
        "Lower Mainland",
        "Local 1944",
        "Maintenance worker; health and safety rep and organizer.",
        "Safety for workers whose first language is not English.",
        "Translated the safety orientation into Farsi; organized the cleaners' unit.",
        ["organizing", "health_safety"],
        capacity=2,
        availability=["evenings", "weekends"],
    ),
    DemoMentor(
        "grace.liu@example.org",
        "Grace Liu",
        ["Cantonese", "Mandarin"],
        "Lower Mainland",
        "Local 2009 Unit 1",
        "Office administrator; editor of the local's website.",
        "Explaining the union's finances and decisions to members.",
        "Communications committee for five years; trustee for two.",
        ["communications", "finances"],
        capacity=1,
    ),
    DemoMentor(
        "pierre.ouellet@example.org",
        "Pierre Ouellet",
        ["French"],
        "Lower Mainland",
        "Provincial federation of labour (education staff)",
        "Education officer at the provincial federation of labour.",
        "Labour law for stewards; adult education.",
        "Has taught the steward and labour law courses across the province for 12 years.",
        ["member_education", "labour_law"],
        "Labour relations diploma.",
        internal=False,
        capacity=3,
        availability=["daytime_lost_time", "evenings"],
        account_language="fr",
    ),
    DemoMentor(
        "joanne.fraser@example.org",
        "Joanne Fraser",
        [],
        "Prince George",
        "Local 2009 Unit 12",
        "Electrician; unit chair of Unit 12.",
        "Building a bench of stewards who can take over.",
        "Unit chair for four years; steward for ten; bargaining committee three times.",
        ["grievances", "meetings", "bargaining"],
        "Steward training levels 1 to 3.",
        capacity=4,
        availability=["evenings", "weekends"],
    ),
    DemoMentor(
        "emmanuel.okonkwo@example.org",
        "Emmanuel Okonkwo",
        ["Igbo", "French"],
        "Okanagan",
        "Local 2009 Unit 4",
        "Process operator; workers' compensation advocate for the unit.",
        "Return-to-work and accommodation.",
        "Advocate on 40 claims; sits on the joint health and safety committee.",
        ["workers_compensation", "health_safety"],
        capacity=2,
        confirmed_days_ago=400,
    ),
    DemoMentor(
        "carmen.ortiz@example.org",
        "Carmen Ortiz",
        ["Spanish"],
        "Kamloops",
        "Local 2009 Unit 4",
        "Lab analyst; equity committee chair.",
        "Pay equity; political action on childcare.",
        "Led the local's childcare campaign; equity committee chair for three years.",
        ["equity", "political_action"],
        capacity=2,
        availability=["evenings"],
    ),
    DemoMentor(
        "hiroshi.tanaka@example.org",
        "Hiroshi Tanaka",
        ["Japanese"],
        "Vancouver Island",
        RETIRED,
        "Retired planer mill supervisor turned union treasurer.",
        "Sound finances for small locals.",
        "Local treasurer for 15 years; taught the treasurers' course.",
        ["finances", "bargaining"],
        internal=False,
        capacity=1,
        availability=["daytime_lost_time"],
        available=False,
    ),
    DemoMentor(
        "brenda.gladue@example.org",
        "Brenda Gladue",
        ["Cree"],
        "Northern BC",
        "Local 2009 Unit 12",
        "Heavy equipment operator; member education committee.",
        "Mentoring members in remote camps by video.",
        "Organized the northern members' video meetings; runs the education committee.",
        ["member_education", "organizing"],
        capacity=2,
        availability=["evenings", "weekends"],
    ),
    DemoMentor(
        "arjun.mehta@example.org",
        "Arjun Mehta",
        ["Gujarati", "Hindi"],
        "Lower Mainland",
        "Local 1944",
        "Paralegal in the employer's HR department; steward.",
        "Labour law and the duty of fair representation.",
        "Steward for four years; prepared the local's arbitration briefs.",
        ["labour_law", "contract_enforcement"],
        "Paralegal certificate.",
        capacity=1,
        availability=["evenings"],
    ),
]


# Mentors who did not say yes to other programs' coordinators: the demo coordinator finds
# them only where they take part in the coordinator's programs (matching/selectors.py).
UNFINDABLE: dict[str, bool | None] = {
    "ray.thompson@example.org": False,
    "grace.liu@example.org": False,
    "hiroshi.tanaka@example.org": None,
    "brenda.gladue@example.org": None,
}


def _ensure_mentor_profile(user: User, spec: DemoMentor) -> None:
    Profile.objects.get_or_create(
        user=user,
        defaults={
            "languages": spec.languages,
            "region": spec.region,
            "local_union": spec.local_union,
        },
    )
    if MentorProfile.objects.filter(user=user).exists():
        return
    mentor_profile = mentor_profile_save(
        user=user,
        data={
            "background": spec.background,
            "interests": spec.interests,
            "experience": spec.experience,
            "qualifications": spec.qualifications,
            "skills": spec.skills,
            "internal": spec.internal,
            "capacity": spec.capacity,
            "availability": spec.availability,
            "available": spec.available,
            "findable_by_other_programs": UNFINDABLE.get(spec.email, spec.findable),
        },
    )
    if spec.confirmed_days_ago:
        # Saving confirms the profile: back-date it to show the yearly refresh.
        when = timezone.now() - datetime.timedelta(days=spec.confirmed_days_ago)
        MentorProfile.objects.filter(pk=mentor_profile.pk).update(
            confirmed_at=when, updated_at=when
        )


@transaction.atomic
def seed_mentor_profiles() -> None:
    for spec in DEMO_MENTORS:
        user = User.objects.filter(email=spec.email).first()
        if user is not None:
            _ensure_mentor_profile(user, spec)
    for spec in NEW_MENTORS:
        user = ensure_member(spec.email, spec.name, spec.account_language)
        _ensure_mentor_profile(user, spec)


# --- A program in matching, with proposals ready to publish --------------------------------

FALL_COHORT_SLUG = "2026-fall-cohort"
FALL_COORDINATOR = ("coordinator@example.org", "Marie Tremblay")

FALL_MENTORS = [
    DemoMentor(
        "yvonne.charles@example.org",
        "Yvonne Charles",
        ["French"],
        "Kamloops",
        "Local 2009 Unit 4",
        "Lead hand in the maintenance shop; chief steward of Unit 4.",
        "Grievances that get settled before they need arbitration.",
        "Chief steward for six years; handled over a hundred grievances.",
        ["grievances", "contract_enforcement", "bargaining"],
        "Steward training levels 1 to 3.",
        capacity=3,
        availability=["evenings", "weekends"],
    ),
    DemoMentor(
        "tomas.herrera@example.org",
        "Tomás Herrera",
        ["Spanish"],
        "Lower Mainland",
        "Local 1944",
        "Warehouse worker; organizer on the district's campaigns.",
        "Organizing drives and getting out the vote.",
        "Three organizing drives; political action committee chair.",
        ["organizing", "political_action", "meetings"],
        capacity=2,
        availability=["evenings"],
    ),
    DemoMentor(
        "beatrice.okoro@example.org",
        "Béatrice Okoro",
        ["French", "Yoruba"],
        "Prince George",
        "Local 2009 Unit 12",
        "Pulp mill operator; worker co-chair of the joint health and safety committee.",
        "Safe workplaces and return-to-work for injured members.",
        "Safety committee for eight years; advocate on workers' compensation claims.",
        ["health_safety", "workers_compensation", "grievances"],
        capacity=2,
        availability=["weekends"],
        account_language="fr",
    ),
    DemoMentor(
        "glen.mackenzie@example.org",
        "Glen MacKenzie",
        [],
        "Vancouver Island",
        RETIRED,
        "Retired sawmill electrician; former local vice-president.",
        "Labour law for stewards who face the employer's lawyers.",
        "Vice-president for six years; prepared arbitration cases for the local.",
        ["labour_law", "grievances", "bargaining"],
        internal=False,
        capacity=1,
        availability=["daytime_lost_time"],
    ),
    DemoMentor(
        "anita.sharma@example.org",
        "Anita Sharma",
        ["Punjabi", "Hindi"],
        "Lower Mainland",
        "Local 2009 Unit 1",
        "Payroll clerk; equity committee chair and newsletter editor.",
        "Equity, and telling members what the union does for them.",
        "Equity committee chair for four years; edits the unit newsletter.",
        ["equity", "communications", "member_education"],
        capacity=2,
        availability=["evenings", "weekends"],
    ),
]
# Only to meet a mentee's wish for a woman mentor: never shown.
FALL_WOMEN_MENTORS = {
    "yvonne.charles@example.org",
    "beatrice.okoro@example.org",
    "anita.sharma@example.org",
}


@dataclass(frozen=True)
class DemoMentee:
    email: str
    name: str
    languages: list[str]
    region: str
    local_union: str
    goals: list[str]
    account_language: str = "en"
    preferences: dict[str, str] = field(default_factory=dict)  # kind → "nice" or "must"
    ranked: list[str] = field(default_factory=list)  # mentors' e-mails, first choice first
    priority: bool = False


FALL_MENTEES = [
    DemoMentee(
        "olivia.grant@example.org",
        "Olivia Grant",
        [],
        "Kamloops",
        "Local 2009 Unit 4",
        ["grievances", "contract_enforcement"],
        preferences={"woman_mentor": "must"},
    ),
    DemoMentee(
        "remi.lapointe@example.org",
        "Rémi Lapointe",
        ["French"],
        "Prince George",
        "Local 2009 Unit 12",
        ["health_safety", "grievances"],
        account_language="fr",
        preferences={"shares_language": "nice"},
    ),
    DemoMentee(
        "jasmine.kaur@example.org",
        "Jasmine Kaur",
        ["Punjabi"],
        "Lower Mainland",
        "Local 2009 Unit 1",
        ["equity", "communications"],
        ranked=["anita.sharma@example.org"],
    ),
    DemoMentee(
        "derek.wong@example.org",
        "Derek Wong",
        [],
        "Lower Mainland",
        "Local 1944",
        ["bargaining", "finances"],
    ),
    DemoMentee(
        "maya.redsky@example.org",
        "Maya Redsky",
        ["Cree"],
        "Prince George",
        "Local 2009 Unit 12",
        ["member_education", "equity"],
        priority=True,
    ),
    DemoMentee(
        "joao.pereira@example.org",
        "João Pereira",
        ["Portuguese", "Spanish"],
        "Lower Mainland",
        "Local 1944",
        ["organizing", "political_action"],
        preferences={"shares_language": "nice"},
    ),
    DemoMentee(
        "hannah.fischer@example.org",
        "Hannah Fischer",
        [],
        "Vancouver Island",
        "Local 2009 Unit 1",
        ["workers_compensation", "health_safety"],
    ),
    DemoMentee(
        "samir.haddad@example.org",
        "Samir Haddad",
        ["Arabic", "French"],
        "Kamloops",
        "Local 2009 Unit 4",
        ["labour_law", "grievances"],
        preferences={"internal_mentor": "nice"},
    ),
    DemoMentee(
        "lucy.ng@example.org",
        "Lucy Ng",
        ["Cantonese"],
        "Lower Mainland",
        "Local 2009 Unit 1",
        ["communications", "meetings"],
        preferences={"different_local": "nice"},
        ranked=["tomas.herrera@example.org", "anita.sharma@example.org"],
    ),
    DemoMentee(
        "ethan.moreau@example.org",
        "Ethan Moreau",
        ["French"],
        "Kamloops",
        "Local 2009 Unit 4",
        ["grievances", "bargaining"],
        account_language="fr",
    ),
]
# A mentor's conflict of interest, and a coordinator's call (which the matching page
# offers to lift): (mentor, mentee, why, asked by).
FALL_EXCLUSIONS = [
    (
        "yvonne.charles@example.org",
        "ethan.moreau@example.org",
        "Ethan works on my crew: I am his lead hand.",
        Exclusion.Source.MENTOR,
    ),
    (
        "tomas.herrera@example.org",
        "derek.wong@example.org",
        "Tomás is handling Derek's grievance; revisit once it is settled.",
        Exclusion.Source.COORDINATOR,
    ),
]


def _fall_program(coordinator: User) -> Program:
    starts = timezone.localdate() + datetime.timedelta(days=30)
    program, _created = Program.objects.get_or_create(
        slug=FALL_COHORT_SLUG,
        defaults={
            "name": "2026 Fall Stewards' Cohort",
            "year": 2026,
            "status": Program.Status.MATCHING,
            "format": Program.Format.ONE_TO_ONE,
            "description": (
                "A nine-month cohort for new stewards: one experienced steward or officer as "
                "a mentor, monthly meetings, and a grievance taken from start to finish."
            ),
            "goals": "Every mentee handles a grievance with their mentor's support.",
            "internal_mentors": True,
            "external_mentors": True,
            "starts_on": starts,
            "ends_on": starts + datetime.timedelta(days=270),
            "target_mentees": 10,
            "target_mentors": 5,
        },
    )
    program.coordinators.add(coordinator)
    return program


@transaction.atomic
def seed_matching_demo() -> Program:
    """A program in matching: mentors, mentees, preferences, a conflict of interest, and
    the engine's proposals, ready for the coordinator to adjust and publish."""
    coordinator = ensure_member(*FALL_COORDINATOR)
    program = _fall_program(coordinator)
    mentors: dict[str, Participant] = {}
    for spec in FALL_MENTORS:
        user = ensure_member(spec.email, spec.name, spec.account_language)
        _ensure_mentor_profile(user, spec)
        if spec.email in FALL_WOMEN_MENTORS:
            Profile.objects.filter(user=user, gender="").update(gender=Profile.Gender.WOMAN)
        mentors[spec.email], _ = Participant.objects.get_or_create(
            program=program, user=user, defaults={"role": Participant.Role.MENTOR}
        )
    mentees: dict[str, Participant] = {}
    for spec in FALL_MENTEES:
        user = ensure_member(spec.email, spec.name, spec.account_language)
        Profile.objects.get_or_create(
            user=user,
            defaults={
                "languages": spec.languages,
                "region": spec.region,
                "local_union": spec.local_union,
            },
        )
        mentee, _ = Participant.objects.get_or_create(
            program=program, user=user, defaults={"role": Participant.Role.MENTEE}
        )
        mentees[spec.email] = mentee
        MatchingProfile.objects.get_or_create(
            participant=mentee,
            defaults={"learning_goals": spec.goals, "priority": spec.priority},
        )
        for kind, strength in spec.preferences.items():
            Preference.objects.get_or_create(
                participant=mentee, kind=kind, mentor=None, defaults={"strength": strength}
            )
        for rank, email in enumerate(spec.ranked, start=1):
            Preference.objects.get_or_create(
                participant=mentee,
                kind=Preference.Kind.SPECIFIC_MENTOR,
                mentor=mentors[email],
                defaults={"rank": rank},
            )
    for mentor_email, mentee_email, reason, source in FALL_EXCLUSIONS:
        mentor = mentors[mentor_email]
        Exclusion.objects.get_or_create(
            mentor=mentor,
            mentee=mentees[mentee_email],
            defaults={
                "program": program,
                "source": source,
                "reason": reason,
                "created_by": mentor.user if source == Exclusion.Source.MENTOR else coordinator,
            },
        )
    if not program.matches.exists() and program.status == Program.Status.MATCHING:
        matching_run(program=program, by=coordinator)
    return program
