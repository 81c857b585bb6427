"""Printed forms: every question of each form is on the paper, in the right language."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from conftest import skip_or_fail
from core.testing import post_loaded
from intake.forms import ApplicationForm
from printing.registry import registry
from surveys.questions import MENTEE_QUESTIONS, MENTOR_QUESTIONS

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        skip_or_fail("pdftotext is not installed (apt-get install poppler-utils)")
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(out.stdout.split())


def lines_of(pdf: bytes, tmp_path) -> list[str]:
    """The text laid out as on the page (a table's row on one line), spaces squeezed."""
    text_of(pdf, tmp_path)  # skips or fails without pdftotext
    path = tmp_path / "layout.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return [" ".join(line.split()) for line in out.stdout.splitlines() if line.strip()]


def page_size(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "size.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    return next(line for line in out.stdout.splitlines() if line.startswith("Page size"))


def questions(key: str) -> list[str]:
    if key == "application":
        # Every question; the hidden version token is not one (core/concurrency.py).
        return [str(f.label) for f in ApplicationForm().fields.values() if not f.widget.is_hidden]
    return [
        str(q.text)
        for q in {"mentee": MENTEE_QUESTIONS, "mentor": MENTOR_QUESTIONS}[key.split("-")[0]]
    ]


@pytest.mark.parametrize("key", ["application", "mentee-survey", "mentor-survey"])
def test_every_blank_form_carries_every_question(client, key, tmp_path):
    response = client.get(reverse("printing:blank", args=[key]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = text_of(response.content, tmp_path)
    for question in questions(key):
        assert " ".join(question.split()) in text, question
    assert re.search(r"\b1 ?/ ?\d", text)  # page numbers


def test_the_survey_has_the_appendix_blocks(client, tmp_path):
    text = text_of(client.get(reverse("printing:blank", args=["mentee-survey"])).content, tmp_path)
    for label in (
        "General information",
        "Name",
        "Phone",
        "E-mail address",
        "Personal information",
        "Gender",
        "Date of birth",
        "Race or ethnicity",
        "Languages spoken other than English",
        "Local union",
        "Role in the union",
        "Prefer not to say",
    ):
        assert label in text, label


def test_french_on_request(client, tmp_path):
    response = client.get(reverse("printing:blank", args=["mentor-survey"]), {"lang": "fr"})
    text = text_of(response.content, tmp_path)
    assert "Questionnaire" in text and "Renseignements généraux" in text


def test_unknown_form_is_404(client):
    assert client.get(reverse("printing:blank", args=["tax-return"])).status_code == 404


def test_program_forms_carry_the_program_name_and_its_paper_size(client, cast, tmp_path):
    cast.program.paper_size = "A4"
    cast.program.save()
    url = reverse("printing:program_blank", args=[cast.program.slug, "application"])
    pdf = client.get(url).content
    assert cast.program.name in text_of(pdf, tmp_path)
    assert "(A4)" in page_size(pdf, tmp_path)
    cast.program.paper_size = "letter"
    cast.program.save()
    assert "(letter)" in page_size(client.get(url).content, tmp_path)


def test_a_draft_programs_forms_are_not_public(client, cast):
    cast.program.status = "draft"
    cast.program.save()
    url = reverse("printing:program_blank", args=[cast.program.slug, "application"])
    assert client.get(url).status_code == 404


def test_filled_survey_follows_the_screen_rules(filled, client_as, tmp_path):
    url = reverse("surveys:pdf", args=[filled.program.slug, filled.pk])
    coordinator = text_of(client_as("coordinator").get(url).content, tmp_path)
    assert "My answer to expectations" in coordinator
    assert "Zyxgender" in coordinator and "604-555-0177" in coordinator
    assert f"S-{filled.pk:06d}" in coordinator  # the record code for keying paper in
    partner = text_of(client_as("mentor").get(url).content, tmp_path)
    assert "My answer to expectations" in partner and "604-555-0177" in partner
    assert "Zyxgender" not in partner and "1977" not in partner and "Gender" not in partner
    assert client_as("member").get(url).status_code == 404
    assert client_as("other_coordinator").get(url).status_code == 404


def test_forms_page_lists_every_form(client):
    html = client.get(reverse("printing:index")).content.decode()
    for printable in registry().values():
        assert reverse("printing:blank", args=[printable.key]) in html


def test_a_record_code_opens_the_online_form(filled, client_as):
    client = client_as("coordinator")
    response = client.get(reverse("printing:record"), {"code": f"s-{filled.pk:06d}"})
    assert response["Location"] == reverse("surveys:detail", args=[filled.program.slug, filled.pk])
    response = client.get(reverse("printing:record"), {"code": "X-1"}, follow=True)
    assert "No form has this record code" in response.content.decode()
    # The code leads to the page; the page's own rules decide who sees it.
    outsider = client_as("member").get(reverse("printing:record"), {"code": f"S-{filled.pk}"})
    assert client_as("member").get(outsider["Location"]).status_code == 404


def test_coordinator_types_in_a_paper_survey(cast, client_as):
    participant = cast.program.participants.get(user=cast.mentee)
    url = reverse("surveys:key_in", args=[cast.program.slug, participant.pk])
    answers = {q.key: f"Paper answer {q.key}" for q in MENTEE_QUESTIONS}
    response = post_loaded(
        client_as("coordinator"),
        url,
        {**answers, "local_union": "Local 9", "union_role": "Member", "submit": "1"},
    )
    assert response.status_code == 302
    survey = participant.survey
    assert survey.status == "submitted" and survey.answers["strengths"] == "Paper answer strengths"
    assert client_as("mentor").get(url).status_code == 403


def _screen_notice(language: str) -> str:
    from django.template.loader import render_to_string
    from django.utils import translation
    from django.utils.html import strip_tags

    with translation.override(language):
        html = render_to_string("accounts/_demographics_notice.html")
    return " ".join(strip_tags(html).split()).replace("&#x27;", "'")


@pytest.mark.parametrize("key", ["mentee-survey", "mentor-survey"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_blank_survey_says_why_the_demographic_questions_are_asked(
    client, key, language, tmp_path
):
    response = client.get(reverse("printing:blank", args=[key]), {"lang": language})
    text = text_of(response.content, tmp_path)
    notice = _screen_notice(language)
    # The online survey's own reason, word for word, under "Personal information".
    assert notice.startswith(("Why we ask", "Pourquoi nous posons"))
    assert notice in text.replace("- ", "-")
    heading = "Personal information" if language == "en" else "Renseignements personnels"
    assert text.index(heading) < text.index(notice[:30])


def test_a_partners_copy_has_no_demographics_and_no_note_about_them(filled, client_as, tmp_path):
    url = reverse("surveys:pdf", args=[filled.program.slug, filled.pk])
    assert "Why we ask" in text_of(client_as("coordinator").get(url).content, tmp_path)
    assert "Why we ask" not in text_of(client_as("mentor").get(url).content, tmp_path)


def test_a_french_copys_record_code_is_a_reference_not_a_meeting_record(
    filled, client_as, cast, tmp_path
):
    """The code printed on a filled form reads "Référence" in French; "Compte rendu" is the
    record of a meeting (locale/fr/GLOSSARY.md), and "Dossier" is not used for either."""
    cast.coordinator.language = "fr"
    cast.coordinator.save()
    url = reverse("surveys:pdf", args=[filled.program.slug, filled.pk])
    text = " ".join(text_of(client_as("coordinator").get(url).content, tmp_path).split())
    assert f"Référence S-{filled.pk:06d}" in text
    assert "Compte rendu S-" not in text and "Dossier" not in text
