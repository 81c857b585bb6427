"""The coordinator dashboard: each number's definition, the page, and its query count."""

import re
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.testing import assert_constant_queries
from dashboard import selectors
from evaluation.models import EvaluationRequest, EvaluationResponse, EvaluationWindow
from intake.tests.factories import ApplicationFactory
from matching.models import Match
from matching.tests.factories import MatchFactory
from programs.models import Participant
from programs.tests.factories import ParticipantFactory, ProgramFactory
from reminders.models import ReminderSettings
from sessions.models import FitCheck, Meeting
from sessions.tests.factories import (
    GroupSessionFactory,
    MeetingFactory,
    OrientationFactory,
    SessionRecordFactory,
    WorksheetFactory,
)
from surveys.tests.factories import SurveyFactory

from .helpers import TODAY, D, at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

MARCH = D(2026, 3, 1)


def pair(program, *, started=MARCH, **kwargs) -> Match:
    return MatchFactory(
        program=program, status=Match.Status.ACTIVE, started_at=at(started), **kwargs
    )


def held(match, *days, hours=None) -> list[Meeting]:
    meetings = [MeetingFactory(match=match, starts_at=at(day)) for day in days]
    if hours is not None:
        for meeting in meetings:
            SessionRecordFactory(meeting=meeting, lost_time_hours=Decimal(hours))
    return meetings


def agreed_worksheet(match, **kwargs):
    return WorksheetFactory(
        match=match,
        starts_on=D(2026, 3, 1),
        mentee_agreed_at=at(D(2026, 3, 2)),
        mentor_agreed_at=at(D(2026, 3, 2)),
        **kwargs,
    )


def board(*programs) -> selectors.Dashboard:
    return selectors.dashboard(list(programs), TODAY)


# --- The pipeline ---------------------------------------------------------------------------


def joined(program, role="mentee", **user) -> Participant:
    """A member who applied through the form and was accepted: the way in."""
    application = ApplicationFactory(
        program=program, role=role, status="accepted", submitted_at=at(D(2026, 1, 5)), **user
    )
    return ParticipantFactory(program=program, user=application.applicant, role=role)


def surveyed(participant) -> None:
    SurveyFactory(participant=participant, status="submitted", submitted_at=at(D(2026, 1, 20)))


def assert_a_funnel(funnel: dict[str, int]) -> None:
    counts = [funnel[key] for key in selectors.STEP_KEYS]
    assert counts == sorted(counts, reverse=True), funnel


def test_each_step_counts_those_who_reached_it_and_every_step_before(cast):
    """A hostile arrangement: every shortcut past a step, which the funnel must not count."""
    program = cast.program
    ApplicationFactory(program=program, status="draft")  # not applied yet
    ApplicationFactory.create_batch(2, program=program, status="submitted")
    orientation = OrientationFactory(program=program, starts_at=at(D(2026, 3, 5)))
    # Ann and Ben went all the way: applied, accepted, surveyed, matched, oriented,
    # agreed, met, completed; Ann answered the evaluation.
    ann, ben = joined(program, "mentee"), joined(program, "mentor")
    for participant in (ann, ben):
        surveyed(participant)
        orientation.attendees.add(participant)
    done = MatchFactory(
        program=program,
        mentee=ann,
        mentor=ben,
        status=Match.Status.ENDED,
        end_reason=Match.EndReason.COMPLETED,
        started_at=at(MARCH),
    )
    agreed_worksheet(done)
    held(done, D(2026, 4, 1))
    EvaluationRequest.objects.create(participant=ann, responded=True)
    # Eddie and Mona were put in without applying through the form, then matched, oriented,
    # agreed and met: they are in no step, however far they went.
    eddie = program.participants.get(user=cast.mentee)
    mona = program.participants.get(user=cast.mentor)
    surveyed(eddie)
    orientation.attendees.add(eddie, mona)
    shortcut = pair(program, mentee=eddie, mentor=mona)
    agreed_worksheet(shortcut)
    held(shortcut, D(2026, 6, 1))
    # Cleo applied and was accepted but never sent her survey; matched with Dan (surveyed),
    # their worksheet agreed and meetings held: Cleo stops at accepted, Dan at matched
    # (never marked present at the orientation).
    cleo, dan = joined(program, "mentee"), joined(program, "mentor")
    surveyed(dan)
    unsurveyed = pair(program, mentee=cleo, mentor=dan)
    agreed_worksheet(unsurveyed)
    held(unsurveyed, D(2026, 6, 1))
    # Evaluated without completing: not "evaluated" in the funnel.
    EvaluationRequest.objects.create(participant=cleo, responded=True)
    EvaluationRequest.objects.create(participant=eddie, responded=True)

    data = board(program)

    assert data.steps == {
        "applied": 6,  # two submitted and the four accepted: drafts are left out
        "accepted": 4,  # Ann, Ben, Cleo, Dan
        "surveyed": 3,  # Ann, Ben, Dan
        "matched": 3,
        "oriented": 2,  # Ann, Ben
        "agreed": 2,
        "meeting": 2,
        "completed": 2,
        "evaluated": 1,  # Ann
    }
    assert_a_funnel(data.steps)
    (row,) = data.rows
    assert row.funnel == data.steps
    assert row.outside == 2  # Eddie and Mona: said under the funnel, not hidden
    assert (row.mentees, row.mentors) == (3, 3)


def test_the_funnel_never_rises_whatever_the_shortcuts(cast):
    """Each shortcut alone, in a program of its own: no step ever exceeds the one before."""
    shortcuts = {
        "matched without a survey": lambda p: pair(p, mentee=joined(p), mentor=joined(p, "mentor")),
        "accepted without applying": lambda p: ParticipantFactory.create_batch(5, program=p),
        "completed without meeting": lambda p: MatchFactory(
            program=p,
            mentee=joined(p),
            mentor=joined(p, "mentor"),
            status=Match.Status.ENDED,
            end_reason=Match.EndReason.COMPLETED,
        ),
        "evaluated without a pair": lambda p: EvaluationRequest.objects.create(
            participant=joined(p), responded=True
        ),
    }
    programs = []
    for name, shortcut in shortcuts.items():
        program = ProgramFactory(name=name, coordinators=[cast.coordinator])
        shortcut(program)
        programs.append(program)
    data = board(*programs)
    for row in data.rows:
        assert_a_funnel(row.funnel)
        assert row.funnel["matched"] == 0, row.program.name


def test_the_funnels_sql_is_compiled_once_and_run_with_each_calls_programs_and_time(cast):
    """The funnel's SQL is kept per process; its results never are: the ids, the time and
    every write reach the next call."""
    selectors._participant_counts_sql.cache_clear()
    first, second = cast.program, ProgramFactory(coordinators=[cast.coordinator])
    for program in (first, second):
        surveyed(joined(program))
    ann, ben = joined(first), joined(first, "mentor")
    surveyed(ann)
    surveyed(ben)
    OrientationFactory(program=first, starts_at=at(D(2026, 3, 5))).attendees.add(ann, ben)
    done = pair(first, mentee=ann, mentor=ben)
    agreed_worksheet(done)
    MeetingFactory(match=done, starts_at=at(D(2026, 6, 1)))
    before, after = at(D(2026, 5, 31)), at(D(2026, 6, 2))
    with mock.patch.object(
        selectors, "_participant_counts_query", wraps=selectors._participant_counts_query
    ) as built:
        counts = selectors._participant_counts([first.pk, second.pk], before)
        assert (counts[first.pk]["surveyed"], counts[second.pk]["surveyed"]) == (3, 1)
        assert counts[first.pk]["matched"] == 2 and counts[first.pk]["meeting"] == 0
        # The same SQL, another time: the meeting of June 1st has now been held.
        assert selectors._participant_counts([first.pk, second.pk], after)[first.pk]["meeting"] == 2
        # The same SQL, the programs the other way round: each keeps its own numbers.
        swapped = selectors._participant_counts([second.pk, first.pk], before)
        assert (swapped[first.pk]["surveyed"], swapped[second.pk]["surveyed"]) == (3, 1)
        # A write shows on the next call.
        surveyed(joined(second))
        assert (
            selectors._participant_counts([first.pk, second.pk], before)[second.pk]["surveyed"] == 2
        )
        assert built.call_count == 1
        # Another number of programs is another statement.
        assert selectors._participant_counts([second.pk], before)[second.pk]["surveyed"] == 2
        assert built.call_count == 2
    assert board(first, second).steps["surveyed"] == 5


def test_closed_programs_are_apart_from_the_pipeline_by_default(cast, client_as):
    program = cast.program
    for _ in range(3):
        surveyed(joined(program))
    closed = ProgramFactory(name="Closed Cohort", status="closed", coordinators=[cast.coordinator])
    for _ in range(40):
        surveyed(joined(closed))
    data = selectors.dashboard(selectors.programs_of(cast.coordinator), TODAY)
    assert [row.program for row in data.funnel_rows] == [program]
    assert [row.program for row in data.closed_rows] == [closed]
    html = client_as("coordinator").get(reverse("dashboard:home")).content.decode()
    shown, _sep, folded = html.partition("<details")
    assert ">3<" in shown and "Closed Cohort" not in shown.split('id="programs-heading"')[0]
    assert ">40<" not in shown
    # Closed programs are one click away, folded, each in a column of its own.
    assert "Closed program (1)" in folded and ">40<" in folded


# --- Needs attention ------------------------------------------------------------------------


def in_state(key: str, program) -> list[int]:
    """The pairs a pair-state list shows, by id."""
    return sorted(selectors.pairs_in_state(key, [program], TODAY).values_list("pk", flat=True))


def test_quiet_pairs_follow_the_programs_interval(cast):
    quiet = pair(cast.program)
    held(quiet, D(2026, 5, 1))  # 45 days ago
    busy = pair(cast.program)
    held(busy, D(2026, 6, 1))
    pair(cast.program, started=D(2026, 6, 1))  # too new to be quiet
    assert board(cast.program).attention["quiet"] == 1
    assert in_state("quiet", cast.program) == [quiet.pk]
    ReminderSettings.objects.create(program=cast.program, no_meeting_days=60)
    assert board(cast.program).attention["quiet"] == 0


def test_worksheets_overdue_count_from_the_orientation(cast):
    OrientationFactory(program=cast.program, starts_at=at(D(2026, 6, 5)))
    late = pair(cast.program)
    WorksheetFactory(match=late, starts_on=D(2026, 3, 1), mentee_agreed_at=at(D(2026, 3, 2)))
    assert board(cast.program).attention["worksheet"] == 0  # due 19 June
    with time_machine.travel(at(D(2026, 6, 20), 12), tick=False):
        assert selectors.dashboard([cast.program], D(2026, 6, 20)).attention["worksheet"] == 1
    agreed_worksheet(pair(cast.program))
    with time_machine.travel(at(D(2026, 6, 20), 12), tick=False):
        assert selectors.dashboard([cast.program], D(2026, 6, 20)).attention["worksheet"] == 1


def test_midpoint_overdue_unless_the_pair_met_around_it(cast):
    missed = pair(cast.program)
    agreed_worksheet(missed, midpoint_on=D(2026, 6, 1), target_end_on=D(2026, 12, 1))
    met = pair(cast.program)
    agreed_worksheet(met, midpoint_on=D(2026, 6, 1), target_end_on=D(2026, 12, 1))
    held(met, D(2026, 5, 28))  # within the week before
    coming = pair(cast.program)
    agreed_worksheet(coming, midpoint_on=D(2026, 7, 1), target_end_on=D(2026, 12, 1))
    assert in_state("midpoint", cast.program) == [missed.pk]


def test_surveys_missing_applications_waiting_and_ended_without_a_new_match(cast):
    program = cast.program
    SurveyFactory(
        participant=program.participants.get(user=cast.mentor),
        status="submitted",
        submitted_at=timezone.now(),
    )
    ApplicationFactory(program=program, status="submitted")
    ApplicationFactory(program=program, status="declined")
    poor_fit = MatchFactory(program=program, status=Match.Status.ENDED, end_reason="not_a_good_fit")
    rematched = MatchFactory(program=program, status=Match.Status.ENDED, end_reason="other")
    MatchFactory(program=program, mentee=rematched.mentee, status=Match.Status.PROPOSED)
    MatchFactory(program=program, status=Match.Status.ENDED, end_reason="left_program")
    attention = board(program).attention
    assert attention["applications_waiting"] == 1
    assert attention["ended_unmatched"] == 1
    # eddie, and every participant the matches above brought (none has a survey)
    assert attention["surveys_missing"] == program.participants.count() - 1
    ended = Match.objects.filter(selectors.ended_unmatched_filter(), program=program)
    assert list(ended) == [poor_fit]


def test_closed_programs_need_no_attention(cast):
    program = cast.program
    ApplicationFactory(program=program, status="submitted")
    pair(program)
    program.status = "closed"
    program.save()
    assert not any(board(program).attention.values())


# --- Coming up and charts ---------------------------------------------------------------------


def test_coming_up_in_the_next_two_weeks(cast):
    program = cast.program
    OrientationFactory(program=program, starts_at=at(D(2026, 6, 20)))
    GroupSessionFactory(program=program, title="Class 3", starts_at=at(D(2026, 6, 25)))
    GroupSessionFactory(program=program, title="Too far", starts_at=at(D(2026, 7, 10)))
    match = pair(program)
    MeetingFactory(match=match, starts_at=at(D(2026, 6, 16)))
    MeetingFactory(match=match, starts_at=at(D(2026, 7, 16)))
    program.ends_on = D(2026, 6, 28)
    program.save()
    data = board(program)
    names = f"{match.mentee.user.name} with {match.mentor.user.name}"
    assert [(str(item.kind), item.title) for item in data.coming_up] == [
        ("Meeting", names),
        ("Orientation", program.name),
        ("Class (Part One training)", "Class 3"),
        ("Program ends: open the evaluation", program.name),
    ]
    assert (data.coming_up_count, data.meetings_coming_count) == (4, 1)
    # Read as plain rows by SQL compiled once (`_first_meetings`): the same moment, aware,
    # and the meeting's own page.
    meeting = match.meetings.get(starts_at__lt=at(D(2026, 7, 1)))
    assert data.coming_up[0].when == meeting.starts_at and timezone.is_aware(data.coming_up[0].when)
    assert data.coming_up[0].url == reverse(
        "sessions:meeting", args=[program.slug, match.pk, meeting.pk]
    )
    assert data.coming_up[0].program == program
    EvaluationWindow.objects.create(
        program=program, is_open=True, round=1, opened_at=timezone.now()
    )
    program.refresh_from_db()
    data = selectors.dashboard(selectors.programs_of(cast.coordinator), TODAY)
    assert "Evaluation open" in [str(item.kind) for item in data.coming_up]


def test_coming_up_is_one_list_in_the_order_things_happen_and_its_link_counts_its_list(
    cast, client_as
):
    """The audit's case: meetings listed after the rest (12/16, 12/09, 12/13) under a link
    counting only some of them."""
    program = cast.program
    match = pair(program)
    for day in (D(2026, 6, 16), D(2026, 6, 22), D(2026, 6, 17), D(2026, 6, 29)):
        MeetingFactory(match=match, starts_at=at(day))
    GroupSessionFactory(program=program, title="Class 3", starts_at=at(D(2026, 6, 18)))
    OrientationFactory(program=program, starts_at=at(D(2026, 6, 16), 9))
    data = board(program)
    moments = [item.when for item in data.coming_up]
    assert moments == sorted(moments) and len(moments) == 6
    assert [str(item.kind) for item in data.coming_up][:2] == ["Orientation", "Meeting"]
    client = client_as("coordinator")
    html = client.get(reverse("dashboard:program", args=[program.slug])).content.decode()
    assert "All 4 pair meetings coming up, in a list" in html
    listed = client.get(reverse("dashboard:list", args=["upcoming_meetings"]))
    assert listed.context["page"].paginator.count == 4
    # More than fit: the soonest are shown, and the page says how many there are.
    for day in range(1, 10):
        MeetingFactory(match=match, starts_at=at(D(2026, 6, 19), day + 8))
    data = board(program)
    assert len(data.coming_up) == selectors.UPCOMING_SHOWN and data.coming_up_count == 15
    html = client.get(reverse("dashboard:program", args=[program.slug])).content.decode()
    assert "The 10 soonest of 15." in html and "All 13 pair meetings coming up" in html


def test_a_year_of_zeros_is_a_sentence_not_a_chart(cast, client_as):
    url = reverse("dashboard:program", args=[cast.program.slug])
    html = client_as("coordinator").get(url).content.decode()
    assert "No meetings held in the last twelve months." in html
    assert "No lost-time hours recorded in the last twelve months." in html
    assert "chart-lost-time-caption" not in html
    held(pair(cast.program), D(2026, 6, 1), hours="0")
    html = client_as("coordinator").get(url).content.decode()
    assert "chart-meetings-caption" in html  # a meeting held: its chart
    assert "No lost-time hours recorded in the last twelve months." in html
    held(pair(cast.program), D(2026, 5, 1), hours="2")
    html = client_as("coordinator").get(url).content.decode()
    assert "chart-lost-time-caption" in html
    assert "No lost-time hours recorded" not in html


def test_meetings_and_lost_time_by_month(cast):
    match = pair(cast.program)
    held(match, D(2026, 4, 2), D(2026, 4, 20), hours="2.5")
    held(match, D(2026, 6, 1), hours="3")
    held(match, D(2025, 5, 1), hours="8")  # more than a year ago
    MeetingFactory(match=match, starts_at=at(D(2026, 6, 30)))  # not held yet
    months = {m.month: (m.meetings, m.lost_time_hours) for m in board(cast.program).months}
    assert len(months) == 12 and min(months) == D(2025, 7, 1)
    assert months[D(2026, 4, 1)] == (2, 5.0)
    assert months[D(2026, 6, 1)] == (1, 3.0)
    assert months[D(2026, 5, 1)] == (0, 0.0)


def respond(program, role, n, *, round=1, helpfulness=1):
    EvaluationResponse.objects.bulk_create(
        EvaluationResponse(
            program=program,
            role=role,
            round=round,
            helpfulness=helpfulness,
            recommend="yes",
            mentor_again="yes" if role == "mentor" else "",
        )
        for _ in range(n)
    )


def test_evaluation_summary_only_from_closed_rounds_and_large_enough_groups(cast, settings):
    settings.EVALUATION_MIN_GROUP = 3
    program = cast.program
    EvaluationWindow.objects.create(
        program=program, is_open=True, round=2, opened_at=timezone.now()
    )
    respond(program, "mentee", 3, helpfulness=2)  # round 1, closed: shown
    respond(program, "mentor", 2, helpfulness=1)  # too few: hidden
    respond(program, "mentee", 4, round=2, helpfulness=5)  # still open: hidden
    summary = selectors.evaluation_summary(selectors.programs_of(cast.coordinator))
    assert summary.shown == 3
    assert dict(summary.helpfulness)["2"] == 3
    assert sum(count for _label, count in summary.helpfulness) == 3


# --- The pages ----------------------------------------------------------------------------------


def list_links(html: str) -> set[str]:
    return set(re.findall(r'href="/coordinate/lists/([a-z_]+)/', html))


def test_every_number_links_to_its_list(cast, client_as):
    program = cast.program
    quiet = pair(program)
    ApplicationFactory(program=program, status="submitted")
    MatchFactory(program=program, status=Match.Status.ENDED, end_reason="other")
    agreed_worksheet(quiet, midpoint_on=D(2026, 5, 1), target_end_on=D(2026, 12, 1))
    Match.objects.filter(pk=quiet.pk).update(started_at=at(D(2026, 1, 1)))
    WorksheetFactory(match=pair(program, started=D(2026, 1, 1)), starts_on=D(2026, 1, 2))
    MeetingFactory(match=quiet, starts_at=at(D(2026, 6, 18)))
    FitCheck.objects.create(match=quiet, side="mentor", stage="first", answer="not_a_good_fit")
    html = client_as("coordinator").get(reverse("dashboard:home")).content.decode()
    expected = {step.key for step in selectors.STEPS} | {a.key for a in selectors.ATTENTION}
    # One program's waiting applications open its review list, to be decided there in bulk.
    expected -= {"applications_waiting"}
    assert list_links(html) == expected | {"upcoming_meetings"}
    assert f'href="/programs/{program.slug}/applications/?status=submitted"' in html
    assert "Pairs with no meeting in 30 days" in html


def test_the_funnel_writes_a_programs_name_as_text(cast, client_as):
    """The funnel's cells are written in Python (dashboard/views.py), not by the template."""
    program = cast.program
    program.name = """<b id="x">Bold</b> & 'quoted'"""
    program.save()
    html = client_as("coordinator").get(reverse("dashboard:home")).content.decode()
    funnel = html.split('id="chart-pipeline-caption"')[1].split("</figure>")[0]
    cells = funnel.split("<tbody>")[1]
    assert '<b id="x">' not in html
    escaped = "&lt;b id=&quot;x&quot;&gt;Bold&lt;/b&gt; &amp; &#x27;quoted&#x27;"
    # Each linked number names its step and program for a screen reader (the evaluation's
    # number is not a link: who answered is never listed).
    assert f'<span class="visually-hidden"> Applied, {escaped}</span>' in cells
    assert cells.count(escaped) == len(selectors.STEPS) - 1


def test_waiting_applications_of_several_programs_open_the_combined_list(cast, client_as):
    second = ProgramFactory(status=cast.program.status)
    second.coordinators.add(cast.coordinator)
    ApplicationFactory(program=cast.program, status="submitted")
    ApplicationFactory(program=second, status="submitted")
    client = client_as("coordinator")
    html = client.get(reverse("dashboard:home")).content.decode()
    assert "applications_waiting" in list_links(html)
    assert "/applications/?status=submitted" not in html
    # A program's own dashboard opens that program's review list.
    html = client.get(reverse("dashboard:program", args=[second.slug])).content.decode()
    assert f'href="/programs/{second.slug}/applications/?status=submitted"' in html


def test_the_program_dashboard_shows_that_program_only(cast, client_as):
    ParticipantFactory.create_batch(3, program=cast.other_program)
    ApplicationFactory(program=cast.other_program, status="submitted")
    client = client_as("coordinator")
    html = client.get(reverse("dashboard:program", args=[cast.program.slug])).content.decode()
    assert f'href="/coordinate/lists/accepted/?program={cast.program.slug}"' in html
    assert "Applications waiting" not in html
    other = client_as("other_coordinator").get(reverse("dashboard:home")).content.decode()
    assert "Applications waiting" in other
    assert cast.program.name not in other


def test_a_coordinators_home_is_the_dashboard(cast, client_as):
    assert client_as("coordinator").get("/").url == reverse("dashboard:home")
    assert client_as("mentee").get("/").url == reverse("accounts:home")


def test_someone_allowed_to_create_but_coordinating_nothing_sees_an_empty_dashboard(client):
    from accounts.tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You do not coordinate a program yet." in html
    assert f'href="{reverse("programs:create")}"' in html


# --- Queries ------------------------------------------------------------------------------------


def grow_everything(coordinator):
    """`grow(n)`: n more programs, each with people and pairs at every step."""

    def grow(n):
        for _ in range(n):
            program = ProgramFactory(coordinators=[coordinator], ends_on=D(2026, 6, 20))
            ReminderSettings.objects.create(program=program, no_meeting_days=20)
            OrientationFactory(program=program, starts_at=at(D(2026, 6, 18)))
            GroupSessionFactory(program=program, starts_at=at(D(2026, 6, 19)))
            EvaluationWindow.objects.create(program=program, round=1, closed_at=timezone.now())
            ApplicationFactory.create_batch(2, program=program, status="submitted")
            for _pair in range(2):
                match = pair(program, started=D(2026, 1, 5))
                agreed_worksheet(match, midpoint_on=D(2026, 5, 1), target_end_on=D(2026, 12, 1))
                held(match, D(2026, 3, 1), D(2026, 4, 1), D(2026, 5, 1), hours="1.5")
                MeetingFactory(match=match, starts_at=at(D(2026, 6, 17)))
                SurveyFactory(participant=match.mentee, status="submitted", submitted_at=at(TODAY))
                EvaluationRequest.objects.create(participant=match.mentee, responded=True)
            MatchFactory(program=program, status=Match.Status.ENDED, end_reason="other")
            respond(program, "mentee", 5)
            ParticipantFactory(program=program, role=Participant.Role.MENTOR)

    return grow


def test_the_dashboards_query_count_does_not_grow(cast, client_as):
    client = client_as("coordinator")
    grow = grow_everything(cast.coordinator)
    home = assert_constant_queries(lambda: client.get(reverse("dashboard:home")), grow)
    # session, user, authenticator, programs (with their intervals joined), their counts
    # (applications, ended matches), people (every step but "applied"), pairs and their
    # states, meetings coming (with their count), group sessions, months, evaluation ×2,
    # navigation
    assert home == 13
    url = reverse("dashboard:program", args=[cast.program.slug])
    one = assert_constant_queries(lambda: client.get(url), grow)
    # One more: the access check reads the program with the member's role, without the
    # joins, so it is read again with them.
    assert one == 14


def test_the_dashboards_query_count_holds_at_a_larger_size(cast, client_as):
    """The same count with 12 programs as with none."""
    client = client_as("coordinator")
    grow_everything(cast.coordinator)(12)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert len(queries.captured_queries) == 13


def test_the_year_of_meetings_is_cached_for_a_while(cast, settings):
    settings.DASHBOARD_CHART_SECONDS = 300
    match = pair(cast.program)
    held(match, D(2026, 6, 1))
    ids = [cast.program.pk]
    assert selectors.monthly_meetings(ids, TODAY)[-1].meetings == 1
    held(match, D(2026, 6, 2))
    assert selectors.monthly_meetings(ids, TODAY)[-1].meetings == 1  # from the cache
    settings.DASHBOARD_CHART_SECONDS = 0
    assert selectors.monthly_meetings(ids, TODAY)[-1].meetings == 2
