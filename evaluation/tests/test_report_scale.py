"""The close-out pages at two sizes: the same queries for 4 pairs as for 30, and the report's
counts, now read in SQL, equal to a plain reading of the rows they count."""

import datetime
import itertools
from collections import Counter

import pytest
from django.urls import reverse

from accounts.models import Profile
from core.testing import assert_constant_queries
from evaluation import models, selectors, services
from intake.tests.factories import ApplicationFactory
from matching.models import Match
from matching.tests.factories import MatchFactory
from programs.models import Participant, SuccessMeasure
from programs.tests.factories import ParticipantFactory, ProgramFactory
from sessions.tests.factories import MeetingFactory, SessionRecordFactory

from .helpers import evaluation_answers, feedback_answers

pytestmark = pytest.mark.django_db

GENDERS = itertools.cycle([*Profile.Gender.values, ""])
RACES = itertools.cycle(
    [[value] for value in Profile.RaceEthnicity.values] + [[], Profile.RaceEthnicity.values[:2]]
)
ENDINGS = itertools.cycle(
    [
        (Match.Status.ACTIVE, ""),
        (Match.Status.ENDED, Match.EndReason.COMPLETED),
        (Match.Status.ENDED, Match.EndReason.NOT_A_GOOD_FIT),
    ]
)
KINDS = itertools.cycle(models.LaterRole.Kind.values)


def _person(program, role: str) -> Participant:
    participant = ParticipantFactory(program=program, role=role)
    Profile.objects.create(user=participant.user, gender=next(GENDERS), race_ethnicity=next(RACES))
    ApplicationFactory(program=program, applicant=participant.user, role=role)
    return participant


def grow(cast, later_program, n: int) -> None:
    """n more pairs with everything close-out counts: applications, demographics, matches
    active, completed and ended early, a meeting with its record, both feedback forms,
    both evaluations (in a round of their own), later roles, success measures, approved
    testimonials, and mentees who mentor in a later program."""
    measures = list(cast.program.success_measures.all())
    services.evaluation_window_open(program=cast.program, by=cast.coordinator)
    for _ in range(n):
        mentee, mentor = _person(cast.program, "mentee"), _person(cast.program, "mentor")
        status, reason = next(ENDINGS)
        match = MatchFactory(
            program=cast.program, mentee=mentee, mentor=mentor, status=status, end_reason=reason
        )
        SessionRecordFactory(meeting=MeetingFactory(match=match))
        for author in (mentee, mentor):
            services.feedback_save(match=match, author=author, data=feedback_answers(), submit=True)
            services.evaluation_submit(participant=author, answers=evaluation_answers(author.role))
        models.LaterRole.objects.create(
            participant=mentee, kind=next(KINDS), started_on=datetime.date(2026, 9, 1)
        )
        models.LaterRole.objects.create(
            participant=mentee, kind=next(KINDS), started_on=datetime.date(2026, 10, 1)
        )
        services.measure_results_save(
            participant=mentee,
            by=cast.coordinator,
            results={m.pk: (mentee.pk % 2 == 0, "") for m in measures},
        )
        testimonial = services.testimonial_save(
            participant=mentee, text="Worth every evening.", show_name=True, consent=True
        )
        services.testimonial_review(testimonial=testimonial, by=cast.coordinator, approve=True)
        ParticipantFactory(program=later_program, user=mentee.user, role="mentor")
    services.evaluation_window_close(program=cast.program, by=cast.coordinator)


@pytest.fixture
def growing(cast):
    SuccessMeasure.objects.create(program=cast.program, label="Ran for office")
    SuccessMeasure.objects.create(program=cast.program, label="Filed a grievance")
    later_program = ProgramFactory(year=cast.program.year + 1)
    return lambda n: grow(cast, later_program, n)


# Each page's count, the coordinator's authenticator check included. The budget is 15.
# The report, its CSV and the outcomes read the alumni follow-up too (two queries).
PAGES = {"report": 14, "report_csv": 13, "overview": 10, "outcomes": 12, "testimonials": 7}


@pytest.mark.parametrize("name", PAGES)
def test_close_out_pages_make_the_same_queries_for_4_and_30_pairs(
    cast, client_as, growing, django_assert_num_queries, name
):
    client = client_as("coordinator")
    page = reverse(f"evaluation:{name}", args=[cast.program.slug])
    count = assert_constant_queries(lambda: client.get(page), growing, sizes=(4, 30))
    assert count == PAGES[name] <= 15
    with django_assert_num_queries(count):
        assert client.get(page).status_code == 200


def test_the_report_shows_what_it_counts_at_30_pairs(cast, client_as, growing):
    growing(30)
    html = (
        client_as("coordinator")
        .get(reverse("evaluation:report", args=[cast.program.slug]))
        .content.decode()
    )
    assert "Based on 30 responses." in html  # the mentees' form, shown
    assert "30 mentees of this program have become mentors in a later program." in html
    assert html.count("Worth every evening.") == 30


# --- The counts read in SQL equal a plain reading of the rows -----------------------------------


def _plain_stages(program) -> Counter:
    """(stage, role) counts read the way the report always has: match by match."""
    matched, completed, active, ended = set(), set(), set(), set()
    for match in program.matches.filter(status__in=Match.PUBLISHED_STATUSES):
        for participant in (match.mentee, match.mentor):
            matched.add(participant)
            if match.status == Match.Status.ACTIVE:
                active.add(participant)
            elif match.end_reason == Match.EndReason.COMPLETED:
                completed.add(participant)
            else:
                ended.add(participant)
    counts = Counter()
    for participant in matched:
        counts["matched", participant.role] += 1
        if participant in completed:
            counts["completed", participant.role] += 1
        elif participant in ended and participant not in active:
            counts["ended_early", participant.role] += 1
    return counts


def test_stages_and_outcomes_equal_a_plain_reading(cast):
    """Circles, peer pairs, proposals and every mix of endings on one person; later roles
    held twice; a result recorded against another program's participant."""
    program = cast.program
    people = [ParticipantFactory(program=program, role="mentor") for _ in range(4)]
    people += [ParticipantFactory(program=program, role="mentee") for _ in range(10)]
    endings = [
        ("proposed", ""),
        ("active", ""),
        ("ended", "completed"),
        ("ended", "not_a_good_fit"),
        ("ended", "left_program"),
    ]
    # Every pair of people, with every ending in turn (the mentor side taken by a mentor
    # or, as in a peer program, by a mentee), so one person holds several matches.
    for index, (first, second) in enumerate(itertools.combinations(people, 2)):
        if index % 3:
            continue
        status, reason = endings[index % len(endings)]
        mentee, mentor = (second, first) if first.role == "mentor" else (first, second)
        if status == "active" and Match.objects.filter(mentee=mentee, status="active").exists():
            status, reason = "ended", "completed"
        if status == "proposed" and Match.objects.filter(mentee=mentee, status="proposed").exists():
            continue
        Match.objects.create(
            program=program, mentee=mentee, mentor=mentor, status=status, end_reason=reason
        )
    other = ParticipantFactory(program=cast.other_program)
    Match.objects.create(
        program=cast.other_program,
        mentee=other,
        mentor=ParticipantFactory(program=cast.other_program, role="mentor"),
        status="ended",
        end_reason="completed",
    )
    for participant, kind in zip(people, itertools.cycle(models.LaterRole.Kind.values)):
        for started in (datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)):
            models.LaterRole.objects.create(participant=participant, kind=kind, started_on=started)
    models.LaterRole.objects.create(participant=people[0], kind="other", started_on=started)
    models.LaterRole.objects.create(participant=other, kind="steward", started_on=started)
    measure = SuccessMeasure.objects.create(program=program, label="Ran for office")
    for participant in people[:5]:
        models.MeasureResult.objects.create(
            participant=participant, measure=measure, achieved=participant.pk % 2 == 0
        )
    # Only the form's check keeps a result to its own program: the count still does.
    models.MeasureResult.objects.create(participant=other, measure=measure, achieved=True)

    stages = {
        (row.key, role): count
        for row in selectors.participation(selectors.funnel_people(program))
        for role, count in (("mentee", row.mentees), ("mentor", row.mentors))
    }
    plain = _plain_stages(program)
    for stage in ("matched", "completed", "ended_early"):
        for role in ("mentee", "mentor"):
            assert stages[stage, role] == plain[stage, role], (stage, role)
    assert stages["accepted", "mentee"] + stages["accepted", "mentor"] == len(people) + 2

    summary = selectors.outcomes_summary(program)
    holders = Counter()
    for kind, _participant, role in set(
        models.LaterRole.objects.filter(participant__program=program).values_list(
            "kind", "participant_id", "participant__role"
        )
    ):
        holders[kind, role] += 1
    for kind_count, (kind, _label) in zip(
        summary.roles, models.LaterRole.Kind.choices, strict=True
    ):
        assert (kind_count.mentees, kind_count.mentors) == (
            holders[kind, "mentee"],
            holders[kind, "mentor"],
        ), kind
    assert (summary.any_role.mentees, summary.any_role.mentors) == (10, 4)
    (counted,) = summary.measures
    achieved = sum(1 for p in people[:5] if p.pk % 2 == 0)
    assert (counted.achieved, counted.not_achieved) == (achieved, 5 - achieved)
    assert counted.not_recorded == program.participants.count() - 5
