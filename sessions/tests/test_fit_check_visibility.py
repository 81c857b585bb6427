"""Who sees a fit check's answer and note: the member who gave it and the program's
coordinators; never the partner, another coordinator or an outsider.

The partner's walk is an attack: the mentee says "Not a good fit" with a note, then every
GET page of the URL × role matrix (HTML, PDFs, calendars, CSV and the data download) is
opened as the mentor and searched for the note and the answer.
"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dashboard import selectors as dashboard_selectors
from members.selectors import member_data
from mentorship.tests.test_access_matrix import MATRIX
from sessions import services
from sessions.models import FitCheck, Side
from sessions.tests.factories import MeetingFactory, SessionRecordFactory

pytestmark = pytest.mark.django_db

NOTE = "Mona keeps cancelling, please call me #fitnote-5521"
MENTOR_NOTE = "All fine on my side #mentornote-6612"


@pytest.fixture
def answered(cast_pair):
    meeting = MeetingFactory(match=cast_pair, starts_at=timezone.now() - datetime.timedelta(days=2))
    SessionRecordFactory(meeting=meeting)
    services.fit_check_answer(
        match=cast_pair, side=Side.MENTEE, stage="first", answer="not_a_good_fit", note=NOTE
    )
    services.fit_check_answer(
        match=cast_pair, side=Side.MENTOR, stage="first", answer="going_well", note=MENTOR_NOTE
    )
    return cast_pair


def timeline(cast, match) -> str:
    return reverse("sessions:timeline", args=[cast.program.slug, match.pk])


def test_the_coordinator_sees_both_answers_and_notes_on_the_pairs_page(cast, answered, client_as):
    text = client_as("coordinator").get(timeline(cast, answered)).content.decode()
    assert NOTE in text and MENTOR_NOTE in text
    assert 'data-fit-check-answer="not_a_good_fit"' in text
    assert 'data-fit-check-answer="going_well"' in text
    # The re-match path, one click away: the end-match form with its reason chosen.
    end = reverse("matching:end", args=[cast.program.slug, answered.pk])
    assert f"{end}?reason=not_a_good_fit" in text


@pytest.mark.parametrize(
    ("role", "mine", "theirs"),
    [("mentee", NOTE, MENTOR_NOTE), ("mentor", MENTOR_NOTE, NOTE)],
)
def test_each_side_sees_its_own_answer_never_the_partners(
    cast, answered, client_as, role, mine, theirs
):
    text = client_as(role).get(timeline(cast, answered)).content.decode()
    assert "Your private answer" in text
    assert theirs not in text and mine not in text  # the note stays on its own page
    assert "data-fit-check-answer" not in text
    if role == "mentor":
        assert "Not a good fit" not in text
    own = reverse("sessions:fit_check", args=[cast.program.slug, answered.pk, "first"])
    assert mine in client_as(role).get(own).content.decode()


@pytest.mark.parametrize("role", ["other_coordinator", "member"])
def test_outsiders_get_404(cast, answered, client_as, role):
    assert client_as(role).get(timeline(cast, answered)).status_code == 404
    own = reverse("sessions:fit_check", args=[cast.program.slug, answered.pk, "first"])
    assert client_as(role).get(own).status_code == 404


def test_a_coordinator_cannot_answer_for_a_member(cast, answered, client_as):
    own = reverse("sessions:fit_check", args=[cast.program.slug, answered.pk, "first"])
    assert client_as("coordinator").post(own, {"answer": "going_well"}).status_code == 403


def test_the_data_download_holds_only_the_members_own_answer(cast, answered):
    mentee = str(member_data(cast.mentee))
    mentor = str(member_data(cast.mentor))
    assert NOTE in mentee and MENTOR_NOTE not in mentee
    assert MENTOR_NOTE in mentor and NOTE not in mentor


# Pages where "Not a good fit" is a label of the page itself, not anyone's answer.
SAYS_NOT_A_GOOD_FIT = {"matching:end"}


def test_the_partner_finds_the_other_answer_on_no_page(cast, answered):
    """Every GET page of the matrix, as the mentor: neither the mentee's note nor their
    answer anywhere (pages, PDFs, calendars, CSV, the data download)."""
    client = Client()
    client.force_login(cast.mentor)
    opened = 0
    for name, row in sorted(MATRIX.items()):
        if row.method != "get" or row.expect["mentor"] != 200:
            continue
        url = reverse(name, kwargs=row.kwargs(cast))
        response = client.get(url, row.data)
        if response.status_code != 200:
            continue
        body = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
        if response.get("Content-Type", "").startswith("application/pdf"):
            from mentorship.tests.hostile import pdf_text

            text = pdf_text(body) if body.startswith(b"%PDF") and len(body) > 64 else ""
        else:
            text = body.decode()
        opened += 1
        assert "#fitnote-5521" not in text, f"{name}: the mentee's note"
        assert "fitnote" not in text, name
        if name not in SAYS_NOT_A_GOOD_FIT:
            assert "Not a good fit" not in text, f"{name}: the mentee's answer"
            assert "not_a_good_fit" not in text, f"{name}: the mentee's answer"
    assert opened > 30


def test_not_a_good_fit_puts_the_pair_in_needs_attention(cast, answered, client_as):
    board = dashboard_selectors.dashboard([cast.program])
    assert board.attention["not_a_good_fit"] == 1
    page = client_as("coordinator").get(reverse("dashboard:list", args=["not_a_good_fit"]))
    text = page.content.decode()
    assert "Eddie Mentee" in text and "The mentee" in text
    end = reverse("matching:end", args=[cast.program.slug, answered.pk])
    assert f"{end}?reason=not_a_good_fit" in text
    # The other coordinator's dashboard knows nothing of it.
    other = client_as("other_coordinator").get(reverse("dashboard:list", args=["not_a_good_fit"]))
    assert "Eddie Mentee" not in other.content.decode()


def test_a_better_answer_at_the_midpoint_takes_the_pair_off_the_list(cast, answered):
    FitCheck.objects.create(match=answered, side="mentee", stage="midpoint", answer="going_well")
    assert dashboard_selectors.dashboard([cast.program]).attention["not_a_good_fit"] == 0


def test_ending_it_as_not_a_good_fit_leads_to_the_board(cast, answered, client_as):
    client = client_as("coordinator")
    end = reverse("matching:end", args=[cast.program.slug, answered.pk])
    form = client.get(f"{end}?reason=not_a_good_fit").content.decode()
    chosen = re.search(r'<input[^>]*value="not_a_good_fit"[^>]*>', form).group(0)
    assert "checked" in chosen
    plain = client.get(end).content.decode()
    assert "checked" not in re.search(r'<input[^>]*value="not_a_good_fit"[^>]*>', plain).group(0)
    response = client.post(end, {"reason": "not_a_good_fit", "note": ""})
    assert response.status_code == 302
    board = dashboard_selectors.dashboard([cast.program])
    assert board.attention["not_a_good_fit"] == 0
    assert board.attention["ended_unmatched"] == 1
