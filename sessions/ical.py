"""iCalendar (.ics) files for meetings, orientations and group sessions.

Call inside the reader's language (`translation.override`): summaries and descriptions
are translated. Descriptions hold logistics only, never preparations or records, since
calendars are often shared or synced to other services.
"""

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import GroupSession, Meeting, Orientation, TimedEvent

PRODID = "-//Union Mentorship//mentoring sessions//EN"


def uid(kind: str, pk: int) -> str:
    """Stable for the life of the event, so updates replace it in calendars."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{kind}-{pk}@{host}"


def _event(
    item: TimedEvent, *, kind: str, summary: str, lines: list[str], where: str, url: str
) -> Event:
    event = Event.new(
        uid=uid(kind, item.pk),
        start=timezone.localtime(item.starts_at),
        end=timezone.localtime(item.ends_at),
        summary=summary,
        description="\n".join(line for line in lines if line),
        location=where or None,
        url=url,
        sequence=item.sequence,
        stamp=item.updated_at,
    )
    return event


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _gathering_lines(item) -> list[str]:
    return [
        _("Video link: %(link)s") % {"link": item.video_link} if item.video_link else "",
        _("Child care offered.") if item.child_care else "",
        _("Food provided.") if item.food else "",
        item.accessibility_notes,
    ]


def meeting_event(meeting: Meeting) -> Event:
    match = meeting.match
    summary = _("Mentoring meeting: %(mentee)s and %(mentor)s") % {
        "mentee": match.mentee.user.name,
        "mentor": match.mentor.user.name,
    }
    url = _absolute(meeting.get_absolute_url())
    lines = [
        _("How you meet: %(mode)s") % {"mode": meeting.get_mode_display()},
        meeting.get_caller_display() if meeting.caller else "",
        _("Video link: %(link)s") % {"link": meeting.video_link} if meeting.video_link else "",
        _("Prepare and record the session: %(url)s") % {"url": url},
    ]
    if meeting.is_cancelled:
        lines.insert(0, _("Cancelled: %(reason)s") % {"reason": meeting.cancel_reason})
    event = _event(
        meeting, kind="meeting", summary=summary, lines=lines, where=meeting.where(), url=url
    )
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def orientation_event(orientation: Orientation) -> Event:
    url = _absolute(orientation.get_absolute_url())
    summary = _("Orientation: %(program)s") % {"program": orientation.program.name}
    agenda = [f"{item.title} ({item.minutes} min)" for item in orientation.agenda.all()]
    lines = [*_gathering_lines(orientation), *agenda, url]
    return _event(
        orientation,
        kind="orientation",
        summary=summary,
        lines=lines,
        where=orientation.location or orientation.video_link,
        url=url,
    )


def group_session_event(session: GroupSession) -> Event:
    url = _absolute(session.get_absolute_url())
    summary = f"{session.title} ({session.program.name})"
    lines = [
        session.get_kind_display(),
        session.description,
        session.rotation_note,
        *_gathering_lines(session),
        url,
    ]
    return _event(
        session,
        kind="group-session",
        summary=summary,
        lines=lines,
        where=session.location or session.video_link,
        url=url,
    )


def calendar(events: Iterable[Event], *, name: str = "") -> bytes:
    cal = Calendar.new(prodid=PRODID, method="PUBLISH", name=name or None)
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
