"""Pytest plugin: under pytest-xdist, each worker gets its own Redis database.

Loaded with `-p core.pytest_workers` (pytest.ini), so it runs before pytest-django reads
Django's settings: the cache, the Celery broker and result backend, and the real Celery
workers that tests start (they inherit the environment) all use the worker's database.
The tests that clear the cache (conftest.py `fresh_cache`) then clear only their own
worker's keys. pytest-django already gives each worker its own test database.
"""

import os
from urllib.parse import urlsplit, urlunsplit

REDIS_DATABASES = 16  # Redis's default `databases` setting


def worker_redis_url(url: str, worker: str) -> str:
    """`redis://host:6379/0` for worker `gw2` is `redis://host:6379/2` (base + index)."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    database = base + int(worker.removeprefix("gw"))
    if database >= REDIS_DATABASES:
        raise RuntimeError(
            f"pytest-xdist worker {worker} would need Redis database {database}, but Redis has "
            f"{REDIS_DATABASES}: run fewer workers (-n) or a lower database in REDIS_URL."
        )
    return urlunsplit(parts._replace(path=f"/{database}"))


_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = worker_redis_url(os.environ["REDIS_URL"], _worker)
