"""`make backup` / `make restore`: every table's rows survive the round trip (issue 16, item 9).

On SQLite (the default test database) the commands use SQLite's online backup; under .ci/run
(DATABASE_URL is PostgreSQL) the same tests run pg_dump and pg_restore against the test
database.
"""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import User
from core import backup as backup_module
from intake.tests.factories import ApplicationFactory
from printing.models import Packet
from programs.models import Program
from programs.tests.factories import ProgramFactory
from sessions.tests.factories import MeetingFactory, WorksheetFactory
from surveys.tests.factories import SurveyFactory

# Committed rows: pg_dump, a separate process, sees only those.
pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> dict[str, tuple[int, str]]:
    """Every table: its row count and a hash of all its rows, in a fixed order."""
    found = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            found[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return found


@pytest.fixture
def seeded(cast, django_db_blocker):
    """The cast and its pair, plus rows in intake, surveys, sessions, printing and the cache."""
    match = cast.pair()
    ApplicationFactory(program=cast.program, applicant=cast.member)
    SurveyFactory(participant=cast.mentee_participant)
    WorksheetFactory(match=match)
    MeetingFactory(match=match)
    Packet.objects.create(program=cast.program, requested_by=cast.coordinator)
    from django.core.cache import caches

    caches["default"].set("backed-up", "yes")
    return cast


def test_every_tables_rows_survive_a_backup_and_a_restore(seeded, tmp_path):
    before = snapshot()
    assert sum(1 for count, _hash in before.values() if count) >= 15  # every app has rows
    out = StringIO()
    call_command("backup", output=tmp_path / "b", stdout=out)
    path = tmp_path / "b"
    assert out.getvalue().strip() == str(path) and path.stat().st_size > 0
    assert oct(path.stat().st_mode & 0o777) == "0o600"

    # Lose some, change some, add some.
    User.objects.filter(pk=seeded.mentee.pk).delete()
    Program.objects.filter(pk=seeded.program.pk).update(name="Renamed after the backup")
    ProgramFactory(name="Made after the backup")
    assert snapshot() != before

    call_command("restore", str(path), yes=True, force=True, stdout=StringIO())
    assert snapshot() == before


def test_restore_refuses_a_database_with_data_unless_forced(seeded, tmp_path):
    path = tmp_path / "b"
    call_command("backup", output=path, stdout=StringIO())
    ProgramFactory(name="Kept")
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(path), yes=True, stdout=StringIO())
    assert Program.objects.filter(name="Kept").exists()


def test_restore_asks_first_and_a_no_changes_nothing(seeded, tmp_path, monkeypatch):
    path = tmp_path / "b"
    call_command("backup", output=path, stdout=StringIO())
    ProgramFactory(name="Kept")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing restored"):
        call_command("restore", str(path), force=True, stdout=StringIO())
    assert Program.objects.filter(name="Kept").exists()


def test_a_missing_backup_file_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="No backup at"):
        call_command("restore", str(tmp_path / "nothing"), yes=True, stdout=StringIO())


def test_backups_go_to_var_backups_with_a_timestamp(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first = backup_module.default_backup_path()
    assert first.parent == tmp_path / "backups"
    assert first.name.startswith("mentorship-") and first.suffix in {".sqlite3", ".dump"}
    first.parent.mkdir()
    first.touch()
    assert backup_module.default_backup_path() != first  # never overwrites


def test_postgresql_uses_the_servers_own_pg_dump(db):
    if connection.vendor != "postgresql":
        pytest.skip("the database is not PostgreSQL (DATABASE_URL): pg_dump is not used")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    tool = backup_module._pg_tool("pg_dump")
    assert f"/postgresql/{major}/" in tool or tool.endswith("pg_dump")
