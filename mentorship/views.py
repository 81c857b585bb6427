import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import drafts

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: database unreachable")
        return False


def _broker_ok() -> bool:
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=settings.REDIS_TIMEOUT,
            socket_timeout=settings.REDIS_TIMEOUT,
        )
        return bool(client.ping())
    except Exception:
        logger.exception("Health check: broker unreachable")
        return False


@never_cache
@require_GET
def healthz(request):
    """503 only when the database does not answer; 200 otherwise, "degraded" without Redis.

    Every instance shares the one Redis: were a broker outage a 503, a load balancer would take
    every instance out at once, although pages keep working without it (the cache falls back
    to the database, core/cache.py). "degraded" tells an uptime check that queued work waits.
    """
    database = _database_ok()
    checks = {"database": "ok" if database else "unavailable"}
    if settings.REDIS_URL:
        checks["broker"] = "ok" if _broker_ok() else "unavailable"
    else:
        checks["broker"] = "not configured"
    if not database:
        status = "unavailable"
    elif checks["broker"] == "unavailable":
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse({"status": status, **checks}, status=503 if not database else 200)


def same_site_path(request, url: str) -> str:
    """The path (and query) of `url` when it is on this site, else ""."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(url)
    if not parts.path.startswith("/"):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a page that explains, in the member's language, and leads back.

    The form's page was open too long, the member logged out or in elsewhere, or cookies
    are blocked. `reason` (Django's technical cause) is logged by Django, not shown. The
    way back is the page the form was on (same-site Referer), else the POST's own path.
    """
    back_url = same_site_path(request, request.headers.get("referer", ""))
    if not back_url and request.method == "POST":
        back_url = request.path
    context = {"back_url": back_url, "kept": drafts.kept(request)}
    return render(request, "403_csrf.html", context, status=403)
