"""A form sent after the log-in ended leads back to the form; a saved form's draft can go.

Issue 16, item 5 (nothing typed is lost): the browser keeps the draft (static/js/drafts.js,
tests in test_drafts_browser.py); the server sends the member back to the form with a
message that says so, tells the browser which drafts to drop once saved or logged out, and
never names the member in the draft's key.
"""

import datetime
import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from django.contrib import messages
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.http import HttpResponse, HttpResponseRedirect
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.middleware import DraftsMiddleware
from accounts.tests.factories import PASSWORD
from core import drafts
from core.testing import post_loaded
from sessions.models import Preparation
from sessions.tests.factories import MeetingFactory, at

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
LOGIN = reverse("account_login")
KEPT = "Your session ended. Log in again to continue; what you typed is kept in this browser."


@pytest.fixture
def form_url(match, today) -> str:
    meeting = MeetingFactory(match=match, starts_at=at(today + 3 * DAY))
    return reverse("sessions:meeting_preparation", args=[match.program.slug, match.pk, meeting.pk])


def sent_to_log_in(response) -> str | None:
    """The `next` of a redirect to the log-in page ("" without one), or None."""
    if response.status_code != 302:
        return None
    location = urlparse(response["Location"])
    if location.path != LOGIN:
        return None
    return parse_qs(location.query).get("next", [""])[0]


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def body_attribute(response, name: str) -> str | None:
    body = re.search(r"<body[^>]*>", response.content.decode()).group(0)
    found = re.search(rf'\s{name}(?:="([^"]*)")?', body)
    if found is None:
        return None
    return (found.group(1) or "").replace("&quot;", '"')


def ended(client) -> None:
    """The log-in ends elsewhere: logged out in another tab, or the session rows cleared."""
    Session.objects.all().delete()


def test_a_form_sent_after_the_session_ended_goes_to_log_in_and_back_to_it(client_as, form_url):
    client = client_as("mentee")
    assert client.get(form_url).status_code == 200
    ended(client)
    response = client.post(
        form_url,
        {"tried": "Spoke at the meeting", "draft_kept": "1"},
        HTTP_REFERER=f"http://testserver{form_url}",
    )
    assert sent_to_log_in(response) == f"http://testserver{form_url}"
    assert said(response) == [KEPT]
    assert not Preparation.objects.exists()


def test_without_a_referer_the_forms_own_path_is_the_way_back(client_as, form_url):
    client = client_as("mentee")
    ended(client)
    response = client.post(form_url, {"tried": "Spoke", "draft_kept": "1"})
    assert sent_to_log_in(response) == form_url


def test_the_message_only_says_the_text_is_kept_when_the_browser_kept_it(client_as, form_url):
    client = client_as("mentee")
    ended(client)
    response = client.post(form_url, {"tried": "Spoke"})  # no script, or a no-draft form
    assert sent_to_log_in(response) == form_url
    assert said(response) == ["Your session ended. Log in again to continue."]


def test_a_foreign_referer_is_not_the_way_back(client_as, form_url):
    client = client_as("mentee")
    ended(client)
    response = client.post(form_url, {"draft_kept": "1"}, HTTP_REFERER="https://evil.example/x")
    assert sent_to_log_in(response) == form_url


def test_log_in_returns_to_the_form(cast, form_url, client):
    ended(client)
    next_url = sent_to_log_in(client.post(form_url, {"draft_kept": "1"}))
    login = client.get(f"{LOGIN}?next={next_url}")
    assert f'value="{form_url}"' in login.content.decode()  # the log-in form carries it
    assert KEPT in login.content.decode()
    response = client.post(
        f"{LOGIN}?next={next_url}",
        {"login": cast.mentee.email, "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == form_url
    assert client.get(form_url).status_code == 200


def test_log_in_with_an_authenticator_code_returns_to_the_form(cast, client):
    """A coordinator's log-in has a second step (allauth's MFA stage): `next` survives it."""
    form = reverse("programs:edit", args=[cast.program.slug])
    ended(client)
    next_url = sent_to_log_in(client.post(form, {"name": "Renamed", "draft_kept": "1"}))
    assert next_url == form
    response = client.post(
        f"{LOGIN}?next={next_url}",
        {"login": cast.coordinator.email, "password": PASSWORD, "next": next_url},
    )
    assert response["Location"] == reverse("mfa_authenticate")
    secret = Authenticator.objects.get(user=cast.coordinator, type=Authenticator.Type.TOTP)
    counter = next(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(decrypt(secret.data["secret"]), counter))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert response["Location"] == form


def test_an_idle_log_out_on_a_form_says_the_text_is_kept_and_leads_back(cast, form_url):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)) as clock:
        client = Client()
        client.force_login(cast.mentee)
        clock.shift(datetime.timedelta(days=15))
        response = client.post(form_url, {"tried": "Spoke", "draft_kept": "1"})
    # No Referer: the form's own path, not the home page (which meant no way back).
    assert sent_to_log_in(response) == form_url
    assert said(response) == [
        "You were logged out because you were away for a while. Log in again to carry on "
        "where you were. What you typed is kept in this browser."
    ]


def test_a_saved_form_tells_the_next_page_to_drop_its_draft(client_as, form_url):
    client = client_as("mentee")
    response = post_loaded(client, form_url, {"tried": "Spoke at the meeting"}, follow=True)
    assert Preparation.objects.get().tried == "Spoke at the meeting"
    assert json.loads(body_attribute(response, "data-drafts-clear")) == [form_url]
    # Shown once, like a message.
    assert json.loads(body_attribute(client.get(form_url), "data-drafts-clear")) == []


def test_a_refusal_then_redirect_keeps_the_draft(cast, rf_session):
    """A view that says no with an error message and redirects has not saved the form."""

    def refusing(request):
        messages.error(request, "This meeting is locked.")
        return HttpResponseRedirect("/elsewhere/")

    def accepting(request):
        messages.success(request, "Saved.")
        return HttpResponseRedirect("/elsewhere/")

    assert rf_session(refusing, cast.mentee) == []
    assert rf_session(accepting, cast.mentee) == ["/form/"]


@pytest.fixture
def rf_session():
    """What `DraftsMiddleware` marks saved after a logged-in POST to /form/ answered by `view`."""

    def run(view, user) -> list[str]:
        request = RequestFactory().post("/form/", {"tried": "text"})
        request.session = SessionStore()
        request.user = user
        request._messages = FallbackStorage(request)
        DraftsMiddleware(view)(request)
        return request.session.get(drafts.SAVED_KEY, [])

    return run


def test_a_form_shown_again_or_an_error_page_marks_nothing(cast, rf_session):
    """A form shown again with its errors (200), or refused (403, 404): its draft stays."""
    for status in (200, 400, 403, 404):
        assert rf_session(lambda request, s=status: HttpResponse(status=s), cast.mentee) == []


def test_logging_out_tells_the_next_page_to_drop_every_draft(client_as):
    client = client_as("mentee")
    me = reverse("accounts:home")
    assert body_attribute(client.get(me), "data-drafts-clear-all") is None
    response = client.post(reverse("account_logout"), follow=True)
    assert body_attribute(response, "data-drafts-clear-all") == ""
    assert body_attribute(client.get(reverse("home")), "data-drafts-clear-all") is None


def test_an_idle_log_out_keeps_the_drafts(cast, form_url):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)) as clock:
        client = Client()
        client.force_login(cast.mentee)
        clock.shift(datetime.timedelta(days=15))
        response = client.get(form_url, follow=True)
    assert body_attribute(response, "data-drafts-clear-all") is None


def test_the_draft_owner_is_opaque_and_per_member(cast, client_as):
    me = reverse("accounts:home")
    mentee = body_attribute(client_as("mentee").get(me), "data-draft-owner")
    mentor = body_attribute(client_as("mentor").get(me), "data-draft-owner")
    anonymous = body_attribute(Client().get(reverse("home")), "data-draft-owner")
    assert mentee and mentor and mentee != mentor
    assert anonymous == ""  # logged out: no drafts kept or put back
    assert mentee == drafts.owner(cast.mentee)  # stable across log-ins
    assert re.fullmatch(r"[0-9a-f]{32}", mentee)  # an HMAC: no e-mail, name or id in it
    assert "eddie" not in mentee


def test_the_demographic_questions_are_never_drafted(client_as):
    html = client_as("mentee").get(reverse("accounts:profile")).content.decode()
    fieldset = re.search(r"<fieldset[^>]*data-no-draft[^>]*>(.*?)</fieldset>", html, re.S)
    assert fieldset is not None
    for name in ("gender", "date_of_birth", "race_ethnicity"):
        assert f'name="{name}"' in fieldset.group(1)
