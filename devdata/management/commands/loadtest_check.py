import json

from django.core.management.base import BaseCommand, CommandError

from devdata.bench import load


class Command(BaseCommand):
    help = (
        "Fail unless every submission the load test saw acknowledged is stored exactly once "
        "(the JSON devdata/loadtest.py writes: its run id and acknowledged markers)."
    )

    def add_arguments(self, parser):
        parser.add_argument("acknowledged", help="The JSON file written by the load test.")

    def handle(self, *args, acknowledged: str, **options):
        with open(acknowledged, encoding="utf-8") as handle:
            data = json.load(handle)
        rows = data["acknowledged"]
        problems = load.exactly_once_problems(rows, load.stored_markers(data["run"]))
        for problem in problems[:50]:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"{len(problems)} of {len(rows)} acknowledged submissions are not stored "
                "exactly once."
            )
        self.stdout.write(f"All {len(rows)} acknowledged submissions are stored exactly once.")
