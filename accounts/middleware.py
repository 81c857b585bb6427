import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core import drafts

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
        next_url = form_page(request)
        kept = drafts.kept(request)
        logout(request)
        if ended == "idle":
            reason = _(
                "You were logged out because you were away for a while. Log in again "
                "to carry on where you were."
            )
        else:
            reason = _("Your log-in has expired. Log in again to carry on where you were.")
        if kept:
            kept_here = _("What you typed is kept in this browser.")
            reason = f"{reason} {kept_here}"
        messages.info(request, reason)
        return to_log_in(next_url)


def form_page(request) -> str:
    """Where to come back to after logging in again.

    For a POST: the page the form was on (the same-site Referer), else the POST's own path,
    which is the form's page for this site's forms; for a GET: the page itself.
    """
    if request.method in ("GET", "HEAD"):
        return safe_next(request)
    referer = safe_next(request)
    if referer != reverse("home") and urlsplit(referer).path != reverse("account_login"):
        return referer
    return request.path


def to_log_in(next_url: str) -> HttpResponseRedirect:
    login_url = reverse("account_login")
    if urlsplit(next_url).path in (login_url, reverse("home")):
        return HttpResponseRedirect(login_url)
    return HttpResponseRedirect(f"{login_url}?{urlencode({'next': next_url})}")


REDIRECTS = frozenset({301, 302, 303, 307, 308})


def queued_refusal(request) -> bool:
    """The view said no with an error or warning message (and redirected)."""
    storage = getattr(request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return any(message.level >= messages.WARNING for message in queued)


class DraftsMiddleware:
    """The two moments the browser's drafts of a long form (static/js/drafts.js) depend on.

    - A POST that arrives without a log-in (it ended here or in another tab, or the session
      was cleared) goes to the log-in page with `next` = the form's page and a message
      saying the text is kept, so log-in leads back to the form and its draft.
    - A POST that is accepted (a logged-in member, a redirect, no refusal message: the
      house's POST, redirect, message) marks its form saved; the next page tells the
      browser to drop that form's draft (core.drafts).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "POST" or response.status_code not in REDIRECTS:
            return response
        target = urlsplit(response.get("Location", "")).path
        login_url = resolve_url(settings.LOGIN_URL)
        if not request.user.is_authenticated:
            if target == login_url and not is_log_in_flow(request):
                return self._ended(request)
            return response
        if target not in (login_url, reverse("accounts:mfa_required")) and not (
            queued_refusal(request)
        ):
            drafts.mark_saved(request, request.path)
        return response

    def _ended(self, request):
        if drafts.kept(request):
            text = _(
                "Your session ended. Log in again to continue; what you typed is kept in "
                "this browser."
            )
        else:
            text = _("Your session ended. Log in again to continue.")
        messages.info(request, text)
        return to_log_in(form_page(request))


def is_log_in_flow(request) -> bool:
    """allauth's own pages (log-in, sign-up, two-factor step) handle their redirects."""
    match = request.resolver_match
    name = match.url_name if match is not None else None
    return bool(name) and name.startswith(("account_", "mfa_"))
