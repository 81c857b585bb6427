"""Reads on a member's data: their own, and their demographics as others see them (logged)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import PersonalDataView, Profile, User


def _log_view(*, viewer: User, subject: User, program=None, page: str) -> None:
    """Record that `viewer` saw `subject`'s demographics (not logged: members seeing their
    own). The one write a selector makes: the logged read below is the only way to the
    demographics, so it cannot be shown without this row."""
    if viewer.pk != subject.pk:
        PersonalDataView.objects.create(viewer=viewer, subject=subject, program=program, page=page)


def profile_of(user: User) -> Profile:
    """The member's profile, or an unsaved blank one."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


def profile_values(profile: Profile) -> dict:
    """The profile's values its forms edit (blank ones for a profile not saved yet)."""
    return {f: getattr(profile, f) for f in (*Profile.CONTACT_FIELDS, *Profile.DEMOGRAPHIC_FIELDS)}


def views_of_my_data(user: User) -> QuerySet[PersonalDataView]:
    return PersonalDataView.objects.filter(subject=user).select_related("viewer", "program")[:50]


@dataclass(frozen=True)
class Demographics:
    """A member's demographic answers as one viewer was given them (and logged).

    `values` holds the stored values by field name (for forms and paper); `rows` the
    labelled answers for a page.
    """

    values: dict[str, Any]
    rows: list[tuple[Any, Any]]


def demographics_for(*, viewer: User, subject: User, program=None, page: str) -> Demographics:
    """The one way to read a member's demographics for a page: the view is logged first.

    Nothing else reads `Profile.DEMOGRAPHIC_FIELDS` for display (a static check in
    accounts/tests/test_logged_demographics.py keeps it so). Callers decide whether the
    viewer may see them; a member reading their own answers is not logged.
    """
    _log_view(viewer=viewer, subject=subject, program=program, page=page)
    profile = profile_of(subject)
    values = {name: getattr(profile, name) for name in Profile.DEMOGRAPHIC_FIELDS}
    label = lambda name: Profile._meta.get_field(name).verbose_name  # noqa: E731
    races = dict(Profile.RaceEthnicity.choices)
    rows = [
        (_("Gender"), profile.get_gender_display()),
        (label("gender_self_described"), profile.gender_self_described),
        (label("date_of_birth"), profile.date_of_birth),
        (_("Race or ethnicity"), ", ".join(str(races.get(r, r)) for r in profile.race_ethnicity)),
        (label("race_ethnicity_self_described"), profile.race_ethnicity_self_described),
    ]
    return Demographics(values=values, rows=rows)


def profile_for_editing(*, editor: User, subject: User, program=None, page: str) -> Profile:
    """The member's profile to pre-fill a form that shows their demographics.

    Someone other than the member (a coordinator keying in a paper survey) is logged as
    having seen them, since the form shows every answer.
    """
    demographics_for(viewer=editor, subject=subject, program=program, page=page)
    return profile_of(subject)
