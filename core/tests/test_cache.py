"""The cache with Redis down (core/cache.py): the database cache answers meanwhile.

Redis "down" here is a port nothing listens on; mentorship/tests/test_redis_down.py stops a
real Redis mid-test.
"""

from unittest import mock

import pytest
from django.core.cache import caches

from core import cache as fallback_cache
from mentorship.settings import redis_caches

pytestmark = pytest.mark.django_db

NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused


@pytest.fixture
def redis_down(settings):
    settings.CACHES = redis_caches(NOWHERE, timeout=0.5, retry_seconds=60)
    fallback_cache.reset_state()
    yield caches["default"]
    fallback_cache.reset_state()


def test_reads_and_writes_go_to_the_database_cache(redis_down):
    redis_down.set("k", {"a": 1}, 60)
    assert redis_down.get("k") == {"a": 1}
    assert caches["database"].get("k") == {"a": 1}
    assert redis_down.get_many(["k", "missing"]) == {"k": {"a": 1}}
    redis_down.delete("k")
    assert redis_down.get("k") is None


def test_add_still_locks_as_allauths_rate_limits_need(redis_down):
    """allauth's rate-limit lock is `cache.add`: only the first caller gets it."""
    assert redis_down.add("allauth:lock", True, 10) is True
    assert redis_down.add("allauth:lock", True, 10) is False
    redis_down.set("n", 1)
    assert redis_down.incr("n") == 2


def test_a_failed_redis_is_left_alone_then_tried_again(redis_down, caplog):
    redis = caches["redis"]
    with mock.patch.object(type(redis), "get", side_effect=ConnectionError("down")) as get:
        redis_down.get("a")
        redis_down.get("b")
        assert get.call_count == 1  # the second call went straight to the database
        assert redis_down.primary_is_down()
        fallback_cache._shared_state("redis").down_until = 0  # RETRY_SECONDS have passed
        redis_down.get("c")
        assert get.call_count == 2
    assert [r.getMessage() for r in caplog.records if r.name == "core.cache"] == [
        "Cache 'redis' unavailable (down): using the 'database' cache until it answers again"
    ]


def test_other_errors_are_not_swallowed(redis_down):
    """Only "Redis unavailable" falls back: a programming error still fails loudly."""
    with (
        mock.patch.object(type(caches["redis"]), "get", side_effect=TypeError("bug")),
        pytest.raises(TypeError),
    ):
        redis_down.get("k")
