from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devdata import demo
from devdata.people import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load realistic demo people and programs (idempotent: safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off (demo accounts share one known password).",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to load demo accounts with DEBUG off; pass --allow-production "
                "if this really is a demo server."
            )
        logins = demo.seed()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at /accounts/login/ as:"))
        for login in logins:
            self.stdout.write(f"  {login.role:<12} {login.email:<28} password: {DEMO_PASSWORD}")
