"""Hostile content: every text a member can type, filled with payloads, and the checks.

The fields come from the models themselves (django.apps): each text field of the
project's models is either poisoned here (POISON, with the kind of value a form lets
through) or exempt with a reason (EXEMPT). A new text field in neither list fails
test_hostile_content.py, so nothing typed escapes the harness by being new.

A payload is evaluated if "8888" or a `{% debug %}` dump shows up, and is markup if an
unescaped `<script>alert(`, `<img src=… onerror=` or `href="javascript:` does. Plain
text (a mail's text part, a calendar file, a CSV, a PDF's text) may show the payload as
typed; it must never show it evaluated.
"""

import csv
import datetime
import io
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

# --- payloads ---------------------------------------------------------------------------

EVALUATED = "8888"  # what `{{ 7777|add:1111 }}` prints when a template engine runs it
SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(2)>'
BREAKOUT_SINGLE = "'><img src=y onerror=alert(3)>"
JAVASCRIPT = "javascript:alert(4)//"
TEMPLATE = "{{ 7777|add:1111 }}"
DEBUG = "{% debug %}"
HEADER = "\r\nBcc: evil@example.org"

# From the longest to the shortest; each field gets the longest its max_length allows.
# A value starts with `javascript:` so that a template putting it in an href is caught.
TEXT_VARIANTS = (
    f"{JAVASCRIPT} {TEMPLATE} {DEBUG} {SCRIPT} {BREAKOUT} {BREAKOUT_SINGLE}{HEADER}",
    f"{JAVASCRIPT} {TEMPLATE} {DEBUG} {SCRIPT} {BREAKOUT} {BREAKOUT_SINGLE}",
    f"{JAVASCRIPT}{TEMPLATE}{DEBUG}{SCRIPT}{BREAKOUT}",
    f"{TEMPLATE}{DEBUG}{SCRIPT}{BREAKOUT}",
    f"{TEMPLATE}{SCRIPT}",
)
# A web address the form's URLValidator lets through, and a `javascript:` one written by
# other means (an import, the shell): both must stay text wherever they are shown.
URL_PAYLOAD = f"{JAVASCRIPT}{BREAKOUT.replace(' ', '/')}{TEMPLATE.replace(' ', '')}"
# A quoted local part may hold <, >, {, } and | (RFC 5321); Django's validator agrees.
EMAIL_PAYLOAD = '"<script>alert(1)</script>{{{{7777|add:1111}}}}{tag}"@example.org'


# Every other row starts like a spreadsheet formula instead, for the CSV downloads.
FORMULA = "=2+5//"


def text_payload(max_length: int | None, tag: str, *, formula: bool = False) -> str:
    room = (max_length or 10_000) - len(tag) - 1
    for variant in TEXT_VARIANTS:
        if formula:
            variant = variant.replace(JAVASCRIPT, FORMULA)
        if len(variant) <= room:
            return f"{variant} {tag}"
    raise AssertionError(f"no payload fits in {max_length} characters")


# --- the fields -------------------------------------------------------------------------

# field label -> the kind of value a person can put there through a form
POISON: dict[str, str] = {
    "accounts.User.email": "email",
    "accounts.User.name": "text",
    "accounts.Profile.contact_email": "email",
    "accounts.Profile.local_union": "text",
    "accounts.Profile.union_role": "text",
    "accounts.Profile.languages": "lines",
    "accounts.Profile.region": "text",
    "accounts.Profile.gender_self_described": "text",
    "accounts.Profile.race_ethnicity_self_described": "text",
    "programs.Program.name": "text",
    "programs.Program.description": "text",
    "programs.Program.goals": "text",
    "programs.Program.time_commitment": "text",
    "programs.Program.privacy_notice": "text",
    "programs.Phase.name": "text",
    "programs.Phase.description": "text",
    "programs.SuccessMeasure.label": "text",
    "intake.Nomination.nominee_name": "text",
    "intake.Nomination.nominee_email": "email",
    "programs.CoordinatorInvitation.email": "email",
    "intake.Nomination.reason": "text",
    "intake.Application.essay": "text",
    "intake.Application.goals": "text",
    "intake.Application.union_role": "text",
    "intake.Application.local_unit": "text",
    "intake.Application.decision_note": "text",
    "surveys.Survey.answers": "survey",
    "matching.Match.override_note": "text",
    "matching.Match.end_note": "text",
    "matching.MentorProfile.background": "text",
    "matching.MentorProfile.interests": "text",
    "matching.MentorProfile.experience": "text",
    "matching.MentorProfile.qualifications": "text",
    "matching.Exclusion.reason": "text",
    "mentoring_sessions.Orientation.location": "text",
    "mentoring_sessions.Orientation.video_link": "url",
    "mentoring_sessions.Orientation.accessibility_notes": "text",
    "mentoring_sessions.AgendaItem.title": "text",
    "mentoring_sessions.AgendaItem.description": "text",
    "mentoring_sessions.GroupSession.location": "text",
    "mentoring_sessions.GroupSession.video_link": "url",
    "mentoring_sessions.GroupSession.accessibility_notes": "text",
    "mentoring_sessions.GroupSession.title": "text",
    "mentoring_sessions.GroupSession.description": "text",
    "mentoring_sessions.GroupSession.rotation_note": "text",
    "mentoring_sessions.GroupSession.cancel_reason": "text",
    "mentoring_sessions.Worksheet.roles": "text",
    "mentoring_sessions.Worksheet.purpose": "text",
    "mentoring_sessions.Worksheet.short_term_goals": "text",
    "mentoring_sessions.Worksheet.long_term_goals": "text",
    "mentoring_sessions.Worksheet.timeframe": "text",
    "mentoring_sessions.Worksheet.meeting_plan": "text",
    "mentoring_sessions.Worksheet.contingency_plan": "text",
    "mentoring_sessions.Worksheet.informal_interactions": "text",
    "mentoring_sessions.Worksheet.feedback": "text",
    "mentoring_sessions.Goal.description": "text",
    "mentoring_sessions.Goal.progress_notes": "text",
    "mentoring_sessions.Meeting.location": "text",
    "mentoring_sessions.Meeting.video_link": "url",
    "mentoring_sessions.Meeting.cancel_reason": "text",
    "mentoring_sessions.Preparation.tried": "text",
    "mentoring_sessions.Preparation.want": "text",
    "mentoring_sessions.Preparation.challenges": "text",
    "mentoring_sessions.Preparation.goal_area": "text",
    "mentoring_sessions.Preparation.questions": "text",
    "mentoring_sessions.Preparation.requests": "text",
    "mentoring_sessions.Preparation.action": "text",
    "mentoring_sessions.Preparation.follow_up": "text",
    "mentoring_sessions.SessionRecord.update": "text",
    "mentoring_sessions.SessionRecord.checkin": "text",
    "mentoring_sessions.SessionRecord.focus": "text",
    "mentoring_sessions.SessionRecord.requests_offers": "text",
    "mentoring_sessions.SessionRecord.actions_agreements": "text",
    "mentoring_sessions.SessionRecord.next_logistics": "text",
    "mentoring_sessions.ActionItem.description": "text",
    "mentoring_sessions.ActionItem.status_note": "text",
    "mentoring_sessions.FitCheck.note": "text",
    "evaluation.Feedback.worked_well": "text",
    "evaluation.Feedback.learned": "text",
    "evaluation.Feedback.did_not_work": "text",
    "evaluation.Feedback.partner_so_far": "text",
    "evaluation.Feedback.partner_going_forward": "text",
    "evaluation.Feedback.whats_next_other": "text",
    "evaluation.EvaluationResponse.useful_aspects": "text",
    "evaluation.EvaluationResponse.suggestions": "text",
    "evaluation.LaterRole.title": "text",
    "evaluation.MeasureResult.note": "text",
    "evaluation.Testimonial.text": "text",
}

# Text fields no person fills with free text through a form, each with why.
EXEMPT: dict[str, str] = {
    "accounts.User.password": "a password hash, never shown",
    "accounts.Profile.phone": "the form takes digits, spaces and + ( ) . - only (validate_phone)",
    "accounts.Profile.race_ethnicity": "a list of RaceEthnicity choice keys, checked by the form",
    "accounts.PersonalDataView.page": "the name of a page, written by the code that logs a view",
    "programs.Program.slug": "a slug: letters, numbers and hyphens (SlugField, form-validated)",
    "intake.Application.availability": "a list of Availability choice keys, checked by the form",
    "reminders.Reminder.kind": "a key of reminders.kinds.KINDS, written by the scan",
    "reminders.Reminder.subject_key": "ids joined by the scan, never typed",
    "reminders.Reminder.skipped": "a reason code written by reminder_send",
    "reminders.SchedulerRun.task": "a Celery task name written by the beat task, never typed",
    "matching.MentorProfile.skills": "a list of UnionSkill choice keys, checked by clean()",
    "matching.MentorProfile.availability": "a list of Availability choice keys, checked",
    "matching.MatchingProfile.learning_goals": "a list of UnionSkill choice keys, checked",
    "mentoring_sessions.CalendarFeed.token": "a random secret made by the code",
    # Issue 20 item 5: a handbook item's key, set only by services._save_agenda from
    # appendices.DEFAULT_AGENDA (editable=False, never from a form), never shown.
    "mentoring_sessions.AgendaItem.key": "a key of appendices.DEFAULT_AGENDA, set by the code",
    "evaluation.EvaluationResponse.effects": "a list of effect choice keys, checked by the form",
    "programs.ActivityEntry.action": "a URL's name, written by the activity middleware",
    "programs.ActivityEntry.target": "a URL's arguments (ids and slugs), written by the middleware",
    "programs.ActivityEntry.changes": "model and field names from Django's own SQL, never values",
    "core.OutboxMessage.to": "a copy of a member's address (User.email, poisoned at its source)",
    "core.OutboxMessage.subject": "a rendered copy of a mail's subject; its sources are poisoned",
    "core.OutboxMessage.text": "a rendered copy of a mail's text part; its sources are poisoned",
    "core.OutboxMessage.html": "a rendered copy of a mail's HTML part; its sources are poisoned",
    "core.OutboxMessage.message_id": "a Message-ID made by the code (make_msgid)",
    "core.OutboxMessage.last_error": "an exception's text from the mail backend, never shown",
    "core.OutboxAttachment.name": "a file name chosen by the code (meeting.ics, ...)",
    "core.OutboxAttachment.mimetype": "a MIME type chosen by the code",
}

TEXT_FIELD_TYPES = (models.CharField, models.TextField, models.JSONField)


def project_models(registry=django_apps) -> list[type[models.Model]]:
    """The models of the project's own apps (not Django's, allauth's or other libraries')."""
    base = str(settings.BASE_DIR)
    return [
        model
        for config in registry.get_app_configs()
        if str(config.path).startswith(base) and "site-packages" not in str(config.path)
        for model in config.get_models()
    ]


def text_fields(registry=django_apps) -> dict[str, models.Field]:
    """Every free-text field of the project's models, by "app_label.Model.field"."""
    found = {}
    for model in project_models(registry):
        for field in model._meta.get_fields():
            if isinstance(field, TEXT_FIELD_TYPES) and not field.choices and field.concrete:
                found[f"{model._meta.label}.{field.name}"] = field
    return found


def uncovered(names: Iterable[str]) -> list[str]:
    """Fields neither poisoned nor exempt: each needs a row in POISON or EXEMPT."""
    return sorted(set(names) - set(POISON) - set(EXEMPT))


# --- poisoning ---------------------------------------------------------------------------


def _value(kind: str, field: models.Field, obj, tag: str, formula: bool):
    if kind == "text":
        return text_payload(field.max_length, tag, formula=formula)
    if kind == "email":
        return EMAIL_PAYLOAD.format(tag=tag.replace(" ", ""))
    if kind == "url":
        return f"{URL_PAYLOAD}{tag.replace(' ', '')}"[: field.max_length]
    if kind == "lines":
        return [text_payload(100, tag), text_payload(100, f"{tag}b")]
    if kind == "survey":
        from surveys.questions import questions_for

        return {
            q.key: text_payload(q.max_length, f"{tag}{q.key}")
            for q in questions_for(obj.participant.role)
        }
    raise AssertionError(f"unknown payload kind {kind}")


def _update(model, pk, values: dict) -> bool:
    try:
        with transaction.atomic():
            model.objects.filter(pk=pk).update(**values)
    except IntegrityError:
        return False
    return True


def poison_everything() -> int:
    """Fill every poisoned field of every row with payloads; returns how many values."""
    by_model: dict[str, list[tuple[str, str]]] = {}
    for label, kind in POISON.items():
        app_model, name = label.rsplit(".", 1)
        by_model.setdefault(app_model, []).append((name, kind))
    # An invitation is answered by whoever has verified its address: note each invitee now,
    # so they keep a verified claim on the poisoned address and still reach their pages.
    from allauth.account.models import EmailAddress

    from programs.models import CoordinatorInvitation

    invitees = {
        invitation.pk: owner
        for invitation in CoordinatorInvitation.objects.all()
        if (
            owner := django_apps.get_model(settings.AUTH_USER_MODEL)
            .objects.filter(email__iexact=invitation.email)
            .first()
        )
    }
    filled = 0
    for app_model, names in by_model.items():
        model = django_apps.get_model(app_model)
        for index, obj in enumerate(model.objects.order_by("pk")):
            # The tag keeps unique fields unique and says which row a leak came from.
            tag = f"#{model.__name__}{obj.pk}".replace("-", "")[:20]
            values = {
                name: _value(kind, model._meta.get_field(name), obj, tag, index % 2 == 1)
                for name, kind in names
            }
            if _update(model, obj.pk, values):
                filled += len(values)
                continue
            # A constraint keeps a field blank here (a scheduled meeting's cancel reason).
            filled += sum(_update(model, obj.pk, {name: value}) for name, value in values.items())
    for invitation in CoordinatorInvitation.objects.filter(pk__in=invitees):
        address = invitation.email.lower()  # as coordinator_invite stores it
        CoordinatorInvitation.objects.filter(pk=invitation.pk).update(email=address)
        EmailAddress.objects.get_or_create(
            user=invitees[invitation.pk], email=address, defaults={"verified": True}
        )
    return filled


# --- the world: enough rows that the pages show the text ----------------------------------


@dataclass
class World:
    match: object
    past_meeting: object
    next_meeting: object
    cancelled_meeting: object


def build_world(cast, *, surveys: str = "submitted") -> World:
    """Add to the cast's program what its pages show, keeping whatever a test made first.

    `surveys="draft"` leaves the cast's surveys open, for the pages that edit them.
    """
    from accounts.models import Profile
    from evaluation.models import (
        EvaluationResponse,
        EvaluationWindow,
        Feedback,
        LaterRole,
        MeasureResult,
        Testimonial,
    )
    from intake.models import Application
    from intake.tests.factories import ApplicationFactory, NominationFactory
    from matching.models import Exclusion, Match, MatchingProfile, MentorProfile
    from matching.tests.factories import MentorProfileFactory, add_mentor
    from programs.models import Phase, SuccessMeasure
    from sessions.models import AgendaItem, Goal, Meeting, Orientation, Side
    from sessions.tests.factories import (
        ActionItemFactory,
        GroupSessionFactory,
        MeetingFactory,
        OrientationFactory,
        PreparationFactory,
        SessionRecordFactory,
        WorksheetFactory,
        at,
    )
    from surveys.models import Survey
    from surveys.tests.factories import SurveyFactory

    program = cast.program
    now = timezone.now()
    today = timezone.localdate()
    mentee = program.participants.get(user=cast.mentee)
    mentor = program.participants.get(user=cast.mentor)
    for user in (
        cast.coordinator,
        cast.mentor,
        cast.mentee,
        cast.member,
        cast.other_coordinator,
    ):
        Profile.objects.get_or_create(user=user, defaults={"region": "x", "languages": ["x"]})
    Phase.objects.create(program=program, name="Part One", description="Classes")
    measure = SuccessMeasure.objects.create(program=program, label="Ran for office")
    if not Application.objects.filter(program=program, applicant=cast.member).exists():
        ApplicationFactory(program=program, applicant=cast.member, decision_note="x")
    for participant in (mentee, mentor):
        if not Application.objects.filter(program=program, applicant=participant.user).exists():
            ApplicationFactory(
                program=program,
                applicant=participant.user,
                role=participant.role,
                status=Application.Status.ACCEPTED,
                decision_note="x",
            )
        if not Survey.objects.filter(participant=participant).exists():
            SurveyFactory(
                participant=participant,
                status=surveys,
                submitted_at=now if surveys == "submitted" else None,
            )
    NominationFactory(program=program, nominator=cast.mentor)
    if not MentorProfile.objects.filter(user=cast.mentor).exists():
        MentorProfileFactory(user=cast.mentor)
    MatchingProfile.objects.get_or_create(participant=mentee)
    other_mentor = add_mentor(program, "Olga Othermentor")
    Exclusion.objects.create(
        program=program,
        mentee=mentee,
        mentor=other_mentor,
        source=Exclusion.Source.COORDINATOR,
        reason="x",
        created_by=cast.coordinator,
    )
    Match.objects.create(
        program=program,
        mentee=mentee,
        mentor=other_mentor,
        status=Match.Status.ENDED,
        end_reason=Match.EndReason.OTHER,
        end_note="x",
        override_note="x",
        started_at=now - datetime.timedelta(days=90),
        ended_at=now - datetime.timedelta(days=60),
    )
    match = (
        Match.objects.filter(program=program, mentee=mentee, mentor=mentor)
        .exclude(status=Match.Status.ENDED)
        .first()
    )
    if match is None:
        match = Match.objects.create(
            program=program,
            mentee=mentee,
            mentor=mentor,
            status=Match.Status.ACTIVE,
            started_at=now - datetime.timedelta(days=30),
            override_note="x",
        )
    if not hasattr(match, "worksheet"):
        WorksheetFactory(match=match, timeframe="x", meeting_plan="x", feedback="x")
    Goal.objects.create(match=match, term="short", description="x", progress_notes="x")
    past = match.meetings.filter(starts_at__lt=now).first() or MeetingFactory(
        match=match, starts_at=at(today - datetime.timedelta(days=3))
    )
    Meeting.objects.filter(pk=past.pk).update(video_link="https://example.org/x")
    if not hasattr(past, "record"):
        SessionRecordFactory(meeting=past, recorded_by=cast.mentor)
    if not hasattr(past, "preparation"):
        PreparationFactory(meeting=past)
    past.refresh_from_db()
    from sessions.models import FitCheck

    for side, answer in ((Side.MENTEE, "not_a_good_fit"), (Side.MENTOR, "going_well")):
        FitCheck.objects.get_or_create(
            match=match, side=side, stage="first", defaults={"answer": answer, "note": "x"}
        )
    ActionItemFactory(record=past.record, owner=Side.MENTEE, status_note="x")
    ActionItemFactory(record=past.record, owner=Side.MENTOR, status_note="x")
    upcoming = MeetingFactory(
        match=match,
        starts_at=at(today + datetime.timedelta(days=1)),
        video_link="https://example.org/y",
    )
    cancelled = MeetingFactory(
        match=match,
        starts_at=at(today + datetime.timedelta(days=9)),
        status=Meeting.Status.CANCELLED,
        cancel_reason="x",
        cancelled_at=now,
    )
    orientation = Orientation.objects.filter(program=program).first() or OrientationFactory(
        program=program, video_link="https://example.org/o"
    )
    AgendaItem.objects.create(orientation=orientation, title="Welcome", description="x", minutes=10)
    if not program.group_sessions.exists():
        GroupSessionFactory(
            program=program, description="x", rotation_note="x", video_link="https://e.org/g"
        )
        GroupSessionFactory(  # cancelled: its reason is shown on its page and e-mailed
            program=program,
            starts_at=at(today + datetime.timedelta(days=12)),
            cancel_reason="x",
            cancelled_at=now,
        )
    for participant in (mentee, mentor):
        if not Feedback.objects.filter(match=match, author=participant).exists():
            Feedback.objects.create(
                match=match,
                author=participant,
                worked_well="x",
                learned="x",
                did_not_work="x",
                partner_so_far="x",
                partner_going_forward="x",
                whats_next=Feedback.NextStep.OTHER,
                whats_next_other="x",
                status=Feedback.Status.SUBMITTED,
                submitted_at=now,
            )
    EvaluationWindow.objects.get_or_create(
        program=program, defaults={"is_open": True, "round": 1, "opened_at": now}
    )
    # Enough responses of each form for the report to show their free text.
    for role in ("mentee", "mentor"):
        for helpfulness in (1, 2, 2, 3, 4, 5):
            EvaluationResponse.objects.create(
                program=program,
                role=role,
                round=1,
                helpfulness=helpfulness,
                useful_aspects="x",
                recommend="yes",
                mentor_again="yes" if role == "mentor" else "",
                suggestions="x",
            )
    LaterRole.objects.create(
        participant=mentee,
        kind=LaterRole.Kind.COMMITTEE,
        title="x",
        started_on=today - datetime.timedelta(days=10),
        entered_by=cast.coordinator,
    )
    MeasureResult.objects.create(
        participant=mentee, measure=measure, achieved=True, note="x", recorded_by=cast.coordinator
    )
    for participant, status in ((mentee, "approved"), (mentor, "pending")):
        if not Testimonial.objects.filter(participant=participant).exists():
            Testimonial.objects.create(
                participant=participant,
                text="x",
                consented_at=now,
                status=status,
                reviewed_by=cast.coordinator if status == "approved" else None,
                reviewed_at=now if status == "approved" else None,
            )
    # An activity entry by the coordinator, so the Activity page and its CSV show a name.
    from programs.activity import record_activity

    record_activity(
        actor_id=cast.coordinator.pk,
        program_id=program.pk,
        action="intake:decide",
        target={"slug": program.slug},
        changes=[{"model": "intake.application", "operation": "changed", "fields": ["status"]}],
    )
    # An invitation to co-coordinate, waiting for the plain member's answer.
    from programs.models import CoordinatorInvitation

    CoordinatorInvitation.objects.get_or_create(
        program=program,
        email=cast.member.email,
        status=CoordinatorInvitation.Status.PENDING,
        defaults={"invited_by": cast.coordinator},
    )
    # The rows above are written directly, not through the services that store each
    # participant's funnel step (programs/funnel.py): store them, so the funnel's people
    # lists and their CSV show the poisoned people.
    from dashboard import funnel

    funnel.recompute()
    return World(match=match, past_meeting=past, next_meeting=upcoming, cancelled_meeting=cancelled)


# --- the checks ---------------------------------------------------------------------------

MARKUP = {
    "an unescaped <script>": re.compile(r"<script>alert\(", re.IGNORECASE),
    "an unescaped onerror attribute": re.compile(
        r"<img[\s/]+src=[xy][\s/]+onerror=", re.IGNORECASE
    ),
    "a javascript: link": re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I),
}
EVALUATION = {
    # Standing alone: a row's tag carries its id (#User8888 once the ids run that high, as
    # they do on PostgreSQL, whose sequences no test rolls back), which is not an evaluation.
    "a template evaluated (8888)": re.compile(rf"(?<![\w#]){EVALUATED}(?!\w)"),
    "a {% debug %} dump": re.compile(r"(&#x27;|&#39;|')True(&#x27;|&#39;|'): True"),
}


class HostileOutput(AssertionError):
    pass


def _problems(text: str, patterns: dict[str, re.Pattern]) -> list[str]:
    found = []
    for what, pattern in patterns.items():
        hit = pattern.search(text)
        if hit:
            start = max(hit.start() - 80, 0)
            found.append(f"{what}: …{text[start : hit.end() + 40]!r}…")
    return found


def check_html(html: str, where: str) -> None:
    """HTML may show a payload only as text: escaped, and never evaluated."""
    problems = _problems(html, {**MARKUP, **EVALUATION})
    if problems:
        raise HostileOutput(f"{where}: " + "; ".join(problems))


def check_text(text: str, where: str) -> None:
    """Plain text may show a payload as typed, but never evaluated."""
    problems = _problems(text, EVALUATION)
    if problems:
        raise HostileOutput(f"{where}: " + "; ".join(problems))


def check_ics(content: str, where: str) -> None:
    """A calendar file: text as typed, never evaluated, and no line a payload started."""
    unfolded = content.replace("\r\n ", "").replace("\n ", "")
    check_text(unfolded, where)
    for line in unfolded.splitlines():
        if line.upper().startswith("BCC"):
            raise HostileOutput(f"{where}: a typed line break started a line: {line!r}")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def check_csv(content: str, where: str) -> None:
    """A CSV cell is text: never evaluated, and never a spreadsheet formula."""
    check_text(content, where)
    for row in csv.reader(io.StringIO(content)):
        for cell in row:
            if cell.startswith(FORMULA_START) and not _is_number(cell):
                raise HostileOutput(f"{where}: a cell a spreadsheet would run: {cell[:60]!r}")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def check_pdf(content: bytes, where: str) -> str:
    """A PDF's text may show a payload as typed, never evaluated; returns the text."""
    text = pdf_text(content)
    check_text(text, where)
    return text


def shown_as_text(text: str) -> bool:
    """Whether a response shows a payload as text (so the harness reached its data).

    Once the checks have passed, the template syntax showing at all means it showed as
    text; white space is ignored because a PDF's text wraps where the page ended.
    """
    return "7777|add:1111" in "".join(text.split())
