"""Tasks run in-process without a broker; with REDIS_URL, through a real worker."""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from conftest import skip_or_fail
from mentorship.celery import app
from mentorship.tasks import ping


def test_task_runs_in_process_when_eager():
    assert app.conf.task_always_eager is True  # the autouse fixture in conftest
    assert ping.delay("hello").get(timeout=1) == "pong: hello"


def test_without_redis_url_settings_choose_in_process_tasks():
    if settings.REDIS_URL:
        assert settings.CELERY_TASK_ALWAYS_EAGER is False
        assert settings.CELERY_BROKER_URL == settings.REDIS_URL
    else:
        assert settings.CELERY_TASK_ALWAYS_EAGER is True
        assert settings.CELERY_BROKER_URL == "memory://"


@pytest.mark.real_worker
def test_round_trip_through_a_real_worker(tmp_path):
    if not os.environ.get("REDIS_URL"):
        skip_or_fail("REDIS_URL is not set: no broker for a real worker round-trip")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "mentorship",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--queues",
                queue,
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        )
    try:
        app.conf.task_always_eager = False
        result = ping.apply_async(args=["from the test"], queue=queue)
        assert result.get(timeout=60) == "pong: from the test"
    except Exception:
        print(log.read_text())
        raise
    finally:
        worker.terminate()
        worker.wait(timeout=30)
