"""Responses that no browser or proxy cache may keep.

One rule for the whole site instead of a header per view, so a new page or download
cannot forget it: a page shown to a logged-in member (or to anyone mid-way through a
log-in or sign-up, who has a session) and every file the application serves carry
`Cache-Control: no-store, private`. A shared computer's back button or disk cache, or a
proxy, then never shows one member's data to the next person. Static files are served by
WhiteNoise above this middleware and keep their long cache.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control
from django.utils.http import split_header_value

# PDFs (filled forms, packets), spreadsheets, data exports and calendars: each holds
# someone's data. A response with a Content-Disposition header is a download too.
FILE_TYPES = frozenset({"application/pdf", "text/csv", "application/json", "text/calendar"})


def is_file(response: HttpResponseBase) -> bool:
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return content_type in FILE_TYPES or response.has_header("Content-Disposition")


def is_private(request: HttpRequest, response: HttpResponseBase) -> bool:
    # request.user is read after the view: a log-in in this request counts too.
    user = getattr(request, "user", None)
    return (
        (user is not None and user.is_authenticated)
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or is_file(response)
    )


# A lifetime or `public` set by a view would contradict no-store and private.
CONTRADICTING = frozenset({"max-age", "s-maxage", "public"})


def make_private(response: HttpResponseBase) -> None:
    kept = [
        directive
        for directive in split_header_value(response.get("Cache-Control", ""))
        if directive and directive.split("=", 1)[0].strip().lower() not in CONTRADICTING
    ]
    response.headers["Cache-Control"] = ", ".join(kept)
    patch_cache_control(response, no_store=True, private=True)


class PrivateCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if is_private(request, response):
            make_private(response)
        return response
