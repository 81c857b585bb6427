"""The outbox's writes: e-mails written as rows, sent once each, retried, purged.

What the outbox guarantees, and what it does not:

- A change and the e-mails it causes commit together (the rows are written in the
  caller's transaction): a rolled-back change sends nothing, a committed one loses nothing,
  whatever the broker or the SMTP server does afterwards.
- A page never talks to SMTP: it writes rows and queues one task per row after commit
  (core.tasks); a queueing failure is logged, and the sweep (every OUTBOX_SWEEP_SECONDS)
  queues every row that is due and unsent.
- `outbox_send` sends a row while holding its lock (SELECT ... FOR UPDATE SKIP LOCKED on
  PostgreSQL; SQLite's IMMEDIATE transactions serialise writers) and sets `sent_at` in the
  same transaction. A second task for the same row skips it while it is being sent and
  finds it sent afterwards: a retry never sends a row that was recorded as sent.
- A worker killed while sending rolls back: the row stays unsent and is sent again by the
  sweep. The one window left is a kill (or a lost database connection) after the SMTP server
  accepted the message and before the commit: then the message goes out twice, with the
  same Message-ID, so mail clients and the server's duplicate checks can recognise it.
- A failed send is recorded (attempts, last_error) and retried after
  OUTBOX_RETRY_SECONDS, doubling each time, up to OUTBOX_MAX_ATTEMPTS; then the row is
  marked failed and stays until someone retries it (outbox_retry).
"""

import datetime
import email.message
import email.policy
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import OutboxAttachment, OutboxMessage

logger = logging.getLogger(__name__)

# The longest wait between two attempts, however many there were.
LONGEST_BACKOFF = datetime.timedelta(days=1)


@dataclass
class Draft:
    """A rendered e-mail, not yet written."""

    to: str
    subject: str
    text: str
    html: str = ""
    attachments: Sequence[tuple[str, bytes, str]] = field(default_factory=tuple)


def _message_id() -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return make_msgid(domain=domain)


def outbox_write(*, drafts: Sequence[Draft]) -> list[int]:
    """Write the drafts as rows (one insert for them all, one for their attachments).

    Call inside the transaction of the change that causes them; the ids, to queue after
    commit.
    """
    if not drafts:
        return []
    now = timezone.now()
    rows = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                to=draft.to,
                subject=draft.subject,
                text=draft.text,
                html=draft.html,
                message_id=_message_id(),
                created_at=now,
                next_attempt_at=now,
            )
            for draft in drafts
        ]
    )
    OutboxAttachment.objects.bulk_create(
        [
            OutboxAttachment(message=row, name=name, content=content, mimetype=kind)
            for row, draft in zip(rows, drafts, strict=True)
            for name, content, kind in draft.attachments
        ]
    )
    return [row.pk for row in rows]


class _CalendarMessage(EmailMultiAlternatives):
    """An e-mail carrying a calendar invitation or cancellation (iMIP, RFC 6047): the file
    is a `text/calendar; method=...` alternative of the text, which mail programs turn into
    accept/decline buttons, and an `application/ics` attachment for those that do not."""

    calendar_method = ""

    def message(self, *, policy=email.policy.default):
        msg = super().message(policy=policy)
        for part in msg.walk():
            if part.get_content_type() == "text/calendar":
                part.set_param("method", self.calendar_method)
        return msg


def _calendar_method(mimetype: str) -> str:
    """The iTIP method of a `text/calendar; method=...` attachment, or ""."""
    header = email.message.EmailMessage()
    header["Content-Type"] = mimetype
    if header.get_content_type() != "text/calendar":
        return ""
    return str(header.get_param("method") or "").upper()


def as_email(row: OutboxMessage) -> EmailMultiAlternatives:
    """The message a row stands for, with the row's own Message-ID."""
    attachments = list(row.attachments.all())
    methods = {_calendar_method(attachment.mimetype) for attachment in attachments} - {""}
    message = (_CalendarMessage if methods else EmailMultiAlternatives)(
        subject=row.subject,
        body=row.text,
        to=[row.to],
        headers={"Message-ID": row.message_id},
    )
    if row.html:
        message.attach_alternative(row.html, "text/html")
    for attachment in attachments:
        content = bytes(attachment.content)
        method = _calendar_method(attachment.mimetype)
        if method:
            message.calendar_method = method
            message.attach_alternative(content.decode(), "text/calendar")
            message.attach(attachment.name, content, "application/ics")
        else:
            message.attach(attachment.name, content, attachment.mimetype)
    return message


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4, ... times the first."""
    first = datetime.timedelta(seconds=settings.OUTBOX_RETRY_SECONDS)
    return min(first * 2 ** (attempts - 1), LONGEST_BACKOFF)


def outbox_send(*, message_id: int, now: datetime.datetime | None = None) -> str:
    """Send one row if it is due and unsent; what happened ("sent", "retry", "failed", "skipped").

    Never raises for a sending failure: it is recorded on the row.
    """
    with transaction.atomic():
        row = (
            OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
            .first()
        )
        now = now or timezone.now()
        if row is None or row.next_attempt_at > now:
            # Sent, failed, gone, being sent by another worker, or waiting for its back-off.
            return "skipped"
        row.attempts += 1
        try:
            as_email(row).send()
        except Exception as error:
            row.last_error = f"{type(error).__name__}: {error}"[:500]
            if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                row.status = OutboxMessage.Status.FAILED
                outcome = "failed"
            else:
                row.next_attempt_at = now + backoff(row.attempts)
                outcome = "retry"
            row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            logger.warning(
                "E-mail %s: attempt %s failed (%s), %s",
                row.pk,
                row.attempts,
                type(error).__name__,
                outcome,
            )
            return outcome
        row.status = OutboxMessage.Status.SENT
        row.sent_at = timezone.now()
        row.last_error = ""
        row.save(update_fields=["attempts", "last_error", "status", "sent_at"])
        return "sent"


def outbox_due(*, now: datetime.datetime | None = None, limit: int = 1000) -> list[int]:
    """Unsent rows whose attempt is due: the sweep queues them (broker down, worker killed)."""
    now = now or timezone.now()
    return list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_retry(*, message_ids: Sequence[int], now: datetime.datetime | None = None) -> list[int]:
    """Make failed or waiting rows due now; the ids that were (sent ones are left alone)."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(of=("self",))
            .filter(pk__in=message_ids)
            .exclude(status=OutboxMessage.Status.SENT)
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxMessage.Status.PENDING, next_attempt_at=now, attempts=0
        )
    return ids


def outbox_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete sent rows after OUTBOX_KEEP_SENT_DAYS and failed ones after
    OUTBOX_KEEP_FAILED_DAYS (they hold personal data); the number deleted."""
    now = now or timezone.now()
    sent_before = now - datetime.timedelta(days=settings.OUTBOX_KEEP_SENT_DAYS)
    failed_before = now - datetime.timedelta(days=settings.OUTBOX_KEEP_FAILED_DAYS)
    _total, by_model = OutboxMessage.objects.filter(
        Q(status=OutboxMessage.Status.SENT, sent_at__lt=sent_before)
        | Q(status=OutboxMessage.Status.FAILED, created_at__lt=failed_before)
    ).delete()
    return by_model.get(OutboxMessage._meta.label, 0)
