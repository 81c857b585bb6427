"""The pair's pages lead with what is next: the timeline shows what is coming and open
first, then the history newest first; a meeting's buttons come before its long answers;
the worksheet offers to book its next meeting only when none is booked."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from sessions.models import ActionItem, Preparation, SessionRecord, Worksheet
from sessions.tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    PreparationFactory,
    SessionRecordFactory,
    WorksheetFactory,
    at,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)._queued_messages]


def url(name, match, *args):
    return reverse(f"sessions:{name}", args=[match.program.slug, match.pk, *args])


def positions(page: str, *marks: str) -> list[int]:
    found = [page.find(mark) for mark in marks]
    assert -1 not in found, [m for m, i in zip(marks, found, strict=True) if i == -1]
    return found


@pytest.fixture
def history(match, today):
    """A worksheet 20 days ago, meetings 15 and 10 days ago (the later one prepared 11 days
    ago and recorded 9 days ago with an open and a done action), two to come."""
    ago = lambda days: timezone.now() - days * DAY  # noqa: E731
    Worksheet.objects.filter(pk=WorksheetFactory(match=match).pk).update(
        created_at=ago(20), updated_at=ago(20)
    )
    MeetingFactory(match=match, starts_at=at(today - 15 * DAY))
    past = MeetingFactory(match=match, starts_at=at(today - 10 * DAY))
    Preparation.objects.filter(pk=PreparationFactory(meeting=past).pk).update(updated_at=ago(11))
    record = SessionRecordFactory(meeting=past)
    SessionRecord.objects.filter(pk=record.pk).update(created_at=ago(9))
    ActionItemFactory(record=record, description="Read article 12", due_on=today + 3 * DAY)
    ActionItemFactory(
        record=record, description="Call the steward", status="done", closed_at=timezone.now()
    )
    ActionItem.objects.update(created_at=ago(9))
    later = MeetingFactory(match=match, starts_at=at(today + 10 * DAY))
    sooner = MeetingFactory(match=match, starts_at=at(today + 3 * DAY))
    return {"past": past, "sooner": sooner, "later": later}


def test_the_timeline_leads_with_what_is_coming_and_open(match, client_as, history):
    page = client_as("mentee").get(url("timeline", match)).content.decode()
    sooner, later = history["sooner"].get_absolute_url(), history["later"].get_absolute_url()
    order = positions(
        page,
        'id="coming-up-heading"',
        f'href="{sooner}"',
        f'href="{later}"',
        'id="open-actions-heading"',
        "Read article 12",
        'id="timeline-heading"',
    )
    assert order == sorted(order)
    # The upcoming meetings are listed once, as coming up; the open action has its buttons.
    history_part = page[page.index('id="timeline-heading"') :]
    assert sooner not in history_part and later not in history_part
    open_part = page[page.index('id="open-actions-heading"') : page.index('id="timeline-heading"')]
    assert "Mark done" in open_part and 'name="back" value="timeline"' in open_part
    assert "Call the steward" not in open_part
    # The count is a link to the open actions.
    assert 'href="#open-actions-heading">1 action is open</a>' in page


def test_the_history_runs_newest_first(match, client_as, history):
    page = client_as("mentee").get(url("timeline", match)).content.decode()
    history_part = page[page.index('id="timeline-heading"') :]
    order = positions(
        history_part,
        "Action for Eddie Mentee: Read article 12",  # 9 days ago
        "recorded the meeting",  # 9 days ago, before its actions were written
        f'href="{history["past"].get_absolute_url()}">Meeting</a>',  # 10 days ago
        "prepared for the meeting",  # 11 days ago
        "Worksheet started",  # 20 days ago
    )
    assert order == sorted(order)


def test_the_upcoming_meetings_offer_the_next_step_to_each_member(match, client_as, history):
    sooner = history["sooner"]
    mentee = client_as("mentee").get(url("timeline", match)).content.decode()
    assert url("meeting_preparation", match, sooner.pk) in mentee
    assert url("meeting_ics", match, sooner.pk) in mentee
    mentor = client_as("mentor").get(url("timeline", match)).content.decode()
    assert url("meeting_preparation", match, sooner.pk) not in mentor
    assert url("meeting_record", match, sooner.pk) not in mentor  # not taken place yet


def test_a_meeting_not_recorded_yet_stays_coming_up_for_the_mentor(match, client_as, today):
    held = MeetingFactory(match=match, starts_at=at(today - 2 * DAY))
    page = client_as("mentor").get(url("timeline", match)).content.decode()
    coming = page[page.index('id="coming-up-heading"') : page.index('id="open-actions-heading"')]
    assert url("meeting_record", match, held.pk) in coming and "Not recorded yet" in coming


def test_marking_an_action_done_on_the_timeline_comes_back_to_it(match, client_as, history):
    action = ActionItem.objects.get(description="Read article 12")
    response = client_as("mentee").post(
        url("action_status", match, action.pk), {"status": "done", "back": "timeline"}
    )
    assert response["Location"] == url("timeline", match)
    assert texts(response) == ["“Read article 12” is now done."]
    page = client_as("mentee").get(url("timeline", match)).content.decode()
    assert "0 actions are open" in page and "No action is open." in page


def test_a_meetings_buttons_come_before_its_long_answers(match, client_as, today):
    meeting = MeetingFactory(match=match, starts_at=at(today - DAY))
    PreparationFactory(meeting=meeting, tried="x " * 1500)
    record = SessionRecordFactory(meeting=meeting, status="draft", update="y " * 1500)
    ActionItemFactory(record=record, description="Draft the letter")
    mentor = client_as("mentor").get(url("meeting", match, meeting.pk)).content.decode()
    order = positions(
        mentor,
        url("meeting_record", match, meeting.pk),
        "Mark done",
        'id="preparation-heading"',
        "x x x",
        'id="record-heading"',
        "y y y",
    )
    assert order == sorted(order)
    mentee = client_as("mentee").get(url("meeting", match, meeting.pk)).content.decode()
    order = positions(mentee, url("meeting_preparation", match, meeting.pk), "x x x")
    assert order == sorted(order)


def test_a_meeting_to_come_offers_reschedule_and_cancel_first(match, client_as, today):
    meeting = MeetingFactory(match=match, starts_at=at(today + 2 * DAY))
    page = client_as("mentee").get(url("meeting", match, meeting.pk)).content.decode()
    order = positions(
        page,
        url("meeting_preparation", match, meeting.pk),
        url("meeting_reschedule", match, meeting.pk),
        url("meeting_cancel", match, meeting.pk),
        'id="details-heading"',
        'id="preparation-heading"',
    )
    assert order == sorted(order)


def test_the_worksheet_offers_to_book_only_when_nothing_is_booked(match, client_as, today):
    when = at(today + 4 * DAY)
    WorksheetFactory(match=match, next_meeting_at=when)
    book = url("meeting_create", match)
    page = client_as("mentee").get(url("worksheet", match)).content.decode()
    assert f'href="{book}?date=' in page and "schedule it" in page

    booked = MeetingFactory(match=match, starts_at=when)
    page = client_as("mentee").get(url("worksheet", match)).content.decode()
    assert f'href="{book}?date=' not in page and "schedule it" not in page
    assert f'href="{booked.get_absolute_url()}"' in page


def test_the_worksheet_leads_to_another_booked_meeting_and_not_a_cancelled_one(
    match, client_as, today
):
    WorksheetFactory(match=match, next_meeting_at=at(today + 4 * DAY))
    MeetingFactory(
        match=match,
        starts_at=at(today + 4 * DAY),
        status="cancelled",
        cancel_reason="Ill",
        cancelled_at=timezone.now(),
    )
    other = MeetingFactory(match=match, starts_at=at(today + 6 * DAY))
    page = client_as("mentee").get(url("worksheet", match)).content.decode()
    assert f'href="{other.get_absolute_url()}"' in page and "schedule it" not in page
