import datetime

import factory
from django.utils import timezone

from sessions.models import (
    ActionItem,
    GroupSession,
    Meeting,
    Orientation,
    Preparation,
    SessionRecord,
    Side,
    Worksheet,
)


def at(day: datetime.date, hour: int = 18, minute: int = 0) -> datetime.datetime:
    """An aware datetime in the current time zone, as the forms make them."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def worksheet_data(today: datetime.date, **changes) -> dict:
    """Every editable field of a planning worksheet, as `worksheet_save` takes them."""
    day = datetime.timedelta(days=1)
    data = dict.fromkeys(Worksheet.EDITABLE_FIELDS, "")
    data.update(
        roles="Mentor coaches; mentee asks.",
        short_term_goals="File a first grievance\nChair a unit meeting",
        long_term_goals="Run for steward",
        starts_on=today,
        target_end_on=today + 270 * day,
        midpoint_on=today + 135 * day,
        next_meeting_at=None,
    )
    data.update(changes)
    return data


class WorksheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worksheet

    roles = "We will both speak plainly."
    purpose = "Learn to handle grievances."
    short_term_goals = "File a first grievance\nSpeak at a membership meeting"
    long_term_goals = "Run for steward"
    starts_on = factory.LazyFunction(timezone.localdate)
    target_end_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=270))
    midpoint_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=135))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    starts_at = factory.LazyFunction(lambda: at(timezone.localdate() + datetime.timedelta(days=7)))
    duration_minutes = 60
    mode = Meeting.Mode.IN_PERSON
    location = "Union hall, room B"


class PreparationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preparation

    tried = "I read the grievance procedure."
    want = "Understand the first step of a grievance."


class SessionRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionRecord

    status = SessionRecord.Status.RECORDED
    update = "Read the agreement."
    focus = "Grievance steps."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    match = factory.LazyAttribute(lambda o: o.record.meeting.match)
    owner = Side.MENTEE
    description = factory.Sequence(lambda n: f"Action {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))


class OrientationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Orientation

    starts_at = factory.LazyFunction(lambda: at(timezone.localdate() - datetime.timedelta(days=20)))
    duration_minutes = 120
    location = "Union hall"


class GroupSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupSession

    title = factory.Sequence(lambda n: f"Class {n}: the collective agreement")
    starts_at = factory.LazyFunction(
        lambda: at(timezone.localdate() + datetime.timedelta(days=5), 10)
    )
    duration_minutes = 180
    location = "Union hall"
