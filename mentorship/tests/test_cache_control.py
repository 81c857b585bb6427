"""No cache keeps a member's pages or anyone's files: `Cache-Control: no-store, private`.

Walks every row of the URL x role access matrix (imported, so a new page is covered the day
its row is added): every response to a logged-in member, and every file whoever asks
(PDFs, CSV and JSON exports, .ics files, the calendar feed reached by its token alone),
must say no-store and private. mentorship/middleware.py does it for the whole site.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.cache import get_max_age
from django.utils.http import split_header_value

from conftest import ROLES
from mentorship.tests.test_access_matrix import MATRIX, done_packet, mentees_feed

MIDDLEWARE = "mentorship.middleware.PrivateCacheMiddleware"


def directives(response) -> set[str]:
    header = response.get("Cache-Control", "")
    return {directive.split("=", 1)[0].lower() for directive in split_header_value(header)}


def is_download(response) -> bool:
    """Judged apart from the middleware's own rule: any answer that is not a page."""
    content_type = response.get("Content-Type", "")
    return response.status_code == 200 and not content_type.startswith("text/html")


def cache_problems(label: str, role: str, response) -> list[str]:
    """What is wrong with the response's caching for this role (nothing, if all is well)."""
    why = []
    if role != "anonymous":
        why.append("a logged-in member's response")
    if is_download(response):
        why.append(f"a file ({response['Content-Type']})")
    if not why:
        return []
    missing = {"no-store", "private"} - directives(response)
    contradicting = {"public", "max-age", "s-maxage"} & directives(response)
    if missing or contradicting:
        return [
            f"{label} as {role}: {' and '.join(why)} has Cache-Control "
            f"{response.get('Cache-Control')!r} (missing {sorted(missing)}, "
            f"contradicting {sorted(contradicting)})"
        ]
    return []


def request_row(name: str, role: str, cast, client_as):
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(cast))
    return getattr(client_as(role), row.method)(url, row.data)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_url_is_private_to_members_and_every_file_to_everyone(name, role, cast, client_as):
    response = request_row(name, role, cast, client_as)
    assert cache_problems(name, role, response) == []


# Every kind of file the site serves, each asked for as the matrix allows (200 expected).
FILES = {
    "accounts:download": "member",  # CSV
    "dashboard:list_csv": "coordinator",
    "evaluation:report_csv": "coordinator",
    "printing:blank": "anonymous",  # a blank form: PDF
    "printing:packet_download": "coordinator",  # a FileResponse, streamed
    "surveys:pdf": "mentee",  # a filled form
    "sessions:worksheet_pdf": "mentor",
    "sessions:meeting_ics": "mentee",
    "sessions:feed": "anonymous",  # the calendar feed: its token is the only key
}


@pytest.mark.parametrize(("name", "role"), sorted(FILES.items()))
def test_the_matrix_walk_really_meets_files(name, role, cast, client_as):
    """The walk above is only worth something if its requests reach real files."""
    response = request_row(name, role, cast, client_as)
    assert is_download(response), response.get("Content-Type")
    assert directives(response) >= {"no-store", "private"}


def test_the_members_json_export_and_a_feed_fetched_by_a_calendar_program(cast, client_as):
    member_json = client_as("member").get(reverse("accounts:download", args=["json"]))
    assert member_json["Content-Type"].startswith("application/json")
    calendar_program = Client()  # no session, no cookies: only the token
    feed = calendar_program.get(reverse("sessions:feed", kwargs=mentees_feed(cast)))
    for response in (member_json, feed):
        assert response["Cache-Control"] == "no-store, private"
        assert get_max_age(response) is None  # the feed's old 15-minute lifetime is gone


def test_a_visitor_mid_way_through_signing_up_is_private_too(db, client):
    """Not logged in yet, but the session holds the new member's pending log-in."""
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Nadia Benali",
            "email": "nadia@example.org",
            "password1": "a long union password",
            "password2": "a long union password",
        },
        follow=True,
    )
    assert "nadia@example.org" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert directives(response) >= {"no-store", "private"}


def test_public_pages_for_visitors_without_a_session_stay_cacheable(cast):
    response = Client().get(reverse("programs:detail", kwargs={"slug": cast.program.slug}))
    assert response.status_code == 200 and "no-store" not in directives(response)


def test_static_files_keep_their_long_cache(settings, client_as):
    """WhiteNoise answers above the middleware: CSS and the vendored script stay cacheable."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_MAX_AGE = 31536000
    response = client_as("mentee").get("/static/vendor/bootstrap/bootstrap.bundle.min.js")
    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert get_max_age(response) == 31536000


def test_without_the_middleware_the_walk_fails(settings, cast, client_as):
    """The checks above can fail: take the middleware out and they find what is exposed."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    cases = [
        ("accounts:home", "mentee"),
        ("dashboard:home", "coordinator"),
        ("printing:blank", "anonymous"),
        ("sessions:feed", "anonymous"),
        ("sessions:meeting_ics", "mentee"),
        ("surveys:pdf", "coordinator"),
    ]
    for name, role in cases:
        response = request_row(name, role, cast, client_as)
        assert response.status_code == 200, name
        assert cache_problems(name, role, response), f"{name} as {role} passed without it"
    packet = client_as("coordinator").get(
        reverse("printing:packet_download", kwargs=done_packet(cast))
    )
    assert cache_problems("printing:packet_download", "coordinator", packet)
