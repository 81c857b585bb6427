"""The e-mail outbox: written with the change, sent once after commit, retried, purged."""

import datetime
import smtplib
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from kombu.exceptions import OperationalError

from core import outbox, tasks
from core.mail import mail_batch, send_templated_mail
from core.models import OutboxAttachment, OutboxMessage
from mentorship.celery import app

pytestmark = pytest.mark.django_db


def write(to="member@example.org", **options) -> int:
    return send_templated_mail(
        to=to,
        language="en",
        template="application_received",
        context={
            "application": SimpleNamespace(pk=7, get_role_display="Mentee"),
            "program": SimpleNamespace(name="Stewards' Circle", slug="stewards"),
        },
        **options,
    )


def refuse(times: int):
    """The mail server refuses the first `times` sends, then accepts."""
    real = EmailBackend.send_messages
    calls = {"n": 0}

    def send(self, messages):
        calls["n"] += 1
        if calls["n"] <= times:
            raise smtplib.SMTPDataError(451, b"try again later")
        return real(self, messages)

    return mock.patch.object(EmailBackend, "send_messages", send)


@pytest.fixture
def broker_only():
    """Tasks go to a broker (in memory) instead of running: what a page does in production."""
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def test_the_row_commits_with_the_change_and_is_sent_after(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pk = write()
        row = OutboxMessage.objects.get(pk=pk)
        assert row.status == "pending" and row.to == "member@example.org"
        assert mailoutbox == []  # nothing leaves before the commit
    assert len(mailoutbox) == 1
    row.refresh_from_db()
    assert row.status == "sent" and row.sent_at and row.attempts == 1
    assert mailoutbox[0].subject == row.subject
    assert mailoutbox[0].extra_headers["Message-ID"] == row.message_id


def test_a_rolled_back_change_writes_and_sends_nothing(
    mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        write()
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    assert mailoutbox == []


def test_the_rebuilt_message_is_the_rendered_one_with_its_attachment(mailoutbox):
    pk = write(attachments=[("meeting.ics", lambda: b"BEGIN:VCALENDAR", "text/calendar")])
    assert OutboxAttachment.objects.get(message_id=pk).name == "meeting.ics"
    assert outbox.outbox_send(message_id=pk) == "sent"
    sent = mailoutbox[0]
    assert sent.to == ["member@example.org"]
    assert sent.subject.startswith("[Mentorship] ")
    assert "Stewards' Circle" in sent.body  # plain text, not escaped
    assert sent.alternatives[0].mimetype == "text/html"
    assert sent.attachments[0].filename == "meeting.ics"
    assert sent.attachments[0].content == "BEGIN:VCALENDAR"  # text/* comes back as text
    assert sent.message()["Message-ID"] == OutboxMessage.objects.get(pk=pk).message_id


def test_a_retry_never_sends_a_row_twice(mailoutbox):
    pk = write()
    assert outbox.outbox_send(message_id=pk) == "sent"
    # The task delivered again (acks_late), queued again by the sweep, or run twice.
    assert outbox.outbox_send(message_id=pk) == "skipped"
    tasks.send_outbox.delay(pk)
    assert len(mailoutbox) == 1


def test_a_row_locked_by_another_worker_is_skipped_not_waited_for():
    pk = write()
    query = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=pk)
    with mock.patch.object(OutboxMessage.objects, "select_for_update") as lock:
        lock.return_value.filter.return_value.first.return_value = None  # another worker has it
        assert outbox.outbox_send(message_id=pk) == "skipped"
        lock.assert_called_once_with(skip_locked=True, of=("self",))
    assert query.exists()  # unsent, for the worker that holds it


def test_a_refused_send_is_kept_and_retried_with_a_growing_wait(mailoutbox):
    pk = write()
    start = timezone.now()
    with refuse(times=2):
        assert outbox.outbox_send(message_id=pk, now=start) == "retry"
        row = OutboxMessage.objects.get(pk=pk)
        assert (row.status, row.attempts, row.sent_at) == ("pending", 1, None)
        assert "451" in row.last_error
        assert row.next_attempt_at == start + datetime.timedelta(seconds=60)
        # Not due yet: a task delivered early leaves it alone.
        assert outbox.outbox_send(message_id=pk, now=start) == "skipped"
        second = row.next_attempt_at
        assert outbox.outbox_send(message_id=pk, now=second) == "retry"
        row.refresh_from_db()
        assert row.next_attempt_at == second + datetime.timedelta(seconds=120)
        assert outbox.outbox_send(message_id=pk, now=row.next_attempt_at) == "sent"
    assert len(mailoutbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, "")


@override_settings(OUTBOX_MAX_ATTEMPTS=3)
def test_after_the_last_attempt_the_row_is_failed_until_retried(mailoutbox):
    pk = write()
    when = timezone.now()
    with refuse(times=3):
        for _attempt in range(3):
            outbox.outbox_send(message_id=pk, now=when)
            when = OutboxMessage.objects.get(pk=pk).next_attempt_at
    row = OutboxMessage.objects.get(pk=pk)
    assert (row.status, row.attempts) == ("failed", 3)
    assert outbox.outbox_due(now=when + datetime.timedelta(days=30)) == []
    assert outbox.outbox_retry(message_ids=[pk]) == [pk]
    assert outbox.outbox_send(message_id=pk) == "sent"
    assert outbox.outbox_retry(message_ids=[pk]) == []  # sent: nothing to retry
    assert len(mailoutbox) == 1


def test_the_back_off_doubles_and_stops_growing_at_a_day():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert outbox.backoff(20) == datetime.timedelta(days=1)


def test_a_broker_that_is_down_fails_no_page_and_the_sweep_sends_later(
    broker_only, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    with (
        mock.patch.object(
            tasks.send_outbox.app,
            "connection_for_write",
            side_effect=OperationalError("Error 111 connecting: Connection refused"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        pk = write()  # no exception: the change stands
    assert "the outbox sweep will send them" in caplog.text
    assert OutboxMessage.objects.get(pk=pk).status == "pending"
    assert mailoutbox == []
    # The broker is back; the sweep's next run finds the row once its grace has passed.
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert outbox.outbox_due(now=timezone.now() - datetime.timedelta(minutes=1)) == []
    assert outbox.outbox_due(now=later) == [pk]
    app.conf.task_always_eager = True
    with mock.patch.object(tasks.timezone, "now", return_value=later):
        assert tasks.sweep_outbox() == 1
    assert len(mailoutbox) == 1


def test_a_page_queues_the_send_and_does_not_send(
    broker_only, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(tasks.send_outbox, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        pk = write()
    assert mailoutbox == []
    assert queued.call_args.args == ((pk,),)
    assert queued.call_args.kwargs["retry"] is False


def test_a_batch_is_one_insert_and_one_queueing(django_capture_on_commit_callbacks, mailoutbox):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with (
        django_capture_on_commit_callbacks() as callbacks,
        CaptureQueriesContext(connection) as queries,
        mail_batch(),
    ):
        for n in range(20):
            assert write(to=f"member{n}@example.org") is None
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "core_outboxmessage"')]
    assert len(inserts) == 1
    assert OutboxMessage.objects.count() == 20
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 20


def test_message_ids_are_unique_per_row_and_kept_across_attempts(mailoutbox):
    first, second = write(), write()
    rows = OutboxMessage.objects.in_bulk([first, second])
    assert rows[first].message_id != rows[second].message_id
    with refuse(times=1):
        outbox.outbox_send(message_id=first)
        OutboxMessage.objects.filter(pk=first).update(next_attempt_at=timezone.now())
        outbox.outbox_send(message_id=first)
    assert mailoutbox[0].extra_headers["Message-ID"] == rows[first].message_id


def test_sent_rows_are_purged_after_a_few_days_failed_ones_much_later():
    now = timezone.now()
    old_sent, new_sent, old_failed, very_old_failed, waiting = (write() for _ in range(5))
    OutboxMessage.objects.filter(pk=old_sent).update(
        status="sent", sent_at=now - datetime.timedelta(days=8)
    )
    OutboxMessage.objects.filter(pk=new_sent).update(
        status="sent", sent_at=now - datetime.timedelta(days=6)
    )
    OutboxMessage.objects.filter(pk=old_failed).update(
        status="failed", created_at=now - datetime.timedelta(days=30)
    )
    OutboxMessage.objects.filter(pk=very_old_failed).update(
        status="failed", created_at=now - datetime.timedelta(days=91)
    )
    OutboxMessage.objects.filter(pk=waiting).update(created_at=now - datetime.timedelta(days=91))
    assert outbox.outbox_purge(now=now) == 2
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {
        new_sent,
        old_failed,
        waiting,
    }
    assert not OutboxAttachment.objects.filter(message_id__in=[old_sent]).exists()


def test_the_beat_schedule_sweeps_and_purges(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"core.sweep_outbox", "core.purge_outbox"} <= tasks_scheduled
