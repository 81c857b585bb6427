"""Each kind's due logic at fixed dates, sending once, opting out, outages, by hand."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from core.testing import assert_constant_queries
from intake.tests.factories import ApplicationFactory
from matching.models import MentorProfile
from programs.models import Participant
from programs.tests.factories import ParticipantFactory
from reminders.models import Reminder
from reminders.services import reminder_send_by_hand
from reminders.tasks import reminders_scan
from surveys.tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

NOON = datetime.time(12, 0)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, NOON))


def scan(day, mail, capture, digests=False):
    """Run a scan on `day`; the members' e-mails (coordinator digests left out unless asked)."""
    with capture(execute=True):
        reminders_scan(now=at(day))
    return [m for m in mail if digests or "This week in" not in m.subject]


@pytest.fixture
def joined(cast):
    """The cast's mentee joined the running program on 1 March."""
    participant = cast.program.participants.get(user=cast.mentee)
    Participant.objects.filter(pk=participant.pk).update(joined_at=at(datetime.date(2026, 3, 1)))
    Participant.objects.exclude(pk=participant.pk).update(joined_at=at(datetime.date(2026, 6, 1)))
    return participant


def test_survey_reminder_is_due_seven_days_after_joining(
    joined, mailoutbox, django_capture_on_commit_callbacks
):
    assert scan(datetime.date(2026, 3, 7), mailoutbox, django_capture_on_commit_callbacks) == []
    sent = scan(datetime.date(2026, 3, 8), mailoutbox, django_capture_on_commit_callbacks)
    assert [m.to for m in sent] == [[joined.user.email]]
    assert "Your survey for 2026 Mentorship Program" in sent[0].subject
    assert "/programs/2026-mentorship/my-survey/" in sent[0].body
    reminder = Reminder.objects.exclude(kind="coordinator_digest").get()
    assert (reminder.kind, reminder.due_on) == ("survey_due", datetime.date(2026, 3, 8))
    assert reminder.sent_at is not None


def test_a_scan_run_twice_sends_once(joined, mailoutbox, django_capture_on_commit_callbacks):
    day = datetime.date(2026, 3, 9)
    scan(day, mailoutbox, django_capture_on_commit_callbacks)
    scan(day, mailoutbox, django_capture_on_commit_callbacks)
    sent = scan(day + datetime.timedelta(days=20), mailoutbox, django_capture_on_commit_callbacks)
    assert len(sent) == 1
    assert Reminder.objects.filter(kind="survey_due").count() == 1


def test_a_submitted_survey_is_not_reminded(joined, mailoutbox, django_capture_on_commit_callbacks):
    SurveyFactory(participant=joined, status="submitted", submitted_at=timezone.now())
    assert scan(datetime.date(2026, 3, 10), mailoutbox, django_capture_on_commit_callbacks) == []


def test_done_between_scan_and_send_is_skipped(joined, mailoutbox):
    from reminders import services

    services.reminders_record_due(now=at(datetime.date(2026, 3, 10)))
    SurveyFactory(participant=joined, status="submitted", submitted_at=timezone.now())
    reminder = Reminder.objects.exclude(kind="coordinator_digest").get()
    services.reminder_send(reminder_id=reminder.pk)
    reminder.refresh_from_db()
    assert reminder.skipped == "no_longer_due" and reminder.sent_at is None
    assert mailoutbox == []


def test_members_who_turned_reminders_off_get_none(
    joined, mailoutbox, django_capture_on_commit_callbacks
):
    joined.user.optional_reminders = False
    joined.user.save()
    assert scan(datetime.date(2026, 3, 10), mailoutbox, django_capture_on_commit_callbacks) == []
    assert Reminder.objects.exclude(kind="coordinator_digest").get().skipped == "opted_out"


def test_reminder_is_in_the_members_language(
    joined, mailoutbox, django_capture_on_commit_callbacks
):
    joined.user.language = "fr"
    joined.user.save()
    sent = scan(datetime.date(2026, 3, 10), mailoutbox, django_capture_on_commit_callbacks)
    assert "questionnaire" in sent[0].subject.lower()


def test_application_closing_reminds_drafts_three_days_before(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    program = cast.program
    program.status = "open"
    program.applications_open_on = datetime.date(2026, 3, 1)
    program.applications_close_on = datetime.date(2026, 3, 20)
    program.save()
    draft = ApplicationFactory(program=program, applicant=cast.member, status="draft")
    ApplicationFactory(program=program)  # submitted: nothing to remind
    with time_machine.travel(at(datetime.date(2026, 3, 16)), tick=False):
        assert (
            scan(datetime.date(2026, 3, 16), mailoutbox, django_capture_on_commit_callbacks) == []
        )
    with time_machine.travel(at(datetime.date(2026, 3, 17)), tick=False):
        sent = scan(datetime.date(2026, 3, 17), mailoutbox, django_capture_on_commit_callbacks)
    assert [m.to for m in sent] == [[cast.member.email]]
    assert (
        Reminder.objects.exclude(kind="coordinator_digest").get().subject_key
        == f"application:{draft.pk}"
    )


def test_mentor_profile_refresh_after_a_year(cast, mailoutbox, django_capture_on_commit_callbacks):
    profile = MentorProfile.objects.create(user=cast.mentor, background="Steward")
    MentorProfile.objects.filter(pk=profile.pk).update(confirmed_at=at(datetime.date(2025, 5, 2)))
    Participant.objects.update(joined_at=timezone.now())
    with time_machine.travel(at(datetime.date(2026, 5, 2)), tick=False):
        assert scan(datetime.date(2026, 5, 2), mailoutbox, django_capture_on_commit_callbacks) == []
    with time_machine.travel(at(datetime.date(2026, 5, 3)), tick=False):
        sent = scan(datetime.date(2026, 5, 3), mailoutbox, django_capture_on_commit_callbacks)
    assert [m.to for m in sent] == [[cast.mentor.email]]
    assert "/me/mentor-profile/" in sent[0].body


def test_weekly_digest_goes_to_coordinators_on_monday(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.program.participants.update(joined_at=timezone.now())  # surveys missing, but recent
    monday, wednesday = datetime.date(2026, 11, 16), datetime.date(2026, 11, 18)
    sent = scan(wednesday, mailoutbox, django_capture_on_commit_callbacks, digests=True)
    digests = [m for m in sent if "This week in" in m.subject]
    assert {tuple(m.to) for m in digests} == {(cast.coordinator.email,)}
    assert "2 surveys not submitted" in digests[0].body
    assert Reminder.objects.get(kind="coordinator_digest").due_on == monday
    thursday = wednesday + datetime.timedelta(days=1)
    again = scan(thursday, mailoutbox, django_capture_on_commit_callbacks, digests=True)
    assert len([m for m in again if "This week in" in m.subject]) == 1  # still once that week


def test_broker_down_pages_keep_working_and_the_next_scan_catches_up(
    joined, mailoutbox, django_capture_on_commit_callbacks
):
    day = datetime.date(2026, 3, 10)
    with mock.patch("reminders.tasks.send_reminder.delay", side_effect=OSError("redis down")):
        reminders_scan(now=at(day))  # logged, not raised
    assert Reminder.objects.exclude(kind="coordinator_digest").get().sent_at is None
    assert mailoutbox == []
    assert len(scan(day, mailoutbox, django_capture_on_commit_callbacks)) == 1  # Redis is back
    assert len(scan(day, mailoutbox, django_capture_on_commit_callbacks)) == 1


def test_a_queued_send_is_requeued_only_after_a_while(joined):
    from reminders import services

    joined.program.coordinators.clear()  # no digest: one reminder in play
    with mock.patch("reminders.tasks.send_reminder.delay") as delay:
        reminders_scan(now=at(datetime.date(2026, 3, 10)))
        reminders_scan(now=at(datetime.date(2026, 3, 10)) + datetime.timedelta(minutes=5))
        assert delay.call_count == 1
        reminders_scan(now=at(datetime.date(2026, 3, 10)) + services.REQUEUE_AFTER * 2)
        assert delay.call_count == 2


def test_coordinator_sends_a_survey_reminder_by_hand_once_a_day(
    joined, cast, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("reminders:send_survey", args=[cast.program.slug, joined.pk])
    client = client_as("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(mailoutbox) == 1
    assert Reminder.objects.get().sent_by == cast.coordinator
    log = client.get(reverse("reminders:log", args=[cast.program.slug]), {"participant": joined.pk})
    assert "by hand, Alice Coordinator" in log.content.decode()


def test_by_hand_only_for_what_is_still_to_do(joined, cast):
    SurveyFactory(participant=joined, status="submitted", submitted_at=timezone.now())
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Nothing to remind"):
        reminder_send_by_hand(
            program=cast.program,
            recipient=joined.user,
            kind="survey_due",
            subject_key=f"survey:{joined.pk}",
            by=cast.coordinator,
        )


def test_turning_reminders_off_from_the_profile(client_as, cast):
    client_as("mentee").post(reverse("accounts:reminders"), {})
    cast.mentee.refresh_from_db()
    assert cast.mentee.optional_reminders is False
    client_as("mentee").post(reverse("accounts:reminders"), {"optional_reminders": "on"})
    cast.mentee.refresh_from_db()
    assert cast.mentee.optional_reminders is True


def test_scan_queries_do_not_grow_with_participants(cast):
    from reminders import services

    def grow(n):
        ParticipantFactory.create_batch(
            n, program=cast.program, joined_at=at(datetime.date(2026, 1, 1))
        )

    count = assert_constant_queries(
        lambda: (
            Reminder.objects.all().delete(),
            services.reminders_record_due(now=at(datetime.date(2026, 3, 10))),
        ),
        grow,
    )
    # The delete, the intervals, every range kind's candidates in one UNION ALL, the
    # feedback's two, the fit check's one, the digest's (pair states among them), the
    # insert, the pending list.
    assert count == 15


def test_log_query_count_is_pinned(cast, client_as):
    client = client_as("coordinator")
    url = reverse("reminders:log", args=[cast.program.slug])

    def grow(n):
        from core.models import OutboxMessage

        for p in ParticipantFactory.create_batch(n, program=cast.program):
            # Each with an e-mail the server refused: listed at the top, same queries.
            message = OutboxMessage.objects.create(
                to=p.user.email, subject="s", text="t", message_id=f"<{p.pk}@x>", status="failed"
            )
            Reminder.objects.create(
                message=message,
                kind="survey_due",
                recipient=p.user,
                program=cast.program,
                subject_key=f"survey:{p.pk}",
                due_on=datetime.date(2026, 3, 1),
                sent_by=cast.coordinator,
            )

    # with the coordinator's authenticator; the new participants' surveys fall due within
    # 14 days, so "Due next" grows with them too. 11 for the log and the scheduler's
    # status, 3 for what comes next: the intervals, every kind's candidates in one query
    # (not 14 replayed scans: 89 queries before), the names. test_due_next pins it with
    # every kind at 4 and 40 pairs.
    assert assert_constant_queries(lambda: client.get(url), grow) == 12


def test_log_lists_fit_check_reminders_with_pinned_queries(cast, client_as, mailoutbox):
    """Each fit-check e-mail the scan sent is a line of the log ("How is the match going?"),
    and the page's queries do not grow with them."""
    from matching.models import Match
    from matching.tests.factories import MatchFactory
    from sessions.tests.factories import MeetingFactory, SessionRecordFactory

    day = datetime.date(2026, 3, 10)
    client = client_as("coordinator")
    url = reverse("reminders:log", args=[cast.program.slug])

    def grow(n):
        for _ in range(n):
            match = MatchFactory(program=cast.program, status=Match.Status.ACTIVE)
            meeting = MeetingFactory(match=match, starts_at=at(day - datetime.timedelta(days=2)))
            SessionRecordFactory(meeting=meeting, status="recorded")
        with time_machine.travel(at(day), tick=False):
            scan(day, mailoutbox, TestCase.captureOnCommitCallbacks)

    with time_machine.travel(at(day), tick=False):
        count = assert_constant_queries(lambda: client.get(url), grow)
        page = client.get(url).content.decode()
    sent = Reminder.objects.filter(kind="fit_check_due", sent_at__isnull=False)
    assert sent.count() == 2 * Match.objects.filter(program=cast.program, status="active").count()
    from reminders.selectors import reminder_log
    from reminders.views import PAGE_SIZE

    first_page = [r.kind for r in reminder_log(cast.program)[:PAGE_SIZE]]
    assert page.count("<tr><td>How is the match going?") == first_page.count("fit_check_due") > 0
    assert count == 12


def test_log_reads_only_what_it_shows(cast, client_as, joined):
    """Neither the e-mails' bodies nor the members' passwords are read for the log."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    refused_reminder(cast, joined)
    url = reverse("reminders:log", args=[cast.program.slug])
    client = client_as("coordinator")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert "Not delivered after 8 attempts." in page
    reminder_queries = [q["sql"] for q in queries if 'FROM "reminders_reminder"' in q["sql"]]
    assert len(reminder_queries) == 3  # the count, the log's page, the undelivered
    for sql in reminder_queries:
        assert '"core_outboxmessage"."text"' not in sql
        assert '"core_outboxmessage"."html"' not in sql
        assert '"accounts_user"."password"' not in sql


# --- Delivery through the outbox --------------------------------------------------------------


def refused_reminder(cast, joined, **message) -> Reminder:
    from core.models import OutboxMessage

    row = OutboxMessage.objects.create(
        to=joined.user.email,
        subject="[Mentorship] Your survey",
        text="SECRET BODY",
        message_id=f"<{joined.pk}@example.org>",
        **{"status": "failed", "attempts": 8, "last_error": "SMTPDataError: 554", **message},
    )
    return Reminder.objects.create(
        kind="survey_due",
        recipient=joined.user,
        program=cast.program,
        subject_key=f"survey:{joined.pk}",
        due_on=datetime.date(2026, 3, 8),
        sent_at=timezone.now(),
        message=row,
    )


def test_the_reminder_and_its_email_commit_together(joined, cast, monkeypatch):
    from core.models import OutboxMessage

    # The outbox row is written inside the reminder's transaction: a failure after it
    # rolls both back, so the next scan sends the reminder (nothing marked sent unsent).
    def fail_after_writing(*args, **kwargs):
        raise RuntimeError("the database went away")

    reminder = Reminder.objects.create(
        kind="survey_due",
        recipient=joined.user,
        program=cast.program,
        subject_key=f"survey:{joined.pk}",
        due_on=datetime.date(2026, 3, 8),
    )
    from reminders.services import reminder_send

    monkeypatch.setattr(Reminder, "save", fail_after_writing)

    with pytest.raises(RuntimeError):
        reminder_send(reminder_id=reminder.pk)
    assert not OutboxMessage.objects.exists()
    monkeypatch.undo()
    sent = reminder_send(reminder_id=reminder.pk)
    assert sent.sent_at and sent.message.status == "pending"
    assert sent.message.to == joined.user.email


def test_coordinators_see_undelivered_reminders_and_retry_them(
    joined, cast, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    reminder = refused_reminder(cast, joined)
    client = client_as("coordinator")
    url = reverse("reminders:log", args=[cast.program.slug])
    page = client.get(url).content.decode()
    assert "E-mails not delivered" in page
    assert "Not delivered after 8 attempts." in page
    assert "Not delivered: the mail server refused it" in page
    assert "SECRET BODY" not in page and "554" not in page  # no bodies, no server replies
    retry = reverse("reminders:retry", args=[cast.program.slug, reminder.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry, follow=True)
    assert "will be sent again now" in response.content.decode()
    assert [m.body for m in mailoutbox] == ["SECRET BODY"]
    reminder.message.refresh_from_db()
    assert reminder.message.status == "sent"
    assert "E-mails not delivered" not in client.get(url).content.decode()
    # Delivered: a second retry sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry, follow=True)
    assert "already been delivered" in response.content.decode()
    assert len(mailoutbox) == 1


def test_a_reminder_waiting_for_a_retry_is_listed_with_its_next_attempt(joined, cast, client_as):
    refused_reminder(cast, joined, status="pending", attempts=2)
    page = client_as("coordinator").get(reverse("reminders:log", args=[cast.program.slug]))
    assert "2 attempts failed; next attempt" in page.content.decode()
    assert "Not delivered yet: being tried again" in page.content.decode()


def test_another_programs_reminder_cannot_be_retried_from_this_one(joined, cast, client_as):
    reminder = refused_reminder(cast, joined)
    Reminder.objects.filter(pk=reminder.pk).update(program=cast.other_program)
    retry = reverse("reminders:retry", args=[cast.program.slug, reminder.pk])
    assert client_as("coordinator").post(retry).status_code == 404
    reminder.message.refresh_from_db()
    assert reminder.message.status == "failed"


def test_log_rows_written_in_python_show_every_cell_escaped(cast, joined, client_as):
    """The log's rows are built in Python (views._log_body): each cell there, markup
    in a name shown as text, never as markup."""
    joined.user.name = '<b id="evil">Sam</b> & co'
    joined.user.save(update_fields=["name"])
    cast.coordinator.name = "<i>Coord</i>"
    cast.coordinator.save(update_fields=["name"])
    Reminder.objects.create(
        kind="survey_due",
        recipient=joined.user,
        program=cast.program,
        subject_key=f"survey:{joined.pk}",
        due_on=datetime.date(2026, 3, 8),
        sent_at=timezone.now(),
        sent_by=cast.coordinator,
    )
    page = client_as("coordinator").get(reverse("reminders:log", args=[cast.program.slug]))
    html = page.content.decode()
    from django.utils.formats import date_format

    assert '<b id="evil">' not in html and "<i>Coord</i>" not in html
    assert "<td>&lt;b id=&quot;evil&quot;&gt;Sam&lt;/b&gt; &amp; co</td>" in html
    assert '<span class="badge text-bg-info">by hand, &lt;i&gt;Coord&lt;/i&gt;</span>' in html
    due = date_format(datetime.date(2026, 3, 8), "SHORT_DATE_FORMAT")
    assert f"<td>{due}</td>" in html
    assert "<td>Sent " in html
