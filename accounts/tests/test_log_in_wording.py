"""One wording for logging in across our pages and allauth's: "Log in", "Sign up", "Log out".

allauth says "Sign In", "Sign Up" and "Sign Out" (French "Connexion", "Création de compte",
"Inscription"); its log-in, sign-up, log-out and authenticator pages and its two flash
messages are overridden in templates/account/ and templates/mfa/ with the site's words.
"""

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

# allauth's own words, in English and in French, that the site does not use.
NOT_OURS = {
    "en": re.compile(r"\bsign(ed)?[ -]?(in|out)\b|\bsign ?up\b(?! first)|\bsignup\b", re.I),
    "fr": re.compile(r"\bconnexion\b|\binscri|\benregistrer\b|\bcréation de compte\b", re.I),
}
OURS = {"en": ("Log in", "Sign up"), "fr": ("Se connecter", "Créer un compte")}
# allauth's pages a person meets around logging in, and who meets them.
PAGES = [
    ("account_login", None),
    ("account_signup", None),
    ("account_reset_password", None),
    ("account_logout", "member"),
    ("account_email", "member"),
    ("account_change_password", "member"),
]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def wording_problems(text: str, language: str) -> list[str]:
    """allauth's words found in the text (our own, "Sign up", is allowed in English)."""
    found = [m.group(0) for m in NOT_OURS[language].finditer(text)]
    if language == "en":
        found = [word for word in found if word != "Sign up"]
    return found


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(("name", "role"), PAGES)
def test_allauths_pages_use_the_sites_words(name, role, language, cast):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    user = cast.user(role) if role else None
    if user is not None:
        type(user).objects.filter(pk=user.pk).update(language=language)
        client.force_login(user)
    response = client.get(reverse(name), follow=True)
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert wording_problems(text, language) == [], text[:400]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_log_in_and_sign_up_pages_name_each_other_as_the_navbar_does(language, db):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    log_in, sign_up = OURS[language]
    login_page = visible_text(client.get(reverse("account_login")).content.decode())
    signup_page = visible_text(client.get(reverse("account_signup")).content.decode())
    home = visible_text(client.get(reverse("home")).content.decode())
    for text in (login_page, signup_page, home):
        assert log_in in text and sign_up in text


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_flash_messages_say_logged_in_and_logged_out(language, cast):
    with translation.override(language):
        logged_in = render_to_string("account/messages/logged_in.txt", {"user": cast.member})
        logged_out = render_to_string("account/messages/logged_out.txt", {})
    for text in (logged_in, logged_out):
        assert wording_problems(text, language) == []
    assert ("logged in" if language == "en" else "connecté") in logged_in


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Sign In", "en"),
        ("Please sign in.", "en"),
        ("Sign Out", "en"),
        ("Successfully signed in as Bob.", "en"),
        ("Signup", "en"),
        ("Connexion", "fr"),
        ("S'inscrire", "fr"),
        ("Création de compte", "fr"),
    ],
)
def test_allauths_words_are_caught(text, language):
    assert wording_problems(text, language)
