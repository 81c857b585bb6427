"""Writes on a member's own data across apps: erasing their profile data."""

import logging

from django.db import transaction

from accounts.models import PersonalDataView, Profile, User
from matching.models import MentorProfile

logger = logging.getLogger(__name__)


@transaction.atomic
def profile_erase(*, user: User) -> None:
    """Delete the member's profile data: contact details, demographics, mentor profile.

    The account and program records (applications, surveys) stay: they belong to
    programs the member took part in. The log of who viewed the data goes too.
    """
    Profile.objects.filter(user=user).delete()
    MentorProfile.objects.filter(user=user).delete()
    PersonalDataView.objects.filter(subject=user).delete()
    logger.info("Member %s erased their profile data", user.pk)
