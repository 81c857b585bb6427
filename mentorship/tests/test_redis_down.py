"""Redis stopped mid-test: log-in, both coordinator dashboards, a form save and a packet request
still work (issue 16, items 7 and 10), and the cache and the broker are used again once it is back.

Each test starts a Redis of its own (loopback, a free port, nothing saved to disk) and stops
it part-way, so the Redis of `.ci/run` and the pytest-xdist workers' databases in it are never
touched. The test points the cache and the Celery app at it and puts both back afterwards.
"""

import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from kombu import pools as kombu_pools

from accounts.tests.factories import PASSWORD
from conftest import skip_or_fail
from core.cache import reset_state
from core.testing import post_loaded
from mentorship.celery import app
from mentorship.settings import redis_caches
from printing.models import Packet
from surveys.models import Survey

pytestmark = pytest.mark.django_db

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
PROMPT = 2.0  # seconds: a bound on "answers at once", not a benchmark
RETRY_SECONDS = 0.2  # how long the cache leaves a failed Redis alone, shortened for the test


class PrivateRedis:
    """One redis-server on 127.0.0.1 and a free port, stopped and restarted by the test."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tempfile.mkdtemp(prefix="redis-down-")
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                *(REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return
            except Exception:
                time.sleep(0.05)
        self.stop()
        pytest.fail(f"redis-server did not answer on port {self.port} within 10 s")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=1)


def _reset_celery_connections():
    # kombu keeps its connection and producer pools in a global registry keyed by the
    # broker's address: closing only the app's pool left a closed pool there, and every
    # later publish in this process failed "Acquire on closed pool". reset() closes and
    # forgets them all.
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local = threading.local()


@pytest.fixture
def private_redis(settings):
    if not Path(REDIS_SERVER).exists():
        skip_or_fail(f"no redis-server at {REDIS_SERVER}: the Redis fault tests need one")
    server = PrivateRedis()
    server.start()
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    settings.REDIS_URL = server.url
    settings.CACHES = redis_caches(server.url, timeout=0.5, retry_seconds=RETRY_SECONDS)
    app.conf.update(broker_url=server.url, result_backend=server.url, task_always_eager=False)
    _reset_celery_connections()
    reset_state()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.dir, ignore_errors=True)
        app.conf.update(saved)
        _reset_celery_connections()
        reset_state()


def redis_keys(server) -> list[str]:
    return [key.decode() for key in server.client().keys("*")]


def test_redis_stopped_mid_test_the_site_keeps_working(
    cast, private_redis, django_capture_on_commit_callbacks
):
    cast.pair()
    coordinator = Client()
    coordinator.force_login(cast.coordinator)
    dashboards = [
        reverse("dashboard:home"),
        reverse("dashboard:program", args=[cast.program.slug]),
    ]
    # Redis up: the dashboard's chart is cached there.
    for url in dashboards:
        assert coordinator.get(url).status_code == 200
    assert any("dashboard:months" in key for key in redis_keys(private_redis))

    private_redis.stop()

    # Log-in (allauth's rate-limit lock and counters are in the cache).
    member = Client()
    response = member.post(
        reverse("account_login"), {"login": cast.mentee.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert member.get(reverse("accounts:home")).status_code == 200
    # Both coordinator dashboards.
    for url in dashboards:
        assert coordinator.get(url).status_code == 200
    # A form save: the mentee's survey draft.
    survey_url = reverse("surveys:mine", args=[cast.program.slug])
    response = post_loaded(
        member, survey_url, {"expectations": "Written while Redis was down", "save": "1"}
    )
    assert response.status_code == 302
    assert Survey.objects.get(participant__user=cast.mentee).answers["expectations"] == (
        "Written while Redis was down"
    )
    # A packet request answers at once, says printing is paused, and leaves nothing waiting.
    packet_url = reverse("printing:packet", args=[cast.program.slug])
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(packet_url, follow=True)
    assert time.monotonic() - started < PROMPT
    assert response.status_code == 200
    assert "Printing is paused" in response.content.decode()
    assert not Packet.objects.exists()
    # The health check says so, without taking the instance out of the load balancer.
    health = Client().get(reverse("healthz"))
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": "ok", "broker": "unavailable"}

    private_redis.start()
    time.sleep(RETRY_SECONDS * 2)

    # The cache is Redis again, and a packet request is queued on the broker.
    caches["default"].set("after-the-outage", 1)
    assert any(key.endswith(":after-the-outage") for key in redis_keys(private_redis))
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(packet_url, follow=True)
    assert "The packet is being built" in response.content.decode()
    assert Packet.objects.get().status == "queued"
    assert private_redis.client().llen("celery") == 1  # waiting for a worker
    assert Client().get(reverse("healthz")).json()["status"] == "ok"


def test_log_in_rate_limit_still_bites_with_redis_down(cast, private_redis):
    """The counters move to the database cache: the sixth try is refused, even the right one."""
    private_redis.stop()
    client = Client()
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": cast.member.email, "password": "a guess"}
        )
        assert response.status_code == 200
    response = client.post(
        reverse("account_login"), {"login": cast.member.email, "password": PASSWORD}
    )
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("accounts:home")).status_code == 302


def test_a_slow_redis_costs_one_timeout_not_one_per_call(private_redis, settings):
    """A Redis that accepts but never answers (paused): the cache waits once, then skips it."""
    settings.CACHES = redis_caches(private_redis.url, timeout=0.3, retry_seconds=60)
    reset_state()
    private_redis.process.send_signal(signal.SIGSTOP)  # connections hang instead of failing
    try:
        cache = caches["default"]
        started = time.monotonic()
        cache.set("k", "v")  # waits one timeout, then the database cache
        for _ in range(20):
            assert cache.get("k") == "v"
        assert time.monotonic() - started < PROMPT
    finally:
        private_redis.process.send_signal(signal.SIGCONT)
