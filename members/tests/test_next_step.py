"""The member's next step (members/next_step.py): one member walked through the whole chain,
the home and the program page showing it, done/drop in place, and the queries pinned."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.models import EvaluationRequest, EvaluationWindow, Feedback
from intake.models import Application
from intake.tests.factories import ApplicationFactory
from matching.models import Match, MatchingProfile
from members.next_step import Kind, next_steps_for
from programs.models import Participant, Program
from programs.tests.factories import ParticipantFactory, ProgramFactory
from sessions.models import ActionItem
from sessions.tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    OrientationFactory,
    PreparationFactory,
    SessionRecordFactory,
    WorksheetFactory,
)
from surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
HOME = reverse("accounts:home")


def first_step_card(client) -> str:
    """The home's first section: the one prominent next step."""
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") :]
    heading_end = main.index("</h1>")
    first = re.search(r"<section[^>]*>.*?</section>", main[heading_end:], re.S)
    assert first, "no section after the heading"
    return first.group(0)


def assert_step(user, client, kind: Kind, label: str, url: str = "") -> None:
    step = next_steps_for(user)[0]
    assert (step.kind, step.label, step.url) == (kind, label, url)
    card = first_step_card(client)
    assert f'data-next-step="{kind.name.lower()}"' in card
    assert label in card.replace("&#x27;", "'")
    if url:
        assert f'href="{url}"' in card


def submit_survey(participant: Participant) -> None:
    SurveyFactory(participant=participant, status="submitted", submitted_at=timezone.now())


def test_one_member_walks_the_whole_chain(cast, client):
    user = cast.member
    client.force_login(user)
    program = cast.program
    slug = program.slug
    Program.objects.filter(pk=program.pk).update(
        status=Program.Status.OPEN,
        applications_close_on=timezone.localdate() + 10 * DAY,
        starts_on=timezone.localdate() + 40 * DAY,
    )
    program.refresh_from_db()

    # Nothing yet: calm, with the program that is open.
    card = first_step_card(client)
    assert "Nothing to do now" in card and program.name in card

    application = ApplicationFactory(
        program=program, applicant=user, status=Application.Status.DRAFT
    )
    assert_step(
        user,
        client,
        Kind.APPLICATION,
        "Finish your application as a mentee",
        reverse("intake:apply", args=[slug, "mentee"]),
    )
    assert next_steps_for(user)[0].due == program.applications_close_on

    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.SUBMITTED, submitted_at=timezone.now()
    )
    mine = reverse("intake:my_application", args=[slug, application.pk])
    assert_step(user, client, Kind.REVIEW, "Your application as a mentee is being reviewed", mine)
    # Said plainly: never "you are not taking part" while an application exists.
    assert "You are not taking part" not in client.get(HOME).content.decode()

    Application.objects.filter(pk=application.pk).update(status=Application.Status.WAITLISTED)
    assert_step(user, client, Kind.WAITLISTED, "You are on the wait list as a mentee", mine)
    Application.objects.filter(pk=application.pk).update(status=Application.Status.DECLINED)
    assert_step(
        user, client, Kind.DECLINED, "Your application as a mentee was not accepted this time", mine
    )

    # Accepted: a participant of the program, now selecting.
    Application.objects.filter(pk=application.pk).update(status=Application.Status.ACCEPTED)
    Program.objects.filter(pk=program.pk).update(status=Program.Status.SELECTING)
    me = ParticipantFactory(program=program, user=user, role=Participant.Role.MENTEE)
    assert_step(
        user,
        client,
        Kind.SURVEY,
        "Fill in your mentee survey",
        reverse("surveys:mine", args=[slug]),
    )
    submit_survey(me)
    assert_step(
        user,
        client,
        Kind.PREFERENCES,
        "State your matching preferences",
        reverse("matching:my_preferences", args=[slug]),
    )
    MatchingProfile.objects.create(participant=me)
    assert_step(user, client, Kind.WAIT_FOR_MATCH, "Nothing to do now")
    assert "The program starts on" in next_steps_for(user)[0].detail

    orientation = OrientationFactory(program=program, starts_at=timezone.now() + 5 * DAY)
    assert_step(
        user,
        client,
        Kind.ORIENTATION,
        "Come to the orientation",
        reverse("sessions:orientation", args=[slug]),
    )

    # Matched, after the orientation.
    orientation.starts_at = timezone.now() - DAY
    orientation.save()
    Program.objects.filter(pk=program.pk).update(status=Program.Status.RUNNING)
    match = Match.objects.create(
        program=program,
        mentee=me,
        mentor=cast.mentor_participant,
        status=Match.Status.ACTIVE,
        started_at=timezone.now(),
    )
    pair = [slug, match.pk]
    assert_step(
        user,
        client,
        Kind.WORKSHEET,
        "Agree to your worksheet with Mona Mentor",
        reverse("sessions:worksheet_edit", args=pair),
    )
    worksheet = WorksheetFactory(match=match)
    assert_step(
        user,
        client,
        Kind.WORKSHEET,
        "Agree to your worksheet with Mona Mentor",
        reverse("sessions:worksheet", args=pair),
    )
    # The mentor's agreement is not the mentee's.
    worksheet.mentor_agreed_at = timezone.now()
    worksheet.save()
    assert next_steps_for(user)[0].kind == Kind.WORKSHEET
    worksheet.mentee_agreed_at = timezone.now()
    worksheet.save()
    assert_step(
        user,
        client,
        Kind.PLAN_MEETING,
        "Plan your next meeting with Mona Mentor",
        reverse("sessions:meeting_create", args=pair),
    )

    meeting = MeetingFactory(match=match, starts_at=timezone.now() + 3 * DAY)
    assert_step(
        user,
        client,
        Kind.PREPARE,
        "Prepare for your meeting with Mona Mentor",
        reverse("sessions:meeting_preparation", args=[*pair, meeting.pk]),
    )
    PreparationFactory(meeting=meeting)
    assert_step(
        user,
        client,
        Kind.MEETING_SOON,
        "Nothing to do now",
        reverse("sessions:meeting", args=[*pair, meeting.pk]),
    )

    # The meeting took place: the mentor records it; the mentee plans the next one.
    meeting.starts_at = timezone.now() - DAY
    meeting.save()
    mentor = cast.mentor
    submit_survey(cast.mentor_participant)
    mentor_client = type(client)()
    mentor_client.force_login(mentor)
    assert_step(
        mentor,
        mentor_client,
        Kind.RECORD,
        "Record your meeting with Bob Member",
        reverse("sessions:meeting_record", args=[*pair, meeting.pk]),
    )
    SessionRecordFactory(meeting=meeting)
    assert next_steps_for(mentor)[0].kind == Kind.PLAN_MEETING
    assert next_steps_for(user)[0].kind == Kind.PLAN_MEETING

    # The program closes: final feedback, then the evaluation, then nothing.
    Program.objects.filter(pk=program.pk).update(status=Program.Status.CLOSING)
    assert_step(
        user,
        client,
        Kind.FEEDBACK,
        "Give your final feedback to Mona Mentor",
        reverse("evaluation:feedback", args=pair),
    )
    # The partner's feedback is not the member's.
    Feedback.objects.create(
        match=match,
        author=cast.mentor_participant,
        worked_well="Plain talk.",
        whats_next="complete",
        status="submitted",
        submitted_at=timezone.now(),
    )
    assert next_steps_for(user)[0].kind == Kind.FEEDBACK
    Feedback.objects.create(
        match=match,
        author=me,
        worked_well="Plain talk.",
        whats_next="complete",
        status="submitted",
        submitted_at=timezone.now(),
    )
    EvaluationWindow.objects.create(program=program, is_open=True, round=1)
    assert_step(
        user,
        client,
        Kind.EVALUATION,
        "Answer the program evaluation",
        reverse("evaluation:evaluate", args=[slug]),
    )
    EvaluationRequest.objects.create(participant=me, responded=True)
    assert_step(user, client, Kind.NOTHING, "Nothing to do now")
    assert next_steps_for(user)[0].detail == "Thank you for taking part."


def test_the_most_pressing_step_comes_first_across_programs(cast, client):
    """An action with a date beats one without, and any action beats waiting."""
    user = cast.mentee
    client.force_login(user)
    other = ProgramFactory(name="Second program", status=Program.Status.OPEN)
    ApplicationFactory(program=other, applicant=user, status=Application.Status.SUBMITTED)
    steps = next_steps_for(user)
    assert [s.kind for s in steps] == [Kind.SURVEY, Kind.REVIEW]
    html = client.get(HOME).content.decode()
    assert html.index("Fill in your mentee survey") < html.index("In your other programs")
    assert html.index("In your other programs") < html.index("is being reviewed")


def test_withdrawn_and_closed_programs_ask_nothing(cast):
    closed = ProgramFactory(status=Program.Status.CLOSED)
    ApplicationFactory(program=closed, applicant=cast.member, status=Application.Status.DECLINED)
    ApplicationFactory(
        program=cast.program, applicant=cast.member, status=Application.Status.WITHDRAWN
    )
    assert next_steps_for(cast.member) == []


def test_a_closed_program_asks_only_for_an_open_evaluation(cast):
    """Years later, a closed program never asks for the survey or the feedback."""
    cast.pair()
    Program.objects.filter(pk=cast.program.pk).update(status=Program.Status.CLOSED)
    assert next_steps_for(cast.mentee) == []
    EvaluationWindow.objects.create(program=cast.program, is_open=True, round=1)
    assert [s.kind for s in next_steps_for(cast.mentee)] == [Kind.EVALUATION]


def test_coordinator_who_takes_part_elsewhere_sees_their_step(cast, client):
    ParticipantFactory(program=cast.other_program, user=cast.coordinator, role="mentor")
    steps = next_steps_for(cast.coordinator)
    assert [(s.program, s.kind) for s in steps] == [(cast.other_program, Kind.SURVEY)]
    client.force_login(cast.coordinator)
    assert "Fill in your mentor survey" in first_step_card(client)


# --- Done / drop from home ---------------------------------------------------------------------


def open_action(cast) -> ActionItem:
    match = cast.pair()
    meeting = MeetingFactory(match=match, starts_at=timezone.now() - DAY)
    return ActionItemFactory(record=SessionRecordFactory(meeting=meeting), description="Call Joe")


@pytest.mark.parametrize(("button", "status"), [("done", "done"), ("dropped", "dropped")])
def test_done_and_drop_on_home_change_the_action_and_come_back_home(
    cast, client_as, button, status
):
    action = open_action(cast)
    client = client_as("mentee")
    home = client.get(HOME).content.decode()
    url = reverse("accounts:action_status", args=[action.pk])
    assert f'action="{url}"' in home and f'value="{button}"' in home
    assert "1 action is open with Mona Mentor" in home
    response = client.post(url, {"status": button}, follow=True)
    assert response.redirect_chain == [(HOME, 302)]
    action.refresh_from_db()
    assert action.status == status and action.closed_at is not None
    assert f"“Call Joe” is now {status}." in response.content.decode()
    assert f'action="{url}"' not in response.content.decode()


@pytest.mark.parametrize("role", ["member", "coordinator", "other_coordinator"])
def test_no_one_outside_the_pair_changes_an_action_from_home(cast, client_as, role):
    action = open_action(cast)
    response = client_as(role).post(
        reverse("accounts:action_status", args=[action.pk]), {"status": "done"}
    )
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == ActionItem.Status.OPEN


def test_another_members_action_cannot_be_changed_from_home(cast, client_as):
    """A member of another pair, in the same program, gets 404 for this pair's action."""
    action = open_action(cast)
    other = ParticipantFactory(program=cast.program, role="mentee")
    mentor = ParticipantFactory(program=cast.program, role="mentor")
    Match.objects.create(program=cast.program, mentee=other, mentor=mentor, status="active")
    from django.test import Client

    client = Client()
    client.force_login(other.user)
    response = client.post(reverse("accounts:action_status", args=[action.pk]), {"status": "done"})
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.is_open


def test_get_never_changes_an_action(cast, client_as):
    action = open_action(cast)
    response = client_as("mentee").get(reverse("accounts:action_status", args=[action.pk]))
    assert response.status_code == 405
    action.refresh_from_db()
    assert action.is_open


# --- The program page ---------------------------------------------------------------------------


def open_program(cast) -> Program:
    Program.objects.filter(pk=cast.program.pk).update(status=Program.Status.OPEN)
    cast.program.refresh_from_db()
    return cast.program


def test_program_page_offers_both_roles_to_a_member_who_has_not_applied(cast, client_as):
    program = open_program(cast)
    html = client_as("member").get(program.get_absolute_url()).content.decode()
    assert reverse("intake:apply", args=[program.slug, "mentee"]) in html
    assert reverse("intake:apply", args=[program.slug, "mentor"]) in html
    assert "Your next step" not in html


def test_program_page_shows_the_status_instead_of_apply_after_applying(cast, client_as):
    program = open_program(cast)
    ApplicationFactory(program=program, applicant=cast.member, role="mentee")
    html = client_as("member").get(program.get_absolute_url()).content.decode()
    assert reverse("intake:apply", args=[program.slug, "mentee"]) not in html
    assert "Your application as a mentee is being reviewed" in html
    # The other role is still open to them, quietly.
    assert "Apply as a mentor too" in html


def test_program_page_of_a_participant_has_no_apply_buttons_and_shows_their_step(cast, client_as):
    program = open_program(cast)
    html = client_as("mentee").get(program.get_absolute_url()).content.decode()
    assert reverse("intake:apply", args=[program.slug, "mentee"]) not in html
    assert reverse("intake:apply", args=[program.slug, "mentor"]) not in html
    assert "Your next step" in html and "Fill in your mentee survey" in html


# --- Queries ---------------------------------------------------------------------------------


def member_in_two_programs(cast) -> Participant:
    """The cast's mentee also mentors in a second program; both pairs with meetings."""
    match = cast.pair()
    submit_survey(cast.mentee_participant)
    WorksheetFactory(match=match, mentee_agreed_at=timezone.now(), mentor_agreed_at=timezone.now())
    MeetingFactory(match=match)
    second = ProgramFactory(name="Second program")
    me = ParticipantFactory(program=second, user=cast.mentee, role="mentor")
    submit_survey(me)
    other = ParticipantFactory(program=second, role="mentee")
    match2 = Match.objects.create(program=second, mentee=other, mentor=me, status="active")
    WorksheetFactory(match=match2)
    meeting = MeetingFactory(match=match2, starts_at=timezone.now() - DAY)
    ActionItemFactory(record=SessionRecordFactory(meeting=meeting, status="draft"))
    OrientationFactory(program=second)
    return me


def test_next_steps_take_five_queries_whatever_the_programs(cast, django_assert_num_queries):
    member_in_two_programs(cast)
    with django_assert_num_queries(5):
        steps = next_steps_for(cast.mentee)
    assert {s.kind for s in steps} == {Kind.PREPARE, Kind.WORKSHEET}


def stage_applicant(cast):
    ApplicationFactory(program=cast.program, applicant=cast.member, status="draft")
    Program.objects.filter(pk=cast.program.pk).update(status=Program.Status.OPEN)
    return cast.member


def stage_new_participant(cast):
    return cast.mentee


def stage_in_a_pair(cast):
    open_action(cast)
    open_action(cast)
    return cast.mentee


def stage_in_two_programs(cast):
    member_in_two_programs(cast)
    open_action(cast)
    return cast.mentee


def stage_closing(cast):
    submit_survey(cast.mentee_participant)
    cast.pair()
    Program.objects.filter(pk=cast.program.pk).update(status=Program.Status.CLOSING)
    EvaluationWindow.objects.create(program=cast.program, is_open=True, round=1)
    return cast.mentee


@pytest.mark.parametrize(
    ("stage", "queries"),
    [
        # Session, member, then the state (applications, participations; pairs once there
        # is a participation; feedback, meetings and open actions once there is a pair),
        # and the home's other lists.
        (stage_applicant, 9),
        (stage_new_participant, 10),
        (stage_in_a_pair, 13),
        (stage_in_two_programs, 13),
        (stage_closing, 13),
    ],
)
def test_home_queries_at_each_stage(cast, client, django_assert_num_queries, stage, queries):
    client.force_login(stage(cast))
    client.get(HOME)  # the session and the member's language settle on the first visit
    with django_assert_num_queries(queries):
        response = client.get(HOME)
    assert response.status_code == 200
