"""How long a log-in lasts (issue 14, item 6): idle timeouts, an absolute lifetime, the
session written at most once a minute, other sessions ended by a password change, and
production cookie names."""

import datetime
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import session_limits
from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
LOGIN = reverse("account_login")


def logged_in_at_start(user) -> tuple[Client, time_machine.travel]:
    traveller = time_machine.travel(START, tick=False)
    traveller.start()
    client = Client()
    client.force_login(user)
    return client, traveller


def sent_to_log_in(response) -> str | None:
    """The `next` of a redirect to the log-in page ("" without one), or None."""
    if response.status_code != 302:
        return None
    location = urlparse(response["Location"])
    if location.path != LOGIN:
        return None
    return parse_qs(location.query).get("next", [""])[0]


def at(traveller, **delta) -> None:
    traveller.stop()
    traveller.__init__(START + datetime.timedelta(**delta), tick=False)
    traveller.start()


@pytest.fixture
def travel():
    travellers = []

    def start(user):
        client, traveller = logged_in_at_start(user)
        travellers.append(traveller)
        return client, traveller

    yield start
    for traveller in travellers:
        traveller.stop()


def test_a_coordinator_is_logged_out_after_30_idle_minutes(cast, travel):
    client, clock = travel(cast.coordinator)
    dashboard = reverse("dashboard:home")
    at(clock, minutes=29)
    assert client.get(dashboard).status_code == 200
    at(clock, minutes=29 + 31)
    response = client.get(dashboard)
    assert sent_to_log_in(response) == dashboard
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "You were logged out because you were away for a while." in page.content.decode()


def test_a_coordinators_activity_keeps_them_in(cast, travel):
    client, clock = travel(cast.coordinator)
    for minutes in range(20, 200, 20):
        at(clock, minutes=minutes)
        assert client.get(reverse("dashboard:home")).status_code == 200


def test_a_member_stays_in_for_two_idle_weeks_and_not_longer(cast, travel):
    client, clock = travel(cast.mentee)
    home = reverse("accounts:home")
    at(clock, days=13)
    assert client.get(home).status_code == 200
    at(clock, days=13 + 15)
    assert sent_to_log_in(client.get(home)) == home


def test_the_idle_timeouts_are_settings(cast, travel, settings):
    settings.SESSION_IDLE_COORDINATOR_MINUTES = 5
    settings.SESSION_IDLE_MEMBER_DAYS = 1
    coordinator, clock = travel(cast.coordinator)
    member = Client()
    member.force_login(cast.mentee)
    at(clock, minutes=6)
    assert sent_to_log_in(coordinator.get(reverse("dashboard:home"))) is not None
    assert member.get(reverse("accounts:home")).status_code == 200
    at(clock, days=1, minutes=7)
    assert sent_to_log_in(member.get(reverse("accounts:home"))) is not None


def test_a_member_who_becomes_a_coordinator_gets_the_shorter_timeout(cast, travel):
    client, clock = travel(cast.member)
    cast.program.coordinators.add(cast.member)
    at(clock, minutes=2)  # the next stamp (at most a minute later) reads the role again
    client.get(reverse("accounts:home"))
    at(clock, minutes=2 + 31)
    assert sent_to_log_in(client.get(reverse("accounts:home"))) is not None


def test_the_log_in_ends_after_its_lifetime_even_when_active(cast, travel, settings):
    settings.SESSION_MAX_AGE_DAYS = 30
    client, clock = travel(cast.mentee)
    home = reverse("accounts:home")
    for day in range(5, 30, 5):
        at(clock, days=day)
        assert client.get(home).status_code == 200
    at(clock, days=30, minutes=1)
    response = client.get(home)
    assert sent_to_log_in(response) == home
    assert "Your log-in has expired." in client.get(response["Location"]).content.decode()


def test_the_session_is_written_at_most_once_a_minute(cast, travel):
    client, clock = travel(cast.mentee)
    home = reverse("accounts:home")
    at(clock, seconds=30)
    with CaptureQueriesContext(connection) as queries:
        client.get(home)
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert client.session[session_limits.LAST_SEEN_AT] == int(START.timestamp())
    at(clock, seconds=61)
    client.get(home)
    assert client.session[session_limits.LAST_SEEN_AT] == int(START.timestamp()) + 61


def test_a_form_sent_after_the_timeout_leads_back_to_its_page(cast, travel):
    client, clock = travel(cast.coordinator)
    board = reverse("matching:board", args=[cast.program.slug])
    at(clock, minutes=45)
    response = client.post(
        reverse("matching:run", args=[cast.program.slug]),
        HTTP_REFERER=f"http://testserver{board}",
    )
    assert sent_to_log_in(response) == f"http://testserver{board}"


def test_a_session_from_before_the_stamps_counts_from_its_next_request(cast, travel):
    client, clock = travel(cast.mentee)
    session = client.session
    for key in (session_limits.LOGGED_IN_AT, session_limits.LAST_SEEN_AT):
        del session[key]
    session.save()
    at(clock, days=20)
    assert client.get(reverse("accounts:home")).status_code == 200
    at(clock, days=20 + 13)
    assert client.get(reverse("accounts:home")).status_code == 200


def test_idle_log_out_message_in_french(cast, travel):
    cast.mentee.language = "fr"
    cast.mentee.save(update_fields=["language"])
    client, clock = travel(cast.mentee)
    at(clock, days=15)
    response = client.get(reverse("accounts:home"))
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages and "Vous avez été déconnecté" in messages[0]


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(cast):
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        client.post(LOGIN, {"login": cast.mentee.email, "password": PASSWORD})
        assert client.get(reverse("accounts:home")).status_code == 200
    new = "a brand new union password"
    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert here.get(reverse("accounts:home")).status_code == 200
    assert sent_to_log_in(elsewhere.get(reverse("accounts:home"))) is not None


def sign_up(client, password):
    return client.post(
        reverse("account_signup"),
        {
            "name": "Nadia Benali",
            "email": "nadia@example.org",
            "password1": password,
            "password2": password,
        },
    )


@pytest.mark.parametrize("password", ["union2026", "short pass1"], ids=["8", "11"])
def test_passwords_under_twelve_characters_are_refused(client, password):
    response = sign_up(client, password)
    assert response.status_code == 200
    assert "This password is too short. It must contain at least 12 characters." in (
        response.content.decode()
    )


def test_a_common_password_of_twelve_characters_is_refused(client):
    response = sign_up(client, "password1234")
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()


def test_a_twelve_character_password_is_accepted(client):
    password = "tw3lve chars"
    assert len(password) == 12
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Nadia Benali",
            "email": "nadia@example.org",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 302


def test_the_password_rule_is_explained_in_french(client):
    client.cookies["django_language"] = "fr"
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Nadia Benali",
            "email": "nadia@example.org",
            "password1": "union2026",
            "password2": "union2026",
        },
    )
    assert "Il doit contenir au minimum 12 caractères." in response.content.decode()


def settings_with(**env) -> dict:
    """The settings a fresh process reads from this environment."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ["
        "'SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', 'SESSION_COOKIE_SECURE', "
        "'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_PATH', 'CSRF_COOKIE_PATH', "
        "'SESSION_COOKIE_DOMAIN', 'CSRF_COOKIE_DOMAIN', 'ALLAUTH_TRUSTED_PROXY_COUNT', "
        "'ALLAUTH_TRUSTED_CLIENT_IP_HEADER', 'REQUIRE_COORDINATOR_MFA']}))"
    )
    base = Path(django_settings.BASE_DIR)
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=base,
        env={**clean, "DJANGO_SETTINGS_MODULE": "mentorship.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    return json.loads(result.stdout)


def test_production_cookies_use_the_host_prefix():
    values = settings_with(DEBUG="0", SECRET_KEY="x" * 50)
    assert values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert values["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    # What the browser requires of a __Host- cookie.
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_PATH"] == values["CSRF_COOKIE_PATH"] == "/"
    assert values["SESSION_COOKIE_DOMAIN"] is None and values["CSRF_COOKIE_DOMAIN"] is None
    assert values["REQUIRE_COORDINATOR_MFA"] is True


def test_development_cookies_keep_plain_names_over_http():
    values = settings_with(DEBUG="1")
    assert values["SESSION_COOKIE_NAME"] == "sessionid"
    assert values["CSRF_COOKIE_NAME"] == "csrftoken"


def test_proxy_settings_come_from_the_environment():
    values = settings_with(TRUSTED_PROXY_COUNT="1", TRUSTED_CLIENT_IP_HEADER="X-Real-IP")
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    assert values["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"] == "X-Real-IP"
    values = settings_with()
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0
    assert values["ALLAUTH_TRUSTED_CLIENT_IP_HEADER"] is None
