"""What the lists show in each row, now that rows are built in Python (issue 19): the
pairs' figures, the attendance boxes, the group sessions, the worksheet's contacts.

Each test reads the page as a coordinator or member would and names the exact value a
row must show, so a count, date or link worked out wrong (or for the wrong pair) fails.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from core.dates import format_date
from matching.models import Match
from programs.tests.factories import ParticipantFactory
from sessions.models import ActionItem, Meeting
from sessions.tests.factories import (
    ActionItemFactory,
    GroupSessionFactory,
    MeetingFactory,
    OrientationFactory,
    SessionRecordFactory,
    WorksheetFactory,
    at,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def row_of(page: str, text: str) -> str:
    """The table row (<tr>…</tr>) that contains `text`, with its tags and spaces squeezed."""
    rows = [row for row in re.findall(r"<tr>.*?</tr>", page, flags=re.S) if text in row]
    assert len(rows) == 1, f"{text!r} is in {len(rows)} rows"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", rows[0])).strip()


def short(day: datetime.datetime) -> str:
    return format_date(day, "SHORT_DATE_FORMAT")


def test_each_pair_row_shows_its_own_worksheet_meetings_and_actions(
    program, match, client_as, today
):
    # The cast's pair: agreed by one, two meetings held (a cancelled one and a future one
    # do not count), the last of them 3 days ago, the next in 5 days, one open action.
    WorksheetFactory(match=match, mentee_agreed_at=timezone.now())
    MeetingFactory(match=match, starts_at=at(today - 10 * DAY))
    last = MeetingFactory(match=match, starts_at=at(today - 3 * DAY))
    MeetingFactory(
        match=match,
        starts_at=at(today - 1 * DAY),
        status=Meeting.Status.CANCELLED,
        cancel_reason="Sick",
        cancelled_at=timezone.now(),
    )
    upcoming = MeetingFactory(match=match, starts_at=at(today + 5 * DAY))
    MeetingFactory(match=match, starts_at=at(today + 9 * DAY))
    ActionItemFactory(record=SessionRecordFactory(meeting=last))
    # A second pair, ended, with nothing: no worksheet, no meeting, its action done.
    quiet = Match.objects.create(
        program=program,
        mentee=ParticipantFactory(program=program, role="mentee", user__name="Quinn Quiet"),
        mentor=ParticipantFactory(program=program, role="mentor", user__name="Zoe Zed"),
        status=Match.Status.ENDED,
        started_at=timezone.now() - 90 * DAY,
    )
    done = MeetingFactory(match=quiet, starts_at=at(today + 2 * DAY))
    ActionItemFactory(
        record=SessionRecordFactory(meeting=done),
        status=ActionItem.Status.DONE,
        closed_at=timezone.now(),
    )

    page = client_as("coordinator").get(reverse("sessions:pairs", args=[program.slug]))
    page = page.content.decode()

    busy = row_of(page, "Eddie Mentee and Mona Mentor")
    assert busy == (
        f"Eddie Mentee and Mona Mentor Agreed by one 2 {short(last.starts_at)} "
        f"{short(upcoming.starts_at)} Yes"
    )
    assert f'href="{reverse("sessions:timeline", args=[program.slug, match.pk])}"' in page
    calm = row_of(page, "Quinn Quiet and Zoe Zed")
    assert calm == f"Quinn Quiet and Zoe Zed Ended Not started 0 — {short(done.starts_at)} No"
    assert f'href="{reverse("sessions:timeline", args=[program.slug, quiet.pk])}"' in page


def test_the_pairs_worksheet_badge_follows_both_agreements(program, match, client_as):
    target = reverse("sessions:pairs", args=[program.slug])
    worksheet = WorksheetFactory(match=match)
    for mentee_agreed, mentor_agreed, badge in (
        (None, None, "Draft"),
        (None, timezone.now(), "Agreed by one"),
        (timezone.now(), timezone.now(), "Agreed by both"),
    ):
        worksheet.mentee_agreed_at, worksheet.mentor_agreed_at = mentee_agreed, mentor_agreed
        worksheet.save()
        page = client_as("coordinator").get(target).content.decode()
        assert f"Mona Mentor {badge} 0" in row_of(page, "Eddie Mentee and Mona Mentor")


def test_the_timeline_and_worksheet_headings_show_the_pairs_lists_badge(program, match, client_as):
    # One rule (sessions.selectors.worksheet_badge) for the list's rows and both headings:
    # a heading that drifted from the list (a state swapped, a class lost) fails here.
    pages = [
        reverse("sessions:timeline", args=[program.slug, match.pk]),
        reverse("sessions:worksheet", args=[program.slug, match.pk]),
    ]
    client = client_as("coordinator")
    for page in pages:
        html = client.get(page).content.decode()
        assert '<span class="badge text-bg-light border">Not started</span>' in html, page
    worksheet = WorksheetFactory(match=match)
    for mentee_agreed, mentor_agreed, css, badge in (
        (None, None, "text-bg-secondary", "Draft"),
        (timezone.now(), None, "text-bg-warning", "Agreed by one"),
        (timezone.now(), timezone.now(), "text-bg-success", "Agreed by both"),
    ):
        worksheet.mentee_agreed_at, worksheet.mentor_agreed_at = mentee_agreed, mentor_agreed
        worksheet.save()
        for page in pages:
            html = client.get(page).content.decode()
            assert f'<span class="badge {css}">{badge}</span>' in html, (page, badge)


def test_attendance_boxes_name_each_participant_and_keep_what_was_ticked(program, client_as, cast):
    orientation = OrientationFactory(program=program)
    mentee = program.participants.get(user=cast.mentee)
    mentor = program.participants.get(user=cast.mentor)
    orientation.attendees.add(mentor)
    target = reverse("sessions:orientation_attendance", args=[program.slug])
    client = client_as("coordinator")

    page = client.get(target).content.decode()
    boxes = re.findall(r"<input type=\"checkbox\"[^>]*>\s*<label[^>]*>[^<]*</label>", page)
    assert len(boxes) == 2
    for participant, label, ticked in (
        (mentee, "Eddie Mentee (Mentee)", False),
        (mentor, "Mona Mentor (Mentor)", True),
    ):
        (box,) = [b for b in boxes if f'value="{participant.pk}"' in b]
        assert 'name="attendees"' in box and label in box
        assert (" checked" in box) is ticked
        box_id = re.search(r' id="([^"]+)"', box).group(1)
        assert f'<label for="{box_id}"' in box

    # Someone else's participant: refused, shown as an error on the field, and what was
    # ticked stays ticked.
    stranger = ParticipantFactory(role="mentee")
    response = client.post(target, {"attendees": [mentee.pk, stranger.pk]})
    page = response.content.decode()
    assert response.status_code == 200
    assert list(orientation.attendees.all()) == [mentor]
    assert 'aria-describedby="id_attendees_error"' in page
    assert 'id="id_attendees_error" class="invalid-feedback"' in page
    (box,) = re.findall(rf"<input[^>]*value=\"{mentee.pk}\"[^>]*>", page)
    assert " checked" in box and "is-invalid" in box and 'aria-invalid="true"' in box
    (box,) = re.findall(rf"<input[^>]*value=\"{mentor.pk}\"[^>]*>", page)
    assert " checked" not in box


def test_attendance_names_are_escaped(program, client_as):
    GroupSessionFactory(program=program)
    ParticipantFactory(program=program, role="mentee", user__name="<b>Bold</b> & Co")
    session = program.group_sessions.get()
    target = reverse("sessions:group_session_attendance", args=[program.slug, session.pk])
    page = client_as("coordinator").get(target).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co (Mentee)" in page
    assert "<b>Bold</b>" not in page


def test_group_sessions_rows_link_count_and_time(program, cast, client_as, today):
    first = GroupSessionFactory(program=program, title="Bargaining 101", starts_at=at(today, 10))
    second = GroupSessionFactory(
        program=program, title="Circle one", kind="circle", starts_at=at(today + DAY, 10)
    )
    first.attendees.add(*program.participants.all())
    target = reverse("sessions:group_sessions", args=[program.slug])
    page = client_as("coordinator").get(target).content.decode()
    when = format_date(first.starts_at, "DATETIME_FORMAT")
    assert row_of(page, "Bargaining 101").startswith(
        f"Bargaining 101 Class (Part One training) {when}"
    )
    assert row_of(page, "Bargaining 101").endswith(" 2")
    assert row_of(page, "Circle one").startswith(
        f"Circle one Circle meeting {format_date(second.starts_at, 'DATETIME_FORMAT')}"
    )
    assert row_of(page, "Circle one").endswith(" 0")
    for session in (first, second):
        assert f'href="{session.get_absolute_url()}"' in page
    # Members see the sessions, not who came.
    page = client_as("mentee").get(target).content.decode()
    assert row_of(page, "Bargaining 101").endswith("Union hall")


def test_the_worksheet_contacts_take_the_contact_email_else_the_account_email(match, client_as):
    Profile.objects.create(
        user=match.mentee.user, phone="604-555-0199", contact_email="eddie@home.example"
    )
    WorksheetFactory(match=match)
    page = client_as("mentor").get(
        reverse("sessions:worksheet", args=[match.program.slug, match.pk])
    )
    page = re.sub(r"\s+", " ", page.content.decode())
    assert 'href="mailto:eddie@home.example"' in page
    assert match.mentee.user.email not in page  # the contact address replaces it
    # The mentor has no profile: the account's address, and no phone.
    assert f'href="mailto:{match.mentor.user.email}"' in page
    assert re.search(r"Phone\(s\)</dt><dd class=\"col-8\">—</dd>", page)


def test_the_orientation_lists_each_pair_with_both_survey_links_escaped(program, match, client_as):
    OrientationFactory(program=program)
    match.mentee.user.name = "<i>Eddie</i> & Co"
    match.mentee.user.save()
    page = client_as("coordinator").get(reverse("sessions:orientation", args=[program.slug]))
    page = page.content.decode()
    mentee_url = reverse("surveys:detail", args=[program.slug, match.mentee.pk])
    mentor_url = reverse("surveys:detail", args=[program.slug, match.mentor.pk])
    assert (
        f'<li class="mb-2"><a href="{mentee_url}">&lt;i&gt;Eddie&lt;/i&gt; &amp; Co</a> and '
        f'<a href="{mentor_url}">Mona Mentor</a></li>'
    ) in page
    assert "<i>Eddie</i>" not in page


def test_the_timeline_history_escapes_what_members_typed_and_links_each_line(
    match, client_as, today
):
    meeting = MeetingFactory(match=match, starts_at=at(today - 2 * DAY))
    action = ActionItemFactory(
        record=SessionRecordFactory(meeting=meeting), description="<script>x</script> & more"
    )
    page = client_as("mentor").get(
        reverse("sessions:timeline", args=[match.program.slug, match.pk])
    )
    page = page.content.decode()
    history = page[page.index('id="timeline-heading"') :]
    assert "<script>x</script>" not in history
    meeting_url = reverse("sessions:meeting", args=[match.program.slug, match.pk, meeting.pk])
    line = (
        '<span class="badge text-bg-secondary me-1">Action</span> '
        f'<a href="{meeting_url}">Action for Eddie Mentee: &lt;script&gt;x&lt;/script&gt; '
        '&amp; more</a> <span class="text-body-secondary">— Open</span>'
    )
    assert line in history
    when = timezone.localtime(action.created_at)
    assert (
        f'<time datetime="{when.replace(microsecond=0).isoformat()}" '
        f'class="small text-body-secondary">{format_date(when, "DATETIME_FORMAT")}</time>'
    ) in history
