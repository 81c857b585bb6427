"""Demo data showing a calendar invitation as it is e-mailed (issue 20, item 1).

The demo mentee's "meeting tomorrow" reminder for their next meeting, whose e-mail carries
the meeting's invitation itself (METHOD:REQUEST, the invitation's UID and SEQUENCE, the
pair as attendees), is in the outbox waiting for a second attempt: Reminders → "E-mails not
delivered" lists it, and "Try again now" sends it (to the terminal under `make run`, where
the `text/calendar; method=REQUEST` part and `meeting.ics` can be read).

Idempotent: the reminder row is unique per (kind, recipient, subject, due date) and its
e-mail is written once. Nothing is sent while seeding.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from core.mail import render_templated_mail
from core.models import OutboxMessage
from core.outbox import outbox_write
from reminders.kinds import KINDS
from reminders.models import Reminder
from sessions.models import Meeting

MENTEE_EMAIL = "mentee@example.org"
KIND = "meeting_tomorrow"


@transaction.atomic
def seed_invitation_demo() -> Reminder | None:
    meeting = (
        Meeting.objects.filter(
            match__mentee__user__email=MENTEE_EMAIL,
            match__status="active",
            status=Meeting.Status.SCHEDULED,
            starts_at__gt=timezone.now(),
        )
        .select_related("match__program", "match__mentee__user", "match__mentor__user")
        .order_by("starts_at")
        .first()
    )
    if meeting is None:
        return None
    mentee = meeting.match.mentee.user
    day = timezone.localdate(meeting.starts_at)
    reminder, _created = Reminder.objects.get_or_create(
        kind=KIND,
        recipient=mentee,
        subject_key=f"meeting:{meeting.pk}:{day.isoformat()}",
        due_on=day - datetime.timedelta(days=1),
        defaults={"program": meeting.match.program, "sent_at": timezone.now()},
    )
    if reminder.message_id is not None:
        return reminder
    context = KINDS[KIND].context(reminder.subject_key)
    attachments = context.pop("attachments")
    draft = render_templated_mail(
        to=mentee.email,
        language=mentee.language,
        template=f"reminder_{KIND}",
        context={**context, "reminder": reminder, "user": mentee},
        attachments=attachments,
    )
    (message_id,) = outbox_write(drafts=[draft])
    # One failed attempt, not yet given up: listed as "being tried again", and never
    # sent by seeding (no task is queued).
    OutboxMessage.objects.filter(pk=message_id).update(
        attempts=1,
        last_error="SMTPServerDisconnected: the demo's mail server did not answer",
        next_attempt_at=timezone.now() + datetime.timedelta(days=365),
    )
    reminder.message_id = message_id
    reminder.save(update_fields=["message"])
    return reminder
