"""Site-wide behaviour: admin for superusers only, languages, error pages."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_is_for_superusers_only(client):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    staff = UserFactory(is_staff=True)
    member = UserFactory()
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 200
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302
    client.force_login(member)
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:login")).status_code == 403


def test_admin_log_in_goes_through_the_site_log_in(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_switching_language_as_a_visitor_sets_a_cookie(client):
    response = client.post(reverse("accounts:set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "fr"
    assert "Créer un compte" in client.get("/").content.decode()


def test_switching_language_as_a_member_is_saved_for_their_e_mails(client):
    member = UserFactory(language="en")
    client.force_login(member)
    client.post(reverse("accounts:set_language"), {"language": "fr", "next": "/me/"})
    member.refresh_from_db()
    assert member.language == "fr"


def test_a_member_sees_their_own_language_on_any_browser(client):
    client.force_login(UserFactory(language="fr"))
    response = client.get(reverse("accounts:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.content.decode()


def test_language_switch_never_redirects_off_site(client):
    response = client.post(
        reverse("accounts:set_language"), {"language": "fr", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_unknown_language_is_ignored(client):
    response = client.post(reverse("accounts:set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert "django_language" not in response.cookies


def test_language_switch_needs_post(client):
    assert client.get(reverse("accounts:set_language")).status_code == 405


def test_not_found_page_uses_the_site_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Skip to main content" in response.content.decode()


def test_server_error_page_leaks_nothing(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"Traceback" not in response.content
