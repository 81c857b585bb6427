"""A cache that keeps working when Redis does not: Redis first, the database cache meanwhile.

`FallbackCache` is the `default` cache when REDIS_URL is set (mentorship/settings.py). Each
call goes to the primary cache (Redis); when Redis refuses, times out or errs, the call is
made on the fallback cache (the database cache) instead, the failure is logged once per
outage, and Redis is not tried again for `RETRY_SECONDS`, so an outage costs each process
one timeout every few seconds rather than one per cache call. When Redis answers again,
calls go back to it.

Why a fallback rather than ignoring errors: allauth keeps its rate-limit counters and its
lock (and the used TOTP codes, against replay) in the default cache. A cache that answered
"miss" to every call would either let every guess through or refuse every log-in; on the
database cache meanwhile, log-in works and the limits keep biting. The counters of the
outage stay in the database cache when Redis returns (a member may get a few more tries
then: a limit's window is minutes).
"""

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What "Redis is unavailable" looks like from redis-py: refused or reset connections and
# timeouts are RedisError subclasses; a socket error may surface as OSError.
UNAVAILABLE = (RedisError, OSError)


class FallbackCache(BaseCache):
    """OPTIONS: PRIMARY and FALLBACK (cache aliases), RETRY_SECONDS (default 5)."""

    def __init__(self, location, params):
        options = dict(params.get("OPTIONS", {}))
        self.primary_alias = options.pop("PRIMARY")
        self.fallback_alias = options.pop("FALLBACK")
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        super().__init__({**params, "OPTIONS": options})
        # Shared by the threads of a process: one outage, one log line, one wait.
        self._state = _shared_state(self.primary_alias)

    @property
    def primary(self) -> BaseCache:
        return caches[self.primary_alias]

    @property
    def fallback(self) -> BaseCache:
        return caches[self.fallback_alias]

    def primary_is_down(self) -> bool:
        """True while Redis failed less than RETRY_SECONDS ago (it is not tried meanwhile)."""
        return time.monotonic() < self._state.down_until

    def _call(self, method: str, *args, **kwargs):
        if not self.primary_is_down():
            try:
                result = getattr(self.primary, method)(*args, **kwargs)
            except UNAVAILABLE as error:
                self._mark_down(error)
            else:
                self._mark_up()
                return result
        return getattr(self.fallback, method)(*args, **kwargs)

    def _mark_down(self, error: Exception) -> None:
        state = self._state
        with state.lock:
            state.down_until = time.monotonic() + self.retry_seconds
            first = not state.down
            state.down = True
        if first:
            logger.error(
                "Cache %r unavailable (%s): using the %r cache until it answers again",
                self.primary_alias,
                error,
                self.fallback_alias,
            )

    def _mark_up(self) -> None:
        state = self._state
        if state.down:
            with state.lock:
                was_down, state.down = state.down, False
            if was_down:
                logger.warning("Cache %r answers again", self.primary_alias)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        """Both caches: what the outage left in the fallback goes too."""
        self.fallback.clear()
        if not self.primary_is_down():
            try:
                self.primary.clear()
            except UNAVAILABLE as error:
                self._mark_down(error)
            else:
                self._mark_up()


class _State:
    def __init__(self):
        self.lock = threading.Lock()
        self.down = False
        self.down_until = 0.0


_states: dict[str, _State] = {}
_states_lock = threading.Lock()


def _shared_state(alias: str) -> _State:
    with _states_lock:
        return _states.setdefault(alias, _State())


def reset_state() -> None:
    """Forget every outage (tests that start and stop a Redis of their own)."""
    with _states_lock:
        _states.clear()
