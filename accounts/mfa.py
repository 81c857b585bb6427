"""Coordinators and superusers must have an authenticator app before their pages open.

`require_mfa` is called where a coordinator's role is decided (`programs.access`, the
admin site); it raises `CoordinatorMFARequired`, which `accounts.middleware.
CoordinatorMFAMiddleware` turns into a redirect to the page that explains why and leads
to allauth's set-up (TOTP, then recovery codes).
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

# Where to go back to once the authenticator is set up (kept across allauth's pages).
NEXT_SESSION_KEY = "mentorship_mfa_next"


class CoordinatorMFARequired(Exception):
    """A coordinator or superuser without an authenticator asked for a coordinator's page."""


def has_authenticator(user) -> bool:
    """An authenticator app (TOTP) is set up; read once per request."""
    cached = getattr(user, "_mentorship_has_totp", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._mentorship_has_totp = cached
    return cached


def mfa_missing(user) -> bool:
    """The setting is on and this member has no authenticator app."""
    return (
        settings.REQUIRE_COORDINATOR_MFA and user.is_authenticated and not has_authenticator(user)
    )


def require_mfa(user) -> None:
    """Raise `CoordinatorMFARequired` unless the setting is off or the user has an app."""
    if mfa_missing(user):
        raise CoordinatorMFARequired


def safe_next(request: HttpRequest) -> str:
    """Where the member was going: the page itself for a GET, the page they came from else."""
    if request.method in ("GET", "HEAD"):
        candidate = request.get_full_path()
    else:
        candidate = request.headers.get("referer", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")
