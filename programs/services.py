"""Writes on programs: set-up, copying last year's program, status changes.

Every write runs in a transaction and validates with `full_clean()` before saving.
The cross-field set-up rules live here (`setup_problems`, `phase_problems`) so the
forms show the same messages the services enforce.
"""

import logging
from collections.abc import Iterable
from datetime import date

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.concurrency import Loaded
from core.dates import format_date
from core.mail import mail_member, send_templated_mail

from . import selectors
from .models import CoordinatorInvitation, Phase, Program, SuccessMeasure
from .selectors import RESERVED_SLUGS

logger = logging.getLogger(__name__)

# What a coordinator sets up; status and coordinators have their own paths.
SETUP_FIELDS = (
    "name",
    "slug",
    "year",
    "description",
    "goals",
    "format",
    "internal_mentors",
    "external_mentors",
    "delivery",
    "formality",
    "time_commitment",
    "starts_on",
    "ends_on",
    "applications_open_on",
    "applications_close_on",
    "target_mentees",
    "target_mentors",
    "privacy_notice",
    "paper_size",
)
PHASE_FIELDS = ("name", "description", "starts_on", "ends_on", "lost_time")
SLUG_TAKEN = _(
    "Another program already uses this short name; choose another. If you sent this form "
    "twice, the program was created the first time: look for it on your dashboard."
)


def _date(day: date) -> str:
    return format_date(day)


# --- Rules shared with the forms ------------------------------------------------------


def setup_problems(
    *,
    slug: str | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    applications_open_on: date | None = None,
    applications_close_on: date | None = None,
    internal_mentors: bool = True,
    external_mentors: bool = False,
) -> dict[str, list[ValidationError]]:
    """The program's cross-field set-up rules, broken ones by field; empty when all hold."""
    problems: dict[str, list[ValidationError]] = {}

    def add(field: str, message, code: str, **params) -> None:
        problems.setdefault(field, []).append(ValidationError(message, code=code, params=params))

    if slug in RESERVED_SLUGS:
        add("slug", _("“%(slug)s” is reserved; choose another short name."), "reserved", slug=slug)
    if starts_on and ends_on and ends_on <= starts_on:
        add("ends_on", _("The program must end after the day it starts."), "ends_before_start")
    opens, closes = applications_open_on, applications_close_on
    if opens and closes and closes < opens:
        add(
            "applications_close_on",
            _("Applications must close on or after the day they open."),
            "window_reversed",
        )
    if closes and starts_on and closes >= starts_on:
        add(
            "applications_close_on",
            _("Applications must close before the program starts (%(starts)s)."),
            "closes_after_start",
            starts=_date(starts_on),
        )
    if not (internal_mentors or external_mentors):
        add(
            "internal_mentors",
            _("Allow mentors from within the union, from outside it, or both."),
            "no_mentor_source",
        )
    return problems


def phase_problems(
    *,
    starts_on: date | None,
    ends_on: date | None,
    program_starts: date | None,
    program_ends: date | None,
) -> dict[str, list[ValidationError]]:
    """A phase's date rules, broken ones by field; empty when all hold."""
    problems: dict[str, list[ValidationError]] = {}

    def add(field: str, message, code: str, **params) -> None:
        problems.setdefault(field, []).append(ValidationError(message, code=code, params=params))

    if starts_on and ends_on and ends_on < starts_on:
        add("ends_on", _("The phase must end on or after the day it starts."), "ends_before_start")
    if starts_on and program_starts and starts_on < program_starts:
        add(
            "starts_on",
            _("The phase cannot start before the program starts (%(date)s)."),
            "before_program",
            date=_date(program_starts),
        )
    if starts_on and program_ends and starts_on > program_ends:
        add(
            "starts_on",
            _("The phase cannot start after the program ends (%(date)s)."),
            "after_program",
            date=_date(program_ends),
        )
    if ends_on and program_ends and ends_on > program_ends:
        add(
            "ends_on",
            _("The phase cannot end after the program ends (%(date)s)."),
            "after_program",
            date=_date(program_ends),
        )
    return problems


# --- Set-up -------------------------------------------------------------------------------


def _apply_setup(program: Program, data: dict) -> None:
    unknown = set(data) - set(SETUP_FIELDS)
    if unknown:
        raise TypeError(f"Not program set-up fields: {sorted(unknown)}")
    for field, value in data.items():
        setattr(program, field, value)


def _validate_program(program: Program) -> None:
    problems = setup_problems(
        slug=program.slug,
        starts_on=program.starts_on,
        ends_on=program.ends_on,
        applications_open_on=program.applications_open_on,
        applications_close_on=program.applications_close_on,
        internal_mentors=program.internal_mentors,
        external_mentors=program.external_mentors,
    )
    if problems:
        raise ValidationError(problems)
    program.full_clean()


def _phase_errors(phase_name: str, error: ValidationError) -> ValidationError:
    """A phase's errors as program-level ones, named after the phase."""
    return ValidationError(
        {
            "phases": [
                format_lazy("{}: {}", phase_name or _("Phase"), message)
                for message in error.messages
            ]
        }
    )


def _save_phases(program: Program, phases: list[dict]) -> None:
    """Make the program's phases exactly `phases`, in that order.

    A row may carry the `id` of one of this program's phases to update it in place
    (so records pointing at a phase keep pointing at it); other ids are ignored.
    """
    existing = {phase.pk: phase for phase in program.phases.all()}
    kept = []
    for order, row in enumerate(phases):
        row = dict(row)
        pk = row.pop("id", None)
        unknown = set(row) - set(PHASE_FIELDS)
        if unknown:
            raise TypeError(f"Not phase fields: {sorted(unknown)}")
        phase = existing.pop(pk, None) if pk else None
        phase = phase or Phase(program=program)
        for field, value in row.items():
            setattr(phase, field, value)
        phase.order = order
        problems = phase_problems(
            starts_on=phase.starts_on,
            ends_on=phase.ends_on,
            program_starts=program.starts_on,
            program_ends=program.ends_on,
        )
        try:
            if problems:
                raise ValidationError(problems)
            phase.full_clean()
        except ValidationError as error:
            raise _phase_errors(phase.name, error) from error
        phase.save()
        kept.append(phase.pk)
    program.phases.exclude(pk__in=kept).delete()


def _save_measures(program: Program, measures: list[str]) -> None:
    """Make the program's success measures exactly `measures`, in that order.

    A measure whose label is unchanged keeps its row, so counts recorded against it stay.
    """
    existing: dict[str, SuccessMeasure] = {}
    for measure in program.success_measures.all():
        existing.setdefault(measure.label, measure)
    kept = []
    labels = dict.fromkeys(label.strip() for label in measures if label.strip())
    for order, label in enumerate(labels):
        measure = existing.pop(label, None) or SuccessMeasure(program=program, label=label)
        if measure.pk is None or measure.order != order:
            measure.order = order
            try:
                measure.full_clean()
            except ValidationError as error:
                raise ValidationError({"success_measures": error.messages}) from error
            measure.save()
        kept.append(measure.pk)
    program.success_measures.exclude(pk__in=kept).delete()


def _slug_taken(slug: str, exclude_pk: int | None = None) -> bool:
    return Program.objects.filter(slug=slug).exclude(pk=exclude_pk).exists()


def _slug_taken_error() -> ValidationError:
    return ValidationError({"slug": ValidationError(SLUG_TAKEN, code="unique")})


def program_create(
    *,
    by: User,
    data: dict,
    phases: list[dict],
    measures: list[str],
    coordinator_emails: list[str],
) -> Program:
    """A new draft program coordinated by its creator.

    Everyone else in `coordinator_emails` is sent an invitation and becomes a coordinator
    only by accepting it.
    """
    program = Program(status=Program.Status.DRAFT)
    _apply_setup(program, data)
    try:
        with transaction.atomic():
            _validate_program(program)
            program.save()
            _save_phases(program, phases)
            _save_measures(program, measures)
            program.coordinators.set([by])
            _invite(program=program, by=by, emails=coordinator_emails)
    except IntegrityError as error:
        # Two submissions passed validation at once; the unique slug stopped this one.
        if _slug_taken(program.slug):
            raise _slug_taken_error() from error
        raise
    logger.info("Program %s created by member %s", program.slug, by.pk)
    return program


def program_update(
    *,
    program: Program,
    by: User,
    data: dict,
    phases: list[dict],
    measures: list[str],
    coordinator_emails: list[str],
    loaded: Loaded | None = None,
) -> Program:
    """Change a program's set-up; its phases and success measures become the given lists.

    With `loaded` (what the form showed), a set-up value another coordinator saved since
    is never replaced: `EditConflict` carries the newest values and nothing is written.

    `coordinator_emails` is the complete new list: a coordinator whose address is not on
    it is removed, and an address that is not a coordinator's is sent an invitation
    (nobody becomes a coordinator without accepting). At least one of the current
    coordinators must remain. The caller's instance is left as it was; the saved program
    is returned.
    """
    slug = data.get("slug", program.slug)
    wanted = _addresses(coordinator_emails)
    try:
        with transaction.atomic():
            # Locked: a status change or another edit waits for this one to finish.
            saved = Program.objects.select_for_update(of=("self",)).get(pk=program.pk)
            if loaded is not None:
                loaded.check(
                    selectors.setup_values(saved, SETUP_FIELDS),
                    {
                        **data,
                        "success_measures": "\n".join(measures),
                        "coordinator_emails": "\n".join(coordinator_emails),
                    },
                )
            _apply_setup(saved, data)
            _validate_program(saved)
            current = {user.email.lower(): user for user in saved.coordinators.all()}
            kept = [current[email] for email in wanted if email in current]
            if not kept:
                message = (
                    _("You cannot remove yourself: add another coordinator first.")
                    if by in current.values()
                    else _("A program needs at least one coordinator.")
                )
                if any(email not in current for email in wanted):
                    message = format_lazy(
                        "{} {}",
                        message,
                        _("Invited people count once they have accepted."),
                    )
                raise ValidationError({"coordinator_emails": ValidationError(message)})
            saved.save()
            _save_phases(saved, phases)
            _save_measures(saved, measures)
            saved.coordinators.set(kept)
            _invite(
                program=saved, by=by, emails=[email for email in wanted if email not in current]
            )
    except IntegrityError as error:
        if _slug_taken(slug, exclude_pk=program.pk):
            raise _slug_taken_error() from error
        raise
    logger.info("Program %s set-up changed by member %s", saved.slug, by.pk)
    return saved


# --- Copy for next year ----------------------------------------------------------------


def _one_year_later(day: date | None) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February, and next year is not a leap year
        return day.replace(year=day.year + 1, day=28)


def program_copy(*, program: Program, by: User) -> Program:
    """Next year's draft of `program`: same set-up, every date one year later.

    Phases and success measures come along; applications and participants do not (nor
    the settings other apps keep per program: dashboard.services.program_copy_with_settings
    copies those too). The member copying coordinates the copy; the source's other
    coordinators are invited to, and coordinate it only once they accept.
    """
    with transaction.atomic():
        plan = selectors.planned_copy(program=program)
        # A second click, or copying last year's program again, would make a duplicate.
        if Program.objects.filter(name=plan["name"]).exists():
            raise ValidationError(
                _("“%(name)s” already exists: edit it rather than copying again.")
                % {"name": plan["name"]}
            )
        copy = Program(status=Program.Status.DRAFT)
        _apply_setup(copy, {field: getattr(program, field) for field in SETUP_FIELDS})
        copy.name, copy.slug, copy.year = plan["name"], plan["slug"], plan["year"]
        for field in ("starts_on", "ends_on", "applications_open_on", "applications_close_on"):
            setattr(copy, field, _one_year_later(getattr(program, field)))
        copy.full_clean()
        copy.save()
        phases = [
            Phase(
                program=copy,
                name=phase.name,
                description=phase.description,
                starts_on=_one_year_later(phase.starts_on),
                ends_on=_one_year_later(phase.ends_on),
                lost_time=phase.lost_time,
                order=phase.order,
            )
            for phase in program.phases.all()
        ]
        measures = [
            SuccessMeasure(program=copy, label=measure.label, order=measure.order)
            for measure in program.success_measures.all()
        ]
        for row in (*phases, *measures):
            row.full_clean()
        Phase.objects.bulk_create(phases)
        SuccessMeasure.objects.bulk_create(measures)
        copy.coordinators.set([by])
        _invite(
            program=copy,
            by=by,
            emails=[user.email for user in program.coordinators.exclude(pk=by.pk)],
        )
    logger.info("Program %s copied to %s by member %s", program.slug, copy.slug, by.pk)
    return copy


# --- Coordinator invitations ------------------------------------------------------------

# Invitations go out by e-mail to any address: a cap keeps the application from being used
# to mail strangers in bulk.
MAX_PENDING_INVITATIONS = 10


def _addresses(emails: Iterable[str]) -> list[str]:
    """The addresses lower-cased, without blanks or repeats, in their order."""
    return list(dict.fromkeys(email.strip().lower() for email in emails if email.strip()))


def _owns(user: User, email: str) -> bool:
    return (
        EmailAddress.objects.annotate(email_lower=Lower("email"))
        .filter(user=user, email_lower=email.lower(), verified=True)
        .exists()
    )


def _coordinator_addresses(program: Program) -> set[str]:
    """Every address of the program's coordinators, their log-in one and verified ones."""
    coordinators = program.coordinators.all()
    verified = EmailAddress.objects.filter(user__in=coordinators, verified=True)
    return {email.lower() for email in coordinators.values_list("email", flat=True)} | {
        email.lower() for email in verified.values_list("email", flat=True)
    }


def _send_invitation(invitation: CoordinatorInvitation) -> None:
    owner = selectors.verified_owner(email=invitation.email)
    send_templated_mail(
        to=invitation.email,
        language=owner.language if owner else "",
        template="coordinator_invitation",
        context={
            "invitation": invitation,
            "program": invitation.program,
            "inviter": invitation.invited_by,
            "member": owner,
            "url": reverse("programs:invitation_accept", args=[invitation.pk]),
        },
    )


def _invite(*, program: Program, by: User, emails: Iterable[str]) -> list[CoordinatorInvitation]:
    """Invite these addresses; in the caller's transaction, with the program row saved."""
    wanted = _addresses(emails)
    skip = _coordinator_addresses(program) | set(
        program.coordinator_invitations.filter(
            status=CoordinatorInvitation.Status.PENDING
        ).values_list("email", flat=True)
    )
    new = [email for email in wanted if email not in skip]
    if not new:
        return []
    pending = program.coordinator_invitations.filter(
        status=CoordinatorInvitation.Status.PENDING
    ).count()
    if pending + len(new) > MAX_PENDING_INVITATIONS:
        raise ValidationError(
            {
                "coordinator_emails": ValidationError(
                    _(
                        "A program can have at most %(limit)d invitations waiting for an "
                        "answer; withdraw some or wait for answers first."
                    ),
                    code="too_many_invitations",
                    params={"limit": MAX_PENDING_INVITATIONS},
                )
            }
        )
    invitations = []
    for email in new:
        invitation = CoordinatorInvitation(program=program, email=email, invited_by=by)
        invitation.full_clean()
        invitation.save()
        invitations.append(invitation)
        _send_invitation(invitation)
        logger.info(
            "Program %s: invitation %s to co-coordinate sent by member %s",
            program.slug,
            invitation.pk,
            by.pk,
        )
    return invitations


def coordinator_invite(
    *, program: Program, by: User, emails: list[str]
) -> list[CoordinatorInvitation]:
    """Invite addresses to co-coordinate; returns the invitations made (none twice)."""
    with transaction.atomic():
        # Serialises invitations to one program, so a double submission invites once.
        locked = Program.objects.select_for_update(of=("self",)).get(pk=program.pk)
        return _invite(program=locked, by=by, emails=emails)


def already_decided(invitation: CoordinatorInvitation) -> ValidationError:
    messages = {
        CoordinatorInvitation.Status.ACCEPTED: _("This invitation was already accepted."),
        CoordinatorInvitation.Status.DECLINED: _("This invitation was already declined."),
        CoordinatorInvitation.Status.WITHDRAWN: _("This invitation was withdrawn."),
    }
    return ValidationError(messages[invitation.status], code="already_decided")


def _decide(
    invitation: CoordinatorInvitation, *, by: User, to: str, must_own: bool
) -> CoordinatorInvitation:
    """Lock the invitation, check it is still pending, and record the decision."""
    locked = CoordinatorInvitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    if must_own and not _owns(by, locked.email):
        raise PermissionDenied
    if not locked.is_pending:
        raise already_decided(locked)
    locked.status = to
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


def _tell_inviter(invitation: CoordinatorInvitation, template: str) -> None:
    inviter = invitation.invited_by
    if inviter is None or not inviter.is_active:
        return
    mail_member(
        inviter,
        template,
        {
            "invitation": invitation,
            "program": invitation.program,
            "url": reverse("programs:detail", args=[invitation.program.slug]),
        },
    )


def invitation_accept(*, invitation: CoordinatorInvitation, by: User) -> CoordinatorInvitation:
    """The invitee, owner of the invited address, becomes a coordinator; the inviter hears."""
    with transaction.atomic():
        accepted = _decide(
            invitation, by=by, to=CoordinatorInvitation.Status.ACCEPTED, must_own=True
        )
        accepted.program.coordinators.add(by)
        _tell_inviter(accepted, "coordinator_invitation_accepted")
    logger.info("Invitation %s accepted by member %s", accepted.pk, by.pk)
    return accepted


def invitation_decline(*, invitation: CoordinatorInvitation, by: User) -> CoordinatorInvitation:
    """The invitee says no; the inviter hears."""
    with transaction.atomic():
        declined = _decide(
            invitation, by=by, to=CoordinatorInvitation.Status.DECLINED, must_own=True
        )
        _tell_inviter(declined, "coordinator_invitation_declined")
    logger.info("Invitation %s declined by member %s", declined.pk, by.pk)
    return declined


def invitation_withdraw(*, invitation: CoordinatorInvitation, by: User) -> CoordinatorInvitation:
    """A coordinator of the program takes back a pending invitation."""
    with transaction.atomic():
        if not invitation.program.coordinators.filter(pk=by.pk).exists():
            raise PermissionDenied
        withdrawn = _decide(
            invitation, by=by, to=CoordinatorInvitation.Status.WITHDRAWN, must_own=False
        )
    logger.info("Invitation %s withdrawn by member %s", withdrawn.pk, by.pk)
    return withdrawn


# --- Status ---------------------------------------------------------------------------------


def _check_ready_to_open(program: Program) -> None:
    missing = [
        Program._meta.get_field(field).verbose_name
        for field in ("applications_close_on", "starts_on", "ends_on")
        if getattr(program, field) is None
    ]
    if missing:
        raise ValidationError(
            _("To open applications, first set these dates: %(missing)s."),
            code="dates_missing",
            params={"missing": ", ".join(str(label) for label in missing)},
        )
    if program.applications_close_on < timezone.localdate():
        raise ValidationError(
            _(
                "Applications close on %(date)s, which has passed: set a later closing date "
                "before opening applications."
            ),
            code="window_passed",
            params={"date": _date(program.applications_close_on)},
        )


def program_transition(*, program: Program, to: str, by: User) -> Program:
    """Move the program to its next status; only the steps in `Program.TRANSITIONS`.

    The row is locked and its status read again, so two coordinators clicking at
    once cannot skip a step: the second one is refused, seeing the first one's change.
    """
    with transaction.atomic():
        locked = Program.objects.select_for_update(of=("self",)).get(pk=program.pk)
        current = Program.Status(locked.status)
        if to not in Program.Status.values:
            raise ValidationError(
                _("“%(to)s” is not a program status."), code="unknown_status", params={"to": to}
            )
        target = Program.Status(to)
        if target == current:
            raise ValidationError(
                _("The program is already “%(status)s”."),
                code="unchanged",
                params={"status": current.label},
            )
        if target not in locked.next_statuses():
            raise ValidationError(
                _("A program that is “%(current)s” cannot go to “%(to)s”."),
                code="not_allowed",
                params={"current": current.label, "to": target.label},
            )
        if target == Program.Status.OPEN:
            _check_ready_to_open(locked)
        locked.status = target
        locked.full_clean()
        locked.save(update_fields=["status"])
    logger.info("Program %s: %s → %s by member %s", locked.slug, current, target, by.pk)
    return locked


def program_settings_copy(model, *, source: Program, target: Program):
    """Give `target` the row of per-program settings (`model`, keyed by `program`) `source` set.

    Used for a program copied for next year. A source without its own row has the defaults,
    and so will the target: no row, and None.
    """
    own = model.objects.filter(program=source).first()
    if own is None:
        return None
    own.pk = None
    own.program = target
    own.full_clean()
    own.save()
    return own
