"""Copying a program for next year brings the settings other apps keep per program."""

import pytest
from django.urls import reverse

from matching.models import MatchingSettings
from programs.models import Program
from reminders.models import ReminderSettings

pytestmark = pytest.mark.django_db


def copy_by_the_page(client_as, cast) -> Program:
    response = client_as("coordinator").post(reverse("programs:copy", args=[cast.program.slug]))
    assert response.status_code == 302
    copy = Program.objects.latest("pk")
    assert copy.pk != cast.program.pk
    return copy


def test_the_copy_page_copies_the_matching_and_reminder_settings(cast, client_as):
    MatchingSettings.objects.create(program=cast.program, goal=9, language=1, circle_size=6)
    ReminderSettings.objects.create(program=cast.program, survey_after_days=10)
    copy = copy_by_the_page(client_as, cast)
    assert (copy.matching_settings.goal, copy.matching_settings.language) == (9, 1)
    assert copy.matching_settings.circle_size == 6
    assert copy.reminder_settings.survey_after_days == 10
    # The source keeps its own rows: the copy has new ones.
    assert MatchingSettings.objects.count() == ReminderSettings.objects.count() == 2
    cast.program.refresh_from_db()
    assert cast.program.matching_settings.goal == 9
    assert cast.program.reminder_settings.survey_after_days == 10


def test_a_program_on_the_defaults_gives_a_copy_on_the_defaults(cast, client_as):
    copy = copy_by_the_page(client_as, cast)
    assert not MatchingSettings.objects.filter(program=copy).exists()
    assert not ReminderSettings.objects.filter(program=copy).exists()
