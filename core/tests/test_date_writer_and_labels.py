"""`core.dates.date_writer` writes what `format_date` writes; `core.labels.choice_labels`
what `get_FOO_display()` shows: the per-page shortcuts never change a page's words."""

import datetime
import zoneinfo

import pytest
from django.db import models
from django.utils import timezone, translation

from core.dates import date_writer, format_date
from core.labels import choice_labels
from intake.models import Application
from programs.models import Participant

FORMATS = ["DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"]
DAYS = [datetime.date(2026, 12, 1) + datetime.timedelta(days=n) for n in range(0, 70, 3)]
TORONTO = zoneinfo.ZoneInfo("America/Toronto")


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("format_name", FORMATS)
def test_days_and_moments_are_written_as_format_date_writes_them(language, format_name):
    moments = [
        datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)
        for day in DAYS
        for hour in (0, 3, 21)
    ]
    with translation.override(language), timezone.override(TORONTO):
        write = date_writer(format_name)
        days = [] if "TIME" in format_name else DAYS  # a day has no time to write
        for value in [*days, *moments, *days, *moments]:  # again: the memo answers the same
            assert write(value) == format_date(value, format_name)


def test_the_first_of_the_month_is_1er_in_french_only():
    first = datetime.date(2027, 1, 1)
    with translation.override("fr"):
        write = date_writer("DATE_FORMAT")
        assert write(first) == "1er janvier 2027"
        assert write(datetime.date(2027, 1, 11)) == "11 janvier 2027"
        assert write(datetime.date(2027, 1, 21)) == "21 janvier 2027"
    with translation.override("en"):
        assert date_writer("DATE_FORMAT")(first) == "January 1, 2027"


def test_a_datetime_is_written_in_local_time():
    # 02:00 UTC on the 2nd is still the 1st in Toronto.
    moment = datetime.datetime(2026, 12, 2, 2, 0, tzinfo=datetime.UTC)
    with translation.override("fr"), timezone.override(TORONTO):
        assert date_writer("DATETIME_FORMAT")(moment) == "1er décembre 2026 à 21 h 00"
        assert date_writer("DATE_FORMAT")(moment) == "1er décembre 2026"


def test_one_instant_in_two_zones_is_written_for_each():
    """Equal instants compare equal: the memo must not hand one zone's text to the other."""
    moment = datetime.datetime(2026, 12, 2, 2, 0, tzinfo=datetime.UTC)
    write = date_writer("DATETIME_FORMAT")
    with translation.override("en"):
        with timezone.override(TORONTO):
            toronto = write(moment)
        with timezone.override(datetime.UTC):
            utc = write(moment)
    assert (toronto, utc) == ("December 1, 2026, 9:00 PM", "December 2, 2026, 2:00 AM")


def test_the_two_half_past_ones_of_a_fall_back_night_are_told_apart():
    write = date_writer("SHORT_DATETIME_FORMAT")
    first = datetime.datetime(2026, 11, 1, 5, 30, tzinfo=datetime.UTC)  # 1:30 EDT
    second = first + datetime.timedelta(hours=1)  # 1:30 EST, the same wall time
    with translation.override("en"), timezone.override(TORONTO):
        for value in (first, second, first):
            assert write(value) == format_date(value, "SHORT_DATETIME_FORMAT")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_choice_labels_are_the_display_labels(language):
    with translation.override(language):
        roles = choice_labels(Participant.Role)
        statuses = choice_labels(Application._meta.get_field("status").flatchoices)
        for value in Participant.Role.values:
            assert roles(value) == Participant(role=value).get_role_display()
        for value in Application.Status.values:
            assert statuses(value) == Application(status=value).get_status_display()
        assert roles("no-such-role") == "no-such-role"  # shown as itself, as Django does


def test_labels_are_those_of_the_language_active_when_made():
    with translation.override("fr"):
        french = choice_labels(Participant.Role)
    with translation.override("en"):
        english = choice_labels(Participant.Role)
        assert french(Participant.Role.MENTEE) == "Personne mentorée"  # not a lazy label
    assert english(Participant.Role.MENTEE) == "Mentee"


def test_escaped_labels_are_escaped():
    class Shape(models.TextChoices):
        ANGLE = "angle", "<b>&angle's"

    labels = choice_labels(Shape, escaped=True)
    assert labels("angle") == "&lt;b&gt;&amp;angle&#x27;s"
    assert labels("<i>") == "&lt;i&gt;"  # an unknown value escaped too
    assert choice_labels(Shape)("angle") == "<b>&angle's"
