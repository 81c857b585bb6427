"""Fault injection against real processes: a private Redis, an SMTP sink, a Celery worker.

Each test starts its own redis-server on a free loopback port, an aiosmtpd sink in a
thread, and `celery -A mentorship worker --beat` as a subprocess sharing the test
database (PostgreSQL, as under .ci/run: a worker cannot reach SQLite's in-memory test
database). The outbox is swept every second and retried after one second, so each case
ends in seconds; every wait is bounded, and the processes are stopped whatever happens.

- the sink refuses the first attempts (451): every e-mail is delivered exactly once;
- the worker is killed (SIGKILL) while the sink stalls its send: after a restart, the
  e-mail is delivered exactly once;
- Redis is stopped: the change that sends mail still succeeds at once, and the mail goes
  out once Redis is back.
"""

import asyncio
import collections
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection, transaction

from conftest import skip_or_fail
from core.mail import send_templated_mail
from core.models import OutboxMessage
from mentorship.celery import app

pytestmark = [pytest.mark.real_worker, pytest.mark.django_db(transaction=True)]

WAIT = 60  # seconds, for anything the worker should do


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, what: str, logs: list[Path] = (), timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    tails = "\n".join(f"--- {log}:\n{log.read_text()[-3000:]}" for log in logs if log.exists())
    raise AssertionError(f"{what}: not within {timeout} s\n{tails}")


class Redis:
    """A private redis-server on a free port, which the test can stop and start again."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, "redis-server answering", timeout=10)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Sink:
    """An SMTP server that records each accepted message's Message-ID.

    `refuse` DATA commands are answered 451 (try again later) first; while `stall` is
    set, a session waits at RCPT (before any content is sent) and sets `stalled`.
    """

    def __init__(self):
        self.refuse = 0
        self.refused = 0
        self.stall = threading.Event()
        self.stalled = threading.Event()
        self.accepted: list[str] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        while self.stall.is_set():
            self.stalled.set()
            await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                self.refused += 1
                return "451 4.3.0 Try again later"
            self.accepted.append(email.message_from_bytes(envelope.content)["Message-ID"])
        return "250 2.0.0 Accepted"

    def counts(self) -> collections.Counter:
        with self.lock:
            return collections.Counter(self.accepted)


class Worker:
    """`celery -A mentorship worker --beat` against the private Redis and the test database."""

    def __init__(self, tmp_path: Path, redis: Redis, smtp_port: int):
        db = connection.settings_dict
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}"
                f"/{db['NAME']}"
            ),
            "REDIS_URL": redis.url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_USE_SSL": "0",
            "EMAIL_TIMEOUT": "30",
            "OUTBOX_SWEEP_SECONDS": "1",
            "OUTBOX_RETRY_SECONDS": "1",
            "REMINDER_SCAN_SECONDS": "3600",
        }
        self.tmp_path = tmp_path
        self.process = None
        self.starts = 0

    @property
    def log(self) -> Path:
        return self.tmp_path / f"worker-{self.starts}.log"

    def start(self):
        self.starts += 1
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "celery", "-A", "mentorship", "worker", "--beat"),
                    *("--pool=solo", "--schedule", str(self.tmp_path / "beat-schedule")),
                    *("--without-heartbeat", "--without-mingle", "--without-gossip"),
                    "--loglevel=INFO",
                ],
                cwd=settings.BASE_DIR,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=self.env,
            )
        wait_for(lambda: "ready." in self.log.read_text(), "the worker starting", [self.log])

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def services(tmp_path):
    """The private Redis, the sink and the worker (not started), stopped at the end."""
    if connection.vendor != "postgresql":
        pytest.skip("a worker process cannot reach SQLite's in-memory test database")
    if not shutil.which("redis-server"):
        skip_or_fail("redis-server is not installed (apt-get install redis-server)")
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        skip_or_fail("aiosmtpd is not installed (pip install -r requirements-dev.txt)")
    redis = Redis(tmp_path)
    redis.start()  # before the sink picks its port: two free ports picked at once can be one
    sink = Sink()
    for attempt in range(5):  # another process (an xdist worker) may take the port meanwhile
        controller = Controller(sink, hostname="127.0.0.1", port=free_port())
        try:
            controller.start()
            break
        except OSError:
            if attempt == 4:
                raise
    worker = Worker(tmp_path, redis, controller.port)
    # This process queues its e-mails through the private Redis too, as a page would.
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = redis.url, False
    try:
        yield SimpleNamespace(redis=redis, sink=sink, worker=worker)
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        sink.stall.clear()
        worker.stop()
        controller.stop()
        redis.stop()


def write_mail(n: int) -> list[str]:
    """A change that sends `n` e-mails, committed; their Message-IDs."""
    with transaction.atomic():
        ids = [
            send_templated_mail(
                to=f"member{i}@example.org",
                language="en",
                template="application_received",
                context={
                    "application": SimpleNamespace(pk=i + 1, get_role_display="Mentee"),
                    "program": SimpleNamespace(name="Stewards' Circle", slug="stewards"),
                },
            )
            for i in range(n)
        ]
    return list(OutboxMessage.objects.filter(pk__in=ids).values_list("message_id", flat=True))


def all_sent(message_ids) -> bool:
    return not OutboxMessage.objects.filter(message_id__in=message_ids, sent_at__isnull=True)


def test_a_refusing_server_gets_every_email_exactly_once(services):
    services.sink.refuse = 4
    services.worker.start()
    sent = write_mail(3)
    wait_for(lambda: all_sent(sent), "all e-mails sent", [services.worker.log])
    time.sleep(3)  # a few more sweeps: nothing goes out again
    assert services.sink.refused == 4
    assert services.sink.counts() == collections.Counter(sent)  # each once, nothing else
    rows = OutboxMessage.objects.filter(message_id__in=sent)
    assert sum(row.attempts for row in rows) == 3 + 4
    assert {row.status for row in rows} == {"sent"}


def test_a_worker_killed_while_sending_sends_no_duplicate_after_restart(services):
    services.sink.stall.set()
    services.worker.start()
    [sent] = write_mail(1)
    wait_for(services.sink.stalled.is_set, "the worker reaching the sink", [services.worker.log])
    services.worker.kill()
    row = OutboxMessage.objects.get(message_id=sent)
    assert (row.status, row.sent_at) == ("pending", None)  # the send rolled back with it
    services.sink.stall.clear()
    services.worker.start()
    wait_for(lambda: all_sent([sent]), "the e-mail sent after restart", [services.worker.log])
    time.sleep(3)
    assert services.sink.counts() == collections.Counter([sent])


def test_mail_written_while_redis_is_down_goes_out_once_it_is_back(services):
    services.worker.start()
    services.redis.stop()
    started = time.monotonic()
    sent = write_mail(2)  # queueing fails after commit: logged, not raised
    took = time.monotonic() - started
    assert took < 3, f"the change waited {took:.1f} s for the broker"
    assert OutboxMessage.objects.filter(message_id__in=sent, status="pending").count() == 2
    assert services.sink.counts() == collections.Counter()
    services.redis.start()
    wait_for(lambda: all_sent(sent), "the e-mails sent once Redis is back", [services.worker.log])
    time.sleep(3)
    assert services.sink.counts() == collections.Counter(sent)
