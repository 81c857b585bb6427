import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from devdata.bench import seed


class Command(BaseCommand):
    help = (
        "Build a national-size dataset for benchmarking the coordinator dashboard "
        "(5,000 members, 20 programs, 2,000 pairs, 50,000 session records at scale 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=f"Multiply the sizes by this (default 1.0, at least {seed.MIN_SCALE}).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete earlier bench data (bench-* programs, *@bench.example.org members) first.",
        )

    def handle(self, *args, scale: float = 1.0, replace: bool = False, **options):
        if scale < seed.MIN_SCALE:
            raise CommandError(f"--scale must be at least {seed.MIN_SCALE}.")
        start = time.perf_counter()
        # One transaction: if the build fails, the earlier bench data is still there.
        with transaction.atomic():
            if seed.bench_data_exists():
                if not replace:
                    raise CommandError(
                        "Bench data already exists (programs whose slug starts with "
                        f"'{seed.SLUG_PREFIX}', members whose e-mail ends with "
                        f"'{seed.EMAIL_DOMAIN}'). Run again with --replace to delete it first."
                    )
                rows = seed.delete_bench_data()
                self.stdout.write(
                    f"Deleted earlier bench data ({rows:,} rows) in "
                    f"{time.perf_counter() - start:.1f} s."
                )
            start = time.perf_counter()
            try:
                counts = seed.build(scale=scale, stdout=self.stdout)
            except seed.BenchSeedError as error:
                raise CommandError(str(error)) from error
            elapsed = time.perf_counter() - start
        self.stdout.write(self.style.SUCCESS(f"Bench data built in {elapsed:.1f} s:"))
        for line in seed.summary_lines(counts):
            self.stdout.write(line)
        self.stdout.write(
            f"Log in as {counts['coordinator_email']} (coordinates every bench program); "
            "set a password first with: manage.py changepassword "
            f"{counts['coordinator_email']}"
        )
