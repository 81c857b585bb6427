from django.core.management.base import BaseCommand

from dashboard.funnel import recompute


class Command(BaseCommand):
    help = (
        "Compare every participant's stored funnel columns with the steps' definitions and "
        "correct those that differ (what beat runs hourly; after a bulk import, run it)."
    )

    def handle(self, *args, **options):
        corrected = recompute()
        self.stdout.write(f"{corrected} participant(s) corrected.")
