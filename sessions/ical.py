"""iCalendar files (RFC 5545) and e-mailed invitations (iTIP, RFC 5546) for meetings,
orientations and group sessions.

Three kinds of file, one writer:

- PUBLISH: a download and the member's private feed. ORGANIZER only, no ATTENDEE: a
  feed is read by calendar programs, often shared or synced, and who else comes is not
  its business. The feed has a calendar UID that never changes (`feed_uid`).
- REQUEST: an invitation e-mailed to its attendees (`invitation`). ORGANIZER is the
  program's address (`organizer`); ATTENDEEs are only people who may see each other:
  a pair's meeting lists the two of the pair, an orientation or a group session lists the
  one recipient (the domain shows who else takes part to coordinators only).
- CANCEL: the same UID with a higher SEQUENCE and STATUS:CANCELLED, to the same people.

Every event's UID is stable for its life (`uid`), and its SEQUENCE (stored on the model,
raised by the services whenever what the calendar shows changes) tells calendars which
copy is newer. Lines end in CRLF and are folded at 75 octets, never inside a character.

The file is written here rather than by a library because a feed holds a member's every
event: building a library object per property cost ~4,000 Python calls per event. The
tests parse every kind with two independent parsers (icalendar and vobject).

Call inside the reader's language (`translation.override`): summaries and descriptions
are translated. Descriptions hold logistics only, never preparations or records, since
calendars are often shared or synced to other services.
"""

import datetime
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from email.utils import parseaddr
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Timezone

from core.urls import url_pattern

from .models import GroupSession, Meeting, Orientation

PRODID = "-//Union Mentorship//mentoring sessions//EN"
PUBLISH, REQUEST, CANCEL = "PUBLISH", "REQUEST", "CANCEL"
METHODS = (PUBLISH, REQUEST, CANCEL)
CRLF = "\r\n"
FOLD_AT = 75  # octets per line, CRLF not counted (RFC 5545 section 3.1)

# TEXT values hold no control character but HTAB (RFC 5545 section 3.3.11); line breaks
# are written as "\n" before this runs.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


@dataclass(frozen=True)
class Person:
    """An ORGANIZER or an ATTENDEE: a display name and an e-mail address."""

    name: str
    email: str


@dataclass(frozen=True)
class Event:
    """What one VEVENT says, in the reader's language."""

    uid: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    summary: str
    description: str
    location: str
    url: str
    sequence: int
    modified: datetime.datetime
    organizer: Person
    cancelled: bool = False


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def uid(kind: str, pk: int) -> str:
    """Stable for the life of the event, so updates replace it in calendars."""
    return f"{kind}-{pk}@{_host()}"


def feed_uid(user_id: int) -> str:
    """The member's calendar as a whole: the same on every download (RFC 7986 UID)."""
    return f"calendar-{user_id}@{_host()}"


@functools.lru_cache(maxsize=4)
def _from_address(from_email: str) -> str:
    _name, address = parseaddr(from_email)
    return address or from_email


def organizer(program_name: str) -> Person:
    """The program's address: programs have no address of their own, so the one its
    e-mails come from (DEFAULT_FROM_EMAIL), under the program's name."""
    return Person(program_name, _from_address(settings.DEFAULT_FROM_EMAIL))


def attendee(user) -> Person:
    return Person(user.name, user.email)


# --- Events ------------------------------------------------------------------------------
#
# The builders read plain rows (dicts), so the feed reads its events with `values()` rather
# than seven model instances per meeting; `meeting_event` and the others make the row of
# one saved event.

_EVENT_ROW = (  # what every kind of event reads
    "pk",
    "starts_at",
    "duration_minutes",
    "location",
    "video_link",
    "sequence",
    "updated_at",
)
MEETING_ROW = (
    *_EVENT_ROW,
    "mode",
    "caller",
    "mentee_travel_minutes",
    "mentor_travel_minutes",
    "status",
    "cancel_reason",
    "match_id",
)
GATHERING_ROW = (
    *_EVENT_ROW,
    "child_care",
    "food",
    "accessibility_notes",
)
GROUP_SESSION_ROW = (
    *GATHERING_ROW,
    "kind",
    "audience",
    "title",
    "description",
    "rotation_note",
    "cancelled_at",
    "cancel_reason",
)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _lines(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def _ends(row: dict) -> datetime.datetime:
    return row["starts_at"] + datetime.timedelta(minutes=row["duration_minutes"])


class _Urls:
    """Absolute URLs of one named route, its last argument an id: one `url_pattern` per
    distinct leading arguments (a feed has a hundred meetings of a few pairs)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.patterns: dict[tuple, Callable[[int], str]] = {}

    def __call__(self, *args) -> str:
        *head, last = args
        key = tuple(head)
        write = self.patterns.get(key)
        if write is None:
            write = self.patterns[key] = url_pattern(self.name, *head)
        return _absolute(write(last))


class _Texts:
    """The translated labels, looked up once per file rather than once per event."""

    def __init__(self) -> None:
        self.meeting = _("Mentoring meeting: %(mentee)s and %(mentor)s")
        self.how = _("How you meet: %(mode)s")
        self.video = _("Video link: %(link)s")
        self.travel = _("Travel time, one way, for %(name)s: %(minutes)d minutes")
        self.prepare = _("Prepare and record the session: %(url)s")
        self.cancelled = _("Cancelled: %(reason)s")
        self.orientation = _("Orientation: %(program)s")
        self.child_care = _("Child care offered.")
        self.food = _("Food provided.")
        self.modes = {value: str(label) for value, label in Meeting.Mode.choices}
        self.callers = {value: str(label) for value, label in Meeting.Caller.choices}
        self.kinds = {value: str(label) for value, label in GroupSession.Kind.choices}
        # "Mentors only" under the kind; nothing when it is for everyone.
        self.audiences = {
            value: str(label)
            for value, label in GroupSession.Audience.choices
            if value != GroupSession.Audience.EVERYONE
        }


def meeting_events(rows: Iterable[dict]) -> Iterator[Event]:
    """Each meeting with its pair's names, how they meet and the link to prepare it.

    A row holds MEETING_ROW and program_slug, program_name, mentee_name, mentor_name.
    """
    texts, urls = _Texts(), _Urls("sessions:meeting")
    for row in rows:
        url = urls(row["program_slug"], row["match_id"], row["pk"])
        mode, caller = row["mode"], row["caller"]
        if mode == Meeting.Mode.VIDEO:
            where = row["video_link"]
        elif mode == Meeting.Mode.PHONE:
            where = texts.callers.get(caller) or texts.modes[Meeting.Mode.PHONE]
        else:
            where = row["location"]
        cancelled = row["status"] == Meeting.Status.CANCELLED
        yield Event(
            uid=uid("meeting", row["pk"]),
            starts_at=row["starts_at"],
            ends_at=_ends(row),
            summary=texts.meeting % {"mentee": row["mentee_name"], "mentor": row["mentor_name"]},
            description=_lines(
                texts.cancelled % {"reason": row["cancel_reason"]} if cancelled else "",
                texts.how % {"mode": texts.modes.get(mode, mode)},
                texts.callers.get(caller, ""),
                *(
                    texts.travel % {"name": row[f"{side}_name"], "minutes": minutes}
                    for side in ("mentee", "mentor")
                    if (minutes := row[f"{side}_travel_minutes"]) is not None
                ),
                texts.video % {"link": row["video_link"]} if row["video_link"] else "",
                texts.prepare % {"url": url},
            ),
            location=where,
            url=url,
            sequence=row["sequence"],
            modified=row["updated_at"],
            organizer=organizer(row["program_name"]),
            cancelled=cancelled,
        )


def _gathering_lines(row: dict, texts: _Texts) -> list[str]:
    return [
        texts.video % {"link": row["video_link"]} if row["video_link"] else "",
        texts.child_care if row["child_care"] else "",
        texts.food if row["food"] else "",
        row["accessibility_notes"],
    ]


def orientation_events(rows: Iterable[dict]) -> Iterator[Event]:
    """Each orientation with its agenda: a row holds GATHERING_ROW, program_slug,
    program_name and `agenda`, a list of (title, minutes)."""
    texts = _Texts()
    for row in rows:
        url = _absolute(reverse("sessions:orientation", args=[row["program_slug"]]))
        agenda = [f"{title} ({minutes} min)" for title, minutes in row["agenda"]]
        yield Event(
            uid=uid("orientation", row["pk"]),
            starts_at=row["starts_at"],
            ends_at=_ends(row),
            summary=texts.orientation % {"program": row["program_name"]},
            description=_lines(*_gathering_lines(row, texts), *agenda, url),
            location=row["location"] or row["video_link"],
            url=url,
            sequence=row["sequence"],
            modified=row["updated_at"],
            organizer=organizer(row["program_name"]),
        )


def group_session_events(rows: Iterable[dict]) -> Iterator[Event]:
    """Each group session: a row holds GROUP_SESSION_ROW, program_slug and program_name."""
    texts, urls = _Texts(), _Urls("sessions:group_session")
    for row in rows:
        url = urls(row["program_slug"], row["pk"])
        cancelled = row["cancelled_at"] is not None
        yield Event(
            uid=uid("group-session", row["pk"]),
            starts_at=row["starts_at"],
            ends_at=_ends(row),
            summary=f"{row['title']} ({row['program_name']})",
            description=_lines(
                texts.cancelled % {"reason": row["cancel_reason"]} if cancelled else "",
                texts.kinds.get(row["kind"], row["kind"]),
                texts.audiences.get(row["audience"], ""),
                row["description"],
                row["rotation_note"],
                *_gathering_lines(row, texts),
                url,
            ),
            location=row["location"] or row["video_link"],
            url=url,
            sequence=row["sequence"],
            modified=row["updated_at"],
            organizer=organizer(row["program_name"]),
            cancelled=cancelled,
        )


def _row(item, fields: Sequence[str], program, **extra) -> dict:
    return {
        **{field: getattr(item, field) for field in fields},
        "program_slug": program.slug,
        "program_name": program.name,
        **extra,
    }


def meeting_event(meeting: Meeting) -> Event:
    match = meeting.match
    row = _row(
        meeting,
        MEETING_ROW,
        match.program,
        mentee_name=match.mentee.user.name,
        mentor_name=match.mentor.user.name,
    )
    return next(meeting_events([row]))


def orientation_event(orientation: Orientation) -> Event:
    agenda = [(item.display_title, item.minutes) for item in orientation.agenda.all()]
    row = _row(orientation, GATHERING_ROW, orientation.program, agenda=agenda)
    return next(orientation_events([row]))


def group_session_event(session: GroupSession) -> Event:
    return next(group_session_events([_row(session, GROUP_SESSION_ROW, session.program)]))


def gathering_event(item) -> Event:
    if isinstance(item, Orientation):
        return orientation_event(item)
    return group_session_event(item)


# --- Writing -----------------------------------------------------------------------------


def text(value: str) -> str:
    """A TEXT value (RFC 5545 section 3.3.11): backslash, semicolon, comma and line breaks
    escaped, other control characters dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _CONTROL.sub("", value.replace("\n", "\\n"))


def param(value: str) -> str:
    """A parameter value, always quoted: a DQUOTE cannot be inside one (RFC 5545 section
    3.1), so it becomes an apostrophe; control characters are dropped."""
    return '"' + _CONTROL.sub("", value.replace("\n", " ")).replace('"', "'") + '"'


def mailto(address: str) -> str:
    """A CAL-ADDRESS: the address as a mailto URI, anything unusual percent-encoded."""
    return "mailto:" + quote(address, safe="@!$&'*+-=?^_`{|}~.")


def fold(line: str) -> str:
    """One content line folded at 75 octets (RFC 5545 section 3.1): each continuation
    starts with a space; a UTF-8 character is never split."""
    data = line.encode()
    if len(data) <= FOLD_AT:
        return line
    parts, start, limit = [], 0, FOLD_AT
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:
            end -= 1  # a continuation byte: cut before its character starts
        parts.append(data[start:end].decode())
        start, limit = end, FOLD_AT - 1  # the leading space is one octet
    return (CRLF + " ").join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


@functools.lru_cache(maxsize=8)
def _vtimezone(tzid: str) -> str:
    """The zone's VTIMEZONE (1970–2038), already folded; made once per zone and process
    (zone rules do not change while it runs)."""
    return Timezone.from_tzid(tzid).to_ical().decode().replace("\r\n", CRLF).rstrip(CRLF)


class _Zone:
    """How times are written: in the site's zone with its VTIMEZONE, or in UTC."""

    def __init__(self) -> None:
        self.tz = timezone.get_current_timezone()
        key = getattr(self.tz, "key", "UTC")
        self.tzid = "" if key in ("UTC", "Etc/UTC") else key

    def time(self, name: str, moment: datetime.datetime) -> str:
        if not self.tzid:
            return f"{name}:{_utc(moment)}"
        local = moment.astimezone(self.tz)
        return f"{name};TZID={self.tzid}:{local.strftime('%Y%m%dT%H%M%S')}"


def _vevent(
    event: Event,
    zone: _Zone,
    *,
    stamp: datetime.datetime | None,
    attendees: Sequence[Person],
) -> list[str]:
    organizer = event.organizer
    lines = [
        "BEGIN:VEVENT",
        f"UID:{text(event.uid)}",
        # With a method, when this copy was made (RFC 5545 section 3.8.7.2); the feed's
        # and downloads' is the last change, so a copy is the same until the event changes.
        f"DTSTAMP:{_utc(stamp or event.modified)}",
        zone.time("DTSTART", event.starts_at),
        zone.time("DTEND", event.ends_at),
        f"SEQUENCE:{event.sequence}",
        f"SUMMARY:{text(event.summary)}",
        f"ORGANIZER;CN={param(organizer.name)}:{mailto(organizer.email)}",
    ]
    lines.extend(
        f"ATTENDEE;CN={param(person.name)};CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;"
        f"PARTSTAT=NEEDS-ACTION;RSVP=FALSE:{mailto(person.email)}"
        for person in attendees
    )
    if event.description:
        lines.append(f"DESCRIPTION:{text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{text(event.location)}")
    lines.append(f"URL:{_CONTROL.sub('', event.url)}")
    lines.append("STATUS:CANCELLED" if event.cancelled else "STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def calendar(
    events: Iterable[Event],
    *,
    name: str = "",
    calendar_uid: str = "",
    method: str = PUBLISH,
    stamp: datetime.datetime | None = None,
    attendees: Sequence[Person] = (),
) -> bytes:
    """The VCALENDAR, as bytes in UTF-8 with CRLF line ends."""
    if method not in METHODS:
        raise ValueError(f"Unknown iTIP method {method!r}")
    zone = _Zone()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", f"METHOD:{method}"]
    if calendar_uid:
        lines.append(f"UID:{text(calendar_uid)}")
    if name:
        lines += [f"NAME:{text(name)}", f"X-WR-CALNAME:{text(name)}"]
    lines = [fold(line) for line in lines]
    if zone.tzid:
        lines.append(_vtimezone(zone.tzid))  # folded already
    for event in events:
        lines.extend(map(fold, _vevent(event, zone, stamp=stamp, attendees=attendees)))
    lines.append("END:VCALENDAR")
    return (CRLF.join(lines) + CRLF).encode()


def invitation(event: Event, *, attendees: Sequence[Person], cancel: bool = False) -> bytes:
    """An e-mailed REQUEST, or a CANCEL (`cancel`, or the event is cancelled): stamped
    now, with its ORGANIZER and `attendees` (RFC 5546 sections 3.2.2 and 3.2.5)."""
    if not attendees:
        raise ValueError("An invitation needs at least one attendee.")
    method = CANCEL if cancel or event.cancelled else REQUEST
    if method == CANCEL:
        event = replace(event, cancelled=True)
    return calendar([event], method=method, stamp=timezone.now(), attendees=attendees)


def mime_type(method: str) -> str:
    """The e-mail part's Content-Type, whose method matches the file's METHOD (RFC 6047)."""
    if method not in METHODS:
        raise ValueError(f"Unknown iTIP method {method!r}")
    return f"text/calendar; method={method}; charset=utf-8"
