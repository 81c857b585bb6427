"""The lists behind the dashboard's numbers: who is on each, filters, CSV, access, queries."""

import csv
import datetime
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.testing import assert_constant_queries
from dashboard import selectors
from evaluation.models import EvaluationRequest, EvaluationWindow
from intake.tests.factories import ApplicationFactory
from matching.models import Match
from matching.tests.factories import MatchFactory
from programs.models import Participant
from programs.tests.factories import ParticipantFactory, ProgramFactory
from reminders.models import ReminderSettings
from sessions.models import FitCheck, Meeting
from sessions.tests.factories import MeetingFactory, OrientationFactory, WorksheetFactory
from surveys.tests.factories import SurveyFactory

from .helpers import TODAY, D, accepted, at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

STARTED = D(2026, 3, 1)


def list_url(kind: str, **params) -> str:
    url = reverse("dashboard:list", args=[kind])
    return f"{url}?{urlencode(params)}" if params else url


def csv_url(kind: str, **params) -> str:
    url = reverse("dashboard:list_csv", args=[kind])
    return f"{url}?{urlencode(params)}" if params else url


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def person(program, name: str, role: str = "mentee", **kwargs) -> Participant:
    email = name.lower().replace(" ", ".") + "@example.org"
    participant = ParticipantFactory(
        program=program, role=role, user__name=name, user__email=email, **kwargs
    )
    accepted(participant)
    return participant


def pair(program, mentee: str, mentor: str, *, started=STARTED, **kwargs) -> Match:
    kwargs.setdefault("status", Match.Status.ACTIVE)
    return MatchFactory(
        program=program,
        mentee=person(program, mentee, "mentee"),
        mentor=person(program, mentor, "mentor"),
        started_at=at(started),
        **kwargs,
    )


def held(match: Match, *days: datetime.date) -> None:
    for day in days:
        MeetingFactory(match=match, starts_at=at(day))


def agreed_worksheet(match: Match, **kwargs):
    return WorksheetFactory(
        match=match,
        starts_on=STARTED,
        mentee_agreed_at=at(D(2026, 3, 2)),
        mentor_agreed_at=at(D(2026, 3, 2)),
        **kwargs,
    )


def board(*programs) -> selectors.Dashboard:
    return selectors.dashboard(list(programs), TODAY)


def shown(response) -> list:
    return list(response.context["page"].object_list)


def people_names(response) -> set[str]:
    return {row.user.name for row in shown(response)}


def applicant_names(response) -> set[str]:
    return {row.applicant.name for row in shown(response)}


def mentee_names(response) -> set[str]:
    return {row.mentee.user.name for row in shown(response)}


# --- People and applications: the pipeline and the missing surveys ------------------------------


@pytest.fixture
def pipeline(cast):
    """The cast's mentee Eddie and mentor Mona, a finished pair, applications, an outsider."""
    program = cast.program
    eddie = program.participants.get(user=cast.mentee)
    mona = program.participants.get(user=cast.mentor)
    ApplicationFactory(program=program, status="draft", applicant__name="Dora Draft")
    ApplicationFactory(program=program, status="submitted", applicant__name="Sam Submitted")
    ApplicationFactory(
        program=program, status="accepted", role="mentor", applicant__name="Ann Accepted"
    )
    SurveyFactory(participant=eddie, status="submitted", submitted_at=timezone.now())
    SurveyFactory(participant=mona, status="draft")
    for participant in (eddie, mona):
        accepted(participant)
    match = MatchFactory(
        program=program, mentee=eddie, mentor=mona, status="active", started_at=at(STARTED)
    )
    agreed_worksheet(match)
    held(match, D(2026, 4, 1), D(2026, 5, 1), D(2026, 6, 1))
    OrientationFactory(program=program, starts_at=at(D(2026, 3, 5))).attendees.add(eddie)
    finished = pair(
        program, "Fay Finished", "Fred Finished", status="ended", end_reason="completed"
    )
    EvaluationRequest.objects.create(participant=finished.mentee, responded=True)
    EvaluationRequest.objects.create(participant=finished.mentor, responded=False)
    # Someone else's program: never on alice's lists.
    person(cast.other_program, "Olga Outsider")
    ApplicationFactory(program=cast.other_program, applicant__name="Oscar Outsider")
    return match


# A funnel: each list holds those who reached its step and every step before it. Mona's
# survey is a draft and the finished pair never sent theirs, so they stop at "accepted".
PEOPLE = {
    "accepted": {"Eddie Mentee", "Mona Mentor", "Fay Finished", "Fred Finished"},
    "surveyed": {"Eddie Mentee"},
    "matched": {"Eddie Mentee"},
    "oriented": {"Eddie Mentee"},
    "agreed": {"Eddie Mentee"},
    "meeting": {"Eddie Mentee"},
    "completed": set(),
    "surveys_missing": {"Mona Mentor", "Fay Finished", "Fred Finished"},
}


@pytest.mark.parametrize(("kind", "expected"), PEOPLE.items(), ids=PEOPLE)
def test_each_people_list_holds_the_people_its_number_counts(
    cast, client_as, pipeline, kind, expected
):
    response = client_as("coordinator").get(list_url(kind))
    assert response.status_code == 200
    assert people_names(response) == expected
    data = board(cast.program)
    number = data.attention[kind] if kind == "surveys_missing" else data.steps[kind]
    assert response.context["page"].paginator.count == number == len(expected)


@pytest.mark.parametrize("kind", [*selectors.STEP_KEYS[1:], "surveys_missing"])
def test_a_list_filters_with_the_very_definition_of_its_step(cast, pipeline, kind):
    """A list builds only the steps up to its own, latest first: the same people as the
    funnel's definition, in any program."""
    now = timezone.now()
    people = Participant.objects.order_by("pk")
    listed = people.filter(selectors.participant_filter(kind, now))
    assert list(listed) == list(people.filter(selectors.participant_filters(now)[kind]))


@pytest.mark.parametrize("kind", [*selectors.STEP_KEYS[1:], "surveys_missing"])
@pytest.mark.parametrize("days", [-400, -60, 0, 30])
def test_a_lists_stored_columns_select_whom_the_definitions_do(cast, pipeline, kind, days):
    """The stored funnel columns against the steps' definitions (correlated subqueries),
    at moments before, during and after the pair's meetings."""
    now = timezone.now() + datetime.timedelta(days=days)
    people = Participant.objects.order_by("pk")
    listed = list(people.filter(selectors.participant_filter(kind, now)))
    assert listed == list(people.filter(selectors.defined_participant_filters(now)[kind]))


APPLICATIONS = {
    "applied": {
        "Sam Submitted",
        "Ann Accepted",
        "Eddie Mentee",
        "Mona Mentor",
        "Fay Finished",
        "Fred Finished",
    },
    "applications_waiting": {"Sam Submitted"},
}


@pytest.mark.parametrize(("kind", "expected"), APPLICATIONS.items(), ids=APPLICATIONS)
def test_each_application_list_holds_what_its_number_counts(
    cast, client_as, pipeline, kind, expected
):
    response = client_as("coordinator").get(list_url(kind))
    assert applicant_names(response) == expected
    data = board(cast.program)
    number = data.steps.get(kind, data.attention.get(kind))
    assert response.context["page"].paginator.count == number == len(expected)


def test_an_application_opens_its_review(cast, client_as, pipeline):
    application = cast.program.applications.get(applicant__name="Sam Submitted")
    body = client_as("coordinator").get(list_url("applications_waiting")).content.decode()
    review = reverse("intake:review_detail", args=[cast.program.slug, application.pk])
    assert f'href="{review}"' in body
    assert 'Review<span class="visually-hidden"> the application of Sam Submitted</span>' in body


def test_a_person_in_one_pair_opens_it_and_a_missing_survey_opens_the_survey_page(
    cast, client_as, pipeline
):
    client = client_as("coordinator")
    body = client.get(list_url("agreed", role="mentee")).content.decode()
    assert reverse("sessions:timeline", args=[cast.program.slug, pipeline.pk]) in body
    body = client.get(list_url("surveys_missing", q="mona")).content.decode()
    completion = reverse("surveys:completion", args=[cast.program.slug])
    assert f'href="{completion}?q=mona%40example.org"' in body


def test_a_mentor_of_several_pairs_opens_the_pairs_page(cast, client_as, pipeline):
    mona = cast.program.participants.get(user=cast.mentor)
    mona.survey.status = "submitted"
    mona.survey.submitted_at = timezone.now()
    mona.survey.save()
    pipeline.status = "ended"
    pipeline.end_reason = "completed"
    pipeline.save()
    MatchFactory(program=cast.program, mentor=mona, status="active")
    response = client_as("coordinator").get(list_url("matched", role="mentor", q="mona"))
    assert people_names(response) == {"Mona Mentor"}
    assert reverse("sessions:pairs", args=[cast.program.slug]) in response.content.decode()


# --- Pairs needing attention ----------------------------------------------------------------------


@pytest.fixture
def pairs(cast):
    program = cast.program
    pair(program, "Quinn Quiet", "Quentin Quiet")  # no meeting, no worksheet
    worksheet = pair(program, "Wes Worksheet", "Will Worksheet")
    held(worksheet, D(2026, 6, 10))
    WorksheetFactory(match=worksheet, mentee_agreed_at=at(D(2026, 6, 1)))
    midpoint = pair(program, "Mia Midpoint", "Max Midpoint")
    agreed_worksheet(midpoint, target_end_on=D(2026, 12, 1), midpoint_on=D(2026, 6, 1))
    held(midpoint, D(2026, 5, 20))
    fine = pair(program, "Fiona Fine", "Felix Fine")
    agreed_worksheet(fine)
    held(fine, D(2026, 6, 10))
    ended_at = at(D(2026, 6, 2))
    pair(
        program, "Elle Ended", "Ed", status="ended", end_reason="not_a_good_fit", ended_at=ended_at
    )
    # Ended, then matched again: not waiting for a mentor any more.
    ended = pair(program, "Rita Rematched", "Ron Old", status="ended", end_reason="other")
    again = MatchFactory(program=program, mentee=ended.mentee, status="active")
    Match.objects.filter(pk=again.pk).update(created_at=ended.created_at + datetime.timedelta(1))
    # Someone else's quiet pair.
    pair(cast.other_program, "Olivia Other", "Omar Other")


PAIRS = {
    "quiet": {"Quinn Quiet"},
    "worksheet": {"Quinn Quiet", "Wes Worksheet"},
    "midpoint": {"Mia Midpoint"},
    "ended_unmatched": {"Elle Ended"},
}


@pytest.mark.parametrize(("kind", "expected"), PAIRS.items(), ids=PAIRS)
def test_each_pair_list_holds_the_pairs_its_number_counts(cast, client_as, pairs, kind, expected):
    response = client_as("coordinator").get(list_url(kind))
    assert mentee_names(response) == expected
    assert response.context["page"].paginator.count == board(cast.program).attention[kind]


def test_pair_lists_show_what_is_late_and_where_to_act(cast, client_as, pairs):
    client = client_as("coordinator")
    slug = cast.program.slug
    quiet = Match.objects.get(mentee__user__name="Quinn Quiet")
    body = client.get(list_url("quiet")).content.decode()
    assert "Pairs with no meeting in 30 days" in body
    assert "Call the pair, or check their next meeting is booked." in body
    assert "No meeting yet" in body
    assert reverse("sessions:timeline", args=[slug, quiet.pk]) in body
    body = client.get(list_url("worksheet")).content.decode()
    assert "Agreed by the mentee only" in body
    assert "Not started" in body
    assert reverse("sessions:worksheet", args=[slug, quiet.pk]) in body
    response = client.get(list_url("midpoint"))
    (midpoint,) = shown(response)
    assert midpoint.midpoint_on == D(2026, 6, 1)
    assert timezone.localdate(midpoint.last_met) == D(2026, 5, 20)
    body = client.get(list_url("ended_unmatched")).content.decode()
    assert "Not a good fit" in body
    assert reverse("matching:board", args=[slug]) in body


def test_quiet_heading_has_no_number_when_programs_differ(cast, client_as, pairs):
    second = ProgramFactory(coordinators=[cast.coordinator])
    ReminderSettings.objects.create(program=second, no_meeting_days=45)
    client = client_as("coordinator")
    assert "Pairs with no recent meeting" in client.get(list_url("quiet")).content.decode()
    body = client.get(list_url("quiet", program=second.slug)).content.decode()
    assert "Pairs with no meeting in 45 days" in body


def test_pairs_are_searched_by_either_partner(cast, client_as, pairs):
    client = client_as("coordinator")
    assert mentee_names(client.get(list_url("worksheet", q="WILL"))) == {"Wes Worksheet"}
    found = client.get(list_url("worksheet", q="quentin.quiet@"))
    assert mentee_names(found) == {"Quinn Quiet"}


# --- Meetings coming up and the evaluation ------------------------------------------------------


def test_upcoming_meetings_list_the_meetings_counted(cast, client_as):
    soon = pair(cast.program, "Sue Soon", "Sid Soon")
    MeetingFactory(match=soon, starts_at=at(D(2026, 6, 20)))
    MeetingFactory(match=soon, starts_at=at(D(2026, 7, 20)))  # beyond the window
    held(soon, D(2026, 6, 10))  # past
    cancelled = MeetingFactory(match=pair(cast.program, "Cal Cancel", "Cy"), starts_at=at(TODAY))
    Meeting.objects.filter(pk=cancelled.pk).update(
        status="cancelled", cancel_reason="Sick", cancelled_at=timezone.now()
    )
    MeetingFactory(match=pair(cast.other_program, "Otto", "Ola"), starts_at=at(D(2026, 6, 16)))

    response = client_as("coordinator").get(list_url("upcoming_meetings"))

    (meeting,) = shown(response)
    assert meeting.match == soon
    assert board(cast.program).meetings_coming_count == 1
    assert meeting.get_absolute_url() in response.content.decode()


def test_evaluation_list_counts_answers_and_never_names_who(cast, client_as):
    EvaluationWindow.objects.create(program=cast.program, round=1)
    eddie = cast.program.participants.get(user=cast.mentee)
    mona = cast.program.participants.get(user=cast.mentor)
    EvaluationRequest.objects.create(participant=eddie, responded=True)
    EvaluationRequest.objects.create(participant=mona, responded=False)
    for n in range(3):
        other = person(cast.program, f"Mentor {n}", "mentor")
        EvaluationRequest.objects.create(participant=other, responded=n < 2)
    ProgramFactory(coordinators=[cast.coordinator])  # evaluation never opened: not listed
    client = client_as("coordinator")

    response = client.get(list_url("evaluated"))

    (row,) = shown(response)
    assert (row.program, row.mentees_asked, row.mentees_answered) == (cast.program, 1, 1)
    assert (row.mentors_asked, row.mentors_answered) == (4, 2)
    answered = row.mentees_answered + row.mentors_answered
    # The dashboard's "N of M people asked have answered" opens this list.
    assert answered == board(cast.program).evaluation.answered
    body = response.content.decode()
    assert "who answered is never listed" in body
    csv_body = client.get(csv_url("evaluated")).content.decode("utf-8-sig")
    for page in (body, csv_body):
        for secret in ("Eddie", "Mona", "Mentor 0", "eddie@example.org"):
            assert secret not in page
    assert csv_rows(client.get(csv_url("evaluated")))[1] == [cast.program.name, "1", "1", "4", "2"]


# --- Filters -------------------------------------------------------------------------------------


def test_filter_by_program_role_and_search(cast, client_as, pipeline):
    second = ProgramFactory(name="Second Program", coordinators=[cast.coordinator])
    person(second, "Eddie Second", "mentee")
    person(second, "Sonia Second", "mentor")
    client = client_as("coordinator")

    everyone = client.get(list_url("accepted"))
    assert {"Eddie Second", "Eddie Mentee", "Mona Mentor"} <= people_names(everyone)
    assert "Olga Outsider" not in people_names(everyone)
    assert people_names(client.get(list_url("accepted", program=second.slug))) == {
        "Eddie Second",
        "Sonia Second",
    }
    assert people_names(client.get(list_url("accepted", role="mentor", q="second"))) == {
        "Sonia Second"
    }
    assert people_names(client.get(list_url("accepted", q="EDDIE"))) == {
        "Eddie Mentee",
        "Eddie Second",
    }
    assert people_names(client.get(list_url("accepted", q="mona@example"))) == {"Mona Mentor"}
    filtered = client.get(list_url("accepted", program=second.slug))
    # The breadcrumb leads back to that program's dashboard.
    assert reverse("dashboard:program", args=[second.slug]) in filtered.content.decode()
    # The number for that program alone is the list's count.
    assert filtered.context["page"].paginator.count == board(second).steps["accepted"]


def test_an_invalid_filter_is_shown_and_left_out(cast, client_as, pipeline):
    response = client_as("coordinator").get(list_url("accepted", role="steward", q="finished"))
    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    assert "A filter could not be used" in response.content.decode()
    assert people_names(response) == {"Fay Finished", "Fred Finished"}


def test_empty_list_says_whether_filters_are_on(cast, client_as):
    client = client_as("coordinator")
    body = client.get(list_url("completed")).content.decode()
    assert "Nobody is on this list." in body
    assert "Download as CSV" not in body
    body = client.get(list_url("accepted", q="nobody-by-that-name")).content.decode()
    assert "Nothing on this list matches these filters." in body


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["dashboard:list", "dashboard:list_csv"])
def test_another_coordinators_program_is_not_found(cast, client_as, view):
    url = reverse(view, args=["accepted"])
    client = client_as("coordinator")
    assert client.get(url, {"program": cast.other_program.slug}).status_code == 404
    assert client.get(url, {"program": "no-such-program"}).status_code == 404
    assert client.get(url, {"program": cast.program.slug}).status_code == 200


@pytest.mark.parametrize("view", ["dashboard:list", "dashboard:list_csv"])
def test_unknown_kind_is_not_found(cast, client_as, view):
    assert client_as("coordinator").get(reverse(view, args=["salaries"])).status_code == 404


def test_members_without_a_program_to_run_get_404_and_anonymous_logs_in(cast, client_as):
    assert client_as("mentor").get(list_url("accepted")).status_code == 404
    response = client_as("anonymous").get(list_url("accepted"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_each_coordinator_sees_only_their_own_programs(cast, client_as, pipeline):
    response = client_as("other_coordinator").get(list_url("accepted"))
    assert people_names(response) == {"Olga Outsider"}
    choices = [slug for slug, _label in response.context["form"].fields["program"].choices]
    assert choices == ["", cast.other_program.slug]
    rows = csv_rows(client_as("other_coordinator").get(csv_url("applied")))
    assert sorted(row[0] for row in rows[1:]) == ["Olga Outsider", "Oscar Outsider"]


# --- Pages and CSV -------------------------------------------------------------------------------


def test_fifty_one_people_take_two_pages(cast, client_as):
    ParticipantFactory.create_batch(49, program=cast.program)  # with eddie and mona: 51
    client = client_as("coordinator")
    first = client.get(list_url("surveys_missing"))
    assert len(shown(first)) == 50
    assert "51 people" in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(list_url("surveys_missing", page=2, role=""))
    assert len(shown(second)) == 1
    # The CSV holds every page.
    assert len(csv_rows(client.get(csv_url("surveys_missing")))) == 52


@pytest.mark.parametrize(
    ("asked", "number", "size"),
    [("2", 2, 1), ("9", 2, 1), ("0", 2, 1), ("-3", 2, 1), ("two", 1, 50), ("", 1, 50)],
)
def test_a_page_number_is_read_as_the_paginator_reads_it(cast, client_as, asked, number, size):
    """One query gives the page and the count: a page past the end (or below 1) is the
    last page and a page that is not a number the first, as `Paginator.get_page` does."""
    ParticipantFactory.create_batch(49, program=cast.program)  # with eddie and mona: 51
    response = client_as("coordinator").get(list_url("surveys_missing", page=asked))
    page = response.context["page"]
    assert (page.number, len(shown(response)), page.paginator.count) == (number, size, 51)
    assert f"Page {number} of 2" in response.content.decode()


def test_an_empty_list_has_no_rows_and_says_so(cast, client_as):
    for asked in ("", "3"):
        response = client_as("coordinator").get(list_url("completed", page=asked))
        assert response.context["page"].paginator.count == 0
        assert shown(response) == []
        assert "Nobody is on this list." in response.content.decode()


HOSTILE = """<script>alert("x")</script>&'"""


@pytest.mark.parametrize("kind", sorted(selectors.LIST_KINDS))
def test_every_list_writes_what_people_typed_as_text(cast, client_as, kind):
    """The rows are written in Python (dashboard/lists.py), not by the template's escaping."""
    program = cast.program
    program.name = f"Program {HOSTILE}"
    program.save()
    EvaluationWindow.objects.create(program=program, round=1)
    orientation = OrientationFactory(program=program, starts_at=at(D(2026, 3, 5)))
    running = pair(program, f"Mentee {HOSTILE}", f"Mentor {HOSTILE}")
    done = pair(program, f"Done {HOSTILE}", f"Guide {HOSTILE}", status="ended")
    Match.objects.filter(pk=done.pk).update(end_reason="completed", ended_at=at(TODAY))
    for match in (running, done):
        for participant in (match.mentee, match.mentor):
            SurveyFactory(participant=participant, status="submitted", submitted_at=at(STARTED))
            orientation.attendees.add(participant)
        agreed_worksheet(match, midpoint_on=D(2026, 5, 1), target_end_on=D(2026, 12, 1))
        held(match, D(2026, 3, 10))
    MeetingFactory(match=running, starts_at=at(TODAY + datetime.timedelta(days=2)))
    FitCheck.objects.create(match=running, side="mentee", stage="first", answer="not_a_good_fit")
    pair(program, f"New {HOSTILE}", f"Tutor {HOSTILE}")  # no worksheet yet
    ended = pair(program, f"Ended {HOSTILE}", f"Old {HOSTILE}", status="ended")
    Match.objects.filter(pk=ended.pk).update(end_reason="not_a_good_fit", ended_at=at(TODAY))
    ApplicationFactory(program=program, status="submitted", applicant__name=f"Applicant {HOSTILE}")
    person(program, f"Missing {HOSTILE}")  # no survey

    body = client_as("coordinator").get(list_url(kind)).content.decode()

    rows = body.split("<tbody>")[1].split("</tbody>")[0]
    assert "<script>" not in rows
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#x27;" in rows


def test_page_links_keep_the_filters(cast, client_as):
    ParticipantFactory.create_batch(55, program=cast.program, role="mentor")
    body = client_as("coordinator").get(list_url("surveys_missing", role="mentor")).content.decode()
    assert 'href="?role=mentor&amp;page=2"' in body


def test_csv_has_the_filtered_rows_and_its_links_carry_the_filters(cast, client_as, pipeline):
    client = client_as("coordinator")
    page = client.get(list_url("accepted", role="mentee", q="e")).content.decode()
    export = reverse("dashboard:list_csv", args=["accepted"])
    assert f'href="{export}?role=mentee&amp;q=e"' in page

    response = client.get(csv_url("accepted", role="mentee", program=cast.program.slug))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="accepted-2026-mentorship-2026-06-15.csv"'
    assert csv_rows(response) == [
        ["Name", "E-mail", "Role", "Program"],
        ["Eddie Mentee", "eddie@example.org", "Mentee", cast.program.name],
        ["Fay Finished", "fay.finished@example.org", "Mentee", cast.program.name],
    ]


def test_csv_of_pairs_gives_each_partners_email_and_the_late_date(cast, client_as, pairs):
    response = client_as("coordinator").get(csv_url("midpoint"))
    assert response["Content-Disposition"] == 'attachment; filename="midpoint-2026-06-15.csv"'
    assert csv_rows(response) == [
        [
            "Mentee",
            "Mentee’s e-mail",
            "Mentor",
            "Mentor’s e-mail",
            "Program",
            "Started",
            "Mid-point check-in",
            "Last meeting",
        ],
        [
            "Mia Midpoint",
            "mia.midpoint@example.org",
            "Max Midpoint",
            "max.midpoint@example.org",
            cast.program.name,
            "2026-03-01",
            "2026-06-01",
            "2026-05-20",
        ],
    ]


def test_csv_cells_cannot_run_as_formulas(cast, client_as):
    person(cast.program, '=HYPERLINK("http://evil.example")')
    body = client_as("coordinator").get(csv_url("accepted")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body


def test_csv_headers_follow_the_language(cast, client_as, pipeline):
    cast.coordinator.language = "fr"
    cast.coordinator.save()
    header = csv_rows(client_as("coordinator").get(csv_url("applied")))[0]
    assert header[:4] == ["Nom", "Adresse courriel", "Rôle", "Programme"]


# --- Query counts -------------------------------------------------------------------------------


def _pinned(fetch, grow, django_assert_num_queries) -> int:
    count = assert_constant_queries(fetch, grow)
    with django_assert_num_queries(count):
        fetch()
    return count


@pytest.mark.parametrize("view", ["dashboard:list", "dashboard:list_csv"])
def test_people_lists_take_the_same_queries_for_any_number(
    cast, client_as, django_assert_num_queries, view
):
    client = client_as("coordinator")
    url = reverse(view, args=["matched"])

    def grow(n):
        for index in range(n):
            match = pair(cast.program, f"Mentee {n} {index}", f"Mentor {n} {index}")
            for participant in (match.mentee, match.mentor):
                SurveyFactory(participant=participant, status="submitted", submitted_at=at(TODAY))
            held(match, D(2026, 6, 1))

    count = _pinned(lambda: client.get(url), grow, django_assert_num_queries)
    # session, user, authenticator, programs; HTML: count, rows, navigation; CSV: rows
    assert count == (7 if view == "dashboard:list" else 5)


@pytest.mark.parametrize("view", ["dashboard:list", "dashboard:list_csv"])
def test_application_lists_take_the_same_queries_for_any_number(
    cast, client_as, django_assert_num_queries, view
):
    client = client_as("coordinator")
    url = reverse(view, args=["applied"])

    def grow(n):
        ApplicationFactory.create_batch(n, program=cast.program)

    count = _pinned(lambda: client.get(url), grow, django_assert_num_queries)
    assert count == (7 if view == "dashboard:list" else 5)


@pytest.mark.parametrize("view", ["dashboard:list", "dashboard:list_csv"])
def test_pair_lists_take_the_same_queries_for_any_number(
    cast, client_as, django_assert_num_queries, view
):
    client = client_as("coordinator")
    url = reverse(view, args=["quiet"])

    def grow(n):
        for _ in range(n):
            match = MatchFactory(program=cast.program, status="active", started_at=at(STARTED))
            held(match, D(2026, 4, 1))

    count = _pinned(lambda: client.get(url), grow, django_assert_num_queries)
    # As a people list: the heading's intervals come with the programs, and the pair
    # states are the rows' own filter (no query of their own, no list of ids)
    assert count == (7 if view == "dashboard:list" else 5)


def test_meeting_and_evaluation_lists_take_the_same_queries_for_any_number(
    cast, client_as, django_assert_num_queries
):
    client = client_as("coordinator")

    def more_meetings(n):
        for _ in range(n):
            MeetingFactory(match=MatchFactory(program=cast.program, status="active"))

    meetings = _pinned(
        lambda: client.get(list_url("upcoming_meetings")), more_meetings, django_assert_num_queries
    )
    assert meetings == 7

    EvaluationWindow.objects.create(program=cast.program, round=1)

    def more_requests(n):
        for participant in ParticipantFactory.create_batch(n, program=cast.program):
            EvaluationRequest.objects.create(participant=participant, responded=True)

    evaluated = _pinned(
        lambda: client.get(list_url("evaluated")), more_requests, django_assert_num_queries
    )
    assert evaluated == 6  # session, user, authenticator, programs, counts, navigation


def test_a_new_user_is_not_a_coordinator(client):
    client.force_login(UserFactory())
    assert client.get(list_url("accepted")).status_code == 404


@pytest.mark.parametrize("view", ["dashboard:list", "dashboard:list_csv"])
def test_the_not_a_good_fit_list_takes_the_same_queries_for_any_number(
    cast, client_as, django_assert_num_queries, view
):
    """Who said it comes with each row (two subqueries of the row), never a query per pair."""
    client = client_as("coordinator")
    url = reverse(view, args=["not_a_good_fit"])

    def grow(n):
        for index in range(n):
            match = MatchFactory(program=cast.program, status="active", started_at=at(STARTED))
            held(match, D(2026, 4, 1))
            side = ("mentee", "mentor")[index % 2]
            FitCheck.objects.create(match=match, side=side, stage="first", answer="not_a_good_fit")

    count = _pinned(lambda: client.get(url), grow, django_assert_num_queries)
    assert count == (7 if view == "dashboard:list" else 5)
