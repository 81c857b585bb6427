"""Coordinators' work that spans several apps."""

import logging

from django.db import transaction

from accounts.models import User
from matching.services import matching_settings_copy
from programs.models import Program
from programs.services import program_copy
from reminders.services import reminder_settings_copy

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
