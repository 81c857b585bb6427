"""The coordinator dashboard at national size: its median server time next to a trivial view's.

The dataset of `bench_seed` (5,000 members, 20 programs, 2,000 pairs, 50,000 session
records) is built in a transaction and rolled back, so the database is left as it was.
Both pages are requested in-process through the whole middleware stack, logged in as
the coordinator of all twenty programs, after one warm-up request each.
"""

import statistics
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from devdata.bench.seed import bench_data_exists, build, delete_bench_data

BUDGET_MS = 60


class Rollback(Exception):
    pass


def _median_ms(client: Client, url: str, repeat: int) -> tuple[float, int]:
    response = client.get(url)  # warm-up: templates, translations, caches
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return statistics.median(times) * 1000, len(captured)


def run(repeat: int = 21) -> list[str]:
    lines = []
    try:
        with transaction.atomic():
            if bench_data_exists():  # left by `bench_seed`: replaced, then restored on rollback
                delete_bench_data()
            start = time.perf_counter()
            summary = build()
            built = time.perf_counter() - start
            with connection.cursor() as cursor:
                # Planner statistics, as a live database has them (autovacuum, or a nightly
                # ANALYZE): fresh bulk inserts would otherwise be planned as empty tables.
                cursor.execute("ANALYZE")
            client = Client(SERVER_NAME="localhost")
            client.force_login(User.objects.get(email="coordinator@bench.example.org"))
            url = reverse("dashboard:home")
            start = time.perf_counter()
            client.get(url)  # cold: nothing cached yet
            cold = (time.perf_counter() - start) * 1000
            dashboard, queries = _median_ms(client, url, repeat)
            trivial, trivial_queries = _median_ms(client, reverse("healthz"), repeat)
            lines = [
                f"dashboard, {summary['members']:,} members, {summary['programs']} programs, "
                f"{summary['pairs']:,} pairs, {summary['session_records']:,} session records "
                f"({connection.vendor}; built in {built:.0f} s):",
                f"  dashboard of all programs: {dashboard:.1f} ms median of {repeat} "
                f"(budget {BUDGET_MS} ms), {queries} queries; first request, "
                f"before the chart's cache: {cold:.0f} ms",
                f"  trivial view (/healthz) in the same run: {trivial:.1f} ms, "
                f"{trivial_queries} queries",
            ]
            raise Rollback
    except Rollback:
        pass
    return lines
