"""Writes on surveys."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import profile_of
from accounts.services import profile_save
from core.concurrency import Loaded
from programs.funnel import funnel_changed
from programs.models import Participant

from .models import Survey
from .questions import questions_for
from .selectors import survey_values


@transaction.atomic
def survey_save(
    *,
    participant: Participant,
    answers: dict,
    profile_data: dict,
    submit: bool,
    loaded: Loaded | None = None,
) -> tuple[Survey, bool]:
    """Save a draft or submit; returns the survey and whether this call submitted it.

    A submitted survey is locked until a coordinator reopens it, so a repeated
    submit changes nothing. With `loaded` (what the form showed), an answer or profile
    value saved since (another tab, a coordinator keying in) is never replaced:
    `EditConflict` carries the newest values. Drafts are checked the same way.
    """
    # The participant's lock makes two first saves (two tabs, no survey yet) take turns.
    Participant.objects.select_for_update(of=("self",)).filter(pk=participant.pk).first()
    survey = Survey.objects.select_for_update(of=("self",)).filter(participant=participant).first()
    if survey is not None and not survey.is_editable:
        return survey, False
    questions = questions_for(participant.role)
    keys = {q.key for q in questions}
    answers = {k: (v or "").strip() for k, v in answers.items() if k in keys}
    if loaded is not None:
        loaded.check(
            survey_values(survey, profile_of(participant.user), questions),
            {**profile_data, **answers},
            saved_at=survey.updated_at if survey else None,
        )
    if survey is None:
        survey = Survey.objects.create(participant=participant)
    survey.answers = answers
    if submit:
        missing = [q for q in survey.questions if q.required and not survey.answers.get(q.key)]
        if missing:
            raise ValidationError(_("Answer every question except the last to submit."))
        survey.status = Survey.Status.SUBMITTED
        survey.submitted_at = timezone.now()
    survey.full_clean()
    survey.save()
    if submit:
        funnel_changed(participants=[participant.pk])  # the funnel's "surveyed" step
    profile_save(user=participant.user, data=profile_data)
    return survey, submit


@transaction.atomic
def survey_reopen(*, survey: Survey, by: User) -> Survey:
    survey = Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
    if survey.status != Survey.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted survey can be reopened."))
    survey.status = Survey.Status.DRAFT
    survey.reopened_at = timezone.now()
    survey.reopened_by = by
    survey.save(update_fields=["status", "reopened_at", "reopened_by", "updated_at"])
    funnel_changed(participants=[survey.participant_id])
    return survey
