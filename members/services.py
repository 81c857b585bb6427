"""Writes on a member's own data across apps: erasing their profile data or their account."""

import logging

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import PersonalDataView, Profile, User
from core.erasure import emptied, free_text_fields
from core.mail import mail_member
from evaluation.models import Feedback, Testimonial
from intake.models import Application, Nomination
from matching.models import MatchingProfile, MentorProfile, Preference
from sessions.models import CalendarFeed
from surveys.models import Survey

from . import selectors

logger = logging.getLogger(__name__)

# The name shown wherever a deleted member's side of a shared record stays.
FORMER_MEMBER = "Former member"


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


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the member's account and personal data, keeping what their partner needs.

    Erased: name, e-mail, password, log-in addresses, two-step log-in, profile,
    demographics, mentor and matching profiles, preferences, the calendar link, and the
    free text only they and coordinators read (application answers, survey answers,
    feedback, nomination reasons), and their testimonial. Kept, attributed to "Former member":
    their side of the match, its meetings, worksheet, goals, actions, preparations and
    records, which the partner needs; the rows that reports count (participations,
    applications, surveys, feedback, their statuses), so aggregates do not change.
    Program evaluations are anonymous and are not touched.
    """
    refusal = selectors.account_delete_refusal(user)
    if refusal:
        raise ValidationError(refusal)
    # The confirmation goes to the outbox now, while the address is still known.
    mail_member(user, "account_deleted", {})

    profile_erase(user=user)
    MatchingProfile.objects.filter(participant__user=user).delete()
    Preference.objects.filter(participant__user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    Application.objects.filter(applicant=user).update(
        **emptied(Application, free_text_fields(Application, Application.ANSWER_FIELDS))
    )
    Survey.objects.filter(participant__user=user).update(answers={})
    Feedback.objects.filter(author__user=user).update(
        **emptied(Feedback, free_text_fields(Feedback))
    )
    # A testimonial is published only with its author's consent, which leaves with them.
    Testimonial.objects.filter(participant__user=user).delete()
    Nomination.objects.filter(nominator=user).update(reason="")
    for program in user.coordinated_programs.all():
        # Where others coordinate, the program no longer lists them.
        if program.coordinators.exclude(pk=user.pk).exists():
            program.coordinators.remove(user)

    _log_in_closed(user)
    user.name = FORMER_MEMBER
    user.email = f"former-member-{user.pk}@invalid"
    user.is_active = False
    user.optional_reminders = False
    user.set_unusable_password()  # also ends every other session (its hash changes)
    user.save()
    logger.info("Member %s deleted their account", user.pk)


def _log_in_closed(user: User) -> None:
    """No way back in: the log-in addresses and two-step log-in go."""
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
