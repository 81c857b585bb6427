import json
import sys
import traceback
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devdata.bench import report, suite
from devdata.bench.figures import Figure


class Command(BaseCommand):
    help = (
        "Measure every benchmark against bench/budgets.toml, write bench/results.json and "
        "bench/results.md, and exit non-zero naming each figure over budget (README, Performance)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "names", nargs="*", choices=[*suite.BENCHMARKS, []], help="default: all, in order"
        )
        parser.add_argument(
            "--repeat", type=int, help="timed samples per figure (default: each benchmark's own)"
        )
        parser.add_argument(
            "--output",
            default="bench/results.json",
            help="where the results go (default bench/results.json; the table beside it, .md)",
        )
        parser.add_argument(
            "--readme",
            action="store_true",
            help="also put the table into README.md between its bench markers",
        )

    def handle(self, *args, names=(), repeat=None, output="bench/results.json", **options):
        if repeat is not None and repeat < 1:
            raise CommandError("--repeat must be at least 1")
        budgets = report.load_budgets()
        figures: list[Figure] = []
        for name in names or suite.BENCHMARKS:
            self.stderr.write(f"bench: {name}...")
            try:
                figures += suite.BENCHMARKS[name](repeat)
            except Exception as error:  # one broken benchmark fails loudly, the rest still run
                traceback.print_exc(file=sys.stderr)
                figures.append(
                    Figure(
                        name=f"{name}: the benchmark failed",
                        group=name,
                        samples_ms=[],
                        error=f"{type(error).__name__}: {error}",
                    )
                )
        command = " ".join(["manage.py bench", *names, *([f"--repeat {repeat}"] if repeat else [])])
        results = report.results(figures, budgets, command=command)
        table = report.markdown(results)
        path = Path(output)
        if not path.is_absolute():
            path = Path(settings.BASE_DIR) / path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
        path.with_suffix(".md").write_text(table)
        if options["readme"]:
            readme = Path(settings.BASE_DIR) / "README.md"
            readme.write_text(report.embed(readme.read_text(), table))
        self.stdout.write(table)
        self.stdout.write(f"Written: {path} and {path.with_suffix('.md')}")
        if results["failed"]:
            raise CommandError(
                f"{len(results['failed'])} figure(s) over budget: " + "; ".join(results["failed"])
            )
