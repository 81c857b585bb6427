"""Writes on surveys."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import profile_save
from programs.models import Participant

from .models import Survey


@transaction.atomic
def survey_save(
    *, participant: Participant, answers: dict, profile_data: dict, submit: bool
) -> tuple[Survey, bool]:
    """Save a draft or submit; returns the survey and whether this call submitted it.

    A submitted survey is locked until a coordinator reopens it, so a repeated
    submit changes nothing.
    """
    survey, _created = Survey.objects.select_for_update().get_or_create(participant=participant)
    if not survey.is_editable:
        return survey, False
    keys = {q.key for q in survey.questions}
    survey.answers = {k: (v or "").strip() for k, v in answers.items() if k in keys}
    if submit:
        missing = [q for q in survey.questions if q.required and not survey.answers.get(q.key)]
        if missing:
            raise ValidationError(_("Answer every question except the last to submit."))
        survey.status = Survey.Status.SUBMITTED
        survey.submitted_at = timezone.now()
    survey.full_clean()
    survey.save()
    profile_save(user=participant.user, data=profile_data)
    return survey, submit


@transaction.atomic
def survey_reopen(*, survey: Survey, by: User) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted survey can be reopened."))
    survey.status = Survey.Status.DRAFT
    survey.reopened_at = timezone.now()
    survey.reopened_by = by
    survey.save(update_fields=["status", "reopened_at", "reopened_by", "updated_at"])
    return survey
