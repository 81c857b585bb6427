"""Two saves at the same moment on SQLite (`make run`) wait in turn instead of failing.

The test database is in memory (or PostgreSQL, under .ci/run), so each case opens a file
database in tmp_path through Django's own SQLite backend, with the settings' OPTIONS or
without them.
"""

import contextlib
import os
import subprocess
import sys
import threading
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

ALIAS = "concurrency"


def _sqlite(path: Path, options: dict) -> dict:
    """A SQLite database at `path`, whatever the test run's own database is."""
    config = {**dj_database_url.parse(f"sqlite:///{path}"), "OPTIONS": options}
    # The connection handler fills in the rest of a database's settings (TIME_ZONE, TEST…).
    databases = {"default": connections.settings["default"], ALIAS: config}
    return connections.configure_settings(databases)[ALIAS]


def _save_twice_at_once(tmp_path, options: dict) -> tuple[list[Exception], int]:
    """Two threads each read a counter, meet, then write it + 1, in one transaction each."""
    connections.settings[ALIAS] = _sqlite(tmp_path / "db.sqlite3", options)
    try:
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n integer NOT NULL)")
            cursor.execute("INSERT INTO counter (n) VALUES (0)")
        connections[ALIAS].close()
        # With IMMEDIATE the second thread waits at BEGIN and never reaches the barrier:
        # the first one goes on after a second, which is the point.
        barrier = threading.Barrier(2, timeout=1)
        errors: list[Exception] = []

        def save() -> None:
            try:
                with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
                    cursor.execute("SELECT n FROM counter")
                    (n,) = cursor.fetchone()
                    with contextlib.suppress(threading.BrokenBarrierError):
                        barrier.wait()
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])
            except OperationalError as error:
                errors.append(error)
            finally:
                connections[ALIAS].close()

        threads = [threading.Thread(target=save) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            (count,) = cursor.fetchone()
        return errors, count
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]


@pytest.fixture
def unblocked(django_db_blocker):
    with django_db_blocker.unblock():
        yield


def test_make_runs_sqlite_database_gets_these_options():
    """Without DATABASE_URL (as in `make run`) the SQLite database is opened with them."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps(s.DATABASES['default']['OPTIONS']))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "mentorship.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    assert json.loads(result.stdout.splitlines()[-1]) == settings.SQLITE_OPTIONS


def test_the_settings_make_sqlite_wait_and_lose_no_save(tmp_path, unblocked):
    errors, count = _save_twice_at_once(tmp_path, settings.SQLITE_OPTIONS)
    assert errors == []
    assert count == 2  # the second save read the first one's value: nothing lost


def test_without_the_settings_one_save_fails_database_is_locked(tmp_path, unblocked):
    """The control: the same two saves with SQLite's defaults, as before the settings."""
    errors, _count = _save_twice_at_once(tmp_path, {})
    assert [str(e) for e in errors] == ["database is locked"]


def test_the_settings_turn_on_wal_and_a_busy_timeout(tmp_path, unblocked):
    connections.settings[ALIAS] = _sqlite(tmp_path / "wal.sqlite3", settings.SQLITE_OPTIONS)
    try:
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone() == ("wal",)
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone() == (settings.SQLITE_OPTIONS["timeout"] * 1000,)
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        del connections.settings[ALIAS]
