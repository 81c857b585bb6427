"""A session record is "Recorded" only when the mentor presses the button that says so.

Enter in an action's one-line box, or a phone's Go key, sends the form without that button
(and, without JavaScript, with the form's first button, "Save as a draft"): a draft.
"""

import datetime

import pytest

from core.testing import post_loaded
from sessions.models import SessionRecord
from sessions.tests.factories import MeetingFactory, SessionRecordFactory, at
from sessions.tests.test_views import record_post, texts, url

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def meeting(match, today):
    return MeetingFactory(match=match, starts_at=at(today - DAY))


@pytest.mark.parametrize(
    "button",
    [
        {},  # Enter in a box: no button at all
        {"status": "draft"},
        {"status": "Recorded"},  # not the button's value
        {"status": ["draft", "recorded"]},  # two buttons at once: no browser sends that
    ],
)
def test_without_the_record_button_it_is_a_draft(match, meeting, client_as, button):
    data = record_post(**button)
    response = post_loaded(client_as("mentor"), url("meeting_record", match, meeting.pk), data)
    assert response.status_code == 302
    record = SessionRecord.objects.get(meeting=meeting)
    assert record.status == SessionRecord.Status.DRAFT
    assert record.update == "Read article 12."  # the draft is saved, nothing lost
    assert texts(response) == [
        "Your draft of the record is saved. The session is recorded when you press “Record "
        "the session”."
    ]
    page = client_as("mentor").get(url("meeting", match, meeting.pk)).content.decode()
    assert "Record in draft" in page and ">Recorded<" not in page


def test_the_record_button_records(match, meeting, client_as):
    response = post_loaded(
        client_as("mentor"),
        url("meeting_record", match, meeting.pk),
        record_post(status="recorded"),
    )
    assert response.status_code == 302
    assert SessionRecord.objects.get(meeting=meeting).is_recorded
    assert texts(response) == ["The session is recorded."]
    page = client_as("mentee").get(url("meeting", match, meeting.pk)).content.decode()
    assert ">Recorded<" in page and "Record in draft" not in page


def test_saving_a_recorded_record_as_a_draft_makes_it_a_draft_again(match, meeting, client_as):
    SessionRecordFactory(meeting=meeting)
    post_loaded(
        client_as("mentor"), url("meeting_record", match, meeting.pk), record_post(status="draft")
    )
    assert SessionRecord.objects.get(meeting=meeting).status == SessionRecord.Status.DRAFT


def test_the_draft_button_comes_first_so_a_browsers_enter_never_records(match, meeting, client_as):
    """Without JavaScript, Enter submits with the form's first submit button."""
    page = client_as("mentor").get(url("meeting_record", match, meeting.pk)).content.decode()
    form = page[page.index("data-long-form") :]
    first = form.index('name="status"')
    assert form[first : first + 30].startswith('name="status" value="draft"')
    assert 'name="status" value="recorded"' in form


def test_a_draft_is_not_in_the_timeline_as_recorded(match, meeting, client_as):
    SessionRecordFactory(meeting=meeting, status="draft")
    page = client_as("mentee").get(url("timeline", match)).content.decode()
    assert "recorded the meeting of" not in page
    SessionRecord.objects.update(status="recorded")
    page = client_as("mentee").get(url("timeline", match)).content.decode()
    assert "recorded the meeting of" in page
