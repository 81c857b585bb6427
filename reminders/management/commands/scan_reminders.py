from django.core.management.base import BaseCommand

from reminders.tasks import reminders_scan


class Command(BaseCommand):
    help = "Find the reminders due now and send them (what beat runs every few minutes)."

    def handle(self, *args, **options):
        queued = reminders_scan()
        self.stdout.write(f"{queued} reminder(s) queued.")
