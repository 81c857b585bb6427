"""Back up and restore the whole database: pg_dump/pg_restore on PostgreSQL, SQLite's online
backup otherwise (`make backup`, `make restore FILE=...`; the commands are in
core/management/commands/)."""

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection


class BackupError(Exception):
    pass


def backup_dir() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def default_backup_path() -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    suffix = "dump" if connection.vendor == "postgresql" else "sqlite3"
    path = backup_dir() / f"mentorship-{stamp}.{suffix}"
    number = 1
    while path.exists():  # two backups in one second keep both
        number += 1
        path = backup_dir() / f"mentorship-{stamp}-{number}.{suffix}"
    return path


def backup(path: Path) -> Path:
    """Write a consistent copy of the database to `path` (made private: 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        _run(_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path))
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
    else:
        raise BackupError(f"No backup for the {connection.vendor} database.")
    path.chmod(0o600)
    return path


def restore(path: Path) -> None:
    """Replace the database's contents with those of the backup at `path`."""
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    if connection.vendor == "postgresql":
        connection.close()  # pg_restore drops the tables: no open transaction may hold them
        _run(
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            str(path),
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("Restore outside a transaction.")
        with sqlite3.connect(path) as source:
            source.backup(connection.connection)
        source.close()
    else:
        raise BackupError(f"No restore for the {connection.vendor} database.")


def has_data() -> bool:
    """Whether the database holds any member account (a fresh, migrated one holds none)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    with connection.cursor() as cursor:
        if User._meta.db_table not in connection.introspection.table_names(cursor):
            return False
    return User.objects.exists()


def _pg_tool(name: str) -> str:
    """The tool of the server's major version when installed (Debian keeps one per version)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    versioned = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if versioned.exists():
        return str(versioned)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (PostgreSQL {major}'s client tools).")
    return found


def _run(tool: str, *args: str) -> None:
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    database_arg = ["--dbname", db["NAME"]] if tool.endswith("pg_restore") else []
    result = subprocess.run(
        [tool, *database_arg, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(tool).name} failed: {result.stderr.strip()}")
