import csv
import datetime
import io

import pytest
from django.urls import reverse

from core.testing import assert_constant_queries, post_loaded
from evaluation import models, services
from evaluation.checks import min_group_is_safe
from matching.tests.factories import MatchFactory
from programs.models import SuccessMeasure
from programs.tests.factories import ParticipantFactory

from .helpers import add_participants, evaluation_answers, feedback_answers, respond

pytestmark = pytest.mark.django_db


def url(name, cast, *args):
    return reverse(f"evaluation:{name}", args=[cast.program.slug, *args])


# --- Final feedback ---------------------------------------------------------------------------


def test_each_side_gets_its_own_prompts(cast, client_as, match):
    mentee_page = client_as("mentee").get(url("feedback", cast, match.pk)).content.decode()
    assert "Feedback for my mentor:" in mentee_page
    assert "I felt you were most effective when…" in mentee_page
    assert "Celebrate and complete your relationship" in mentee_page
    mentor_page = client_as("mentor").get(url("feedback", cast, match.pk)).content.decode()
    assert "Feedback for my mentee:" in mentor_page
    assert "Here are my hopes/wishes for you as you go forward …" in mentor_page


def test_a_draft_is_saved_and_shown_again(cast, client_as, match, mentee):
    client = client_as("mentee")
    response = post_loaded(
        client, url("feedback", cast, match.pk), {"worked_well": "Monthly coffee."}
    )
    assert response.status_code == 302
    assert models.Feedback.objects.get(author=mentee).status == "draft"
    assert "Monthly coffee." in client.get(url("feedback", cast, match.pk)).content.decode()


def test_submitting_an_incomplete_form_shows_the_errors_at_the_top(cast, client_as, match):
    response = client_as("mentee").post(
        url("feedback", cast, match.pk), {**feedback_answers(learned=""), "submit": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct the following:" in html
    assert 'href="#id_learned"' in html
    assert not models.Feedback.objects.filter(status="submitted").exists()


def test_an_unchosen_next_step_links_to_its_first_choice(cast, client_as, match):
    data = {**feedback_answers(), "submit": "1"}
    del data["whats_next"]
    html = client_as("mentee").post(url("feedback", cast, match.pk), data).content.decode()
    assert 'href="#id_whats_next_0"' in html


def test_feedback_is_shared_only_once_both_have_submitted(cast, client_as, match, mentor):
    services.feedback_save(
        match=match,
        author=mentor,
        data=feedback_answers(partner_so_far="You grew into a steward."),
        submit=True,
    )
    client = client_as("mentee")
    page = client.get(url("feedback", cast, match.pk)).content.decode()
    assert "You grew into a steward." not in page
    assert "has submitted their feedback" in page
    response = post_loaded(
        client, url("feedback", cast, match.pk), {**feedback_answers(), "submit": "1"}
    )
    assert response.status_code == 302
    page = client.get(url("feedback", cast, match.pk)).content.decode()
    assert "You grew into a steward." in page
    assert "Mona Mentor’s feedback" in page


def test_before_the_partner_submits_the_page_says_so(cast, client_as, match, mentee):
    services.feedback_save(match=match, author=mentee, data=feedback_answers(), submit=True)
    page = client_as("mentee").get(url("feedback", cast, match.pk)).content.decode()
    assert "has not submitted their feedback yet" in page


def test_another_pairs_feedback_is_not_found(cast, client_as):
    other = MatchFactory(program=cast.program, status="active")
    assert client_as("mentee").get(url("feedback", cast, other.pk)).status_code == 404
    assert client_as("coordinator").get(url("feedback", cast, other.pk)).status_code == 403


def test_a_proposed_match_has_no_feedback_page(cast, client_as, mentee, mentor):
    proposed = MatchFactory(program=cast.program, mentee=mentee, mentor=mentor)
    assert client_as("mentee").get(url("feedback", cast, proposed.pk)).status_code == 404


# --- Program evaluation -----------------------------------------------------------------------


def test_a_closed_evaluation_says_so(cast, client_as):
    response = client_as("mentee").get(url("evaluate", cast))
    assert "The program evaluation is not open." in response.content.decode()
    assert (
        client_as("mentee").post(url("evaluate", cast), evaluation_answers("mentee")).status_code
        == 200
    )
    assert not models.EvaluationResponse.objects.exists()


def test_each_role_gets_its_appendix(cast, client_as, open_window):
    mentee_page = client_as("mentee").get(url("evaluate", cast)).content.decode()
    assert "Mentees’ Program Evaluation Form" in mentee_page
    assert "How helpful did you find the mentoring program?" in mentee_page
    assert "(1=extremely helpful and 5=not helpful at all)" in mentee_page
    assert "Helped you learn new skills?" in mentee_page
    assert "serving as a mentor again" not in mentee_page
    mentor_page = client_as("mentor").get(url("evaluate", cast)).content.decode()
    assert "Mentors’ Program Evaluation Form" in mentor_page
    assert "developing future union leaders?" in mentor_page
    assert "Would you be interested in serving as a mentor again?" in mentor_page
    assert "Helped to diversify the leadership?" in mentor_page


def test_the_confidential_evaluation_is_never_kept_in_the_browser(cast, client_as, open_window):
    """static/js/drafts.js keeps no draft of a [data-no-draft] form (a shared computer)."""
    html = client_as("mentee").get(url("evaluate", cast)).content.decode()
    (form,) = [tag for tag in html.split("<form")[1:] if "data-long-form" in tag.split(">")[0]]
    assert "data-no-draft" in form.split(">")[0]


def test_the_scale_is_a_radio_group_with_a_legend(cast, client_as, open_window):
    html = client_as("mentee").get(url("evaluate", cast)).content.decode()
    group = html[html.index('id="div_id_helpfulness"') : html.index('id="div_id_useful_aspects"')]
    assert "<fieldset" in group and "How helpful did you find the mentoring program?" in group
    assert group.index("<legend") < group.index("How helpful")
    assert group.count('type="radio" class="form-check-input"  name="helpfulness"') == 5


def test_a_missing_answer_is_shown_and_nothing_is_stored(cast, client_as, open_window):
    data = evaluation_answers("mentee")
    del data["helpfulness"]
    response = client_as("mentee").post(url("evaluate", cast), data)
    assert response.status_code == 200
    assert "Please correct the following:" in response.content.decode()
    assert not models.EvaluationResponse.objects.exists()
    assert not models.EvaluationRequest.objects.filter(responded=True).exists()


def test_double_submission_stores_one_response(cast, client_as, open_window):
    client = client_as("mentee")
    first = client.post(url("evaluate", cast), evaluation_answers("mentee"), follow=True)
    assert "your evaluation is sent" in first.content.decode()
    second = client.post(url("evaluate", cast), evaluation_answers("mentee"), follow=True)
    assert "You have sent your evaluation." in second.content.decode()
    assert models.EvaluationResponse.objects.count() == 1


def test_the_window_is_opened_and_closed_by_coordinators(cast, client_as):
    client = client_as("coordinator")
    response = client.post(url("window", cast), {"action": "open"}, follow=True)
    assert "The program evaluation is open" in response.content.decode()
    assert models.EvaluationWindow.objects.get().is_open
    response = client.post(url("window", cast), {"action": "close"}, follow=True)
    assert "The program evaluation is closed." in response.content.decode()
    response = client.post(url("window", cast), {"action": "close"}, follow=True)
    assert "The program evaluation is not open." in response.content.decode()
    response = client.post(url("window", cast), {"action": "explode"}, follow=True)
    assert "Choose to open or to close" in response.content.decode()


def test_a_draft_program_cannot_open_its_evaluation(cast, client_as):
    cast.program.status = "selecting"
    cast.program.save()
    response = client_as("coordinator").post(url("window", cast), {"action": "open"}, follow=True)
    assert "once the program is running" in response.content.decode()
    assert not models.EvaluationWindow.objects.exists()


@pytest.mark.parametrize(
    ("name", "args"), [("window", ()), ("testimonial_withdraw", ()), ("role_delete", (1,))]
)
def test_changes_are_posts(cast, client_as, name, args):
    assert client_as("coordinator").get(url(name, cast, *args)).status_code == 405


# --- Coordinator's close-out page -------------------------------------------------------------


def test_overview_shows_counts_and_choices_but_not_the_feedback(cast, client_as, match, mentee):
    services.evaluation_window_open(program=cast.program, by=cast.coordinator)
    services.feedback_save(
        match=match,
        author=mentee,
        data=feedback_answers(
            whats_next="other", whats_next_other="A mentoring circle", learned="Secret"
        ),
        submit=True,
    )
    respond([mentee])
    html = client_as("coordinator").get(url("overview", cast)).content.decode()
    assert "1 of 1 mentee has responded" in html
    assert "0 of 1 mentor has responded" in html
    assert "Other: A mentoring circle" in html
    assert "Secret" not in html
    assert "Close the evaluation" in html


def grow_matches(cast, n):
    for _ in range(n):
        match = MatchFactory(program=cast.program, status="active")
        services.feedback_save(
            match=match, author=match.mentee, data=feedback_answers(), submit=True
        )


def test_overview_query_count_is_pinned(cast, client_as, django_assert_num_queries):
    client = client_as("coordinator")
    count = assert_constant_queries(
        lambda: client.get(url("overview", cast)), lambda n: grow_matches(cast, n), sizes=(3, 20)
    )
    assert count == 10  # with the coordinator's authenticator
    with django_assert_num_queries(count):
        client.get(url("overview", cast))


# --- The report and its export ----------------------------------------------------------------


def evaluated(cast, mentees=6, mentors=2):
    services.evaluation_window_open(program=cast.program, by=cast.coordinator)
    respond(add_participants(cast.program, "mentee", mentees))
    respond(add_participants(cast.program, "mentor", mentors))
    services.evaluation_window_close(program=cast.program, by=cast.coordinator)


def test_report_shows_charts_for_large_groups_only(cast, client_as):
    evaluated(cast)
    html = client_as("coordinator").get(url("report", cast)).content.decode()
    assert html.count('role="img"') == 3  # the mentees' three charts
    assert '<title id="chart-mentee-helpfulness-title">' in html
    assert "The chart’s data" in html
    assert "More practical work." in html  # six mentees: above the threshold
    assert "Time release for mentors." not in html  # two mentors: nothing of theirs
    assert "2 responses so far." in html


def test_report_says_plainly_when_results_will_appear_in_both_languages(cast, client_as):
    evaluated(cast, mentees=6, mentors=2)  # the mentors' form: too few responses to show
    html = client_as("coordinator").get(url("report", cast)).content.decode()
    assert (
        "Results are not shown yet: they appear once the evaluation is closed and at least "
        "5 people have answered it."
    ) in " ".join(html.split())
    assert "can be shown, after the evaluation closes" not in html  # the garbled sentence
    cast.coordinator.language = "fr"
    cast.coordinator.save()
    html = client_as("coordinator").get(url("report", cast)).content.decode()
    assert (
        "Les résultats ne sont pas encore affichés : ils apparaissent une fois l’évaluation "
        "fermée, si au moins 5 personnes y ont répondu."
    ) in " ".join(html.replace("&nbsp;", " ").split())


def test_report_at_the_threshold_shows_no_free_text(cast, client_as):
    evaluated(cast, mentees=5, mentors=0)
    html = client_as("coordinator").get(url("report", cast)).content.decode()
    assert 'role="img"' in html
    assert "More practical work." not in html
    assert "Written comments are shown only when more than 5 people have answered." in html


def test_report_shows_outcomes_and_approved_testimonials_only(cast, client_as, mentee, mentor):
    approved = services.testimonial_save(
        participant=mentee, text="Changed my life.", show_name=True, consent=True
    )
    services.testimonial_review(testimonial=approved, by=cast.coordinator, approve=True)
    services.testimonial_save(
        participant=mentor, text="Not yet read.", show_name=True, consent=True
    )
    models.LaterRole.objects.create(
        participant=mentee, kind="steward", started_on=datetime.date(2026, 9, 1)
    )
    html = client_as("coordinator").get(url("report", cast)).content.decode()
    assert "Changed my life." in html and "Eddie Mentee, mentee" in html
    assert "Not yet read." not in html
    assert "0 mentees of this program have become mentors" in html


def grow_program(cast, n):
    for _ in range(n):
        match = MatchFactory(program=cast.program, status="ended", end_reason="completed")
        models.LaterRole.objects.create(
            participant=match.mentee, kind="steward", started_on=datetime.date(2026, 9, 1)
        )
    services.evaluation_window_open(program=cast.program, by=cast.coordinator)
    respond(add_participants(cast.program, "mentee", n))
    services.evaluation_window_close(program=cast.program, by=cast.coordinator)


def test_report_query_count_is_pinned(cast, client_as, django_assert_num_queries):
    SuccessMeasure.objects.create(program=cast.program, label="Ran for office")
    client = client_as("coordinator")
    count = assert_constant_queries(
        lambda: client.get(url("report", cast)), lambda n: grow_program(cast, n), sizes=(5, 20)
    )
    assert count == 14  # with the coordinator's authenticator; two for the alumni follow-up
    with django_assert_num_queries(count):
        client.get(url("report", cast))


def test_csv_holds_the_same_aggregates_and_nothing_more(cast, client_as, mentee):
    evaluated(cast)
    services.testimonial_save(participant=mentee, text="Quote me.", show_name=True, consent=True)
    response = client_as("coordinator").get(url("report_csv", cast))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["section", "item", "group", "value"]
    assert ["Participation", "Accepted", "Total", "10"] in rows
    assert ["Mentees’ Program Evaluation Form", "Responses shown", "", "6"] in rows
    assert [
        "Mentors’ Program Evaluation Form",
        "Results",
        "",
        "Not shown: fewer than 5 responses",
    ] in rows
    for secret in ("More practical work.", "Quote me.", cast.mentee.name, cast.mentee.email):
        assert secret not in body


def test_csv_cells_cannot_run_as_formulas(cast, client_as):
    SuccessMeasure.objects.create(program=cast.program, label='=HYPERLINK("x")')
    body = client_as("coordinator").get(url("report_csv", cast)).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


# --- Outcomes ---------------------------------------------------------------------------------


def test_coordinator_records_success_measures_and_roles(cast, client_as, mentee):
    measure = SuccessMeasure.objects.create(program=cast.program, label="Ran for office")
    client = client_as("coordinator")
    page = url("participant_outcomes", cast, mentee.pk)
    response = post_loaded(
        client,
        page,
        {"action": "measures", f"achieved_{measure.pk}": "yes", f"note_{measure.pk}": "Treasurer"},
    )
    assert response.status_code == 302
    assert models.MeasureResult.objects.get().note == "Treasurer"
    response = client.post(
        page,
        {
            "action": "role",
            "role-kind": "delegate",
            "role-started_on": "2026-10-01",
            "role-title": "",
        },
    )
    assert response.status_code == 302
    role = models.LaterRole.objects.get()
    assert role.kind == "delegate" and role.entered_by == cast.coordinator
    response = client.post(page, {"action": "role", "role-kind": "delegate"})
    assert response.status_code == 200
    assert "Please correct the following:" in response.content.decode()


def test_another_programs_participant_is_not_found(cast, client_as):
    stranger = ParticipantFactory(program=cast.other_program)
    response = client_as("coordinator").get(url("participant_outcomes", cast, stranger.pk))
    assert response.status_code == 404


def test_members_add_and_remove_their_own_roles(cast, client_as, mentee, mentor):
    client = client_as("mentee")
    response = client.post(
        url("my_roles", cast), {"role-kind": "steward", "role-started_on": "2026-09-01"}
    )
    assert response.status_code == 302
    role = models.LaterRole.objects.get()
    assert role.participant == mentee and role.entered_by == cast.mentee
    # Someone else's role is out of reach.
    assert client_as("mentor").post(url("role_delete", cast, role.pk)).status_code == 404
    assert client.post(url("role_delete", cast, role.pk)).status_code == 302
    assert not models.LaterRole.objects.exists()


def grow_outcomes(cast, n):
    measures = list(cast.program.success_measures.all())
    for participant in add_participants(cast.program, "mentee", n):
        models.LaterRole.objects.create(
            participant=participant, kind="steward", started_on=datetime.date(2026, 9, 1)
        )
        services.measure_results_save(
            participant=participant,
            by=cast.coordinator,
            results={m.pk: (True, "") for m in measures},
        )


def test_outcomes_query_count_is_pinned(cast, client_as, django_assert_num_queries):
    SuccessMeasure.objects.create(program=cast.program, label="Ran for office")
    client = client_as("coordinator")
    count = assert_constant_queries(
        lambda: client.get(url("outcomes", cast)), lambda n: grow_outcomes(cast, n), sizes=(3, 20)
    )
    assert count == 12  # with the coordinator's authenticator; two for the alumni follow-up
    with django_assert_num_queries(count):
        client.get(url("outcomes", cast))


# --- Testimonials -----------------------------------------------------------------------------


def test_testimonial_needs_consent(cast, client_as):
    response = client_as("mentee").post(url("my_testimonial", cast), {"text": "Great!"})
    assert response.status_code == 200
    assert "A testimonial is shared only with your consent." in response.content.decode()
    assert not models.Testimonial.objects.exists()


def test_an_approved_testimonial_appears_on_the_public_page(cast, client_as):
    post_loaded(
        client_as("mentee"),
        url("my_testimonial", cast),
        {"text": "It changed my life.", "consent": "on"},
    )
    detail = reverse("programs:detail", args=[cast.program.slug])
    assert "It changed my life." not in client_as("anonymous").get(detail).content.decode()
    testimonial = models.Testimonial.objects.get()
    client_as("coordinator").post(
        url("testimonial_review", cast, testimonial.pk), {"decision": "approve"}
    )
    html = client_as("anonymous").get(detail).content.decode()
    assert "What participants say" in html and "It changed my life." in html
    client_as("coordinator").post(
        url("testimonial_review", cast, testimonial.pk), {"decision": "decline"}
    )
    assert "It changed my life." not in client_as("anonymous").get(detail).content.decode()


def test_an_anonymous_testimonial_is_signed_by_role(cast, client_as, mentor):
    testimonial = services.testimonial_save(
        participant=mentor, text="Worth it.", show_name=False, consent=True
    )
    services.testimonial_review(testimonial=testimonial, by=cast.coordinator, approve=True)
    html = (
        client_as("anonymous")
        .get(reverse("programs:detail", args=[cast.program.slug]))
        .content.decode()
    )
    assert (
        "A mentor in the program" in html
        and "Mona Mentor" not in html.split("What participants say")[1]
    )


def test_withdrawing_deletes_the_testimonial(cast, client_as, mentee):
    services.testimonial_save(participant=mentee, text="Hmm.", show_name=True, consent=True)
    client_as("mentee").post(url("testimonial_withdraw", cast))
    assert not models.Testimonial.objects.exists()


def test_testimonials_query_count_is_pinned(cast, client_as, django_assert_num_queries):
    def grow(n):
        for participant in add_participants(cast.program, "mentee", n):
            services.testimonial_save(
                participant=participant, text="Good.", show_name=True, consent=True
            )

    client = client_as("coordinator")
    count = assert_constant_queries(
        lambda: client.get(url("testimonials", cast)), grow, sizes=(3, 20)
    )
    assert count == 7  # with the coordinator's authenticator
    with django_assert_num_queries(count):
        client.get(url("testimonials", cast))


# --- Links from other pages -------------------------------------------------------------------


def test_program_page_links_coordinators_to_the_report(cast, client_as):
    html = (
        client_as("coordinator")
        .get(reverse("programs:detail", args=[cast.program.slug]))
        .content.decode()
    )
    assert url("report", cast) in html and url("overview", cast) in html
    html = (
        client_as("mentee")
        .get(reverse("programs:detail", args=[cast.program.slug]))
        .content.decode()
    )
    assert url("report", cast) not in html


def test_my_forms_lists_what_is_due(cast, client_as, match):
    services.evaluation_window_open(program=cast.program, by=cast.coordinator)
    html = client_as("mentee").get(reverse("accounts:forms")).content.decode()
    assert url("feedback", cast, match.pk) in html
    assert "Final feedback with Mona Mentor" in html
    assert url("evaluate", cast) in html


# --- Settings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "errors"), [(5, 0), (3, 0), (2, 1), ("5", 1), (True, 1)])
def test_the_group_threshold_is_checked_at_start_up(settings, value, errors):
    settings.EVALUATION_MIN_GROUP = value
    found = min_group_is_safe(None)
    assert len(found) == errors
    assert all(error.id == "evaluation.E001" for error in found)
