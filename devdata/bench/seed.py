"""A national-size dataset for benchmarking the coordinator dashboard (`manage.py bench_seed`).

At scale 1.0: 5,000 members, 20 programs, 2,000 pairs and 50,000 session records, with
work at every step of the pipeline (applied, accepted, survey done, matched, oriented,
worksheet agreed, meeting regularly, completed, evaluated) and around today's date.

Also the worksheets' goals and a month of meeting reminders (sent, a few skipped).
`build_board()` adds a separate program at the matching stage with 500 mentees (at 1x)
and its own members, for the matching board at its largest.

Scaling: members, pairs and session records are `round(N * scale)` exactly; the other
tables follow from them. Programs stay 20 down to scale 0.25, then shrink to
`round(80 * scale)` with a floor of 7, so that every program status is still present.
Scales below 0.01 are refused (too few members to fill the programs).

The members include `coordinator@bench.example.org`, a coordinator of every bench program
(unusable password: set one with `changepassword`, or use `force_login`), and a few dozen
program coordinators who take part in no program.

Bench data is marked so it can be found and replaced: program slugs start with `bench-`
and member e-mails end with `@bench.example.org`. Everything is written with
`bulk_create`: no `save()`, no signals, no e-mail. A seeded `random.Random(2026)` makes
the data the same on every run, relative to the day it runs.
"""

import datetime
import itertools
import random
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.text import slugify

from accounts.models import Profile, User
from dashboard import funnel
from evaluation.models import (
    Answer,
    EvaluationRequest,
    EvaluationResponse,
    EvaluationWindow,
    Feedback,
)
from evaluation.questions import effects_for
from intake.models import Application
from matching.models import Match, MatchingProfile, MentorProfile, UnionSkill
from programs.models import Participant, Phase, Program
from reminders.models import Reminder
from sessions.appendices import handbook_rows
from sessions.models import (
    ActionItem,
    AgendaItem,
    Goal,
    GroupSession,
    Meeting,
    Orientation,
    SessionRecord,
    Side,
    Worksheet,
)
from surveys.models import Survey
from surveys.questions import questions_for

SLUG_PREFIX = "bench-"
EMAIL_DOMAIN = "@bench.example.org"
COORDINATOR_EMAIL = f"coordinator{EMAIL_DOMAIN}"
SEED = 2026
BATCH = 1000
FINDABLE_MIX = (True, True, True, True, False, None)
MIN_SCALE = 0.01

MEMBERS = 5_000
PAIRS = 2_000
SESSION_RECORDS = 50_000

S = Program.Status
# The first seven cover every status, so a small scale keeps the whole cycle.
STATUS_PLAN = (
    S.RUNNING,
    S.CLOSING,
    S.CLOSED,
    S.OPEN,
    S.SELECTING,
    S.MATCHING,
    S.RUNNING,
    S.CLOSED,
    S.RUNNING,
    S.OPEN,
    S.RUNNING,
    S.CLOSING,
    S.CLOSED,
    S.RUNNING,
    S.SELECTING,
    S.RUNNING,
    S.MATCHING,
    S.OPEN,
    S.CLOSED,
    S.RUNNING,
)
PAIR_STATUSES = (S.RUNNING, S.CLOSING, S.CLOSED)
CIRCLE_PROGRAMS = {7, 12}  # plan positions run as mentoring circles

# Days from today, by status and the program's rank within its status.
RUNNING_STARTS = (-200, -20, -300, -120, -240, -60, -340)
CLOSING_STARTS = (-345, -355)
CLOSING_ENDS = (6, -4)
CLOSED_STARTS = (-480, -430, -520, -400)
OPEN_WINDOWS = ((-20, 14), (-35, 25), (-10, 40))
SELECTING_WINDOWS = ((-75, -10), (-60, -20))
MATCHING_WINDOWS = ((-110, -40), (-95, -30))
MATCHING_STARTS = (10, 21)
NEW_PROGRAM_ORIENTATION_IN = 6  # the newest running program's orientation, days ahead
MATCHING_ORIENTATION_IN = 12  # the first matching program's orientation, days ahead

PLACES = (
    "Burnaby",
    "Kamloops",
    "Prince George",
    "Nanaimo",
    "Kelowna",
    "Surrey",
    "Victoria",
    "Terrace",
    "Cranbrook",
    "Fort St. John",
    "Trail",
    "Powell River",
    "Williams Lake",
    "Quesnel",
    "Vernon",
    "Abbotsford",
    "Campbell River",
    "Port Alberni",
    "Smithers",
    "Penticton",
)
FIRST_NAMES = (
    "Aisha",
    "Amira",
    "Ben",
    "Chloé",
    "Daniel",
    "Dwayne",
    "Fatima",
    "Grace",
    "Hao",
    "Harjit",
    "Isabel",
    "Jamal",
    "Jordan",
    "Karen",
    "Kevin",
    "Louise",
    "Luis",
    "Manpreet",
    "Marcus",
    "Marie",
    "Mei-Lin",
    "Noah",
    "Olivia",
    "Patrick",
    "Priya",
    "Rosa",
    "Samuel",
    "Sam",
    "Tanya",
    "Teresa",
    "Tom",
    "Victor",
    "Wendy",
    "Yusuf",
    "Zoe",
    "Andre",
    "Beatriz",
    "Carmen",
    "Deepa",
    "Emeka",
)
LAST_NAMES = (
    "Mohamed",
    "Tremblay",
    "Sinclair",
    "Zhang",
    "Santos",
    "Wright",
    "Lefebvre",
    "Gill",
    "Bergeron",
    "Thunderchild",
    "Osei",
    "Novak",
    "Nguyen",
    "Park",
    "Ali",
    "Delgado",
    "Sandhu",
    "Gagnon",
    "Clarke",
    "Chen",
    "O'Brien",
    "Okafor",
    "Haddad",
    "Bouchard",
    "Whitehorse",
    "Ramírez",
    "Natarajan",
    "Martin",
    "Greene",
    "Diallo",
    "Kowalczyk",
    "Kowalski",
    "Singh",
    "Dubois",
    "Roy",
    "Morin",
    "Campbell",
    "Stewart",
    "Wilson",
    "Fraser",
)
LOCALS = (
    "Local 2009",
    "Local 1944",
    "Local 2171",
    "Local 480",
    "Local 9705",
    "Local 1-2017",
    "Local 7619",
)
REGIONS = (
    "Lower Mainland",
    "Vancouver Island",
    "Interior",
    "North",
    "Kootenays",
    "Fraser Valley",
)
UNION_ROLES = ("Member", "Shop steward", "Health and safety rep", "Unit chair", "Trustee")
HALL = "Union hall, 3920 Norland Avenue, Burnaby"
VIDEO = "https://video.example.org/j/bench"
CANCEL_REASONS = (
    "Shift change at work; we will find another evening.",
    "Family emergency.",
    "Sick with the flu.",
    "Plant shutdown week.",
    "Snow: the roads were closed.",
)
ACTIONS = (
    "Read the grievance article of the collective agreement",
    "Sit in on a grievance meeting",
    "Speak for two minutes at the membership meeting",
    "Draft a letter to the employer",
    "Send the steward training dates",
    "Ask the chief steward about the bargaining survey",
    "Attend the health and safety committee",
    "Review the draft and send comments",
)
RECORD_TEXT = {
    "update": "Read the articles we discussed and talked to a co-worker about overtime.",
    "checkin": "Went through last time's actions together.",
    "focus": "Structure of a grievance letter and the timelines.",
    "requests_offers": "Asked for a read of the draft; offered to role-play the meeting.",
    "actions_agreements": "See the actions below.",
    "next_logistics": "Same time in two weeks; the mentor calls.",
}
WORKSHEET_TEXT = {
    "roles": "We will both speak plainly and keep what we say between us.",
    "purpose": "Learn to handle grievances from the first step to arbitration.",
    "short_term_goals": "File a first grievance\nSpeak at a membership meeting",
    "long_term_goals": "Run for steward",
    "timeframe": "Nine months, with a check-in half way.",
    "meeting_plan": "Every second Tuesday evening, in person or by video.",
    "contingency_plan": "Text the day before if a shift changes.",
    "informal_interactions": "Coffee after union meetings is welcome.",
    "feedback": "Directly, and always with an example.",
}
FEEDBACK_TEXT = {
    "worked_well": "Regular meetings and honest feedback.",
    "learned": "How a grievance is built and argued.",
    "did_not_work": "Shift changes made some meetings hard to keep.",
    "partner_so_far": "You listened and followed through.",
    "partner_going_forward": "Keep speaking up at meetings.",
}


class BenchSeedError(ValueError):
    """The dataset cannot be built as asked (bench data already there, scale too small)."""


class BenchDataExists(BenchSeedError):
    pass


def bench_programs():
    return Program.objects.filter(slug__startswith=SLUG_PREFIX)


def bench_users():
    return User.objects.filter(email__endswith=EMAIL_DOMAIN)


def bench_data_exists() -> bool:
    return bench_programs().exists() or bench_users().exists()


@transaction.atomic
def delete_bench_data() -> int:
    """Delete bench programs (with all they hold) and bench members; returns rows deleted."""
    programs = bench_programs()
    # The largest tables first, each in one statement, so the cascades have little to collect.
    querysets = (
        ActionItem.objects.filter(match__program__in=programs),
        SessionRecord.objects.filter(meeting__match__program__in=programs),
        Meeting.objects.filter(match__program__in=programs),
        programs,
        bench_users(),
    )
    return sum(queryset.delete()[0] for queryset in querysets)


def deal[T: Hashable](rng: random.Random, n: int, shares: Mapping[T, float]) -> list[T]:
    """`n` labels in the given shares, shuffled; each label at least once when `n` allows.

    Counts rather than a coin per item, so that small scales still have every case.
    """
    keys = list(shares)
    total = sum(shares.values())
    exact = [n * shares[k] / total for k in keys]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(keys)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    if n >= len(keys):
        for i in range(len(keys)):
            if counts[i] == 0:
                counts[max(range(len(keys)), key=counts.__getitem__)] -= 1
                counts[i] = 1
    labels = [key for key, count in zip(keys, counts, strict=True) for _ in range(count)]
    rng.shuffle(labels)
    return labels


def split(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder), summing exactly."""
    weight_sum = sum(weights)
    if not weight_sum:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def program_count(scale: float) -> int:
    return max(7, min(len(STATUS_PLAN), round(80 * scale)))


@dataclass
class PlannedProgram:
    position: int
    rank: int  # among the programs of its status
    status: str
    starts: datetime.date
    ends: datetime.date
    opens: datetime.date
    closes: datetime.date
    pairs: int = 0
    rematches: int = 0
    program: Program | None = None
    coordinator_ids: list[int] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.program.pk

    @property
    def has_pairs(self) -> bool:
        return self.status in PAIR_STATUSES

    @property
    def lost_time_from(self) -> datetime.date:
        """Part Two (practical experience, on lost time) starts three months in."""
        return self.starts + datetime.timedelta(days=90)


@dataclass
class PlannedMatch:
    plan: PlannedProgram
    mentee: Participant
    mentor: Participant
    start: datetime.date
    end: datetime.date | None = None
    reason: str = ""
    rematched: bool = False  # an early ending followed by a new match for the mentee
    match: Match | None = None

    @property
    def active(self) -> bool:
        return self.end is None


class Builder:
    """Builds the dataset step by step; each step bulk-creates one or a few tables."""

    def __init__(self, scale: float, stdout: TextIO | None) -> None:
        self.scale = scale
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.counts: dict[str, Any] = {}
        self.started = time.perf_counter()
        self.plans: list[PlannedProgram] = []
        self.user_ids: list[int] = []
        self.matches: list[PlannedMatch] = []
        self.tables: set[str] = set()  # every table filled
        self.fresh: set[str] = set()  # filled since the planner's statistics were taken

    # --- helpers ------------------------------------------------------------------------

    def day(self, offset: int) -> datetime.date:
        return self.today + datetime.timedelta(days=offset)

    def at(self, day: datetime.date, hour: int = 18, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def past_at(self, day: datetime.date, hour: int = 12) -> datetime.datetime:
        """That day at `hour`, or an hour ago if that is still to come."""
        return min(self.at(day, hour), self.now - datetime.timedelta(hours=1))

    def create(self, label: str, model, objects: list, count: bool = True) -> list:
        created = model.objects.bulk_create(objects, batch_size=BATCH)
        self.tables.add(model._meta.db_table)
        self.fresh.add(model._meta.db_table)
        if count:
            self.counts[label] = self.counts.get(label, 0) + len(created)
        return created

    def say(self, message: str) -> None:
        if self.stdout is not None:
            elapsed = time.perf_counter() - self.started
            self.stdout.write(f"{elapsed:6.1f} s  {message}\n")

    def step(self, make: Callable[[], None]) -> None:
        before = set(self.counts)
        make()
        # Later steps query what this one made: planned as empty tables, one UPDATE of the
        # session records took over ten minutes on PostgreSQL.
        self._analyze(self.fresh)
        self.fresh = set()
        made = [key for key in self.counts if key not in before]
        made_text = ", ".join(f"{key.replace('_', ' ')} {self.counts[key]:,}" for key in made)
        self.say(made_text or (make.__doc__ or make.__name__).splitlines()[0])

    # --- the steps ----------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        with translation.override("en"):
            self.step(self.members)
            self.step(self.programs)
            self.step(self.applications)
            self.step(self.surveys)
            self.step(self.pairs)
            self.step(self.orientations)
            self.step(self.worksheets)
            self.step(self.meetings)
            self.step(self.group_sessions)
            self.step(self.close_out)
            self.step(self.goals_and_reminders)
            self.step(self.backdate)
            self.step(self.funnel)
            self.step(self.analyze)
        self.counts["coordinator_pk"] = self.coordinator.pk
        self.counts["coordinator_email"] = self.coordinator.email
        self.say("done")
        return self.counts

    def analyze(self) -> None:
        """Refresh the planner's statistics of every table filled, after the backdating"""
        self._analyze(self.tables)

    @staticmethod
    def _analyze(tables: Iterable[str]) -> None:
        # After a bulk load the planner may still believe these tables are empty (PostgreSQL
        # keeps reltuples = 0 from an earlier vacuum), and then picks nested loops that take
        # minutes instead of milliseconds. ANALYZE runs inside a transaction on both
        # PostgreSQL and SQLite, and sees this transaction's own rows.
        with connection.cursor() as cursor:
            for table in sorted(tables):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    def members(self) -> None:
        rng = self.rng
        n = round(MEMBERS * self.scale)
        password = make_password(None)  # unusable; hashing once keeps 5,000 rows fast
        users = []
        for i in range(n):
            if i == 0:
                email, name = COORDINATOR_EMAIL, "Bench Coordinator"
            else:
                email = f"member{i:05d}{EMAIL_DOMAIN}"
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            users.append(
                User(
                    email=email,
                    name=name,
                    password=password,
                    language="fr" if rng.random() < 0.15 else "en",
                    optional_reminders=rng.random() < 0.9,
                    date_joined=self.now - datetime.timedelta(days=rng.randint(30, 1500)),
                )
            )
        users = self.create("members", User, users)
        self.user_ids = [u.pk for u in users]
        self.coordinator = users[0]
        # Mandatory e-mail verification: a verified address lets a bench log in with a
        # password set later (`manage.py changepassword coordinator@bench.example.org`).
        EmailAddress.objects.create(
            user=users[0], email=COORDINATOR_EMAIL, verified=True, primary=True
        )

        genders = deal(
            rng,
            n,
            {
                Profile.Gender.WOMAN: 0.47,
                Profile.Gender.MAN: 0.45,
                Profile.Gender.NON_BINARY: 0.02,
                Profile.Gender.TWO_SPIRIT: 0.01,
                Profile.Gender.PREFER_NOT: 0.02,
                "": 0.03,
            },
        )
        races = list(Profile.RaceEthnicity.values)
        races.remove(Profile.RaceEthnicity.SELF_DESCRIBED)
        profiles = []
        for i, user in enumerate(users):
            profiles.append(
                Profile(
                    user=user,
                    phone=f"604-555-{i % 10000:04d}",
                    local_union=rng.choice(LOCALS),
                    union_role=rng.choice(UNION_ROLES),
                    languages=["french"] if user.language == "fr" else [],
                    region=rng.choice(REGIONS),
                    date_of_birth=datetime.date(rng.randint(1958, 2002), rng.randint(1, 12), 15),
                    gender=genders[i],
                    race_ethnicity=[rng.choice(races)] if rng.random() < 0.8 else [],
                )
            )
        self.create("profiles", Profile, profiles)

    def programs(self) -> None:
        rng = self.rng
        statuses = STATUS_PLAN[: program_count(self.scale)]
        ranks: dict[str, int] = defaultdict(int)
        for position, status in enumerate(statuses):
            rank = ranks[status]
            ranks[status] += 1
            self.plans.append(self._plan(position, rank, status))

        # Pairs: split evenly (give or take a fifth) over the programs that have pairs.
        with_pairs = [p for p in self.plans if p.has_pairs]
        weights = [rng.uniform(0.8, 1.2) for _ in with_pairs]
        for plan, pairs in zip(with_pairs, split(round(PAIRS * self.scale), weights), strict=True):
            plan.pairs = pairs

        formats = dict.fromkeys(CIRCLE_PROGRAMS, Program.Format.CIRCLE)
        programs = []
        for plan in self.plans:
            place = PLACES[plan.position]
            programs.append(
                Program(
                    name=f"{plan.starts.year} {place} Mentorship Program",
                    slug=f"{SLUG_PREFIX}{plan.position + 1:02d}-{slugify(place)}",
                    year=plan.starts.year,
                    description="A benchmark program: mentees and mentors across the region.",
                    goals="Develop new union leaders.",
                    format=formats.get(plan.position, Program.Format.ONE_TO_ONE),
                    external_mentors=plan.position % 4 == 0,
                    delivery=rng.choice(Program.Delivery.values),
                    time_commitment="Two meetings a month and four Saturday classes.",
                    starts_on=plan.starts,
                    ends_on=plan.ends,
                    applications_open_on=plan.opens,
                    applications_close_on=plan.closes,
                    target_mentees=max(1, plan.pairs) if plan.has_pairs else None,
                    target_mentors=max(1, plan.pairs // 2) if plan.has_pairs else None,
                    status=plan.status,
                )
            )
        programs = self.create("programs", Program, programs)
        for plan, program in zip(self.plans, programs, strict=True):
            plan.program = program

        # Coordinators: the bench coordinator everywhere, and one or two members each.
        pool = self.user_ids[1 : 1 + max(2, round(30 * self.scale))]
        self.coordinator_pool = set(pool)
        through = Program.coordinators.through
        rows = []
        for plan in self.plans:
            plan.coordinator_ids = [self.coordinator.pk, *rng.sample(pool, rng.randint(1, 2))]
            rows += [through(program_id=plan.pk, user_id=uid) for uid in plan.coordinator_ids]
        self.create("coordinator_links", through, rows, count=False)

        phases = []
        for plan in self.plans:
            phases += [
                Phase(
                    program=plan.program,
                    name="Part One: training",
                    starts_on=plan.starts,
                    ends_on=plan.lost_time_from - datetime.timedelta(days=1),
                    order=1,
                ),
                Phase(
                    program=plan.program,
                    name="Part Two: practical experience",
                    starts_on=plan.lost_time_from,
                    ends_on=plan.ends,
                    lost_time=True,
                    order=2,
                ),
            ]
        self.create("phases", Phase, phases)

    def _plan(self, position: int, rank: int, status: str) -> PlannedProgram:
        day = self.day
        if status in PAIR_STATUSES:
            if status == S.RUNNING:
                starts = day(RUNNING_STARTS[rank % len(RUNNING_STARTS)])
                ends = starts + datetime.timedelta(days=365)
            elif status == S.CLOSING:
                starts = day(CLOSING_STARTS[rank % 2])
                ends = day(CLOSING_ENDS[rank % 2])
            else:
                starts = day(CLOSED_STARTS[rank % len(CLOSED_STARTS)])
                ends = starts + datetime.timedelta(days=330)
            opens = starts - datetime.timedelta(days=120)
            closes = starts - datetime.timedelta(days=50)
        else:
            windows = {S.OPEN: OPEN_WINDOWS, S.SELECTING: SELECTING_WINDOWS}.get(
                status, MATCHING_WINDOWS
            )
            open_in, close_in = windows[rank % len(windows)]
            opens, closes = day(open_in), day(close_in)
            if status == S.MATCHING:
                starts = day(MATCHING_STARTS[rank % len(MATCHING_STARTS)])
            else:
                starts = closes + datetime.timedelta(days=45)
            ends = starts + datetime.timedelta(days=330)
        return PlannedProgram(position, rank, status, starts, ends, opens, closes)

    # --- intake -------------------------------------------------------------------------

    def applications(self) -> None:
        rng = self.rng
        pool = [uid for uid in self.user_ids[1:] if uid not in self.coordinator_pool]
        self.pair_people: dict[int, dict[str, list[int]]] = {}
        people: list[tuple[PlannedProgram, int, str, str]] = []  # plan, user, role, status
        first_running = next((p for p in self.plans if p.status == S.RUNNING), None)
        for plan in self.plans:
            if plan.has_pairs:
                groups = self._pair_program_people(plan, first_running)
                needed = sum(groups.values())
                if needed > len(pool):
                    raise BenchSeedError("Too few members for the programs at this scale.")
                users = iter(rng.sample(pool, needed))
                chosen = {key: list(itertools.islice(users, size)) for key, size in groups.items()}
                self.pair_people[plan.pk] = chosen
                for key, uids in chosen.items():
                    status, kind = key.split(":")
                    role = kind.split("-")[0]
                    people += [(plan, uid, role, status) for uid in uids]
            else:
                size = round({S.OPEN: 150, S.SELECTING: 160}.get(plan.status, 160) * self.scale)
                size = min(max(4, size), len(pool))
                shares = {
                    S.OPEN: {"draft": 0.35, "submitted": 0.6, "accepted": 0.05},
                    S.SELECTING: {
                        "submitted": 0.45,
                        "accepted": 0.3,
                        "declined": 0.15,
                        "waitlisted": 0.1,
                    },
                    S.MATCHING: {
                        "accepted": 0.75,
                        "declined": 0.12,
                        "waitlisted": 0.08,
                        "withdrawn": 0.05,
                    },
                }[plan.status]
                statuses = deal(rng, size, shares)
                roles = deal(rng, size, {"mentee": 0.65, "mentor": 0.35})
                users = rng.sample(pool, size)
                people += [
                    (plan, uid, role, status)
                    for uid, role, status in zip(users, roles, statuses, strict=True)
                ]

        applications = [
            self._application(plan, uid, role, status) for plan, uid, role, status in people
        ]
        self.create("applications", Application, applications)

        participants = [
            Participant(program=plan.program, user_id=uid, role=role)
            for plan, uid, role, status in people
            if status == Application.Status.ACCEPTED
        ]
        participants = self.create("participants", Participant, participants)
        by_program = {plan.pk: plan for plan in self.plans}
        for participant in participants:
            by_program[participant.program_id].participants.append(participant)

    def _pair_program_people(
        self, plan: PlannedProgram, first_running: PlannedProgram | None
    ) -> dict[str, int]:
        """How many people of each kind ("status:role") a program with pairs needs."""
        pairs = plan.pairs
        # Re-matches need time: only in programs that started two months ago or more.
        old_enough = plan.starts <= self.day(-60)
        rematches = round(pairs * 0.05) if old_enough else 0
        if plan is first_running and pairs >= 3:
            rematches = max(1, rematches)
        tracks = pairs - rematches
        ratio = 3.5 if plan.position in CIRCLE_PROGRAMS else 1.7
        mentors = max(2 if rematches else 1, round(tracks / ratio)) if pairs else 0
        waiting = round(tracks * 0.04) if plan.status == S.RUNNING else 0
        if plan is first_running and pairs:
            waiting = max(1, waiting)
        others = tracks + mentors + waiting
        plan.rematches = rematches
        return {
            "accepted:mentee": tracks,
            "accepted:mentor": mentors,
            "accepted:mentee-waiting": waiting,  # accepted, not matched (yet)
            "declined:mentee": max(1, round(others * 0.08)),
            "declined:mentor": round(others * 0.03),
            "waitlisted:mentee": round(others * 0.04),
            "withdrawn:mentee": round(others * 0.02),
        }

    def _application(self, plan: PlannedProgram, uid: int, role: str, status: str) -> Application:
        rng = self.rng
        last = min(plan.closes, self.today)
        window = max(0, (last - plan.opens).days)
        submitted = None
        if status != Application.Status.DRAFT:
            submitted = self.past_at(
                plan.opens + datetime.timedelta(days=rng.randint(0, window)), rng.randint(8, 21)
            )
        decided_at = decided_by = None
        note = ""
        if status in Application.DECIDED:
            decided_day = min(plan.closes + datetime.timedelta(days=rng.randint(1, 10)), self.today)
            decided_at = max(self.past_at(decided_day, 15), submitted)
            decided_by = rng.choice(plan.coordinator_ids)
            if status == Application.Status.DECLINED:
                note = "Thank you for applying; we hope to see you in the next program."
        return Application(
            program=plan.program,
            applicant_id=uid,
            role=role,
            status=status,
            essay="I want to learn how to run a grievance from start to finish.",
            goals="Become a steward and speak up at meetings.",
            union_role=rng.choice(UNION_ROLES),
            local_unit=rng.choice(LOCALS),
            experience=rng.choice(Application.Experience.values),
            availability=rng.sample(Application.Availability.values, rng.randint(1, 2)),
            preferred_delivery=rng.choice(Application.DeliveryPreference.values),
            lost_time_release=rng.choice(Application.Release.values),
            privacy_consent_at=submitted,
            submitted_at=submitted,
            decided_at=decided_at,
            decided_by_id=decided_by,
            decision_note=note,
        )

    def surveys(self) -> None:
        rng = self.rng
        answers = {
            role: {
                q.key: f"My answer about {q.key.replace('_', ' ')}." for q in questions_for(role)
            }
            for role in Participant.Role.values
        }
        drafts = {role: dict(list(full.items())[:2]) for role, full in answers.items()}
        shares = {
            "pairs": {"submitted": 0.97, "draft": 0.02, "missing": 0.01},
            S.MATCHING: {"submitted": 0.8, "draft": 0.1, "missing": 0.1},
            "early": {"submitted": 0.5, "draft": 0.3, "missing": 0.2},
        }
        groups: dict[str, list[tuple[PlannedProgram, Participant]]] = defaultdict(list)
        for plan in self.plans:
            key = (
                "pairs" if plan.has_pairs else S.MATCHING if plan.status == S.MATCHING else "early"
            )
            groups[key] += [(plan, p) for p in plan.participants]
        surveys = []
        for key, members in groups.items():
            for (plan, participant), state in zip(
                members, deal(rng, len(members), shares[key]), strict=True
            ):
                if state == "missing":
                    continue
                submitted = None
                if state == "submitted":
                    day = min(plan.starts - datetime.timedelta(days=rng.randint(5, 40)), self.today)
                    submitted = self.past_at(max(day, plan.closes), rng.randint(9, 21))
                surveys.append(
                    Survey(
                        participant=participant,
                        answers=(answers if state == "submitted" else drafts)[participant.role],
                        status=state,
                        submitted_at=submitted,
                    )
                )
        self.create("surveys", Survey, surveys)

        skills = UnionSkill.values
        mentor_users = {
            p.user_id for plan in self.plans for p in plan.participants if p.role == "mentor"
        }
        self.create(
            "mentor_profiles",
            MentorProfile,
            [
                MentorProfile(
                    user_id=uid,
                    background="Millwright for 15 years; chief steward since 2018.",
                    interests="Getting younger members to speak up at meetings.",
                    experience="Bargaining committee twice; mentored two new stewards.",
                    qualifications="Steward training levels 1 and 2.",
                    skills=rng.sample(skills, rng.randint(2, 5)),
                    availability=rng.sample(Application.Availability.values, rng.randint(1, 2)),
                    capacity=rng.randint(1, 3),
                    internal=rng.random() < 0.85,
                    confirmed_at=self.now - datetime.timedelta(days=rng.randint(0, 500)),
                    # Most said yes to other programs, some no, some never answered; from
                    # the id, so the random sequence (and every other table) stays the same.
                    findable_by_other_programs=FINDABLE_MIX[uid % len(FINDABLE_MIX)],
                )
                for uid in sorted(mentor_users)
            ],
        )
        self.create(
            "matching_profiles",
            MatchingProfile,
            [
                MatchingProfile(
                    participant=p,
                    learning_goals=sorted(rng.sample(skills, rng.randint(1, 3))),
                    priority=rng.random() < 0.1,
                )
                for plan in self.plans
                for p in plan.participants
                if p.role == Participant.Role.MENTEE
            ],
        )

    # --- pairs --------------------------------------------------------------------------

    def pairs(self) -> None:
        rng = self.rng
        fates = {
            S.RUNNING: {"active": 0.96, "early": 0.04},
            S.CLOSING: {"active": 0.55, "completed": 0.4, "early": 0.05},
            S.CLOSED: {"completed": 0.92, "early": 0.08},
        }
        # Tracks (one per matched mentee) by status, so that fates are dealt over all.
        tracks: dict[str, list[tuple[PlannedProgram, Participant, Participant, Participant]]]
        tracks = defaultdict(list)
        rematch: set[int] = set()
        for plan in self.plans:
            if not plan.has_pairs or not plan.pairs:
                continue
            by_user = {p.user_id: p for p in plan.participants}
            chosen = self.pair_people[plan.pk]
            mentees = [by_user[u] for u in chosen["accepted:mentee"]]
            mentors = [by_user[u] for u in chosen["accepted:mentor"]]
            for i, mentee in enumerate(mentees):
                first = mentors[(i + 1) % len(mentors)]
                tracks[plan.status].append((plan, mentee, mentors[i % len(mentors)], first))
                if i < plan.rematches:
                    rematch.add(mentee.pk)
        reasons = deal(
            rng,
            sum(len(v) for v in tracks.values()),
            {
                Match.EndReason.NOT_A_GOOD_FIT: 0.4,
                Match.EndReason.LEFT_PROGRAM: 0.45,
                Match.EndReason.OTHER: 0.15,
            },
        )
        for status, rows in tracks.items():
            for (plan, mentee, mentor, first_mentor), fate in zip(
                rows, deal(rng, len(rows), fates[status]), strict=True
            ):
                start = min(plan.starts + datetime.timedelta(days=rng.randint(3, 21)), self.day(-2))
                if mentee.pk in rematch:
                    # Programs with re-matches started 60 days ago or more: room for both.
                    end = min(start + datetime.timedelta(days=rng.randint(20, 45)), self.day(-8))
                    self.matches.append(
                        PlannedMatch(
                            plan,
                            mentee,
                            first_mentor,
                            start,
                            end,
                            Match.EndReason.NOT_A_GOOD_FIT,
                            rematched=True,
                        )
                    )
                    start = min(end + datetime.timedelta(days=rng.randint(3, 14)), self.day(-2))
                last_day = min(plan.ends, self.day(-1))
                end, reason = None, ""
                if fate == "completed":
                    end = max(
                        last_day - datetime.timedelta(days=rng.randint(0, 30)),
                        start + datetime.timedelta(days=1),
                    )
                    reason = Match.EndReason.COMPLETED
                elif fate == "early":
                    end = min(start + datetime.timedelta(days=rng.randint(30, 150)), last_day)
                    end = max(end, start + datetime.timedelta(days=1))
                    reason = reasons.pop()
                self.matches.append(PlannedMatch(plan, mentee, mentor, start, end, reason))

        matches = []
        for planned in self.matches:
            ended = planned.end is not None
            matches.append(
                Match(
                    program=planned.plan.program,
                    mentee=planned.mentee,
                    mentor=planned.mentor,
                    status=Match.Status.ENDED if ended else Match.Status.ACTIVE,
                    started_at=self.at(planned.start, 10),
                    ended_at=self.past_at(planned.end, 16) if ended else None,
                    score=rng.randint(35, 95),
                    end_reason=planned.reason,
                    end_note=(
                        "The mentee moved to another worksite."
                        if planned.reason == Match.EndReason.OTHER
                        else ""
                    ),
                    ended_by_id=rng.choice(planned.plan.coordinator_ids) if ended else None,
                )
            )
        for planned, match in zip(self.matches, self.create("pairs", Match, matches), strict=True):
            planned.match = match

    def orientations(self) -> None:
        rng = self.rng
        newest = max((p for p in self.plans if p.status == S.RUNNING), key=lambda p: p.starts)
        first_matching = next((p for p in self.plans if p.status == S.MATCHING), None)
        orientations, attending = [], []
        for plan in self.plans:
            if plan is newest:
                day = self.day(NEW_PROGRAM_ORIENTATION_IN)
            elif plan is first_matching:
                day = self.day(MATCHING_ORIENTATION_IN)
            elif plan.has_pairs:
                day = plan.starts + datetime.timedelta(days=7)
            else:
                continue
            orientations.append(
                Orientation(
                    program=plan.program,
                    starts_at=self.at(day, 18),
                    duration_minutes=120,
                    location=HALL,
                    video_link=VIDEO,
                    child_care=True,
                    food=True,
                    accessibility_notes="Step-free entrance. ASL interpretation on request.",
                )
            )
            attending.append(plan.participants if day < self.today else [])
        orientations = self.create("orientations", Orientation, orientations)
        through = Orientation.attendees.through
        rows = []
        for orientation, participants in zip(orientations, attending, strict=True):
            marks = deal(rng, len(participants), {True: 0.88, False: 0.12})
            rows += [
                through(orientation_id=orientation.pk, participant_id=p.pk)
                for p, came in zip(participants, marks, strict=True)
                if came
            ]
        self.create("orientation_attendance", through, rows)
        agenda = handbook_rows()
        self.create(
            "agenda_items",
            AgendaItem,
            [
                AgendaItem(orientation=orientation, order=order, **row)
                for orientation in orientations
                for order, row in enumerate(agenda)
            ],
        )

    def worksheets(self) -> None:
        rng = self.rng
        settled = [m for m in self.matches if m.start <= self.day(-21)]
        recent = [m for m in self.matches if m.start > self.day(-21)]
        states = dict(
            zip(
                (id(m) for m in settled),
                deal(
                    rng,
                    len(settled),
                    {"both": 0.85, "mentee": 0.06, "mentor": 0.03, "neither": 0.03, "none": 0.03},
                ),
                strict=True,
            )
        )
        states |= dict(
            zip(
                (id(m) for m in recent),
                deal(
                    rng,
                    len(recent),
                    {"both": 0.2, "mentee": 0.15, "mentor": 0.05, "neither": 0.3, "none": 0.3},
                ),
                strict=True,
            )
        )
        worksheets = []
        soon = set()
        active = [m for m in self.matches if m.active and states[id(m)] != "none"]
        for planned, flag in zip(
            active, deal(rng, len(active), {True: 0.06, False: 0.94}), strict=True
        ):
            if flag:
                soon.add(id(planned))
        for planned in self.matches:
            state = states[id(planned)]
            if state == "none":
                continue
            starts = planned.start
            target = starts + datetime.timedelta(days=rng.randint(180, 365))
            midpoint = starts + (target - starts) // 2
            if id(planned) in soon:
                coming = self.day(rng.randint(1, 14))
                if starts < coming < target:
                    midpoint = coming

            def agreed(side: str, state=state, starts=starts) -> datetime.datetime | None:
                if state not in ("both", side):
                    return None
                day = min(starts + datetime.timedelta(days=rng.randint(3, 25)), self.day(-1))
                return self.past_at(day, rng.randint(9, 21))

            worksheets.append(
                Worksheet(
                    match=planned.match,
                    starts_on=starts,
                    target_end_on=target,
                    midpoint_on=midpoint,
                    version=1 if state == "neither" else rng.randint(2, 5),
                    mentee_agreed_at=agreed("mentee"),
                    mentor_agreed_at=agreed("mentor"),
                    updated_by_id=planned.mentee.user_id,
                    **WORKSHEET_TEXT,
                )
            )
        self.create("worksheets", Worksheet, worksheets)

    # --- meetings -----------------------------------------------------------------------

    def meetings(self) -> None:
        rng = self.rng
        today = self.today
        window_start = self.day(-365)

        def span(planned: PlannedMatch) -> tuple[datetime.date, datetime.date]:
            first = max(
                planned.start + datetime.timedelta(days=1), window_start, planned.plan.starts
            )
            last = min(planned.end or self.day(-1), planned.plan.ends, self.day(-1))
            return first, last

        # Some active pairs have gone quiet (no meeting in 30 days), some have not met yet.
        active = [m for m in self.matches if m.active]
        settled = [m for m in active if m.start <= self.day(-60)]
        quiet = {
            id(m)
            for m, q in zip(settled, deal(rng, len(settled), {1: 0.08, 0: 0.92}), strict=True)
            if q
        }
        new = [m for m in active if m.start > self.day(-45)]
        unmet = {
            id(m) for m, u in zip(new, deal(rng, len(new), {1: 0.25, 0: 0.75}), strict=True) if u
        }

        spans, weights = [], []
        for planned in self.matches:
            first, last = span(planned)
            if id(planned) in quiet:
                last = min(last, self.day(-31))
            days = (last - first).days + 1
            spans.append((first, last))
            weights.append(0 if id(planned) in unmet or days <= 0 else days)
        total = round(SESSION_RECORDS * self.scale)
        if total > sum(weights):
            raise BenchSeedError("Not enough meeting days for the session records at this scale.")
        allotted = split(total, weights)
        # A pair meets at most once a day: move any excess to pairs with days to spare.
        spare = 0
        for i, weight in enumerate(weights):
            if allotted[i] > weight:
                spare += allotted[i] - weight
                allotted[i] = weight
        for i in sorted(range(len(weights)), key=lambda i: weights[i] - allotted[i], reverse=True):
            if not spare:
                break
            extra = min(spare, weights[i] - allotted[i])
            allotted[i] += extra
            spare -= extra

        modes = Meeting.Mode.values
        held: list[Meeting] = []
        lost_time: list[bool] = []
        others: list[Meeting] = []

        def meeting(planned: PlannedMatch, day: datetime.date, **extra) -> Meeting:
            mode = rng.choice(modes)
            return Meeting(
                match=planned.match,
                starts_at=self.at(day, rng.randint(9, 19), rng.choice((0, 30))),
                duration_minutes=rng.choice((45, 60, 60, 90, 120)),
                mode=mode,
                location=HALL if mode == Meeting.Mode.IN_PERSON else "",
                video_link=VIDEO if mode == Meeting.Mode.VIDEO else "",
                caller=rng.choice(Meeting.Caller.values) if mode == Meeting.Mode.PHONE else "",
                created_by_id=planned.mentor.user_id,
                **extra,
            )

        for planned, (first, last), count in zip(self.matches, spans, allotted, strict=True):
            if count:
                ordinals = rng.sample(range(first.toordinal(), last.toordinal() + 1), count)
                for ordinal in sorted(ordinals):
                    day = datetime.date.fromordinal(ordinal)
                    held.append(meeting(planned, day))
                    lost_time.append(day >= planned.plan.lost_time_from)

        cancelled = round(total * 0.04)
        can_cancel = [i for i, w in enumerate(weights) if w]
        for i in rng.choices(can_cancel, k=cancelled) if can_cancel else ():
            planned, (first, last) = self.matches[i], spans[i]
            day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
            called_off = meeting(
                planned,
                day,
                status=Meeting.Status.CANCELLED,
                cancel_reason=rng.choice(CANCEL_REASONS),
                cancelled_by_id=rng.choice((planned.mentee.user_id, planned.mentor.user_id)),
            )
            ahead = datetime.timedelta(hours=rng.randint(2, 72))
            called_off.cancelled_at = min(called_off.starts_at - ahead, self.now)
            others.append(called_off)

        # Active pairs still in touch: some met recently and owe a record, many have a
        # meeting coming up.
        in_touch = [m for m in active if id(m) not in quiet]
        for planned, state in zip(
            in_touch,
            deal(rng, len(in_touch), {"unrecorded": 0.12, "soon": 0.48, "later": 0.2, "no": 0.2}),
            strict=True,
        ):
            if state == "unrecorded" and id(planned) not in unmet:
                day = today - datetime.timedelta(days=rng.randint(1, 10))
            elif state == "soon" or (state == "unrecorded" and id(planned) in unmet):
                day = today + datetime.timedelta(days=rng.randint(1, 14))
            elif state == "later":
                day = today + datetime.timedelta(days=rng.randint(15, 45))
            else:
                continue
            if planned.plan.starts <= day <= planned.plan.ends and day > planned.start:
                others.append(meeting(planned, day))

        meetings = self.create("meetings", Meeting, held + others)
        self.counts["cancelled_meetings"] = sum(m.is_cancelled for m in meetings)
        self.counts["upcoming_meetings"] = sum(m.starts_at > self.now for m in meetings)

        hours = [Decimal(h) for h in ("0.50", "1.00", "1.50", "2.00", "2.50", "3.00", "4.00")]
        records = [
            SessionRecord(
                meeting=m,
                status=SessionRecord.Status.RECORDED,
                lost_time_hours=rng.choice(hours) if on_lost_time and rng.random() < 0.65 else None,
                recorded_by_id=m.created_by_id,
                **RECORD_TEXT,
            )
            for m, on_lost_time in zip(meetings[: len(held)], lost_time, strict=True)
        ]
        records = self.create("session_records", SessionRecord, records)

        actions = []
        for record in records:
            if rng.random() >= 0.2:
                continue
            met = timezone.localdate(record.meeting.starts_at)
            due = met + datetime.timedelta(days=rng.randint(7, 35))
            if due < today:
                status = rng.choices(ActionItem.Status.values, weights=(25, 65, 10))[0]
            else:
                status = rng.choices(ActionItem.Status.values, weights=(85, 15, 0))[0]
            closed = None
            if status != ActionItem.Status.OPEN:
                closed = self.past_at(min(due, self.day(-1)), 20)
            actions.append(
                ActionItem(
                    match_id=record.meeting.match_id,
                    record=record,
                    owner=Side.MENTEE if rng.random() < 0.7 else Side.MENTOR,
                    description=rng.choice(ACTIONS),
                    stretch=rng.random() < 0.15,
                    due_on=due,
                    status=status,
                    status_note="Done as agreed." if status == ActionItem.Status.DONE else "",
                    closed_at=closed,
                )
            )
        self.create("action_items", ActionItem, actions)

    def group_sessions(self) -> None:
        rng = self.rng
        sessions, attending = [], []
        running_rank = 0
        for plan in self.plans:
            if not plan.has_pairs:
                continue
            days = []
            day = plan.starts + datetime.timedelta(days=14)
            while day <= min(plan.ends, self.day(60)):
                days.append(day)
                day += datetime.timedelta(days=42)
            if plan.status == S.RUNNING:
                # One in the next two weeks in every running program.
                soon = self.day(2 + (running_rank * 3) % 12)
                running_rank += 1
                if plan.starts <= soon <= plan.ends and soon not in days:
                    days.append(soon)
            for n, day in enumerate(sorted(days), start=1):
                circle = n % 3 == 0
                sessions.append(
                    GroupSession(
                        program=plan.program,
                        kind=GroupSession.Kind.CIRCLE if circle else GroupSession.Kind.CLASS,
                        title=(
                            f"Circle meeting {n}: preparing for bargaining"
                            if circle
                            else f"Part One class {n}: the collective agreement"
                        ),
                        starts_at=self.at(day, 18 if circle else 10),
                        duration_minutes=120 if circle else 180,
                        location=HALL,
                        video_link=VIDEO if circle else "",
                        rotation_note=f"{PLACES[plan.position]} this time.",
                        child_care=not circle,
                        food=True,
                    )
                )
                came = []
                if day < self.today and plan.participants:
                    came = rng.sample(plan.participants, round(len(plan.participants) * 0.6))
                attending.append(came)
        sessions = self.create("group_sessions", GroupSession, sessions)
        self.counts["upcoming_group_sessions"] = sum(
            self.now < s.starts_at <= self.now + datetime.timedelta(days=14) for s in sessions
        )
        through = GroupSession.attendees.through
        self.create(
            "group_session_attendance",
            through,
            [
                through(groupsession_id=session.pk, participant_id=p.pk)
                for session, came in zip(sessions, attending, strict=True)
                for p in came
            ],
        )

    # --- close-out ----------------------------------------------------------------------

    def close_out(self) -> None:
        rng = self.rng
        feedback = []

        def form(planned: PlannedMatch, author: Participant, next_step: str, submit: bool):
            day = min(planned.end or self.day(-1), self.day(-1))
            return Feedback(
                match=planned.match,
                author=author,
                whats_next=next_step,
                status=Feedback.Status.SUBMITTED if submit else Feedback.Status.DRAFT,
                submitted_at=self.past_at(day, 19) if submit else None,
                **FEEDBACK_TEXT,
            )

        completed = [m for m in self.matches if m.reason == Match.EndReason.COMPLETED]
        ending = (Feedback.NextStep.COMPLETE, Feedback.NextStep.INFORMAL)
        for planned, state in zip(
            completed,
            deal(rng, len(completed), {"both": 0.8, "mentee": 0.1, "mentor": 0.05, "none": 0.05}),
            strict=True,
        ):
            for side, author in (("mentee", planned.mentee), ("mentor", planned.mentor)):
                if state in ("both", side):
                    feedback.append(form(planned, author, rng.choice(ending), True))
                elif state != "none":
                    feedback.append(form(planned, author, "", False))
        closing_active = [m for m in self.matches if m.active and m.plan.status == S.CLOSING]
        for planned, state in zip(
            closing_active,
            deal(rng, len(closing_active), {"none": 0.7, "draft": 0.2, "continue": 0.1}),
            strict=True,
        ):
            if state == "draft":
                feedback.append(form(planned, planned.mentee, "", False))
            elif state == "continue":
                for author in (planned.mentee, planned.mentor):
                    feedback.append(form(planned, author, Feedback.NextStep.CONTINUE_FORMAL, True))
        self.create("feedback", Feedback, feedback)

        # Evaluation windows: the first closing program's is open (its second round); the
        # others are closed.
        windows, requests, responses = [], [], []
        open_done = False
        for plan in self.plans:
            if plan.status not in (S.CLOSING, S.CLOSED):
                continue
            is_open = plan.status == S.CLOSING and not open_done
            open_done = open_done or is_open
            rounds = 2 if is_open or (plan.status == S.CLOSED and plan.rank == 0) else 1
            if is_open:
                opened = self.now - datetime.timedelta(days=6)
                closed = self.now - datetime.timedelta(days=40)  # round 1 closed then
            else:
                opened = self.past_at(plan.ends - datetime.timedelta(days=10), 9)
                closed = self.past_at(plan.ends + datetime.timedelta(days=20), 17)
            windows.append(
                EvaluationWindow(
                    program=plan.program,
                    is_open=is_open,
                    round=rounds,
                    opened_at=opened,
                    closed_at=closed,
                    changed_by=self.coordinator,
                )
            )
            participants = sorted(plan.participants, key=lambda p: p.pk)
            answered = deal(
                rng,
                len(participants),
                {True: 0.35, False: 0.65} if is_open else {True: 0.6, False: 0.4},
            )
            for participant, responded in zip(participants, answered, strict=True):
                requests.append(EvaluationRequest(participant=participant, responded=responded))
                if responded:
                    number = 1 if rounds == 1 or rng.random() < 0.7 else 2
                    responses.append(self._response(plan, participant.role, number))
        self.create("evaluation_windows", EvaluationWindow, windows)
        self.create("evaluation_requests", EvaluationRequest, requests)
        # Stored in random order, as the service's random keys would leave them.
        rng.shuffle(responses)
        self.create("evaluation_responses", EvaluationResponse, responses)

    def goals_and_reminders(self) -> None:
        """The worksheets' goals, and the meeting reminders sent in the last 30 days.

        With a random sequence of their own, so every table built before stays the same.
        """
        rng = random.Random(SEED + 2)
        programs = bench_programs()
        lines = [
            (Goal.Term.SHORT, line) for line in WORKSHEET_TEXT["short_term_goals"].splitlines()
        ] + [(Goal.Term.LONG, WORKSHEET_TEXT["long_term_goals"])]
        worksheets = Worksheet.objects.filter(match__program__in=programs).order_by("match_id")
        goals = []
        for match_id in worksheets.values_list("match_id", flat=True):
            for order, (term, description) in enumerate(lines):
                status = rng.choices(Goal.Status.values, weights=(30, 45, 25))[0]
                goals.append(
                    Goal(
                        match_id=match_id,
                        term=term,
                        description=description,
                        status=status,
                        progress_notes="Started with the chief steward."
                        if status != Goal.Status.NOT_STARTED
                        else "",
                        order=order,
                    )
                )
        self.create("goals", Goal, goals)

        meetings = (
            Meeting.objects.filter(
                match__program__in=programs,
                status=Meeting.Status.SCHEDULED,
                starts_at__gte=self.now - datetime.timedelta(days=30),
                starts_at__lt=self.now,
            )
            .order_by("pk")
            .values_list(
                "pk",
                "starts_at",
                "match__program_id",
                "match__mentee__user_id",
                "match__mentor__user_id",
            )
        )
        reminders = []
        for pk, starts_at, program_id, *recipients in meetings:
            day = timezone.localdate(starts_at)
            sent = self.past_at(day - datetime.timedelta(days=1), 8)
            for user_id in recipients:
                skipped = rng.random() < 0.05
                reminders.append(
                    Reminder(
                        kind="meeting_tomorrow",
                        recipient_id=user_id,
                        program_id=program_id,
                        subject_key=f"meeting:{pk}:{day.isoformat()}",
                        due_on=day - datetime.timedelta(days=1),
                        enqueued_at=sent,
                        sent_at=None if skipped else sent,
                        skipped="opted_out" if skipped else "",
                    )
                )
        self.create("reminders", Reminder, reminders)

    def _response(self, plan: PlannedProgram, role: str, number: int) -> EvaluationResponse:
        rng = self.rng
        effects = [key for key, _label in effects_for(role)]
        return EvaluationResponse(
            program=plan.program,
            role=role,
            round=number,
            helpfulness=rng.choices((1, 2, 3, 4, 5), weights=(35, 35, 18, 8, 4))[0],
            recommend=rng.choices(Answer.values, weights=(5, 15, 80))[0],
            effects=rng.sample(effects, rng.randint(0, len(effects))),
            mentor_again=(
                rng.choices(Answer.values, weights=(10, 20, 70))[0]
                if role == Participant.Role.MENTOR
                else ""
            ),
            useful_aspects="The classes and the regular meetings." if rng.random() < 0.6 else "",
            suggestions="More evening sessions, please." if rng.random() < 0.4 else "",
        )

    def funnel(self) -> None:
        """Each participant's funnel step stored (programs/funnel.py), as the services keep it"""
        funnel.recompute()

    def backdate(self) -> None:
        """Creation times that `auto_now_add` set to now, moved to when things happened."""
        for plan in self.plans:
            joined = self.past_at(min(plan.closes + datetime.timedelta(days=7), self.today), 12)
            Participant.objects.filter(program=plan.program).update(joined_at=joined)
        programs = bench_programs()
        Application.objects.filter(program__in=programs, submitted_at__isnull=False).update(
            created_at=F("submitted_at"), updated_at=F("submitted_at")
        )
        Match.objects.filter(program__in=programs).update(created_at=F("started_at"))
        Reminder.objects.filter(program__in=programs).update(created_at=F("enqueued_at"))
        # A record is written the evening after its meeting, by then in the past.
        written = ExpressionWrapper(
            Subquery(Meeting.objects.filter(pk=OuterRef("meeting_id")).values("starts_at")[:1])
            + datetime.timedelta(hours=3),
            output_field=DateTimeField(),
        )
        SessionRecord.objects.filter(meeting__match__program__in=programs).update(
            created_at=written, updated_at=written
        )


def build(*, scale: float = 1.0, stdout: TextIO | None = None) -> dict[str, Any]:
    """Create the bench dataset in one transaction; returns what was made, by table.

    Raises BenchDataExists if bench data is already there (see `delete_bench_data`).
    """
    if scale < MIN_SCALE:
        raise BenchSeedError(f"The scale must be at least {MIN_SCALE}.")
    with transaction.atomic():
        if bench_data_exists():
            raise BenchDataExists("Bench data already exists; delete it first.")
        return Builder(scale, stdout).run()


def summary_lines(counts: Mapping[str, Any]) -> Iterable[str]:
    for key, value in counts.items():
        shown = f"{value:,}" if isinstance(value, int) else value
        yield f"  {key:<28} {shown}"


BOARD_MENTEES = 500
BOARD_SLUG = f"{SLUG_PREFIX}board"
BOARD_MEMBER_PREFIX = "board"


def build_board(*, scale: float = 1.0) -> dict[str, Any]:
    """A program at the matching stage with `round(500 * scale)` mentees, for the board.

    Its own members (`board00001@bench.example.org`...), so `build()`'s counts and random
    sequence stay as they were; mentors are two fifths of the mentees (capacity 1-3, so
    every mentee can be placed), everyone with a submitted survey and a profile. Removed by
    `delete_bench_data` with the rest.
    """
    rng = random.Random(SEED + 1)
    now, today = timezone.now(), timezone.localdate()
    mentees = max(4, round(BOARD_MENTEES * scale))
    mentors = max(2, round(mentees * 0.4))
    with transaction.atomic(), translation.override("en"):
        password = make_password(None)
        users = User.objects.bulk_create(
            [
                User(
                    email=f"{BOARD_MEMBER_PREFIX}{i:05d}{EMAIL_DOMAIN}",
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    password=password,
                    date_joined=now - datetime.timedelta(days=rng.randint(30, 1500)),
                )
                for i in range(1, mentees + mentors + 1)
            ],
            batch_size=BATCH,
        )
        races = [
            r for r in Profile.RaceEthnicity.values if r != Profile.RaceEthnicity.SELF_DESCRIBED
        ]
        Profile.objects.bulk_create(
            [
                Profile(
                    user=user,
                    local_union=rng.choice(LOCALS),
                    union_role=rng.choice(UNION_ROLES),
                    languages=["french"] if rng.random() < 0.15 else [],
                    region=rng.choice(REGIONS),
                    gender=rng.choice(Profile.Gender.values),
                    race_ethnicity=[rng.choice(races)] if rng.random() < 0.8 else [],
                )
                for user in users
            ],
            batch_size=BATCH,
        )
        program = Program.objects.create(
            name=f"{today.year} Province-wide Mentorship Program",
            slug=BOARD_SLUG,
            year=today.year,
            description="A benchmark program: a province-wide cohort being matched.",
            goals="Develop new union leaders.",
            time_commitment="Two meetings a month.",
            starts_on=today + datetime.timedelta(days=21),
            ends_on=today + datetime.timedelta(days=351),
            applications_open_on=today - datetime.timedelta(days=100),
            applications_close_on=today - datetime.timedelta(days=40),
            target_mentees=mentees,
            target_mentors=mentors,
            status=S.MATCHING,
        )
        coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
        if coordinator is not None:
            program.coordinators.add(coordinator)
        roles = [Participant.Role.MENTEE] * mentees + [Participant.Role.MENTOR] * mentors
        participants = Participant.objects.bulk_create(
            [
                Participant(program=program, user=user, role=role)
                for user, role in zip(users, roles, strict=True)
            ],
            batch_size=BATCH,
        )
        answers = {
            role: {
                q.key: f"My answer about {q.key.replace('_', ' ')}." for q in questions_for(role)
            }
            for role in Participant.Role.values
        }
        submitted = now - datetime.timedelta(days=30)
        Survey.objects.bulk_create(
            [
                Survey(
                    participant=p,
                    answers=answers[p.role],
                    status="submitted",
                    submitted_at=submitted,
                )
                for p in participants
            ],
            batch_size=BATCH,
        )
        skills = UnionSkill.values
        MentorProfile.objects.bulk_create(
            [
                MentorProfile(
                    user_id=p.user_id,
                    background="Chief steward for ten years.",
                    interests="Getting younger members to speak up at meetings.",
                    skills=rng.sample(skills, rng.randint(2, 5)),
                    availability=rng.sample(Application.Availability.values, rng.randint(1, 2)),
                    capacity=rng.randint(1, 3),
                    internal=rng.random() < 0.85,
                    confirmed_at=now - datetime.timedelta(days=rng.randint(0, 500)),
                )
                for p in participants
                if p.role == Participant.Role.MENTOR
            ],
            batch_size=BATCH,
        )
        MatchingProfile.objects.bulk_create(
            [
                MatchingProfile(
                    participant=p,
                    learning_goals=sorted(rng.sample(skills, rng.randint(1, 3))),
                    priority=rng.random() < 0.1,
                )
                for p in participants
                if p.role == Participant.Role.MENTEE
            ],
            batch_size=BATCH,
        )
        funnel.refresh(program.participants.all())  # as the services keep it
        Builder._analyze(
            model._meta.db_table
            for model in (
                User,
                Profile,
                Program,
                Participant,
                Survey,
                MentorProfile,
                MatchingProfile,
            )
        )
    return {"program_slug": program.slug, "mentees": mentees, "mentors": mentors}
