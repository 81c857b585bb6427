"""The survey does not ask again what the application answered (the local and the role in
the union): it shows the application's answers, which still reach the survey page, its PDF
and matching."""

import datetime
import shutil

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from core.testing import post_loaded
from intake import services as intake
from intake.tests.conftest import ANSWERS
from intake.tests.factories import ApplicationFactory
from matching.selectors import matching_data
from programs.models import Participant, Program
from surveys.models import Survey
from surveys.tests.factories import full_answers

pytestmark = pytest.mark.django_db

ROLE = "Health and safety rep"
LOCAL = "Local 7 Unit 3"


def mine(program):
    return reverse("surveys:mine", args=[program.slug])


@pytest.fixture
def accepted(cast) -> Participant:
    """Bob applied as a mentee (through the service, as the page does) and was accepted."""
    program = cast.program
    today = timezone.localdate()
    program.status = Program.Status.OPEN
    program.applications_open_on = today - datetime.timedelta(days=1)
    program.applications_close_on = today + datetime.timedelta(days=1)
    program.save()
    application, _ = intake.application_save(
        program=program,
        applicant=cast.member,
        role="mentee",
        answers={**ANSWERS, "union_role": ROLE, "local_unit": LOCAL},
        profile_answers={},
        submit=True,
        consent=True,
    )
    intake.application_decide(
        application=application, decision="accept", note="", by=cast.coordinator
    )
    return Participant.objects.get(program=program, user=cast.member)


def test_the_survey_shows_the_applications_answers_instead_of_asking(accepted, client_as):
    page = client_as("member").get(mine(accepted.program)).content.decode()
    assert 'name="union_role"' not in page and 'name="local_union"' not in page
    assert ROLE in page and LOCAL in page
    assert "You answered these in your application" in page
    assert reverse("accounts:profile") in page  # the way to change them


def test_the_answers_reach_the_survey_page_its_pdf_and_matching(accepted, client_as, cast):
    program = accepted.program
    response = post_loaded(
        client_as("member"), mine(program), {**full_answers("mentee"), "submit": "1"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Survey.objects.get(participant=accepted).status == "submitted"
    profile = Profile.objects.get(user=cast.member)
    assert (profile.union_role, profile.local_union) == (ROLE, LOCAL)

    detail = reverse("surveys:detail", args=[program.slug, accepted.pk])
    page = client_as("coordinator").get(detail).content.decode()
    assert ROLE in page and LOCAL in page

    mentee = next(m for m in matching_data(program).problem.mentees if m.id == accepted.pk)
    assert mentee.local == LOCAL.casefold()

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text is not read")
    from mentorship.tests.hostile import pdf_text

    pdf = client_as("coordinator").get(reverse("surveys:pdf", args=[program.slug, accepted.pk]))
    text = " ".join(pdf_text(pdf.content).split())
    assert ROLE in text and LOCAL in text


def test_a_profile_without_them_starts_from_the_applications_answers(cast, client_as):
    ApplicationFactory(
        program=cast.program, applicant=cast.mentee, union_role=ROLE, local_unit=LOCAL
    )
    page = client_as("mentee").get(mine(cast.program)).content.decode()
    assert 'name="union_role"' in page and f'value="{ROLE}"' in page
    assert 'name="local_union"' in page and f'value="{LOCAL}"' in page


def test_a_draft_application_is_not_taken_as_answered(cast, client_as):
    ApplicationFactory(program=cast.program, applicant=cast.mentee, status="draft")
    Profile.objects.update_or_create(user=cast.mentee, defaults={"union_role": "Steward"})
    page = client_as("mentee").get(mine(cast.program)).content.decode()
    assert 'name="union_role"' in page
    assert "You answered these in your application" not in page


def test_a_coordinator_keying_in_a_paper_survey_is_asked_everything(accepted, client_as):
    url = reverse("surveys:key_in", args=[accepted.program.slug, accepted.pk])
    page = client_as("coordinator").get(url).content.decode()
    assert 'name="union_role"' in page and 'name="local_union"' in page
