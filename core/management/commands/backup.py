from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup, default_backup_path


class Command(BaseCommand):
    help = (
        "Back up the whole database to var/backups/mentorship-<UTC time>.(dump|sqlite3): "
        "pg_dump's custom format on PostgreSQL, SQLite's online backup otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="write here instead (the file is 0600)")

    def handle(self, *args, output=None, **options):
        try:
            path = backup(output or default_backup_path())
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(path))
