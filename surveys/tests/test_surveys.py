import pytest
from django.urls import reverse

from accounts.models import Profile
from core.testing import assert_constant_queries, post_loaded
from programs.models import Participant
from programs.tests.factories import ParticipantFactory
from surveys.models import Survey
from surveys.questions import MENTEE_QUESTIONS, MENTOR_QUESTIONS
from surveys.tests.factories import SurveyFactory, full_answers

pytestmark = pytest.mark.django_db

PROFILE = {"local_union": "Local 2009", "union_role": "Member", "phone": "604-555-0123"}


def mine(cast):
    return reverse("surveys:mine", args=[cast.program.slug])


def test_the_questions_are_the_appendices():
    assert str(MENTEE_QUESTIONS[0].text) == (
        "What expectations do you have for the mentoring program? "
        "What are your goals and objectives?"
    )
    assert len(MENTEE_QUESTIONS) == 6 and len(MENTOR_QUESTIONS) == 6
    assert str(MENTOR_QUESTIONS[2].text) == (
        "Have you ever been a mentor? If so, where and for how long?"
    )


def test_mentee_gets_appendix_one_and_mentor_appendix_two(cast, client_as):
    assert (
        "What do you hope to learn from your mentor?"
        in client_as("mentee").get(mine(cast)).content.decode()
    )
    assert (
        "What knowledge and skills do you bring"
        in client_as("mentor").get(mine(cast)).content.decode()
    )


def test_save_a_draft_then_submit(cast, client_as):
    client = client_as("mentee")
    response = post_loaded(client, mine(cast), {"expectations": "To learn", "save": "1"})
    assert response.status_code == 302
    survey = Survey.objects.get(participant__user=cast.mentee)
    assert survey.status == "draft" and survey.answers["expectations"] == "To learn"
    page = client.get(mine(cast)).content.decode()
    assert "1 of 6 questions answered" in page

    response = post_loaded(client, mine(cast), {**full_answers("mentee"), **PROFILE, "submit": "1"})
    survey.refresh_from_db()
    assert survey.status == "submitted" and survey.submitted_at
    assert response["Location"] == reverse(
        "surveys:detail", args=[cast.program.slug, survey.participant_id]
    )
    assert Profile.objects.get(user=cast.mentee).local_union == "Local 2009"


def test_submit_with_gaps_names_them_and_keeps_everything(cast, client_as):
    answers = full_answers("mentee")
    answers["strengths"] = ""
    response = client_as("mentee").post(mine(cast), {**answers, "submit": "1", "phone": "12"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This answer is needed to submit." in html
    assert "Enter a phone number with 7 to 15 digits" in html
    assert answers["expectations"] in html
    assert not Survey.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("expectations", "x" * 3001, "at most 3000 characters"),
        ("date_of_birth", "2999-01-01", "cannot be in the future"),
        ("contact_email", "rosa@", "Enter a valid email address."),
        ("phone", "call me", "Enter a phone number"),
    ],
)
def test_bad_input_gets_a_field_error(cast, client_as, field, value, message):
    response = client_as("mentee").post(mine(cast), {field: value, "save": "1"})
    assert message in response.content.decode()
    assert not Survey.objects.exists()


def test_submitted_survey_is_locked_until_reopened(cast, client_as):
    participant = cast.program.participants.get(user=cast.mentee)
    SurveyFactory(participant=participant, status="submitted", submitted_at="2026-01-01T00:00Z")
    client = client_as("mentee")
    response = client.post(mine(cast), {"expectations": "changed", "save": "1"})
    assert response.status_code == 302  # to the read-only survey
    assert Survey.objects.get().answers["expectations"] != "changed"

    reopen = reverse("surveys:reopen", args=[cast.program.slug, participant.pk])
    assert client.post(reopen).status_code == 403  # not the member's to reopen
    client_as("coordinator").post(reopen)
    survey = Survey.objects.get()
    assert survey.status == "draft" and survey.reopened_by == cast.coordinator
    assert "reopened your survey" in client.get(mine(cast)).content.decode()


def test_a_coordinator_who_is_not_a_participant_has_no_survey(cast, client_as):
    assert client_as("coordinator").get(mine(cast)).status_code == 404


def test_completion_lists_everyone_with_their_state(cast, client_as):
    mentor = cast.program.participants.get(user=cast.mentor)
    SurveyFactory(participant=mentor, status="submitted", submitted_at="2026-01-01T00:00Z")
    url = reverse("surveys:completion", args=[cast.program.slug])
    client = client_as("coordinator")
    response = client.get(url)
    assert response.context["counts"] == {"not_started": 1, "draft": 0, "submitted": 1}
    assert [p.user.name for p in client.get(url, {"status": "not_started"}).context["page"]] == [
        "Eddie Mentee"
    ]
    assert [p.user.name for p in client.get(url, {"status": "submitted"}).context["page"]] == [
        "Mona Mentor"
    ]


def test_completion_query_count_is_pinned(cast, client_as):
    client = client_as("coordinator")
    url = reverse("surveys:completion", args=[cast.program.slug])

    def grow(n):
        for _ in range(n):
            participant = ParticipantFactory(program=cast.program, role=Participant.Role.MENTEE)
            SurveyFactory(participant=participant)

    count = assert_constant_queries(lambda: client.get(url), grow)
    # session, user, program, role, authenticator, counts, page count, rows, navigation
    assert count == 8


# --- Text as the member sees it (issue 16) ------------------------------------------------------

# 3,000 characters on screen, 3,049 as the browser sends them (each line break as "\r\n").
SEEN = ("A line of my answer, as I typed it in the box, ending here.\n"[-60:] * 49) + "x" * 60
SENT = SEEN.replace("\n", "\r\n")


@pytest.mark.parametrize("button", ["save", "submit"])
def test_a_3000_character_answer_with_line_breaks_is_accepted(cast, client_as, button):
    assert len(SEEN) == 3000 and len(SENT) == 3049
    data = {**full_answers("mentee"), **PROFILE, "expectations": SENT, button: "1"}
    response = post_loaded(client_as("mentee"), mine(cast), data)
    assert response.status_code == 302
    assert Survey.objects.get(participant__user=cast.mentee).answers["expectations"] == SEEN


def test_an_over_long_draft_says_it_is_not_saved_and_keeps_the_whole_text(cast, client_as):
    essay = "word " * 11_600  # a pasted 58,000-character essay
    response = post_loaded(client_as("mentee"), mine(cast), {"expectations": essay, "save": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing is saved yet, not even as a draft" in html
    assert "at most 3000 characters (it has 57999)" in html
    assert essay.strip() in html  # nothing cut
    assert not Survey.objects.exists()


def test_the_answers_show_their_limit_and_the_browser_cannot_cut_them(cast, client_as):
    html = client_as("mentee").get(mine(cast)).content.decode()
    assert "maxlength" not in html
    assert 'data-counter="3000"' in html
    assert "At most 3,000 characters." in html
