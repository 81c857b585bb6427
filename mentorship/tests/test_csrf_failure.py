"""A stale or missing CSRF token: a page that explains and leads back, not a bare 403.

CSRF_FAILURE_VIEW (mentorship.views.csrf_failure) renders templates/403_csrf.html in the
member's language, under the site's layout and Content-Security-Policy, with the way back
to the form's page; the browser test is sessions/tests/test_drafts_browser.py.
"""

import re
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(cast) -> str:
    return reverse("accounts:profile")


def strict(cast, role: str = "mentee") -> Client:
    """A browser whose CSRF checks are on, as a real one's are."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.user(role))
    return client


def test_a_stale_token_shows_the_friendly_page_with_the_way_back(cast, form):
    client = strict(cast)
    client.get(form)  # the page is open: the browser has a token
    response = client.post(
        form,
        {"csrfmiddlewaretoken": "stale" * 10, "phone": "555", "draft_kept": "1"},
        HTTP_REFERER=f"http://testserver{form}",
    )
    assert response.status_code == 403
    assert response.templates[0].name == "403_csrf.html"
    html = response.content.decode()
    assert "This form could not be sent" in html
    assert "the page was open for a long time before you sent it" in html
    assert f'href="{form}">Go back to the form</a>' in html
    assert "data-history-back" in html
    assert "What you typed is kept in this browser" in html
    assert "Skip to main content" in html  # the site's layout
    # Django's technical reason stays in the log.
    assert "CSRF" not in html and "token" not in html.lower().replace("csrfmiddlewaretoken", "")


def test_a_missing_cookie_shows_the_page_too(cast, form):
    client = strict(cast)
    response = client.post(form, {"phone": "555"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form could not be sent" in html
    assert f'href="{form}">Go back to the form</a>' in html  # no Referer: the POST's path
    # Without the browser's word that a draft is kept, the page does not promise it.
    assert "What you typed is kept in this browser" not in html


def test_in_french_for_a_french_member(cast, form):
    cast.mentee.language = "fr"
    cast.mentee.save(update_fields=["language"])
    response = strict(cast).post(form, {"draft_kept": "1"})
    assert response.status_code == 403
    html = unescape(response.content.decode())
    assert '<html lang="fr">' in html
    assert "Ce formulaire n'a pas pu être envoyé" in html
    assert "Revenir au formulaire" in html
    assert "Ce que vous avez tapé est gardé dans ce navigateur" in html


def test_a_foreign_referer_is_not_offered_as_the_way_back(cast, form):
    response = strict(cast).post(form, {}, HTTP_REFERER="https://evil.example/phish")
    html = response.content.decode()
    assert "evil.example" not in html
    assert f'href="{form}">Go back to the form</a>' in html


def test_the_page_works_under_the_content_security_policy(cast, form):
    response = strict(cast).post(form, {})
    assert "script-src" in response["Content-Security-Policy"]
    html = response.content.decode()
    # No inline script or style: every <script> has a src, no style="" attribute.
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)
    assert " style=" not in html
    assert "js/drafts.js" in html  # the back button's script


def test_anonymous_visitors_get_the_page_too(form):
    response = Client(enforce_csrf_checks=True).post(reverse("account_login"), {})
    assert response.status_code == 403
    assert "This form could not be sent" in response.content.decode()


def test_the_setting_names_the_view():
    assert settings.CSRF_FAILURE_VIEW == "mentorship.views.csrf_failure"
