"""Writes on feedback, program evaluations, outcomes and testimonials."""

import datetime
import logging
import secrets
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.concurrency import Loaded, values_of
from core.mail import mail_batch, mail_member
from matching.models import Match
from programs.funnel import funnel_changed
from programs.models import Participant, Program
from sessions import services as sessions_services
from sessions.models import add_months

from .models import (
    AlumniFollowUp,
    EvaluationRequest,
    EvaluationResponse,
    EvaluationWindow,
    Feedback,
    LaterRole,
    MeasureResult,
    Testimonial,
)

logger = logging.getLogger(__name__)

# --- Final feedback (Appendix VII) ---------------------------------------------------------

TESTIMONIAL_FIELDS = ("text", "show_name")
FEEDBACK_FIELDS = (
    "worked_well",
    "learned",
    "did_not_work",
    "partner_so_far",
    "partner_going_forward",
    "whats_next",
    "whats_next_other",
)
FEEDBACK_REQUIRED = FEEDBACK_FIELDS[:-1]
ENDING = frozenset({Feedback.NextStep.INFORMAL, Feedback.NextStep.COMPLETE})


class Outcome(StrEnum):
    """What the two parties' "what's next" means for the match."""

    WAITING = "waiting"  # not both submitted yet
    CONTINUE = "continue"  # both want to continue formally: the match stays active
    END = "end"  # both want to move on (informal or complete): the match ends, completed
    DECIDE = "decide"  # they differ, or one chose "other": the coordinator decides


def next_step_outcome(first: str, second: str) -> Outcome:
    """The pair's joint "what's next", from each party's submitted choice ("" if none yet)."""
    if not (first and second):
        return Outcome.WAITING
    if first == second == Feedback.NextStep.CONTINUE_FORMAL:
        return Outcome.CONTINUE
    if first in ENDING and second in ENDING:
        return Outcome.END
    return Outcome.DECIDE


def _partner_side(match: Match, author: Participant) -> Participant:
    if author.pk == match.mentee_id:
        return match.mentor
    if author.pk == match.mentor_id:
        return match.mentee
    raise ValidationError(_("Only the two people in a match give its feedback."))


@transaction.atomic
def feedback_save(
    *,
    match: Match,
    author: Participant,
    data: Mapping[str, Any],
    submit: bool,
    loaded: Loaded | None = None,
) -> tuple[Feedback, bool]:
    """Save a draft or submit; returns the feedback and whether this call submitted it.

    Once both parties have submitted, their "what's next" drives the match: both moving
    on ends it as completed; anything else is left to the coordinator (see Outcome).
    With `loaded`, an answer saved since in another tab is never replaced (`EditConflict`).
    """
    # The match row is the lock: two parties submitting at once see each other's result.
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related("mentee", "mentor")
        .get(pk=match.pk)
    )
    _partner_side(match, author)
    # Feedback belongs to a pair that met: a match still proposed has no final session.
    if match.status not in Match.PUBLISHED_STATUSES:
        raise ValidationError(_("Feedback opens once the match has started."))
    feedback = Feedback.objects.filter(match=match, author=author).first()
    if feedback is not None and feedback.is_submitted:
        return feedback, False
    if loaded is not None:
        loaded.check(
            values_of(feedback, FEEDBACK_FIELDS),
            data,
            saved_at=feedback.updated_at if feedback else None,
        )
    if feedback is None:
        feedback = Feedback.objects.create(match=match, author=author)
    for name in FEEDBACK_FIELDS:
        setattr(feedback, name, (data.get(name) or "").strip())
    if feedback.whats_next != Feedback.NextStep.OTHER:
        feedback.whats_next_other = ""
    if submit:
        missing = [name for name in FEEDBACK_REQUIRED if not getattr(feedback, name)]
        if feedback.whats_next == Feedback.NextStep.OTHER and not feedback.whats_next_other:
            missing.append("whats_next_other")
        if missing:
            raise ValidationError(
                dict.fromkeys(missing, _("This answer is needed to submit.")), code="incomplete"
            )
        feedback.status = Feedback.Status.SUBMITTED
        feedback.submitted_at = timezone.now()
    feedback.full_clean()
    feedback.save()
    if submit:
        _apply_next_step(match, by=author.user)
    return feedback, submit


def _apply_next_step(match: Match, *, by: User) -> Outcome:
    choices = dict(
        Feedback.objects.filter(match=match, status=Feedback.Status.SUBMITTED).values_list(
            "author_id", "whats_next"
        )
    )
    mentee_choice, mentor_choice = (
        choices.get(match.mentee_id, ""),
        choices.get(match.mentor_id, ""),
    )
    outcome = next_step_outcome(mentee_choice, mentor_choice)
    if outcome is Outcome.END and match.status == Match.Status.ACTIVE:
        labels = dict(Feedback.NextStep.choices)
        sessions_services.match_end_with_meetings(
            match=match,
            by=by,
            reason=Match.EndReason.COMPLETED,
            note=_(
                "At the final feedback the mentee chose “%(mentee)s” and the mentor “%(mentor)s”."
            )
            % {"mentee": labels[mentee_choice], "mentor": labels[mentor_choice]},
        )
    return outcome


# --- Program evaluation (Appendices VIII and IX) ------------------------------------------

# Evaluations belong to the end of a program; before it runs there is nothing to evaluate.
WINDOW_STATUSES = (Program.Status.RUNNING, Program.Status.CLOSING, Program.Status.CLOSED)
RESPONSE_FIELDS = (
    "helpfulness",
    "useful_aspects",
    "recommend",
    "effects",
    "mentor_again",
    "suggestions",
)


def _ensure_requests(program: Program) -> None:
    """A request row for every participant who has none, all at once in participant order.

    Never one row at the moment somebody answers: then the rows' order (or SQLite's rowid)
    would follow the order of the answers, which is also the order of the responses.
    """
    have = EvaluationRequest.objects.filter(participant__program=program).values("participant_id")
    missing = program.participants.exclude(pk__in=have).order_by("pk")
    EvaluationRequest.objects.bulk_create(
        [EvaluationRequest(participant=participant) for participant in missing]
    )


@transaction.atomic
def evaluation_window_open(*, program: Program, by: User) -> EvaluationWindow:
    if program.status not in WINDOW_STATUSES:
        raise ValidationError(
            _("The program evaluation can be opened once the program is running.")
        )
    window, _created = EvaluationWindow.objects.select_for_update(of=("self",)).get_or_create(
        program=program
    )
    if window.is_open:
        return window
    window.is_open = True
    window.round += 1
    window.opened_at = timezone.now()
    window.changed_by = by
    window.full_clean()
    window.save()
    _ensure_requests(program)
    _invite_to_evaluate(program)
    return window


def _invite_to_evaluate(program: Program) -> None:
    """E-mail each participant who has not answered that the evaluation is open, now.

    Written to the outbox in the transaction that opens the window (one insert for the
    program), so the e-mails exist exactly when the opening does: opening a window that is
    already open returns before this, and the outbox sends each row once, however often its
    task is retried. The reminders follow (reminders.kinds: `evaluation_after_days` later).
    """
    requests = (
        EvaluationRequest.objects.filter(participant__program=program, responded=False)
        .select_related("participant__user")
        .order_by("participant_id")
    )
    url = reverse("evaluation:evaluate", args=[program.slug])
    with mail_batch():
        for request in requests:
            mail_member(
                request.participant.user, "evaluation_opened", {"program": program, "url": url}
            )


@transaction.atomic
def evaluation_window_close(*, program: Program, by: User) -> EvaluationWindow:
    window = (
        EvaluationWindow.objects.select_for_update(of=("self",)).filter(program=program).first()
    )
    if window is None or not window.is_open:
        raise ValidationError(_("The program evaluation is not open."))
    window.is_open = False
    window.closed_at = timezone.now()
    window.changed_by = by
    window.save()
    _unlink_rows(program)
    transaction.on_commit(_vacuum_evaluation_tables, robust=True)
    return window


# How long the rewrite of the two tables after a close may wait for their lock.
VACUUM_LOCK_TIMEOUT = "5s"

# The shuffle of the rows rewritten at close; a cryptographic source, so nobody can replay it.
_shuffle = secrets.SystemRandom().shuffle


def _unlink_rows(program: Program) -> None:
    """Rewrite the program's response and request rows: new random keys, a random order.

    While a round is open, each answer is stored as it comes: on PostgreSQL a response row's
    place in the table (`ctid`) and the transaction that wrote it (`xmin`) follow the order
    of the answers, and so do the request rows' versions. Deleted and written again here,
    in one transaction and in a shuffled order, every row of both tables has the same
    `xmin` (this transaction's), a place and a key that are random, and nothing that tells
    which answer came when or which request it went with. Request keys are new too, so no
    earlier copy of the table can be matched up row by row with the new one either.
    The superseded row versions are removed by `_vacuum_evaluation_tables` after commit.
    """
    response_fields = [
        f.attname for f in EvaluationResponse._meta.concrete_fields if not f.primary_key
    ]
    responses = EvaluationResponse.objects.filter(program=program)
    response_rows = list(responses.values(*response_fields))
    requests = EvaluationRequest.objects.filter(participant__program=program)
    request_rows = list(requests.values("participant_id", "responded"))
    responses.delete()
    requests.delete()
    _shuffle(response_rows)
    _shuffle(request_rows)
    # One INSERT each, in the shuffled order; the model's default gives each a new uuid4.
    EvaluationResponse.objects.bulk_create(EvaluationResponse(**row) for row in response_rows)
    EvaluationRequest.objects.bulk_create(EvaluationRequest(**row) for row in request_rows)


def _vacuum_evaluation_tables() -> None:
    """On PostgreSQL, rewrite both tables so the superseded row versions are gone.

    `VACUUM FULL` copies the live rows (already in a random order) into new files and
    rebuilds the indexes; the old files, with the deleted versions in answer order, are
    removed. It cannot run in a transaction, hence after commit; it locks the two small
    tables for the moment it takes (0.13 s for a table of 20,000 responses). It needs the
    database user to own the tables (else PostgreSQL skips them with a warning, and
    autovacuum only removes the old versions later, in place). Other databases keep no
    row versions: nothing to do.
    """
    if connection.vendor != "postgresql":
        return
    if not connection.get_autocommit() or connection.in_atomic_block:
        logger.warning("Evaluation tables not vacuumed: still inside a transaction.")
        return
    tables = ", ".join(
        connection.ops.quote_name(model._meta.db_table)
        for model in (EvaluationResponse, EvaluationRequest)
    )
    with connection.cursor() as cursor:
        # Never queue every reader of the tables behind a long transaction: give up instead
        # (logged by on_commit's robust mode); autovacuum then clears the versions in place.
        cursor.execute(f"SET lock_timeout = '{VACUUM_LOCK_TIMEOUT}'")
        try:
            cursor.execute(f"VACUUM (FULL) {tables}")
        finally:
            cursor.execute("RESET lock_timeout")


class AlreadyResponded(ValidationError):
    pass


@transaction.atomic
def evaluation_submit(*, participant: Participant, answers: Mapping[str, Any]) -> None:
    """Record that the participant has responded, and store the answers apart from that.

    Returns nothing on purpose: a caller holding the response next to the participant is
    exactly the link this design avoids.
    """
    program = participant.program
    # Locking the window serializes a program's submissions and pins the round.
    window = (
        EvaluationWindow.objects.select_for_update(of=("self",)).filter(program=program).first()
    )
    if window is None or not window.is_open:
        raise ValidationError(_("The program evaluation is not open."), code="closed")
    _ensure_requests(program)
    # The guard against answering twice: a conditional update, atomic in the database.
    if not EvaluationRequest.objects.filter(participant=participant, responded=False).update(
        responded=True
    ):
        raise AlreadyResponded(_("You have already sent your evaluation. Thank you!"))
    # Rewrite every request row of the program, so the write does not single out this
    # one (PostgreSQL stamps each row version with the transaction that wrote it).
    EvaluationRequest.objects.filter(participant__program=program).update(responded=F("responded"))
    # The funnel's "evaluated" step, stored on the participant: every row of the program is
    # written again, for the same reason.
    funnel_changed(participants=program.participants.all())
    response = EvaluationResponse(
        program=program,
        role=participant.role,
        round=window.round,
        **{name: answers.get(name) for name in RESPONSE_FIELDS},
    )
    if response.role == Participant.Role.MENTEE:
        response.mentor_again = ""
    response.effects = list(response.effects or [])
    response.useful_aspects = (response.useful_aspects or "").strip()
    response.suggestions = (response.suggestions or "").strip()
    response.full_clean()
    response.save()


# --- Outcomes ------------------------------------------------------------------------------


@transaction.atomic
def later_role_add(*, participant: Participant, by: User, data: Mapping[str, Any]) -> LaterRole:
    """Add a later union role. Added by the member themselves while a follow-up asks, it is
    their answer: the role is linked to the follow-up, which now reads "a new role"."""
    followup = None
    if by.pk == participant.user_id:
        followup = answerable_followup(participant, lock=True)
    role = LaterRole(
        participant=participant,
        kind=data["kind"],
        title=(data.get("title") or "").strip(),
        started_on=data["started_on"],
        ended_on=data.get("ended_on"),
        entered_by=by,
        followup=followup,
    )
    role.full_clean()
    role.save()
    if followup is not None and followup.answer != AlumniFollowUp.Answer.NEW_ROLE:
        followup.answer = AlumniFollowUp.Answer.NEW_ROLE
        followup.answered_at = timezone.now()
        followup.save(update_fields=["answer", "answered_at"])
    return role


def later_role_delete(*, role: LaterRole) -> None:
    role.delete()


# --- Alumni follow-up (handbook IV, "Keeping Track") -----------------------------------------

# Months after a closed program's end date: each round is asked from then until the next
# round's date (the 24-month round for twelve months), so a scan that missed days catches
# up, and a program closed long ago is not asked about years later.
FOLLOWUP_ROUNDS = (12, 24)
FOLLOWUP_WINDOW_MONTHS = 12
# How many follow-ups one transaction writes (and e-mails); the task repeats until done.
FOLLOWUP_BATCH = 200
# A follow-up takes its answer for a year after it is sent, until the next round asks.
FOLLOWUP_ANSWERABLE = datetime.timedelta(days=365)


def followup_round_due(program: Program, today: datetime.date) -> int | None:
    """The follow-up round a program's alumni are asked on `today`, if any: 12 from 12
    months after a closed program's end date, 24 from 24 months, each for twelve months."""
    if program.status != Program.Status.CLOSED or program.ends_on is None:
        return None
    for months in reversed(FOLLOWUP_ROUNDS):
        start = add_months(program.ends_on, months)
        if start <= today < add_months(start, FOLLOWUP_WINDOW_MONTHS):
            return months
    return None


def followup_rounds_due(today: datetime.date) -> dict[int, int]:
    """Each closed program with a follow-up round due on `today`: {program id: round}."""
    # A generous range in SQL, the exact month arithmetic in Python (month ends clamp).
    last = FOLLOWUP_ROUNDS[-1] + FOLLOWUP_WINDOW_MONTHS + 1
    candidates = Program.objects.filter(
        status=Program.Status.CLOSED,
        ends_on__lt=today,
        ends_on__gt=add_months(today, -last),
    ).order_by("pk")
    return {
        program.pk: months
        for program in candidates
        if (months := followup_round_due(program, today)) is not None
    }


def took_part() -> Exists:
    """The outer participant was in a published match that did not end with someone
    leaving the program: they took part, and can say what came after."""
    return Exists(
        Match.objects.published()
        .filter(Q(mentee=OuterRef("pk")) | Q(mentor=OuterRef("pk")))
        .exclude(end_reason=Match.EndReason.LEFT_PROGRAM)
    )


def followups_due(rounds: Mapping[int, int]):
    """The participants to ask now, for {program id: round}: former participants who took
    part, whose account is active (deleted accounts are erased and left), who have not
    turned optional e-mails off, and who have not been asked this round yet."""
    by_round: dict[int, list[int]] = {}
    for program_id, months in rounds.items():
        by_round.setdefault(months, []).append(program_id)
    condition = Q(pk__in=[])
    for months, program_ids in by_round.items():
        asked = AlumniFollowUp.objects.filter(participant=OuterRef("pk"), round=months)
        condition |= Q(program_id__in=program_ids) & ~Exists(asked)
    return (
        Participant.objects.filter(condition)
        .filter(took_part(), user__is_active=True, user__optional_reminders=True)
        .select_related("user", "program")
        .order_by("pk")
    )


@transaction.atomic
def alumni_followups_send(
    *, now: datetime.datetime | None = None, batch: int = FOLLOWUP_BATCH
) -> int:
    """Ask up to `batch` former participants whose follow-up is due; how many were asked.

    Idempotent: the programs' rows are locked first, so two scans at once take turns, and
    the second finds everyone asked; the unique (participant, round) row is the last guard.
    Each row and its e-mail (one outbox insert for the batch) commit together.
    """
    now = now or timezone.now()
    rounds = followup_rounds_due(timezone.localdate(now))
    if not rounds:
        return 0
    list(
        Program.objects.select_for_update(of=("self",))
        .filter(pk__in=list(rounds))
        .values_list("pk")
    )
    participants = list(followups_due(rounds)[:batch])
    if not participants:
        return 0
    AlumniFollowUp.objects.bulk_create(
        AlumniFollowUp(participant=p, round=rounds[p.program_id], sent_at=now) for p in participants
    )
    with mail_batch():
        for participant in participants:
            program = participant.program
            mail_member(
                participant.user,
                "alumni_followup",
                {
                    "program": program,
                    "months": rounds[program.pk],
                    "url": reverse("evaluation:my_roles", args=[program.slug]),
                },
            )
    return len(participants)


def answerable_followup(
    participant: Participant, *, now: datetime.datetime | None = None, lock: bool = False
) -> AlumniFollowUp | None:
    """The participant's latest follow-up while it takes an answer (a year after it went)."""
    now = now or timezone.now()
    rows = AlumniFollowUp.objects.filter(participant=participant).order_by("-round")
    if lock:
        rows = rows.select_for_update(of=("self",))
    latest = rows.first()
    if latest is None or latest.sent_at <= now - FOLLOWUP_ANSWERABLE:
        return None
    return latest


@transaction.atomic
def followup_no_change(*, participant: Participant) -> tuple[AlumniFollowUp, bool]:
    """The member's "no change" to their follow-up; whether this call recorded it.

    An answer already given stays: a new role reported is not undone by a later click.
    """
    followup = answerable_followup(participant, lock=True)
    if followup is None:
        raise ValidationError(_("There is no follow-up question to answer now."))
    if followup.answer:
        return followup, False
    followup.answer = AlumniFollowUp.Answer.NO_CHANGE
    followup.answered_at = timezone.now()
    followup.full_clean()
    followup.save(update_fields=["answer", "answered_at"])
    return followup, True


def results_as_fields(results: Mapping[int, tuple[bool | None, str]]) -> dict:
    """Success-measure results as the outcomes form's fields (a result not recorded has
    no note)."""
    word = {True: "yes", False: "no", None: ""}
    values = {}
    for pk, (achieved, note) in results.items():
        values[f"achieved_{pk}"] = word[achieved]
        values[f"note_{pk}"] = (note or "").strip() if achieved is not None else ""
    return values


def measure_values(participant: Participant) -> dict:
    """A participant's saved success-measure results, as the outcomes form shows them."""
    saved = {
        r.measure_id: (r.achieved, r.note)
        for r in MeasureResult.objects.filter(participant=participant)
    }
    measures = participant.program.success_measures.values_list("pk", flat=True)
    return results_as_fields({pk: saved.get(pk, (None, "")) for pk in measures})


@transaction.atomic
def measure_results_save(
    *,
    participant: Participant,
    by: User,
    results: Mapping[int, tuple[bool | None, str]],
    loaded: Loaded | None = None,
) -> None:
    """Set each success measure's result; None means not recorded (removes any result).

    With `loaded`, a result another coordinator saved since the form was loaded is never
    replaced: `EditConflict` carries the newest results and nothing is written.
    """
    participant = Participant.objects.select_for_update(of=("self",)).get(pk=participant.pk)
    if loaded is not None:
        loaded.check(measure_values(participant), results_as_fields(results))
    measures = {m.pk: m for m in participant.program.success_measures.all()}
    for measure_id, (achieved, note) in results.items():
        measure = measures.get(measure_id)
        if measure is None:
            raise ValidationError(_("This success measure belongs to another program."))
        if achieved is None:
            MeasureResult.objects.filter(participant=participant, measure=measure).delete()
            continue
        result = MeasureResult.objects.filter(participant=participant, measure=measure).first()
        note = (note or "").strip()
        if result is not None and (result.achieved, result.note) == (achieved, note):
            continue  # unchanged: keep who recorded it and when
        result = result or MeasureResult(participant=participant, measure=measure)
        result.achieved = achieved
        result.note = note
        result.recorded_by = by
        result.full_clean()
        result.save()


@transaction.atomic
def testimonial_save(
    *,
    participant: Participant,
    text: str,
    show_name: bool,
    consent: bool,
    loaded: Loaded | None = None,
) -> Testimonial:
    """Write or rewrite the participant's testimonial; a change waits for approval again.

    With `loaded`, a text saved since in another tab is never replaced (`EditConflict`).
    """
    if not consent:
        raise ValidationError(_("A testimonial is shared only with your consent to publish it."))
    Participant.objects.select_for_update(of=("self",)).filter(
        pk=participant.pk
    ).first()  # one at a time
    testimonial = (
        Testimonial.objects.select_for_update(of=("self",)).filter(participant=participant).first()
    )
    if loaded is not None:
        loaded.check(
            values_of(testimonial, TESTIMONIAL_FIELDS),
            {"text": text, "show_name": show_name},
            saved_at=testimonial.updated_at if testimonial else None,
        )
    testimonial = testimonial or Testimonial(participant=participant)
    testimonial.text = text.strip()
    testimonial.show_name = show_name
    testimonial.consented_at = timezone.now()
    testimonial.status = Testimonial.Status.PENDING
    testimonial.reviewed_by = None
    testimonial.reviewed_at = None
    testimonial.full_clean()
    testimonial.save()
    return testimonial


def testimonial_withdraw(*, participant: Participant) -> bool:
    deleted, _rows = Testimonial.objects.filter(participant=participant).delete()
    return bool(deleted)


@transaction.atomic
def testimonial_review(*, testimonial: Testimonial, by: User, approve: bool) -> Testimonial:
    testimonial = Testimonial.objects.select_for_update(of=("self",)).get(pk=testimonial.pk)
    testimonial.status = Testimonial.Status.APPROVED if approve else Testimonial.Status.DECLINED
    testimonial.reviewed_by = by
    testimonial.reviewed_at = timezone.now()
    testimonial.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    return testimonial
