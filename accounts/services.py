"""Writes on members' accounts."""

import logging

from django.conf import settings
from django.db import transaction

from core.concurrency import Loaded

from .models import Profile, User
from .selectors import profile_of, profile_values

logger = logging.getLogger(__name__)


def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unsupported language: {language}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def user_set_reminders(*, user: User, enabled: bool) -> None:
    if user.optional_reminders != enabled:
        user.optional_reminders = enabled
        user.save(update_fields=["optional_reminders"])


@transaction.atomic
def profile_save(*, user: User, data: dict, loaded: Loaded | None = None) -> Profile:
    """Save the fields given (contact, background, demographics) on the member's profile.

    With `loaded` (what the member's form showed), a value saved since in another tab is
    never replaced: `EditConflict` carries the newest values instead.
    """
    User.objects.select_for_update(of=("self",)).filter(
        pk=user.pk
    ).first()  # one save per member at once
    if loaded is not None:
        loaded.check(profile_values(profile_of(user)), data)
    profile, _created = Profile.objects.get_or_create(user=user)
    allowed = set(Profile.CONTACT_FIELDS) | set(Profile.DEMOGRAPHIC_FIELDS)
    for field, value in data.items():
        if field not in allowed:
            raise ValueError(f"Not a profile field: {field}")
        setattr(profile, field, value)
    profile.full_clean()
    profile.save()
    return profile
