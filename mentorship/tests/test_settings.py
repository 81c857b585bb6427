"""Settings come from the environment; each case loads them in a fresh process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_ENV = {
    k: v
    for k, v in os.environ.items()
    if k
    not in {
        "DEBUG",
        "SECRET_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "EMAIL_HOST",
        "ALLOWED_HOSTS",
        "VAR_DIR",
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by conftest for Playwright only
    }
}
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7-" + "kq9Zr2vLm8Pw4Ts6Yb1Nc3Hd5Fg0Jh" * 2,
    "ALLOWED_HOSTS": "mentoring.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://mentoring.example.org",
    "DATABASE_URL": "postgres://mentorship:secret@db.internal:5432/mentorship",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "EMAIL_HOST": "smtp.example.org",
}


def run(code: str, env: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**BASE_ENV, "VAR_DIR": str(tmp_path / "var"), **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def load(names: list[str], env: dict, tmp_path: Path) -> dict:
    code = (
        "import json, django, os; os.environ['DJANGO_SETTINGS_MODULE']='mentorship.settings'; "
        "from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}, default=str))"
    )
    result = run(code, env, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def manage(args: list[str], env: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    code = "import sys; from manage import main; sys.argv = ['manage.py', *sys.argv[1:]]; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**BASE_ENV, "VAR_DIR": str(tmp_path / "var"), **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_laptop_defaults_need_nothing_installed(tmp_path):
    values = load(
        ["DEBUG", "DATABASES", "CACHES", "CELERY_TASK_ALWAYS_EAGER", "MAILERS"], {}, tmp_path
    )
    assert values["DEBUG"] is True
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DATABASES"]["default"]["NAME"] == str(tmp_path / "var" / "db.sqlite3")
    assert values["CACHES"]["default"]["BACKEND"].endswith("DatabaseCache")
    assert values["CELERY_TASK_ALWAYS_EAGER"] is True
    assert values["MAILERS"]["default"]["BACKEND"].endswith("console.EmailBackend")


def test_development_secret_key_is_generated_once_and_reused(tmp_path):
    first = load(["SECRET_KEY"], {}, tmp_path)["SECRET_KEY"]
    second = load(["SECRET_KEY"], {}, tmp_path)["SECRET_KEY"]
    assert first == second
    assert len(first) >= 50
    key_file = tmp_path / "var" / "secret_key"
    assert key_file.read_text().strip() == first
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage(["check"], env, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


def test_production_profile_passes_check_deploy_without_warnings(tmp_path):
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_e_mail_would_go_to_the_console(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_HOST"}
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode != 0
    assert "mentorship.W001" in result.stderr + result.stdout


def test_production_services_come_from_the_environment(tmp_path):
    values = load(
        [
            "DEBUG",
            "DATABASES",
            "CACHES",
            "CELERY_BROKER_URL",
            "CELERY_TASK_ALWAYS_EAGER",
            "MAILERS",
            "ALLOWED_HOSTS",
            "CSRF_TRUSTED_ORIGINS",
            "SESSION_COOKIE_SECURE",
        ],
        {**PRODUCTION, "TIME_ZONE": "America/Vancouver", "EMAIL_PORT": "2525"},
        tmp_path,
    )
    db = values["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["NAME"], db["USER"]) == ("db.internal", "mentorship", "mentorship")
    # Redis first, the database cache while Redis is down (core/cache.py).
    assert values["CACHES"]["default"]["BACKEND"] == "core.cache.FallbackCache"
    assert values["CACHES"]["redis"]["LOCATION"] == PRODUCTION["REDIS_URL"]
    assert values["CACHES"]["database"]["BACKEND"].endswith("DatabaseCache")
    assert values["CELERY_BROKER_URL"] == PRODUCTION["REDIS_URL"]
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    smtp = values["MAILERS"]["default"]
    assert smtp["BACKEND"].endswith("smtp.EmailBackend")
    assert (smtp["OPTIONS"]["host"], smtp["OPTIONS"]["port"]) == ("smtp.example.org", 2525)
    assert values["ALLOWED_HOSTS"] == ["mentoring.example.org"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://mentoring.example.org"]
    assert values["SESSION_COOKIE_SECURE"] is True


def test_the_mentoring_sessions_app_does_not_clash_with_django_sessions():
    from django.apps import apps

    assert apps.get_app_config("mentoring_sessions").name == "sessions"
    assert apps.get_app_config("sessions").name == "django.contrib.sessions"


def test_postgresql_connections_turn_jit_off_and_plan_ten_table_joins_whole(tmp_path):
    """JIT compiled the "agreed" list's query in 27.7 of its 36.5 ms (issue 19); with the
    collapse limits at 8, the mentor's home spent 97 ms on a 10-table query that takes 12."""
    db = load(["DATABASES"], PRODUCTION, tmp_path)["DATABASES"]["default"]
    ours = "-c jit=off -c join_collapse_limit=10 -c from_collapse_limit=10 -c random_page_cost=1.1"
    assert db["OPTIONS"]["options"] == ours
    url = PRODUCTION["DATABASE_URL"] + "?options=-c%20work_mem%3D8MB"
    db = load(["DATABASES"], {**PRODUCTION, "DATABASE_URL": url}, tmp_path)["DATABASES"]
    assert db["default"]["OPTIONS"]["options"] == ours + " -c work_mem=8MB"


def test_postgresql_connections_bind_on_the_client_and_prepare_nothing(tmp_path):
    """Prepared statements go generic after five runs: the dashboard's pair-state query took
    273 ms with the generic plan against 122 ms (mentorship/settings.py)."""
    db = load(["DATABASES"], PRODUCTION, tmp_path)["DATABASES"]["default"]
    assert "server_side_binding" not in db["OPTIONS"]
    assert "prepare_threshold" not in db["OPTIONS"]
    # Persistent connections, checked once per request (one `SELECT 1`).
    assert db["CONN_MAX_AGE"] == 60
    assert db["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db
def test_the_live_connection_has_jit_off_and_the_collapse_limits():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            "JIT and collapse limits are PostgreSQL settings; this run is on " + connection.vendor
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, setting FROM pg_settings"
            " WHERE name IN"
            " ('jit', 'join_collapse_limit', 'from_collapse_limit', 'random_page_cost')"
        )
        assert dict(cursor.fetchall()) == {
            "jit": "off",
            "join_collapse_limit": "10",
            "from_collapse_limit": "10",
            "random_page_cost": "1.1",
        }
        # psycopg would prepare a statement on its sixth run (prepare_threshold 5).
        for _ in range(6):
            cursor.execute("SELECT count(*) FROM pg_settings WHERE name = %s", ["jit"])
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == 0
