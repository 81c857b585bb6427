"""Demo of the fit check's reminder: the e-mail each member still asked "How is the match
going?" in the running program gets, as the day's scan sends it (reminders.kinds FIT_CHECK).
The demo mentor's is among them: Reminders → the log shows it sent ("How is the match
going?", the demo mentor's name, today). Sent once: running it again finds each
side and stage already reminded (the database's unique constraint) and sends nothing."""

from programs.models import Program
from reminders.kinds import FIT_CHECK
from reminders.models import Reminder
from reminders.services import reminder_send, reminders_record_due

from .sessions_demo import PROGRAM_SLUG


def seed_fitcheck_reminder_demo() -> None:
    program = Program.objects.filter(slug=PROGRAM_SLUG).first()
    if program is None:
        return
    reminders_record_due(kinds=[FIT_CHECK], program_ids={program.pk})
    waiting = Reminder.objects.filter(
        kind=FIT_CHECK, program=program, sent_at__isnull=True, skipped=""
    ).values_list("pk", flat=True)
    for pk in list(waiting):
        reminder_send(reminder_id=pk)
