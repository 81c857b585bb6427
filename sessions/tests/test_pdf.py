"""Appendices III to VI on paper: blank with every question, filled as the pages show them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from printing.tests.test_printing import lines_of, text_of
from sessions.appendices import DEFAULT_AGENDA, GOALS, WORKSHEET_INTRO, WORKSHEET_SECTIONS
from sessions.forms import WorksheetForm
from sessions.models import Preparation, SessionRecord
from sessions.pdf import WORKSHEET_FORM_FIELDS
from sessions.tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    PreparationFactory,
    SessionRecordFactory,
    WorksheetFactory,
)

pytestmark = pytest.mark.django_db


def flat(text) -> str:
    # pdftotext joins a word hyphenated at a line's end ("mid-" + "point"): compare unhyphenated.
    return " ".join(str(text).split()).replace("-", "")


def blank_text(client, key, tmp_path) -> str:
    response = client.get(reverse("printing:blank", args=[key]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return text_of(response.content, tmp_path).replace("-", "")


def test_the_orientation_agenda_has_the_goals_and_the_timed_agenda(client, tmp_path):
    text = blank_text(client, "orientation-agenda", tmp_path)
    for goal in GOALS:
        assert flat(goal) in text
    for item in DEFAULT_AGENDA:
        assert flat(item.title) in text and str(item.minutes) in text
        for line in str(item.description).splitlines():
            assert flat(line.removeprefix("- ")) in text, line
    total = sum(item.minutes for item in DEFAULT_AGENDA)
    assert total == 120 and "Total" in text and "2 hours" in text
    assert "•" in text  # the appendix's bullet points


def test_the_planning_worksheet_has_its_nine_sections_and_both_contacts(client, tmp_path):
    text = blank_text(client, "planning-worksheet", tmp_path)
    assert flat(WORKSHEET_INTRO) in text
    fields = WorksheetForm().fields
    for part in WORKSHEET_SECTIONS:
        assert flat(f"{part.number}. {part.title}") in text
        assert flat(part.prompt) in text
        for name in part.fields:
            for form_field in WORKSHEET_FORM_FIELDS.get(name, (name,)):
                assert flat(fields[form_field].label) in text, form_field
    for label in ("Mentee", "Mentor", "Name", "Phone(s)", "Email"):
        assert label in text


@pytest.mark.parametrize(
    ("key", "model"),
    [("session-structure", SessionRecord), ("session-preparation", Preparation)],
)
def test_session_sheets_ask_every_question_of_their_appendix(client, key, model, tmp_path):
    text = blank_text(client, key, tmp_path)
    for name in model.QUESTIONS:
        assert flat(capfirst(model._meta.get_field(name).verbose_name)) in text, name


@pytest.fixture
def pair(cast_pair):
    return cast_pair


@pytest.fixture
def meeting(pair):
    meeting = MeetingFactory(match=pair, starts_at=timezone.now() - datetime.timedelta(days=1))
    record = SessionRecordFactory(meeting=meeting, checkin="Both actions done.")
    ActionItemFactory(record=record, description="Draft the grievance letter")
    PreparationFactory(meeting=meeting, questions="How do I open a grievance?")
    return meeting


def check_access(client_as, url, expected: dict[str, int]):
    for role, status in expected.items():
        assert client_as(role).get(url).status_code == status, role


READERS = {"mentee": 200, "mentor": 200, "coordinator": 200, "member": 404}
READERS |= {"other_coordinator": 404, "anonymous": 302}


def test_the_filled_worksheet_carries_the_answers_and_its_record_code(pair, client_as, tmp_path):
    worksheet = WorksheetFactory(match=pair, feedback="Say it straight, in private.")
    url = reverse("sessions:worksheet_pdf", args=[pair.program.slug, pair.pk])
    text = text_of(client_as("mentor").get(url).content, tmp_path)
    for answer in (worksheet.roles, worksheet.purpose, "Say it straight, in private."):
        assert answer in text
    assert pair.mentee.user.name in text and pair.mentor.user.name in text  # section 9
    assert f"W-{worksheet.pk:06d}" in text
    check_access(client_as, url, READERS)


def test_no_worksheet_no_pdf(pair, client_as):
    url = reverse("sessions:worksheet_pdf", args=[pair.program.slug, pair.pk])
    assert client_as("mentee").get(url).status_code == 404


def test_the_filled_session_record_and_preparation(meeting, client_as, tmp_path):
    args = [meeting.match.program.slug, meeting.match.pk, meeting.pk]
    record_url = reverse("sessions:meeting_record_pdf", args=args)
    text = text_of(client_as("coordinator").get(record_url).content, tmp_path)
    assert "Read the agreement." in text and "Both actions done." in text
    assert "Draft the grievance letter" in text
    assert f"R-{meeting.pk:06d}" in text
    check_access(client_as, record_url, READERS)

    preparation_url = reverse("sessions:meeting_preparation_pdf", args=args)
    text = text_of(client_as("mentor").get(preparation_url).content, tmp_path)
    assert "I read the grievance procedure." in text and "How do I open a grievance?" in text
    assert f"P-{meeting.pk:06d}" in text
    check_access(client_as, preparation_url, READERS)


def test_an_unrecorded_meeting_has_no_printed_record(pair, client_as):
    meeting = MeetingFactory(match=pair)
    args = [pair.program.slug, pair.pk, meeting.pk]
    for name in ("sessions:meeting_record_pdf", "sessions:meeting_preparation_pdf"):
        assert client_as("mentor").get(reverse(name, args=args)).status_code == 404


def test_the_pages_link_their_pdf(meeting, client_as):
    match = meeting.match
    WorksheetFactory(match=match)
    args = [match.program.slug, match.pk]
    page = client_as("mentee").get(reverse("sessions:meeting", args=[*args, meeting.pk]))
    html = page.content.decode()
    assert reverse("sessions:meeting_record_pdf", args=[*args, meeting.pk]) in html
    assert reverse("sessions:meeting_preparation_pdf", args=[*args, meeting.pk]) in html
    html = client_as("mentee").get(reverse("sessions:worksheet", args=args)).content.decode()
    assert reverse("sessions:worksheet_pdf", args=args) in html


def test_record_codes_lead_to_the_pages(meeting, client_as):
    match = meeting.match
    worksheet = WorksheetFactory(match=match)
    client = client_as("coordinator")
    targets = {
        f"W-{worksheet.pk:06d}": reverse("sessions:worksheet", args=[match.program.slug, match.pk]),
        f"r-{meeting.pk}": meeting.get_absolute_url(),
        f"P-{meeting.pk:06d}": meeting.get_absolute_url(),
    }
    for code, page in targets.items():
        assert client.get(reverse("printing:record"), {"code": code})["Location"] == page


def test_the_blank_worksheet_ends_with_the_agreement_to_sign(client, tmp_path):
    text = blank_text(client, "planning-worksheet", tmp_path)
    assert "Our agreement We agree to the plan we have written in this worksheet." in text
    assert "Mentee — name, signature and date" in text
    assert "Mentor — name, signature and date" in text
    assert text.index("9. Record contact information") < text.index("Our agreement")
    french = client.get(reverse("printing:blank", args=["planning-worksheet"]), {"lang": "fr"})
    text = text_of(french.content, tmp_path)
    assert "Notre entente Nous approuvons le plan que nous avons rédigé" in text
    assert "Personne mentorée — nom, signature et date" in text
    assert "Mentor — nom, signature et date" in text


def test_the_filled_worksheet_prints_names_and_online_agreement_dates(pair, client_as, tmp_path):
    agreed = timezone.make_aware(datetime.datetime(2026, 3, 4, 10, 0))
    WorksheetFactory(match=pair, mentor_agreed_at=agreed)
    url = reverse("sessions:worksheet_pdf", args=[pair.program.slug, pair.pk])
    text = text_of(client_as("mentee").get(url).content, tmp_path)
    mentee, mentor = pair.mentee.user.name, pair.mentor.user.name
    # The mentee has not agreed online: only a line to sign; the mentor's date is printed.
    assert f"Mentee: {mentee} — signature and date Mentor" in text
    assert f"Mentor: {mentor} — signature and date (agreed online on March 4, 2026)" in text


def test_the_blank_preparation_keeps_the_handbooks_email_suggestion(client, tmp_path):
    text = blank_text(client, "session-preparation", tmp_path)
    # Appendix VI, word for word (the seeds' handbook text).
    assert (
        flat(
            "Mentee, prior to each session, please prepare for the session by giving advance "
            "thought to the following questions. Consider e-mailing an update to your mentor "
            "prior to your meeting. This will help focus the mentoring session."
        )
        in text
    )
    french = client.get(reverse("printing:blank", args=["session-preparation"]), {"lang": "fr"})
    assert "envoyer à votre mentor un courriel" in text_of(french.content, tmp_path)


def test_the_record_pdf_marks_stretch_assignments(meeting, client_as, tmp_path):
    ActionItemFactory(
        record=meeting.record, description="Chair the next unit meeting", stretch=True
    )
    args = [meeting.match.program.slug, meeting.match.pk, meeting.pk]
    pdf = client_as("mentor").get(reverse("sessions:meeting_record_pdf", args=args)).content
    lines = lines_of(pdf, tmp_path)
    assert "Action Who Due Stretch" in lines and "assignment" in lines  # the header
    # The stretch one is marked, the other action is not.
    marked = [line for line in lines if line.endswith(" Yes")]
    assert len(marked) == 1 and marked[0].startswith("Chair the next unit meeting")
    assert any(line.startswith("Draft the grievance letter") for line in lines)
