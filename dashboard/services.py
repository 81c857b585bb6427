"""Coordinators' work that spans several apps."""

import logging

from django.db import transaction

from accounts.models import User
from intake import services as intake_services
from intake.models import Application
from matching.services import matching_settings_copy
from programs.models import Participant, Program
from programs.services import program_copy
from reminders.services import reminder_settings_copy
from sessions.services import gatherings_invite

logger = logging.getLogger(__name__)


def program_copy_with_settings(*, program: Program, by: User) -> Program:
    """Next year's draft of `program` (programs.services.program_copy) with the settings
    the other apps keep per program: its matching weights and its reminder intervals."""
    with transaction.atomic():
        copy = program_copy(program=program, by=by)
        matching_settings_copy(source=program, target=copy)
        reminder_settings_copy(source=program, target=copy)
    logger.info("Settings of program %s copied to %s", program.slug, copy.slug)
    return copy


def _joined(program: Program, user_ids, before: set[int]) -> list[Participant]:
    return list(
        program.participants.filter(user__in=user_ids)
        .exclude(pk__in=before)
        .select_related("user", "program")
    )


def _participant_ids(program: Program, user_ids) -> set[int]:
    return set(program.participants.filter(user__in=user_ids).values_list("pk", flat=True))


@transaction.atomic
def application_decide(
    *, application: Application, decision: str, note: str, by: User
) -> Application:
    """Decide one application (intake.services.application_decide); an applicant it makes a
    participant is invited to the program's coming orientation and group sessions, whose
    invitations went out before they joined (sessions.services.gatherings_invite)."""
    program, user_ids = application.program, [application.applicant_id]
    before = _participant_ids(program, user_ids)
    decided = intake_services.application_decide(
        application=application, decision=decision, note=note, by=by
    )
    gatherings_invite(participants=_joined(program, user_ids, before))
    return decided


@transaction.atomic
def applications_decide_many(
    *, program: Program, ids, decision: str, by: User
) -> intake_services.BulkDecision:
    """Decide many applications (intake.services.applications_decide_many), inviting those
    who became participants as `application_decide` does."""
    ids = list(ids)
    applicants = program.applications.filter(pk__in=ids).values("applicant_id")
    before = _participant_ids(program, applicants)  # one query, the applicants a subquery
    result = intake_services.applications_decide_many(
        program=program, ids=ids, decision=decision, by=by
    )
    if result.decided and result.status == Application.Status.ACCEPTED:
        user_ids = [application.applicant_id for application in result.decided]
        gatherings_invite(participants=_joined(program, user_ids, before))
    return result
