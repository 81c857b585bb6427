"""Sign-up, verification, log-in, password reset, MFA and rate limits (allauth, our settings)."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from core.models import OutboxMessage

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Nadia Benali",
    "email": "Nadia@Example.org",
    "password1": "a long union password",
    "password2": "a long union password",
}


def log_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_sign_up_creates_a_member_whose_address_must_be_verified(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)
        # Written with the new member, sent by the worker once that commits.
        assert OutboxMessage.objects.get().to == "nadia@example.org"
        assert mailoutbox == []
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="nadia@example.org")
    assert user.name == "Nadia Benali"
    assert user.language == "en"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nadia@example.org"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body
    # Not logged in until the address is confirmed.
    assert client.get(reverse("accounts:home")).status_code == 302


def test_sign_up_in_french_saves_the_language(client):
    client.cookies["django_language"] = "fr"
    client.post(reverse("account_signup"), SIGNUP)
    assert User.objects.get(email="nadia@example.org").language == "fr"


def test_sign_up_errors_keep_what_was_typed(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "password2": "something else"})
    assert response.status_code == 200
    assert not User.objects.exists()
    html = response.content.decode()
    assert 'value="Nadia Benali"' in html
    assert "You must type the same password each time." in html


def test_sign_up_twice_with_one_address_creates_one_member(client, mailoutbox):
    client.post(reverse("account_signup"), SIGNUP)
    client.post(reverse("account_signup"), SIGNUP)
    assert User.objects.filter(email="nadia@example.org").count() == 1


def test_verifying_the_address_logs_the_member_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGNUP)
    confirm_url = link_in(mailoutbox[0])
    assert client.get(confirm_url).status_code == 200  # a page with a button, GET writes nothing
    assert not EmailAddress.objects.get(email="nadia@example.org").verified
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="nadia@example.org").verified
    assert client.get(reverse("accounts:home")).status_code == 200


def test_unverified_member_cannot_log_in(client, mailoutbox):
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = log_in(client, user.email)
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("accounts:home")).status_code == 302


def test_log_in_with_email_in_any_case(client):
    user = UserFactory(email="rosa@example.org")
    response = log_in(client, "ROSA@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")  # then their home, or their dashboard
    assert client.get(reverse("accounts:home")).context["user"] == user


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client):
    UserFactory(email="rosa@example.org")
    response = log_in(client, "rosa@example.org", "not the password")
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )


def test_failed_log_ins_are_rate_limited(client):
    UserFactory(email="rosa@example.org")
    for _ in range(5):
        log_in(client, "rosa@example.org", "guess")
    # Even the right password is refused once the limit for this address is reached.
    response = log_in(client, "rosa@example.org")
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("accounts:home")).status_code == 302


def test_password_reset_sends_a_working_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="rosa@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "rosa@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    reset_url = client.get(link_in(mailoutbox[0]))["Location"]  # the key moves to the session
    response = client.post(
        reset_url, {"password1": "a brand new password", "password2": "a brand new password"}
    )
    assert response.status_code == 302
    assert log_in(client, "rosa@example.org", "a brand new password").status_code == 302


def test_password_reset_for_an_unknown_address_looks_the_same(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    # The address's owner is told there is no account; nobody else learns anything.
    assert [m.to for m in mailoutbox] == [["nobody@example.org"]]


def test_any_member_can_turn_on_totp_and_then_needs_a_code(client):
    user = UserFactory(email="rosa@example.org")
    log_in(client, user.email)
    activate = reverse("mfa_activate_totp")
    # Security settings ask for the password again first.
    assert client.get(activate)["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(activate).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    counter = next(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(secret, counter))
    response = client.post(activate, {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()

    client.post(reverse("account_logout"))
    response = log_in(client, user.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("accounts:home")).status_code == 302  # not in yet


def test_mfa_pages_use_the_site_layout(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("mfa_index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Skip to main content" in html
    assert 'class="btn' in html
