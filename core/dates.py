"""Dates and times for people, in the active language; values for machines, in ISO 8601.

The styles are Django's named formats, one set per language (mentorship/formats/). This adds
the one thing those formats cannot write: the first day of a month as the language writes it
(French "1er décembre"), taken from the catalogue's translation of the day "1". Templates get
it through `|date` (core/templatetags/dates.py); Python code calls `format_date`.
"""

import datetime
from collections.abc import Callable

from django.utils import formats, timezone
from django.utils.dateformat import format as dateformat
from django.utils.translation import pgettext


def first_of_month() -> str:
    """How the active language writes day 1 of a month in a date ("1", French "1er")."""
    # Translators: the first day of a month in a date such as "1 December 2026". French
    # writes "1er"; leave "1" if your language writes the plain number.
    return pgettext("first day of a month", "1")


def with_first_of_month(format_string: str, value) -> str:
    """The format with its day (`j`) written as the language writes the 1st, on the 1st."""
    first = first_of_month()
    if getattr(value, "day", None) != 1 or first == "1":
        return format_string
    literal = "".join(f"\\{character}" for character in first)
    written, escaped = [], False
    for character in format_string:
        if escaped:
            written.append(f"\\{character}")
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == "j":
            written.append(literal)
        else:
            written.append(character)
    return "".join(written)


def format_date(value, format_name: str | None = "DATE_FORMAT") -> str:
    """A date or datetime in the active language's named format (local time for datetimes)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    format_string = formats.get_format(format_name or "DATE_FORMAT")
    return dateformat(value, with_first_of_month(format_string, value))


def machine_datetime(value) -> str:
    """The value of a <time datetime> attribute: ISO 8601, whole seconds, with its offset.

    `|date:"c"` writes microseconds (six digits), which HTML does not allow (at most three).
    """
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


def date_writer(format_name: str = "DATE_FORMAT") -> Callable[[datetime.date], str]:
    """`format_date(value, format_name)` for the many dates of one page.

    The active language's format is looked up once, each distinct value written once (a
    list repeats its days), and only a 1st of the month takes `format_date`'s full path
    (for the language's way of writing it). Aware datetimes are written in local time.
    Make one per page: it writes in the language active when it was made.
    """
    format_string = formats.get_format(format_name)
    written: dict[tuple, str] = {}

    def write(value: datetime.date) -> str:
        zone = None
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            zone = value.tzname()  # equal instants (or the two 1:30s of a fall-back night)
        key = (value, zone)
        text = written.get(key)
        if text is None:
            if value.day == 1:
                text = format_date(value, format_name)
            else:
                text = dateformat(value, format_string)
            written[key] = text
        return text

    return write
