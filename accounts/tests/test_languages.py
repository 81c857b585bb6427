""" "Languages spoken" is a list: shown as names, saved as names, never as "[]" (issue 16)."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import Profile
from core.testing import post_loaded

pytestmark = pytest.mark.django_db

CLEANUP = importlib.import_module("accounts.migrations.0006_clean_languages_shown_as_brackets")


def languages_box(html: str) -> str:
    return re.search(r"<input[^>]*name=\"languages\"[^>]*>", html).group(0)


def test_a_member_without_languages_sees_an_empty_box_and_saving_it_stores_none(cast, client_as):
    client = client_as("member")
    box = languages_box(client.get(reverse("accounts:profile")).content.decode())
    assert "value=" not in box and "[]" not in box
    # The form sent back as shown: the box is empty.
    response = post_loaded(client, reverse("accounts:profile"), {"languages": ""})
    assert response.status_code == 302
    assert Profile.objects.get(user=cast.member).languages == []


def test_a_stored_bracket_is_not_shown_and_goes_away_on_the_next_save(cast, client_as):
    Profile.objects.update_or_create(user=cast.member, defaults={"languages": ["[]", "French"]})
    client = client_as("member")
    box = languages_box(client.get(reverse("accounts:profile")).content.decode())
    assert 'value="French"' in box
    post_loaded(client, reverse("accounts:profile"), {"languages": "French"})
    assert Profile.objects.get(user=cast.member).languages == ["French"]


def test_the_box_as_it_was_once_shown_saves_no_language(cast, client_as):
    post_loaded(client_as("member"), reverse("accounts:profile"), {"languages": "['[]']"})
    assert Profile.objects.get(user=cast.member).languages == []


def test_the_data_migration_cleans_stored_brackets_and_keeps_real_languages(cast):
    stored = {
        cast.member: ["[]"],
        cast.mentee: ["[]", "French", "'Punjabi'", "french"],
        cast.mentor: ["ASL"],
    }
    for user, languages in stored.items():
        Profile.objects.update_or_create(user=user, defaults={"languages": languages})
    CLEANUP.clean_languages(apps, None)
    cleaned = dict(Profile.objects.values_list("user__email", "languages"))
    assert cleaned[cast.member.email] == []
    assert cleaned[cast.mentee.email] == ["French", "Punjabi"]
    assert cleaned[cast.mentor.email] == ["ASL"]
