import platform

from django.core.management.base import BaseCommand

from devdata.bench import dashboard, disclosure, matching, printing, reminders

BENCHMARKS = {
    "matching": matching.run,
    "printing": printing.run,
    "packet": printing.packet_run,
    "reminders": reminders.run,
    "dashboard": dashboard.run,
    "disclosure": disclosure.run,
}


class Command(BaseCommand):
    help = "Measure speed against the project's budgets (see README, Performance)."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", choices=[*BENCHMARKS, []], help="default: all")

    def handle(self, *args, names=(), **options):
        self.stdout.write(f"# {platform.python_implementation()} {platform.python_version()}")
        for name in names or BENCHMARKS:
            for line in BENCHMARKS[name]():
                self.stdout.write(line)
