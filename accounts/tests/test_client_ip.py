"""The address allauth's rate limits count by, behind proxies (issue 14, item 9).

Behind one proxy every member arrives from its address: with TRUSTED_PROXY_COUNT=1 the
address the proxy saw (the last of X-Forwarded-For) is counted instead; without it, an
X-Forwarded-For anyone can write is ignored.
"""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
LIMIT = 3


@pytest.fixture(autouse=True)
def small_log_in_limit(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": f"{LIMIT}/m/ip"}


def attempt(client: Client, forwarded_for: str | None = None, **headers) -> int:
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    response = client.post(
        reverse("account_login"),
        {"login": "nobody@example.org", "password": "not the password"},
        REMOTE_ADDR=PROXY,
        **headers,
    )
    return response.status_code


def test_two_members_behind_one_proxy_are_limited_separately(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    first, second = Client(), Client()
    assert [attempt(first, "203.0.113.5") for _ in range(LIMIT)] == [200] * LIMIT
    assert attempt(first, "203.0.113.5") == 429
    assert attempt(second, "198.51.100.7") == 200


def test_addresses_written_before_the_proxys_own_are_not_believed(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client = Client()
    # The proxy appends the address it saw; whatever the client wrote comes before it.
    statuses = [attempt(client, f"192.0.2.{n}, 203.0.113.5") for n in range(LIMIT + 1)]
    assert statuses[-1] == 429


def test_without_the_setting_a_forged_forwarded_for_is_ignored():
    client = Client()
    statuses = [attempt(client, f"192.0.2.{n}") for n in range(LIMIT + 1)]
    assert statuses[:LIMIT] == [200] * LIMIT
    assert statuses[-1] == 429  # every attempt counted against the connecting address


def test_a_trusted_client_ip_header_is_used_when_set(settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    first, second = Client(), Client()
    for _ in range(LIMIT):
        attempt(first, HTTP_X_REAL_IP="203.0.113.5")
    assert attempt(first, HTTP_X_REAL_IP="203.0.113.5") == 429
    assert attempt(second, HTTP_X_REAL_IP="198.51.100.7") == 200
