"""A real worker with beat against Redis sends what is due, once (under .ci/run)."""

import datetime
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from conftest import skip_or_fail
from programs.models import Participant
from reminders.models import Reminder

pytestmark = [pytest.mark.real_worker, pytest.mark.django_db(transaction=True)]


def test_worker_and_beat_send_a_due_reminder_once(cast, tmp_path):
    if not os.environ.get("REDIS_URL"):
        skip_or_fail("REDIS_URL is not set: no broker for a real worker and beat")
    if connection.vendor != "postgresql":
        pytest.skip("a worker process cannot reach SQLite's in-memory test database")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    mentee = cast.program.participants.get(user=cast.mentee)
    Participant.objects.filter(pk=mentee.pk).update(
        joined_at=timezone.now() - datetime.timedelta(days=30)
    )
    log = tmp_path / "worker.log"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": database_url,
        "REMINDER_SCAN_SECONDS": "1",
    }
    with log.open("w") as out:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mentorship",
                "worker",
                "--beat",
                "--pool=solo",
                "--schedule",
                str(tmp_path / "beat-schedule"),
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if Reminder.objects.filter(kind="survey_due", sent_at__isnull=False).exists():
                break
            time.sleep(0.5)
        else:
            raise AssertionError("no reminder sent within 60 s:\n" + log.read_text()[-4000:])
        time.sleep(3)  # a few more scans: nothing is sent twice
        assert Reminder.objects.filter(kind="survey_due").count() == 1
        assert log.read_text().count("Subject: [Mentorship] Your survey for 2026") == 1
    finally:
        worker.terminate()
        worker.wait(timeout=30)
