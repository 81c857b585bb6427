from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, has_data, restore


class Command(BaseCommand):
    help = (
        "Replace the database's contents with a backup made by `backup`. Asks first (unless "
        "--yes), and refuses a database that holds data unless --force. Stop the web and "
        "Celery processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data"
        )

    def handle(self, *args, file, yes=False, force=False, **options):
        if not file.is_file():
            raise CommandError(f"No backup at {file}.")
        if has_data() and not force:
            raise CommandError(
                "The database already holds data; restoring replaces all of it. "
                "Run again with --force (make restore FILE=... FORCE=1) if that is what you want."
            )
        if not yes:
            answer = input(f"Replace the whole database with {file}? Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {file}.")
