"""`kinds.found_between` keeps its built query per process, never its rows, and compares days
as ranges of moments in the current time zone (what `__date` did, without a call per row)."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from reminders.intervals import Intervals
from reminders.kinds import _COMPILED, _UNIONS, found_between
from reminders.models import ReminderSettings
from sessions.tests.factories import MeetingFactory, SessionRecordFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def due(day: datetime.date, kinds: list[str], program_id: int | None = None) -> set[str]:
    return {
        found.subject_key
        for _kind, found in found_between(
            day, day, Intervals.load(), kinds=kinds, program_id=program_id
        )
    }


def test_a_write_after_the_query_was_kept_shows_at_once(cast_pair):
    day = D(2026, 3, 11)
    _UNIONS.clear()
    assert due(day, ["record_due"]) == set()
    assert _UNIONS, "the query is kept for the next call"
    held = MeetingFactory(
        match=cast_pair,
        starts_at=timezone.make_aware(datetime.datetime(2026, 3, 10, 18)),
    )
    assert due(day, ["record_due"]) == {f"record:{held.pk}"}
    SessionRecordFactory(meeting=held)
    assert due(day, ["record_due"]) == set()


def test_the_kept_query_is_compiled_once_and_run_fresh_each_time(cast_pair, monkeypatch):
    """The union's SQL is compiled on the first call only; every call still reads the
    database (a meeting held in between is found at once)."""
    from django.db.models.sql.compiler import SQLCompiler

    compiled = []
    as_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        if self.query.combinator:
            compiled.append(self.query)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    day = D(2026, 3, 11)
    _UNIONS.clear()
    _COMPILED.clear()
    assert due(day, ["record_due", "action_due"]) == set()
    assert len(compiled) == 1
    held = MeetingFactory(
        match=cast_pair,
        starts_at=timezone.make_aware(datetime.datetime(2026, 3, 10, 18)),
    )
    assert due(day, ["record_due", "action_due"]) == {f"record:{held.pk}"}
    assert len(compiled) == 1, "the kept union was compiled again"


def test_a_change_of_intervals_is_a_new_query(cast_pair):
    """The survey's window is in the SQL: new settings must not reuse the old statement."""
    mentee = cast_pair.mentee
    joined = timezone.make_aware(datetime.datetime(2026, 3, 8, 12))
    type(mentee).objects.filter(pk=mentee.pk).update(joined_at=joined)
    settings = ReminderSettings.objects.create(program=cast_pair.program, survey_after_days=7)
    _UNIONS.clear()
    day = D(2026, 3, 11)  # 3 days after joining
    assert f"survey:{mentee.pk}" not in due(day, ["survey_due"], cast_pair.program_id)
    settings.survey_after_days = 3  # narrower than the default: the query's window moves
    settings.save()
    assert f"survey:{mentee.pk}" in due(day, ["survey_due"], cast_pair.program_id)


def test_days_are_the_current_time_zones(cast_pair):
    """A meeting at 23:30 in Toronto is that day's there (04:30 the next day in UTC)."""
    with timezone.override(TORONTO):
        late = MeetingFactory(
            match=cast_pair, starts_at=datetime.datetime(2026, 3, 10, 23, 30, tzinfo=TORONTO)
        )
        # Its record is due the day after, 11 March, in Toronto: found by that day's scan...
        assert due(D(2026, 3, 11), ["record_due"]) == {f"record:{late.pk}"}
        # ...and the meeting is "tomorrow" for the scan of 9 March, not of 10 March.
        assert f"meeting:{late.pk}:2026-03-10" in due(D(2026, 3, 9), ["meeting_tomorrow"])
        assert not any(
            key.startswith("meeting:") for key in due(D(2026, 3, 10), ["meeting_tomorrow"])
        )
