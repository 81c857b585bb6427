"""Writes on the mentor database."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import MentorProfile

MENTOR_PROFILE_FIELDS = (
    "background",
    "interests",
    "experience",
    "qualifications",
    "skills",
    "internal",
    "capacity",
    "availability",
    "available",
)


def _existing(user: User) -> MentorProfile | None:
    return MentorProfile.objects.select_for_update().filter(user=user).first()


@transaction.atomic
def mentor_profile_save(*, user: User, data: Mapping[str, Any]) -> MentorProfile:
    """Create or update the member's mentor profile; saving also confirms it is current.

    Languages and region are not here: they are on the member's profile (`profile_save`).
    """
    unknown = set(data) - set(MENTOR_PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not a mentor profile field: {', '.join(sorted(unknown))}")
    mentor_profile = _existing(user) or MentorProfile(user=user)
    for field in MENTOR_PROFILE_FIELDS:
        if field in data:
            setattr(mentor_profile, field, data[field])
    mentor_profile.confirmed_at = timezone.now()
    # One profile per member is the database's to enforce: see the IntegrityError below.
    mentor_profile.full_clean(validate_unique=False)
    if mentor_profile.pk is None:
        try:
            with transaction.atomic():
                mentor_profile.save(force_insert=True)
        except IntegrityError:
            # The member's other request (a double click) created it first: update that one.
            mentor_profile.pk = _existing(user).pk
            mentor_profile.save(force_update=True)
    else:
        mentor_profile.save()
    return mentor_profile


@transaction.atomic
def mentor_profile_confirm(*, user: User) -> MentorProfile:
    """The member says their mentor profile is still up to date (the yearly refresh)."""
    mentor_profile = _existing(user)
    if mentor_profile is None:
        raise ValidationError(
            _("You have no mentor profile yet: fill in the form first."), code="no_profile"
        )
    mentor_profile.confirmed_at = timezone.now()
    # Not an edit: "last updated" keeps the date of the last change.
    mentor_profile.save(update_fields=["confirmed_at"])
    return mentor_profile
