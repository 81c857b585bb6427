"""core.bulk_insert.insert_new stores what bulk_create(ignore_conflicts=True) stores."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.bulk_insert import insert_new
from programs.tests.factories import ProgramFactory
from reminders.models import Reminder

NAMES = ("kind", "recipient", "subject_key", "due_on", "program")
COLUMNS = [
    field.attname
    for field in Reminder._meta.concrete_fields
    if field.name not in ("id", "created_at")
]


def _stored(recipients) -> list[tuple]:
    return list(
        Reminder.objects.filter(recipient__in=recipients)
        .order_by("kind", "recipient_id", "subject_key", "due_on")
        .values_list(*COLUMNS)
    )


@pytest.mark.django_db
def test_the_rows_are_those_bulk_create_writes_and_duplicates_are_skipped():
    ours, theirs = UserFactory.create_batch(3), UserFactory.create_batch(3)
    program = ProgramFactory()
    day = datetime.date(2026, 6, 15)

    def rows(people):
        # Hostile text stays text; no program (null) and a program; two days.
        return [
            (kind, person.pk, f"survey:{i}'; DROP TABLE x; --", day + datetime.timedelta(i), p)
            for i, person in enumerate(people)
            for kind, p in (("survey_due", None), ("record_due", program.pk))
        ]

    before = timezone.now()
    insert_new(Reminder, NAMES, rows(ours))
    Reminder.objects.bulk_create(
        [
            Reminder(kind=k, recipient_id=r, subject_key=s, due_on=d, program_id=p)
            for k, r, s, d, p in rows(theirs)
        ],
        ignore_conflicts=True,
    )
    mine, reference = _stored(ours), _stored(theirs)
    assert len(mine) == 6
    swap = {b.pk: a.pk for a, b in zip(ours, theirs, strict=True)}
    recipient = COLUMNS.index("recipient_id")
    assert mine == [
        tuple(swap[v] if i == recipient else v for i, v in enumerate(row)) for row in reference
    ]
    created = Reminder.objects.filter(recipient__in=ours).values_list("created_at", flat=True)
    assert all(before <= at <= timezone.now() for at in created)
    # Run again with one new row among the old: only the new one is added, nothing raises.
    extra = ("worksheet_not_agreed", ours[0].pk, "worksheet:1", day, program.pk)
    insert_new(Reminder, NAMES, [*rows(ours), extra])
    assert len(_stored(ours)) == 7


@pytest.mark.django_db
def test_nothing_to_insert_runs_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        insert_new(Reminder, NAMES, [])


def test_an_unknown_field_is_refused():
    with pytest.raises(ValueError, match="no field colour"):
        insert_new(Reminder, ("kind", "colour"), [("a", "b")])
