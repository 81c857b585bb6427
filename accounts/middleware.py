import time
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import session_limits
from .mfa import CoordinatorMFARequired, safe_next


class UserLanguageMiddleware:
    """A logged-in member's saved language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class CoordinatorMFAMiddleware:
    """Turn `CoordinatorMFARequired` into a visit to the page that explains it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, CoordinatorMFARequired):
            return None
        url = reverse("accounts:mfa_required")
        return HttpResponseRedirect(f"{url}?{urlencode({'next': safe_next(request)})}")


class SessionIdleMiddleware:
    """End a log-in left idle too long, or older than its lifetime, and say so at log-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            ended = session_limits.check(request.session, user, int(time.time()))
            if ended is not None:
                return self._log_out(request, ended)
        return self.get_response(request)

    def _log_out(self, request, ended: str):
        next_url = safe_next(request)
        logout(request)
        if ended == "idle":
            messages.info(
                request,
                _(
                    "You were logged out because you were away for a while. Log in again "
                    "to carry on where you were."
                ),
            )
        else:
            messages.info(
                request,
                _("Your log-in has expired. Log in again to carry on where you were."),
            )
        login_url = reverse("account_login")
        if next_url.startswith(login_url) or next_url == reverse("home"):
            return HttpResponseRedirect(login_url)
        return HttpResponseRedirect(f"{login_url}?{urlencode({'next': next_url})}")
