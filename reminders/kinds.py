"""What is due, kind by kind, read from the database state.

Each kind finds everything due today in a fixed number of queries, whatever the
number of participants, and can tell at send time whether its subject is still due
(a survey submitted since the scan is not reminded).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from intake.models import Application
from matching.models import MentorProfile
from programs.models import Participant, Program

# Sane defaults; a program may set its own (see ReminderSettings).
SURVEY_AFTER_DAYS = 7
APPLICATION_CLOSING_DAYS = 3
MENTOR_PROFILE_DAYS = MentorProfile.STALE_AFTER_DAYS
ACTIVE = (Program.Status.SELECTING, Program.Status.MATCHING, Program.Status.RUNNING)


@dataclass(frozen=True)
class Due:
    recipient_id: int
    subject_key: str
    due_on: datetime.date
    program_id: int | None = None


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    essential: bool  # essential ones are sent even to members who turned reminders off
    find: Callable[[datetime.date], Iterable[Due]]
    context: Callable[[str], dict | None]  # None: no longer due


def _id(subject_key: str) -> int:
    return int(subject_key.split(":", 1)[1])


# --- Application window closing (members who started a draft) ----------------------------


def _application_closing(today: datetime.date) -> Iterable[Due]:
    drafts = Application.objects.filter(
        status=Application.Status.DRAFT,
        program__status=Program.Status.OPEN,
        program__applications_close_on__gte=today,
        program__applications_close_on__lte=today
        + datetime.timedelta(days=APPLICATION_CLOSING_DAYS),
    ).values_list("pk", "applicant_id", "program_id", "program__applications_close_on")
    for pk, applicant_id, program_id, closes in drafts:
        yield Due(
            applicant_id,
            f"application:{pk}",
            closes - datetime.timedelta(days=APPLICATION_CLOSING_DAYS),
            program_id,
        )


def _application_context(subject_key: str) -> dict | None:
    application = (
        Application.objects.select_related("program")
        .filter(pk=_id(subject_key), status=Application.Status.DRAFT)
        .first()
    )
    if application is None or not application.program.accepts_applications():
        return None
    return {
        "program": application.program,
        "url": reverse("intake:apply", args=[application.program.slug, application.role]),
    }


# --- Survey not submitted some days after acceptance ---------------------------------------


def _survey(today: datetime.date) -> Iterable[Due]:
    cutoff = today - datetime.timedelta(days=SURVEY_AFTER_DAYS)
    rows = (
        Participant.objects.filter(program__status__in=ACTIVE, joined_at__date__lte=cutoff)
        .filter(Q(survey__isnull=True) | Q(survey__status="draft"))
        .values_list("pk", "user_id", "program_id", "joined_at")
    )
    for pk, user_id, program_id, joined in rows:
        due = joined.date() + datetime.timedelta(days=SURVEY_AFTER_DAYS)
        yield Due(user_id, f"survey:{pk}", due, program_id)


def _survey_context(subject_key: str) -> dict | None:
    participant = (
        Participant.objects.select_related("program")
        .filter(pk=_id(subject_key), program__status__in=ACTIVE)
        .filter(Q(survey__isnull=True) | Q(survey__status="draft"))
        .first()
    )
    if participant is None:
        return None
    return {
        "program": participant.program,
        "url": reverse("surveys:mine", args=[participant.program.slug]),
    }


# --- Yearly mentor-profile refresh -----------------------------------------------------------


def _mentor_profile(today: datetime.date) -> Iterable[Due]:
    # Stale means more than a year (MentorProfile.is_stale): due the day after.
    cutoff = today - datetime.timedelta(days=MENTOR_PROFILE_DAYS + 1)
    rows = MentorProfile.objects.filter(confirmed_at__date__lte=cutoff).values_list(
        "user_id", "confirmed_at"
    )
    for user_id, confirmed in rows:
        due = timezone.localdate(confirmed) + datetime.timedelta(days=MENTOR_PROFILE_DAYS + 1)
        if due <= today:
            yield Due(user_id, f"mentor_profile:{user_id}", due)


def _mentor_profile_context(subject_key: str) -> dict | None:
    profile = MentorProfile.objects.filter(user_id=_id(subject_key)).first()
    if profile is None or not profile.is_stale():
        return None
    return {"url": reverse("matching:my_mentor_profile")}


# --- Weekly coordinator digest ------------------------------------------------------------------


def _digest_counts(program_ids) -> dict[int, dict[str, int]]:
    rows = Program.objects.filter(pk__in=program_ids).annotate(
        applications_waiting=Count(
            "applications",
            filter=Q(applications__status=Application.Status.SUBMITTED),
            distinct=True,
        ),
        surveys_missing=Count(
            "participants",
            filter=Q(participants__survey__isnull=True) | Q(participants__survey__status="draft"),
            distinct=True,
        ),
    )
    return {
        p.pk: {"applications_waiting": p.applications_waiting, "surveys_missing": p.surveys_missing}
        for p in rows
    }


def _digest(today: datetime.date) -> Iterable[Due]:
    monday = today - datetime.timedelta(days=today.weekday())
    programs = Program.objects.exclude(status__in=[Program.Status.DRAFT, Program.Status.CLOSED])
    counts = _digest_counts(programs.values("pk"))
    pairs = Program.coordinators.through.objects.filter(program__in=programs).values_list(
        "program_id", "user_id"
    )
    for program_id, user_id in pairs:
        if any(counts.get(program_id, {}).values()):
            yield Due(user_id, f"digest:{program_id}", monday, program_id)


def _digest_context(subject_key: str) -> dict | None:
    program = Program.objects.filter(pk=_id(subject_key)).first()
    if program is None:
        return None
    counts = _digest_counts([program.pk]).get(program.pk, {})
    if not any(counts.values()):
        return None
    return {"program": program, "counts": counts, "url": program.get_absolute_url()}


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            "application_closing",
            _("Application closing soon"),
            essential=False,
            find=_application_closing,
            context=_application_context,
        ),
        Kind("survey_due", _("Survey to fill in"), False, _survey, _survey_context),
        Kind(
            "mentor_profile_refresh",
            _("Mentor profile to check"),
            False,
            _mentor_profile,
            _mentor_profile_context,
        ),
        Kind("coordinator_digest", _("Weekly coordinator digest"), True, _digest, _digest_context),
    )
}
