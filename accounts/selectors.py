"""Reads on a member's own data."""

from django.db.models import QuerySet

from .models import PersonalDataView, Profile, User


def profile_of(user: User) -> Profile:
    """The member's profile, or an unsaved blank one."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


def profile_values(profile: Profile) -> dict:
    """The profile's values its forms edit (blank ones for a profile not saved yet)."""
    return {f: getattr(profile, f) for f in (*Profile.CONTACT_FIELDS, *Profile.DEMOGRAPHIC_FIELDS)}


def views_of_my_data(user: User) -> QuerySet[PersonalDataView]:
    return PersonalDataView.objects.filter(subject=user).select_related("viewer", "program")[:50]
