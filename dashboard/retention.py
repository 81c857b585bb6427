"""Retention: what a program keeps after it closes, and the purge that enforces it.

RETENTION_MONTHS (default 24) after a closed program's end date, the purge empties:
- the free text of its applications (answers and the decision note), surveys (answers),
  meeting records, meeting preparations, end-of-match feedback and fit-check notes;
- the demographics (gender, date of birth, race or ethnicity, and their own words) of the
  members whose every program, as applicant or participant, is past that date: a member
  who is in, or applied to, a newer program keeps their profile.
Rows stay, with their statuses and dates, so the program's counts do not change. The
purge is idempotent (it only touches rows that still hold something) and records one
activity entry per program it changed (the kinds and counts, never the values).
The beat runs `dashboard.purge_expired` daily (mentorship/settings.py).
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Profile
from core.erasure import any_filled, emptied, free_text_fields
from evaluation.models import Feedback
from intake.models import Application
from programs.activity import record_activity
from programs.models import Participant, Program
from sessions.models import FitCheck, Preparation, SessionRecord
from surveys.models import Survey

logger = logging.getLogger(__name__)

ACTION = "dashboard:retention"


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    model: type
    program_path: str  # from the model to its program
    fields: tuple[str, ...]


def _text(model, names=None) -> tuple[str, ...]:
    return tuple(free_text_fields(model, names))


KINDS = (
    Kind(
        "applications",
        _("Application answers"),
        Application,
        "program",
        (*_text(Application, Application.ANSWER_FIELDS), "decision_note"),
    ),
    Kind("surveys", _("Survey answers"), Survey, "participant__program", ("answers",)),
    Kind(
        "records",
        _("Meeting records"),
        SessionRecord,
        "meeting__match__program",
        _text(SessionRecord),
    ),
    Kind(
        "preparations",
        _("Meeting preparations"),
        Preparation,
        "meeting__match__program",
        _text(Preparation),
    ),
    Kind("feedback", _("Feedback"), Feedback, "match__program", _text(Feedback)),
    Kind(
        "fit_checks",
        _("Notes on how matches were going"),
        FitCheck,
        "match__program",
        _text(FitCheck),
    ),
)
DEMOGRAPHICS_LABEL = _("Demographics of members in no newer program")


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def purge_date(program: Program) -> datetime.date | None:
    """When the program's free text is purged: RETENTION_MONTHS after it ends, once closed."""
    if program.ends_on is None:
        return None
    return add_months(program.ends_on, settings.RETENTION_MONTHS)


def _expired_programs(today: datetime.date) -> QuerySet[Program]:
    cutoff = add_months(today, -settings.RETENTION_MONTHS)
    return Program.objects.filter(status=Program.Status.CLOSED, ends_on__lte=cutoff)


def _kind_rows(kind: Kind, program: Program) -> QuerySet:
    return kind.model.objects.filter(**{kind.program_path: program}).filter(
        any_filled(kind.model, kind.fields)
    )


def _profiles_to_purge(program: Program, today: datetime.date) -> QuerySet[Profile]:
    """Profiles with demographics of the program's people who are in no unexpired program."""
    expired = _expired_programs(today)
    # The program's people as two lists of ids (no join per profile, so no DISTINCT).
    in_program = Q(user__in=Participant.objects.filter(program=program).values("user_id")) | Q(
        user__in=Application.objects.filter(program=program).values("applicant_id")
    )
    elsewhere = Exists(
        Participant.objects.filter(user=OuterRef("user")).exclude(program__in=expired)
    ) | Exists(Application.objects.filter(applicant=OuterRef("user")).exclude(program__in=expired))
    return (
        Profile.objects.filter(in_program)
        .exclude(elsewhere)
        .filter(any_filled(Profile, Profile.DEMOGRAPHIC_FIELDS))
    )


def retention_preview(program: Program, today: datetime.date | None = None) -> dict:
    """What the purge will empty in this program, and when: counts per kind and the date."""
    today = today or timezone.localdate()
    when = purge_date(program)
    rows = [(kind.label, _kind_rows(kind, program).count()) for kind in KINDS]
    profiles = _profiles_to_purge(program, when or today) if when else Profile.objects.none()
    rows.append((DEMOGRAPHICS_LABEL, profiles.count()))
    return {
        "date": when,
        "closed": program.status == Program.Status.CLOSED,
        "due": program.status == Program.Status.CLOSED and when is not None and when <= today,
        "rows": rows,
    }


@transaction.atomic
def retention_purge(*, today: datetime.date | None = None) -> dict[int, dict[str, int]]:
    """Empty the free text and demographics kept past retention; what was emptied, by program."""
    today = today or timezone.localdate()
    done: dict[int, dict[str, int]] = {}
    for program in _expired_programs(today).order_by("pk"):
        emptied_by_kind = {
            kind: _kind_rows(kind, program).update(**emptied(kind.model, kind.fields))
            for kind in KINDS
        }
        profiles = list(_profiles_to_purge(program, today).values_list("pk", flat=True))
        demographics = Profile.objects.filter(pk__in=profiles).update(
            **emptied(Profile, Profile.DEMOGRAPHIC_FIELDS)
        )
        changes = [
            {
                "model": kind.model._meta.label_lower,
                "operation": "changed",
                "fields": [*kind.fields],
            }
            for kind, n in emptied_by_kind.items()
            if n
        ]
        if demographics:
            changes.append(
                {
                    "model": "accounts.profile",
                    "operation": "changed",
                    "fields": [*Profile.DEMOGRAPHIC_FIELDS],
                }
            )
        if changes:
            # The activity log says which kinds of text went, never what they said.
            record_activity(actor_id=None, program_id=program.pk, action=ACTION, changes=changes)
            counts = {kind.key: n for kind, n in emptied_by_kind.items() if n}
            if demographics:
                counts["demographics"] = demographics
            logger.info("Retention purge of program %s: %s", program.pk, counts)
            done[program.pk] = counts
    return done
