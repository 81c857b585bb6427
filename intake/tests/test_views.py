import pytest
from django.urls import reverse

from core.testing import assert_constant_queries, loaded_token, post_loaded
from intake.models import Application, Nomination
from intake.tests.factories import ApplicationFactory, NominationFactory
from programs.models import Participant

pytestmark = pytest.mark.django_db


def apply_url(program, role="mentee"):
    return reverse("intake:apply", args=[program.slug, role])


def form_data(answers, **extra):
    return {**answers, **extra}


def test_anonymous_visitor_is_asked_to_log_in_before_applying(open_program, client):
    response = client.get(apply_url(open_program))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]


def test_draft_page_then_submit(open_program, client_as, answers, cast):
    client = client_as("member")
    response = post_loaded(client, apply_url(open_program), {"essay": "Just started", "save": "1"})
    assert response.status_code == 302 and response["Location"] == apply_url(open_program)
    application = Application.objects.get(applicant=cast.member)
    assert application.status == "draft" and application.essay == "Just started"
    page = client.get(apply_url(open_program)).content.decode()
    assert "Just started" in page and "Draft last saved" in page

    response = post_loaded(
        client, apply_url(open_program), form_data(answers, privacy_consent="on", submit="1")
    )
    application.refresh_from_db()
    assert application.status == "submitted"
    assert response["Location"] == reverse(
        "intake:my_application", args=[open_program.slug, application.pk]
    )


def test_the_demographic_questions_are_never_kept_in_the_browser(open_program, client_as):
    """static/js/drafts.js keeps no draft of fields inside [data-no-draft] (shared computers)."""
    html = client_as("member").get(apply_url(open_program)).content.decode()
    private = html[
        html.index("data-no-draft") : html.index("</fieldset>", html.index("data-no-draft"))
    ]
    assert 'name="gender"' in private and 'name="race_ethnicity"' in private
    assert 'name="essay"' not in private


def test_submit_with_missing_answers_keeps_everything_typed(open_program, client_as, answers):
    client = client_as("member")
    data = form_data(answers, essay="", submit="1")  # no essay, no consent
    response = client.post(apply_url(open_program), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This answer is needed to submit your application." in html
    assert "Please agree to the privacy notice to submit." in html
    assert "Please correct the following:" in html
    assert answers["goals"] in html and answers["local_unit"] in html
    assert not Application.objects.exists()


def test_over_long_answer_is_refused_with_the_limit_named(open_program, client_as, answers):
    response = client_as("member").post(
        apply_url(open_program), form_data(answers, essay="x" * 4001, save="1")
    )
    assert "at most 4000 characters" in response.content.decode()
    assert not Application.objects.exists()


def test_double_submit_creates_one_application(open_program, client_as, answers):
    client = client_as("member")
    data = form_data(answers, privacy_consent="on", submit="1")
    data["loaded_as"] = loaded_token(client, apply_url(open_program))  # one tab, two clicks
    client.post(apply_url(open_program), data)
    response = client.post(apply_url(open_program), data)
    assert Application.objects.count() == 1
    assert response.status_code == 302  # to the submitted application, with a message


def test_closed_window_shows_a_message_and_saves_nothing(cast, client_as, answers):
    client = client_as("member")
    url = apply_url(cast.program)  # running: closed to applications
    page = client.get(url).content.decode()
    assert "Applications for this program are closed." in page
    assert "Submit application" not in page
    response = client.post(url, form_data(answers, privacy_consent="on", submit="1"))
    assert response.status_code == 200
    assert "nothing was saved" in response.content.decode()
    assert not Application.objects.exists()


def test_unknown_role_is_404(open_program, client_as):
    assert client_as("member").get(apply_url(open_program, "boss")).status_code == 404


def test_draft_program_cannot_be_applied_to(open_program, client_as):
    open_program.status = "draft"
    open_program.save()
    assert client_as("member").get(apply_url(open_program)).status_code == 404


def test_someone_elses_application_is_404(open_program, client_as, cast):
    application = ApplicationFactory(program=open_program, applicant=cast.mentee)
    for name in ("intake:my_application", "intake:withdraw"):
        url = reverse(name, args=[open_program.slug, application.pk])
        assert client_as("member").get(url).status_code == 404
        assert client_as("member").post(url).status_code == 404
    application.refresh_from_db()
    assert application.status == "submitted"


def test_withdraw_asks_first_then_withdraws(open_program, client_as, cast):
    application = ApplicationFactory(program=open_program, applicant=cast.member)
    client = client_as("member")
    url = reverse("intake:withdraw", args=[open_program.slug, application.pk])
    assert "Withdraw your application?" in client.get(url).content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"  # GET changed nothing
    client.post(url)
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_nominate(open_program, client_as, mailoutbox):
    client = client_as("mentor")
    url = reverse("intake:nominate", args=[open_program.slug])
    data = {
        "nominee_name": "Nadia Benali",
        "nominee_email": "nadia@example.org",
        "role": "mentee",
        "reason": "She runs our unit meetings already.",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert Nomination.objects.count() == 1
    response = client.post(url, data)  # again
    assert "already nominated this person" in response.content.decode()
    assert Nomination.objects.count() == 1


def test_nominate_with_a_bad_address_keeps_the_reason(open_program, client_as):
    url = reverse("intake:nominate", args=[open_program.slug])
    response = client_as("mentor").post(
        url,
        {
            "nominee_name": "Nadia",
            "nominee_email": "not-an-address",
            "role": "mentee",
            "reason": "Keep me",
        },
    )
    assert "Enter a valid email address." in response.content.decode()
    assert "Keep me" in response.content.decode()


def test_coordinator_reviews_filters_and_decides(open_program, client_as, cast, mailoutbox):
    application = ApplicationFactory(program=open_program, local_unit="Local 7", role="mentor")
    ApplicationFactory(program=open_program, local_unit="Local 9")
    ApplicationFactory(program=open_program, status="draft")
    client = client_as("coordinator")
    url = reverse("intake:review", args=[open_program.slug])
    assert client.get(url).context["page"].paginator.count == 2  # drafts are private
    assert client.get(url, {"local": "Local 7"}).context["page"].paginator.count == 1
    assert client.get(url, {"role": "mentor"}).context["page"].paginator.count == 1
    assert client.get(url, {"q": application.applicant.name}).context["page"].paginator.count == 1

    decide = reverse("intake:decide", args=[open_program.slug, application.pk])
    response = client.post(decide, {"decision": "accept", "note": "Welcome!"})
    assert response.status_code == 302
    assert Participant.objects.filter(user=application.applicant, role="mentor").exists()


def test_decision_form_errors_are_shown(open_program, client_as):
    application = ApplicationFactory(program=open_program)
    decide = reverse("intake:decide", args=[open_program.slug, application.pk])
    response = client_as("coordinator").post(decide, {"decision": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_a_refused_decision_keeps_the_note_that_was_typed(open_program, client_as, cast):
    """The applicant is already a mentor of the program: the error shows with the note."""
    application = ApplicationFactory(program=open_program, applicant=cast.member, role="mentee")
    Participant.objects.create(program=open_program, user=cast.member, role="mentor")
    decide = reverse("intake:decide", args=[open_program.slug, application.pk])
    note = "Welcome {{ 7777|add:1111 }} <b>aboard</b>, as discussed on the phone."
    response = client_as("coordinator").post(decide, {"decision": "accept", "note": note})
    assert response.status_code == 400
    page = response.content.decode()
    assert "is already a mentor in this program" in page
    assert "Welcome {{ 7777|add:1111 }} &lt;b&gt;aboard&lt;/b&gt;, as discussed" in page
    assert "8888" not in page
    application.refresh_from_db()
    assert application.status == "submitted"


def test_decide_needs_post(open_program, client_as):
    application = ApplicationFactory(program=open_program)
    decide = reverse("intake:decide", args=[open_program.slug, application.pk])
    assert client_as("coordinator").get(decide).status_code == 405


def test_coordinator_of_another_program_cannot_reach_its_applications(open_program, client_as):
    application = ApplicationFactory(program=open_program)
    client = client_as("other_coordinator")
    assert (
        client.get(
            reverse("intake:review_detail", args=[open_program.slug, application.pk])
        ).status_code
        == 404
    )
    # Nor through their own program's address.
    url = reverse("intake:review_detail", args=["stewards-circle", application.pk])
    assert client.get(url).status_code == 404


def test_review_detail_shows_the_nomination(open_program, client_as, cast):
    nomination = NominationFactory(
        program=open_program, nominator=cast.mentor, reason="A natural leader"
    )
    application = ApplicationFactory(program=open_program, nomination=nomination)
    html = (
        client_as("coordinator")
        .get(reverse("intake:review_detail", args=[open_program.slug, application.pk]))
        .content.decode()
    )
    assert "Nominated by Mona Mentor" in html and "A natural leader" in html


def test_review_list_query_count_is_pinned(open_program, client_as):
    client = client_as("coordinator")
    url = reverse("intake:review", args=[open_program.slug])

    def grow(n):
        for _ in range(n):
            ApplicationFactory(
                program=open_program, nomination=NominationFactory(program=open_program)
            )

    count = assert_constant_queries(lambda: client.get(url), grow)
    assert count == 11  # with the coordinator's authenticator
    # Measured with a checkbox per waiting application and the bulk action bar.
    html = client.get(url).content.decode()
    assert html.count('name="ids"') == 25 and 'value="accept"' in html


def test_nominations_list_query_count_is_pinned(open_program, client_as):
    client = client_as("coordinator")
    url = reverse("intake:nominations", args=[open_program.slug])

    def grow(n):
        for _ in range(n):
            nomination = NominationFactory(program=open_program)
            ApplicationFactory(program=open_program, nomination=nomination)

    count = assert_constant_queries(lambda: client.get(url), grow)
    assert count == 8  # with the coordinator's authenticator
