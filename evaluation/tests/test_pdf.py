"""Appendices VII to IX on paper: feedback blank or filled, evaluations blank only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import questions
from evaluation.forms import EvaluationForm
from evaluation.models import Feedback
from mentorship.tests.test_access_matrix import named_patterns
from printing.tests.test_printing import text_of

pytestmark = pytest.mark.django_db


def flat(text) -> str:
    return " ".join(str(text).split())


def blank_text(client, key, tmp_path) -> str:
    response = client.get(reverse("printing:blank", args=[key]))
    assert response.status_code == 200
    return text_of(response.content, tmp_path)


def test_the_feedback_form_asks_both_sides_every_question(client, tmp_path):
    text = blank_text(client, "mentoring-feedback", tmp_path)
    expected = [questions.FEEDBACK_INSTRUCTIONS, questions.FEEDBACK_ASSESS]
    expected += [Feedback._meta.get_field(n).verbose_name for n in ("worked_well", "learned")]
    expected += [Feedback._meta.get_field("did_not_work").verbose_name]
    for by_mentor in (True, False):
        expected += questions.partner_prompts(by_mentor=by_mentor)
    expected += [questions.WHATS_NEXT_INTRO, *Feedback.NextStep.labels]
    for question in expected:
        assert flat(question) in text, question


@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_the_evaluations_ask_every_question_with_the_scale(client, role, tmp_path):
    text = blank_text(client, f"{role}-evaluation", tmp_path)
    assert flat(questions.CONFIDENTIAL_NOTE) in text
    for field in EvaluationForm(role=role).fields.values():
        assert flat(field.label) in text, field.label
        for _key, label in field.choices if hasattr(field, "choices") else ():
            assert flat(label) in text, label
    # The scale as on the appendix: five boxes, each with its label.
    assert [str(label) for _n, label in questions.HELPFULNESS_CHOICES] == [
        "1 – extremely helpful",
        "2",
        "3",
        "4",
        "5 – not helpful at all",
    ]
    assert "1 – extremely helpful 2 3 4 5 – not helpful at all" in text
    assert flat(questions.SCALE_NOTE) in text


def test_evaluations_are_never_printed_filled():
    printed = [name for name in named_patterns() if name.startswith("evaluation:")]
    assert [name for name in printed if "pdf" in name] == ["evaluation:feedback_pdf"]
    from printing.registry import RECORD_CODES

    assert not [m for m in RECORD_CODES.values() if "evaluat" in m and m != "evaluation.pdf"]


def give(match, author, *, submitted: bool = True, **answers) -> Feedback:
    return Feedback.objects.create(
        match=match,
        author=author,
        status="submitted" if submitted else "draft",
        submitted_at=timezone.now() if submitted else None,
        **{
            "worked_well": f"{author.user.name} worked well",
            "whats_next": "continue_formal",
            **answers,
        },
    )


def url_of(feedback: Feedback) -> str:
    return reverse(
        "evaluation:feedback_pdf",
        args=[feedback.match.program.slug, feedback.match_id, feedback.pk],
    )


def test_a_submitted_feedback_prints_for_whoever_may_read_it(
    match, mentee, mentor, client_as, tmp_path
):
    mine = give(match, mentee, partner_so_far="You listened well.", whats_next="informal")
    text = text_of(client_as("mentee").get(url_of(mine)).content, tmp_path)
    assert "Eddie Mentee worked well" in text and "You listened well." in text
    assert flat(questions.partner_prompts(by_mentor=False)[1]) in text
    assert f"F-{mine.pk:06d}" in text
    # The partner reads it only once both have submitted; coordinators never on screen.
    expected = {"mentor": 404, "coordinator": 403, "member": 404, "other_coordinator": 404}
    for role, status in {**expected, "anonymous": 302}.items():
        assert client_as(role).get(url_of(mine)).status_code == status, role
    give(match, mentor)
    assert client_as("mentor").get(url_of(mine)).status_code == 200


def test_a_draft_feedback_does_not_print(match, mentee, client_as):
    draft = give(match, mentee, submitted=False)
    assert client_as("mentee").get(url_of(draft)).status_code == 404


def test_the_feedback_page_links_its_pdfs_and_the_code_leads_back(match, mentee, mentor, client_as):
    mine, theirs = give(match, mentee), give(match, mentor)
    client = client_as("mentee")
    page = reverse("evaluation:feedback", args=[match.program.slug, match.pk])
    html = client.get(page).content.decode()
    assert url_of(mine) in html and url_of(theirs) in html
    response = client.get(reverse("printing:record"), {"code": f"F-{mine.pk}"})
    assert response["Location"] == page


def test_the_feedback_form_has_lines_to_sign_and_date(client, tmp_path):
    text = blank_text(client, "mentoring-feedback", tmp_path)
    assert "Signatures We discussed this feedback together in our final session." in text
    assert "Mentee — name, signature and date Mentor — name, signature and date" in text
    french = client.get(reverse("printing:blank", args=["mentoring-feedback"]), {"lang": "fr"})
    text = text_of(french.content, tmp_path)
    assert "Nous avons discuté ensemble de cette rétroaction" in text
    assert "Personne mentorée — nom, signature et date Mentor — nom, signature et date" in text


def test_a_filled_feedback_names_its_author_on_the_signature_lines(
    match, mentee, client_as, tmp_path
):
    mine = give(match, mentee)
    text = text_of(client_as("mentee").get(url_of(mine)).content, tmp_path)
    assert f"Mentee: {mentee.user.name} — signature and date" in text
    assert "Mentor — name, signature and date" in text


@pytest.mark.parametrize("role", ["mentee", "mentor"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_evaluations_give_one_tick_instruction(client, role, language, tmp_path):
    response = client.get(
        reverse("printing:blank", args=[f"{role}-evaluation"]), {"lang": language}
    )
    text = text_of(response.content, tmp_path)
    # In French both instructions read the same, so twice would show as a count of two.
    instructions = {
        "en": ("Tick all that apply.", "Tick each that applies."),
        "fr": ("Cochez toutes les réponses qui s'appliquent.",),
    }[language]
    assert sum(text.count(instruction) for instruction in instructions) == 1, text
