"""Each program's own reminder intervals: the scan follows them, coordinators set them."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.testing import assert_constant_queries
from matching.models import Match
from matching.tests.factories import MatchFactory
from programs.models import Participant
from programs.tests.factories import ParticipantFactory, ProgramFactory
from reminders import services
from reminders.kinds import KINDS
from reminders.models import LIMITS, Reminder, ReminderSettings
from reminders.services import reminder_settings_save
from reminders.tasks import reminders_scan
from sessions.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def run(mailoutbox, django_capture_on_commit_callbacks):
    """`run(kind, day)`: scan for that kind only at noon; the addresses it e-mailed."""

    def scan(kind: str, day: datetime.date) -> list[str]:
        before = len(mailoutbox)
        with (
            mock.patch.dict(KINDS, {kind: KINDS[kind]}, clear=True),
            time_machine.travel(at(day), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            reminders_scan(now=at(day))
        return sorted(address for mail in mailoutbox[before:] for address in mail.to)

    return scan


def own_settings(program, **intervals) -> ReminderSettings:
    return ReminderSettings.objects.create(program=program, **intervals)


def test_defaults_are_the_fields_defaults():
    assert {name: getattr(ReminderSettings(), name) for name in LIMITS} == {
        "application_closing_days": 3,
        "survey_after_days": 7,
        "worksheet_after_days": 14,
        "preparation_before_days": 2,
        "midpoint_before_days": 3,
        "evaluation_after_days": 3,
        "no_meeting_days": 30,
    }


def test_a_program_with_a_shorter_survey_interval_is_reminded_sooner(cast, run):
    """Two programs, one with 3 days and one with the default 7: each on its own day."""
    quick = ProgramFactory(status="running")
    own_settings(quick, survey_after_days=3)
    early = ParticipantFactory(program=quick)
    default = cast.program.participants.get(user=cast.mentee)
    Participant.objects.update(joined_at=at(D(2026, 6, 1)))
    Participant.objects.filter(pk__in=[early.pk, default.pk]).update(joined_at=at(D(2026, 3, 1)))
    assert run("survey_due", D(2026, 3, 3)) == []
    assert run("survey_due", D(2026, 3, 4)) == [early.user.email]
    assert run("survey_due", D(2026, 3, 7)) == []
    assert run("survey_due", D(2026, 3, 8)) == [cast.mentee.email]
    dues = dict(Reminder.objects.values_list("recipient_id", "due_on"))
    assert dues == {early.user_id: D(2026, 3, 4), cast.mentee.pk: D(2026, 3, 8)}


def test_a_longer_preparation_interval_widens_the_window_for_that_program_only(cast, run):
    other = ProgramFactory(status="running")
    own_settings(other, preparation_before_days=5)
    for program in (cast.program, other):
        match = MatchFactory(program=program, status=Match.Status.ACTIVE)
        MeetingFactory(match=match, starts_at=at(D(2026, 3, 10), 18))
    far = Match.objects.get(program=other).mentee.user.email
    near = Match.objects.get(program=cast.program).mentee.user.email
    assert run("preparation_due", D(2026, 3, 4)) == []
    assert run("preparation_due", D(2026, 3, 5)) == [far]
    assert run("preparation_due", D(2026, 3, 7)) == []
    assert run("preparation_due", D(2026, 3, 8)) == [near]


def test_the_digest_counts_quiet_pairs_by_the_programs_interval(cast, mailoutbox, run):
    match = MatchFactory(
        program=cast.program, status=Match.Status.ACTIVE, started_at=at(D(2026, 1, 5))
    )
    MeetingFactory(match=match, starts_at=at(D(2026, 3, 16)))  # 21 days before 6 April
    monday = D(2026, 4, 6)
    run("coordinator_digest", monday)
    assert "no meeting" not in mailoutbox[-1].body
    own_settings(cast.program, no_meeting_days=14)
    Reminder.objects.all().delete()
    run("coordinator_digest", monday)
    assert "1 pair with no meeting in 14 days" in mailoutbox[-1].body


def test_settings_stay_in_range_in_the_database(cast):
    for name, (_default, low, high) in LIMITS.items():
        for value in (low - 1, high + 1):
            with pytest.raises(IntegrityError), transaction.atomic():
                own_settings(cast.program, **{name: value})


def test_saving_twice_keeps_one_row(cast):
    for _ in range(2):
        reminder_settings_save(
            program=cast.program, data={"survey_after_days": 5}, by=cast.coordinator
        )
    saved = ReminderSettings.objects.get()
    assert (saved.survey_after_days, saved.updated_by) == (5, cast.coordinator)
    with pytest.raises(ValueError):
        reminder_settings_save(program=cast.program, data={"nope": 1}, by=cast.coordinator)


def test_scan_queries_do_not_grow_with_programs_that_have_settings(cast):
    def grow(n):
        for _ in range(n):
            program = ProgramFactory(status="running")
            own_settings(program, survey_after_days=2, no_meeting_days=10)
            ParticipantFactory(program=program, joined_at=at(D(2026, 1, 1)))

    count = assert_constant_queries(
        lambda: (
            Reminder.objects.all().delete(),
            services.reminders_record_due(now=at(D(2026, 3, 10))),
        ),
        grow,
    )
    assert count == 15  # as test_kinds' scan: the intervals are one query for every program


# --- The coordinator's page ------------------------------------------------------------------


def url(cast) -> str:
    return reverse("reminders:settings", args=[cast.program.slug])


def test_the_page_shows_the_defaults(cast, client_as):
    html = client_as("coordinator").get(url(cast)).content.decode()
    assert 'name="survey_after_days" value="7"' in html
    assert 'name="no_meeting_days" value="30"' in html
    assert not ReminderSettings.objects.exists()


def test_out_of_range_values_are_refused_and_what_was_typed_is_kept(cast, client_as):
    data = {name: default for name, (default, _low, _high) in LIMITS.items()}
    data |= {"survey_after_days": 0, "no_meeting_days": 365, "midpoint_before_days": 9}
    response = client_as("coordinator").post(url(cast), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in html
    assert "Ensure this value is less than or equal to 180." in html
    assert 'name="no_meeting_days" value="365"' in html
    assert 'name="midpoint_before_days" value="9"' in html
    assert not ReminderSettings.objects.exists()


def test_saving_and_going_back_to_the_defaults(cast, client_as):
    client = client_as("coordinator")
    data = {name: default for name, (default, _low, _high) in LIMITS.items()}
    response = client.post(url(cast), data | {"survey_after_days": 4}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reminders:log", args=[cast.program.slug])
    assert "The reminder settings are saved." in response.content.decode()
    assert ReminderSettings.objects.get().survey_after_days == 4
    response = client.post(url(cast), {"defaults": "1"}, follow=True)
    assert "back to the defaults" in response.content.decode()
    assert ReminderSettings.objects.get().survey_after_days == 7
