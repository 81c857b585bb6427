import json
import secrets

from django.core.management.base import BaseCommand, CommandError

from devdata.bench import load


class Command(BaseCommand):
    help = (
        "Prepare the load test's members (pairs in a running program, one password) and the "
        "smoke test's open program and coordinator (with an authenticator app). Replaces "
        "earlier load data. Writes the accounts as JSON for devdata/loadtest.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=50, help="How many log-ins (>= 1).")
        parser.add_argument("--out", required=True, help="Where to write the JSON.")

    def handle(self, *args, members: int, out: str, **options):
        if members < 1:
            raise CommandError("--members must be at least 1.")
        data = load.build(members=members, password=secrets.token_urlsafe(16))
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        self.stdout.write(f"{members} load members written to {out}.")
