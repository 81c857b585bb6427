"""How long a log-in lasts: an idle timeout (short for coordinators) and an absolute lifetime.

The log-in stamps the session (`on_log_in`, connected in `AccountsConfig.ready`);
`accounts.middleware.SessionIdleMiddleware` checks the stamps on every request and moves
the last-activity stamp forward at most once every `WRITE_EVERY` seconds, so an active
member's session is not written on every page.
"""

import time

from django.conf import settings

LOGGED_IN_AT = "mentorship_logged_in_at"
LAST_SEEN_AT = "mentorship_last_seen_at"
IDLE_SECONDS = "mentorship_idle_seconds"
WRITE_EVERY = 60


def idle_limit(user) -> int:
    """Seconds without a request after which the log-in ends: shorter for coordinators."""
    if user.is_superuser or user.coordinated_programs.exists():
        return settings.SESSION_IDLE_COORDINATOR_MINUTES * 60
    return settings.SESSION_IDLE_MEMBER_DAYS * 24 * 60 * 60


def max_age() -> int:
    return settings.SESSION_MAX_AGE_DAYS * 24 * 60 * 60


def stamp(session, user, now: int, *, logging_in: bool) -> None:
    if logging_in:
        session[LOGGED_IN_AT] = now
    session[LAST_SEEN_AT] = now
    session[IDLE_SECONDS] = idle_limit(user)


def on_log_in(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        stamp(session, user, int(time.time()), logging_in=True)


def check(session, user, now: int) -> str | None:
    """ "idle" or "expired" when the log-in has ended; otherwise keep the stamps fresh."""
    logged_in_at = session.get(LOGGED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if logged_in_at is None or last_seen_at is None:
        # Logged in before these stamps existed: count from now.
        stamp(session, user, now, logging_in=True)
        return None
    if now - logged_in_at > max_age():
        return "expired"
    limit = session.get(IDLE_SECONDS)
    if now - last_seen_at > (limit if limit is not None else idle_limit(user)):
        return "idle"
    if now - last_seen_at >= WRITE_EVERY:
        # Also picks up a member who has become a coordinator since logging in.
        stamp(session, user, now, logging_in=False)
    return None
